//! A terminal that tests type into and read from: a tmux server of the test's own.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        // No tmux.conf of the machine's, and a shell that runs commands: tmux runs a pane's
        // command with $SHELL, or without it the account's login shell, which for a system
        // account (CI's unprivileged one) is nologin, and every pane would exit at once.
        c.args(["-f", "/dev/null", "-L", &self.socket])
            .env("SHELL", "/bin/sh");
        // The app draws in UTF-8 only in a UTF-8 locale: give the panes one, whatever the
        // machine running the tests has (a test that wants another says so in its command).
        c.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE");
        c
    }

    /// Starts `command` in an 80x24 window.
    pub fn start(name: &str, command: &str) -> Tmux {
        Tmux::start_sized(name, command, 80, 24)
    }

    pub fn start_sized(name: &str, command: &str, width: u16, height: u16) -> Tmux {
        // Tests share one process: each terminal gets a tmux server of its own.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = Tmux {
            socket: format!("rollcall-test-{}-{n}-{name}", std::process::id()),
            session: name.to_string(),
        };
        let status = t
            .tmux()
            .args([
                "new-session",
                "-d",
                "-s",
                &t.session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                command,
            ])
            .status()
            .expect("tmux is needed for this test: apt-get install tmux (.ci/run does)");
        assert!(status.success(), "tmux new-session failed");
        t
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            let status = self
                .tmux()
                .args(["send-keys", "-t", &self.session, key])
                .status()
                .unwrap();
            assert!(status.success());
            // One key at a time, as typed: each is handled before the next arrives.
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    pub fn text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(100));
    }

    pub fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Copies everything the program writes to the terminal, escapes and all, into `file`.
    pub fn record_output(&self, file: &std::path::Path) {
        let status = self
            .tmux()
            .args([
                "pipe-pane",
                "-o",
                "-t",
                &self.session,
                &format!("cat >> {}", file.display()),
            ])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let alive = self
                    .tmux()
                    .args(["has-session", "-t", &self.session])
                    .status()
                    .is_ok_and(|s| s.success());
                let gone = if alive {
                    ""
                } else {
                    " (the program in the terminal has exited: its window is gone)"
                };
                panic!("waited for `{text}`{gone}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

//! The terminal as it is: too small to show a view, stopped by a signal, every size from
//! 1x1 to 500x200.

use crate::common::cli::{BIN, Cli};
use crate::common::*;
use std::process::Command;

/// Finding 12: Below the minimum size nothing shows, so nothing but quit and help acts.
#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let school = TestSchool::new("2026-11-23T09:12");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    h.act(rollcall::app::Action::Resize(40, 10));
    assert!(h.screen_at(40, 10).contains("Terminal too small"));
    h.press("space space space space space A N L C X");
    let marked = h
        .client
        .export(d("2026-11-23"), d("2026-11-23"), Some("Oak".into()))
        .unwrap();
    assert!(marked.is_empty(), "marked unseen: {marked:?}");
    assert!(h.app.modal.is_none());
    h.act(rollcall::app::Action::Resize(80, 24));
    h.press("space");
    assert_eq!(
        h.client
            .export(d("2026-11-23"), d("2026-11-23"), Some("Oak".into()))
            .unwrap()
            .len(),
        1
    );
    h.act(rollcall::app::Action::Resize(40, 10));
    h.press("ctrl+c");
    assert!(h.app.quit, "quit still works");
}

/// Finding 11: SIGTERM, or SIGHUP from a dropped SSH connection, leaves the terminal as it was.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn the_terminal_is_restored_when_the_app_is_stopped_by_a_signal() {
    if !crate::tui_tmux::tmux_available() {
        return;
    }
    let cli = Cli::new();
    cli.school();
    let home = cli.dir.path();
    for signal in ["TERM", "HUP"] {
        let pid = home.join(format!("pid-{signal}"));
        let stty = home.join(format!("stty-{signal}"));
        let inner = format!(
            "echo $$ > {pid}; exec {BIN} --db {db} --now 2026-11-23T09:12",
            pid = pid.display(),
            db = cli.db.display()
        );
        let command = format!(
            "env HOME={home} NO_COLOR=1 sh -c '{inner}'; stty -a > {stty}; sleep 30",
            home = home.display(),
            stty = stty.display()
        );
        let t = crate::common::tmux::Tmux::start(&format!("signal-{signal}"), &command);
        t.wait_for("Oak");
        let pid = std::fs::read_to_string(&pid).unwrap();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), pid.trim()])
            .status()
            .unwrap();
        assert!(status.success());
        let start = std::time::Instant::now();
        while !stty.exists() && start.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let modes = std::fs::read_to_string(&stty).unwrap();
        // Raw mode turns these off; a restored terminal has them back.
        let words: Vec<&str> = modes.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                words.contains(&mode),
                "SIG{signal}: {mode} still off:\n{modes}"
            );
        }
    }
}

/// Every terminal size from 1x1 to 500x200 on every view, with keys pressed at each size:
/// nothing panics, and below 60x16 no key changes a mark.
#[test]
fn terminal_size_sweep_from_1x1_to_500x200_never_panics() {
    let school = TestSchool::new("2026-11-23T09:12");
    let mut h = Harness::new(&school, "office");
    // Views to sweep: the class list, a register with a dialog, the sign-in, the N queue, help.
    let views: [&str; 6] = [
        "",
        "enter",
        "enter enter",
        "esc esc f2 text:co",
        "esc esc f3",
        "?",
    ];
    let keys = [
        "space", "A", "N", "L", "down", "enter", "C", "X", "ctrl+z", "?", "esc",
    ];
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    // Every width at heights either side of the minimum and the extremes, and every height
    // at such widths.
    for w in 1..=500u16 {
        for h in [1u16, 15, 16, 24, 200] {
            sizes.push((w, h));
        }
    }
    for h in 1..=200u16 {
        for w in [1u16, 59, 60, 80, 500] {
            sizes.push((w, h));
        }
    }
    let mut renders = 0;
    for (v, view) in views.iter().enumerate() {
        h.act(rollcall::app::Action::Resize(80, 24));
        h.press(view);
        for (i, (w, height)) in sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| i % views.len() == v)
        {
            h.act(rollcall::app::Action::Resize(*w, *height));
            let small = *w < 60 || *height < 16;
            let marks = || {
                let r = school.engine.store().read().unwrap();
                r.marks_on(d("2026-11-23"), rollcall::domain::session::Session::Am)
                    .unwrap()
                    .len()
            };
            let before = if small { marks() } else { 0 };
            h.press(keys[i % keys.len()]);
            let _ = h.screen_at(*w, *height);
            renders += 1;
            if small {
                assert_eq!(before, marks(), "a key marked at {w}x{height}");
            }
            if h.app.quit {
                h.app.quit = false;
            }
        }
    }
    assert!(renders > 3000, "{renders}");
}

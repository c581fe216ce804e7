//! Staff reach the school server as they would in a school: through plain OpenSSH, each as their
//! own account, running `rollcall` in a terminal. A teacher marks a pupil; the office, logged in
//! separately and looking at the same register, sees it appear.
//!
//! `.ci/sshd` (run by `.ci/run`) installs and starts sshd on 127.0.0.1 with two accounts and
//! prints the environment this test reads. Without it the test stands down, except where
//! `ROLLCALL_E2E` is set, where it must run.

use crate::common::accounts::SharedDir;
use crate::common::tmux::Tmux;
use crate::common::*;
use rollcall::domain::register::Role;
use std::time::{Duration, Instant};

struct SshSetup {
    port: String,
    key: String,
    group: String,
    teacher: String,
    office: String,
}

fn ssh_setup() -> Option<SshSetup> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let found = (|| {
        let accounts = var("ROLLCALL_SSH_ACCOUNTS")?;
        let mut accounts = accounts.split_whitespace();
        Some(SshSetup {
            port: var("ROLLCALL_SSH_PORT")?,
            key: var("ROLLCALL_SSH_KEY")?,
            group: var("ROLLCALL_SSH_GROUP")?,
            teacher: accounts.next()?.to_string(),
            office: accounts.next()?.to_string(),
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var_os("ROLLCALL_E2E").is_none(),
            "ROLLCALL_E2E is set but sshd is not: run `eval \"$(.ci/sshd)\"` as root first"
        );
        eprintln!("no test sshd: skipping the OpenSSH end-to-end test (.ci/run starts one)");
    }
    found
}

/// The command a member of staff types: ssh to the school server, run rollcall there.
fn ssh_command(ssh: &SshSetup, account: &str, shared: &SharedDir) -> String {
    format!(
        "ssh -t -p {port} -i {key} -o BatchMode=yes -o StrictHostKeyChecking=no \
         -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SendEnv=LANG {account}@127.0.0.1 \
         NO_COLOR=1 {bin} --socket {socket}",
        port = ssh.port,
        key = ssh.key,
        bin = shared.bin.display(),
        socket = shared.path().join("rollcall.sock").display(),
    )
}

#[test]
#[cfg_attr(
    not(rollcall_sshd),
    ignore = "needs the test sshd: eval \"$(.ci/sshd)\" as root, as .ci/run does"
)]
fn a_teachers_mark_appears_on_the_office_screen_over_ssh() {
    let Some(ssh) = ssh_setup() else {
        return;
    };
    let shared = SharedDir::new();
    let me = rollcall::service::os_account();
    let db = school_with_groups(
        shared.path(),
        &me,
        &[("Oak".to_string(), vec![ssh.teacher.clone()])],
        &[
            (ssh.teacher.clone(), Role::Teacher),
            (ssh.office.clone(), Role::Office),
        ],
        5,
    );
    let _server = ServerProcess::start(
        &db,
        &shared.path().join("rollcall.sock"),
        "2026-11-23T08:50",
        Some(&ssh.group),
    );

    let office = Tmux::start("office", &ssh_command(&ssh, &ssh.office, &shared));
    office.wait_for("Oak");
    office.keys(&["Enter"]);
    office.wait_for("Pupil0");
    let teacher = Tmux::start("teacher", &ssh_command(&ssh, &ssh.teacher, &shared));
    teacher.wait_for("Oak");
    teacher.keys(&["Enter"]);
    teacher.wait_for("Pupil0");
    let before = office.screen();
    assert!(before.contains("present 0"), "{before}");

    teacher.keys(&["Space", "Space"]);
    teacher.wait_for("present 2");
    let saved_at = Instant::now();
    let screen = office.wait_for("present 2");
    assert!(
        saved_at.elapsed() < Duration::from_secs(1),
        "the office saw the marks {:?} after the teacher's screen showed them saved",
        saved_at.elapsed()
    );
    // Each screen is its own account's, as the server knows it from the socket.
    assert!(
        screen.contains(&format!("{} (office) · server", ssh.office)),
        "{screen}"
    );
    let teacher_screen = teacher.screen();
    assert!(
        teacher_screen.contains(&format!("{} (teacher) · server", ssh.teacher)),
        "{teacher_screen}"
    );
    let marks: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("Pupil") && l.contains(", P"))
        .map(|l| {
            l.split_whitespace()
                .nth(if l.starts_with('>') { 3 } else { 2 })
                .unwrap_or("")
        })
        .collect();
    assert_eq!(marks, ["/", "/", "·", "·", "·"], "{screen}");

    // Back on the office's class list, the register fills in as the teacher goes on.
    office.keys(&["Escape"]);
    office.wait_for("2/5");
    teacher.keys(&["*"]);
    teacher.wait_for("present 5");
    let saved_at = Instant::now();
    let screen = office.wait_for("5/5");
    assert!(saved_at.elapsed() < Duration::from_secs(1), "{screen}");
}

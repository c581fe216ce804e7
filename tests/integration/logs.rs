//! A server's log (issue 21, item 8): levelled lines the journal reads, its start with release
//! and configuration, refused accounts, backups and its stop; `-q` leaves errors only.

use crate::common::cli::BIN;
use crate::common::*;
use std::process::{Command, Stdio};

fn serve(
    db: &std::path::Path,
    socket: &std::path::Path,
    log: &std::path::Path,
    extra: &[&str],
    journal: bool,
) -> std::process::Child {
    let mut command = Command::new(BIN);
    command
        .arg("--db")
        .arg(db)
        .arg("--socket")
        .arg(socket)
        .args(["--now", "2026-11-23T09:00"])
        .args(extra)
        .arg("serve")
        .stderr(std::fs::File::create(log).unwrap())
        .stdout(Stdio::null());
    if journal {
        command.env("JOURNAL_STREAM", "8:1234");
    } else {
        command.env_remove("JOURNAL_STREAM");
    }
    let child = command.spawn().unwrap();
    for _ in 0..100 {
        if std::os::unix::net::UnixStream::connect(socket).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child
}

fn stop(mut child: std::process::Child) -> std::process::ExitStatus {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    child.wait().unwrap()
}

#[test]
fn a_servers_log_says_its_start_refusals_backups_and_stop_with_levels() {
    let dir = tempfile::tempdir().unwrap();
    let me = rollcall::service::os_account();
    let db = school_database(dir.path(), &me);
    let socket = dir.path().join("s.sock");
    let log = dir.path().join("serve.log");
    let server = serve(&db, &socket, &log, &[], false);
    let mut client = rollcall::service::Client::new(Box::new(
        rollcall::service::remote::Remote::connect_trusting(
            &socket,
            rollcall::service::remote::Trust::standard(Some(me.clone())),
        )
        .unwrap(),
    ));
    client.backup("logged.redb".into(), false).unwrap();
    assert!(stop(server).success(), "a stop on SIGTERM is a clean exit");
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.contains(&format!(
            "rollcall serve: rollcall {} serving",
            rollcall::service::release()
        )),
        "{said}"
    );
    assert!(said.contains("backed up to"), "{said}");
    assert!(
        said.contains("rollcall serve: stopping on SIGTERM"),
        "{said}"
    );
    // Under systemd: each line carries its priority for the journal; -q leaves errors only.
    let server = serve(&db, &socket, &log, &[], true);
    stop(server);
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.lines().all(|l| l.starts_with('<')), "{said}");
    assert!(
        said.lines().any(|l| l.starts_with("<6>rollcall ")),
        "{said}"
    );
    let server = serve(&db, &socket, &log, &["-q"], false);
    stop(server);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "",
        "-q logs errors only"
    );
}

//! `rollcall doctor` (issue 21, item 5): each thing a technician gets wrong is named with its
//! fix, and the exit status says whether anything needs fixing.

use crate::common::cli::BIN;
use crate::common::*;
use std::process::{Command, Output};

fn doctor(home: &std::path::Path, args: &[&str], tz: &str) -> (Option<i32>, String) {
    let out: Output = Command::new(BIN)
        .args(args)
        .arg("doctor")
        .env("HOME", home)
        .env("TZ", tz)
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("ROLLCALL_SOCKET")
        .output()
        .unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn doctor_names_a_missing_backup_an_open_file_and_the_time_zone_then_passes() {
    let cli = crate::common::cli::Cli::new();
    cli.ok(
        "2026-12-02T08:50",
        &["demo", "--pupils", "10", "--weeks", "1", "--replace"],
    );
    let db = cli.db.to_str().unwrap().to_string();
    let home = cli.dir.path();
    let (code, said) = doctor(home, &["--db", &db], "Europe/London");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("FIX  no backup in"), "{said}");
    assert!(said.contains("ok   the database"), "{said}");
    // A backup made, the file left open to others, the wrong zone.
    let out = cli.run("2026-12-02T08:50", &["backup", "tonight.redb"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(&cli.db, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let (code, said) = doctor(home, &["--db", &db], "America/New_York");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains(&format!("`chmod 600 {db}`")), "{said}");
    assert!(
        said.contains("timedatectl set-timezone Europe/London"),
        "{said}"
    );
    assert!(said.contains("ok   the last backup"), "{said}");
    std::fs::set_permissions(&cli.db, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (code, said) = doctor(home, &["--db", &db], "Europe/London");
    assert_eq!(code, Some(0), "{said}");
    assert!(said.ends_with("nothing to fix\n"), "{said}");
    // No database at all: what to run.
    let (code, said) = doctor(home, &["--db", "/nonexistent/school.redb"], "Europe/London");
    assert_eq!(code, Some(1));
    assert!(said.contains("rollcall init --school"), "{said}");
}

#[test]
fn doctor_through_a_server_checks_the_socket_the_staff_list_and_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let me = rollcall::service::os_account();
    let db = school_database(dir.path(), &me);
    let socket = dir.path().join("s.sock");
    let _server = ServerProcess::start(&db, &socket, "2026-11-23T09:00", None);
    let sock = socket.to_str().unwrap();
    let (code, said) = doctor(
        dir.path(),
        &["--socket", sock, "--server-account", &me],
        "Europe/London",
    );
    assert!(said.contains("ok   the server answers"), "{said}");
    assert!(said.contains("ok   the server runs this release"), "{said}");
    assert!(said.contains("backups: kept by the server"), "{said}");
    assert_eq!(code, Some(0), "{said}");
    // The server's account missing, and no server at the socket.
    let (code, said) = doctor(
        dir.path(),
        &["--socket", sock, "--server-account", "no-such-account-rc"],
        "Europe/London",
    );
    assert_eq!(code, Some(1));
    assert!(said.contains("no account `no-such-account-rc`"), "{said}");
    let gone = dir.path().join("gone.sock");
    let (code, said) = doctor(
        dir.path(),
        &["--socket", gone.to_str().unwrap(), "--server-account", &me],
        "Europe/London",
    );
    assert_eq!(code, Some(1));
    assert!(said.contains("systemctl enable --now rollcall"), "{said}");
}

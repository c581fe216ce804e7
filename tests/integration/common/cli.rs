//! The real binary, run as a script or a newcomer would: a school in a directory of its own.

use super::{EXAMPLE, PUPILS_CSV};
use std::path::PathBuf;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_rollcall");

pub struct Cli {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Cli {
    pub fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("school.redb");
        Cli { dir, db }
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn run(&self, now: &str, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .arg("--now")
            .arg(now)
            .args(args)
            .env("HOME", self.dir.path())
            .output()
            .unwrap()
    }

    pub fn ok(&self, now: &str, args: &[&str]) -> String {
        let out = self.run(now, args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail, and returns its stderr.
    pub fn fails(&self, now: &str, args: &[&str]) -> String {
        let out = self.run(now, args);
        assert!(!out.status.success(), "{args:?} should have failed");
        // 1 for rollcall's own errors, 2 for command-line usage errors; never a panic (101).
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "an error, not a crash: {:?}",
            out.status
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// A school with the example configuration, the test's account as admin, and 8 pupils.
    pub fn school(&self) {
        self.school_since("2026-09-01");
    }

    /// The example school with its pupils on roll since `from` (a test that imports their old
    /// registers needs them on roll then).
    pub fn school_since(&self, from: &str) {
        let config = self.file("school.toml", EXAMPLE);
        self.ok(
            "2026-09-01T08:00",
            &["init", "--school", config.to_str().unwrap()],
        );
        let me = rollcall::service::os_account();
        self.ok(
            "2026-09-01T08:00",
            &[
                "staff",
                "add",
                "--account",
                &me,
                "--name",
                "Ann Admin",
                "--position",
                "Head",
                "--role",
                "admin",
            ],
        );
        let pupils = self.file("pupils.csv", PUPILS_CSV);
        self.ok(
            "2026-09-01T08:00",
            &["import", "pupils", pupils.to_str().unwrap(), "--from", from],
        );
    }

    pub fn export(&self) -> String {
        self.ok(
            "2026-12-31T12:00",
            &[
                "export",
                "marks",
                "--from",
                "2026-09-01",
                "--to",
                "2026-12-31",
            ],
        )
    }
}

/// `rollcall mark` for Oak's morning register.
pub fn oak_am_mark<'a>(upn: &'a str, code: &'a str) -> Vec<&'a str> {
    vec![
        "mark",
        "--group",
        "Oak",
        "--session",
        "am",
        "--pupil",
        upn,
        "--code",
        code,
    ]
}

/// `rollcall history` for one pupil's session.
pub fn history_args<'a>(upn: &'a str, date: &'a str, session: &'a str) -> Vec<&'a str> {
    vec![
        "history",
        "--pupil",
        upn,
        "--date",
        date,
        "--session",
        session,
    ]
}

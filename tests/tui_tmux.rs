//! The real binary in a real terminal (tmux), driven by keystrokes as a person would: take a
//! register with a late pupil, sign in a pupil who arrives after the close, close it, and
//! check with `rollcall export marks` exactly what was stored. `.ci/run` installs tmux.

mod common;

use common::tmux::Tmux;
use common::{EXAMPLE, PUPILS_CSV};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rollcall");

fn rollcall(dir: &Path, db: &Path, now: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--now", now])
        .args(args)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn app_command(dir: &Path, db: &Path, now: &str) -> String {
    format!(
        "env HOME={home} XDG_CONFIG_HOME={home}/config NO_COLOR=1 {BIN} --db {db} --now {now}; echo exit=$? > {home}/exit",
        home = dir.display(),
        db = db.display(),
    )
}

/// tmux is required where `ROLLCALL_E2E` is set (`.ci/run` sets it and installs tmux); on a
/// newcomer's machine without tmux the test says so and stands down.
fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("ROLLCALL_E2E").is_none(),
            "ROLLCALL_E2E is set but tmux is not installed"
        );
        eprintln!(
            "tmux not installed: skipping the terminal end-to-end test (.ci/run installs it)"
        );
    }
    found
}

#[test]
fn a_register_taken_by_keystrokes_is_stored_exactly() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir_path: PathBuf = dir.path().to_path_buf();
    let db = dir_path.join("school.redb");
    let me = rollcall::service::os_account();
    let config = dir_path.join("school.toml");
    std::fs::write(
        &config,
        EXAMPLE.replace("tutors = [\"jpatel\"]", &format!("tutors = [\"{me}\"]")),
    )
    .unwrap();
    let pupils = dir_path.join("pupils.csv");
    std::fs::write(&pupils, PUPILS_CSV).unwrap();
    let setup = "2026-09-01T08:00";
    rollcall(
        &dir_path,
        &db,
        setup,
        &["init", "--school", config.to_str().unwrap()],
    );
    rollcall(
        &dir_path,
        &db,
        setup,
        &[
            "staff",
            "add",
            "--account",
            &me,
            "--name",
            "Pat Tutor",
            "--position",
            "Class teacher and SENCO",
            "--role",
            "admin",
        ],
    );
    rollcall(
        &dir_path,
        &db,
        setup,
        &["import", "pupils", pupils.to_str().unwrap()],
    );

    // 09:12, in the late window: Adams and Brown present, Cole arrives late now.
    let t = Tmux::start("morning", &app_command(&dir_path, &db, "2026-11-23T09:12"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["Enter"]);
    t.wait_for("LATE WINDOW");
    t.keys(&["Space", "Space", "L"]);
    let screen = t.wait_for("present 2  late 1");
    assert!(screen.contains("09:12   +7"), "{screen}");
    t.keys(&["C-c"]);
    drop(t);

    // 09:44, after the close: Dean signs in at the office (U), then the register is closed.
    let t = Tmux::start("office", &app_command(&dir_path, &db, "2026-11-23T09:44"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["S"]);
    t.wait_for("Late sign-in");
    t.text("dean");
    t.wait_for("> Dean, Dan");
    t.keys(&["Enter"]);
    t.wait_for("arrived (HH:MM): 09:44");
    t.keys(&["Enter"]);
    let screen = t.wait_for("recorded as U");
    assert!(
        screen.contains("after the register closed at 09:30"),
        "{screen}"
    );
    t.keys(&["Escape"]);
    t.wait_for("[AM]");
    t.keys(&["Enter"]);
    t.wait_for("CLOSED: arrivals are U");
    t.keys(&["X"]);
    t.wait_for("1 unmarked pupil will become N");
    t.keys(&["Enter"]);
    t.wait_for("1 blank became N");
    t.keys(&["C-c"]);
    let start = Instant::now();
    while !dir_path.join("exit").exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(t);
    assert_eq!(
        std::fs::read_to_string(dir_path.join("exit"))
            .unwrap()
            .trim(),
        "exit=0"
    );

    let export = rollcall(
        &dir_path,
        &db,
        "2026-11-23T12:00",
        &[
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    );
    let rows: Vec<String> = export
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            // surname, code, arrived, minutes_late
            format!("{} {} {} {}", f[3], f[6], f[7], f[8])
        })
        .collect();
    assert_eq!(
        rows,
        [
            "Adams /  ".to_string(),
            "Brown /  ".to_string(),
            "Cole L 09:12 7".to_string(),
            "Dean U 09:44 39".to_string(),
            "Evans N  ".to_string(),
        ]
    );
}

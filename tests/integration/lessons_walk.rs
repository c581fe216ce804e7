//! Issue 24's walk, as people do it, in two real terminals on one `rollcall serve`: a teacher
//! takes a period-3 register by keys in the lesson view and marks a pupil who was present at
//! registration `N`; the attendance team's screen shows the missing pupil within a second; once
//! the clock has passed fifteen minutes it says to inform the parents; the office records
//! "found in the library".

use crate::common::ServerProcess;
use crate::common::tmux::Tmux;
use crate::tui_tmux::{rollcall, school, tmux_available};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rollcall");

#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn a_missing_pupil_walked_from_the_lesson_to_the_office() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    let me = rollcall::service::os_account();
    let config = dir_path.join("lessons.toml");
    std::fs::write(
        &config,
        format!(
            "{}{}",
            crate::common::EXAMPLE
                .replace("tutors = [\"jpatel\"]", &format!("tutors = [\"{me}\"]")),
            crate::lessons::PERIODS
        ),
    )
    .unwrap();
    let classes = dir_path.join("classes.csv");
    std::fs::write(
        &classes,
        "class,upn,subject\n9X/Ma1,A100000000016,Maths\n9X/Ma1,A100000000126,Maths\n\
         9X/Ma1,A100000000207,Maths\n",
    )
    .unwrap();
    let timetable = dir_path.join("timetable.csv");
    std::fs::write(
        &timetable,
        format!("class,weekday,period,teacher,room\n9X/Ma1,Mon,P3,{me},M1\n"),
    )
    .unwrap();
    let marks = dir_path.join("marks.csv");
    std::fs::write(
        &marks,
        "Oak,am,2026-11-23,A100000000016,/\nOak,am,2026-11-23,A100000000126,/\n\
         Oak,am,2026-11-23,A100000000207,/\n",
    )
    .unwrap();
    let setup = "2026-09-01T08:00";
    for args in [
        vec!["init", "--school", config.to_str().unwrap()],
        vec!["import", "classes", classes.to_str().unwrap()],
        vec!["import", "timetable", timetable.to_str().unwrap()],
    ] {
        rollcall(&dir_path, &db, setup, &args);
    }
    rollcall(
        &dir_path,
        &db,
        "2026-11-23T09:10",
        &["mark-batch", marks.to_str().unwrap()],
    );
    let socket = dir_path.join("school.sock");
    let mut server = ServerProcess::start(&db, &socket, "2026-11-23T12:02", None);
    let terminal = |name: &str| {
        Tmux::start_sized(
            name,
            &format!(
                "env HOME={home} XDG_CONFIG_HOME={home}/config NO_COLOR=1 {BIN} --socket {sock}",
                home = dir_path.display(),
                sock = socket.display()
            ),
            100,
            30,
        )
    };
    let office = terminal("office");
    office.wait_for("Lessons today");
    office.keys(&["F11"]);
    office.wait_for("Nobody is missing from a lesson today.");
    // The teacher: the lesson under the groups, its register, Alice N, the rest present.
    let teacher = terminal("teacher");
    teacher.wait_for("9X/Ma1");
    teacher.keys(&["Down", "Down", "Down", "Enter"]);
    teacher.wait_for("9X/Ma1 Maths \u{b7} P3 12:00-13:00");
    teacher.keys(&["!", "*"]);
    let screen = teacher.wait_for("3/3 marked");
    assert!(screen.contains("MISSING"), "{screen}");
    // The office sees her within a second of the save.
    let pushed = Instant::now();
    let screen = office.wait_for("Adams, Alice");
    assert!(
        pushed.elapsed() < Duration::from_secs(1),
        "the missing pupil took {:?} to reach the office",
        pushed.elapsed()
    );
    assert!(
        screen.contains("9X/Ma1 P3") && screen.contains("looking"),
        "{screen}"
    );
    // Sixteen minutes later (the server's clock, restarted at 12:18): inform the parents.
    server.kill();
    let _server = ServerProcess::start(&db, &socket, "2026-11-23T12:18", None);
    let screen = office.wait_for("INFORM THE PARENTS");
    assert!(screen.contains("Adams, Alice"), "{screen}");
    office.keys(&["Enter"]);
    office.wait_for("Found: Adams, Alice");
    office.text("in the library");
    office.keys(&["Enter"]);
    let screen = office.wait_for("found 12:18");
    assert!(screen.contains("in the library"), "{screen}");
    // As the record has it.
    let out = std::process::Command::new(BIN)
        .args([
            "--socket",
            socket.to_str().unwrap(),
            "missing",
            "--format",
            "json",
        ])
        .env("HOME", &dir_path)
        .output()
        .unwrap();
    let missing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        missing[0]["actions"][0]["note"], "in the library",
        "{missing}"
    );
    assert_eq!(missing[0]["open"], false, "{missing}");
}

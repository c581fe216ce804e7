//! The real binary in a real terminal (tmux), driven by keystrokes as a person would: take a
//! register with a late pupil, sign in a pupil who arrives after the close, close it, and
//! check with `rollcall export marks` exactly what was stored. `.ci/run` installs tmux.

use crate::common::tmux::Tmux;
use crate::common::{EXAMPLE, PUPILS_CSV};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rollcall");

pub(crate) fn rollcall(dir: &Path, db: &Path, now: &str, args: &[&str]) -> String {
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
pub(crate) fn tmux_available() -> bool {
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

/// The example school in a temporary directory, with this account as Oak's tutor and an
/// admin, and the eight pupils.
pub(crate) fn school() -> (tempfile::TempDir, PathBuf) {
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
    (dir, db)
}

/// Monday's marks as stored: surname, code, arrival time, minutes late.
fn stored(dir: &Path, db: &Path) -> Vec<String> {
    let export = rollcall(
        dir,
        db,
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
    export
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            format!("{} {} {} {}", f[3], f[6], f[7], f[8])
        })
        .collect()
}

/// Waits for the app to leave and says how it left.
fn exit_status(dir: &Path) -> String {
    let start = Instant::now();
    while !dir.join("exit").exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(dir.join("exit"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn a_register_taken_by_keystrokes_is_stored_exactly() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();

    // 09:12, in the late window: Adams and Brown present, Cole arrives late now.
    let t = Tmux::start("morning", &app_command(&dir_path, &db, "2026-11-23T09:12"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["Enter"]);
    t.wait_for("LATE WINDOW");
    t.keys(&["Space", "Space", "+"]);
    let screen = t.wait_for("present 2  late 1");
    assert!(screen.contains("09:12 +7"), "{screen}");
    t.keys(&["C-c"]);
    drop(t);

    // 09:44, after the close: Dean signs in at the office (U), then the register is closed.
    let t = Tmux::start("office", &app_command(&dir_path, &db, "2026-11-23T09:44"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["F2"]);
    t.wait_for("Late sign-in");
    t.text("dean");
    t.wait_for("> Dean, Dan");
    t.keys(&["Enter"]);
    t.wait_for("arrived (HH:MM): 09:44");
    t.keys(&["Enter"]);
    let screen = t.wait_for("recorded as U");
    // The message wraps at the screen's width: read it as words.
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("after the register closed at 09:30"),
        "{screen}"
    );
    t.keys(&["Escape"]);
    t.wait_for("[AM]");
    t.keys(&["Enter"]);
    t.wait_for("CLOSED: arrivals are U");
    t.keys(&["C-x"]);
    t.wait_for("1 unmarked pupil will become N");
    t.keys(&["Enter"]);
    t.wait_for("1 blank became N");
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);

    let rows = stored(&dir_path, &db);
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

/// Issue 10, items 1, 4 and 5 as a person types them in a terminal: names typed in the
/// register mark nobody; the present key swept down the register keeps a late mark; the
/// office's late sign-in shows birth dates, asks before replacing a mark (enter is not yes),
/// names the pupil, and ctrl+z takes it back.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn names_typed_and_keys_swept_in_a_terminal_spoil_no_mark() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    let t = Tmux::start("second", &app_command(&dir_path, &db, "2026-11-23T09:12"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["Enter"]);
    t.wait_for("LATE WINDOW");
    // Item 5: a name typed the way people type, capital, comma, space: nothing is marked.
    t.text("Dean, D");
    t.wait_for("> Dean, Dan");
    t.keys(&["Escape"]);
    t.text("cole");
    t.wait_for("> Cole, Cara");
    t.keys(&["Escape", "+"]);
    t.wait_for("late 1");
    // Item 1: the present key swept over everyone keeps Cole's L, and leaves Evans for the office.
    t.keys(&["Home", "Space", "Space", "Space", "Space"]);
    t.wait_for("present 3  late 1");

    // Item 4: Dean is present; the office's sign-in asks, and enter does not replace.
    t.keys(&["F2"]);
    t.wait_for("Late sign-in");
    t.text("dean");
    let screen = t.wait_for("> Dean, Dan");
    assert!(screen.contains("13/04/2019"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("y: replace");
    t.keys(&["Enter", "Escape"]);
    t.wait_for("nothing changed");
    // Evans has no mark: signed in at 09:10, typed as 910 over the suggested time.
    for _ in 0..4 {
        t.keys(&["BSpace"]);
    }
    t.text("evans");
    t.wait_for("> Evans, Eve");
    t.keys(&["Enter"]);
    t.wait_for("arrived (HH:MM): 09:12");
    t.text("910");
    t.keys(&["Enter"]);
    t.wait_for("Evans, Eve: signed in, L 09:10");
    t.keys(&["C-z"]);
    t.wait_for("Evans, Eve: L withdrawn");
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);
    assert_eq!(
        stored(&dir_path, &db),
        [
            "Adams /  ".to_string(),
            "Brown /  ".to_string(),
            "Cole L 09:12 7".to_string(),
            "Dean /  ".to_string(),
        ]
    );
}

/// Issue 10, item 12: on a VT100 in the C locale the app draws in ASCII with no colour; on
/// a Linux console it writes the eight basic colours as SGR 30-37, never the 256-colour form.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn thin_terminals_get_ascii_and_the_colours_they_have() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    for (name, env, ascii) in [
        ("vt100", "TERM=vt100 LANG=C LC_ALL=C", true),
        ("linux", "TERM=linux LANG=C.UTF-8", false),
    ] {
        let output = dir_path.join(format!("{name}.out"));
        let command = format!(
            "sleep 0.3; env HOME={home} XDG_CONFIG_HOME={home}/config {env} {BIN} --db {db} --now 2026-11-23T09:12",
            home = dir_path.display(),
            db = db.display(),
        );
        let t = Tmux::start(name, &command);
        t.record_output(&output);
        t.wait_for("Oak");
        t.keys(&["Enter"]);
        let screen = t.wait_for("LATE WINDOW");
        t.keys(&["Space", "!"]);
        t.wait_for("absent 1");
        t.keys(&["C-c"]);
        std::thread::sleep(Duration::from_millis(300));
        drop(t);
        let raw = std::fs::read(&output).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        assert!(!raw.contains("38;5;"), "{name}: 256-colour codes sent");
        if ascii {
            assert!(screen.is_ascii(), "{screen}");
            assert!(screen.contains("Oak . AM"), "{screen}");
            assert!(
                colours_set(&raw).is_empty(),
                "{name}: colour sent to a VT100"
            );
        } else {
            assert!(screen.contains("Oak \u{b7} AM"), "{screen}");
            let colours = colours_set(&raw);
            assert!(colours.contains(&31), "{name}: no basic red in {colours:?}");
            assert!(colours.iter().all(|c| (30..=37).contains(c)), "{colours:?}");
        }
    }
}

/// The colours a terminal was told to set: SGR parameters 30-38 and 40-48 (39 and 49, the
/// defaults, are not colours).
fn colours_set(raw: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for sequence in raw.split('\x1b').skip(1) {
        let Some(params) = sequence.strip_prefix('[') else {
            continue;
        };
        let Some(end) = params.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !params[end..].starts_with('m') {
            continue;
        }
        found.extend(
            params[..end]
                .split(';')
                .filter_map(|p| p.parse::<u32>().ok())
                .filter(|p| (30..=38).contains(p) || (40..=48).contains(p)),
        );
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The office's desk in a real terminal: today's absences and a call recorded, a pupil's
/// year, an alert marked as acted on, and a weekly planned absence that the teacher then
/// meets in the register, protected.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn the_office_walks_the_desk_and_the_teacher_meets_the_plan() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    // Adams missed the week of 9 November (10 unauthorised sessions: the penalty-notice
    // threshold); this morning Brown is away with no reason yet.
    let mut batch = String::new();
    for day in 9..=13 {
        batch.push_str(&format!("Oak,am,2026-11-{day:02},A100000000016,O\n"));
        batch.push_str(&format!("Oak,pm,2026-11-{day:02},A100000000016,O\n"));
    }
    batch.push_str("Oak,am,2026-11-23,A100000000016,/\n");
    batch.push_str("Oak,am,2026-11-23,A100000000126,N\n");
    std::fs::write(dir_path.join("marks.csv"), batch).unwrap();
    let marks = dir_path.join("marks.csv");
    rollcall(
        &dir_path,
        &db,
        "2026-11-23T09:20",
        &[
            "mark-batch",
            marks.to_str().unwrap(),
            "--reason",
            "entered from the paper register",
        ],
    );
    // C2 every Wednesday morning to the end of term, for the whole group.
    let planned = rollcall(
        &dir_path,
        &db,
        "2026-11-23T09:25",
        &[
            "plan",
            "--group",
            "Oak",
            "--from",
            "2026-11-23",
            "--to",
            "2026-12-18",
            "--every",
            "wed:am",
            "--code",
            "C2",
            "--note",
            "part-time timetable",
        ],
    );
    assert!(
        planned.starts_with("C2 entered for 20 sessions of 5 pupils"),
        "{planned}"
    );

    let t = Tmux::start("desk", &app_command(&dir_path, &db, "2026-11-23T09:40"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["F6"]);
    let screen = t.wait_for("Today \u{b7} Mon 23 Nov AM");
    assert!(screen.contains("Brown, Ben"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("Contact: Brown, Ben");
    t.text("Mum: tummy bug, back Wednesday");
    t.keys(&["Enter"]);
    t.wait_for("contact recorded");
    t.wait_for("called 09:40 Mum: tummy bug");
    // Adams's year from the search: the week of 9 November all O.
    t.keys(&["C-f"]);
    t.wait_for("Find a pupil");
    t.text("adams");
    t.wait_for("> Adams, Alice");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Year to date");
    assert!(
        screen.contains("09 Nov  O  O   O  O   O  O   O  O   O  O"),
        "{screen}"
    );
    t.keys(&["Escape"]);
    // The penalty-notice alert, acted on.
    t.keys(&["F5"]);
    t.wait_for("penalty notice");
    t.keys(&["Enter"]);
    t.wait_for("note: ");
    t.text("Letter 1 sent home");
    t.keys(&["Enter"]);
    t.wait_for("marked as acted on");
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);
    let _ = std::fs::remove_file(dir_path.join("exit"));

    // The same account, now only Oak's class teacher, takes Wednesday's register: the plan
    // is there, and it is the office's: a key does not overwrite it.
    let me = rollcall::service::os_account();
    rollcall(
        &dir_path,
        &db,
        "2026-11-25T08:00",
        &[
            "staff",
            "add",
            "--account",
            &me,
            "--name",
            "Pat Tutor",
            "--position",
            "Class teacher",
            "--role",
            "teacher",
        ],
    );
    let t = Tmux::start("teacher", &app_command(&dir_path, &db, "2026-11-25T08:50"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["Enter"]);
    let screen = t.wait_for("C2");
    assert!(screen.contains("Adams, Alice"), "{screen}");
    t.keys(&["!"]);
    t.wait_for("Replace the office's mark for Adams, Alice?");
    t.keys(&["Escape"]);
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);
    let export = rollcall(
        &dir_path,
        &db,
        "2026-11-25T12:00",
        &[
            "export",
            "marks",
            "--from",
            "2026-11-25",
            "--to",
            "2026-11-25",
            "--group",
            "Oak",
        ],
    );
    let codes: Vec<&str> = export
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(6).unwrap())
        .collect();
    assert_eq!(codes, ["C2"; 5], "{export}");
    let alerts = rollcall(
        &dir_path,
        &db,
        "2026-11-25T12:00",
        &["alerts", "--format", "json"],
    );
    assert!(alerts.contains("Letter 1 sent home"), "{alerts}");
}

/// Issue 18, items 1, 2 and 3 as a person types them: `SICK` with caps lock on in the code
/// picker saves illness, not study leave; a near-miss name marks nobody; a pupil signed out
/// and not back is flagged in the afternoon's register, which `*` leaves unmarked, and a code
/// given on leaving is the afternoon's mark.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn caps_lock_near_misses_and_sign_outs_in_a_terminal_write_no_wrong_mark() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    let t = Tmux::start("item18", &app_command(&dir_path, &db, "2026-11-23T09:12"));
    t.wait_for("Oak\u{2022}");
    t.keys(&["Enter"]);
    t.wait_for("LATE WINDOW");
    // Item 1: enter on Adams, then SICK in capitals: nothing saved until enter, then I.
    t.keys(&["Enter"]);
    t.wait_for("Code for Adams, Alice");
    t.keys(&["S", "I", "C", "K"]);
    let screen = t.wait_for("Illness");
    assert!(!screen.contains("jump:"), "no letter spilled: {screen}");
    t.keys(&["Enter"]);
    t.wait_for("unmarked 4");
    // Item 2: "cole x" finds nobody, and ! marks nobody; "cole c" finds Cole, Cara.
    t.text("cole x");
    t.keys(&["!"]);
    t.wait_for("nothing done");
    t.keys(&["BSpace"]);
    t.text("c");
    t.wait_for("> Cole, Cara");
    t.keys(&["!"]);
    t.wait_for("absent 2");
    // Evans arrives now (late); everyone else present.
    t.text("evans");
    t.wait_for("> Evans, Eve");
    t.keys(&["+"]);
    t.wait_for("late 1");
    t.keys(&["*"]);
    t.wait_for("unmarked 0");
    // Item 3: Evans leaves for the dentist. A time before she arrived is refused; at 09:12
    // she goes, not back today, M for the afternoon.
    t.keys(&["F7"]);
    t.wait_for("On site");
    t.text("evans");
    t.wait_for("> Evans, Eve");
    t.keys(&["Enter"]);
    t.wait_for("Sign out: Evans, Eve");
    t.text("dentist");
    t.keys(&["Enter"]);
    t.wait_for("left at (HH:MM): 09:12");
    t.text("0905");
    t.keys(&["Enter"]);
    t.wait_for("back today? (y/n)");
    t.text("n");
    t.keys(&["Enter"]);
    t.wait_for("code for the sessions missed");
    t.text("M");
    t.keys(&["Enter"]);
    let screen = t.wait_for("signed in at 09:12");
    assert!(screen.contains("cannot have left at 09:05"), "{screen}");
    // Again, as she left: the afternoon's M is entered.
    t.keys(&["Enter"]);
    t.wait_for("Sign out: Evans, Eve");
    t.text("dentist");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("back today? (y/n)");
    t.text("n");
    t.keys(&["Enter"]);
    t.wait_for("code for the sessions missed");
    t.text("M");
    t.keys(&["Enter"]);
    t.wait_for("M entered for 1");
    // Brown goes home ill at 09:12, not back, no code: left for the afternoon's register.
    t.text("brown");
    t.wait_for("> Brown, Ben");
    t.keys(&["Enter"]);
    t.wait_for("Sign out: Brown, Ben");
    t.text("sick, collected by dad");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("back today? (y/n)");
    t.text("n");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Brown, Ben signed out at 09:12");
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);
    let _ = std::fs::remove_file(dir_path.join("exit"));

    // The afternoon: Brown is flagged, and * leaves him unmarked.
    let t = Tmux::start("item18pm", &app_command(&dir_path, &db, "2026-11-23T13:05"));
    t.wait_for("[PM]");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Oak \u{b7} PM");
    let brown = screen.lines().find(|l| l.contains("Brown, Ben")).unwrap();
    assert!(brown.contains("OUT 09:12"), "{screen}");
    t.keys(&["*"]);
    let screen = t.wait_for("left unmarked");
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("signed out, left unmarked: Ben Brown"),
        "{screen}"
    );
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    drop(t);
    let export = rollcall(
        &dir_path,
        &db,
        "2026-11-23T15:00",
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
            format!("{} {} {}", f[1], f[3], f[6])
        })
        .collect();
    assert_eq!(
        rows,
        [
            "am Adams I",
            "am Brown /",
            "am Cole N",
            "am Dean /",
            "am Evans L",
            "pm Adams \\",
            "pm Cole \\",
            "pm Dean \\",
            "pm Evans M",
        ],
        "{export}"
    );
}

/// Issue 23, item 1: the first-day call walked in a real terminal. Today (f6), Alice, her
/// first contact does not answer, the second is reached and says she is ill: her morning is
/// `I`, the `N` gone, both calls logged.
#[test]
#[cfg_attr(
    not(rollcall_tmux),
    ignore = "needs tmux (apt-get install tmux; .ci/run installs it)"
)]
fn the_first_day_call_walked_in_a_terminal() {
    if !tmux_available() {
        return;
    }
    let (dir, db) = school();
    let dir_path: PathBuf = dir.path().to_path_buf();
    let contacts = dir_path.join("contacts.csv");
    std::fs::write(
        &contacts,
        "upn,surname,forename,dob,year,group,contact1_name,contact1_relationship,contact1_phone,contact2_name,contact2_relationship,contact2_phone\n\
         A100000000016,Adams,Alice,2019-01-10,2,Oak,Jo Adams,Mother,07700 900123,Sam Adams,Father,07700 900456\n",
    )
    .unwrap();
    rollcall(
        &dir_path,
        &db,
        "2026-09-01T08:00",
        &["import", "pupils", contacts.to_str().unwrap()],
    );
    rollcall(
        &dir_path,
        &db,
        "2026-11-23T09:40",
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--pupil",
            "A100000000016",
            "--code",
            "N",
            "--reason",
            "not in at registration",
        ],
    );
    let t = Tmux::start("call", &app_command(&dir_path, &db, "2026-11-23T09:45"));
    t.wait_for("Oak");
    t.keys(&["F6"]);
    t.wait_for("Adams, Alice");
    t.keys(&["Enter"]);
    t.wait_for("Next to call: 1. Jo Adams (Mother) 07700 900123");
    t.text("1 no answer");
    t.keys(&["Enter"]);
    t.wait_for("called Jo Adams (Mother): no answer");
    t.keys(&["Enter"]);
    t.wait_for("Next to call: 2. Sam Adams (Father) 07700 900456");
    t.text("2 reached I temperature since last night");
    t.keys(&["Enter"]);
    t.wait_for("call recorded, Mon 23 Nov AM is I");
    t.keys(&["C-c"]);
    assert_eq!(exit_status(&dir_path), "exit=0");
    let marks = stored(&dir_path, &db);
    assert!(marks.iter().any(|m| m.starts_with("Adams I")), "{marks:?}");
}

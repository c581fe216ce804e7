//! The real binary, as a script or a newcomer would run it.

use crate::common::cli::{BIN, Cli, history_args, oak_am_mark};
use crate::common::{EXAMPLE, PUPILS_CSV, upn};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const HEADER: &str =
    "date,session,upn,surname,forename,group,code,arrived,minutes_late,recorded_by,recorded_at\n";

#[test]
fn a_morning_by_command_line_ends_in_the_expected_export() {
    let cli = Cli::new();
    cli.school();
    let me = rollcall::service::os_account();
    let mark = |now: &str, upn: &str, code: &str, extra: &[&str]| {
        let mut args = oak_am_mark(upn, code);
        args.extend_from_slice(extra);
        cli.ok(now, &args)
    };
    assert_eq!(
        mark("2026-11-23T08:50", "A100000000016", "/", &[]),
        "saved 2026-11-23 AM A100000000016 /\n"
    );
    assert_eq!(
        mark("2026-11-23T09:17", "A100000000126", "L", &[]),
        "saved 2026-11-23 AM A100000000126 L arrived 09:17 (12 min late)\n"
    );
    let out = cli.ok(
        "2026-11-23T09:20",
        &["close", "--group", "Oak", "--session", "am"],
    );
    assert_eq!(
        out,
        "closed Oak 2026-11-23 AM: / 1, L 1, N 3; 3 blanks became N; attendance 40.0\n"
    );
    let stderr = cli.fails("2026-11-23T09:44", &oak_am_mark("A100000000207", "L"));
    assert!(stderr.contains("needs a reason"), "{stderr}");
    let out = mark(
        "2026-11-23T09:44",
        "A100000000207",
        "L",
        &["--reason", "signed in at the office"],
    );
    assert_eq!(
        out,
        "amended 2026-11-23 AM A100000000207 U arrived 09:44 (39 min late)\n\
         note: arrived 09:44, after the register closed at 09:30: recorded as U (unauthorised absence)\n"
    );
    let expected = format!(
        "{HEADER}\
         2026-11-23,am,A100000000016,Adams,Alice,Oak,/,,,{me},2026-11-23T08:50:00\n\
         2026-11-23,am,A100000000126,Brown,Ben,Oak,L,09:17,12,{me},2026-11-23T09:17:00\n\
         2026-11-23,am,A100000000207,Cole,Cara,Oak,U,09:44,39,{me},2026-11-23T09:44:00\n\
         2026-11-23,am,A100000000317,Dean,Dan,Oak,N,,,{me},2026-11-23T09:20:00\n\
         2026-11-23,am,A100000000400,Evans,Eve,Oak,N,,,{me},2026-11-23T09:20:00\n"
    );
    assert_eq!(cli.export(), expected);
    let history = cli.ok(
        "2026-11-23T10:00",
        &history_args("A100000000207", "2026-11-23", "am"),
    );
    assert!(history.contains("mark       (none) -> N"), "{history}");
    assert!(
        history.contains("amendment  N -> U 09:44 (+39 min)"),
        "{history}"
    );
    assert!(
        history.contains("reason: signed in at the office"),
        "{history}"
    );
    let report = cli.ok(
        "2026-11-23T10:00",
        &[
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "group",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        report,
        "group,pupils,possible,present,aea,authorised,unauthorised,attendance_pct,absence_pct,\
         days_lost,authorised_pct,unauthorised_pct,late_count,minutes_late_mean,u_count,pa,sa,band\n\
         Oak,5,5,2,0,0,3,40.0,60.0,1.5,0.0,60.0,1,12.0,1,3,3,G\n"
    );
    let json = cli.ok(
        "2026-11-23T10:00",
        &[
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "school",
            "--format",
            "json",
            "--compulsory-age",
            "--compare",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let school = &rows[0];
    assert_eq!(school["late_count"], 1, "{json}");
    assert_eq!(school["minutes_late_mean"], 12.0, "{json}");
    assert_eq!(school["u_count"], 1, "{json}");
    assert_eq!(school["by_code"]["L"], 1, "{json}");
    assert_eq!(school["by_weekday"]["mon"]["possible"], 5, "{json}");
    assert_eq!(school["by_weekday"]["mon"]["absent"], 3, "{json}");
    assert_eq!(school["previous"]["from"], "2026-11-22", "{json}");
}

#[test]
fn bad_pupil_files_are_refused_whole_with_row_and_column() {
    let cli = Cli::new();
    let config = cli.file("school.toml", EXAMPLE);
    cli.ok(
        "2026-09-01T08:00",
        &["init", "--school", config.to_str().unwrap()],
    );
    let cases = [
        (
            "upn,surname,forename,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,2,Oak\nA100000000126,Brown,Ben,2019-02-30,2,Oak\n",
            "row 3, column dob: `2019-02-30` is not a date",
        ),
        (
            "upn,surname,forename,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,2\n",
            "row 2: 5 columns; expected 6",
        ),
        (
            "upn,surname,first,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,2,Oak\n",
            "row 1: the header is `upn,surname,first,dob,year,group`",
        ),
        (
            "upn,surname,forename,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,2,Oak\nA100000000016,Adams,Alicia,2019-01-10,2,Oak\n",
            "row 3, column upn: A100000000016 appears again (first on row 2)",
        ),
        (
            "upn,surname,forename,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,2,Oak\nA100000000126,Brown,Ben,2019-02-11,2,Sycamore\n",
            "row 3, column group: `Sycamore` is not a group",
        ),
        (
            "upn,surname,forename,dob,year,group\nA1000,Adams,Alice,2019-01-10,2,Oak\n",
            "row 2, column upn: `A1000` has 5 characters",
        ),
        (
            "upn,surname,forename,dob,year,group\nA100000000016,Adams,Alice,2019-01-10,Q,Oak\n",
            "row 2, column year: `Q` is not a year group",
        ),
    ];
    for (i, (csv, expected)) in cases.iter().enumerate() {
        let file = cli.file(&format!("bad{i}.csv"), csv);
        let stderr = cli.fails(
            "2026-09-01T08:00",
            &["import", "pupils", file.to_str().unwrap()],
        );
        assert!(stderr.contains(expected), "case {i}: {stderr}");
        assert!(
            stderr.contains(&format!("bad{i}.csv")),
            "names the file: {stderr}"
        );
        assert!(
            stderr.contains("nothing was imported") || i == 2,
            "case {i}: {stderr}"
        );
    }
    // Nothing from the bad files was saved: every pupil of a good file is new.
    let me = rollcall::service::os_account();
    cli.ok(
        "2026-09-01T08:00",
        &[
            "staff",
            "add",
            "--account",
            &me,
            "--name",
            "A",
            "--position",
            "Head",
            "--role",
            "admin",
        ],
    );
    let good = cli.file("good.csv", PUPILS_CSV);
    let out = cli.ok(
        "2026-09-01T08:00",
        &["import", "pupils", good.to_str().unwrap()],
    );
    assert!(out.contains("8 added, 0 updated"), "{out}");
}

#[test]
fn bad_configurations_are_refused_naming_the_field_and_save_nothing() {
    let cli = Cli::new();
    let long_window = cli.file(
        "long.toml",
        &EXAMPLE.replace("closes_at = \"13:35\"", "closes_at = \"13:41\""),
    );
    let stderr = cli.fails(
        "2026-09-01T08:00",
        &["init", "--school", long_window.to_str().unwrap()],
    );
    assert!(stderr.contains("long.toml:"), "{stderr}");
    assert!(
        stderr.contains("sessions.pm.closes_at: the register stays open 31 minutes"),
        "{stderr}"
    );
    assert!(
        !cli.db.exists(),
        "no database created from a refused configuration"
    );

    let unknown = cli.file(
        "unknown.toml",
        &EXAMPLE.replace("urn = \"106089\"", "urn = \"106089\"\nhead = \"Ms Banks\""),
    );
    let stderr = cli.fails(
        "2026-09-01T08:00",
        &["init", "--school", unknown.to_str().unwrap()],
    );
    assert!(
        stderr.contains("unknown.toml:9: unknown field `head`"),
        "{stderr}"
    );

    // An existing school keeps its configuration when an update is refused.
    cli.school();
    cli.fails(
        "2026-09-01T08:00",
        &["init", "--school", long_window.to_str().unwrap()],
    );
    let out = cli.ok("2026-11-23T09:17", &oak_am_mark("A100000000126", "L"));
    assert!(
        out.contains("12 min late"),
        "register_at is still 09:05: {out}"
    );
}

#[test]
fn an_invalid_code_or_unknown_pupil_is_refused_and_saves_nothing() {
    let cli = Cli::new();
    cli.school();
    for (code, expected) in [
        ("Q7", "`Q7` is not an attendance code"),
        ("F", "`F` was withdrawn"),
    ] {
        let stderr = cli.fails("2026-11-23T08:50", &oak_am_mark("A100000000016", code));
        assert!(stderr.contains(expected), "{stderr}");
    }
    let stderr = cli.fails("2026-11-23T08:50", &oak_am_mark("A999999999999", "/"));
    assert!(
        stderr.contains("no pupil with UPN A999999999999"),
        "{stderr}"
    );
    let stderr = cli.fails(
        "2026-11-23T08:50",
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "xm",
            "--pupil",
            "A1",
            "--code",
            "/",
        ],
    );
    assert!(stderr.contains("`xm` is not a session"), "{stderr}");
    assert_eq!(cli.export(), HEADER);
}

#[test]
fn commands_on_a_missing_database_say_how_to_create_one() {
    let cli = Cli::new();
    let stderr = cli.fails("2026-11-23T08:50", &["alerts"]);
    assert!(stderr.contains("no database at"), "{stderr}");
    assert!(stderr.contains("rollcall init --school"), "{stderr}");
    assert!(!cli.db.exists());
}

#[test]
fn the_demo_is_deterministic_for_a_seed_and_clock() {
    let cli = Cli::new();
    let demo = |name: &str| {
        let db = cli.dir.path().join(name);
        let out = Command::new(BIN)
            .args([
                "--db",
                db.to_str().unwrap(),
                "--now",
                "2026-11-23T09:10",
                "demo",
                "--pupils",
                "60",
                "--seed",
                "7",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let export = Command::new(BIN)
            .args([
                "--db",
                db.to_str().unwrap(),
                "--now",
                "2026-11-23T09:10",
                "export",
                "marks",
                "--from",
                "2026-09-01",
                "--to",
                "2026-12-31",
            ])
            .output()
            .unwrap();
        String::from_utf8(export.stdout).unwrap()
    };
    let first = demo("one.redb");
    assert!(first.lines().count() > 5000, "a term of marks");
    assert_eq!(first, demo("two.redb"));
    let alerts = Command::new(BIN)
        .args([
            "--db",
            cli.dir.path().join("one.redb").to_str().unwrap(),
            "--now",
            "2026-11-23T09:10",
            "alerts",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let alerts = String::from_utf8(alerts.stdout).unwrap();
    assert!(alerts.contains("penalty_notice"), "{alerts}");
}

/// Writes marks through `rollcall mark-batch`, kills it with SIGKILL mid-stream, and checks that
/// every mark it reported saved is in the database afterwards.
#[test]
fn every_mark_reported_saved_survives_kill_9() {
    let cli = Cli::new();
    cli.school();
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", "2026-11-20T16:00", "mark-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Future sessions: the office pre-enters them, one durable commit per line.
    let feeder = std::thread::spawn(move || {
        for day in 23..=30 {
            for session in ["am", "pm"] {
                for pupil in 0..5 {
                    let line = format!("Oak,{session},2026-11-{day},{},M\n", upn(pupil));
                    if stdin.write_all(line.as_bytes()).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut saved = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while saved.len() < 25 {
        let line = lines.next().expect("the batch keeps saving").unwrap();
        assert!(line.starts_with("saved "), "{line}");
        saved.push(line);
    }
    // std's Child::kill sends SIGKILL on Unix: no chance to flush or clean up.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed mid-stream");
    // Lines the process wrote before dying but this test had not read yet count too.
    saved.extend(
        lines
            .map_while(Result::ok)
            .filter(|l| l.starts_with("saved ")),
    );
    feeder.join().unwrap();

    let export = cli.export();
    let stored: Vec<String> = export
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("saved {} {} {} {}", f[0], f[1].to_uppercase(), f[2], f[6])
        })
        .collect();
    for line in &saved {
        assert!(
            stored.contains(line),
            "reported `{line}` but it is not stored"
        );
    }
    assert!(stored.len() >= saved.len());
    assert!(
        stored.len() < 80,
        "killed before the end: {} stored",
        stored.len()
    );
}

#[test]
fn the_database_is_created_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    cli.school();
    let mode = std::fs::metadata(&cli.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let _ = Path::new(&cli.db);
}

/// `alerts act` from the command line: a threshold named wrongly is listed with the right
/// names, an alert that does not exist is refused, and an action shows in `alerts` after.
#[test]
fn alerts_act_records_what_was_done_and_alerts_show_it() {
    let cli = Cli::new();
    cli.school();
    let pupil = upn(0);
    let mut lines = String::new();
    for day in ["09", "10", "11", "12", "13"] {
        for session in ["am", "pm"] {
            lines.push_str(&format!(
                "Oak,{session},2026-11-{day},{pupil},O,,,from the call log\n"
            ));
        }
    }
    let batch = cli.file("week.csv", &lines);
    cli.ok("2026-11-13T16:00", &["mark-batch", batch.to_str().unwrap()]);
    let now = "2026-11-16T10:00";
    let act = |threshold| {
        [
            "alerts",
            "act",
            "--pupil",
            &pupil,
            "--threshold",
            threshold,
            "--note",
            "Letter sent home",
        ]
    };
    let stderr = cli.fails(now, &act("penalty"));
    assert!(
        stderr.contains("penalty_notice, continuous_unauthorised"),
        "{stderr}"
    );
    let stderr = cli.fails(now, &act("illness"));
    assert!(stderr.contains("has no illness alert"), "{stderr}");
    let said = cli.ok(now, &act("penalty_notice"));
    assert!(
        said.contains("marked as acted on: Letter sent home"),
        "{said}"
    );
    let json = cli.ok(now, &["alerts", "--format", "json"]);
    let alerts: serde_json::Value = serde_json::from_str(&json).unwrap();
    let penalty = alerts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "penalty_notice")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(penalty["acted"]["note"], "Letter sent home", "{json}");
}

/// Runs a command whose output is more than a pipe holds, reads its first 10 bytes and
/// closes the pipe, as `| head -c 10` does: the command must end quietly and successfully.
fn reader_leaves_after_ten_bytes(cli: &Cli, args: &[&str]) -> [u8; 10] {
    use std::io::Read;
    let mut child = std::process::Command::new(crate::common::cli::BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", "2026-11-23T12:00"])
        .args(args)
        .env("HOME", cli.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}: {:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    first
}

#[test]
fn a_reader_that_stops_early_ends_every_format_quietly() {
    let cli = Cli::new();
    cli.ok(
        "2026-11-23T12:00",
        &["demo", "--pupils", "1500", "--weeks", "2"],
    );
    let report = [
        "report",
        "--by",
        "pupil",
        "--from",
        "2026-11-09",
        "--to",
        "2026-11-23",
    ];
    for format in ["json", "csv", "table"] {
        // Each is well over the 64 KiB a pipe holds, so the writer meets the closed pipe.
        let whole = cli.ok(
            "2026-11-23T12:00",
            &[&report[..], &["--format", format]].concat(),
        );
        assert!(whole.len() > 100_000, "{format}: {} bytes", whole.len());
        let first =
            reader_leaves_after_ten_bytes(&cli, &[&report[..], &["--format", format]].concat());
        assert_eq!(&first[..], &whole.as_bytes()[..10], "{format}");
    }
    let first = reader_leaves_after_ten_bytes(
        &cli,
        &[
            "export",
            "marks",
            "--from",
            "2026-11-09",
            "--to",
            "2026-11-23",
        ],
    );
    assert!(first.starts_with(b"date,sessi"));
}

/// Issue 21, item 7: `--version` names the release, the commit and the database schema.
#[test]
fn version_names_the_release_the_commit_and_the_schema() {
    let out = std::process::Command::new(crate::common::cli::BIN)
        .arg("--version")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        said.starts_with(&format!("rollcall {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            ", database schema {})",
            rollcall::store::schema::SCHEMA_VERSION
        )),
        "{said}"
    );
    let commit = said
        .split("(commit ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{said}"
    );
}

/// Issue 21, item 4: the manual page and the completions come from the same definitions as
/// `--help`, name every command, and need no database.
#[test]
fn the_manual_and_completions_name_every_command_without_a_database() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(crate::common::cli::BIN)
            .args(args)
            .env("HOME", home.path())
            .env_remove("ROLLCALL_SOCKET")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let man = run(&["man"]);
    assert!(
        man.contains(".TH rollcall 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    let help = run(&["--help"]);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line, not the wrapped rest of the one before.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 10, "{help}");
    for shell in ["bash", "zsh", "fish"] {
        let completions = run(&["completions", shell]);
        for command in &commands {
            assert!(
                completions.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    for command in &commands {
        // roff writes a hyphen as `\-`.
        assert!(
            man.contains(&command.replace('-', "\\-")),
            "the manual lacks {command}"
        );
    }
    assert!(!home.path().join(".local").exists(), "no database was made");
}

/// Issue 21, item 9: `--help` fits the terminal it is shown in, and names the environment
/// variables that stand for options.
#[test]
fn help_fits_the_terminal_and_names_the_environment() {
    // 80 and up: at 60, mark-batch's one-word CSV format runs past the edge.
    for columns in [80usize, 100, 132] {
        for args in [
            vec!["--help"],
            vec!["serve", "--help"],
            vec!["backup", "--help"],
        ] {
            let out = std::process::Command::new(crate::common::cli::BIN)
                .args(&args)
                .env("COLUMNS", columns.to_string())
                .output()
                .unwrap();
            let help = String::from_utf8_lossy(&out.stdout);
            let widest = help.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(
                widest <= columns,
                "{args:?} at {columns}: a line of {widest}\n{help}"
            );
            if args == ["--help"] {
                assert!(help.contains("ROLLCALL_SOCKET"), "{help}");
                assert!(help.contains("ROLLCALL_SERVER_ACCOUNT"), "{help}");
            }
        }
    }
}

/// Issue 21, item 9: the national codes need no database; the app without a terminal (`ssh`
/// without `-t`, a pipe) or on `TERM=dumb` says what to do instead of failing obscurely, and
/// makes nothing.
#[test]
fn codes_need_no_database_and_the_app_says_what_a_terminal_lacks() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], term: &str| {
        std::process::Command::new(crate::common::cli::BIN)
            .args(args)
            .env("HOME", home.path())
            .env("TERM", term)
            .env_remove("ROLLCALL_SOCKET")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["codes"], "xterm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Present at the start of the AM register")
    );
    let out = run(&["--demo"], "xterm");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`ssh -t`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--demo"], "dumb");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TERM=dumb"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!home.path().join(".local").exists(), "nothing was made");
}

/// Issue 21, item 9: the machine's client configuration names the server and its account for
/// every member of staff, who then gives no flags; a field misspelt there is named.
#[test]
fn the_machines_client_configuration_finds_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let me = rollcall::service::os_account();
    let db = crate::common::school_database(dir.path(), &me);
    let socket = dir.path().join("elsewhere.sock");
    let _server = crate::common::ServerProcess::start(&db, &socket, "2026-11-23T09:00", None);
    let config = dir.path().join("client.toml");
    std::fs::write(
        &config,
        format!(
            "socket = \"{}\"\nserver_account = \"{me}\"\n",
            socket.display()
        ),
    )
    .unwrap();
    let run = || {
        std::process::Command::new(crate::common::cli::BIN)
            .arg("alerts")
            .env("HOME", dir.path())
            .env("ROLLCALL_CLIENT_CONFIG", &config)
            .env_remove("ROLLCALL_SOCKET")
            .env_remove("ROLLCALL_SERVER_ACCOUNT")
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The demo is the demo's own database, never the school's server.
    let out = std::process::Command::new(crate::common::cli::BIN)
        .args(["--demo", "alerts"])
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("ROLLCALL_CLIENT_CONFIG", &config)
        .env_remove("ROLLCALL_SOCKET")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("demo.redb"),
        "{said}"
    );
    std::fs::write(&config, "sockett = \"/run/x.sock\"\n").unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("client.toml") && said.contains("sockett"),
        "{said}"
    );
}

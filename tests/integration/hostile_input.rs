//! Input as an attacker or a careless user gives it, at every door: dates no register can be
//! about, reversed ranges, configurations a school could not mean, CSV as spreadsheets save
//! it, names that would drive a terminal, exports that cross the socket in pages. Each case
//! failed before its fix (the damaged-file ones are in `damaged`).

use crate::common::cli::{BIN, Cli, history_args, oak_am_mark};
use crate::common::*;
use crate::server::{invalid_reply, me};
use rollcall::service::wire::write_frame;
use std::os::unix::net::UnixStream;
use std::process::Command;

const NOW: &str = "2026-11-23T10:00";

/// Finding 13: Dates no register can be about are refused where they are read, never computed with.
#[test]
fn dates_outside_1990_to_2100_are_refused_everywhere_without_a_panic() {
    let cli = Cli::new();
    cli.school();
    let pupils = cli.file("more.csv", PUPILS_CSV);
    for args in [
        vec![
            "import",
            "pupils",
            pupils.to_str().unwrap(),
            "--from=-262143-01-01",
        ],
        vec!["alerts", "--on=-262143-01-01"],
        vec!["alerts", "--on=0000-01-01"],
        vec!["export", "marks", "--from=0000-01-01", "--to", "2026-12-01"],
        vec![
            "close",
            "--group",
            "Oak",
            "--session",
            "am",
            "--date",
            "26-11-23",
        ],
    ] {
        let stderr = cli.fails(NOW, &args);
        assert!(
            stderr.contains("four digits") || stderr.contains("1990 to 2100"),
            "{args:?}: {stderr}"
        );
    }
    // The app with such a clock: refused before a terminal is touched.
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", "-262143-01-01T09:00"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Finding 13: The same dates sent raw through the socket get a refusal, and the connection lives.
#[test]
fn a_raw_request_with_an_impossible_date_is_refused_and_the_connection_lives() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), NOW, None);
    let mut raw = UnixStream::connect(&server.socket).unwrap();
    write_frame(
        &mut raw,
        &serde_json::json!({"id": 1, "request": {"request": "alerts", "on": "-262143-01-01"}}),
    )
    .unwrap();
    let why = invalid_reply(&mut raw);
    assert!(why.contains("1990 to 2100"), "{why}");
    write_frame(
        &mut raw,
        &serde_json::json!({"id": 2, "request": {"request": "n_queue", "on": null}}),
    )
    .unwrap();
    assert!(matches!(
        crate::server::read_reply(&mut raw),
        rollcall::service::wire::ServerMessage::Reply {
            id: 2,
            result: Ok(_)
        }
    ));
}

/// Finding 14: A reversed range and a plan for nobody are errors, not empty successes.
#[test]
fn reversed_ranges_and_plans_for_an_unknown_pupil_are_errors() {
    let cli = Cli::new();
    cli.school();
    for args in [
        vec![
            "export",
            "marks",
            "--from",
            "2026-12-01",
            "--to",
            "2026-09-01",
        ],
        vec![
            "report",
            "--from",
            "2026-12-01",
            "--to",
            "2026-09-01",
            "--by",
            "school",
        ],
    ] {
        let stderr = cli.fails(NOW, &args);
        assert!(stderr.contains("before it starts"), "{args:?}: {stderr}");
    }
    let stderr = cli.fails(
        NOW,
        &[
            "plan",
            "--pupil",
            "A999999999999",
            "--from",
            "2026-11-30",
            "--to",
            "2026-12-01",
            "--code",
            "M",
        ],
    );
    assert!(
        stderr.contains("no pupil with UPN A999999999999"),
        "{stderr}"
    );
}

/// Finding 4: A new calendar that would turn marked days into holidays is refused, naming them.
#[test]
fn a_configuration_that_strands_marks_is_refused_listing_them() {
    let cli = Cli::new();
    cli.school();
    for upn in ["A100000000016", "A100000000126"] {
        cli.ok("2026-10-19T08:50", &oak_am_mark(upn, "/"));
    }
    // Half term moved a week earlier, over Monday 19 October's marks.
    let moved = EXAMPLE.replace(
        "half_terms = [{ start = \"2026-10-26\", end = \"2026-10-30\" }]",
        "half_terms = [{ start = \"2026-10-19\", end = \"2026-10-30\" }]",
    );
    assert_ne!(moved, EXAMPLE);
    let config = cli.file("moved.toml", &moved);
    let stderr = cli.fails(NOW, &["init", "--school", config.to_str().unwrap()]);
    assert!(stderr.contains("2 marks are on sessions"), "{stderr}");
    assert!(stderr.contains("2026-10-19 AM: 2"), "{stderr}");
    assert!(stderr.contains("Nothing was changed"), "{stderr}");
    // The configuration in force is the old one: the 19th is still a school day.
    let report = cli.ok(
        NOW,
        &[
            "report",
            "--from",
            "2026-10-19",
            "--to",
            "2026-10-19",
            "--by",
            "school",
            "--format",
            "csv",
        ],
    );
    assert!(report.lines().nth(1).unwrap().contains(",2,2,"), "{report}");
}

/// Finding 17: Configurations a school could not mean.
#[test]
fn configurations_a_school_could_not_mean_are_refused_naming_the_field() {
    let cli = Cli::new();
    let no_groups = &EXAMPLE[..EXAMPLE.find("[[groups]]").unwrap()];
    let two_closures = EXAMPLE.replace(
        "[[closures]]",
        "[[closures]]\ndate = \"2026-11-27\"\nreason = \"Twice\"\n\n[[closures]]",
    );
    let mut many = no_groups.to_string();
    for g in 0..100_000 {
        many.push_str(&format!("[[groups]]\nname = \"G{g}\"\n"));
    }
    for (source, says) in [
        (no_groups.to_string(), "no [[groups]]"),
        (
            EXAMPLE.replace("date = \"2026-11-27\"", "date = \"2026-10-27\""),
            "half term",
        ),
        (
            EXAMPLE.replace("date = \"2026-11-27\"", "date = \"2026-11-28\""),
            "Saturday, not one of the school's weekdays",
        ),
        (two_closures, "closed twice"),
        (many, "at most 1000 registration groups"),
    ] {
        let config = cli.file("school.toml", &source);
        let stderr = cli.fails(NOW, &["init", "--school", config.to_str().unwrap()]);
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(!cli.db.exists(), "nothing saved");
    }
}

fn mark_batch(cli: &Cli, input: &[u8]) -> std::process::Output {
    let path = cli.dir.path().join("batch.csv");
    std::fs::write(&path, input).unwrap();
    Command::new(BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", "2026-11-23T09:20", "mark-batch"])
        .arg(&path)
        .output()
        .unwrap()
}

/// Finding 5: mark-batch reads CSV as CSV: quoted commas, a byte-order mark, and every bad line named
/// with a summary at the end, the good lines saved around it.
#[test]
fn mark_batch_reads_quoted_fields_and_a_bom_and_names_each_bad_line() {
    let cli = Cli::new();
    cli.school();
    let input = format!(
        "\u{feff}Oak,am,,{a},/\n\
         Ash,am,,{b},B,,\"Forest school, Epping\"\n\
         Oak,am,,{c},Q9\n\
         \n\
         Oak,am,,{d},N\n",
        a = upn(0),
        b = upn(5),
        c = upn(2),
        d = upn(3)
    );
    let out = mark_batch(&cli, input.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("batch.csv: line 3: `Q9` is not an attendance code"),
        "{stderr}"
    );
    assert!(stderr.contains("3 saved, 1 not saved (line 3)"), "{stderr}");
    let export = cli.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    );
    assert_eq!(export.lines().count(), 4, "{export}");
    let history = cli.ok(NOW, &history_args(&upn(5), "2026-11-23", "am"));
    assert!(
        history.contains("B \u{2014} Forest school, Epping"),
        "{history}"
    );
}

/// Finding 7: Names that would drive the terminal are refused on import, naming row and column.
#[test]
fn names_with_control_characters_are_refused_on_import() {
    let cli = Cli::new();
    cli.school();
    for (surname, code) in [
        ("Adams\u{1b}]0;pwned\u{7}", "U+001B"),
        ("\u{202e}smadA", "U+202E"),
        ("Ad\u{200b}ams", "U+200B"),
    ] {
        let csv = format!(
            "upn,surname,forename,dob,year,group\n{},{surname},Alice,2019-01-10,2,Oak\n",
            upn(20)
        );
        let file = cli.file("evil.csv", &csv);
        let stderr = cli.fails(NOW, &["import", "pupils", file.to_str().unwrap()]);
        assert!(stderr.contains("row 2, column surname"), "{stderr}");
        assert!(stderr.contains(code), "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "the error itself is printable");
    }
}

/// Finding 7: Every output path neutralises what an older database may hold: a table, a history.
#[test]
fn names_already_stored_cannot_drive_the_terminal_through_any_output() {
    let cli = Cli::new();
    cli.school();
    cli.ok("2026-11-23T08:50", &oak_am_mark(&upn(0), "/"));
    {
        // A name that got in before names were checked.
        let store =
            rollcall::store::Store::open(&cli.db, rollcall::store::Access::ReadWrite).unwrap();
        let mut pupil = store.read().unwrap().pupil(&upn(0)).unwrap().unwrap();
        pupil.surname = "Adams\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}".into();
        store.write(|w| w.put_pupil(&pupil)).unwrap();
    }
    for args in [
        vec![
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "pupil",
        ],
        vec![
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "pupil",
            "--format",
            "csv",
        ],
        vec![
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "pupil",
            "--format",
            "json",
        ],
        vec![
            "history",
            "--pupil",
            &upn(0),
            "--date",
            "2026-11-23",
            "--session",
            "am",
        ],
        vec![
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    ] {
        let out = cli.run(NOW, &args);
        assert!(out.status.success(), "{args:?}");
        for byte in [0x1b, 0x07] {
            assert!(
                !out.stdout.contains(&byte),
                "{args:?}: byte {byte:#x} reached the terminal"
            );
        }
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{202e}'), "{args:?}");
        // JSON escapes control characters itself (`\u001b`): printable either way.
        assert!(
            text.contains("Adams\u{fffd}") || text.contains("Adams\\u001b"),
            "{args:?}: {text}"
        );
    }
}

/// Finding 15: Files as spreadsheets and editors save them: Excel's "CSV" (Windows-1252) and
/// "Unicode text" are read correctly and say so; a configuration that is not UTF-8 names its
/// line and the encoding it looks like.
#[test]
fn pupil_lists_in_excel_encodings_are_read_and_a_latin1_configuration_is_explained() {
    let cli = Cli::new();
    cli.school();
    let csv = format!(
        "upn,surname,forename,dob,year,group\n{},M\u{fc}ller,Zo\u{eb},2019-01-10,2,Oak\n",
        upn(20)
    );
    let latin1: Vec<u8> = csv.chars().map(|c| c as u32 as u8).collect();
    let file = cli.dir.path().join("excel.csv");
    std::fs::write(&file, &latin1).unwrap();
    let out = cli.run(NOW, &["import", "pupils", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("read as Windows-1252"), "{stderr}");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            csv.replace(&upn(20), &upn(21))
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(&file, &utf16).unwrap();
    let out = cli.run(NOW, &["import", "pupils", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let history = cli.ok(NOW, &history_args(&upn(21), "2026-11-23", "am"));
    assert!(history.starts_with("M\u{fc}ller, Zo\u{eb}"), "{history}");

    let toml: Vec<u8> = EXAMPLE
        .replace("Banks Lane", "Zo\u{eb}'s Lane")
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    let config = cli.dir.path().join("latin1.toml");
    std::fs::write(&config, toml).unwrap();
    let stderr = cli.fails(NOW, &["init", "--school", config.to_str().unwrap()]);
    assert!(
        stderr.contains("latin1.toml: line 7 is not UTF-8 (byte 0xEB"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Windows-1252") && stderr.contains("save it as UTF-8"),
        "{stderr}"
    );
}

/// Finding 16: Rows as a spreadsheet numbers them, blank lines and all; a mistyped UPN is caught by
/// its check letter.
#[test]
fn rows_are_numbered_as_the_file_is_and_a_wrong_check_letter_is_refused() {
    let cli = Cli::new();
    cli.school();
    let wrong = format!("B{}", &upn(20)[1..]);
    let csv = format!(
        "upn,surname,forename,dob,year,group\n\n{},Ahmed,Sara,2019-01-10,2,Oak\n\n\n{wrong},Bell,Tom,2019-01-10,2,Oak\n",
        upn(21)
    );
    let file = cli.file("gaps.csv", &csv);
    let stderr = cli.fails(NOW, &["import", "pupils", file.to_str().unwrap()]);
    assert!(stderr.contains("row 6, column upn"), "{stderr}");
    assert!(stderr.contains("the check letter should be A"), "{stderr}");
}

/// Finding 18: an export crosses the socket a page at a time, so its size has no limit: the
/// pages, gathered, are exactly the whole, in order, and the command line streams them.
#[test]
fn exports_cross_the_socket_in_pages_that_add_up_to_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), "2026-11-20T15:00", None);
    let mut client = server.client();
    let days = ["2026-11-23", "2026-11-24", "2026-11-25"];
    let marks: Vec<_> = days
        .iter()
        .flat_map(|day| {
            (0..5).map(move |p| {
                let mut m = mark("Oak", day, "am", &upn(p), "M");
                m.expect = rollcall::service::protocol::Expect::Blank;
                m
            })
        })
        .collect();
    client.mark_many(marks).unwrap();
    let whole = client
        .export(d("2026-11-23"), d("2026-11-25"), None)
        .unwrap();
    assert_eq!(whole.len(), 15);
    let mut pages = Vec::new();
    client
        .export_pages(d("2026-11-23"), d("2026-11-25"), None, Some(4), |rows| {
            assert!(rows.len() <= 4);
            pages.push(rows);
            Ok(())
        })
        .unwrap();
    assert_eq!(pages.len(), 4, "15 rows in pages of 4");
    let gathered: Vec<_> = pages.into_iter().flatten().collect();
    let key = |r: &rollcall::service::protocol::ExportRow| (r.date, r.session, r.upn.clone());
    assert_eq!(
        gathered.iter().map(key).collect::<Vec<_>>(),
        whole.iter().map(key).collect::<Vec<_>>()
    );
    let out = Command::new(BIN)
        .arg("--socket")
        .arg(&server.socket)
        .args([
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-25",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 16);
}

//! Marks from another system: export → import is a round trip with identical reports;
//! withdrawn codes are read for the dates they were in use and counted as they were; every
//! bad row is named and nothing is saved; `--dry-run` saves nothing.

use crate::common::cli::Cli;

const NOW: &str = "2026-11-27T16:00";

fn school() -> Cli {
    let cli = Cli::new();
    cli.school();
    cli
}

/// The example school, its pupils on roll since September 2022: their old registers are of
/// their time here.
fn school_with_history() -> Cli {
    let cli = Cli::new();
    cli.school_since("2022-09-01");
    cli
}

/// Each pupil's sex, which a transfer file must carry: the pupil list again, with it.
pub(crate) fn give_sexes(cli: &Cli) {
    let sexes = ["F", "M", "F", "M", "F", "M", "M", "F"];
    let mut lines = crate::common::PUPILS_CSV.lines();
    let mut csv = format!("{},sex\n", lines.next().unwrap());
    for (line, sex) in lines.zip(sexes) {
        csv.push_str(&format!("{line},{sex}\n"));
    }
    let file = cli.file("with-sex.csv", &csv);
    cli.ok(
        "2026-09-01T08:00",
        &[
            "import",
            "pupils",
            file.to_str().unwrap(),
            "--from",
            "2026-09-01",
        ],
    );
}

/// Another school, with its own LA and establishment numbers (357/4001): where pupils go.
pub(crate) fn receiving_school() -> Cli {
    let cli = Cli::new();
    let config = cli.file(
        "school.toml",
        &crate::common::EXAMPLE
            .replace("la = \"356\"", "la = \"357\"")
            .replace("estab = \"2003\"", "estab = \"4001\"")
            .replace(
                "name = \"Banks Lane Infant and Nursery School\"",
                "name = \"Hillside Primary\"",
            ),
    );
    cli.ok(
        "2026-09-01T08:00",
        &["init", "--school", config.to_str().unwrap()],
    );
    let me = rollcall::service::os_account();
    cli.ok(
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
    cli
}

fn report(cli: &Cli, from: &str, to: &str, by: &str) -> serde_json::Value {
    let out = cli.ok(
        NOW,
        &[
            "report", "--from", from, "--to", to, "--by", by, "--format", "json",
        ],
    );
    serde_json::from_str(&out).unwrap()
}

#[test]
fn export_then_import_into_a_new_school_gives_identical_reports() {
    let old = school();
    let batch = old.file(
        "week.csv",
        "Oak,am,2026-11-16,A100000000016,/\nOak,pm,2026-11-16,A100000000016,\\\n\
         Oak,am,2026-11-16,A100000000126,L,09:17\nOak,pm,2026-11-16,A100000000126,\\\n\
         Oak,am,2026-11-17,A100000000207,C1,,regional swimming gala\n\
         Oak,am,2026-11-17,A100000000317,U,09:45\nOak,am,2026-11-18,A100000000400,I\n\
         Ash,am,2026-11-16,A100000000508,O\nAsh,pm,2026-11-16,A100000000508,O\n\
         Ash,am,2026-11-19,A100000000618,M,,orthodontist\n",
    );
    old.ok(
        NOW,
        &[
            "mark-batch",
            batch.to_str().unwrap(),
            "--reason",
            "paper register",
        ],
    );
    let export = old.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-27",
        ],
    );
    let new = school();
    let file = new.file("from-old.csv", &export);
    let dry = new.ok(
        NOW,
        &["import", "marks", file.to_str().unwrap(), "--dry-run"],
    );
    assert!(
        dry.starts_with("dry run, nothing saved: 10 rows: 10 new, 0 replacing"),
        "{dry}"
    );
    let empty = new.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-27",
        ],
    );
    assert_eq!(empty.lines().count(), 1, "a dry run saves nothing: {empty}");
    let done = new.ok(NOW, &["import", "marks", file.to_str().unwrap()]);
    assert!(
        done.starts_with(
            "10 rows: 10 new, 0 replacing another mark, 0 already so, 2026-11-16 to 2026-11-19"
        ),
        "{done}"
    );
    for by in ["pupil", "group", "year", "school"] {
        assert_eq!(
            report(&old, "2026-09-01", "2026-11-27", by),
            report(&new, "2026-09-01", "2026-11-27", by),
            "by {by}"
        );
    }
    // The same file again changes nothing; the marks and their arrival times came across.
    let again = new.ok(NOW, &["import", "marks", file.to_str().unwrap()]);
    assert!(
        again.contains("0 new, 0 replacing another mark, 10 already so"),
        "{again}"
    );
    let back = new.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-27",
        ],
    );
    let fields = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                f[..9].join(",")
            })
            .collect()
    };
    assert_eq!(fields(&back), fields(&export));
}

#[test]
fn holidays_marked_h_in_old_registers_count_as_the_old_system_counted_them() {
    let cli = school_with_history();
    // Alice's fortnight in May 2023 as the old system exported it: 4 sessions of agreed
    // holiday (H, authorised then), 1 interview (J, counted as attendance then), 15 present.
    let mut csv = String::from("upn,date,session,code,group\n");
    let days = [
        "2023-05-08",
        "2023-05-09",
        "2023-05-10",
        "2023-05-11",
        "2023-05-12",
        "2023-05-15",
        "2023-05-16",
        "2023-05-17",
        "2023-05-18",
        "2023-05-19",
    ];
    for (i, day) in days.iter().enumerate() {
        for session in ["am", "pm"] {
            let code = match (i, session) {
                (0 | 1, _) => "H",
                (2, "am") => "J",
                (_, "am") => "/",
                _ => "\\",
            };
            csv.push_str(&format!("A100000000016,{day},{session},{code},Oak\n"));
        }
    }
    let file = cli.file("may-2023.csv", &csv);
    cli.ok(NOW, &["import", "marks", file.to_str().unwrap()]);
    let rows = report(&cli, "2023-05-01", "2023-05-31", "pupil");
    let alice = &rows[0];
    // The old system's totals: 20 possible, 4 authorised, 16 attended (J included): 80%.
    assert_eq!(alice["possible"], 20, "{alice}");
    assert_eq!(alice["authorised"], 4, "{alice}");
    assert_eq!(alice["aea"], 1, "{alice}");
    assert_eq!(alice["attendance_pct"], 80.0, "{alice}");
    assert_eq!(alice["by_code"]["H"], 4, "{alice}");
    // Each mark says it was imported: by whom, when, from which file.
    let history = cli.ok(
        NOW,
        &[
            "history",
            "--pupil",
            "A100000000016",
            "--date",
            "2023-05-08",
            "--session",
            "am",
        ],
    );
    assert!(history.contains("now: H"), "{history}");
    assert!(history.contains("imported by "), "{history}");
    // Each mark's history names its own file (issue 18, item 6).
    assert!(
        history.contains("at 2026-11-27 16:00: imported from ") && history.contains("may-2023.csv"),
        "{history}"
    );
}

#[test]
fn every_bad_row_is_named_and_nothing_is_saved() {
    let cli = school();
    let file = cli.file(
        "bad.csv",
        "date,session,upn,code,group\n\
         2026-11-16,am,A100000000016,/,Oak\n\
         2024-09-02,am,A100000000016,H,Oak\n\
         2026-11-16,noon,A100000000126,/,Oak\n\
         2026-11-31,am,A100000000126,/,Oak\n\
         2026-11-16,am,A100000000207,Q9,Oak\n\
         2026-11-16,am,A100000000016,N,Oak\n\
         2021-01-11,am,A100000000317,X02,Oak\n\
         2026-11-16,am,A999999999999,/,Oak\n",
    );
    let err = cli.fails(NOW, &["import", "marks", file.to_str().unwrap()]);
    for expected in [
        "row 3, column code: `H` was withdrawn on 19 August 2024",
        "read only for marks dated before then, and this one is dated 2024-09-02",
        "row 4, column session: `noon` is not a session",
        "row 5, column date: `2026-11-31` is not a date",
        "row 6, column code: `Q9` is not an attendance code",
        "row 7, column date: A100000000016 2026-11-16 AM appears again (first on row 2)",
        "row 9, column upn:",
        "6 problems found; nothing was imported",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(
        !err.contains("row 8"),
        "X02 in January 2021 is read as X: {err}"
    );
    let export = cli.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2020-01-01",
            "--to",
            "2026-11-27",
        ],
    );
    assert_eq!(export.lines().count(), 1, "nothing saved: {export}");
    // A pupil the school does not have, and a header without the columns it needs.
    let unknown = cli.file(
        "unknown.csv",
        "date,session,upn,code\n2026-11-16,am,A100000000809,/\n",
    );
    let err = cli.fails(NOW, &["import", "marks", unknown.to_str().unwrap()]);
    assert!(
        err.contains("row 2, column upn: no pupil with UPN A100000000809"),
        "{err}"
    );
    let headless = cli.file(
        "headless.csv",
        "when,who,what\n2026-11-16,A100000000016,/\n",
    );
    let err = cli.fails(NOW, &["import", "marks", headless.to_str().unwrap()]);
    assert!(
        err.contains("row 1: the header has no date, session, upn, code column"),
        "{err}"
    );
}

#[test]
fn a_pupil_file_is_previewed_pupil_by_pupil_before_anything_is_saved() {
    let cli = school();
    // Cara moves to Ash, Ben's surname is corrected, a new pupil joins, Hana is not in the
    // file (a leaver, with --end-missing).
    let csv = crate::common::PUPILS_CSV
        .replace("A100000000126,Brown,Ben", "A100000000126,Browne,Ben")
        .replace("Cole,Cara,2019-03-12,2,Oak", "Cole,Cara,2019-03-12,2,Ash")
        .replace("A100000000701,Hill,Hana,2018-08-17,3,Ash\n", "")
        + "A100000000809,Ivy,Iris,2019-05-01,2,Oak\n";
    let file = cli.file("autumn2.csv", &csv);
    let preview = cli.ok(
        NOW,
        &[
            "import",
            "pupils",
            file.to_str().unwrap(),
            "--from",
            "2026-11-30",
            "--end-missing",
            "--dry-run",
        ],
    );
    for line in [
        "dry run, nothing saved; the file would change:",
        "  details: Browne, Ben (A100000000126): surname Brown to Browne",
        "  moves: Cole, Cara (A100000000207): Oak to Ash from 2026-11-30",
        "  new: Ivy, Iris (A100000000809), Oak",
        "  leaves: Hill, Hana (A100000000701), Ash",
        "would import from 2026-11-30: 1 added, 1 updated, 1 moved group, 5 unchanged",
        "1 pupils not in the file would leave their group the day before",
    ] {
        assert!(preview.contains(line), "{line}\n{preview}");
    }
    // Nothing was saved: the same preview again, and Ben is still Brown.
    let again = cli.ok(
        NOW,
        &[
            "import",
            "pupils",
            file.to_str().unwrap(),
            "--from",
            "2026-11-30",
            "--end-missing",
            "--dry-run",
        ],
    );
    assert_eq!(again, preview);
    let done = cli.ok(
        NOW,
        &[
            "import",
            "pupils",
            file.to_str().unwrap(),
            "--from",
            "2026-11-30",
            "--end-missing",
        ],
    );
    assert!(
        done.starts_with("imported from 2026-11-30: 1 added, 1 updated, 1 moved group"),
        "{done}"
    );
}

#[test]
fn the_census_file_has_a_column_per_absence_reason() {
    let cli = school();
    let batch = cli.file(
        "b.csv",
        "Oak,am,2026-11-16,A100000000016,I\nOak,pm,2026-11-16,A100000000016,I\n\
         Oak,am,2026-11-16,A100000000126,/\nOak,am,2026-11-17,A100000000126,G\n",
    );
    cli.ok(
        NOW,
        &["mark-batch", batch.to_str().unwrap(), "--reason", "paper"],
    );
    let census = cli.ok(
        NOW,
        &[
            "export",
            "census",
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-20",
        ],
    );
    let mut lines = census.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..8],
        [
            "upn",
            "surname",
            "forename",
            "dob",
            "year",
            "possible",
            "authorised",
            "unauthorised"
        ]
    );
    assert!(
        header.contains(&"absent_I") && header.contains(&"absent_G"),
        "{census}"
    );
    assert!(
        !header.contains(&"absent_H"),
        "withdrawn codes only when present: {census}"
    );
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let alice: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(alice[0], "A100000000016");
    assert_eq!((alice[col("possible")], alice[col("absent_I")]), ("2", "2"));
    let ben: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!((ben[col("unauthorised")], ben[col("absent_G")]), ("1", "1"));
}

#[test]
fn a_pupil_list_may_say_each_pupils_sex_and_a_later_list_without_it_keeps_it() {
    use crate::common::*;
    use rollcall::domain::people::Sex;
    let school = TestSchool::new("2026-11-23T09:00");
    let mut head = school.client("head");
    let with_sex = PUPILS_CSV
        .replace(
            "upn,surname,forename,dob,year,group\n",
            "upn,surname,forename,dob,year,group,sex\n",
        )
        .replace(",2,Oak\n", ",2,Oak,F\n")
        .replace(",3,Ash\n", ",3,Ash,m\n");
    head.import_pupils(
        "sex.csv".into(),
        with_sex.clone(),
        Some(d("2026-09-01")),
        false,
    )
    .unwrap();
    let sex = |upn: &str| {
        school
            .engine
            .store()
            .read()
            .unwrap()
            .pupil(upn)
            .unwrap()
            .unwrap()
            .sex
    };
    assert_eq!(sex("A100000000016"), Some(Sex::F));
    assert_eq!(sex("A100000000508"), Some(Sex::M));
    // The six-column list again: nothing changes, the sex stays.
    let s = head
        .import_pupils(
            "plain.csv".into(),
            PUPILS_CSV.into(),
            Some(d("2026-09-01")),
            false,
        )
        .unwrap();
    assert_eq!(s.updated, 0);
    assert_eq!(sex("A100000000016"), Some(Sex::F));
    // A value that is not M or F is named by row and column, and nothing is saved.
    let bad = with_sex.replacen(",2,Oak,F\n", ",2,Oak,X\n", 1);
    let err = head
        .import_pupils("bad.csv".into(), bad, Some(d("2026-09-01")), false)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("bad.csv: row 2, column sex: `X` is not a sex"),
        "{err}"
    );
}

#[test]
fn the_daily_feed_has_a_row_per_pupil_date_and_session_and_resends_what_changed() {
    let cli = school();
    let batch = cli.file(
        "b.csv",
        "Oak,am,2026-11-23,A100000000016,/\nOak,am,2026-11-23,A100000000126,L,09:17\n\
         Oak,am,2026-11-23,A100000000207,N\n",
    );
    cli.ok("2026-11-23T09:20", &["mark-batch", batch.to_str().unwrap()]);
    let feed = cli.ok(
        "2026-11-23T12:00",
        &[
            "export",
            "feed",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    );
    let lines: Vec<&str> = feed.lines().collect();
    assert_eq!(
        lines[0],
        "urn,la,upn,surname,forename,dob,sex,year,admission_date,leaving_date,date,session,code,minutes_late"
    );
    assert_eq!(lines.len(), 4, "{feed}");
    assert!(
        lines[2].ends_with(",A100000000126,Brown,Ben,2019-02-11,,2,2026-09-01,,2026-11-23,AM,L,12"),
        "{feed}"
    );
    // Cara's N becomes I at 11:00: asked for what changed since 10:00, only her row comes.
    cli.ok(
        "2026-11-23T11:00",
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--pupil",
            "A100000000207",
            "--code",
            "I",
            "--reason",
            "mum rang",
        ],
    );
    let changed = cli.ok(
        "2026-11-23T12:00",
        &[
            "export",
            "feed",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--changed-since",
            "2026-11-23T10:00",
        ],
    );
    let rows: Vec<&str> = changed.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{changed}");
    assert!(
        rows[0].contains(",A100000000207,Cole,Cara,") && rows[0].contains(",AM,I,"),
        "{changed}"
    );
}

/// A school with its configuration and this account as admin, but no pupils yet.
fn empty_school() -> Cli {
    let cli = Cli::new();
    let config = cli.file("school.toml", crate::common::EXAMPLE);
    cli.ok(
        "2026-09-01T08:00",
        &["init", "--school", config.to_str().unwrap()],
    );
    let me = rollcall::service::os_account();
    cli.ok(
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
    cli
}

/// (date, session, upn, code) of every mark, in order.
fn marks_of(cli: &Cli) -> Vec<String> {
    cli.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2020-01-01",
            "--to",
            "2026-12-31",
        ],
    )
    .lines()
    .skip(1)
    .map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        format!("{} {} {} {}", f[0], f[1], f[2], f[6])
    })
    .collect()
}

#[test]
fn a_common_transfer_file_moves_every_pupil_and_every_mark() {
    let old = school_with_history();
    give_sexes(&old);
    // Last year (H then current), and this term with two-character codes.
    let history = old.file(
        "history.csv",
        "date,session,upn,code,group\n\
         2024-05-13,am,A100000000016,H,Oak\n2024-05-13,pm,A100000000016,H,Oak\n\
         2024-05-14,am,A100000000016,/,Oak\n2024-05-14,pm,A100000000016,\\,Oak\n\
         2026-11-16,am,A100000000016,C2,Oak\n2026-11-16,pm,A100000000016,Y1,Oak\n\
         2026-11-16,am,A100000000126,L,Oak\n2026-11-17,pm,A100000000126,J1,Oak\n\
         2026-11-18,am,A100000000207,#,Oak\n2026-11-19,am,A100000000317,N,Oak\n",
    );
    old.ok(NOW, &["import", "marks", history.to_str().unwrap()]);
    let xml_path = old.dir.path().join("oak.xml");
    let said = old.ok(
        NOW,
        &[
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
            "--out",
            xml_path.to_str().unwrap(),
        ],
    );
    assert!(said.ends_with("oak.xml: 5 pupils, 10 marks\n"), "{said}");
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    for element in [
        "<DocumentName>Common Transfer File</DocumentName>",
        "<SupplierID>rollcall</SupplierID>",
        "<SourceSchool>",
        "<DestSchool>\n      <LEA>357</LEA>\n      <Estab>4001</Estab>",
        "<UPN>A100000000016</UPN>",
        "<Year>2023</Year>",
        "<AttendanceStartDate>2024-05-13</AttendanceStartDate>",
        "<AttendanceMarks>HH/\\</AttendanceMarks>",
        "<AttendanceMarks>24</AttendanceMarks>",
    ] {
        assert!(xml.contains(element), "{element}\n{xml}");
    }
    // Into another school that has never heard of these pupils: they are its pupils now;
    // their attendance is the old school's, kept apart and in none of the new one's figures.
    let new = receiving_school();
    let file = new.file("oak.xml", &xml);
    let dry = new.ok(NOW, &["import", "ctf", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(
        dry,
        "dry run, nothing saved: 5 pupils added, 0 already known; 0 marks added, 0 already so\n\
         10 marks recorded at other schools: kept apart, in none of this school's figures\n"
    );
    new.ok(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        marks_of(&new).is_empty(),
        "none is the new school's own mark"
    );
    for (from, to) in [("2023-09-01", "2024-08-31"), ("2026-09-01", "2026-11-27")] {
        let rows = report(&new, from, to, "pupil");
        assert!(
            rows.as_array().unwrap().iter().all(|r| r["possible"] == 0),
            "{from} to {to}: {rows}"
        );
    }
    // The pupil's year shows them apart.
    let year = new.ok(NOW, &["pupil", "--pupil", "A100000000126"]);
    assert!(
        year.contains(
            "at another school: Banks Lane Infant and Nursery School (356/2003), 16 Nov to 17 Nov: 2 possible, 50.0% attended"
        ),
        "{year}"
    );
    // Again: nothing new, nothing overwritten.
    let again = new.ok(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        again.contains("0 pupils added, 5 already known; 0 marks added, 10 already so"),
        "{again}"
    );
    // Sent on, every year goes under the school that recorded it, exactly as it came.
    let mut args = vec!["export", "ctf", "--dest-la", "356", "--dest-estab", "2003"];
    let upns = [
        "A100000000016",
        "A100000000126",
        "A100000000207",
        "A100000000317",
        "A100000000400",
    ];
    for upn in &upns {
        args.extend(["--pupil", upn]);
    }
    let sent_on = new.ok(NOW, &args);
    let pupils = |xml: &str| {
        let from = xml.find("<CTFpupilData>").unwrap();
        xml[from..].to_string()
    };
    assert_eq!(pupils(&sent_on), pupils(&xml));
    assert!(
        !sent_on.contains("<LEA>357</LEA>\n          <Estab>4001</Estab>"),
        "{sent_on}"
    );
    // Back at the school that recorded them, they are its own marks, already there.
    let back = old.file("back.xml", &sent_on);
    let home = old.ok(NOW, &["import", "ctf", back.to_str().unwrap()]);
    assert!(
        home.contains("0 pupils added, 5 already known; 0 marks added, 10 already so"),
        "{home}"
    );
}

#[test]
fn a_bad_transfer_file_names_the_element_and_saves_nothing() {
    let old = school();
    // Sex is mandatory in a transfer file: without it, the export names who lacks it.
    let err = old.fails(
        NOW,
        &[
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
        ],
    );
    assert!(
        err.contains("5 pupil(s) have none: A100000000016 Adams, Alice; A100000000126 Brown, Ben;"),
        "{err}"
    );
    give_sexes(&old);
    let xml = old.ok(
        NOW,
        &[
            "export",
            "ctf",
            "--pupil",
            "A100000000016",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
        ],
    );
    let new = empty_school();
    for (bad, expected) in [
        (
            xml.replace("<Forename>Alice</Forename>", ""),
            "Pupil[1] (A100000000016)/Forename is missing",
        ),
        (
            xml.replace("<DOB>2019-01-10</DOB>", "<DOB>10th Jan</DOB>"),
            "Pupil[1] (A100000000016)/DOB: `10th Jan` is not a date",
        ),
        (xml.replace("</CTfile>", ""), "ends inside an element"),
    ] {
        let file = new.file("bad.xml", &bad);
        let err = new.fails(NOW, &["import", "ctf", file.to_str().unwrap()]);
        assert!(err.contains(expected), "{expected}\n{err}");
        assert!(err.contains("bad.xml"), "{err}");
    }
    let err = old.fails(
        NOW,
        &[
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "35",
            "--dest-estab",
            "4001",
        ],
    );
    assert!(
        err.contains("--dest-la `35` is not a 3-digit number"),
        "{err}"
    );
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/exchange/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_fixture_files_of_every_format_read_and_fail_as_they_should() {
    let cli = empty_school();
    let now = "2026-11-27T16:00";
    // In: pupils, marks and a transfer file, valid and malformed.
    let err = cli.fails(now, &["import", "pupils", &fixture("pupils-malformed.csv")]);
    for expected in [
        "row 3, column upn:",
        "row 4, column surname: is empty",
        "row 5, column group: `Birch` is not a group",
        "row 5, column sex: `X` is not a sex",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    cli.ok(
        "2026-09-01T08:00",
        &[
            "import",
            "pupils",
            &fixture("pupils-valid.csv"),
            "--from",
            "2020-09-01",
        ],
    );
    let err = cli.fails(now, &["import", "marks", &fixture("marks-malformed.csv")]);
    for expected in [
        "row 2, column code",
        "row 3, column session",
        "row 4, column date",
        "row 5, column code",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let run = cli.run(now, &["import", "marks", &fixture("marks-valid.csv")]);
    let done = String::from_utf8_lossy(&run.stdout);
    assert!(
        done.starts_with("8 rows: 8 new"),
        "{done}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Piped, long work shows no progress: standard error holds nothing.
    assert!(
        run.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Out: the feed and the transfer file are what the fixtures hold, byte for byte.
    let feed = cli.ok(
        now,
        &[
            "export",
            "feed",
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-16",
        ],
    );
    assert_eq!(
        feed,
        std::fs::read_to_string(fixture("feed-expected.csv")).unwrap()
    );
    let ctf = cli.ok(
        now,
        &[
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
        ],
    );
    assert_eq!(
        ctf,
        std::fs::read_to_string(fixture("ctf-valid.xml")).unwrap()
    );
    // The transfer file into another school, and a damaged one named element by element.
    let other = receiving_school();
    let err = other.fails(now, &["import", "ctf", &fixture("ctf-malformed.xml")]);
    assert!(
        err.contains("Pupil[2] (A100000000126)/DOB: `11/13/2019` is not a date"),
        "{err}"
    );
    assert!(
        err.contains("Pupil[3] (A100000000207)/Surname is missing"),
        "{err}"
    );
    let done = other.ok(now, &["import", "ctf", &fixture("ctf-valid.xml")]);
    assert!(
        done.contains(
            "3 pupils added, 0 already known; 0 marks added, 0 already so\n\
             8 marks recorded at other schools"
        ),
        "{done}"
    );
}

#[test]
fn an_admin_previews_a_pupil_list_in_the_app_and_only_y_imports_it() {
    use crate::common::*;
    let school = TestSchool::new("2026-11-23T09:00");
    let dir = tempfile::tempdir().unwrap();
    let csv = PUPILS_CSV.replace("Cole,Cara,2019-03-12,2,Oak", "Cole,Cara,2019-03-12,2,Ash")
        + "A100000000809,Ivy,Iris,2019-05-01,2,Oak\n";
    std::fs::write(dir.path().join("autumn2.csv"), &csv).unwrap();
    std::fs::write(dir.path().join("bad.csv"), "upn,surname\nA1,X\n").unwrap();
    let mut h = Harness::new(&school, "head");
    h.driver.save_dir = dir.path().to_path_buf();
    h.press("ctrl+o");
    h.type_text("autumn2.csv");
    h.press("enter");
    let screen = h.screen();
    assert!(screen.contains("Import pupils from"), "{screen}");
    assert!(
        screen.contains("new: Ivy, Iris (A100000000809), Oak"),
        "{screen}"
    );
    assert!(
        screen.contains("moves: Cole, Cara (A100000000207): Oak to Ash"),
        "{screen}"
    );
    assert_snapshot(
        "import_preview_60x16",
        &h.screen_at(60, 16)
            .replace(&dir.path().display().to_string(), "DIR"),
    );
    // Enter is not enough; nothing is saved until y.
    h.press("enter");
    assert!(
        h.message().contains("press y to import it"),
        "{}",
        h.message()
    );
    let store = || {
        school
            .engine
            .store()
            .read()
            .unwrap()
            .pupil("A100000000809")
            .unwrap()
    };
    assert!(store().is_none());
    h.press("y");
    assert!(
        h.message().starts_with("imported: 1 added"),
        "{}",
        h.message()
    );
    assert!(store().is_some());
    // A file that does not read, and one that is not a pupil list: said, nothing saved.
    h.press("ctrl+o");
    h.type_text("missing.csv");
    h.press("enter");
    assert!(
        h.message().contains("missing.csv: No such file"),
        "{}",
        h.message()
    );
    h.press("ctrl+o");
    h.type_text("bad.csv");
    h.press("enter");
    assert!(
        h.message().contains("row 1: the header is `upn,surname`"),
        "{}",
        h.message()
    );
    // Teachers and office staff are told who imports.
    let mut office = Harness::new(&school, "office");
    office.press("ctrl+o");
    assert!(
        office.message().contains("imported by an admin"),
        "{}",
        office.message()
    );
}

/// Issue 18, item 6: each change records its own source, whatever the clock: a mark typed in
/// the same minute as an import is not "imported", two imports in one minute each name
/// their own file, and a batch says it was one. Item 11: an `N` imported from a past year is
/// history, not a task waiting in the N queue or the alerts.
#[test]
fn each_change_says_where_it_came_from_whatever_the_minute() {
    let cli = school_with_history();
    let at = "2026-11-24T10:00";
    let a = cli.file(
        "a.csv",
        "date,session,upn,code\n2026-11-23,am,A100000000016,I\n",
    );
    let b = cli.file(
        "b.csv",
        "date,session,upn,code\n2026-11-23,am,A100000000207,M\n2025-01-13,am,A100000000207,N\n",
    );
    cli.ok(at, &["import", "marks", a.to_str().unwrap()]);
    cli.ok(at, &["import", "marks", b.to_str().unwrap()]);
    // Typed in the same minute, by the same account.
    cli.ok(
        at,
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--date",
            "2026-11-23",
            "--pupil",
            "A100000000126",
            "--code",
            "I",
            "--reason",
            "phoned in",
        ],
    );
    let batch = cli.file("paper.csv", "Oak,am,2026-11-23,A100000000317,/\n");
    cli.ok(
        at,
        &[
            "mark-batch",
            batch.to_str().unwrap(),
            "--reason",
            "paper register",
        ],
    );
    let history = |upn: &str, date: &str| {
        cli.ok(
            at,
            &["history", "--pupil", upn, "--date", date, "--session", "am"],
        )
    };
    let alice = history("A100000000016", "2026-11-23");
    assert!(
        alice.contains("a.csv") && !alice.contains("b.csv"),
        "{alice}"
    );
    let cara = history("A100000000207", "2026-11-23");
    assert!(cara.contains("b.csv") && !cara.contains("a.csv"), "{cara}");
    let ben = history("A100000000126", "2026-11-23");
    assert!(!ben.contains("imported"), "typed, not imported: {ben}");
    let dan = history("A100000000317", "2026-11-23");
    assert!(
        dan.contains("mark-batch from") && dan.contains("paper.csv"),
        "{dan}"
    );
    // The N of January 2025 came with b.csv: history, not a task.
    let queue = cli.ok(at, &["alerts", "--format", "json"]);
    assert!(!queue.contains("2025-01-13"), "{queue}");
    // Changed later, an imported mark's first entry still says the file it came with (it
    // moves from the pupil-month's record into the history as it is written out).
    cli.ok(
        at,
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--date",
            "2026-11-23",
            "--pupil",
            "A100000000016",
            "--code",
            "M",
            "--reason",
            "letter from the dentist",
        ],
    );
    let alice = history("A100000000016", "2026-11-23");
    let first = alice
        .lines()
        .find(|l| l.contains("a.csv"))
        .unwrap_or_else(|| panic!("{alice}"));
    assert!(!first.contains("dentist"), "{alice}");
    assert!(alice.contains("letter from the dentist"), "{alice}");
}

/// Issue 23, item 5: a transfer file carries a pupil's contacts and the characteristics a
/// CTF has (SEN, FSM, care, first language); the receiving school takes them, a later file
/// never replaces contacts the school holds, and a file that says nothing keeps what was known.
#[test]
fn a_transfer_file_carries_contacts_and_characteristics() {
    let old = school_with_history();
    let mut lines = crate::common::PUPILS_CSV.lines();
    let mut csv = format!(
        "{},sex,sen,fsm,lac,eal,cin,contact1_name,contact1_relationship,contact1_phone,contact1_pr,contact2_name,contact2_phone,contact2_no_contact\n",
        lines.next().unwrap()
    );
    let first = lines.next().unwrap();
    csv.push_str(&format!(
        "{first},F,E,Y,N,Y,Y,Jo Adams,Mother,07700 900123,Y,Sam Adams,07700 900999,Y\n"
    ));
    for line in lines {
        csv.push_str(&format!("{line},M,,,,,,,,,,,,\n"));
    }
    let list = old.file("people.csv", &csv);
    old.ok(
        "2026-09-01T08:00",
        &[
            "import",
            "pupils",
            list.to_str().unwrap(),
            "--from",
            "2026-09-01",
        ],
    );
    let xml = old.ok(
        NOW,
        &[
            "export",
            "ctf",
            "--pupil",
            "A100000000016",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
        ],
    );
    for element in [
        "<SENprovision>E</SENprovision>",
        "<FSMstartDate>2026-11-27</FSMstartDate>",
        "<Relationship>MUM</Relationship>",
        "<PhoneNo>07700 900123</PhoneNo>",
    ] {
        assert!(xml.contains(element), "{element}\n{xml}");
    }
    // The contact not to be contacted is not sent: the file has no place for the flag.
    assert!(!xml.contains("900999"), "{xml}");
    let new = receiving_school();
    let file = new.file("alice.xml", &xml);
    // A file dated after today is a wrong clock or a forged file: refused, nothing saved.
    let early = new.fails(
        "2026-11-26T09:00",
        &["import", "ctf", file.to_str().unwrap()],
    );
    assert!(early.contains("after today"), "{early}");
    let said = new.ok(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        said.contains("1 contacts added; 0 pupils' own contacts kept over the file's; 1 pupils'"),
        "{said}"
    );
    let year = new.ok(
        NOW,
        &["pupil", "--pupil", "A100000000016", "--format", "json"],
    );
    let year: serde_json::Value = serde_json::from_str(&year).unwrap();
    assert_eq!(year["contacts"][0]["name"], "Jo Adams", "{year}");
    assert_eq!(year["contacts"][0]["relationship"], "Mother", "{year}");
    assert_eq!(
        year["contacts"][0]["parental_responsibility"], true,
        "{year}"
    );
    // CIN is not in a CTF: the new school does not learn it from one.
    assert_eq!(year["characteristics"], "EHC plan, FSM, EAL", "{year}");
    // The school rings a new number; a later file with the old one changes nothing.
    let own = new.file(
        "own.csv",
        &format!(
            "upn,surname,forename,dob,year,group,contact1_name,contact1_phone\n{},Jo Adams,07700 111222\n",
            {
                let row: Vec<&str> = crate::common::PUPILS_CSV.lines().nth(1).unwrap().split(',').collect();
                row[..6].join(",")
            }
        ),
    );
    new.ok(NOW, &["import", "pupils", own.to_str().unwrap()]);
    let again = new.ok(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        again.contains("0 contacts added; 1 pupils' own contacts kept over the file's; 0 pupils'"),
        "{again}"
    );
    let year = new.ok(NOW, &["pupil", "--pupil", "A100000000016"]);
    assert!(
        year.contains("07700 111222") && !year.contains("07700 900123"),
        "{year}"
    );
}

/// Issue 23, item 5: `export feed --characteristics` adds each pupil's characteristics as
/// they stood on the mark's date: Alice's FSM, recorded from 20 November, is N on the 19th
/// and Y on the 23rd; the columns are absent without the flag.
#[test]
fn the_feed_may_carry_characteristics_as_on_each_marks_date() {
    let cli = school();
    let batch = cli.file("b.csv", "Oak,am,2026-11-19,A100000000016,/\n");
    cli.ok("2026-11-19T09:20", &["mark-batch", batch.to_str().unwrap()]);
    let batch = cli.file("c.csv", "Oak,am,2026-11-23,A100000000016,/\n");
    cli.ok("2026-11-23T09:20", &["mark-batch", batch.to_str().unwrap()]);
    let mut lines = crate::common::PUPILS_CSV.lines();
    let mut csv = format!("{},fsm,sen\n", lines.next().unwrap());
    csv.push_str(&format!("{},Y,K\n", lines.next().unwrap()));
    let list = cli.file("fsm.csv", &csv);
    cli.ok(
        "2026-11-20T08:00",
        &[
            "import",
            "pupils",
            list.to_str().unwrap(),
            "--from",
            "2026-11-20",
        ],
    );
    let args = [
        "export",
        "feed",
        "--from",
        "2026-11-19",
        "--to",
        "2026-11-23",
    ];
    let plain = cli.ok("2026-11-23T12:00", &args);
    assert!(
        plain.lines().next().unwrap().ends_with(",minutes_late"),
        "{plain}"
    );
    let mut with = args.to_vec();
    with.push("--characteristics");
    let feed = cli.ok("2026-11-23T12:00", &with);
    let lines: Vec<&str> = feed.lines().collect();
    assert!(
        lines[0].ends_with(",minutes_late,sen,fsm,pp,lac,cin,cp,eal"),
        "{feed}"
    );
    let alice: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains(",A100000000016,"))
        .collect();
    assert_eq!(alice.len(), 2, "{feed}");
    assert!(
        alice[0].contains(",2026-11-19,AM,") && alice[0].ends_with(",N,N,N,N,N,N,N"),
        "{feed}"
    );
    assert!(
        alice[1].contains(",2026-11-23,AM,") && alice[1].ends_with(",K,Y,N,N,N,N,N"),
        "{feed}"
    );
}

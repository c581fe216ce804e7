//! Attendance recorded at other schools (issue 18, items 7 and 8): kept apart from this
//! school's own, in none of its figures, shown apart in the pupil's year, and sent on under the
//! school that recorded it; `#` on a day without school is no session; every session checked
//! against the pupil (SPEC §6.1, §7).

use crate::common::cli::Cli;
use crate::exchange::{give_sexes, receiving_school};

const NOW: &str = "2026-11-27T16:00";
const ADAMS: &str = "A100000000016";
const BANKS_LANE: [&str; 6] = [
    "--school-la",
    "356",
    "--school-estab",
    "2003",
    "--school-name",
    "Banks Lane Infant and Nursery School",
];

/// Hillside Primary (357/4001) with the eight pupils on roll since 1 September 2026, each
/// with their sex.
fn hillside() -> Cli {
    let cli = receiving_school();
    let pupils = cli.file("pupils.csv", crate::common::PUPILS_CSV);
    cli.ok(
        "2026-09-01T08:00",
        &[
            "import",
            "pupils",
            pupils.to_str().unwrap(),
            "--from",
            "2026-09-01",
        ],
    );
    give_sexes(&cli);
    cli
}

fn import_marks(cli: &Cli, name: &str, csv: &str, school: &[&str]) -> Result<String, String> {
    let file = cli.file(name, csv);
    let mut args = vec!["import", "marks", file.to_str().unwrap()];
    args.extend(school);
    let out = cli.run(NOW, &args);
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn possible(cli: &Cli, from: &str, to: &str) -> u64 {
    let out = cli.ok(
        NOW,
        &[
            "report", "--from", from, "--to", to, "--by", "pupil", "--format", "json",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["possible"].as_u64().unwrap_or(0))
        .sum()
}

#[test]
fn another_schools_registers_are_kept_apart_and_sent_on_under_that_school() {
    let cli = hillside();
    // Each row checked for what can be known here, row by row; nothing saved.
    let bad = "date,session,upn,code\n\
               2025-10-04,am,A100000000016,/\n\
               2025-10-06,am,A100000000016,X\n\
               2025-10-06,pm,A100000000809,/\n";
    let err = import_marks(&cli, "bad.csv", bad, &BANKS_LANE).unwrap_err();
    for expected in [
        "row 2: A100000000016: 2025-10-04 is a Saturday, not a school day",
        "row 3: A100000000016: X is for a pupil below or above compulsory school age",
        "row 4, column upn: no pupil with UPN A100000000809",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // The school's numbers are checked, and given all together.
    let err = import_marks(
        &cli,
        "x.csv",
        "date,session,upn,code\n2025-10-06,am,A100000000016,/\n",
        &[
            "--school-la",
            "35",
            "--school-estab",
            "2003",
            "--school-name",
            "Banks",
        ],
    )
    .unwrap_err();
    assert!(err.contains("LA number `35` is not 3 digits"), "{err}");
    let err = import_marks(&cli, "x.csv", "", &BANKS_LANE[..4]).unwrap_err();
    assert!(err.contains("--school-name"), "{err}");
    // Last year at Banks Lane: kept apart.
    let last_year = "date,session,upn,code\n\
                     2025-10-06,am,A100000000016,/\n\
                     2025-10-06,pm,A100000000016,\\\n\
                     2025-10-07,am,A100000000016,O\n";
    let said = import_marks(&cli, "banks.csv", last_year, &BANKS_LANE).unwrap();
    assert!(said.starts_with("3 rows: 3 new"), "{said}");
    assert!(
        said.contains(
            "recorded at Banks Lane Infant and Nursery School (356/2003): kept apart, in none of this school's figures"
        ),
        "{said}"
    );
    assert_eq!(possible(&cli, "2025-09-01", "2026-08-31"), 0);
    // A different mark for a session already recorded there is refused, not overwritten;
    // the same file again changes nothing.
    let err = import_marks(
        &cli,
        "again.csv",
        "date,session,upn,code\n2025-10-06,am,A100000000016,I\n",
        &BANKS_LANE,
    )
    .unwrap_err();
    assert!(
        err.contains("rollcall has / from Banks Lane Infant and Nursery School"),
        "{err}"
    );
    let again = import_marks(&cli, "banks.csv", last_year, &BANKS_LANE).unwrap();
    assert!(
        again.starts_with("3 rows: 0 new, 0 replacing another mark, 3 already so"),
        "{again}"
    );
    // Stated as this school's own numbers, they are its own marks: Adams was not on roll.
    let own = [
        "--school-la",
        "357",
        "--school-estab",
        "4001",
        "--school-name",
        "Hillside",
    ];
    let err = import_marks(&cli, "own.csv", last_year, &own).unwrap_err();
    assert!(err.contains("was not on roll on 2025-10-06"), "{err}");
    // This term at Hillside, the school's own.
    let batch = cli.file("week.csv", "Oak,am,2026-11-16,A100000000016,/\n");
    cli.ok(
        NOW,
        &["mark-batch", batch.to_str().unwrap(), "--reason", "paper"],
    );
    assert_eq!(possible(&cli, "2026-11-16", "2026-11-16"), 1);
    // The pupil's year shows last year's apart.
    let year = cli.ok(NOW, &["pupil", "--pupil", ADAMS, "--date", "2025-10-06"]);
    assert!(
        year.contains(
            "at another school: Banks Lane Infant and Nursery School (356/2003), 06 Oct to 07 Oct: 3 possible, 66.7% attended (not in this school's figures)"
        ),
        "{year}"
    );
    assert!(year.contains("year to date: 0 possible"), "{year}");
    // Sent on: each year under the school that recorded it.
    let xml = cli.ok(
        NOW,
        &[
            "export",
            "ctf",
            "--pupil",
            ADAMS,
            "--dest-la",
            "358",
            "--dest-estab",
            "5001",
        ],
    );
    let banks = "<Year>2025</Year>\n          <LEA>356</LEA>\n          <Estab>2003</Estab>\n          \
                 <SchoolName>Banks Lane Infant and Nursery School</SchoolName>\n          \
                 <SessionsPossible>3</SessionsPossible>";
    assert!(xml.contains(banks), "{xml}");
    assert!(
        xml.contains("<AttendanceMarks>/\\O-</AttendanceMarks>"),
        "{xml}"
    );
    let hill = "<Year>2026</Year>\n          <LEA>357</LEA>\n          <Estab>4001</Estab>\n          \
                <SchoolName>Hillside Primary</SchoolName>";
    assert!(xml.contains(hill), "{xml}");
    // The source school in the header is Hillside; the 2025 year is never credited to it.
    assert!(
        !xml.contains("<Year>2025</Year>\n          <LEA>357</LEA>"),
        "{xml}"
    );
}

/// One pupil (Adams, F) with the given years: (year, LA, estab, school, start, marks), each
/// with the totals its marks give.
fn ctf(years: &[(i32, &str, &str, &str, &str, &str)]) -> String {
    let mut data = String::new();
    for (year, la, estab, name, start, marks) in years {
        let mut tally = rollcall::domain::stats::Tally::default();
        let start_date = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap();
        for c in marks.chars() {
            if let Ok(Some(code)) = rollcall::service::ctf::code_of(c) {
                tally.add_code(code, start_date);
            }
        }
        let (possible, authorised, attended) =
            (tally.possible(), tally.authorised, tally.attended());
        data.push_str(&format!(
            "<YearData><Year>{year}</Year><LEA>{la}</LEA><Estab>{estab}</Estab>\
             <SchoolName>{name}</SchoolName><SessionsPossible>{possible}</SessionsPossible>\
             <SessionsAuthorised>{authorised}</SessionsAuthorised><SessionsAttended>{attended}</SessionsAttended>\
             <SessionsUnauthorised>0</SessionsUnauthorised><AttendSessions>\
             <AttendanceStartDate>{start}</AttendanceStartDate>\
             <AttendanceMarks>{marks}</AttendanceMarks></AttendSessions></YearData>"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CTfile><Header>\
         <DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>\
         <DateTime>2026-11-20T10:00:00</DateTime><DocumentQualifier>partial</DocumentQualifier>\
         <SupplierID>SIMS</SupplierID><SourceSchool><LEA>999</LEA><Estab>2999</Estab>\
         <SchoolName>Elsewhere Academy</SchoolName><AcademicYear>2026</AcademicYear>\
         </SourceSchool><DestSchool><LEA>357</LEA><Estab>4001</Estab></DestSchool></Header>\
         <CTFpupilData><Pupil><UPN>{ADAMS}</UPN><Surname>Adams</Surname><Forename>Alice</Forename>\
         <DOB>2019-01-10</DOB><Sex>F</Sex><Attendance>{data}</Attendance></Pupil></CTFpupilData>\
         </CTfile>"
    )
}

#[test]
fn a_hash_on_a_day_without_school_is_no_session_and_every_session_fits_the_pupil() {
    let cli = hillside();
    // Elsewhere Academy, Friday 3 October 2025 to Monday 6: present Friday, the vendor's `#`
    // for the weekend, and a planned closure on Monday (a `#` on a weekday is the code).
    // Hillside's own: half term (26 October 2026) written `#`, present on 16 November, and
    // the INSET day of 27 November a closure.
    let file = cli.file(
        "in.xml",
        &ctf(&[
            (
                2025,
                "999",
                "2999",
                "Elsewhere Academy",
                "2025-10-03",
                "/\\######",
            ),
            (2026, "357", "4001", "Hillside Primary", "2026-10-26", "##"),
            (2026, "357", "4001", "Hillside Primary", "2026-11-16", "/-"),
            (2026, "357", "4001", "Hillside Primary", "2026-11-27", "##"),
        ]),
    );
    let said = cli.ok(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        said.contains("0 pupils added, 1 already known; 3 marks added, 0 already so"),
        "{said}"
    );
    assert!(said.contains("4 marks recorded at other schools"), "{said}");
    assert!(
        said.contains("6 `#` on days without school read as no session"),
        "{said}"
    );
    let year = cli.ok(NOW, &["pupil", "--pupil", ADAMS, "--date", "2025-10-06"]);
    assert!(
        year.contains(
            "Elsewhere Academy (999/2999), 03 Oct to 06 Oct: 2 possible, 100.0% attended"
        ),
        "{year}"
    );
    let marks = cli.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-09-01",
            "--to",
            "2026-12-31",
        ],
    );
    let codes: Vec<String> = marks
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{} {} {}", f[0], f[1], f[6])
        })
        .collect();
    assert_eq!(
        codes,
        ["2026-11-16 am /", "2026-11-27 am #", "2026-11-27 pm #"]
    );
    // Codes that cannot be this pupil's, in this school's year or another's: each refused
    // with its rule, nothing saved.
    let bad = cli.file(
        "bad.xml",
        &ctf(&[
            (2026, "357", "4001", "Hillside Primary", "2026-11-17", "XZ"),
            (2023, "999", "2999", "Elsewhere Academy", "2023-10-02", "1-"),
            (2018, "999", "2999", "Elsewhere Academy", "2018-10-01", "/-"),
        ]),
    );
    let err = cli.fails(NOW, &["import", "ctf", bad.to_str().unwrap()]);
    for expected in [
        "2026-11-17 AM: X is for a pupil below or above compulsory school age",
        "2026-11-17 PM: Z is for a pupil not yet on the admission register",
        "2023-10-02 AM at Elsewhere Academy: C1 came in on 19 August 2024",
        "2018-10-01 AM at Elsewhere Academy: 2018-10-01 is before the pupil was born",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert_eq!(
        cli.ok(
            NOW,
            &[
                "export",
                "marks",
                "--from",
                "2026-11-17",
                "--to",
                "2026-11-17"
            ]
        )
        .lines()
        .count(),
        1,
        "nothing saved"
    );
}

/// The pupil's year on screen shows another school's sessions under the grid, apart from
/// this school's figures.
#[test]
fn the_pupil_screen_shows_another_schools_sessions_apart() {
    use crate::common::*;
    use rollcall::domain::people::OtherSchool;
    let school = TestSchool::new("2026-11-23T10:00");
    let mut head = school.client("head");
    head.import_marks(
        "dual.csv".into(),
        "date,session,upn,code\n2026-09-02,am,A100000000016,/\n2026-09-02,pm,A100000000016,O\n"
            .into(),
        false,
        Some(OtherSchool {
            la: "999".into(),
            estab: "2999".into(),
            name: "Elsewhere Academy".into(),
        }),
    )
    .unwrap();
    let mut h = Harness::new(&school, "office");
    h.press("ctrl+f");
    h.type_text("adams");
    h.press("enter");
    let screen = h.screen();
    assert!(
        screen.contains("At another school: Elsewhere Academy (999/2999), 02 Sep to 02 Sep: 2"),
        "{screen}"
    );
    // This school's own figures do not hold them.
    let rollcall::app::Screen::Pupil(p) = &h.app.screen else {
        panic!("{screen}")
    };
    assert_eq!(p.view.as_ref().unwrap().tally.possible(), 0);
}

//! The transfer file's own tests: a file written and read back, and damaged files named.

use super::*;
use crate::domain::codes::Code;
use crate::domain::people::Sex;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn every_code_has_one_character_and_reads_back() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL.iter().filter(|c| c.national() == **c) {
        let c = mark_char(*code);
        assert!(seen.insert(c), "{code} shares `{c}`");
        assert_eq!(code_of(c), Ok(Some(*code)), "{code}");
    }
    // A management system's sub-code goes as the statutory code it stands for.
    assert_eq!(mark_char(Code::X03), 'X');
    assert_eq!(mark_char(Code::I02), 'I');
    // What earlier versions wrote for them still reads.
    assert_eq!(code_of('c'), Ok(Some(Code::X03)));
    assert_eq!(code_of(NO_MARK), Ok(None));
    assert!(code_of('?').is_err());
}

#[test]
fn a_file_reads_back_as_written_names_escaped_and_all() {
    let file = CtfFile {
        date_time: d("2026-11-23").and_hms_opt(12, 0, 0).unwrap(),
        source: CtfSchool {
            lea: "356".into(),
            estab: "2003".into(),
            name: "St Mary & St John's <Primary>".into(),
            academic_year: 2026,
        },
        dest_lea: "357".into(),
        dest_estab: "4001".into(),
        pupils: vec![CtfPupil {
            upn: "A100000000016".into(),
            surname: "O'Brien".into(),
            forename: "Zoë".into(),
            dob: d("2019-01-10"),
            sex: Some(Sex::F),
            years: vec![CtfYear {
                year: 2026,
                lea: "356".into(),
                estab: "2003".into(),
                school_name: "St Mary & St John's <Primary>".into(),
                possible: 3,
                authorised: 1,
                attended: 2,
                unauthorised: 0,
                start: d("2026-11-23"),
                marks: "/\\2-".into(),
            }],
        }],
    };
    let xml = write(&file);
    assert!(
        xml.contains("<SchoolName>St Mary &amp; St John&apos;s &lt;Primary&gt;</SchoolName>"),
        "{xml}"
    );
    assert_eq!(read(&xml).unwrap(), file);
}

#[test]
fn a_bad_file_names_every_element_at_fault() {
    let xml = "<CTfile><Header><DateTime>yesterday</DateTime></Header>\
        <CTFpupilData><Pupil><UPN>A100000000016</UPN><Surname>Adams</Surname>\
        <DOB>2019-01-10</DOB><Sex>X</Sex><Attendance><YearData><Year>2026</Year>\
        <SessionsPossible>5</SessionsPossible><AttendSessions>\
        <AttendanceStartDate>2026-11-23</AttendanceStartDate>\
        <AttendanceMarks>/?</AttendanceMarks></AttendSessions></YearData></Attendance>\
        </Pupil></CTFpupilData></CTfile>";
    let errors = read(xml).unwrap_err().join("\n");
    for expected in [
        "CTfile/Header/DateTime: `yesterday` is not a date and time",
        "CTfile/Header/SourceSchool/LEA is missing",
        "Pupil[1] (A100000000016)/Forename is missing",
        "Pupil[1] (A100000000016)/Sex: `X` is not a sex",
        "YearData[1]/AttendSessions/AttendanceMarks: character 2 (2026-11-23 PM): `?` is not a mark",
    ] {
        assert!(errors.contains(expected), "{expected}\n{errors}");
    }
    assert!(read("<CTfile><Header>").unwrap_err()[0].contains("ends inside an element"));
    // A marks string that runs past 2100 is refused at the first session out of range.
    let year = CtfYear {
        year: 2100,
        lea: String::new(),
        estab: String::new(),
        school_name: String::new(),
        possible: 0,
        authorised: 0,
        attended: 0,
        unauthorised: 0,
        start: d("2100-12-31"),
        marks: "--/".into(),
    };
    let err = year.sessions().unwrap_err();
    assert!(err.starts_with("character 3 (2101-01-01):"), "{err}");
    assert!(read("not xml at all <").is_err());
}

//! Lesson registers (issue 24, SPEC §8.8): the timetable and classes in, a lesson's register,
//! the missing-pupil rule at its boundaries (present at registration, `M` at the dentist,
//! signed out, present in an earlier lesson), the ten-minute deadline, a week A/B timetable,
//! lateness to lessons, and statutory figures a day of lessons leaves unchanged.

use crate::common::*;
use rollcall::domain::lessons::{Expected, LessonCode, MissingOutcome};
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::*;

/// Four periods; P4 in the afternoon.
pub(crate) const PERIODS: &str = r#"
[[periods]]
name = "P1"
start = "09:40"
end = "10:40"

[[periods]]
name = "P2"
start = "10:40"
end = "11:40"

[[periods]]
name = "P3"
start = "12:00"
end = "13:00"

[[periods]]
name = "P4"
start = "13:40"
end = "14:40"
"#;

const CLASSES: &str = "class,upn,subject
9X/Ma1,A100000000016,Maths
9X/Ma1,A100000000126,Maths
9X/Ma1,A100000000207,Maths
9X/Ma1,A100000000317,Maths
9X/Ma1,A100000000400,Maths
9Y/En1,A100000000016,English
9Y/En1,A100000000126,English
";

const TIMETABLE: &str = "class,weekday,period,teacher,room
9X/Ma1,Mon,P1,jpatel,M1
9X/Ma1,Mon,P3,jpatel,M1
9Y/En1,Mon,P2,mokafor,E4
";

/// The example school with periods, classes and a timetable; Monday 23 November 2026.
pub(crate) fn secondary(now: &str, extra: &str) -> TestSchool {
    let school = TestSchool::new(now);
    let mut head = school.client("head");
    head.done(Request::Init {
        file: "school.toml".into(),
        source: format!("{EXAMPLE}{PERIODS}{extra}"),
    })
    .unwrap();
    import(&mut head, "classes", CLASSES);
    import(&mut head, "timetable", TIMETABLE);
    school
}

fn import(head: &mut Client, what: &str, csv: &str) -> LessonsImported {
    let request = if what == "classes" {
        LessonRequest::ImportClasses {
            file: "classes.csv".into(),
            csv: csv.into(),
            dry_run: false,
        }
    } else {
        LessonRequest::ImportTimetable {
            file: "timetable.csv".into(),
            csv: csv.into(),
            dry_run: false,
        }
    };
    match head.lesson(request).unwrap() {
        LessonResponse::Imported(s) => s,
        other => panic!("{other:?}"),
    }
}

fn lesson_mark(client: &mut Client, class: &str, period: &str, pupil: usize, code: &str) {
    client
        .lesson(LessonRequest::Mark {
            class: class.into(),
            date: d("2026-11-23"),
            period: period.into(),
            upn: upn(pupil),
            code: LessonCode::parse(code).unwrap(),
            arrived: None,
        })
        .unwrap();
}

fn missing(office: &mut Client) -> Vec<MissingPupil> {
    match office
        .lesson(LessonRequest::Missing {
            date: Some(d("2026-11-23")),
        })
        .unwrap()
    {
        LessonResponse::Missing { pupils } => pupils,
        other => panic!("{other:?}"),
    }
}

fn register(client: &mut Client, class: &str, period: &str) -> LessonRegister {
    match client
        .lesson(LessonRequest::Register {
            class: class.into(),
            date: d("2026-11-23"),
            period: period.into(),
        })
        .unwrap()
    {
        LessonResponse::Register(r) => *r,
        other => panic!("{other:?}"),
    }
}

/// The boundaries of "missing": Alice present at registration and `N` in P1 is missing;
/// Ben `N` at registration is absent, not missing; Cara at the dentist (`M`) is expected
/// away; Dan signed out at 09:30 is not missing; Eve, with no morning mark, present in P1
/// and `N` in P3 is missing (an earlier lesson saw her).
#[test]
fn who_is_missing_from_a_lesson_and_who_is_expected_away() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    for (pupil, code) in [(0, "/"), (1, "N"), (2, "M"), (3, "/")] {
        crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", pupil, code);
    }
    school.set_now("2026-11-23T09:30");
    office
        .done(Request::SignOut(SignOutRequest {
            upn: upn(3),
            date: None,
            at: None,
            reason: "orthodontist, collected by mum".into(),
            back_today: false,
            code: Some("M".into()),
        }))
        .unwrap();
    school.set_now("2026-11-23T09:45");
    let mut teacher = school.client("jpatel");
    for (pupil, code) in [(0, "N"), (1, "N"), (4, "/")] {
        lesson_mark(&mut teacher, "9X/Ma1", "P1", pupil, code);
    }
    let r = register(&mut teacher, "9X/Ma1", "P1");
    let row = |i: usize| r.pupils.iter().find(|p| p.upn == upn(i)).unwrap().clone();
    assert!(row(0).missing, "{:?}", row(0));
    assert!(!row(1).missing, "N at registration: absent, not missing");
    assert_eq!(
        row(2).expected,
        Some(Expected::Statutory(rollcall::domain::codes::Code::M))
    );
    assert!(matches!(row(3).expected, Some(Expected::SignedOut(_))));
    // Closing leaves the expected away to their reason and makes the other blanks N.
    teacher
        .lesson(LessonRequest::Close {
            class: "9X/Ma1".into(),
            date: d("2026-11-23"),
            period: "P1".into(),
        })
        .unwrap();
    let r = register(&mut teacher, "9X/Ma1", "P1");
    let code = |i: usize| {
        r.pupils
            .iter()
            .find(|p| p.upn == upn(i))
            .unwrap()
            .mark
            .as_ref()
            .map(|m| m.code)
    };
    assert_eq!((code(2), code(3)), (None, None));
    assert!(r.lesson.taken.is_some());
    let names: Vec<String> = missing(&mut office).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Adams, Alice"]);
    // Eve: present in P1, N in P3 (no morning mark for her).
    school.set_now("2026-11-23T12:05");
    lesson_mark(&mut teacher, "9X/Ma1", "P3", 4, "N");
    let names: Vec<String> = missing(&mut office).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Adams, Alice", "Evans, Eve"]);
    // A teacher does not read the missing list; the office may.
    let err = school
        .client("jpatel")
        .lesson(LessonRequest::Missing { date: None })
        .unwrap_err()
        .to_string();
    assert!(err.contains("office"), "{err}");
}

/// The missing pupil's clock: at 14 minutes the team is still looking, at 15 it says inform
/// the parents (with the contacts); found in the library closes it; a pupil seen in a later
/// lesson is found without anyone looking.
#[test]
fn a_missing_pupil_is_told_to_the_parents_after_fifteen_minutes_until_found() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 0, "/");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 1, "/");
    school.set_now("2026-11-23T09:45");
    let mut teacher = school.client("jpatel");
    lesson_mark(&mut teacher, "9X/Ma1", "P1", 0, "N");
    lesson_mark(&mut teacher, "9X/Ma1", "P1", 1, "N");
    school.set_now("2026-11-23T09:59");
    assert!(
        missing(&mut office)
            .iter()
            .all(|p| !p.inform_parents && p.open)
    );
    school.set_now("2026-11-23T10:00");
    let now = missing(&mut office);
    assert!(now.iter().all(|p| p.inform_parents), "{now:?}");
    assert_eq!(now[0].minutes, 15);
    assert_eq!(
        (now[0].room.as_str(), now[0].teacher.as_str()),
        ("M1", "jpatel")
    );
    // Found in the library: no longer open, and no longer "inform the parents".
    office
        .lesson(LessonRequest::Resolve {
            date: d("2026-11-23"),
            period: "P1".into(),
            upn: upn(0),
            outcome: MissingOutcome::Found,
            note: "in the library".into(),
        })
        .unwrap();
    let now = missing(&mut office);
    let alice = now.iter().find(|p| p.upn == upn(0)).unwrap();
    assert!(!alice.open && !alice.inform_parents);
    assert_eq!(alice.actions[0].note, "in the library");
    // Open ones first: Ben, still missing, then Alice, found.
    assert_eq!(now[0].upn, upn(1));
    // Ben is in English in P2: found by being there.
    school.set_now("2026-11-23T10:45");
    lesson_mark(&mut school.client("mokafor"), "9Y/En1", "P2", 1, "/");
    assert!(missing(&mut office).iter().all(|p| !p.open));
    // Nothing to resolve for a pupil who is not missing; a note is needed.
    let err = office
        .lesson(LessonRequest::Resolve {
            date: d("2026-11-23"),
            period: "P1".into(),
            upn: upn(2),
            outcome: MissingOutcome::Found,
            note: "canteen".into(),
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("not missing"), "{err}");
}

/// A lesson register not taken 10 minutes after the start is listed (9 minutes: not yet);
/// one taken, or with every pupil marked, is not; the school may set its own minutes.
#[test]
fn a_lesson_register_not_taken_in_ten_minutes_is_listed() {
    let school = secondary("2026-11-23T09:49", "");
    let mut office = school.client("office");
    let not_taken = |office: &mut Client| -> Vec<String> {
        match office
            .lesson(LessonRequest::NotTaken { date: None })
            .unwrap()
        {
            LessonResponse::NotTaken { lessons } => lessons
                .into_iter()
                .map(|l| format!("{} {}", l.class, l.period))
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    assert!(not_taken(&mut office).is_empty());
    school.set_now("2026-11-23T09:50");
    assert_eq!(not_taken(&mut office), ["9X/Ma1 P1"]);
    school
        .client("jpatel")
        .lesson(LessonRequest::AllPresent {
            class: "9X/Ma1".into(),
            date: d("2026-11-23"),
            period: "P1".into(),
        })
        .unwrap();
    assert!(not_taken(&mut office).is_empty());
    // A school that gives five minutes.
    let strict = secondary(
        "2026-11-23T09:45",
        "\n[lessons]\nregister_within_minutes = 5\n",
    );
    assert_eq!(not_taken(&mut strict.client("office")), ["9X/Ma1 P1"]);
}

/// A two-week timetable: week A's lesson is taught on week A's Monday only, every week's on
/// both; a week the school does not have is refused by row.
#[test]
fn a_week_a_b_timetable_teaches_each_lesson_in_its_week() {
    let school = secondary(
        "2026-11-23T08:00",
        "\n[lessons]\nrotation_weeks = 2\nweek_one_begins = \"2026-11-16\"\n",
    );
    let mut head = school.client("head");
    import(
        &mut head,
        "timetable",
        "class,weekday,period,teacher,room,week\n9X/Ma1,Mon,P1,jpatel,M1,A\n\
         9Y/En1,Mon,P1,mokafor,E4,B\n9X/Ma1,Mon,P2,jpatel,M1,\n",
    );
    let day = |client: &mut Client, date: &str| -> Vec<String> {
        match client
            .lesson(LessonRequest::Day {
                date: Some(d(date)),
                teacher: None,
            })
            .unwrap()
        {
            LessonResponse::Day { lessons } => lessons
                .into_iter()
                .map(|l| format!("{} {}", l.class, l.period))
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    let mut office = school.client("office");
    // 16 November is week A, 23 November week B, 30 November week A again.
    assert_eq!(day(&mut office, "2026-11-16"), ["9X/Ma1 P1", "9X/Ma1 P2"]);
    assert_eq!(day(&mut office, "2026-11-23"), ["9Y/En1 P1", "9X/Ma1 P2"]);
    assert_eq!(day(&mut office, "2026-11-30"), ["9X/Ma1 P1", "9X/Ma1 P2"]);
    // A teacher's own only.
    assert_eq!(
        day(&mut school.client("mokafor"), "2026-11-23"),
        ["9Y/En1 P1"]
    );
    // Week C, a clash, an unknown teacher and period: each named; nothing saved.
    let err = head
        .lesson(LessonRequest::ImportTimetable {
            file: "t.csv".into(),
            csv: "class,weekday,period,teacher,room,week\n9X/Ma1,Mon,P1,jpatel,M1,C\n\
                  9X/Ma1,Tue,P1,jpatel,M1,\n9Y/En1,Tue,P1,jpatel,E4,A\n9Z,Fri,P9,nobody,R1,\n"
                .into(),
            dry_run: false,
        })
        .unwrap_err()
        .to_string();
    for expected in [
        "row 2, column week: `C` is not a week",
        "row 4, column teacher: jpatel already teaches then (row 3)",
        "row 5, column period: `P9` is not one of the school's periods",
        "row 5, column teacher: `nobody` is not a staff account",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert_eq!(day(&mut office, "2026-11-16"), ["9X/Ma1 P1", "9X/Ma1 P2"]);
}

/// Lateness to lessons: minutes from the period's start; "late" at the start is refused (that
/// is present); the day's list for detentions; a teacher marks only their own lessons, on
/// the day.
#[test]
fn late_arrivals_to_lessons_are_listed_with_their_minutes() {
    let school = secondary("2026-11-23T10:52", "");
    let mut english = school.client("mokafor");
    english
        .lesson(LessonRequest::Mark {
            class: "9Y/En1".into(),
            date: d("2026-11-23"),
            period: "P2".into(),
            upn: upn(0),
            code: LessonCode::Late,
            arrived: None,
        })
        .unwrap();
    let err = english
        .lesson(LessonRequest::Mark {
            class: "9Y/En1".into(),
            date: d("2026-11-23"),
            period: "P2".into(),
            upn: upn(1),
            code: LessonCode::Late,
            arrived: Some(chrono::NaiveTime::from_hms_opt(10, 40, 0).unwrap()),
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("that is present, not late"), "{err}");
    let late = match school
        .client("office")
        .lesson(LessonRequest::Late {
            date: d("2026-11-23"),
        })
        .unwrap()
    {
        LessonResponse::Late { arrivals } => arrivals,
        other => panic!("{other:?}"),
    };
    assert_eq!(late.len(), 1);
    assert_eq!(
        (late[0].minutes_late, late[0].teacher.as_str()),
        (Some(12), "mokafor")
    );
    // Someone else's lesson, and a pupil not in the class, are refused.
    let err = school
        .client("jpatel")
        .lesson(LessonRequest::Mark {
            class: "9Y/En1".into(),
            date: d("2026-11-23"),
            period: "P2".into(),
            upn: upn(0),
            code: LessonCode::Present,
            arrived: None,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("mokafor's"), "{err}");
    let err = english
        .lesson(LessonRequest::Mark {
            class: "9Y/En1".into(),
            date: d("2026-11-23"),
            period: "P2".into(),
            upn: upn(4),
            code: LessonCode::Present,
            arrived: None,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not in 9Y/En1"), "{err}");
}

/// A day of lessons leaves the statutory figures exactly as they were: every report, by
/// pupil, group and school, before and after.
#[test]
fn lesson_marks_never_change_the_statutory_figures() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    for (pupil, code) in [(0, "/"), (1, "N"), (2, "M"), (3, "/"), (4, "/")] {
        crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", pupil, code);
    }
    let figures = |office: &mut Client| {
        [ReportBy::Pupil, ReportBy::Group, ReportBy::School].map(|by| {
            office
                .report(
                    d("2026-11-16"),
                    d("2026-11-23"),
                    by,
                    ReportFilter::default(),
                )
                .unwrap()
                .into_iter()
                .map(|r| (r.key, r.tally, r.detail))
                .collect::<Vec<_>>()
        })
    };
    let before = figures(&mut office);
    school.set_now("2026-11-23T09:45");
    let mut teacher = school.client("jpatel");
    for (pupil, code) in [(0, "N"), (1, "/"), (3, "L"), (4, "N")] {
        lesson_mark(&mut teacher, "9X/Ma1", "P1", pupil, code);
    }
    teacher
        .lesson(LessonRequest::Close {
            class: "9X/Ma1".into(),
            date: d("2026-11-23"),
            period: "P1".into(),
        })
        .unwrap();
    school.set_now("2026-11-23T10:50");
    lesson_mark(&mut school.client("mokafor"), "9Y/En1", "P2", 0, "/");
    assert_eq!(figures(&mut office), before);
}

/// The files come in all or nothing: a pupil not on the list, one twice in a class, a class
/// with two subjects, a column that is not one; a dry run saves nothing.
#[test]
fn class_lists_are_checked_row_by_row_and_saved_whole_or_not_at_all() {
    let school = secondary("2026-11-23T08:00", "");
    let mut head = school.client("head");
    let err = head
        .lesson(LessonRequest::ImportClasses {
            file: "c.csv".into(),
            csv: "class,upn,subject\n9X/Ma1,A100000000016,Maths\n9X/Ma1,A100000000016,Maths\n\
                  9X/Ma1,A999999999999,Maths\n9X/Ma1,A100000000126,French\n"
                .into(),
            dry_run: false,
        })
        .unwrap_err()
        .to_string();
    for expected in [
        "row 3, column upn: A100000000016 is in 9X/Ma1 already (row 2)",
        "row 4, column upn: `A999999999999` is not a pupil",
        "row 5, column subject: 9X/Ma1 is Maths on an earlier row, not French",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let err = head
        .lesson(LessonRequest::ImportClasses {
            file: "c.csv".into(),
            csv: "class,upn,teacher\n9X/Ma1,A100000000016,jpatel\n".into(),
            dry_run: false,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("`teacher` is not a column"), "{err}");
    let dry = head
        .lesson(LessonRequest::ImportClasses {
            file: "c.csv".into(),
            csv: "class,upn\n10A,A100000000016\n".into(),
            dry_run: true,
        })
        .unwrap();
    assert!(matches!(dry, LessonResponse::Imported(s) if s.dry_run && s.classes == 1));
    // Still the five in Maths.
    let r = register(&mut school.client("office"), "9X/Ma1", "P1");
    assert_eq!(r.pupils.len(), 5);
    // A teacher imports nothing.
    let err = school
        .client("jpatel")
        .lesson(LessonRequest::ImportClasses {
            file: "c.csv".into(),
            csv: CLASSES.into(),
            dry_run: false,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("admin"), "{err}");
}

/// Every lesson request and reply crosses a real server's socket as it does in process (the
/// wire is JSON: a reply's tag must not collide with the response's own).
#[test]
fn lesson_registers_work_through_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.redb");
    {
        let school = TestSchool::in_file(&db, "2026-11-23T09:10");
        let mut head = school.client("head");
        head.done(Request::Init {
            file: "school.toml".into(),
            source: format!("{EXAMPLE}{PERIODS}"),
        })
        .unwrap();
        import(&mut head, "classes", CLASSES);
        import(&mut head, "timetable", TIMETABLE);
        crate::desk::enter(
            &mut school.client("office"),
            "Oak",
            "2026-11-23",
            "am",
            0,
            "/",
        );
        // This process's account is the server's office.
        head.done(Request::StaffAdd {
            staff: rollcall::domain::people::Staff {
                account: rollcall::service::os_account(),
                name: "Sam Office".into(),
                position: "Attendance officer".into(),
                role: rollcall::domain::register::Role::Office,
            },
        })
        .unwrap();
    }
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), "2026-11-23T09:45", None);
    let mut me = server.client();
    let day = me
        .lesson(LessonRequest::Day {
            date: None,
            teacher: None,
        })
        .unwrap();
    assert!(matches!(day, LessonResponse::Day { lessons } if lessons.len() == 3));
    lesson_mark(&mut me, "9X/Ma1", "P1", 0, "N");
    assert_eq!(missing(&mut me).len(), 1);
    let r = register(&mut me, "9X/Ma1", "P1");
    assert!(r.pupils.iter().any(|p| p.missing));
}

/// Late to lessons as often as the school's lateness line (5 in 4 school weeks) is an alert
/// like lateness to school; four is not.
#[test]
fn lateness_to_lessons_is_counted_like_lateness_to_school() {
    let school = secondary("2026-11-23T15:00", "");
    let mut office = school.client("office");
    let late = |office: &mut Client, date: &str, class: &str, period: &str, at: (u32, u32)| {
        office
            .lesson(LessonRequest::Mark {
                class: class.into(),
                date: d(date),
                period: period.into(),
                upn: upn(0),
                code: LessonCode::Late,
                arrived: chrono::NaiveTime::from_hms_opt(at.0, at.1, 0),
            })
            .unwrap();
    };
    late(&mut office, "2026-11-16", "9X/Ma1", "P1", (9, 50));
    late(&mut office, "2026-11-16", "9Y/En1", "P2", (10, 45));
    late(&mut office, "2026-11-16", "9X/Ma1", "P3", (12, 10));
    late(&mut office, "2026-11-23", "9X/Ma1", "P1", (9, 45));
    let often = |office: &mut Client| {
        office
            .alerts(None)
            .unwrap()
            .into_iter()
            .filter(|a| a.kind.as_str() == "lesson_lateness")
            .map(|a| (a.name, a.evidence.len()))
            .collect::<Vec<_>>()
    };
    assert!(often(&mut office).is_empty());
    late(&mut office, "2026-11-23", "9Y/En1", "P2", (10, 50));
    assert_eq!(often(&mut office), [("Adams, Alice".to_string(), 5)]);
}

/// `report --lessons`, checked by hand: in P1 Alice (present at registration) is N, missing;
/// Ben (N at registration) is N, absent but not missing; Eve present; in P2 Alice is late 12
/// minutes. By pupil, class, subject and period; office only.
#[test]
fn a_lesson_report_counts_lessons_and_the_truancy_after_registration() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 0, "/");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 1, "N");
    school.set_now("2026-11-23T09:45");
    let mut maths = school.client("jpatel");
    for (pupil, code) in [(0, "N"), (1, "N"), (4, "/")] {
        lesson_mark(&mut maths, "9X/Ma1", "P1", pupil, code);
    }
    school.set_now("2026-11-23T10:52");
    lesson_mark(&mut school.client("mokafor"), "9Y/En1", "P2", 0, "L");
    let mut report = |by| match office
        .lesson(LessonRequest::Report {
            from: d("2026-11-23"),
            to: d("2026-11-23"),
            by,
        })
        .unwrap()
    {
        LessonResponse::Report { rows } => rows
            .into_iter()
            .map(|r| (r.key, r.lessons, r.present + r.late, r.absent, r.missing))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let s = |k: &str| k.to_string();
    assert_eq!(
        report(LessonReportBy::Pupil),
        [
            (upn(0), 2, 1, 1, 1),
            (upn(1), 1, 0, 1, 0),
            (upn(4), 1, 1, 0, 0)
        ]
    );
    assert_eq!(
        report(LessonReportBy::Period),
        [(s("P1"), 3, 1, 2, 1), (s("P2"), 1, 1, 0, 0)]
    );
    assert_eq!(
        report(LessonReportBy::Subject),
        [(s("English"), 1, 1, 0, 0), (s("Maths"), 3, 1, 2, 1)]
    );
    assert_eq!(
        report(LessonReportBy::Class),
        [(s("9X/Ma1"), 3, 1, 2, 1), (s("9Y/En1"), 1, 1, 0, 0)]
    );
    let err = school
        .client("jpatel")
        .lesson(LessonRequest::Report {
            from: d("2026-11-23"),
            to: d("2026-11-23"),
            by: LessonReportBy::Pupil,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("office"), "{err}");
}

/// The lesson register in the app, by keys as a teacher takes it: the lesson under the
/// groups on the class list, `!` for Alice (present at registration: missing, said at once),
/// `*` for the rest; the office's f11 shows her.
#[test]
fn a_teacher_takes_a_lesson_by_keys_and_the_office_sees_the_missing_pupil() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    for pupil in 0..5 {
        crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", pupil, "/");
    }
    school.set_now("2026-11-23T09:42");
    let mut h = Harness::new(&school, "jpatel");
    let home = h.screen();
    assert!(
        home.contains("Lessons today") && home.contains("9X/Ma1"),
        "{home}"
    );
    h.press("down down down enter");
    let screen = h.screen_at(60, 16);
    assert!(screen.contains("9X/Ma1 Maths"), "{screen}");
    assert_snapshot("lesson_register_60x16", &screen);
    h.press("! *");
    assert!(h.screen().contains("MISSING"), "{}", h.screen());
    let r = register(&mut office, "9X/Ma1", "P1");
    let marked: Vec<(String, Option<LessonCode>)> = r
        .pupils
        .iter()
        .map(|p| (p.name.clone(), p.mark.as_ref().map(|m| m.code)))
        .collect();
    assert_eq!(
        marked,
        [
            ("Adams, Alice".to_string(), Some(LessonCode::Absent)),
            ("Brown, Ben".to_string(), Some(LessonCode::Present)),
            ("Cole, Cara".to_string(), Some(LessonCode::Present)),
            ("Dean, Dan".to_string(), Some(LessonCode::Present)),
            ("Evans, Eve".to_string(), Some(LessonCode::Present)),
        ]
    );
    let mut desk = Harness::new(&school, "office");
    desk.press("f11");
    let screen = desk.screen();
    assert!(
        screen.contains("Adams, Alice") && screen.contains("looking"),
        "{screen}"
    );
    // At 60x16 the status, what the team must do, is whole beside the name.
    let narrow = desk.screen_at(60, 16);
    assert!(narrow.contains("Adams, Alice      looking"), "{narrow}");
    // A teacher has no f11.
    h.press("f11");
    assert!(h.message().contains("attendance team"), "{}", h.message());
}

/// What a second look from outside found (issue 24's review), each refused or kept right: a
/// pupil timetabled in two lessons at once, a period the timetable uses taken out of the
/// configuration, the same N saved again (the clock runs from the first), a late arrival on
/// another day without its time, a register closed before its day, a Saturday lesson, a week
/// the rotation does not have, a comma inside an unquoted room.
#[test]
fn contradictions_in_lessons_are_refused_not_guessed() {
    let school = secondary("2026-11-23T09:10", "");
    let mut head = school.client("head");
    let mut office = school.client("office");
    let refused = |client: &mut Client, request: LessonRequest| {
        client.lesson(request).unwrap_err().to_string()
    };
    // Alice in 9X/Ma1 and 9Y/En1; English moved into P1 beside Maths.
    let err = refused(
        &mut head,
        LessonRequest::ImportTimetable {
            file: "t.csv".into(),
            csv: "class,weekday,period,teacher,room\n9X/Ma1,Mon,P1,jpatel,M1\n\
                  9Y/En1,Mon,P1,mokafor,E4\n"
                .into(),
            dry_run: false,
        },
    );
    assert!(
        err.contains("A100000000016 is in 9X/Ma1 and 9Y/En1 in P1 on Mon"),
        "{err}"
    );
    for (csv, expected) in [
        (
            "class,weekday,period,teacher,room\n9X/Ma1,Sat,P1,jpatel,M1\n",
            "Sat is not one of the school's weekdays",
        ),
        (
            "class,weekday,period,teacher,room,week\n9X/Ma1,Mon,P1,jpatel,M1,A\n",
            "the school's timetable has one week",
        ),
        (
            "class,weekday,period,teacher,room\n9X/Ma1,Mon,P1,jpatel,Room 5, Block B\n",
            "6 cells where the header has 5",
        ),
        (
            "class,class,weekday,period,teacher,room\n",
            "`class` is column 2 and an earlier one",
        ),
    ] {
        let err = refused(
            &mut head,
            LessonRequest::ImportTimetable {
                file: "t.csv".into(),
                csv: csv.into(),
                dry_run: false,
            },
        );
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // P3 is in the timetable: a configuration without it is refused, nothing changed.
    let without_p3 = format!("{EXAMPLE}{PERIODS}").replace(
        "[[periods]]\nname = \"P3\"\nstart = \"12:00\"\nend = \"13:00\"\n",
        "",
    );
    let err = head
        .done(Request::Init {
            file: "school.toml".into(),
            source: without_p3,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("the timetable has lessons in P3"), "{err}");
    // The same N again keeps the first mark's time.
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 0, "/");
    school.set_now("2026-11-23T09:45");
    let mut maths = school.client("jpatel");
    lesson_mark(&mut maths, "9X/Ma1", "P1", 0, "N");
    school.set_now("2026-11-23T09:58");
    lesson_mark(&mut maths, "9X/Ma1", "P1", 0, "N");
    school.set_now("2026-11-23T10:00");
    let now = missing(&mut office);
    assert!(now[0].minutes == 15 && now[0].inform_parents, "{now:?}");
    // Another day's late arrival needs its time; a register is not closed before its day.
    let err = refused(
        &mut office,
        LessonRequest::Mark {
            class: "9X/Ma1".into(),
            date: d("2026-11-16"),
            period: "P1".into(),
            upn: upn(1),
            code: LessonCode::Late,
            arrived: None,
        },
    );
    assert!(err.contains("give the time they arrived"), "{err}");
    let err = refused(
        &mut office,
        LessonRequest::Close {
            class: "9X/Ma1".into(),
            date: d("2026-11-30"),
            period: "P1".into(),
        },
    );
    assert!(err.contains("still to come"), "{err}");
}

/// A pupil collected during a lesson (signed out after it began, before the teacher's `N`)
/// is not missing from it; one who leaves after the `N` was, when it was made.
#[test]
fn a_pupil_signed_out_during_the_lesson_is_not_missing_from_it() {
    let school = secondary("2026-11-23T09:10", "");
    let mut office = school.client("office");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 0, "/");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "am", 1, "/");
    school.set_now("2026-11-23T09:44");
    office
        .done(Request::SignOut(SignOutRequest {
            upn: upn(0),
            date: None,
            at: None,
            reason: "collected by dad: dentist".into(),
            back_today: true,
            code: None,
        }))
        .unwrap();
    school.set_now("2026-11-23T09:46");
    let mut maths = school.client("jpatel");
    lesson_mark(&mut maths, "9X/Ma1", "P1", 0, "N");
    lesson_mark(&mut maths, "9X/Ma1", "P1", 1, "N");
    let names: Vec<String> = missing(&mut office).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Brown, Ben"]);
}

/// The afternoon register taken in a lesson (`[lessons] pm_register_period`): P4 begins at
/// 13:05, while the afternoon register is open (13:00-13:35, register at 13:10). Its marks are
/// the pupils' statutory afternoon marks, under the statutory rules: present `/`; `N`; late
/// after 13:10 is `L` with its minutes; the office's `M` stands; once the register has closed
/// a late arrival is the office's to sign in (the lesson mark is kept, the statutory is not
/// written). The mark's history says which lesson took it.
#[test]
fn the_afternoon_register_taken_in_a_lesson_is_the_statutory_register() {
    let periods = PERIODS.replace(
        "start = \"13:40\"\nend = \"14:40\"",
        "start = \"13:05\"\nend = \"14:05\"",
    );
    let school = TestSchool::new("2026-11-23T08:00");
    let mut head = school.client("head");
    head.done(Request::Init {
        file: "school.toml".into(),
        source: format!("{EXAMPLE}{periods}\n[lessons]\npm_register_period = \"P4\"\n"),
    })
    .unwrap();
    import(&mut head, "classes", CLASSES);
    import(
        &mut head,
        "timetable",
        &format!("{TIMETABLE}9X/Ma1,Mon,P4,jpatel,M1\n"),
    );
    let mut office = school.client("office");
    crate::desk::enter(&mut office, "Oak", "2026-11-23", "pm", 2, "M");
    school.set_now("2026-11-23T13:06");
    let mut teacher = school.client("jpatel");
    let r = register(&mut teacher, "9X/Ma1", "P4");
    assert!(r.lesson.afternoon_register);
    let mark = |client: &mut Client, pupil: usize, code: &str, arrived: Option<&str>| match client
        .lesson(LessonRequest::Mark {
            class: "9X/Ma1".into(),
            date: d("2026-11-23"),
            period: "P4".into(),
            upn: upn(pupil),
            code: LessonCode::parse(code).unwrap(),
            arrived: arrived.map(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        })
        .unwrap()
    {
        LessonResponse::Marked { afternoon_kept, .. } => afternoon_kept,
        other => panic!("{other:?}"),
    };
    assert!(mark(&mut teacher, 0, "/", None).is_empty());
    assert!(mark(&mut teacher, 1, "N", None).is_empty());
    let kept = mark(&mut teacher, 2, "N", None);
    assert_eq!(
        kept,
        [format!("{}: the afternoon mark M (office) stands", upn(2))]
    );
    let afternoon = |office: &mut Client, pupil: usize| match office
        .call(Request::History {
            upn: upn(pupil),
            date: d("2026-11-23"),
            session: Session::Pm,
        })
        .unwrap()
    {
        Response::History(h) => h,
        other => panic!("{other:?}"),
    };
    let h = afternoon(&mut office, 0);
    assert_eq!(
        h.current.as_ref().map(|m| m.code.to_string()),
        Some("\\".into())
    );
    assert_eq!(
        h.changes.last().and_then(|c| c.source.clone()),
        Some(rollcall::domain::marks::Source::Lesson {
            period: "P4".into(),
            class: "9X/Ma1".into()
        })
    );
    assert_eq!(h.changes.last().unwrap().account, "jpatel");
    assert_eq!(
        afternoon(&mut office, 1)
            .current
            .map(|m| m.code.to_string()),
        Some("N".into())
    );
    assert_eq!(
        afternoon(&mut office, 2)
            .current
            .map(|m| m.code.to_string()),
        Some("M".into())
    );
    // Ben walks in at 13:20: late to the lesson and to the afternoon register (10 minutes).
    school.set_now("2026-11-23T13:20");
    assert!(mark(&mut teacher, 1, "L", None).is_empty());
    let ben = afternoon(&mut office, 1).current.unwrap();
    assert_eq!(
        (ben.code.to_string(), ben.minutes_late),
        ("L".into(), Some(10))
    );
    // After 13:35 the register has closed: the lesson mark is saved, the statutory is the
    // office's (a late arrival signs in there, and is U).
    school.set_now("2026-11-23T13:40");
    let kept = mark(&mut teacher, 3, "L", None);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].contains("the office"), "{kept:?}");
    assert_eq!(afternoon(&mut office, 3).current, None);
    let r = register(&mut teacher, "9X/Ma1", "P4");
    let dan = r.pupils.iter().find(|p| p.upn == upn(3)).unwrap();
    assert_eq!(dan.mark.as_ref().map(|m| m.code), Some(LessonCode::Late));
    // The morning's lessons never write a statutory mark.
    school.set_now("2026-11-23T09:45");
    lesson_mark(&mut teacher, "9X/Ma1", "P1", 4, "/");
    assert_eq!(
        office
            .call(Request::History {
                upn: upn(4),
                date: d("2026-11-23"),
                session: Session::Am,
            })
            .map(|r| match r {
                Response::History(h) => h.current,
                _ => None,
            })
            .unwrap(),
        None
    );
}

/// The afternoon register's period names one of the periods, taught while that register is
/// open; each refusal names the field and says why.
#[test]
fn the_afternoon_register_period_is_checked() {
    let school = TestSchool::new("2026-11-23T08:00");
    let mut head = school.client("head");
    for (period, says) in [
        ("P9", "`P9` is not one of the periods (P1, P2, P3, P4)"),
        (
            "P1",
            "P1 (09:40-10:40) is not while the afternoon register is open (13:00-13:35",
        ),
    ] {
        let err = head
            .done(Request::Init {
                file: "school.toml".into(),
                source: format!(
                    "{EXAMPLE}{PERIODS}\n[lessons]\npm_register_period = \"{period}\"\n"
                ),
            })
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("lessons.pm_register_period") && err.contains(says),
            "{err}"
        );
    }
}

/// A timetabled class with no pupils, and a class never taught, are said on import (either
/// file may come first, so neither is refused); two files that fit say nothing.
#[test]
fn an_import_says_what_the_timetable_and_the_classes_leave_undone() {
    let school = secondary("2026-11-23T08:00", "");
    let mut head = school.client("head");
    assert!(import(&mut head, "timetable", TIMETABLE).notes.is_empty());
    let notes = import(
        &mut head,
        "timetable",
        &format!("{TIMETABLE}10Z/Sc1,Tue,P1,jpatel,S2\n"),
    )
    .notes;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("have no pupils") && notes[0].contains("10Z/Sc1"),
        "{notes:?}"
    );
    let notes = import(
        &mut head,
        "classes",
        &format!("{CLASSES}11Q/Fr1,A100000000016,French\n"),
    )
    .notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("not in the timetable: 11Q/Fr1")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("10Z/Sc1")), "{notes:?}");
}

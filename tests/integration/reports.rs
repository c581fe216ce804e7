//! Reports beyond the rates: counts by code, lateness, weekdays, the period before, the
//! compulsory-school-age filter and the PA and SA lists, with figures worked out by hand.

use crate::common::*;
use chrono::NaiveTime;
use rollcall::service::Client;
use rollcall::service::protocol::{AbsenceLevel, ReportBy, ReportFilter, ReportRow};

const WEEK: [&str; 5] = [
    "2026-11-16",
    "2026-11-17",
    "2026-11-18",
    "2026-11-19",
    "2026-11-20",
];

fn enter(office: &mut Client, date: &str, session: &str, pupil: usize, code: &str) {
    let mut req = mark("Oak", date, session, &upn(pupil), code);
    req.reason = Some("entered from the paper register".into());
    if let Some((code, arrived)) = code.split_once('@') {
        req.code = code.into();
        req.arrived = NaiveTime::parse_from_str(arrived, "%H:%M").ok();
    }
    office.mark(req).unwrap();
}

/// Oak's week of 16 November (and everyone present on Friday 13th), plus a nursery pupil
/// (4 on 31 August 2026) present once:
/// Alice late Monday (09:17, 12 minutes) and U Tuesday (09:45); Ben ill Wednesday; Cara `O`
/// Friday. Oak: 50 possible, 5 absent (2 I, 2 O, 1 U): 90%.
fn the_week() -> (TestSchool, Client) {
    let school = TestSchool::new("2026-11-27T16:00");
    let mut head = school.client("head");
    let csv = format!("{PUPILS_CSV}A100000000809,Ivy,Iris,2022-05-01,N2,Oak\n");
    head.import_pupils("pupils.csv".into(), csv, Some(d("2026-09-01")), false)
        .unwrap();
    let mut office = school.client("office");
    for date in std::iter::once("2026-11-13").chain(WEEK) {
        for pupil in 0..5 {
            enter(&mut office, date, "am", pupil, "/");
            enter(&mut office, date, "pm", pupil, "\\");
        }
    }
    enter(&mut office, "2026-11-16", "am", 0, "L@09:17");
    enter(&mut office, "2026-11-17", "am", 0, "U@09:45");
    enter(&mut office, "2026-11-18", "am", 1, "I");
    enter(&mut office, "2026-11-18", "pm", 1, "I");
    enter(&mut office, "2026-11-20", "am", 2, "O");
    enter(&mut office, "2026-11-20", "pm", 2, "O");
    let mut nursery = mark("Oak", "2026-11-16", "am", "A100000000809", "/");
    nursery.reason = Some("entered from the paper register".into());
    office.mark(nursery).unwrap();
    (school, office)
}

fn report(office: &mut Client, by: ReportBy, filter: ReportFilter) -> Vec<ReportRow> {
    office
        .report(d("2026-11-16"), d("2026-11-20"), by, filter)
        .unwrap()
}

fn compulsory() -> ReportFilter {
    ReportFilter {
        compulsory_age: true,
        ..Default::default()
    }
}

#[test]
fn a_group_counts_codes_lateness_and_absence_by_weekday() {
    let (_school, mut office) = the_week();
    let rows = report(&mut office, ReportBy::Group, compulsory());
    let oak = &rows[0];
    assert_eq!(oak.key, "Oak");
    assert_eq!(oak.tally.possible(), 50);
    assert_eq!(oak.attendance_pct, Some(90.0));
    assert_eq!(oak.tally.authorised_pct(), Some(4.0));
    assert_eq!(oak.tally.unauthorised_pct(), Some(6.0));
    let detail = &oak.detail;
    assert_eq!(detail.late_count, 1);
    assert_eq!(detail.minutes_late_mean(), Some(12.0));
    assert_eq!(detail.u_count, 1);
    let codes: Vec<(&str, u32)> = detail.by_code().into_iter().collect();
    assert_eq!(
        codes,
        [
            ("/", 21),
            ("I", 2),
            ("L", 1),
            ("O", 2),
            ("U", 1),
            ("\\", 23)
        ]
    );
    let days: Vec<(&str, u32, u32)> = detail
        .weekdays()
        .into_iter()
        .map(|(day, f)| (day, f.possible, f.absent))
        .collect();
    assert_eq!(
        days,
        [
            ("mon", 10, 0),
            ("tue", 10, 1),
            ("wed", 10, 2),
            ("thu", 10, 0),
            ("fri", 10, 2)
        ]
    );
    // The school row is the group's sum; by pupil, each pupil's own.
    let school = report(&mut office, ReportBy::School, compulsory());
    assert_eq!(school[0].detail, oak.detail);
    let alice = &report(&mut office, ReportBy::Pupil, compulsory())[0];
    assert_eq!((alice.detail.late_count, alice.detail.u_count), (1, 1));
}

#[test]
fn compulsory_school_age_leaves_out_a_nursery_pupil() {
    let (_school, mut office) = the_week();
    let all = report(&mut office, ReportBy::School, ReportFilter::default());
    let headline = report(&mut office, ReportBy::School, compulsory());
    assert_eq!((all[0].pupils, all[0].tally.possible()), (6, 51));
    assert_eq!((headline[0].pupils, headline[0].tally.possible()), (5, 50));
    let pupils = report(&mut office, ReportBy::Pupil, compulsory());
    assert!(pupils.iter().all(|r| r.key != "A100000000809"));
}

#[test]
fn pa_and_sa_lists_take_exactly_10_and_50_percent() {
    let (_school, mut office) = the_week();
    let only = |level| ReportFilter {
        only: Some(level),
        ..Default::default()
    };
    let pa = report(&mut office, ReportBy::Pupil, only(AbsenceLevel::Pa));
    let names: Vec<&str> = pa.iter().map(|r| r.label.as_str()).collect();
    // Alice: 1 absent of 10, exactly 10%: persistent absence. Ben and Cara 2 of 10.
    assert_eq!(names, ["Adams, Alice", "Brown, Ben", "Cole, Cara"]);
    let sa = report(&mut office, ReportBy::Pupil, only(AbsenceLevel::Sa));
    assert!(sa.is_empty());
    // A group's PA list counts the PA pupils' sessions only.
    let group = report(&mut office, ReportBy::Group, only(AbsenceLevel::Pa));
    assert_eq!((group[0].pupils, group[0].tally.possible()), (3, 30));
}

#[test]
fn a_period_is_set_beside_the_one_before() {
    let (_school, mut office) = the_week();
    let rows = report(
        &mut office,
        ReportBy::Group,
        ReportFilter {
            compare: true,
            ..Default::default()
        },
    );
    let before = rows[0].previous.as_ref().unwrap();
    assert_eq!((before.from, before.to), (d("2026-11-11"), d("2026-11-15")));
    // Friday 13th: Oak's five all present both sessions.
    assert_eq!((before.possible, before.attendance_pct), (10, Some(100.0)));
}

/// The rows the reports view shows, as the engine's report gives them for the same filter.
fn on_screen(h: &Harness) -> (Vec<ReportRow>, ReportBy, ReportFilter, usize) {
    match &h.app.screen {
        rollcall::app::Screen::Reports(s) => (s.rows.clone(), s.by, s.filter.clone(), s.period),
        _ => panic!("not the reports view"),
    }
}

#[test]
fn the_reports_view_gives_the_figures_rollcall_report_gives() {
    let (school, mut office) = the_week();
    let mut h = Harness::new(&school, "office");
    // Opens on groups over the last four weeks, beside the four before.
    h.press("f8");
    assert_snapshot("reports_by_group", &h.screen());
    assert_snapshot("reports_by_group_60x16", &h.screen_at(60, 16));
    // By pupil, compulsory school age only, the PA list, lowest attendance first.
    h.press("tab c a s");
    let (rows, by, filter, period) = on_screen(&h);
    assert_eq!(by, ReportBy::Pupil);
    assert_eq!(
        filter,
        ReportFilter {
            compulsory_age: true,
            only: Some(AbsenceLevel::Pa),
            compare: true,
            cohort: None,
        }
    );
    let (from, to) = rollcall::app::period_dates(period, d("2026-11-27"));
    let same = office.report(from, to, by, filter).unwrap();
    let key = |r: &ReportRow| {
        (
            r.key.clone(),
            r.tally,
            r.detail.clone(),
            r.previous.as_ref().map(|p| (p.possible, p.attendance_pct)),
        )
    };
    let mut expected: Vec<_> = same.iter().map(key).collect();
    let mut shown: Vec<_> = rows.iter().map(key).collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(shown, expected);
    // Over four weeks Alice is 1 absent in 12 (8.3%): not PA. Ben and Cara 2 in 12.
    let names: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(names, ["Brown, Ben", "Cole, Cara"]);
    assert_snapshot("reports_pa_by_pupil", &h.screen());
    // The same rows through the binary's JSON for the same period and filter.
    let dir = tempfile::tempdir().unwrap();
    h.driver.save_dir = dir.path().to_path_buf();
    h.press("e");
    let saved = std::fs::read_to_string(
        dir.path()
            .join(format!("rollcall-report-pupil-{from}-{to}.csv")),
    )
    .unwrap();
    assert!(
        h.message().starts_with("saved 2 rows to "),
        "{}",
        h.message()
    );
    let lines: Vec<&str> = saved.lines().collect();
    assert_eq!(lines.len(), 3, "{saved}");
    // The same CSV as `rollcall report` gives for the same period and filter.
    assert!(
        lines[0].starts_with("upn,name,possible,present,aea,authorised,unauthorised,"),
        "{saved}"
    );
    assert!(
        lines[1].starts_with(
            "A100000000126,\"Brown, Ben\",12,10,0,2,0,83.3,16.7,1.0,16.7,0.0,0,,0,yes,no,"
        ),
        "{saved}"
    );
    // A pupil row opens the pupil's year.
    h.press("enter");
    assert!(matches!(h.app.screen, rollcall::app::Screen::Pupil(_)));
    h.press("esc");
    assert!(matches!(h.app.screen, rollcall::app::Screen::Reports(_)));
}

#[test]
fn the_census_counts_pupils_of_compulsory_age_with_absence_by_reason() {
    let (_school, mut office) = the_week();
    let rows = office.census(d("2026-11-16"), d("2026-11-20")).unwrap();
    // The nursery pupil (4 on 31 August 2026) is left out, as the census leaves them out.
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.upn != "A100000000809"));
    let of = |i: usize| rows.iter().find(|r| r.upn == upn(i)).unwrap();
    use rollcall::domain::codes::Code;
    assert_eq!(of(1).absence, [(Code::I, 2)]);
    assert_eq!((of(1).tally.possible(), of(1).tally.authorised), (10, 2));
    assert_eq!(of(2).absence, [(Code::O, 2)]);
    assert_eq!(
        of(0).absence,
        [(Code::U, 1)],
        "U counts as unauthorised absence"
    );
    assert!(of(3).absence.is_empty());
}

/// Issue 22, items 3 and 4: days lost (absent sessions over two) in every row; the lists for
/// recognition: full attendance, and up on the period before by the school's points, a pupil
/// exactly on the points included. Thursday and Friday against Tuesday and Wednesday: Alice
/// 75% (U Tuesday) to 100%, Ben 50% (ill Wednesday) to 100%, Cara 100% to 50% (O Friday).
#[test]
fn days_lost_full_attendance_and_the_improved_by_the_schools_points() {
    let (school, mut office) = the_week();
    let rows = |office: &mut Client, only| {
        office
            .report(
                d("2026-11-19"),
                d("2026-11-20"),
                ReportBy::Pupil,
                ReportFilter {
                    only,
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let names =
        |rows: Vec<ReportRow>| -> Vec<String> { rows.into_iter().map(|r| r.label).collect() };
    let all = rows(&mut office, None);
    let cara = all.iter().find(|r| r.label == "Cole, Cara").unwrap();
    assert_eq!(cara.tally.days_lost(), 1.0);
    assert_eq!(
        names(rows(&mut office, Some(AbsenceLevel::Full))),
        ["Adams, Alice", "Brown, Ben", "Dean, Dan", "Evans, Eve"]
    );
    // The national default: 5 points.
    assert_eq!(
        names(rows(&mut office, Some(AbsenceLevel::Improved))),
        ["Adams, Alice", "Brown, Ben"]
    );
    // The school's own: exactly 25 points is enough; 25.5 is not.
    for (points, expected) in [
        ("25", vec!["Adams, Alice", "Brown, Ben"]),
        ("25.5", vec!["Brown, Ben"]),
    ] {
        school
            .client("head")
            .done(rollcall::service::protocol::Request::Init {
                file: "school.toml".into(),
                source: format!("{EXAMPLE}\n[recognition]\nimproved_by_points = {points}\n"),
            })
            .unwrap();
        assert_eq!(
            names(rows(&mut office, Some(AbsenceLevel::Improved))),
            expected,
            "{points}"
        );
    }
    let err = school
        .client("head")
        .done(rollcall::service::protocol::Request::Init {
            file: "school.toml".into(),
            source: format!("{EXAMPLE}\n[recognition]\nimproved_by_points = 0\n"),
        })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("recognition.improved_by_points") && err.contains("0.5 to 50"),
        "{err}"
    );
}

/// Issue 22, item 4 in the app: `a` steps through PA, SA, full attendance and improved, the
/// title says which, and the rows are the engine's for that list.
#[test]
fn the_reports_view_lists_full_and_improved_attendance() {
    let (school, mut office) = the_week();
    let mut h = Harness::new(&school, "office");
    h.press("f8");
    h.press("tab a a a");
    let (rows, by, filter, period) = on_screen(&h);
    assert_eq!(
        (by, filter.only),
        (ReportBy::Pupil, Some(AbsenceLevel::Full))
    );
    assert!(h.screen().contains("full attendance"), "{}", h.screen());
    let (from, to) = rollcall::app::period_dates(period, d("2026-11-27"));
    let labels = |rows: &[ReportRow]| rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>();
    assert_eq!(
        labels(&rows),
        labels(&office.report(from, to, by, filter.clone()).unwrap())
    );
    h.press("a");
    let (rows, _, filter, _) = on_screen(&h);
    assert_eq!(filter.only, Some(AbsenceLevel::Improved));
    assert!(h.screen().contains("improved"), "{}", h.screen());
    assert_eq!(
        labels(&rows),
        labels(&office.report(from, to, by, filter).unwrap())
    );
    h.press("a");
    assert_eq!(on_screen(&h).2.only, None);
}

/// Issue 23, item 4 in the app: office staff step on from pupils to cohorts (all pupils, then
/// each characteristic) and `o` keeps only a cohort, the title naming it; a teacher's `tab`
/// never reaches cohorts and `o` says who may.
#[test]
fn the_reports_view_breaks_figures_down_by_cohort_for_the_office() {
    let (school, mut office) = the_week();
    let mut h = Harness::new(&school, "office");
    h.press("f8");
    h.press("tab tab");
    let (rows, by, filter, period) = on_screen(&h);
    assert_eq!(by, ReportBy::Cohort);
    assert!(h.screen().contains("by cohort"), "{}", h.screen());
    let (from, to) = rollcall::app::period_dates(period, d("2026-11-27"));
    let keys = |rows: &[ReportRow]| {
        rows.iter()
            .map(|r| (r.key.clone(), r.pupils, r.tally))
            .collect::<Vec<_>>()
    };
    let same = office.report(from, to, by, filter).unwrap();
    assert_eq!(keys(&rows), keys(&same));
    assert_eq!(rows[0].key, "all pupils");
    // Nobody in the week has a characteristic: FSM is empty, not FSM is everyone.
    let pupils = |key: &str| rows.iter().find(|r| r.key == key).unwrap().pupils;
    assert_eq!(pupils("not fsm"), pupils("all pupils"));
    assert_eq!(pupils("fsm"), 0);
    h.press("o");
    let (_, _, filter, _) = on_screen(&h);
    assert_eq!(
        filter.cohort,
        Some(rollcall::service::protocol::Cohort::Sen)
    );
    assert!(h.screen().contains("SEN"), "{}", h.screen());
    // A teacher: groups, pupils, the school, years; never cohorts.
    let mut t = Harness::new(&school, "jpatel");
    t.press("f8");
    for _ in 0..5 {
        t.press("tab");
        assert_ne!(on_screen(&t).1, ReportBy::Cohort);
    }
    t.press("o");
    assert!(t.message().contains("office staff"), "{}", t.message());
    assert_eq!(on_screen(&t).2.cohort, None);
}

/// The period before counts the same pupils as the row: a cohort's own earlier rate (not
/// none), and for a filtered list the listed pupils' (issue 23's review).
#[test]
fn the_period_before_counts_each_rows_own_pupils() {
    let (_school, mut office) = the_week();
    let by_cohort = report(
        &mut office,
        ReportBy::Cohort,
        ReportFilter {
            compare: true,
            ..ReportFilter::default()
        },
    );
    let previous = |rows: &[ReportRow], key: &str| {
        rows.iter()
            .find(|r| r.key == key)
            .and_then(|r| r.previous.as_ref())
            .map(|p| (p.possible, p.attendance_pct))
    };
    // Nobody has free school meals: "not fsm" is everyone, before as now.
    assert_eq!(
        previous(&by_cohort, "not fsm"),
        previous(&by_cohort, "all pupils")
    );
    assert!(previous(&by_cohort, "not fsm").is_some_and(|(n, _)| n > 0));
    // The nursery pupil, present once in the week, is not of compulsory age: the school's
    // row of compulsory-age pupils before counts the five others' 10 sessions of the 13th.
    let aged = report(
        &mut office,
        ReportBy::School,
        ReportFilter {
            compare: true,
            compulsory_age: true,
            ..ReportFilter::default()
        },
    );
    assert_eq!(previous(&aged, &aged[0].key), Some((10, Some(100.0))));
}

//! Alerts "on" a past date count what had been recorded by the end of that day (SPEC 4): a
//! mark entered later was not known then, and a mark changed later had its earlier code.

use crate::common::*;
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::Alert;

/// The office records `code` for pupil 0 (Oak) on each session, at `now`.
fn record(
    school: &TestSchool,
    office: &mut Client,
    now: &str,
    sessions: &[(&str, &str)],
    code: &str,
) {
    school.set_now(now);
    for (date, session) in sessions {
        let mut m = mark("Oak", date, session, &upn(0), code);
        m.reason = Some("from the office's call log".into());
        m.expect = rollcall::service::protocol::Expect::Anything;
        office.mark(m).unwrap();
    }
}

fn kinds(alerts: &[Alert]) -> Vec<&'static str> {
    alerts
        .iter()
        .filter(|a| a.upn == upn(0))
        .map(|a| a.kind.as_str())
        .collect()
}

/// The ten sessions of the week of 9 November.
const WEEK: [(&str, &str); 10] = [
    ("2026-11-09", "am"),
    ("2026-11-09", "pm"),
    ("2026-11-10", "am"),
    ("2026-11-10", "pm"),
    ("2026-11-11", "am"),
    ("2026-11-11", "pm"),
    ("2026-11-12", "am"),
    ("2026-11-12", "pm"),
    ("2026-11-13", "am"),
    ("2026-11-13", "pm"),
];

#[test]
fn a_mark_entered_after_the_date_asked_about_was_not_known_on_it() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK[..9], "O");
    // Friday afternoon's O is entered on Monday 16 November from the paper register.
    record(&school, &mut office, "2026-11-16T10:00", &WEEK[9..], "O");
    let on_friday = office.alerts(Some(d("2026-11-13"))).unwrap();
    assert!(
        !kinds(&on_friday).contains(&"penalty_notice"),
        "{on_friday:?}"
    );
    let on_monday = office.alerts(Some(d("2026-11-16"))).unwrap();
    assert!(
        kinds(&on_monday).contains(&"penalty_notice"),
        "{on_monday:?}"
    );
}

#[test]
fn a_mark_amended_after_the_date_asked_about_counts_as_it_stood_then() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK, "O");
    // On 17 November a letter arrives: two sessions were a medical appointment.
    record(&school, &mut office, "2026-11-17T10:00", &WEEK[..2], "M");
    let then = office.alerts(Some(d("2026-11-13"))).unwrap();
    let penalty = then
        .iter()
        .find(|a| a.upn == upn(0) && a.kind.as_str() == "penalty_notice")
        .unwrap_or_else(|| panic!("{then:?}"));
    assert_eq!(penalty.evidence.len(), 10);
    assert!(penalty.evidence.iter().all(|m| m.code.as_str() == "O"));
    let now = office.alerts(None).unwrap();
    assert!(!kinds(&now).contains(&"penalty_notice"), "{now:?}");
}

#[test]
fn an_n_resolved_later_was_unresolved_on_the_days_before() {
    let school = TestSchool::new("2026-11-02T09:10");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", "2026-11-02", "am", &upn(0), "N"))
        .unwrap();
    let mut office = school.client("office");
    // Deadline 9 November; the office finds the reason on the 11th.
    record(
        &school,
        &mut office,
        "2026-11-11T10:00",
        &[("2026-11-02", "am")],
        "I",
    );
    let on_tenth = office.alerts(Some(d("2026-11-10"))).unwrap();
    assert_eq!(kinds(&on_tenth), ["unresolved_n"], "{on_tenth:?}");
    assert_eq!(on_tenth[0].evidence[0].session, Session::Am);
    assert!(kinds(&office.alerts(Some(d("2026-11-11"))).unwrap()).is_empty());
    assert!(kinds(&office.alerts(None).unwrap()).is_empty());
}

#[test]
fn a_withdrawn_mark_still_counts_on_the_days_it_stood() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK, "O");
    school.set_now("2026-11-18T10:00");
    office
        .clear(rollcall::service::protocol::Request::Clear {
            group: "Oak".into(),
            date: d("2026-11-09"),
            session: Session::Am,
            upn: upn(0),
            reason: Some("pupil was not on roll that morning".into()),
            expect: rollcall::service::protocol::Expect::Anything,
        })
        .unwrap();
    assert!(kinds(&office.alerts(Some(d("2026-11-13"))).unwrap()).contains(&"penalty_notice"));
    assert!(!kinds(&office.alerts(None).unwrap()).contains(&"penalty_notice"));
}

//! Alerts "on" a past date count what had been recorded by the end of that day (SPEC 4): a
//! mark entered later was not known then, and a mark changed later had its earlier code.

use crate::common::*;
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::Alert;
use rollcall::service::protocol::RegisterId;

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
            register: RegisterId {
                group: "Oak".into(),
                date: d("2026-11-09"),
                session: Session::Am,
            },
            upn: upn(0),
            reason: Some("pupil was not on roll that morning".into()),
            expect: rollcall::service::protocol::Expect::Anything,
        })
        .unwrap();
    assert!(kinds(&office.alerts(Some(d("2026-11-13"))).unwrap()).contains(&"penalty_notice"));
    assert!(!kinds(&office.alerts(None).unwrap()).contains(&"penalty_notice"));
}

fn act(
    office: &mut Client,
    kind: &str,
    note: &str,
) -> Result<String, rollcall::service::ServiceError> {
    office.done(rollcall::service::protocol::Request::ActOnAlert {
        upn: upn(0),
        kind: rollcall::domain::thresholds::ThresholdKind::parse(kind).unwrap(),
        session: None,
        note: note.into(),
    })
}

fn find<'a>(alerts: &'a [Alert], kind: &str) -> Option<&'a Alert> {
    alerts
        .iter()
        .find(|a| a.upn == upn(0) && a.kind.as_str() == kind)
}

#[test]
fn an_alert_acted_on_stays_so_until_the_threshold_is_reached_again() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK, "O");
    // Only office staff act on alerts, on one that exists, with a note.
    let err = act(&mut school.client("jpatel"), "penalty_notice", "called").unwrap_err();
    assert!(err.to_string().contains("only office staff"), "{err}");
    let err = act(&mut office, "illness", "called").unwrap_err();
    assert!(err.to_string().contains("no illness alert"), "{err}");
    let err = act(&mut office, "penalty_notice", "  ").unwrap_err();
    assert!(err.to_string().contains("note"), "{err}");
    let message = act(
        &mut office,
        "penalty-notice",
        "Letter sent home; meeting booked",
    )
    .unwrap();
    assert!(message.contains("Adams, Alice"), "{message}");

    let alerts = office.alerts(None).unwrap();
    let acted = find(&alerts, "penalty_notice")
        .unwrap()
        .acted
        .as_ref()
        .unwrap();
    assert_eq!(acted.note, "Letter sent home; meeting booked");
    assert_eq!(
        (acted.name.as_str(), acted.account.as_str()),
        ("Sam Reed", "office")
    );
    assert_eq!(acted.through, (d("2026-11-13"), Session::Pm));
    // Nine more unauthorised sessions: the same alert, still acted on.
    let next: Vec<(String, &str)> = example_days("2026-11-16", 5);
    let next: Vec<(&str, &str)> = next.iter().map(|(d, s)| (d.as_str(), *s)).collect();
    record(&school, &mut office, "2026-11-20T16:00", &next[..9], "O");
    let alerts = office.alerts(None).unwrap();
    assert!(find(&alerts, "penalty_notice").unwrap().acted.is_some());
    // The tenth: reached again by sessions after the ones acted on.
    record(&school, &mut office, "2026-11-20T16:00", &next[9..], "O");
    let alerts = office.alerts(None).unwrap();
    assert!(
        find(&alerts, "penalty_notice").unwrap().acted.is_none(),
        "{alerts:?}"
    );
    // Asked about the 13th, the action (made that day) stands.
    let then = office.alerts(Some(d("2026-11-13"))).unwrap();
    assert!(find(&then, "penalty_notice").unwrap().acted.is_some());
}

/// Both sessions of `days` school days from `from`, as (date, session).
fn example_days(from: &str, days: usize) -> Vec<(String, &'static str)> {
    let school = rollcall::config::parse_school("school.toml", EXAMPLE).unwrap();
    school
        .calendar
        .school_days(d(from), d("2026-12-18"))
        .take(days)
        .flat_map(|day| [(day.to_string(), "am"), (day.to_string(), "pm")])
        .collect()
}

#[test]
fn five_late_arrivals_in_four_school_weeks_are_persistent_lateness_and_four_are_not() {
    let school = TestSchool::new("2026-11-20T16:00");
    let mut office = school.client("office");
    let days = example_days("2026-11-02", 15);
    let mornings: Vec<(&str, &str)> = days
        .iter()
        .filter(|(_, s)| *s == "am")
        .map(|(d, s)| (d.as_str(), *s))
        .step_by(3)
        .collect();
    assert_eq!(mornings.len(), 5);
    let arrive = |office: &mut Client, (date, session): (&str, &str), at: &str| {
        let mut m = mark("Oak", date, session, &upn(0), "L");
        m.arrived = rollcall::domain::session::parse_hm(at);
        m.reason = Some("signed in at the office".into());
        office.mark(m).unwrap();
    };
    for morning in &mornings[..4] {
        arrive(&mut office, *morning, "09:15");
    }
    assert!(find(&office.alerts(None).unwrap(), "persistent_lateness").is_none());
    // After the close: U, a late arrival all the same.
    arrive(&mut office, mornings[4], "09:50");
    let alerts = office.alerts(None).unwrap();
    let late = find(&alerts, "persistent_lateness").unwrap_or_else(|| panic!("{alerts:?}"));
    assert_eq!(late.evidence.len(), 5);
    assert!(late.summary.starts_with("late 5 times"), "{}", late.summary);
}

#[test]
fn crossing_into_persistent_absence_this_week_is_an_alert_once() {
    // Pupil 0 present every session from 1 September to 13 November, then absent all week.
    let school = TestSchool::new("2026-11-20T16:00");
    let mut office = school.client("office");
    let before = example_days("2026-10-19", 5);
    let before: Vec<(&str, &str)> = before.iter().map(|(d, s)| (d.as_str(), *s)).collect();
    record(&school, &mut office, "2026-11-20T16:00", &before, "/");
    let this_week = example_days("2026-11-16", 2);
    let this_week: Vec<(&str, &str)> = this_week.iter().map(|(d, s)| (d.as_str(), *s)).collect();
    // 10 present, then 2 sessions absent: 83%, crossed this week.
    record(
        &school,
        &mut office,
        "2026-11-20T16:00",
        &this_week[..2],
        "O",
    );
    let alerts = office.alerts(None).unwrap();
    let pa = find(&alerts, "became_persistent_absence").unwrap_or_else(|| panic!("{alerts:?}"));
    assert_eq!(pa.evidence.len(), 2);
    assert!(pa.summary.contains("83.3%"), "{}", pa.summary);
    assert!(find(&alerts, "became_severe_absence").is_none());
    // A week later nothing new crossed: no alert, though the pupil is still PA.
    school.set_now("2026-11-23T16:00");
    let alerts = office.alerts(Some(d("2026-11-23"))).unwrap();
    assert!(
        find(&alerts, "became_persistent_absence").is_none(),
        "{alerts:?}"
    );
}

/// Issue 18, item 11: penalty notices, the local authority's 10 days and missing education
/// concern pupils of compulsory school age (5 to 15 on the previous 31 August, SPEC §7.4). A
/// four-year-old with the same absences as a seven-year-old is counted, but no such alert is
/// due.
#[test]
fn thresholds_for_compulsory_school_age_pass_over_a_four_year_old() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut head = school.client("head");
    let young = upn(30);
    head.import_pupils(
        "young.csv".into(),
        format!("upn,surname,forename,dob,year,group\n{young},Young,Yasmin,2022-03-01,R,Oak\n"),
        Some(d("2026-09-01")),
        false,
    )
    .unwrap();
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK, "O");
    for (date, session) in WEEK {
        let mut m = mark("Oak", date, session, &young, "O");
        m.reason = Some("from the office's call log".into());
        m.expect = rollcall::service::protocol::Expect::Anything;
        office.mark(m).unwrap();
    }
    let alerts = office.alerts(Some(d("2026-11-13"))).unwrap();
    assert!(kinds(&alerts).contains(&"penalty_notice"), "{alerts:?}");
    let hers: Vec<&str> = alerts
        .iter()
        .filter(|a| a.upn == young)
        .map(|a| a.kind.as_str())
        .collect();
    assert!(!hers.contains(&"penalty_notice"), "{hers:?}");
    // Her absence still counts in her figures.
    let year = office
        .pupil_year(young.clone(), Some(d("2026-11-13")))
        .unwrap();
    assert_eq!(year.tally.unauthorised, 10, "{:?}", year.tally);
}

/// Issue 22, item 2: a local authority's code of conduct ("6 sessions in 3 months", 13
/// school weeks) in `[thresholds]` moves the penalty alert; the lateness and illness ones
/// follow theirs; a number out of range is refused naming the field and its line.
#[test]
fn the_local_authoritys_thresholds_replace_the_national_ones() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    record(&school, &mut office, "2026-11-13T16:00", &WEEK[..6], "O");
    // Six unauthorised sessions: below the national 10.
    assert!(!kinds(&office.alerts(None).unwrap()).contains(&"penalty_notice"));
    let init = |extra: &str| {
        school
            .client("head")
            .done(rollcall::service::protocol::Request::Init {
                file: "school.toml".into(),
                source: format!("{EXAMPLE}\n[thresholds]\n{extra}\n"),
            })
    };
    init("penalty_sessions = 6\npenalty_school_weeks = 13").unwrap();
    let alerts = office.alerts(None).unwrap();
    let hit = alerts
        .iter()
        .find(|a| a.upn == upn(0) && a.kind.as_str() == "penalty_notice")
        .unwrap_or_else(|| panic!("{alerts:?}"));
    assert_eq!(hit.evidence.len(), 6);
    assert!(hit.summary.contains("13 school weeks"), "{}", hit.summary);
    // Seven is one too many for these six.
    init("penalty_sessions = 7").unwrap();
    assert!(!kinds(&office.alerts(None).unwrap()).contains(&"penalty_notice"));
    // Illness: 3 school days (6 sessions) where the school says so.
    record(&school, &mut office, "2026-11-13T16:00", &WEEK[6..], "I");
    assert!(!kinds(&office.alerts(None).unwrap()).contains(&"illness"));
    init("illness_days = 2").unwrap();
    assert!(kinds(&office.alerts(None).unwrap()).contains(&"illness"));
    for (extra, field, says) in [
        (
            "penalty_sessions = 0",
            "thresholds.penalty_sessions",
            "1 to 380",
        ),
        (
            "penalty_school_weeks = 40",
            "thresholds.penalty_school_weeks",
            "1 to 39",
        ),
        (
            "lateness_sessions = -1",
            "thresholds.lateness_sessions",
            "1 to 380",
        ),
        (
            "missing_education_days = 10",
            "missing_education_days",
            "unknown field",
        ),
    ] {
        let err = init(extra).unwrap_err().to_string();
        assert!(err.contains(field) && err.contains(says), "{extra}: {err}");
    }
    // A refused file changed nothing: the school's 2 days of illness still stand.
    assert!(kinds(&office.alerts(None).unwrap()).contains(&"illness"));
}

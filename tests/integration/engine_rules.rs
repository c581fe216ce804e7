//! The rules end to end through the engine: roles, timing, closing, amendments, statistics.
//! The example school registers at 09:05 and closes at 09:30 (AM), 13:10 / 13:35 (PM).

use crate::common::*;
use rollcall::domain::codes::Code;
use rollcall::domain::register::ChangeKind;
use rollcall::domain::session::{Session, parse_hm};
use rollcall::service::ServiceError;
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{Expect, MarkRequest, PlanRequest, ReportBy, Request};

const MONDAY: &str = "2026-11-23";

#[test]
fn a_teacher_marks_their_own_group_while_the_register_is_open() {
    let school = TestSchool::new("2026-11-23T08:50");
    let mut teacher = school.client("jpatel");
    let outcome = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap();
    assert_eq!(outcome.mark.code, "/");
    assert_eq!(outcome.mark.recorded_by, "jpatel");
    assert_eq!(outcome.kind, ChangeKind::Mark);

    let err = teacher
        .mark(mark("Ash", MONDAY, "am", &upn(5), "/"))
        .unwrap_err();
    assert!(matches!(err, ServiceError::Refused(_)));
    assert!(err.to_string().contains("not a tutor of Ash"), "{err}");

    let err = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(1), "M"))
        .unwrap_err();
    assert!(
        err.to_string().contains("only office staff enter M"),
        "{err}"
    );
}

#[test]
fn a_teacher_cannot_mark_before_the_register_opens_or_after_it_closes() {
    let school = TestSchool::new("2026-11-23T08:40");
    let mut teacher = school.client("jpatel");
    let err = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap_err();
    assert!(err.to_string().contains("opens at 08:45"), "{err}");
    school.set_now("2026-11-23T09:31");
    let mut late = mark("Oak", MONDAY, "am", &upn(0), "L");
    late.reason = Some("teacher insists".into());
    let err = teacher.mark(late).unwrap_err();
    assert!(err.to_string().contains("closed at 09:30"), "{err}");
}

#[test]
fn arrival_times_decide_present_late_and_u_at_the_boundaries() {
    let school = TestSchool::new("2026-11-23T10:00");
    let mut office = school.client("office");
    let cases = [
        ("09:05", "/", None, None),
        ("09:06", "L", Some("09:06"), Some(1)),
        ("09:30", "L", Some("09:30"), Some(25)),
        ("09:31", "U", Some("09:31"), Some(26)),
    ];
    for (i, (arrived, code, stored_arrival, late)) in cases.into_iter().enumerate() {
        let mut req = mark("Oak", MONDAY, "am", &upn(i), "L");
        req.arrived = parse_hm(arrived);
        req.reason = Some("signed in at the office".into());
        let outcome = office.mark(req).unwrap();
        assert_eq!(outcome.mark.code, code, "arrival {arrived}");
        assert_eq!(
            outcome.mark.arrived,
            stored_arrival.and_then(parse_hm),
            "arrival {arrived}"
        );
        assert_eq!(outcome.mark.minutes_late, late, "arrival {arrived}");
    }
}

#[test]
fn late_now_is_l_with_minutes_and_after_the_close_the_office_gets_u_with_why() {
    let school = TestSchool::new("2026-11-23T09:17");
    let mut teacher = school.client("jpatel");
    let outcome = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "L"))
        .unwrap();
    assert_eq!(
        (outcome.mark.code.as_str(), outcome.mark.minutes_late),
        ("L", Some(12))
    );

    school.set_now("2026-11-23T09:44");
    let mut office = school.client("office");
    let mut req = mark("Oak", MONDAY, "am", &upn(1), "L");
    req.reason = Some("late sign-in".into());
    let outcome = office.mark(req).unwrap();
    assert_eq!(outcome.mark.code, "U");
    assert_eq!(outcome.kind, ChangeKind::Amendment);
    let why = outcome.explanation.unwrap();
    assert!(
        why.contains("arrived 09:44, after the register closed at 09:30: recorded as U"),
        "{why}"
    );
}

#[test]
fn closing_turns_blanks_into_n_and_locks_the_register() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap();
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(1), "L"))
        .unwrap();
    let summary = teacher.close("Oak".into(), d(MONDAY), Session::Am).unwrap();
    assert_eq!(summary.filled, [upn(2), upn(3), upn(4)]);
    assert_eq!(
        summary
            .codes
            .iter()
            .map(|(c, n)| (c.to_string(), *n))
            .collect::<Vec<_>>(),
        [
            ("/".to_string(), 1),
            ("L".to_string(), 1),
            ("N".to_string(), 3)
        ]
    );
    assert_eq!(summary.tally.possible(), 5);

    let err = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(2), "/"))
        .unwrap_err();
    assert!(err.to_string().contains("has been closed"), "{err}");
    let err = teacher
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("already closed by jpatel at 09:10"),
        "{err}"
    );
}

#[test]
fn an_amendment_after_close_needs_a_reason_and_keeps_the_original_entry() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut teacher = school.client("jpatel");
    teacher.close("Oak".into(), d(MONDAY), Session::Am).unwrap();

    school.set_now("2026-11-23T11:02");
    let mut office = school.client("office");
    let err = office
        .mark(mark("Oak", MONDAY, "am", &upn(3), "M"))
        .unwrap_err();
    assert!(err.to_string().contains("needs a reason"), "{err}");
    let mut amend = mark("Oak", MONDAY, "am", &upn(3), "M");
    amend.reason = Some("Dentist appointment card seen".into());
    let outcome = office.mark(amend).unwrap();
    assert_eq!(outcome.kind, ChangeKind::Amendment);

    let history = office.history(upn(3), d(MONDAY), Session::Am).unwrap();
    assert_eq!(history.current.unwrap().code, "M");
    assert_eq!(history.changes.len(), 2);
    let original = &history.changes[0];
    assert_eq!(original.after.as_ref().unwrap().code, "N");
    assert_eq!(
        (original.account.as_str(), original.name.as_str()),
        ("jpatel", "Jay Patel")
    );
    let amendment = &history.changes[1];
    assert_eq!(amendment.kind, ChangeKind::Amendment);
    assert_eq!(amendment.before.as_ref().unwrap().code, "N");
    assert_eq!(amendment.after.as_ref().unwrap().code, "M");
    assert_eq!(
        amendment.reason.as_deref(),
        Some("Dentist appointment card seen")
    );
    assert_eq!(amendment.name, "Sam Reed");
    assert_eq!(amendment.position, "Attendance officer");
    assert_eq!(amendment.at, at("2026-11-23T11:02"));
}

#[test]
fn a_teacher_cannot_amend_a_closed_register() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut teacher = school.client("jpatel");
    teacher.close("Oak".into(), d(MONDAY), Session::Am).unwrap();
    let mut amend = mark("Oak", MONDAY, "am", &upn(3), "L");
    amend.reason = Some("arrived after all".into());
    assert!(matches!(
        teacher.mark(amend).unwrap_err(),
        ServiceError::Refused(_)
    ));
}

#[test]
fn an_unknown_account_is_refused_with_what_the_admin_should_run() {
    let school = TestSchool::new("2026-11-23T08:50");
    let err = school.client("mallory").hello().unwrap_err().to_string();
    assert!(
        err.contains("`mallory` is not on rollcall's staff list"),
        "{err}"
    );
    assert!(
        err.contains("rollcall staff add --account mallory"),
        "{err}"
    );
}

#[test]
fn only_admins_configure_and_import() {
    let school = TestSchool::new("2026-11-23T08:50");
    let err = school
        .client("office")
        .import_pupils("p.csv".into(), PUPILS_CSV.into(), None, false)
        .unwrap_err();
    assert!(
        err.to_string().contains("only admins can import pupils"),
        "{err}"
    );
}

#[test]
fn a_second_marker_who_saw_an_older_mark_is_refused_not_lost() {
    let school = TestSchool::new("2026-11-23T09:00");
    let mut first = school.client("jpatel");
    first.mark(mark("Oak", MONDAY, "am", &upn(0), "N")).unwrap();
    let mut office = school.client("office");
    let mut stale = mark("Oak", MONDAY, "am", &upn(0), "M");
    stale.expect = Expect::Blank;
    let err = office.mark(stale).unwrap_err();
    assert!(matches!(err, ServiceError::Conflict(_)), "{err}");
    assert!(
        err.to_string()
            .contains("was marked N by Jay Patel at 09:00"),
        "{err}"
    );
    let mut fresh = mark("Oak", MONDAY, "am", &upn(0), "M");
    fresh.expect = Expect::Code(Code::N);
    assert_eq!(office.mark(fresh).unwrap().mark.code, "M");
}

#[test]
fn a_teacher_must_confirm_replacing_an_office_pre_entry() {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut office = school.client("office");
    let planned = office
        .plan(PlanRequest {
            group: None,
            every: Vec::new(),
            upn: upn(2),
            from: d(MONDAY),
            from_session: Session::Am,
            to: d(MONDAY),
            to_session: Session::Pm,
            code: "M".into(),
            note: None,
            dry_run: false,
        })
        .unwrap();
    assert_eq!(planned.marked.len(), 2);
    school.set_now("2026-11-23T08:50");
    let mut teacher = school.client("jpatel");
    let err = teacher
        .mark(mark("Oak", MONDAY, "am", &upn(2), "/"))
        .unwrap_err();
    assert!(err.to_string().contains("entered by the office"), "{err}");
    let mut confirmed = mark("Oak", MONDAY, "am", &upn(2), "/");
    confirmed.replace_office_mark = true;
    assert_eq!(teacher.mark(confirmed).unwrap().mark.code, "/");
}

#[test]
fn a_pupil_who_joins_in_november_has_no_possible_sessions_in_october() {
    let school = TestSchool::new("2026-11-02T08:00");
    let mut head = school.client("head");
    let csv = format!("{PUPILS_CSV}A100000000919,Ives,Ida,2019-09-09,2,Oak\n");
    let summary = head
        .import_pupils("p.csv".into(), csv, Some(d("2026-11-02")), false)
        .unwrap();
    assert_eq!((summary.added, summary.unchanged), (1, 8));

    let mut office = school.client("office");
    let mut october = mark("Oak", "2026-10-05", "am", &upn(9), "/");
    october.reason = Some("catching up".into());
    let err = office.mark(october).unwrap_err();
    assert!(
        err.to_string().contains("not on roll on 2026-10-05"),
        "{err}"
    );
    let closed = office
        .close("Oak".into(), d("2026-10-05"), Session::Am)
        .unwrap();
    assert_eq!(
        closed.filled.len(),
        5,
        "the new pupil is not on October's roll"
    );
    let rows = office
        .report(
            d("2026-10-01"),
            d("2026-10-31"),
            ReportBy::Pupil,
            Default::default(),
        )
        .unwrap();
    assert!(rows.iter().all(|r| r.key != upn(9)));
}

#[test]
fn a_group_rate_sums_sessions_and_is_not_the_mean_of_pupil_rates() {
    let school = TestSchool::new("2026-11-30T12:00");
    let mut office = school.client("office");
    // Alice: 1 session, absent. Ben: 9 sessions present. Mean of rates 45%, group 90%.
    let mut plan = vec![("2026-11-23", "am", 0, "I")];
    for day in ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"] {
        plan.push((day, "am", 1, "/"));
        plan.push((day, "pm", 1, "\\"));
    }
    plan.push(("2026-11-30", "am", 1, "/"));
    for (day, session, pupil, code) in plan {
        let mut req = mark("Oak", day, session, &upn(pupil), code);
        req.reason = Some("entered from the paper register".into());
        office.mark(req).unwrap();
    }
    let pupils = office
        .report(
            d("2026-11-23"),
            d("2026-11-30"),
            ReportBy::Pupil,
            Default::default(),
        )
        .unwrap();
    let rates: Vec<f64> = pupils.iter().map(|r| r.attendance_pct.unwrap()).collect();
    assert_eq!(rates, [0.0, 100.0]);
    let group = office
        .report(
            d("2026-11-23"),
            d("2026-11-30"),
            ReportBy::Group,
            Default::default(),
        )
        .unwrap();
    assert_eq!(group[0].attendance_pct, Some(90.0));
    assert_eq!(group[0].tally.possible(), 10);
    assert_eq!((group[0].pa, group[0].sa), (1, 1));
    let school_row = office
        .report(
            d("2026-11-23"),
            d("2026-11-30"),
            ReportBy::School,
            Default::default(),
        )
        .unwrap();
    assert_eq!(school_row[0].attendance_pct, Some(90.0));
}

#[test]
fn not_possible_codes_stay_out_of_the_figures() {
    let school = TestSchool::new("2026-11-30T12:00");
    let mut office = school.client("office");
    let codes = [
        ("/", None),
        ("D", None),
        ("Q", None),
        ("Y1", Some("bus broke down")),
        ("Y4", Some("snow")),
    ];
    for (i, (code, note)) in codes.into_iter().enumerate() {
        let mut req = mark("Oak", "2026-11-24", "am", &upn(i), code);
        req.note = note.map(String::from);
        req.reason = Some("entered late".into());
        office.mark(req).unwrap();
    }
    let mut hash = mark("Oak", "2026-11-27", "am", &upn(0), "#");
    hash.reason = Some("INSET".into());
    office.mark(hash).unwrap();
    let rows = office
        .report(
            d("2026-11-23"),
            d("2026-11-30"),
            ReportBy::School,
            Default::default(),
        )
        .unwrap();
    assert_eq!(rows[0].tally.possible(), 1);
    assert_eq!(rows[0].tally.not_possible, 5);
    assert_eq!(rows[0].attendance_pct, Some(100.0));
}

#[test]
fn codes_that_need_a_note_ask_for_one_and_withdrawn_codes_are_refused() {
    let school = TestSchool::new("2026-11-23T08:50");
    let mut office = school.client("office");
    let err = office
        .mark(mark("Oak", MONDAY, "am", &upn(0), "B"))
        .unwrap_err();
    assert!(err.to_string().contains("needs a note"), "{err}");
    let err = office
        .mark(mark("Oak", MONDAY, "am", &upn(0), "H"))
        .unwrap_err();
    assert!(err.to_string().contains("withdrawn"), "{err}");
    let err = office
        .mark(mark("Oak", MONDAY, "am", &upn(0), "QQ"))
        .unwrap_err();
    assert!(
        err.to_string().contains("`QQ` is not an attendance code"),
        "{err}"
    );
}

#[test]
fn marks_on_closures_and_weekends_are_refused() {
    let school = TestSchool::new("2026-11-20T08:50");
    let mut office = school.client("office");
    let err = office
        .mark(mark("Oak", "2026-11-27", "am", &upn(0), "/"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("not a school session (planned closure: INSET day)"),
        "{err}"
    );
    let err = office
        .mark(mark("Oak", "2026-11-28", "am", &upn(0), "/"))
        .unwrap_err();
    assert!(err.to_string().contains("not a school weekday"), "{err}");
}

#[test]
fn the_n_queue_counts_school_days_left_and_resolving_clears_it() {
    let school = TestSchool::new("2026-10-23T09:10");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", "2026-10-23", "am", &upn(0), "N"))
        .unwrap();
    let mut office = school.client("office");
    let queue = office.n_queue(Some(d("2026-11-02"))).unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(
        queue[0].deadline,
        d("2026-11-06"),
        "half term is not counted"
    );
    assert_eq!(queue[0].days_left, 4);
    let alerts = office.alerts(Some(d("2026-11-09"))).unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a.upn == upn(0) && a.kind.as_str() == "unresolved_n")
    );

    school.set_now("2026-11-02T10:00");
    let mut resolve = mark("Oak", "2026-10-23", "am", &upn(0), "I");
    resolve.reason = Some("Parent phoned".into());
    resolve.expect = Expect::Code(Code::N);
    office.mark(resolve).unwrap();
    assert!(office.n_queue(None).unwrap().is_empty());
}

#[test]
fn the_class_list_shows_status_counts_and_missing_registers() {
    let school = TestSchool::new("2026-11-23T09:12");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap();
    let list = teacher.class_list(None).unwrap();
    assert_eq!(list.groups[0].name, "Oak", "the teacher's own group first");
    assert!(list.groups[0].mine);
    let am = &list.groups[0].sessions[0];
    assert_eq!((am.marked, am.on_roll), (1, 5));
    assert_eq!(am.status.label(), "late window");
    assert!(am.missing);
    let ash = list.groups.iter().find(|g| g.name == "Ash").unwrap();
    assert!(ash.sessions[0].missing && !ash.mine);
    let elm = list.groups.iter().find(|g| g.name == "Elm").unwrap();
    assert!(!elm.sessions[0].missing, "no pupils, nothing missing");
}

#[test]
fn undo_withdraws_a_mark_while_open_and_the_history_keeps_it() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "N"))
        .unwrap();
    teacher
        .call(Request::Undo {
            register: RegisterId {
                group: "Oak".into(),
                date: d(MONDAY),
                session: Session::Am,
            },
            upn: upn(0),
            expect: Expect::Code(Code::N),
        })
        .unwrap();
    let history = teacher.history(upn(0), d(MONDAY), Session::Am).unwrap();
    assert!(history.current.is_none());
    assert_eq!(history.changes.len(), 2);
    assert!(history.changes[1].after.is_none());
}

#[test]
fn a_register_view_carries_year_to_date_and_term_figures() {
    let school = TestSchool::new("2026-11-24T08:50");
    let mut office = school.client("office");
    let mut req = mark("Oak", MONDAY, "am", &upn(0), "I");
    req.reason = Some("ill".into());
    office.mark(req).unwrap();
    let mut teacher = school.client("jpatel");
    teacher
        .mark(MarkRequest {
            ..mark("Oak", "2026-11-24", "am", &upn(0), "/")
        })
        .unwrap();
    let view = teacher
        .register("Oak".into(), d("2026-11-24"), Session::Am)
        .unwrap();
    assert_eq!(view.rows.len(), 5);
    assert_eq!(view.rows[0].surname, "Adams");
    assert_eq!(view.rows[0].ytd.possible(), 2);
    assert_eq!(view.rows[0].ytd.attendance_pct(), Some(50.0));
    assert_eq!(view.term_tally.possible(), 2);
    assert!(view.can_mark.is_ok());
}

#[test]
fn illness_pre_entered_by_the_office_raises_the_illness_alert_in_advance() {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut office = school.client("office");
    // A hospital stay from Monday: 15 school days, past the INSET day on 27 November.
    let planned = office
        .plan(PlanRequest {
            group: None,
            every: Vec::new(),
            upn: upn(1),
            from: d(MONDAY),
            from_session: Session::Am,
            to: d("2026-12-14"),
            to_session: Session::Pm,
            code: "I".into(),
            note: Some("hospital".into()),
            dry_run: false,
        })
        .unwrap();
    assert_eq!(planned.marked.len(), 30, "{planned:?}");
    let alerts = office.alerts(Some(d(MONDAY))).unwrap();
    let illness: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind.as_str() == "illness")
        .collect();
    assert_eq!(illness.len(), 1, "{alerts:?}");
    assert_eq!(illness[0].upn, upn(1));
    assert!(
        illness[0]
            .summary
            .contains("30 sessions, 28 of them pre-entered after 2026-11-23"),
        "{}",
        illness[0].summary
    );
    // Pre-entries do not count as unauthorised absence or anything else ahead of time.
    assert!(
        alerts.iter().all(|a| a.kind.as_str() == "illness"),
        "{alerts:?}"
    );
}

//! What each role can read (issue 19, item 7; docs/RELIABILITY.md, "What each role can read"):
//! office staff and admins read the whole school; a teacher reads the registers, marks, notes
//! and figures of the groups they teach or cover that day, and no more.

use crate::common::*;
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::*;

const MONDAY: &str = "2026-11-23";

fn refused(client: &mut Client, request: Request, says: &str) {
    let err = client.call(request.clone()).unwrap_err().to_string();
    assert!(err.contains(says), "{request:?}: {err}");
}

/// A morning with marks in Oak (jpatel's) and Ash (mokafor's), a sign-out in Oak with a
/// private reason, and an N in Ash.
fn morning() -> TestSchool {
    let school = TestSchool::new("2026-11-23T09:00");
    let mut office = school.client("office");
    for (pupil, group, code) in [
        (0, "Oak", "/"),
        (1, "Oak", "/"),
        (5, "Ash", "N"),
        (6, "Ash", "/"),
    ] {
        office
            .mark(mark(group, MONDAY, "am", &upn(pupil), code))
            .unwrap();
    }
    school.set_now("2026-11-23T10:00");
    office
        .done(Request::SignOut(SignOutRequest {
            upn: upn(1),
            date: None,
            at: None,
            reason: "hospital: assessment".into(),
            back_today: true,
            code: None,
        }))
        .unwrap();
    school
}

#[test]
fn a_teacher_reads_their_own_groups_and_the_office_reads_the_school() {
    let school = morning();
    let mut teacher = school.client("jpatel");
    let mut office = school.client("office");
    let register = |group: &str| Request::Register(RegisterId::new(group, d(MONDAY), Session::Am));
    assert!(teacher.call(register("Oak")).is_ok());
    refused(
        &mut teacher,
        register("Ash"),
        "`Ash` is not one of yours on 2026-11-23 (Oak)",
    );
    assert!(office.call(register("Ash")).is_ok());
    // A pupil's history and year, and a group's week: their own only.
    let history = |pupil| Request::History {
        upn: upn(pupil),
        date: d(MONDAY),
        session: Session::Am,
    };
    assert!(teacher.call(history(0)).is_ok());
    refused(&mut teacher, history(5), "is not in one of yours");
    refused(
        &mut teacher,
        Request::PupilYear {
            upn: upn(5),
            date: None,
        },
        "is not in one of yours",
    );
    refused(
        &mut teacher,
        Request::GroupWeek {
            group: "Ash".into(),
            date: None,
        },
        "not one of yours",
    );
    // The office's queues and the school's files.
    refused(
        &mut teacher,
        Request::NQueue { on: None },
        "the N queue is for office staff",
    );
    refused(
        &mut teacher,
        Request::Census {
            from: d("2026-09-01"),
            to: d(MONDAY),
        },
        "the census",
    );
    refused(&mut teacher, Request::Roster, "office staff");
    // Exports: one of their groups, named.
    let export = |group: Option<&str>| Request::ExportMarks {
        from: d(MONDAY),
        to: d(MONDAY),
        group: group.map(str::to_string),
        after: None,
        limit: None,
    };
    refused(&mut teacher, export(None), "give --group");
    refused(&mut teacher, export(Some("Ash")), "not one of yours");
    let Response::Marks { rows, .. } = teacher.call(export(Some("Oak"))).unwrap() else {
        panic!()
    };
    assert_eq!(rows.len(), 2);
    // Reports, the search and alerts: cut to their pupils; no birth dates in the search.
    let Response::Report { rows } = teacher
        .call(Request::Report {
            from: d(MONDAY),
            to: d(MONDAY),
            by: ReportBy::Pupil,
            filter: ReportFilter::default(),
        })
        .unwrap()
    else {
        panic!()
    };
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [upn(0), upn(1)]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    let hits = teacher.find_pupils(String::new(), None).unwrap();
    assert!(
        hits.iter().all(|h| h.group.as_deref() == Some("Oak")),
        "{hits:?}"
    );
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.dob.is_none()));
    let all = office.find_pupils(String::new(), None).unwrap();
    assert_eq!(all.len(), 8);
    assert!(all.iter().all(|h| h.dob.is_some()));
    // The fire list is everyone's; why a pupil left is the office's.
    let on_site = |client: &mut Client| match client
        .call(Request::OnSite {
            date: None,
            session: None,
        })
        .unwrap()
    {
        Response::OnSite(v) => v.groups[0].signed_out[0].left.clone().unwrap().1,
        other => panic!("{other:?}"),
    };
    assert_eq!(on_site(&mut teacher), "signed out");
    assert_eq!(on_site(&mut office), "hospital: assessment");
}

/// Covering a group opens its register for that day only.
#[test]
fn cover_opens_a_groups_register_for_its_day() {
    let school = morning();
    let mut office = school.client("office");
    office
        .done(Request::AssignCover {
            group: "Ash".into(),
            date: d(MONDAY),
            sessions: vec![Session::Am],
            account: Some("jpatel".into()),
        })
        .unwrap();
    let mut teacher = school.client("jpatel");
    assert!(
        teacher
            .call(Request::Register(RegisterId::new(
                "Ash",
                d(MONDAY),
                Session::Am
            )))
            .is_ok()
    );
    refused(
        &mut teacher,
        Request::Register(RegisterId::new("Ash", d("2026-11-24"), Session::Am)),
        "not one of yours on 2026-11-24",
    );
    // Over a period, a day's cover opens nothing.
    refused(
        &mut teacher,
        Request::ExportMarks {
            from: d("2026-11-16"),
            to: d(MONDAY),
            group: Some("Ash".into()),
            after: None,
            limit: None,
        },
        "not one of yours",
    );
}

/// A teacher subscribed to pushes is sent the marks of their own groups, and reminders to
/// them; another group's marks (with their notes) and others' reminders are not sent.
#[test]
fn pushes_reach_a_teacher_only_for_their_groups() {
    let school = morning();
    let engine = &school.engine;
    let marked = |group: &str| Event::Marked {
        register: RegisterId::new(group, d(MONDAY), Session::Am),
        upn: upn(5),
        mark: None,
    };
    let mut teacher = rollcall::service::Sight::new("jpatel");
    assert!(engine.may_see(&mut teacher, &marked("Oak")));
    assert!(!engine.may_see(&mut teacher, &marked("Ash")));
    assert!(!engine.may_see(
        &mut teacher,
        &Event::Closed(RegisterId::new("Ash", d(MONDAY), Session::Am))
    ));
    let reminder = |to: &str| Event::Reminder {
        accounts: vec![to.to_string()],
        text: "take Ash's register".into(),
    };
    assert!(!engine.may_see(&mut teacher, &reminder("mokafor")));
    assert!(engine.may_see(&mut teacher, &reminder("jpatel")));
    assert!(engine.may_see(&mut teacher, &Event::Reload));
    let mut office = rollcall::service::Sight::new("office");
    assert!(engine.may_see(&mut office, &marked("Ash")));
    // Somebody no longer on the staff list is sent nothing.
    let mut gone = rollcall::service::Sight::new("nobody");
    assert!(!engine.may_see(&mut gone, &Event::Reload));
}

/// What reaches a teacher's client is what the screen may show: the fire list for now only,
/// no sign-out reasons or dates of birth in the register (except to tell two of one name
/// apart), none in a pupil's year, and a report's earlier period cut to their pupils.
#[test]
fn what_reaches_a_teacher_is_what_their_screen_shows() {
    let school = morning();
    let mut teacher = school.client("jpatel");
    let mut office = school.client("office");
    refused(
        &mut teacher,
        Request::OnSite {
            date: Some(d("2026-11-20")),
            session: Some(Session::Am),
        },
        "who is on site now",
    );
    let register = |client: &mut Client| match client
        .call(Request::Register(RegisterId::new(
            "Oak",
            d(MONDAY),
            Session::Am,
        )))
        .unwrap()
    {
        Response::Register(v) => v,
        other => panic!("{other:?}"),
    };
    let theirs = register(&mut teacher);
    assert!(theirs.rows.iter().all(|r| r.dob.is_none()));
    let ben = theirs.rows.iter().find(|r| r.upn == upn(1)).unwrap();
    assert_eq!(ben.out.as_ref().unwrap().reason, "signed out");
    // Codes that cannot fit a pupil still come, worked out by the server.
    assert!(ben.unfit.iter().any(|(code, _)| code.as_str() == "X"));
    let office_view = register(&mut office);
    assert!(office_view.rows.iter().all(|r| r.dob.is_some()));
    let Response::PupilYear(year) = teacher
        .call(Request::PupilYear {
            upn: upn(0),
            date: None,
        })
        .unwrap()
    else {
        panic!()
    };
    assert!(year.dob.is_none());
    // A report set beside the period before counts the same pupils then: Friday's marks in
    // Oak and Ash, the report from Saturday to Monday.
    for (pupil, group) in [(0, "Oak"), (5, "Ash"), (6, "Ash")] {
        let mut friday = mark(group, "2026-11-20", "am", &upn(pupil), "/");
        friday.reason = Some("paper register".into());
        office.mark(friday).unwrap();
    }
    let compare = |client: &mut Client| match client
        .call(Request::Report {
            from: d("2026-11-21"),
            to: d(MONDAY),
            by: ReportBy::School,
            filter: ReportFilter {
                compare: true,
                ..ReportFilter::default()
            },
        })
        .unwrap()
    {
        Response::Report { rows } => rows[0].previous.clone().unwrap().possible,
        other => panic!("{other:?}"),
    };
    assert_eq!((compare(&mut teacher), compare(&mut office)), (1, 3));
}

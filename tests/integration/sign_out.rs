//! Leaving early and coming back (issue 18, item 3): a sign-out happens once, after the
//! pupil arrived; a sign back in after they left; a pupil not back is flagged in the next
//! register and "everyone else present" leaves them unmarked.

use crate::common::*;
use crate::desk::monday;
use rollcall::domain::codes::Code;
use rollcall::domain::marks::Source;
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::*;

const MONDAY: &str = "2026-11-23";

fn hm(text: &str) -> Option<chrono::NaiveTime> {
    Some(chrono::NaiveTime::parse_from_str(text, "%H:%M").unwrap())
}

fn leave(pupil: usize, at: &str, reason: &str, back_today: bool, code: Option<&str>) -> Request {
    Request::SignOut(SignOutRequest {
        upn: upn(pupil),
        date: None,
        at: hm(at),
        reason: reason.into(),
        back_today,
        code: code.map(str::to_string),
    })
}

fn back(pupil: usize, at: &str) -> Request {
    Request::SignBackIn {
        upn: upn(pupil),
        date: None,
        at: hm(at),
    }
}

/// The pupils on the fire list in Oak now.
fn on_site_in_oak(office: &mut Client) -> Vec<String> {
    match office
        .call(Request::OnSite {
            date: None,
            session: None,
        })
        .unwrap()
    {
        Response::OnSite(v) => v
            .groups
            .iter()
            .filter(|g| g.group == "Oak")
            .flat_map(|g| g.pupils.iter().map(|p| p.upn.clone()))
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_pupil_leaves_once_after_arriving_and_comes_back_after_leaving() {
    let school = monday();
    let mut office = school.client("office");
    // Eve arrived late, at 09:20.
    let mut late = mark("Oak", MONDAY, "am", &upn(4), "L");
    late.arrived = hm("09:20");
    late.reason = Some("signed in at the office".into());
    office.mark(late).unwrap();
    let refused = |office: &mut Client, request: Request, why: &str| {
        let err = office.done(request).unwrap_err().to_string();
        assert!(err.contains(why), "{why}: {err}");
    };
    refused(
        &mut office,
        leave(4, "09:10", "dentist", true, None),
        "Evans, Eve was signed in at 09:20: they cannot have left at 09:10",
    );
    // Ben was in the register (marked at 09:00): he cannot have left at 08:50.
    refused(
        &mut office,
        leave(1, "08:50", "dentist", true, None),
        "Brown, Ben was in the register at 09:00: they cannot have left at 08:50",
    );
    refused(
        &mut office,
        leave(1, "08:00", "dentist", true, None),
        "before the school day began",
    );
    refused(
        &mut office,
        leave(1, "09:35", "dentist", true, Some("M")),
        "give a code only when they are not back",
    );
    refused(
        &mut office,
        leave(1, "09:35", "dentist", false, Some("QQ")),
        "QQ",
    );
    refused(&mut office, back(1, "09:36"), "not signed out");
    office
        .done(leave(1, "09:35", "dentist", true, None))
        .unwrap();
    assert!(!on_site_in_oak(&mut office).contains(&upn(1)));
    // Signed out already: a second sign-out (a double click, a second member of staff) is
    // refused, and names the first.
    refused(
        &mut office,
        leave(1, "09:38", "dentist", true, None),
        "already signed out, at 09:35 (dentist)",
    );
    refused(&mut office, back(1, "09:30"), "left at 09:35");
    let message = office.done(back(1, "09:39")).unwrap();
    assert!(
        message.contains("Brown, Ben signed back in at 09:39"),
        "{message}"
    );
    assert!(on_site_in_oak(&mut office).contains(&upn(1)));
    refused(&mut office, back(1, "09:40"), "not signed out");
    // Out again later the same day: a second trip is a new sign-out.
    office
        .done(leave(1, "09:40", "feeling sick", false, None))
        .unwrap();
    assert!(!on_site_in_oak(&mut office).contains(&upn(1)));
    // A teacher may do neither.
    let mut teacher = school.client("jpatel");
    refused(&mut teacher, back(1, "09:40"), "office staff");
}

#[test]
fn a_code_given_on_leaving_is_the_mark_for_the_sessions_missed() {
    let school = monday();
    let mut office = school.client("office");
    school.set_now("2026-11-23T11:20");
    let message = office
        .done(leave(2, "11:15", "orthodontist", false, Some("M")))
        .unwrap();
    assert!(
        message.contains("M entered for 1 session(s) missed"),
        "{message}"
    );
    // The morning's mark stays: she was there at registration.
    let am = office.history(upn(2), d(MONDAY), Session::Am).unwrap();
    assert_eq!(am.current.unwrap().code, Code::PresentAm);
    let pm = office.history(upn(2), d(MONDAY), Session::Pm).unwrap();
    assert_eq!(pm.current.unwrap().code, Code::M);
    assert_eq!(pm.changes[0].source, Some(Source::SignOut));
}

#[test]
fn a_pupil_not_back_is_flagged_in_the_next_register_and_left_unmarked() {
    let school = monday();
    let mut office = school.client("office");
    school.set_now("2026-11-23T12:40");
    // Cara went home ill at 11:00; Ben went to the dentist and was back at 12:30.
    office
        .done(leave(2, "11:00", "sick, collected by mum", false, None))
        .unwrap();
    office
        .done(leave(1, "11:30", "dentist", true, None))
        .unwrap();
    office.done(back(1, "12:30")).unwrap();
    school.set_now("2026-11-23T13:02");
    let mut h = Harness::new(&school, "jpatel");
    assert!(
        h.screen().contains("[PM]"),
        "the afternoon's registers, at 13:02"
    );
    h.press("enter");
    let screen = h.screen();
    assert!(screen.contains("Oak \u{b7} PM"), "{screen}");
    let row = |screen: &str, name: &str| {
        screen
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {screen}"))
            .to_string()
    };
    assert!(row(&screen, "Cole, Cara").contains("OUT 11:00"), "{screen}");
    assert!(!row(&screen, "Brown, Ben").contains("OUT"), "{screen}");
    h.press("*");
    assert!(
        h.message()
            .contains("4 marked present; signed out, left unmarked: Cara Cole"),
        "{}",
        h.message()
    );
    let view = office
        .register("Oak".into(), d(MONDAY), Session::Pm)
        .unwrap();
    let cara = view.rows.iter().find(|r| r.upn == upn(2)).unwrap();
    assert!(cara.mark.is_none());
    assert_eq!(cara.out.as_ref().unwrap().reason, "sick, collected by mum");
    assert!(
        view.rows
            .iter()
            .filter(|r| r.upn != upn(2))
            .all(|r| r.mark.is_some())
    );
    // The morning's register, read afterwards, shows she left during it.
    let am = office
        .register("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    assert!(
        am.rows
            .iter()
            .find(|r| r.upn == upn(2))
            .unwrap()
            .out
            .is_some()
    );
    assert!(
        am.rows
            .iter()
            .find(|r| r.upn == upn(1))
            .unwrap()
            .out
            .is_none()
    );
}

/// A sign-out whose code cannot be the afternoon's mark saves nothing at all: not the code,
/// not the sign-out. Codes that say what happened at a session, and `#`, are refused.
#[test]
fn a_sign_out_with_a_code_that_cannot_be_saves_nothing() {
    let school = monday();
    let mut office = school.client("office");
    school.set_now("2026-11-23T11:20");
    for (code, says) in [
        ("L", "L says what happened at a session"),
        ("/", "says what happened at a session"),
        ("#", "# is a planned closure of the school"),
        ("X", "X is for a pupil below or above compulsory school age"),
    ] {
        let err = office
            .done(leave(2, "11:15", "orthodontist", false, Some(code)))
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{code}: {err}");
        assert!(
            on_site_in_oak(&mut office).contains(&upn(2)),
            "{code}: the sign-out was saved without its code"
        );
    }
    let pm = office.history(upn(2), d(MONDAY), Session::Pm).unwrap();
    assert!(pm.current.is_none() && pm.changes.is_empty());
}

/// In the afternoon, a pupil who left in the morning is on the fire list as signed out, not
/// as "not marked" (unknown).
#[test]
fn the_afternoons_fire_list_shows_the_mornings_leavers_as_signed_out() {
    let school = monday();
    let mut office = school.client("office");
    school.set_now("2026-11-23T11:00");
    office.done(leave(2, "10:30", "sick", false, None)).unwrap();
    school.set_now("2026-11-23T13:20");
    let view = match office
        .call(Request::OnSite {
            date: None,
            session: None,
        })
        .unwrap()
    {
        Response::OnSite(v) => v,
        other => panic!("{other:?}"),
    };
    let oak = view.groups.iter().find(|g| g.group == "Oak").unwrap();
    assert_eq!(
        oak.signed_out
            .iter()
            .map(|p| p.upn.clone())
            .collect::<Vec<_>>(),
        [upn(2)]
    );
    assert!(oak.unmarked.iter().all(|p| p.upn != upn(2)));
}

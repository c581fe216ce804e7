//! Casework (issue 22, items 5 and 6): leave of absence requests decided by the head, with the
//! decision written over the days in the same step, and penalty notices per parent and per
//! child under the national framework (SPEC §8.1, §8.3), through the engine and the binary.

use crate::common::cli::Cli;
use crate::common::*;
use rollcall::domain::codes::Code;
use rollcall::domain::session::Session;
use rollcall::service::Client;
use rollcall::service::protocol::*;

fn code_of(client: &mut Client, pupil: usize, date: &str, session: &str) -> Option<Code> {
    let session = if session == "am" {
        Session::Am
    } else {
        Session::Pm
    };
    client
        .export(d(date), d(date), None)
        .unwrap()
        .into_iter()
        .find(|r| r.upn == upn(pupil) && r.session == session)
        .map(|r| r.code)
}

fn ask(client: &mut Client, pupil: usize, from: &str, to: &str, asked: &str) -> u32 {
    let (case, _) = client
        .case_step(CaseRequest::LeaveAsk {
            upn: upn(pupil),
            from: d(from),
            to: d(to),
            reason: "family wedding abroad".into(),
            asked: Some(d(asked)),
        })
        .unwrap();
    case.case.id
}

fn decide(client: &mut Client, id: u32, grant: Option<&str>) -> Result<String, String> {
    client
        .case_step(CaseRequest::LeaveDecide {
            id,
            grant: grant.map(str::to_string),
            note: "exceptional circumstances shown".into(),
        })
        .map(|(_, message)| message)
        .map_err(|e| e.to_string())
}

/// A request decided after its first day: the `N` already recorded that morning becomes the
/// granted code (an amendment naming the request), the days still to come are planned, and
/// only the head decides, once.
#[test]
fn leave_granted_after_its_first_day_amends_the_n_and_plans_the_rest() {
    let school = crate::desk::monday();
    let mut office = school.client("office");
    // Alice is N this Monday morning; her parent wrote on Friday for Monday to Wednesday.
    let id = ask(&mut office, 0, "2026-11-23", "2026-11-25", "2026-11-20");
    let waiting = office.cases(None, true).unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].state.contains("waiting"), "{}", waiting[0].state);
    // A teacher keeps no casework; the office does not decide.
    assert!(school.client("jpatel").cases(None, false).is_err());
    let err = decide(&mut office, id, Some("C")).unwrap_err();
    assert!(err.contains("head"), "{err}");
    // Not leave: G or I are refused as a grant.
    let mut head = school.client("head");
    for code in ["G", "I", "/", "ZZ"] {
        assert!(decide(&mut head, id, Some(code)).is_err(), "{code}");
    }
    let said = decide(&mut head, id, Some("C")).unwrap();
    assert!(
        said.contains("5 sessions planned") && said.contains("1 sessions already recorded N"),
        "{said}"
    );
    assert_eq!(code_of(&mut office, 0, "2026-11-23", "am"), Some(Code::C));
    assert_eq!(code_of(&mut office, 0, "2026-11-25", "pm"), Some(Code::C));
    assert_eq!(code_of(&mut office, 0, "2026-11-26", "am"), None);
    let history = office
        .history(upn(0), d("2026-11-23"), Session::Am)
        .unwrap();
    let last = history.changes.last().unwrap();
    assert!(
        last.reason
            .as_deref()
            .unwrap_or("")
            .contains(&format!("request {id}")),
        "{last:?}"
    );
    assert_eq!(last.name, "Hilary Head");
    // Decided once: a second decision is refused, saying what the first was.
    let err = decide(&mut head, id, None).unwrap_err();
    assert!(err.contains("granted as C"), "{err}");
    assert!(office.cases(None, true).unwrap().is_empty());
    let all = office.cases(Some(upn(0)), false).unwrap();
    assert_eq!(all[0].case.steps.len(), 1);
    assert_eq!(all[0].case.steps[0].name, "Hilary Head");
}

/// Refused leave taken anyway: the days' `N` become `G`, unauthorised, toward the penalty
/// threshold; a present mark on those days is left as it is.
#[test]
fn leave_refused_then_taken_is_unauthorised_leave() {
    let school = crate::desk::monday();
    let mut office = school.client("office");
    let id = ask(&mut office, 1, "2026-11-24", "2026-11-24", "2026-11-16");
    let mut head = school.client("head");
    assert!(decide(&mut head, id, None).unwrap().contains("refused"));
    let err = office
        .case_step(CaseRequest::LeaveTaken { id: id + 1 })
        .unwrap_err()
        .to_string();
    assert!(err.contains("no case"), "{err}");
    // Tuesday: Ben is not in; the teacher marks N in the morning, he is brought in at 13:00.
    school.set_now("2026-11-24T09:05");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", "2026-11-24", "am", &upn(1), "N"))
        .unwrap();
    school.set_now("2026-11-24T13:05");
    teacher
        .mark(mark("Oak", "2026-11-24", "pm", &upn(1), "\\"))
        .unwrap();
    let (view, said) = office.case_step(CaseRequest::LeaveTaken { id }).unwrap();
    assert!(said.contains("1 sessions recorded N are now G"), "{said}");
    assert!(view.state.contains("1 sessions taken"), "{}", view.state);
    assert_eq!(code_of(&mut office, 1, "2026-11-24", "am"), Some(Code::G));
    assert_eq!(
        code_of(&mut office, 1, "2026-11-24", "pm"),
        Some(Code::PresentPm)
    );
    // Again: nothing left to record.
    let (_, said) = office.case_step(CaseRequest::LeaveTaken { id }).unwrap();
    assert!(said.contains("nothing changed"), "{said}");
}

fn issue(client: &mut Client, parent: &str, date: &str) -> Result<(CaseView, String), String> {
    client
        .case_step(CaseRequest::PenaltyIssue {
            upn: upn(0),
            parent: parent.into(),
            date: d(date),
            note: "10 unauthorised sessions in 10 school weeks after a notice to improve".into(),
        })
        .map_err(|e| e.to_string())
}

/// The national framework: £80 paid within 21 days, £160 after; a second to the same parent
/// for the same child within three years £160 with no reduction; no third; a withdrawn notice
/// counts toward none; another parent's count is their own.
#[test]
fn penalty_notices_follow_the_national_framework_per_parent_and_child() {
    let school = TestSchool::new("2026-11-23T10:00");
    let mut office = school.client("office");
    let (first, said) = issue(&mut office, "Jo Adams", "2026-11-02").unwrap();
    assert!(said.contains("£80 if paid within 21 days"), "{said}");
    assert!(
        first.state.contains("£80 if paid by 2026-11-23"),
        "{}",
        first.state
    );
    // Paid on day 21: £80.
    let (paid, said) = office
        .case_step(CaseRequest::PenaltyPay {
            id: first.case.id,
            date: d("2026-11-23"),
        })
        .unwrap();
    assert!(said.contains("£80"), "{said}");
    assert_eq!(paid.state, "paid £80");
    // Paying twice is refused.
    assert!(
        office
            .case_step(CaseRequest::PenaltyPay {
                id: first.case.id,
                date: d("2026-11-23"),
            })
            .is_err()
    );
    let (second, said) = issue(&mut office, "  jo ADAMS ", "2026-11-23").unwrap();
    assert!(
        said.contains("second") && said.contains("£160 with no reduction"),
        "{said}"
    );
    assert!(
        second.state.contains("£160 due by 2026-12-21"),
        "{}",
        second.state
    );
    let err = issue(&mut office, "Jo Adams", "2026-11-23").unwrap_err();
    assert!(
        err.contains("third") && err.contains("prosecution") && err.contains("2029-11-02"),
        "{err}"
    );
    // Another parent of the same child: a first.
    let (other, _) = issue(&mut office, "Sam Adams", "2026-11-23").unwrap();
    assert!(!matches!(
        other.case.body,
        rollcall::domain::casework::CaseBody::Penalty { second: true, .. }
    ));
    // The second withdrawn: the next one is a second again, not refused.
    office
        .case_step(CaseRequest::PenaltyWithdraw {
            id: second.case.id,
            date: d("2026-11-23"),
            reason: "issued in error: the absence was authorised".into(),
        })
        .unwrap();
    let (again, _) = issue(&mut office, "Jo Adams", "2026-11-23").unwrap();
    assert!(matches!(
        again.case.body,
        rollcall::domain::casework::CaseBody::Penalty { second: true, .. }
    ));
    // A notice not paid in 28 days is for the local authority; paying on day 29 is refused.
    school.set_now("2026-12-22T10:00");
    let err = office
        .case_step(CaseRequest::PenaltyPay {
            id: again.case.id,
            date: d("2026-12-22"),
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than 28 days"), "{err}");
    let open = office.cases(None, true).unwrap();
    assert!(
        open.iter()
            .any(|c| c.case.id == again.case.id && c.state.contains("unpaid after 28 days")),
        "{open:?}"
    );
    // Dates after today and unknown pupils are refused.
    assert!(issue(&mut office, "Jo Adams", "2027-01-04").is_err());
}

/// The binary: `leave request`, `leave decide`, `leave list`, `penalty issue`, `cases`, with
/// bad input named and nothing written.
#[test]
fn casework_from_the_command_line() {
    let cli = Cli::new();
    cli.school();
    let now = "2026-11-20T10:00";
    let upn0 = upn(0);
    let said = cli.ok(
        now,
        &[
            "leave",
            "request",
            "--pupil",
            &upn0,
            "--from",
            "2026-11-30",
            "--to",
            "2026-12-01",
            "--reason",
            "grandparent's funeral",
        ],
    );
    assert!(said.contains("leave request 1 recorded"), "{said}");
    let list = cli.ok(now, &["leave", "list"]);
    assert!(
        list.contains("grandparent's funeral") && list.contains("asked 10 days ahead"),
        "{list}"
    );
    let err = cli.fails(
        now,
        &[
            "leave",
            "request",
            "--pupil",
            &upn0,
            "--from",
            "2026-12-01",
            "--to",
            "2026-11-30",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("before"), "{err}");
    let err = cli.fails(
        now,
        &[
            "leave",
            "request",
            "--pupil",
            &upn0,
            "--from",
            "2026-11-21",
            "--to",
            "2026-11-22",
            "--reason",
            "weekend",
        ],
    );
    assert!(err.contains("no school day"), "{err}");
    let said = cli.ok(
        now,
        &[
            "leave",
            "decide",
            "1",
            "--grant",
            "--code",
            "C",
            "--note",
            "bereavement",
        ],
    );
    assert!(said.contains("granted as C: 4 sessions planned"), "{said}");
    let err = cli.fails(now, &["leave", "decide", "1", "--grant", "--note", "x"]);
    assert!(err.contains("--code"), "{err}");
    let said = cli.ok(
        now,
        &[
            "penalty",
            "issue",
            "--pupil",
            &upn0,
            "--parent",
            "Jo Adams",
            "--date",
            "2026-11-20",
            "--note",
            "10 sessions",
        ],
    );
    assert!(said.contains("penalty notice 2 recorded"), "{said}");
    let cases = cli.ok(now, &["cases", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&cases).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2, "{cases}");
    let penalties = cli.ok(now, &["penalty", "list"]);
    assert!(
        penalties.contains("£80 if paid by 2026-12-11"),
        "{penalties}"
    );
}

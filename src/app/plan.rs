//! Planning an absence for a pupil or a whole group from the app, in the words `rollcall
//! plan` takes; the pupil's year and the group's week both ask it.

use super::action::{Effect, Outcome, Reply};
use super::modal::{Answer, InputState, Modal};
use super::next::Next;
use super::shared::Shared;
use crate::domain::desk::PlanLine;
use crate::service::protocol::{PlanRequest, PlanSummary, Request};

/// Asks for a planned absence (office staff only); `ask` is the owner's question, `whose`
/// says for whom in the title.
pub fn dialog<A>(shared: &mut Shared, ask: A, whose: String) -> Next<A> {
    if !shared.is_office() {
        shared.error_text("planned absences are entered by office staff");
        return Next::none();
    }
    Next::dialog(Modal::Input(InputState::new(
        ask,
        format!("Plan an absence: {whose}"),
        "plan: ",
        vec![
            "CODE FROM [TO] [every DAY[:am|pm] ...] [note TEXT]".into(),
            "e.g. M 2026-11-24 2026-12-15 every tue:am note orthodontist".into(),
            "Sessions already marked or closed are left as they are, and listed.".into(),
        ],
    )))
}

/// The plan typed, for a pupil (`upn`) or every pupil of a group: the request it makes, or
/// why the words are not a plan.
pub fn answered<A>(
    upn: Option<String>,
    group: Option<String>,
    answer: Answer,
) -> Result<Next<A>, String> {
    let Answer::Text(text) = answer else {
        return Ok(Next::none());
    };
    let line = PlanLine::parse(&text)?;
    Ok(Next::effect(Effect::new(
        Request::PlanAbsence(PlanRequest {
            upn: upn.unwrap_or_default(),
            group,
            every: line.every,
            from: line.from.0,
            from_session: line.from.1,
            to: line.to.0,
            to_session: line.to.1,
            code: line.code,
            note: line.note,
        }),
        Reply::Planned,
    )))
}

/// A plan saved: how many sessions, and what was left alone; then the screen afresh.
pub fn planned(shared: &mut Shared, result: Outcome<PlanSummary>) {
    match result {
        Ok(summary) => {
            let mut text = format!("planned {} sessions", summary.marked.len());
            if summary.pupils > 1 {
                text.push_str(&format!(" for {} pupils", summary.pupils));
            }
            if !summary.skipped.is_empty() {
                let first: Vec<String> = summary
                    .skipped
                    .iter()
                    .take(3)
                    .map(|(d, s, why)| format!("{} {} {why}", d.format("%d %b"), s.label()))
                    .collect();
                text.push_str(&format!(
                    "; {} left as they were: {}{}",
                    summary.skipped.len(),
                    first.join("; "),
                    if summary.skipped.len() > 3 {
                        " \u{2026}"
                    } else {
                        ""
                    }
                ));
            }
            shared.info(text);
        }
        Err(e) => shared.error(&e),
    }
}

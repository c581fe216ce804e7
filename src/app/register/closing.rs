//! Closing a register: a summary of what it holds and who is unmarked, a confirmation, then
//! blanks become `N` and it locks.

use super::screen::{Ask, RegisterScreen};
use crate::app::action::{Effect, Outcome, Reply};
use crate::app::modal::{ConfirmState, Modal};
use crate::app::next::Next;
use crate::app::shared::Shared;
use crate::domain::stats::{Tally, round1};
use crate::service::protocol::*;

/// The close dialog for the register on screen.
pub fn confirm_close(r: &RegisterScreen, shared: &mut Shared) -> Next<Ask> {
    let Some(view) = &r.view else {
        return Next::none();
    };
    if let Some(closed) = &view.closed {
        let text = format!(
            "already closed by {} at {}",
            closed.closed_by,
            closed.closed_at.format("%H:%M")
        );
        shared.error_text(text);
        return Next::none();
    }
    Next::dialog(Modal::Confirm(ConfirmState::new(
        Ask::Close,
        format!(
            "Close {} {} {}",
            view.group,
            view.session.label(),
            view.date.format("%a %d %b")
        ),
        close_summary_lines(view),
    )))
}

/// The request the close dialog makes when confirmed.
pub fn close_effect(r: &RegisterScreen) -> Effect {
    Effect::new(
        Request::Close(RegisterId {
            group: r.group.clone(),
            date: r.date,
            session: r.session,
        }),
        Reply::Closed,
    )
}

pub fn closed(
    r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    result: Outcome<CloseSummary>,
) -> Next<Ask> {
    match result {
        Ok(summary) => {
            let pct = summary
                .tally
                .attendance_pct()
                .map(|p| format!("{:.1}%", round1(p)))
                .unwrap_or_default();
            shared.info(format!(
                "register closed: {} blank{} became N; attendance {pct}",
                summary.filled.len(),
                if summary.filled.len() == 1 { "" } else { "s" }
            ));
            if let Some(r) = r {
                r.undo.clear();
            }
        }
        Err(e) => shared.error(&e),
    }
    Next::reload()
}

/// The summary the close dialog shows: unmarked pupils and the session's figures.
pub fn close_summary_lines(view: &RegisterView) -> Vec<String> {
    let mut counts: Vec<(crate::domain::codes::Code, u32)> = Vec::new();
    let mut unmarked = Vec::new();
    let mut tally = Tally::default();
    for row in &view.rows {
        match &row.mark {
            Some(m) => {
                tally.add_code(m.code, view.date);
                match counts.iter_mut().find(|(c, _)| *c == m.code) {
                    Some(entry) => entry.1 += 1,
                    None => counts.push((m.code, 1)),
                }
            }
            None => unmarked.push(format!("  {}, {}", row.surname, row.forename)),
        }
    }
    counts.sort_by_key(|(code, _)| code.as_str());
    let mut lines = Vec::new();
    let summary: Vec<String> = counts
        .iter()
        .map(|(code, n)| {
            let meaning = if code.is_present_mark() {
                "present"
            } else if *code == crate::domain::codes::Code::L {
                "late"
            } else {
                code.info().class.short()
            };
            format!("{code} {meaning} {n}")
        })
        .collect();
    lines.push(if summary.is_empty() {
        "No marks yet.".into()
    } else {
        summary.join(" \u{b7} ")
    });
    if let Some(p) = tally.attendance_pct() {
        lines.push(format!(
            "Attendance this session: {:.1}% of marked pupils",
            round1(p)
        ));
    }
    if unmarked.is_empty() {
        lines.push("Every pupil has a mark.".into());
    } else {
        lines.push(format!(
            "{} unmarked pupil{} will become N (no reason yet):",
            unmarked.len(),
            if unmarked.len() == 1 { "" } else { "s" }
        ));
        lines.extend(unmarked);
    }
    lines.push(String::new());
    lines.push(
        "After closing, the register is read-only; changes are amendments with a reason.".into(),
    );
    lines
}

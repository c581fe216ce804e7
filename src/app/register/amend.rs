//! Changing a mark after the register has closed (an amendment, with a reason and the mark's
//! history in view), and changing an arrival time.

use super::super::modal::{InputPurpose, InputState};
use crate::app::{App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::marks::Mark;
use crate::domain::session::hm;
use crate::service::protocol::*;

/// The amendment dialog: the change, the mark's history, and a reason to type.
pub(in crate::app) fn ask_reason(
    request: MarkRequest,
    name: &str,
    existing: Option<&Mark>,
    suggested: Option<String>,
) -> Next {
    let from = existing.map_or("no mark".to_string(), |m| m.entry().describe());
    let to = match request.arrived {
        Some(t) => format!("{} arriving {}", request.code, hm(t)),
        None => request.code.clone(),
    };
    let history = load_history(&request);
    let mut input = InputState::new(
        InputPurpose::Reason { request },
        format!("Amend {name}"),
        "reason: ",
        vec![
            format!("The register has closed: {from} -> {to} is an amendment."),
            "The original entry is kept; the reason, time and your name are recorded.".into(),
        ],
    );
    // The reason given last in this register, ready to accept with enter.
    if let Some(reason) = suggested {
        input.suggest(reason);
    }
    Next {
        effects: vec![history],
        dialog: Some(Modal::Input(input)),
    }
}

/// The history of the mark a request would change, for the dialog asking about it.
pub(in crate::app) fn load_history(request: &MarkRequest) -> Effect {
    Effect::new(
        Request::History {
            upn: request.upn.clone(),
            date: request.date,
            session: request.session,
        },
        Reply::History,
    )
}

pub fn history_lines(history: &MarkHistory) -> Vec<String> {
    if history.changes.is_empty() {
        return vec!["History: no entries yet".into()];
    }
    let mut lines = vec!["History:".to_string()];
    for c in &history.changes {
        let before = c
            .before
            .as_ref()
            .map_or("none".to_string(), |e| e.describe());
        let after = c
            .after
            .as_ref()
            .map_or("withdrawn".to_string(), |e| e.describe());
        let mut line = format!(
            " {} {} -> {} by {} ({})",
            c.at.format("%d %b %H:%M"),
            before,
            after,
            c.name,
            c.position
        );
        if let Some(r) = &c.reason {
            line.push_str(&format!(": {r}"));
        }
        lines.push(line);
    }
    lines
}

/// The arrival-time dialog for the pupil at the cursor: the mark follows the time.
pub(super) fn arrival_time(app: &mut App) -> Next {
    let Screen::Register(r) = &app.screen else {
        return Next::none();
    };
    let Some(row) = r.row_at_cursor() else {
        return Next::none();
    };
    let current = row
        .mark
        .as_ref()
        .and_then(|m| m.arrived)
        .unwrap_or(app.now.time());
    let mut input = InputState::new(
        InputPurpose::ArrivalTime {
            upn: row.upn.clone(),
        },
        format!("Arrival time: {}, {}", row.surname, row.forename),
        "arrived (HH:MM): ",
        vec!["The mark follows the time: present, L or U.".into()],
    );
    input.suggest(hm(current));
    Next::dialog(Modal::Input(input))
}

/// The history of the mark at the cursor: every change, who made it, when and why.
pub(super) fn show_history(app: &mut App) -> Next {
    let Screen::Register(r) = &app.screen else {
        return Next::none();
    };
    let Some(row) = r.row_at_cursor() else {
        return Next::none();
    };
    let now = row
        .mark
        .as_ref()
        .map_or("no mark".to_string(), |m| m.entry().describe());
    let request = MarkRequest {
        group: r.group.clone(),
        date: r.date,
        session: r.session,
        upn: row.upn.clone(),
        ..MarkRequest::default()
    };
    Next {
        effects: vec![load_history(&request)],
        dialog: Some(Modal::Confirm(crate::app::ConfirmState {
            purpose: crate::app::ConfirmPurpose::Info,
            title: format!(
                "{}, {} \u{b7} {} {}",
                row.surname,
                row.forename,
                r.date.format("%a %d %b"),
                r.session.label()
            ),
            lines: vec![format!("Now: {now}")],
            scroll: 0,
        })),
    }
}

/// A mark to clear back to blank, as the screen showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearTarget {
    pub group: String,
    pub date: chrono::NaiveDate,
    pub session: crate::domain::session::Session,
    pub upn: String,
    pub name: String,
    pub seen: Mark,
}

/// Clears the mark at the cursor. A teacher's own mark in an open register goes at once
/// (ctrl+z brings it back); otherwise the office says why, and after the close must.
pub(super) fn clear(app: &mut App) -> Next {
    let Some(row) = super::row_to_change(app) else {
        return Next::none();
    };
    let Screen::Register(r) = &app.screen else {
        return Next::none();
    };
    let Some(seen) = row.mark.clone() else {
        let text = format!("{}, {} has no mark to clear", row.surname, row.forename);
        app.info(text);
        return Next::none();
    };
    let target = ClearTarget {
        group: r.group.clone(),
        date: r.date,
        session: r.session,
        upn: row.upn.clone(),
        name: format!("{}, {}", row.surname, row.forename),
        seen,
    };
    let closed = super::is_closed(app, r);
    if !app.is_office() && !closed {
        return Next::effects(vec![clear_effect(target, None)]);
    }
    let history = load_history(&MarkRequest {
        group: target.group.clone(),
        date: target.date,
        session: target.session,
        upn: target.upn.clone(),
        ..MarkRequest::default()
    });
    let mut context = vec![format!(
        "{} -> no mark. The entry is kept in the history with the reason, time and your name.",
        target.seen.entry().describe()
    )];
    if closed {
        context.insert(
            0,
            "The register has closed: clearing is an amendment.".into(),
        );
    }
    let title = format!("Clear {}", target.name);
    let mut input = InputState::new(
        InputPurpose::ClearReason {
            target: Box::new(target),
            required: closed,
        },
        title,
        "reason: ",
        context,
    );
    if let Screen::Register(r) = &app.screen
        && let Some(reason) = &r.last_reason
    {
        input.suggest(reason.clone());
    }
    Next {
        effects: vec![history],
        dialog: Some(Modal::Input(input)),
    }
}

pub(in crate::app) fn clear_effect(target: ClearTarget, reason: Option<String>) -> Effect {
    Effect::new(
        Request::Clear {
            group: target.group.clone(),
            date: target.date,
            session: target.session,
            upn: target.upn.clone(),
            reason,
            expect: Expect::Code(target.seen.code),
        },
        Reply::Cleared {
            target: Box::new(target),
        },
    )
}

/// A mark cleared: the row goes blank, and ctrl+z can bring the mark back.
pub(in crate::app) fn cleared(
    app: &mut App,
    target: ClearTarget,
    result: Outcome<String>,
) -> Vec<Effect> {
    match result {
        Ok(message) => {
            if let Screen::Register(r) = &mut app.screen
                && let Some(view) = &mut r.view
            {
                super::set_row_mark(view, &target.upn, None);
                r.undo.push(vec![super::UndoItem {
                    upn: target.upn.clone(),
                    before: Some(target.seen),
                    after: Expect::Blank,
                }]);
            }
            app.info(message);
            Vec::new()
        }
        Err(e) => {
            app.error(&e);
            app.reload_current()
        }
    }
}

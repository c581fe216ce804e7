//! Changing a mark after the fact: its history, its arrival time, clearing it back to blank
//! (an amendment after the close, with a reason).

use super::screen::{Ask, RegisterScreen, UndoItem, set_row_mark};
use crate::app::action::{ClearTarget, Effect, Outcome, Reply};
use crate::app::modal::{ConfirmState, InputState, Modal};
use crate::app::next::Next;
use crate::app::shared::Shared;
use crate::domain::session::hm;
use crate::service::protocol::*;

/// The arrival-time dialog for the pupil at the cursor: the mark follows the time.
pub fn arrival_time(r: &RegisterScreen, shared: &Shared) -> Next<Ask> {
    let Some(row) = r.row_at_cursor() else {
        return Next::none();
    };
    let current = row
        .mark
        .as_ref()
        .and_then(|m| m.arrived)
        .unwrap_or(shared.now.time());
    let input = InputState::new(
        Ask::ArrivalTime {
            upn: row.upn.clone(),
        },
        format!("Arrival time: {}, {}", row.surname, row.forename),
        "arrived (HH:MM): ",
        vec!["The mark follows the time: present, L or U.".into()],
    )
    .suggest(hm(current));
    Next::dialog(Modal::Input(input))
}

/// The history of the mark at the cursor: every change, who made it, when and why.
pub fn show_history(r: &RegisterScreen) -> Next<Ask> {
    let Some(row) = r.row_at_cursor() else {
        return Next::none();
    };
    let now = row
        .mark
        .as_ref()
        .map_or("no mark".to_string(), |m| m.entry().describe());
    Next {
        effects: vec![Effect::history(&r.request(&row.upn))],
        dialog: Some(Modal::Confirm(ConfirmState::read(
            format!(
                "{}, {} \u{b7} {} {}",
                row.surname,
                row.forename,
                r.date.format("%a %d %b"),
                r.session.label()
            ),
            vec![format!("Now: {now}")],
        ))),
        ..Next::default()
    }
}

/// Clears the mark at the cursor. A teacher's own mark in an open register goes at once
/// (ctrl+z brings it back); otherwise the office says why, and after the close must.
pub fn clear(r: &RegisterScreen, shared: &mut Shared) -> Next<Ask> {
    let Some(row) = r.row_to_change(shared) else {
        return Next::none();
    };
    let Some(seen) = row.mark.clone() else {
        shared.info(format!(
            "{}, {} has no mark to clear",
            row.surname, row.forename
        ));
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
    let closed = r.is_closed(shared.now);
    if !shared.is_office() && !closed {
        return Next::effect(clear_effect(target, None));
    }
    let history = Effect::history(&r.request(&target.upn));
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
        Ask::ClearReason {
            target: Box::new(target),
            required: closed,
        },
        title,
        "reason: ",
        context,
    );
    if let Some(reason) = &r.last_reason {
        input = input.suggest(reason.clone());
    }
    Next {
        effects: vec![history],
        dialog: Some(Modal::Input(input)),
        ..Next::default()
    }
}

pub fn clear_effect(target: ClearTarget, reason: Option<String>) -> Effect {
    Effect::new(
        Request::Clear {
            register: RegisterId {
                group: target.group.clone(),
                date: target.date,
                session: target.session,
            },
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
pub fn cleared(
    r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    target: ClearTarget,
    result: Outcome<String>,
) -> Next<Ask> {
    match result {
        Ok(message) => {
            if let Some(r) = r
                && let Some(view) = &mut r.view
            {
                set_row_mark(view, &target.upn, None);
                r.undo.push(vec![UndoItem {
                    upn: target.upn.clone(),
                    before: Some(target.seen),
                    after: Expect::Blank,
                }]);
            }
            shared.info(message);
            Next::none()
        }
        Err(e) => {
            shared.error(&e);
            Next::reload()
        }
    }
}

//! Marking pupils: one key per pupil, everyone else present, undo, and what the register does
//! with saved marks (its own, and those pushed from other terminals).

use super::screen::{Ask, RegisterScreen, UndoItem, set_row_mark};
use crate::app::action::{Effect, Outcome, Reply};
use crate::app::amendment::reason_dialog;
use crate::app::modal::{ConfirmState, InputState, Modal};
use crate::app::next::Next;
use crate::app::shared::Shared;
use crate::domain::codes::Code;
use crate::domain::marks::Mark;
use crate::domain::register::ChangeKind;
use crate::service::ServiceError;
use crate::service::protocol::*;

/// Marks the pupil at the cursor and moves on, unless a dialog must come first. The present
/// key (`sweep`) only fills blanks: on a pupil who has a mark it moves on and keeps it, so
/// sweeping down a register never overwrites a late, an absence or the office's entry.
pub fn mark_at_cursor(
    r: &mut RegisterScreen,
    shared: &mut Shared,
    code: Code,
    sweep: bool,
) -> Next<Ask> {
    let Some(row) = r.row_to_change(shared) else {
        return Next::none();
    };
    if sweep && let Some(existing) = &row.mark {
        shared.info(format!(
            "kept {} for {}, {} (enter to change it)",
            existing.code, row.surname, row.forename
        ));
        r.advance_cursor();
        return Next::none();
    }
    let next = mark_pupil(r, shared, &row.upn, code, None, None);
    // On to the next pupil once a mark is on its way; a refusal keeps the cursor here.
    if next.dialog.is_none() && !next.effects.is_empty() {
        r.advance_cursor();
    }
    next
}

/// Builds the request to mark a pupil and decides what must come first: a confirmation, a
/// note, or (after the close) a reason.
pub fn mark_pupil(
    r: &RegisterScreen,
    shared: &mut Shared,
    upn: &str,
    code: Code,
    note: Option<String>,
    arrived: Option<chrono::NaiveTime>,
) -> Next<Ask> {
    if let Err(why) = r.can_change(shared) {
        shared.error_text(why);
        return Next::none();
    }
    let Some(row) = r.row(upn) else {
        return Next::none();
    };
    let closed = r.is_closed(shared.now);
    // Said at once, before a round trip: the engine refuses it the same way.
    if let Some(why) = r.clock(shared.now).and_then(|c| c.too_soon_for(code)) {
        shared.error_text(why);
        return Next::none();
    }
    let request = MarkRequest {
        code: code.to_string(),
        arrived,
        note: note.clone(),
        expect: Expect::shown(row.mark.as_ref()),
        ..r.request(upn)
    };
    let name = format!("{}, {}", row.surname, row.forename);
    let info = code.info();
    if info.needs_note && note.is_none() {
        return Next::dialog(Modal::Input(InputState::new(
            Ask::Note { request },
            format!("{code} for {name}"),
            "note: ",
            vec![format!(
                "{code} ({}) needs a note of the activity or circumstance.",
                info.meaning
            )],
        )));
    }
    if closed {
        return reason_dialog(
            Ask::Reason {
                request: request.clone(),
            },
            &request,
            &name,
            row.mark.as_ref(),
            r.last_reason.clone(),
        );
    }
    if let Some(old) = &row.mark
        && old.recorded_by_office
        && !shared.is_office()
        && old.code != code
    {
        let request = MarkRequest {
            replace_office_mark: true,
            ..request
        };
        return Next::dialog(Modal::Confirm(
            ConfirmState::new(
                Ask::ReplaceOfficeMark(request),
                format!("Replace the office's mark for {name}?"),
                vec![
                    format!(
                        "The office entered {} ({}).",
                        old.code,
                        old.code.info().meaning
                    ),
                    format!("Replace it with {code}?"),
                ],
            )
            .deliberate("replace", "keep it"),
        ));
    }
    Next::effect(Effect::mark(request, false))
}

/// Every unmarked pupil present, in one transaction.
pub fn all_present(r: &RegisterScreen, shared: &mut Shared) -> Next<Ask> {
    if let Err(why) = r.can_change(shared) {
        shared.error_text(why);
        return Next::none();
    }
    let closed = r.is_closed(shared.now);
    let Some(view) = &r.view else {
        return Next::none();
    };
    // A pupil signed out and not back is not in the room: left for the teacher to see.
    let out: Vec<String> = view
        .rows
        .iter()
        .filter(|row| row.mark.is_none() && row.out.is_some())
        .map(|row| format!("{} {}", row.forename, row.surname))
        .collect();
    let requests: Vec<MarkRequest> = view
        .rows
        .iter()
        .filter(|row| row.mark.is_none() && row.out.is_none())
        .map(|row| MarkRequest {
            register: RegisterId {
                group: view.group.clone(),
                date: view.date,
                session: view.session,
            },
            upn: row.upn.clone(),
            code: view.session.present_code().to_string(),
            expect: Expect::Blank,
            ..MarkRequest::default()
        })
        .collect();
    let left_out = if out.is_empty() {
        String::new()
    } else {
        format!("; signed out, left unmarked: {}", out.join(", "))
    };
    if requests.is_empty() {
        if out.is_empty() {
            shared.info("every pupil already has a mark");
        } else {
            shared.info(format!("nobody to mark present{left_out}"));
        }
        return Next::none();
    }
    if closed {
        // The office entering a paper register after the close: one reason for all, each mark
        // still its own amendment in its pupil's history.
        let title = format!(
            "{} unmarked pupils present, after the close",
            requests.len()
        );
        let input = InputState::new(
            Ask::BulkReason { requests },
            title,
            "reason: ",
            vec![
                "Each becomes an amendment, with this reason, the time and your name.".into(),
                "Mark the exceptions first (absent, late): this marks everyone still blank.".into(),
            ],
        )
        .suggest(
            r.last_reason
                .clone()
                .unwrap_or_else(|| "Entered from the paper register".into()),
        );
        return Next::dialog(Modal::Input(input));
    }
    Next::effect(Effect::new(
        Request::MarkMany { marks: requests },
        Reply::MarkedMany {
            what: format!("marked present{left_out}"),
        },
    ))
}

/// Takes back the last marking key: each mark it changed goes back to what was there
/// before (the engine restores exactly that, an office entry included), or is withdrawn.
pub fn undo(r: &mut RegisterScreen, shared: &mut Shared) -> Next<Ask> {
    let Some(items) = r.undo.pop() else {
        shared.error_text("nothing to undo");
        return Next::none();
    };
    Next::effects(
        items
            .into_iter()
            .rev()
            .map(|item| {
                Effect::new(
                    Request::Undo {
                        register: RegisterId {
                            group: r.group.clone(),
                            date: r.date,
                            session: r.session,
                        },
                        upn: item.upn.clone(),
                        expect: item.after,
                    },
                    Reply::Reverted { upn: item.upn },
                )
            })
            .collect(),
    )
}

/// A mark's reply, wherever it was sent from (`r`: the register on show, if one is).
pub fn marked(
    r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    undoing: bool,
    request: MarkRequest,
    result: Outcome<MarkOutcome>,
) -> Next<Ask> {
    match result {
        Ok(outcome) => {
            on_marked(r, shared, vec![outcome], undoing);
            Next::none()
        }
        Err(e @ ServiceError::Unknown(_)) => {
            // It may have been saved: look as soon as the server is back.
            shared.error(&e);
            shared.unconfirmed.push(request);
            Next::none()
        }
        Err(e) => {
            shared.error(&e);
            // The cursor moved on when the mark was sent: back to the pupil it was refused for.
            if let Some(r) = r
                && let Some(i) = r
                    .view
                    .as_ref()
                    .and_then(|v| v.rows.iter().position(|row| row.upn == request.upn))
            {
                r.cursor = i;
            }
            // Someone else's mark got there first: show what is there now.
            if matches!(e, ServiceError::Conflict(_)) {
                Next::reload()
            } else {
                Next::none()
            }
        }
    }
}

pub fn marked_many(
    r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    what: String,
    result: Outcome<Vec<MarkOutcome>>,
) -> Next<Ask> {
    match result {
        Ok(outcomes) => {
            let n = outcomes.iter().filter(|o| o.changed).count();
            on_marked(r, shared, outcomes, false);
            shared.info(format!("{n} {what}"));
        }
        Err(e) => shared.error(&e),
    }
    Next::reload()
}

pub fn undone(
    r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    upn: &str,
    result: Outcome<(Option<Mark>, String)>,
) {
    match result {
        Ok((mark, message)) => {
            if let Some(view) = r.and_then(|r| r.view.as_mut()) {
                set_row_mark(view, upn, mark);
            }
            shared.info(message);
        }
        Err(e) => shared.error(&e),
    }
}

/// Puts saved marks into the register on screen and remembers how to undo them.
fn on_marked(
    mut r: Option<&mut RegisterScreen>,
    shared: &mut Shared,
    outcomes: Vec<MarkOutcome>,
    undoing: bool,
) {
    let mut undo = Vec::new();
    if let Some(r) = r.as_deref_mut()
        && let Some(view) = &mut r.view
    {
        for outcome in &outcomes {
            if view.date != outcome.date || view.session != outcome.session {
                continue;
            }
            let before = view
                .rows
                .iter()
                .find(|row| row.upn == outcome.upn)
                .and_then(|row| row.mark.clone());
            if outcome.changed {
                undo.push(UndoItem {
                    upn: outcome.upn.clone(),
                    before,
                    after: Expect::Code(outcome.mark.code),
                });
            }
            set_row_mark(view, &outcome.upn, Some(outcome.mark.clone()));
        }
        if !undoing && !undo.is_empty() {
            r.undo.push(undo);
        }
    }
    let explanation = outcomes.iter().rev().find_map(|o| o.explanation.clone());
    match (explanation, outcomes.last()) {
        (Some(why), _) => shared.info(why),
        (None, Some(o)) if outcomes.len() == 1 => {
            let verb = if undoing {
                "undone"
            } else if o.kind == ChangeKind::Amendment {
                "amended"
            } else {
                "saved"
            };
            // The pupil by name where the register shows them (the N queue has no rows).
            let who = r
                .and_then(|r| r.name_of(&o.upn))
                .unwrap_or_else(|| o.upn.clone());
            let mut text = format!("{verb}: {} {who}", o.mark.code);
            if let Some(m) = o.mark.minutes_late {
                text.push_str(&format!(" ({m} min late)"));
            }
            shared.info(text);
        }
        _ => {}
    }
}

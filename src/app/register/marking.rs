//! Marking pupils: one key per pupil, everyone else present, undo, and what the register does
//! with saved marks (its own, and those pushed from other terminals).

use super::super::modal::{ConfirmPurpose, ConfirmState, InputPurpose, InputState};
use super::{RegisterScreen, UndoItem, ask_reason};
use crate::app::{App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::codes::Code;
use crate::domain::marks::Mark;
use crate::domain::register::{ChangeKind, RegisterClock};
use crate::service::protocol::*;

/// The register on screen, seen at the app's time.
fn clock_of(app: &App, r: &RegisterScreen) -> Option<RegisterClock> {
    r.view.as_ref().map(|v| RegisterClock {
        date: v.date,
        session: v.session,
        times: v.times,
        now: app.now,
        locked: v.closed.is_some(),
    })
}

/// Whether the register on screen is closed (by a person or the clock).
pub(in crate::app) fn is_closed(app: &App, r: &RegisterScreen) -> bool {
    clock_of(app, r).is_some_and(|c| c.is_closed())
}

/// Why the signed-in person cannot change marks in the register on screen, if they cannot.
pub(super) fn can_change(app: &App) -> Result<(), String> {
    let Screen::Register(r) = &app.screen else {
        return Err("no register open".into());
    };
    let Some(view) = &r.view else {
        return Err("the register is still loading".into());
    };
    if app.is_office() {
        if let Some(why) = &view.not_in_session {
            return Err(format!("not a school session: {why}"));
        }
        return Ok(());
    }
    if is_closed(app, r) {
        return Err("this register is closed: it is read-only now, and changes are amendments made by the office".into());
    }
    view.can_mark.clone()
}

pub(in crate::app) fn mark_effect(request: MarkRequest, undoing: bool) -> Effect {
    Effect::new(
        Request::Mark(request.clone()),
        Reply::Marked {
            undoing,
            request: Box::new(request),
        },
    )
}

/// Marks the pupil at the cursor and moves on, unless a dialog must come first. The present
/// key (`sweep`) only fills blanks: on a pupil who has a mark it moves on and keeps it, so
/// sweeping down a register never overwrites a late, an absence or the office's entry.
pub(super) fn mark_at_cursor(app: &mut App, code: Code, sweep: bool) -> Next {
    let Some(row) = super::row_to_change(app) else {
        return Next::none();
    };
    let upn = row.upn.clone();
    if sweep && let Some(existing) = &row.mark {
        let text = format!(
            "kept {} for {}, {} (enter to change it)",
            existing.code, row.surname, row.forename
        );
        app.info(text);
        advance_cursor(app);
        return Next::none();
    }
    let next = mark_pupil(app, &upn, code, None, None);
    // On to the next pupil once a mark is on its way; a refusal keeps the cursor here.
    if next.dialog.is_none() && !next.effects.is_empty() {
        advance_cursor(app);
    }
    next
}

pub(in crate::app) fn advance_cursor(app: &mut App) {
    if let Screen::Register(r) = &mut app.screen {
        let len = r.view.as_ref().map_or(0, |v| v.rows.len());
        r.cursor = (r.cursor + 1).min(len.saturating_sub(1));
    }
}

/// Builds the request to mark a pupil and decides what must come first: a confirmation, a
/// note, or (after the close) a reason.
pub(in crate::app) fn mark_pupil(
    app: &mut App,
    upn: &str,
    code: Code,
    note: Option<String>,
    arrived: Option<chrono::NaiveTime>,
) -> Next {
    if let Err(why) = can_change(app) {
        app.error_text(why);
        return Next::none();
    }
    let Screen::Register(r) = &app.screen else {
        return Next::none();
    };
    let Some(row) = r.row(upn) else {
        return Next::none();
    };
    let closed = is_closed(app, r);
    // Said at once, before a round trip: the engine refuses it the same way.
    if let Some(why) = clock_of(app, r).and_then(|c| c.too_soon_for(code)) {
        app.error_text(why);
        return Next::none();
    }
    let request = MarkRequest {
        group: r.group.clone(),
        date: r.date,
        session: r.session,
        upn: upn.to_string(),
        code: code.to_string(),
        arrived,
        note: note.clone(),
        reason: None,
        expect: Expect::shown(row.mark.as_ref()),
        replace_office_mark: false,
    };
    let name = format!("{}, {}", row.surname, row.forename);
    let existing = row.mark.clone();
    let info = code.info();
    if info.needs_note && note.is_none() {
        return Next::dialog(Modal::Input(InputState::new(
            InputPurpose::Note { request },
            format!("{code} for {name}"),
            "note: ",
            vec![format!(
                "{code} ({}) needs a note of the activity or circumstance.",
                info.meaning
            )],
        )));
    }
    if closed {
        return ask_reason(request, &name, existing.as_ref(), r.last_reason.clone());
    }
    if let Some(old) = &existing
        && old.recorded_by_office
        && !app.is_office()
        && old.code != code
    {
        let mut request = request;
        request.replace_office_mark = true;
        return Next::dialog(Modal::Confirm(ConfirmState {
            purpose: ConfirmPurpose::ReplaceOfficeMark(request),
            title: format!("Replace the office's mark for {name}?"),
            lines: vec![
                format!(
                    "The office entered {} ({}).",
                    old.code,
                    old.code.info().meaning
                ),
                format!("Replace it with {code}?"),
            ],
            scroll: 0,
        }));
    }
    Next::effects(vec![mark_effect(request, false)])
}

/// Every unmarked pupil present, in one transaction.
pub(super) fn all_present(app: &mut App) -> Next {
    if let Err(why) = can_change(app) {
        app.error_text(why);
        return Next::none();
    }
    let Screen::Register(r) = &app.screen else {
        return Next::none();
    };
    let closed = is_closed(app, r);
    let Some(view) = &r.view else {
        return Next::none();
    };
    let requests: Vec<MarkRequest> = view
        .rows
        .iter()
        .filter(|row| row.mark.is_none())
        .map(|row| MarkRequest {
            group: view.group.clone(),
            date: view.date,
            session: view.session,
            upn: row.upn.clone(),
            code: view.session.present_code().to_string(),
            expect: Expect::Blank,
            ..MarkRequest::default()
        })
        .collect();
    if requests.is_empty() {
        app.info("every pupil already has a mark");
        return Next::none();
    }
    if closed {
        // The office entering a paper register after the close: one reason for all, each mark
        // still its own amendment in its pupil's history.
        let mut input = InputState::new(
            InputPurpose::BulkReason { requests },
            format!(
                "{} unmarked pupils present, after the close",
                view.rows.iter().filter(|row| row.mark.is_none()).count()
            ),
            "reason: ",
            vec![
                "Each becomes an amendment, with this reason, the time and your name.".into(),
                "Mark the exceptions first (absent, late): this marks everyone still blank.".into(),
            ],
        );
        input.suggest(
            r.last_reason
                .clone()
                .unwrap_or_else(|| "Entered from the paper register".into()),
        );
        return Next::dialog(Modal::Input(input));
    }
    Next::effects(vec![Effect::new(
        Request::MarkMany { marks: requests },
        Reply::MarkedMany {
            what: "marked present",
        },
    )])
}

/// Takes back the last marking key: each mark it changed goes back to what was there
/// before (the engine restores exactly that, an office entry included), or is withdrawn.
pub(super) fn undo(app: &mut App) -> Next {
    let Screen::Register(r) = &mut app.screen else {
        return Next::none();
    };
    let Some(items) = r.undo.pop() else {
        app.error_text("nothing to undo");
        return Next::none();
    };
    let (group, date, session) = (r.group.clone(), r.date, r.session);
    Next::effects(
        items
            .into_iter()
            .rev()
            .map(|item| {
                Effect::new(
                    Request::Undo {
                        group: group.clone(),
                        date,
                        session,
                        upn: item.upn.clone(),
                        expect: item.after,
                    },
                    Reply::Reverted { upn: item.upn },
                )
            })
            .collect(),
    )
}

pub(in crate::app) fn marked(
    app: &mut App,
    undoing: bool,
    request: MarkRequest,
    result: Outcome<MarkOutcome>,
) -> Vec<Effect> {
    match result {
        Ok(outcome) => {
            on_marked(app, vec![outcome], undoing);
            Vec::new()
        }
        Err(e @ crate::service::ServiceError::Unknown(_)) => {
            // It may have been saved: look as soon as the server is back.
            app.error(&e);
            app.unconfirmed.push(request);
            Vec::new()
        }
        Err(e) => {
            app.error(&e);
            // The cursor moved on when the mark was sent: back to the pupil it was refused for.
            if let Screen::Register(r) = &mut app.screen
                && let Some(i) = r
                    .view
                    .as_ref()
                    .and_then(|v| v.rows.iter().position(|row| row.upn == request.upn))
            {
                r.cursor = i;
            }
            // Someone else's mark got there first: show what is there now.
            if matches!(e, crate::service::ServiceError::Conflict(_)) {
                app.reload_current()
            } else {
                Vec::new()
            }
        }
    }
}

pub(in crate::app) fn marked_many(
    app: &mut App,
    what: &'static str,
    result: Outcome<Vec<MarkOutcome>>,
) -> Vec<Effect> {
    match result {
        Ok(outcomes) => {
            let n = outcomes.iter().filter(|o| o.changed).count();
            on_marked(app, outcomes, false);
            app.info(format!("{n} {what}"));
        }
        Err(e) => app.error(&e),
    }
    app.reload_current()
}

pub(in crate::app) fn undone(
    app: &mut App,
    upn: &str,
    result: Outcome<(Option<Mark>, String)>,
) -> Vec<Effect> {
    match result {
        Ok((mark, message)) => {
            if let Screen::Register(r) = &mut app.screen
                && let Some(view) = &mut r.view
            {
                set_row_mark(view, upn, mark);
            }
            app.info(message);
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

/// Puts saved marks into the register on screen and remembers how to undo them.
fn on_marked(app: &mut App, outcomes: Vec<MarkOutcome>, undoing: bool) {
    let mut explanation = None;
    let mut undo = Vec::new();
    let mut last = None;
    if let Screen::Register(r) = &mut app.screen
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
    for outcome in &outcomes {
        if outcome.explanation.is_some() {
            explanation = outcome.explanation.clone();
        }
        last = Some(outcome);
    }
    match (explanation, last) {
        (Some(why), _) => app.info(why),
        (None, Some(o)) if outcomes.len() == 1 => {
            let verb = if undoing {
                "undone"
            } else if o.kind == ChangeKind::Amendment {
                "amended"
            } else {
                "saved"
            };
            // The pupil by name where the register shows them (the N queue has no rows).
            let who = match &app.screen {
                Screen::Register(r) => r.name_of(&o.upn),
                _ => None,
            }
            .unwrap_or_else(|| o.upn.clone());
            let mut text = format!("{verb}: {} {who}", o.mark.code);
            if let Some(m) = o.mark.minutes_late {
                text.push_str(&format!(" ({m} min late)"));
            }
            app.info(text);
        }
        _ => {}
    }
}

/// Replaces a row's mark and moves its figures (year to date, term) with it.
pub(in crate::app) fn set_row_mark(view: &mut RegisterView, upn: &str, mark: Option<Mark>) {
    let date = view.date;
    let Some(row) = view.rows.iter_mut().find(|r| r.upn == upn) else {
        return;
    };
    let class = |m: &Option<Mark>| m.as_ref().map(|m| m.code.class_on(date));
    let (old, new) = (class(&row.mark), class(&mark));
    // A session that has not begun is in no figure (a planned absence ahead): the engine
    // counts it from its opening, and the screen reloads then.
    let counts = view.times.has_begun(date, view.now);
    for tally in [&mut row.ytd, &mut view.term_tally] {
        if !counts {
            break;
        }
        if let Some(c) = old {
            tally.remove_class(c);
        }
        if let Some(c) = new {
            tally.add_class(c);
        }
    }
    row.mark = mark;
}

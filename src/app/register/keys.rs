//! The register's keys and the answers to its dialogs: where marking, amending and closing
//! are reached from.

use super::amend::{arrival_time, clear, clear_effect, show_history};
use super::closing::{close_effect, confirm_close};
use super::marking::{all_present, mark_at_cursor, mark_pupil, undo};
use super::screen::{Ask, RegisterScreen, names};
use crate::app::action::{Action, Effect, Go, Reply};
use crate::app::modal::{Answer, InputState, Modal, PickerState};
use crate::app::nav::{is_navigation, next_index};
use crate::app::next::Next;
use crate::app::shared::Shared;
use crate::domain::codes::Code;
use crate::domain::people::find_name;
use crate::domain::session::parse_typed_time;
use crate::keymap::KeyAction;
use crate::service::protocol::{RegisterId, RegisterView, Request};

/// The register's request for its pupils and marks.
pub fn load(r: &RegisterScreen) -> Effect {
    Effect::new(
        Request::Register(RegisterId {
            group: r.group.clone(),
            date: r.date,
            session: r.session,
        }),
        Reply::Register,
    )
}

pub fn loaded(r: &mut RegisterScreen, shared: &mut Shared, view: RegisterView) {
    if r.group == view.group && r.date == view.date && r.session == view.session {
        // Keep the cursor on the same pupil across a reload.
        let upn = r.row_at_cursor().map(|row| row.upn.clone());
        let index = upn.and_then(|u| view.rows.iter().position(|row| row.upn == u));
        r.cursor = index
            .unwrap_or(r.cursor)
            .min(view.rows.len().saturating_sub(1));
        r.view = Some(view);
    }
    shared.connection = Ok(());
}

pub fn on_input(r: &mut RegisterScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    // The name search: letters start it, and the characters of names extend it.
    if let Action::Char(_) | Action::Erase = action {
        let Some(view) = &r.view else {
            return Next::none();
        };
        let typed = match action {
            Action::Char(c) => Some(c),
            _ => None,
        };
        match r.jump.edit(typed, names(view)) {
            // Space is part of a name while one is typed (`chow m`): say how to act on the
            // pupil found, since the present key cannot until the search ends.
            Some(i) if typed == Some(' ') && r.jump.unique() => {
                r.cursor = i;
                shared.info(format!(
                    "{}: space is part of a name while you type; esc ends the search (then \
                     space marks present), or ! or + marks them now",
                    r.jump.matching[0]
                ));
            }
            Some(i) => {
                r.cursor = i;
                shared.message = r.jump.others().map(super::super::action::Message::info);
            }
            None if r.jump.is_empty() => shared.message = None,
            None => shared.error_text(format!(
                "no pupil's name matches `{}` (backspace to correct it)",
                r.jump.typed
            )),
        }
        return Next::none();
    }
    let Action::Key(key) = action else {
        return Next::none();
    };
    if !r.jump.is_empty() {
        // A key that acts on a pupil acts only on one the name found: while it finds
        // nobody, the cursor is on a pupil nobody asked for.
        if acts_on_pupil(key)
            && let Some(why) = r.jump.refusal()
        {
            shared.error_text(why);
            return Next::none();
        }
        // Any other key ends the search; enter and esc only end it.
        r.jump.clear();
        if matches!(key, KeyAction::CodePicker | KeyAction::Back) {
            shared.message = None;
            return Next::none();
        }
    }
    let len = r.view.as_ref().map_or(0, |v| v.rows.len());
    if is_navigation(key) {
        r.cursor = next_index(r.cursor, len, key, shared.page());
        return Next::none();
    }
    match key {
        KeyAction::Back => Next::go(Go::Home),
        KeyAction::Search => {
            let mut input = InputState::new(Ask::Jump, "Jump to", "name: ", Vec::new());
            input.live = true;
            Next::dialog(Modal::Input(input))
        }
        KeyAction::OtherSession => Next::go(Go::Register {
            group: r.group.clone(),
            date: r.date,
            session: r.session.other(),
        }),
        KeyAction::Present | KeyAction::Late | KeyAction::Absent => {
            let code = match key {
                KeyAction::Present => r.session.present_code(),
                KeyAction::Late => Code::L,
                _ => Code::N,
            };
            mark_at_cursor(r, shared, code, key == KeyAction::Present)
        }
        KeyAction::CodePicker => code_picker(r, shared),
        KeyAction::History => show_history(r),
        KeyAction::GroupWeek => Next::go(Go::GroupWeek {
            group: r.group.clone(),
            date: r.date,
        }),
        KeyAction::PupilYear => match r.row_at_cursor() {
            Some(row) => Next::go(Go::PupilYear {
                upn: row.upn.clone(),
            }),
            None => Next::none(),
        },
        KeyAction::Clear => clear(r, shared),
        KeyAction::AllPresent => all_present(r, shared),
        KeyAction::Undo => undo(r, shared),
        KeyAction::AdjustTime => arrival_time(r, shared),
        KeyAction::CloseRegister => confirm_close(r, shared),
        _ => Next::none(),
    }
}

/// Keys that change or show something of the pupil at the cursor (or of every blank one).
fn acts_on_pupil(key: KeyAction) -> bool {
    matches!(
        key,
        KeyAction::Present
            | KeyAction::Late
            | KeyAction::Absent
            | KeyAction::AllPresent
            | KeyAction::Clear
            | KeyAction::AdjustTime
            | KeyAction::History
            | KeyAction::PupilYear
    )
}

/// The code picker for the pupil at the cursor: the codes this person may enter, and those
/// they may not greyed with why.
fn code_picker(r: &RegisterScreen, shared: &mut Shared) -> Next<Ask> {
    let Some(row) = r.row_at_cursor() else {
        return Next::none();
    };
    let not_begun = r
        .view
        .as_ref()
        .is_some_and(|v| !v.times.has_begun(v.date, shared.now));
    if let Err(why) = r.can_change(shared) {
        shared.error_text(why);
        return Next::none();
    }
    let allowed = (!shared.is_office()).then(|| shared.teacher_codes.clone());
    let mut picker = PickerState::new(
        Ask::Code {
            upn: row.upn.clone(),
        },
        format!("{}, {}", row.surname, row.forename),
        allowed,
        r.session,
    );
    picker.not_begun = not_begun;
    picker.unfit = row.unfit.clone();
    Next::dialog(Modal::Picker(picker))
}

/// An answer to one of the register's dialogs; `Err` keeps the dialog open, saying why.
pub fn answered(
    r: &mut RegisterScreen,
    shared: &mut Shared,
    ask: Ask,
    answer: Answer,
) -> Result<Next<Ask>, String> {
    let text = match &answer {
        Answer::Text(text) => text.clone(),
        _ => String::new(),
    };
    Ok(match (ask, answer) {
        (Ask::Jump, Answer::Typing(typed)) => {
            if let Some(view) = &r.view
                && let Some(i) = find_name(&typed, names(view))
            {
                r.cursor = i;
            }
            Next::none()
        }
        (Ask::Code { upn }, Answer::Code(code)) => {
            let next = mark_pupil(r, shared, &upn, code, None, None);
            if next.dialog.is_none() && !next.effects.is_empty() {
                r.advance_cursor();
            }
            next
        }
        (Ask::Note { mut request }, Answer::Text(_)) => {
            if text.is_empty() {
                return Err("a note is required for this code".into());
            }
            request.note = Some(text);
            // After the close, a reason too.
            if r.is_closed(shared.now) {
                let name = r
                    .name_of(&request.upn)
                    .unwrap_or_else(|| request.upn.clone());
                let existing = r.row(&request.upn).and_then(|row| row.mark.clone());
                return Ok(crate::app::amendment::reason_dialog(
                    Ask::Reason {
                        request: request.clone(),
                    },
                    &request,
                    &name,
                    existing.as_ref(),
                    r.last_reason.clone(),
                ));
            }
            r.advance_cursor();
            Next::effect(Effect::mark(request, false))
        }
        (Ask::Reason { mut request }, Answer::Text(_)) => {
            if text.is_empty() {
                return Err("an amendment needs a reason".into());
            }
            r.last_reason = Some(text.clone());
            request.reason = Some(text);
            Next::effect(Effect::mark(request, false))
        }
        (Ask::BulkReason { mut requests }, Answer::Text(_)) => {
            if text.is_empty() {
                return Err("an amendment needs a reason".into());
            }
            r.last_reason = Some(text.clone());
            for request in &mut requests {
                request.reason = Some(text.clone());
            }
            Next::effect(Effect::new(
                Request::MarkMany { marks: requests },
                Reply::MarkedMany {
                    what: "amended to present".into(),
                },
            ))
        }
        (Ask::ClearReason { target, required }, Answer::Text(_)) => {
            if required && text.is_empty() {
                return Err("clearing a mark after the close needs a reason".into());
            }
            if !text.is_empty() {
                r.last_reason = Some(text.clone());
            }
            let reason = (!text.is_empty()).then_some(text);
            Next::effect(clear_effect(*target, reason))
        }
        (Ask::ArrivalTime { upn }, Answer::Text(_)) => {
            let Some(time) = parse_typed_time(&text) else {
                return Err(format!(
                    "`{text}` is not a time: type it as 9:10, 09:10, 9.10 or 0910"
                ));
            };
            mark_pupil(r, shared, &upn, Code::L, None, Some(time))
        }
        (Ask::ReplaceOfficeMark(request), Answer::Yes) => {
            r.advance_cursor();
            Next::effect(Effect::mark(request, false))
        }
        (Ask::Close, Answer::Yes) => Next::effect(close_effect(r)),
        _ => Next::none(),
    })
}

//! A one-line text field with what it is for: a note, an amendment's reason, an arrival time,
//! or a name to jump to.

use crate::app::register::{
    advance_cursor, ask_reason, clear_effect, is_closed, mark_effect, mark_pupil, search_jump,
};
use crate::app::{Action, App, Modal, Next, Screen, class_list, sign_in};
use crate::domain::codes::Code;
use crate::domain::session::parse_typed_time;
use crate::keymap::KeyAction;
use crate::service::protocol::{MarkRequest, PupilHit};
use tui_input::{Input, InputRequest};

/// What a text field is for.
#[derive(Clone, Debug)]
pub enum InputPurpose {
    /// A note for a code that needs one; then the mark.
    Note { request: MarkRequest },
    /// The reason for an amendment; then the mark.
    Reason { request: MarkRequest },
    /// One reason for many amendments at once (a paper register entered after the close).
    BulkReason { requests: Vec<MarkRequest> },
    /// Why a mark is cleared to blank (`required` after the close: an amendment).
    ClearReason {
        target: Box<crate::app::ClearTarget>,
        required: bool,
    },
    /// A new arrival time for a pupil in the register.
    ArrivalTime { upn: String },
    /// The arrival time of a pupil signing in late at the office.
    SignInTime { hit: PupilHit },
    /// Jump to a name (the `search` action).
    Search,
    /// The account of the teacher covering a group's registers for a day.
    Cover {
        group: String,
        date: chrono::NaiveDate,
    },
    /// What was done about a pupil's alert.
    AlertNote {
        upn: String,
        kind: crate::domain::thresholds::ThresholdKind,
        session: Option<(chrono::NaiveDate, crate::domain::session::Session)>,
    },
    /// What a call to an absent pupil's family found (first-day follow-up).
    ContactNote { upn: String },
    /// Why a pupil is leaving early (signed out now).
    SignOutReason { upn: String },
    /// A planned absence for a pupil or a whole group, typed as `rollcall plan` reads it.
    Plan {
        upn: Option<String>,
        group: Option<String>,
    },
    /// The path of a pupil list to preview and import.
    ImportFile,
    /// What was done for a pupil's stage of intervention.
    StageNote { upn: String, stage: String },
}

#[derive(Clone, Debug)]
pub struct InputState {
    pub purpose: InputPurpose,
    pub title: String,
    pub prompt: String,
    /// The text and its cursor (tui-input: a line editor's buffer, grapheme-aware).
    pub field: Input,
    /// The text was put there for the person (the time now, the last reason): the first
    /// character typed replaces it; moving or deleting keeps it to edit.
    pub prefilled: bool,
    /// Lines shown above the field: what is being changed, and its history.
    pub context: Vec<String>,
    pub error: Option<String>,
}

impl InputState {
    pub fn new(
        purpose: InputPurpose,
        title: impl Into<String>,
        prompt: impl Into<String>,
        context: Vec<String>,
    ) -> InputState {
        InputState {
            purpose,
            title: title.into(),
            prompt: prompt.into(),
            field: Input::default(),
            prefilled: false,
            context,
            error: None,
        }
    }

    /// Puts a suggestion in the field, replaced by the first character typed.
    pub fn suggest(&mut self, text: impl Into<String>) {
        self.field = Input::new(text.into());
        self.prefilled = true;
    }

    /// What has been typed.
    pub fn text(&self) -> &str {
        self.field.value()
    }

    /// The field again, saying what is wrong with what was typed.
    fn refused(mut self, error: impl Into<String>) -> Next {
        self.error = Some(error.into());
        Next::dialog(Modal::Input(self))
    }

    /// A typed character: replaces a suggestion, otherwise goes in at the cursor.
    fn type_char(&mut self, c: char) {
        if std::mem::take(&mut self.prefilled) {
            self.field.reset();
        }
        self.field.handle(InputRequest::InsertChar(c));
        self.error = None;
    }

    /// An editing key; `false` if the key is not one.
    fn edit(&mut self, key: KeyAction) -> bool {
        let request = match key {
            KeyAction::CursorLeft => InputRequest::GoToPrevChar,
            KeyAction::CursorRight => InputRequest::GoToNextChar,
            KeyAction::WordLeft => InputRequest::GoToPrevWord,
            KeyAction::WordRight => InputRequest::GoToNextWord,
            KeyAction::FieldStart => InputRequest::GoToStart,
            KeyAction::FieldEnd => InputRequest::GoToEnd,
            KeyAction::DeleteForward => InputRequest::DeleteNextChar,
            KeyAction::DeleteWord => InputRequest::DeletePrevWord,
            KeyAction::ClearToStart => InputRequest::DeleteFromStart,
            KeyAction::ClearToEnd => InputRequest::DeleteTillEnd,
            _ => return false,
        };
        // Editing a suggestion keeps it: the person chose to change it, not replace it.
        self.prefilled = false;
        self.field.handle(request);
        true
    }
}

pub(super) fn on_input(app: &mut App, mut input: InputState, action: Action) -> Next {
    if let Some(next) = super::leaving(app, &action) {
        return next;
    }
    let before = input.text().to_string();
    match action {
        Action::Key(KeyAction::Confirm) => return submit(app, input),
        Action::Char(c) => input.type_char(c),
        Action::Erase => {
            input.prefilled = false;
            input.field.handle(InputRequest::DeletePrevChar);
        }
        Action::Key(k) => {
            input.edit(k);
        }
        _ => {}
    }
    // A name typed to jump to moves the cursor as it is typed.
    if matches!(input.purpose, InputPurpose::Search) && input.text() != before {
        let needle = input.text().to_lowercase();
        match &mut app.screen {
            Screen::Register(r) => search_jump(r, &needle),
            Screen::ClassList => class_list::search_jump(app, &needle),
            _ => {}
        }
    }
    Next::dialog(Modal::Input(input))
}

/// Keeps an amendment reason to offer again in the same register.
fn remember_reason(app: &mut App, reason: &str) {
    if let Screen::Register(r) = &mut app.screen {
        r.last_reason = Some(reason.to_string());
    }
}

fn submit(app: &mut App, input: InputState) -> Next {
    let text = input.text().trim().to_string();
    match input.purpose.clone() {
        InputPurpose::Search => Next::none(),
        InputPurpose::Note { mut request } => {
            if text.is_empty() {
                return input.refused("a note is required for this code");
            }
            request.note = Some(text);
            // After the close, a reason too; in the N queue that is always so.
            let closed = match &app.screen {
                Screen::Register(r) => is_closed(app, r),
                _ => true,
            };
            if closed {
                let (name, existing) = match &app.screen {
                    Screen::Register(r) => (r.name_of(&request.upn), r.mark_of(&request.upn)),
                    _ => (None, None),
                };
                let name = name.unwrap_or_else(|| request.upn.clone());
                let suggested = match &app.screen {
                    Screen::Register(r) => r.last_reason.clone(),
                    _ => None,
                };
                return ask_reason(request, &name, existing.as_ref(), suggested);
            }
            if matches!(app.screen, Screen::Register(_)) {
                advance_cursor(app);
            }
            Next::effects(vec![mark_effect(request, false)])
        }
        InputPurpose::Reason { mut request } => {
            if text.is_empty() {
                return input.refused("an amendment needs a reason");
            }
            remember_reason(app, &text);
            request.reason = Some(text);
            let mut effects = vec![mark_effect(request, false)];
            if matches!(app.screen, Screen::NQueue(_)) {
                effects.push(crate::app::n_queue::load());
            }
            Next::effects(effects)
        }
        InputPurpose::BulkReason { mut requests } => {
            if text.is_empty() {
                return input.refused("an amendment needs a reason");
            }
            remember_reason(app, &text);
            for request in &mut requests {
                request.reason = Some(text.clone());
            }
            Next::effects(vec![crate::app::Effect::new(
                crate::service::protocol::Request::MarkMany { marks: requests },
                crate::app::Reply::MarkedMany {
                    what: "amended to present",
                },
            )])
        }
        InputPurpose::ClearReason { target, required } => {
            if required && text.is_empty() {
                return input.refused("clearing a mark after the close needs a reason");
            }
            if !text.is_empty() {
                remember_reason(app, &text);
            }
            let reason = (!text.is_empty()).then_some(text);
            Next::effects(vec![clear_effect(*target, reason)])
        }
        InputPurpose::ArrivalTime { upn } => {
            let Some(time) = parse_typed_time(&text) else {
                return input.refused(format!(
                    "`{text}` is not a time: type it as 9:10, 09:10, 9.10 or 0910"
                ));
            };
            mark_pupil(app, &upn, Code::L, None, Some(time))
        }
        InputPurpose::Cover { group, date } => {
            let account = (!text.is_empty()).then_some(text);
            Next::effects(vec![crate::app::Effect::new(
                crate::service::protocol::Request::AssignCover {
                    group,
                    date,
                    sessions: crate::domain::session::Session::BOTH.to_vec(),
                    account,
                },
                crate::app::Reply::Done,
            )])
        }
        InputPurpose::AlertNote { upn, kind, session } => {
            if text.is_empty() {
                return input.refused("say what was done (a call, a letter, a meeting)");
            }
            Next::effects(vec![crate::app::alerts::act(upn, kind, session, text)])
        }
        InputPurpose::ContactNote { upn } => {
            if text.is_empty() {
                return input.refused("say who was called and what they said");
            }
            Next::effects(vec![crate::app::today::contacted(app, upn, text)])
        }
        InputPurpose::Plan { upn, group } => match crate::domain::desk::PlanLine::parse(&text) {
            Ok(line) => Next::effects(vec![crate::app::pupil::plan(upn, group, line)]),
            Err(why) => input.refused(why),
        },
        InputPurpose::ImportFile => {
            if text.is_empty() {
                return input.refused("type the file's path");
            }
            crate::app::import::want(app, text)
        }
        InputPurpose::StageNote { upn, stage } => {
            if text.is_empty() {
                return input.refused("say what was done (a meeting held, a letter sent)");
            }
            Next::effects(vec![crate::app::stages::done(upn, stage, text)])
        }
        InputPurpose::SignOutReason { upn } => {
            if text.is_empty() {
                return input
                    .refused("say why they are leaving (collected by a parent, appointment)");
            }
            Next::effects(vec![crate::app::on_site::sign_out(app, upn, text)])
        }
        InputPurpose::SignInTime { hit } => {
            let Some(time) = parse_typed_time(&text) else {
                return input.refused(format!(
                    "`{text}` is not a time: type it as 9:10, 09:10, 9.10 or 0910"
                ));
            };
            Next::effects(sign_in::sign_in(app, &hit, time))
        }
    }
}

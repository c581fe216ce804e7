//! A register: one group's pupils for one session, marked one key per pupil. Marking and undo
//! are in `marking`, closing in `closing`, amendments and arrival times in `amend`.

mod amend;
mod closing;
mod marking;

pub use amend::ClearTarget;
pub use amend::history_lines;
pub(super) use amend::{ask_reason, clear_effect, cleared, load_history};
pub use closing::close_summary_lines;
pub(super) use closing::{close_effect, closed};
pub(super) use marking::{
    advance_cursor, is_closed, mark_effect, mark_pupil, marked, marked_many, set_row_mark, undone,
};

use super::modal::{PickTarget, PickerState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::marks::Mark;
use crate::domain::session::Session;
use crate::keymap::KeyAction;
use crate::service::protocol::{RegisterRow, RegisterView, Request};
use chrono::NaiveDate;

/// What one undo puts back.
#[derive(Clone, Debug)]
pub struct UndoItem {
    pub upn: String,
    pub before: Option<Mark>,
    /// What the change left: the undo is refused if the mark has changed since.
    pub after: crate::service::protocol::Expect,
}

#[derive(Clone, Debug)]
pub struct RegisterScreen {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    pub view: Option<RegisterView>,
    pub cursor: usize,
    pub jump: String,
    pub undo: Vec<Vec<UndoItem>>,
    /// The office's last amendment reason here: offered again for the next.
    pub last_reason: Option<String>,
    /// Where the pupil list was scrolled to when last drawn.
    pub top: super::ListTop,
}

impl RegisterScreen {
    pub(super) fn new(group: String, date: NaiveDate, session: Session) -> RegisterScreen {
        RegisterScreen {
            group,
            date,
            session,
            view: None,
            cursor: 0,
            jump: String::new(),
            undo: Vec::new(),
            last_reason: None,
            top: Default::default(),
        }
    }

    pub(super) fn reload(&self) -> Effect {
        Effect::new(
            Request::Register {
                group: self.group.clone(),
                date: self.date,
                session: self.session,
            },
            Reply::Register,
        )
    }

    fn row(&self, upn: &str) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.iter().find(|r| r.upn == upn)
    }

    fn row_at_cursor(&self) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.get(self.cursor)
    }

    /// "Surname, Forename" of a pupil on this register.
    pub(super) fn name_of(&self, upn: &str) -> Option<String> {
        self.row(upn)
            .map(|row| format!("{}, {}", row.surname, row.forename))
    }

    pub(super) fn mark_of(&self, upn: &str) -> Option<Mark> {
        self.row(upn).and_then(|row| row.mark.clone())
    }
}

/// The pupil at the cursor, if the person may change marks here; otherwise why not is said.
fn row_to_change(app: &mut App) -> Option<RegisterRow> {
    if let Err(why) = marking::can_change(app) {
        app.error_text(why);
        return None;
    }
    match &app.screen {
        Screen::Register(r) => r.row_at_cursor().cloned(),
        _ => None,
    }
}

pub(super) fn loaded(app: &mut App, result: Outcome<RegisterView>) -> Vec<Effect> {
    match result {
        Ok(view) => {
            if let Screen::Register(r) = &mut app.screen
                && r.group == view.group
                && r.date == view.date
                && r.session == view.session
            {
                // Keep the cursor on the same pupil across a reload.
                let upn = r.row_at_cursor().map(|row| row.upn.clone());
                let index = upn.and_then(|u| view.rows.iter().position(|row| row.upn == u));
                r.cursor = index
                    .unwrap_or(r.cursor)
                    .min(view.rows.len().saturating_sub(1));
                r.view = Some(view);
            }
            app.connection = Ok(());
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

/// Characters a name can hold besides letters: while a search is on they extend it, so
/// "hussain, s" and "o'brien" are typed whole and never mark anyone.
pub(in crate::app) fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, ' ' | ',' | '-' | '\'' | '\u{2019}' | '.')
}

/// A name or a typed search as they are compared: lower case, commas as spaces, one space
/// between words.
fn normalise(text: &str) -> String {
    text.to_lowercase()
        .replace([',', '\u{2019}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first pupil whose name, "surname forename" or "forename surname", starts with `query`.
fn find(view: &RegisterView, query: &str) -> Option<usize> {
    let query = normalise(query);
    if query.is_empty() {
        return None;
    }
    let by = |name: &dyn Fn(&RegisterRow) -> String| {
        view.rows
            .iter()
            .position(|row| normalise(&name(row)).starts_with(&query))
    };
    by(&|row| format!("{} {}", row.surname, row.forename))
        .or_else(|| by(&|row| format!("{} {}", row.forename, row.surname)))
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Register(r) = &mut app.screen else {
        return Next::none();
    };
    // The name search: letters start it, and the characters of names extend it.
    match action {
        Action::Char(c) => {
            r.jump.push(c);
            let found = r.view.as_ref().and_then(|v| find(v, &r.jump));
            match found {
                Some(i) => {
                    r.cursor = i;
                    app.message = None;
                }
                None => {
                    let typed = r.jump.clone();
                    app.error_text(format!(
                        "no pupil's name starts with `{typed}` (backspace to correct it)"
                    ));
                }
            }
            return Next::none();
        }
        Action::Erase => {
            r.jump.pop();
            if let Some(i) = r.view.as_ref().and_then(|v| find(v, &r.jump)) {
                r.cursor = i;
            }
            return Next::none();
        }
        _ => {}
    }
    let Action::Key(key) = action else {
        return Next::none();
    };
    // Any other key ends the search; enter and esc only end it.
    if !std::mem::take(&mut r.jump).is_empty()
        && matches!(key, KeyAction::CodePicker | KeyAction::Back)
    {
        app.message = None;
        return Next::none();
    }
    let len = r.view.as_ref().map_or(0, |v| v.rows.len());
    if is_navigation(key) {
        r.cursor = next_index(r.cursor, len, key, page);
        return Next::none();
    }
    match key {
        KeyAction::Back => Next::effects(app.go_home()),
        KeyAction::Search => Next::dialog(Modal::search()),
        KeyAction::OtherSession => {
            *r = RegisterScreen::new(r.group.clone(), r.date, r.session.other());
            app.home.session = r.session;
            Next::effects(vec![r.reload()])
        }
        KeyAction::Present | KeyAction::Late | KeyAction::Absent => {
            let code = match key {
                KeyAction::Present => r.session.present_code(),
                KeyAction::Late => crate::domain::codes::Code::L,
                _ => crate::domain::codes::Code::N,
            };
            marking::mark_at_cursor(app, code, key == KeyAction::Present)
        }
        KeyAction::CodePicker => {
            let Some(row) = r.row_at_cursor() else {
                return Next::none();
            };
            let upn = row.upn.clone();
            let session = r.session;
            let not_begun = r
                .view
                .as_ref()
                .is_some_and(|v| !v.times.has_begun(v.date, app.now));
            if let Err(why) = marking::can_change(app) {
                app.error_text(why);
                return Next::none();
            }
            let allowed = (!app.is_office()).then(|| app.teacher_codes.clone());
            let mut picker = PickerState::new(PickTarget::Register { upn }, allowed, session);
            picker.not_begun = not_begun;
            Next::dialog(Modal::Picker(picker))
        }
        KeyAction::History => amend::show_history(app),
        KeyAction::GroupWeek => {
            let (group, date) = (r.group.clone(), r.date);
            Next::effects(super::week::open(app, group, date))
        }
        KeyAction::PupilYear => match r.row_at_cursor() {
            Some(row) => {
                let upn = row.upn.clone();
                Next::effects(super::pupil::open(app, upn))
            }
            None => Next::none(),
        },
        KeyAction::Clear => amend::clear(app),
        KeyAction::AllPresent => marking::all_present(app),
        KeyAction::Undo => marking::undo(app),
        KeyAction::AdjustTime => amend::arrival_time(app),
        KeyAction::CloseRegister => closing::confirm_close(app),
        _ => Next::none(),
    }
}

/// Moves the cursor to the first pupil whose name starts with the typed text.
pub(super) fn search_jump(r: &mut RegisterScreen, needle: &str) {
    if let Some(view) = &r.view
        && let Some(i) = view.rows.iter().position(|row| {
            format!("{} {}", row.surname, row.forename)
                .to_lowercase()
                .starts_with(needle)
        })
    {
        r.cursor = i;
    }
}

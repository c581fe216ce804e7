//! Today (the office's home): every pupil away or not yet marked this session with how many
//! days in a row, who has been called, and the registers still missing, with a reminder for
//! their tutor.

use super::modal::{InputPurpose, InputState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct TodayScreen {
    pub view: Option<TodayView>,
    /// Over the pupils, then the missing registers.
    pub cursor: usize,
    pub top: super::ListTop,
}

/// What the cursor is on.
pub enum TodayRow<'a> {
    Pupil(&'a AwayPupil),
    Register(&'a MissingRegister),
}

impl TodayScreen {
    /// Rows the cursor moves over: pupils, then missing registers.
    pub fn rows(&self) -> usize {
        self.view
            .as_ref()
            .map_or(0, |v| v.pupils.len() + v.missing.len())
    }

    pub fn row(&self, i: usize) -> Option<TodayRow<'_>> {
        let v = self.view.as_ref()?;
        match v.pupils.get(i) {
            Some(p) => Some(TodayRow::Pupil(p)),
            None => v.missing.get(i - v.pupils.len()).map(TodayRow::Register),
        }
    }

    /// Away pupils nobody has called yet.
    pub fn to_call(&self) -> usize {
        self.view.as_ref().map_or(0, |v| {
            v.pupils
                .iter()
                .filter(|p| p.code.is_some() && p.contacted.is_empty())
                .count()
        })
    }
}

pub(super) fn load() -> Effect {
    Effect::new(
        Request::Today {
            date: None,
            session: None,
        },
        Reply::Today,
    )
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("today's absences are for office staff");
        return Vec::new();
    }
    app.screen = Screen::Today(TodayScreen::default());
    app.message = None;
    vec![load()]
}

pub(super) fn loaded(app: &mut App, result: Outcome<TodayView>) -> Vec<Effect> {
    match result {
        Ok(view) => {
            if let Screen::Today(s) = &mut app.screen {
                s.view = Some(view);
                s.cursor = s.cursor.min(s.rows().saturating_sub(1));
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Today(s) = &mut app.screen else {
        return Next::none();
    };
    match action {
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.rows(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::Contact) => match s.row(s.cursor) {
            Some(TodayRow::Pupil(p)) => {
                let mut context = vec![format!(
                    "{} \u{b7} {} \u{b7} {} \u{b7} {}",
                    p.name,
                    p.group,
                    p.code
                        .map_or("not marked yet".to_string(), |c| c.to_string()),
                    days(p)
                )];
                for call in &p.contacted {
                    context.push(format!(
                        "{} {}: {}",
                        call.at.format("%H:%M"),
                        call.name,
                        call.note
                    ));
                }
                context.push("Who was called, and what did they say?".into());
                Next::dialog(Modal::Input(InputState::new(
                    InputPurpose::ContactNote { upn: p.upn.clone() },
                    format!("Contact: {}", p.name),
                    "note: ",
                    context,
                )))
            }
            Some(TodayRow::Register(_)) => remind(app),
            None => Next::none(),
        },
        Action::Key(KeyAction::RemindTutor) => remind(app),
        Action::Key(KeyAction::PupilYear) => match s.row(s.cursor) {
            Some(TodayRow::Pupil(p)) => {
                let upn = p.upn.clone();
                Next::effects(super::pupil::open(app, upn))
            }
            _ => Next::none(),
        },
        _ => Next::none(),
    }
}

fn remind(app: &mut App) -> Next {
    let Screen::Today(s) = &app.screen else {
        return Next::none();
    };
    let (Some(TodayRow::Register(r)), Some(view)) = (s.row(s.cursor), &s.view) else {
        app.error_text("move to a missing register to remind its tutor");
        return Next::none();
    };
    Next::effects(vec![Effect::new(
        Request::Remind {
            group: r.group.clone(),
            date: Some(view.date),
            session: view.session,
        },
        Reply::Done,
    )])
}

/// How long a pupil has been away: "first day", "3 days"; for a pupil not marked yet, the
/// days away before today ("2 before"), or nothing.
pub fn days(p: &AwayPupil) -> String {
    match (p.code, p.days_in_a_row) {
        (None, 0) => String::new(),
        (None, n) => format!("{n} before"),
        (Some(_), 0 | 1) => "first day".into(),
        (Some(_), n) => format!("{n} days"),
    }
}

/// The request a contact note makes once typed.
pub(super) fn contacted(app: &App, upn: String, note: String) -> Effect {
    let date = match &app.screen {
        Screen::Today(s) => s.view.as_ref().map(|v| v.date),
        _ => None,
    };
    Effect::new(Request::Contacted { upn, date, note }, Reply::Done)
}

//! Today (the office's home): every pupil away or not yet marked this session with how many
//! days in a row, who has been called, and the registers still missing, with a reminder for
//! their tutor.

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct TodayScreen {
    pub view: Option<TodayView>,
    /// Over the pupils, then the missing registers.
    pub cursor: usize,
    pub top: ListTop,
    /// A name typed to find an absent pupil.
    pub jump: NameJump,
}

/// What the cursor is on.
pub enum TodayRow<'a> {
    Pupil(&'a AwayPupil),
    Register(&'a MissingRegister),
}

/// What Today's dialog asks: what a call to an absent pupil's family found.
#[derive(Clone, Debug)]
pub struct Ask {
    upn: String,
    date: Option<NaiveDate>,
    session: Option<crate::domain::session::Session>,
    contacts: Vec<crate::domain::people::Contact>,
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

pub fn load() -> Effect {
    Effect::new(
        Request::Today {
            date: None,
            session: None,
        },
        Reply::Today,
    )
}

pub fn open(shared: &mut Shared) -> Option<(TodayScreen, Effect)> {
    if !shared.is_office() {
        shared.error_text("today's absences are for office staff");
        return None;
    }
    Some((TodayScreen::default(), load()))
}

pub fn loaded(s: &mut TodayScreen, view: TodayView) {
    s.view = Some(view);
    s.cursor = s.cursor.min(s.rows().saturating_sub(1));
}

pub fn on_input(s: &mut TodayScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let names: Vec<&str> = s
        .view
        .iter()
        .flat_map(|v| v.pupils.iter().map(|p| p.name.as_str()))
        .collect();
    if let Some(said) = s.jump.typed(&action, &mut s.cursor, names) {
        shared.message = said.map(super::action::Message::error);
        return Next::none();
    }
    if let Action::Key(key) = action {
        let acts = matches!(
            key,
            KeyAction::Contact | KeyAction::PupilYear | KeyAction::RemindTutor
        );
        match s.jump.before_key(key, acts) {
            Err(why) => {
                shared.error_text(why);
                return Next::none();
            }
            Ok(true) => return Next::none(),
            Ok(false) => {}
        }
    }
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.rows(), k, shared.page());
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
                // Who to call, in order; one not to be contacted is shown, never offered.
                for c in &p.contacts {
                    context.push(c.line());
                }
                for call in &p.contacted {
                    context.push(format!(
                        "{} {}: {}",
                        call.at.format("%H:%M"),
                        call.name,
                        call.note
                    ));
                }
                // The next to call: the first in order not called yet today.
                if let Some(next) = p.contacts.iter().find(|c| {
                    !c.no_contact
                        && !p
                            .contacted
                            .iter()
                            .any(|call| call.note.contains(&format!("called {} (", c.name)))
                }) {
                    context.push(format!("Next to call: {}", next.line()));
                } else if !p.contacts.is_empty() {
                    context.push("Every contact has been called today: a home visit next".into());
                }
                context.push(if p.contacts.is_empty() {
                    "Who was called, and what did they say?".into()
                } else {
                    "`2 reached I ill with flu`, `1 no answer`, `1 message`, `visit not home`, \
                     or a note"
                        .into()
                });
                Next::dialog(Modal::Input(InputState::new(
                    Ask {
                        upn: p.upn.clone(),
                        date: s.view.as_ref().map(|v| v.date),
                        session: s.view.as_ref().map(|v| v.session),
                        contacts: p.contacts.clone(),
                    },
                    format!("Contact: {}", p.name),
                    "note: ",
                    context,
                )))
            }
            Some(TodayRow::Register(_)) => remind(s, shared),
            None => Next::none(),
        },
        Action::Key(KeyAction::RemindTutor) => remind(s, shared),
        Action::Key(KeyAction::PupilYear) => match s.row(s.cursor) {
            Some(TodayRow::Pupil(p)) => Next::go(Go::PupilYear { upn: p.upn.clone() }),
            _ => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The note of a call typed: recorded in the desk log.
pub fn answered(ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(words) = answer else {
        return Ok(Next::none());
    };
    if words.is_empty() {
        return Err("say who was called and what they said".into());
    }
    // A contact's number and what came of it; a reached family's reason sets the mark.
    let call = crate::domain::desk::parse_call(&words, &ask.contacts)?;
    Ok(Next::effect(Effect::new(
        Request::Contacted {
            upn: ask.upn,
            date: ask.date,
            note: call.note,
            code: call.code.map(|c| c.to_string()),
            session: call.code.and(ask.session),
        },
        Reply::Done,
    )))
}

fn remind(s: &TodayScreen, shared: &mut Shared) -> Next<Ask> {
    let (Some(TodayRow::Register(r)), Some(view)) = (s.row(s.cursor), &s.view) else {
        shared.error_text("move to a missing register to remind its tutor");
        return Next::none();
    };
    Next::effect(Effect::new(
        Request::Remind {
            group: r.group.clone(),
            date: Some(view.date),
            session: view.session,
        },
        Reply::Done,
    ))
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

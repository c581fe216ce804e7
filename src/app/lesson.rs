//! A lesson's register (SPEC §8.8), opened from the teacher's lessons on the class list: the
//! class's pupils with their lesson mark beside the statutory one, marked with the register's
//! own keys (present, late, absent, everyone else present, close), the cursor moving on, a
//! name typed to jump to a pupil. A pupil known to be in school marked absent is missing: the
//! screen says the attendance team has been told.

use super::action::{Action, Effect, Go, Reply};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::lessons::LessonCode;
use crate::keymap::KeyAction;
use crate::service::protocol::{LessonPupil, LessonRegister, LessonRequest, Request};
use chrono::NaiveDate;
use std::convert::Infallible;

#[derive(Clone, Debug)]
pub struct LessonScreen {
    pub class: String,
    pub date: NaiveDate,
    pub period: String,
    pub view: Option<LessonRegister>,
    pub cursor: usize,
    pub jump: NameJump,
    pub top: ListTop,
}

pub fn open(class: String, date: NaiveDate, period: String) -> (LessonScreen, Effect) {
    let screen = LessonScreen {
        class,
        date,
        period,
        view: None,
        cursor: 0,
        jump: NameJump::default(),
        top: ListTop::default(),
    };
    let effect = load(&screen);
    (screen, effect)
}

pub fn load(s: &LessonScreen) -> Effect {
    Effect::new(
        Request::Lesson(LessonRequest::Register {
            class: s.class.clone(),
            date: s.date,
            period: s.period.clone(),
        }),
        Reply::LessonRegister,
    )
}

pub fn loaded(s: &mut LessonScreen, register: LessonRegister) {
    if register.lesson.class != s.class || register.lesson.date != s.date {
        return;
    }
    let upn = s.pupil_at_cursor().map(|p| p.upn.clone());
    s.cursor = upn
        .and_then(|u| register.pupils.iter().position(|p| p.upn == u))
        .unwrap_or(s.cursor)
        .min(register.pupils.len().saturating_sub(1));
    s.view = Some(register);
}

/// Marks saved: their rows as they now stand; a pupil gone missing said at once.
pub fn marked(
    s: Option<&mut LessonScreen>,
    shared: &mut Shared,
    pupils: Vec<LessonPupil>,
    afternoon_kept: Vec<String>,
) {
    // The afternoon register's marks the lesson could not make: said, so the teacher knows
    // whose afternoon mark is someone else's (or the office's to make).
    if let Some(first) = afternoon_kept.first() {
        let more = match afternoon_kept.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        shared.error_text(format!("{first}{more}"));
    }
    if let Some(missing) = pupils.iter().find(|p| p.missing) {
        shared.error_text(format!(
            "{} is MISSING: in school today and not here; the attendance team has been told",
            missing.name
        ));
    }
    let Some(view) = s.and_then(|s| s.view.as_mut()) else {
        return;
    };
    for p in pupils {
        if let Some(row) = view.pupils.iter_mut().find(|r| r.upn == p.upn) {
            *row = p;
        }
    }
    view.lesson.marked = view.pupils.iter().filter(|p| p.mark.is_some()).count() as u32;
}

impl LessonScreen {
    pub fn pupil_at_cursor(&self) -> Option<&LessonPupil> {
        self.view.as_ref()?.pupils.get(self.cursor)
    }

    fn request(&self, make: impl FnOnce(String, NaiveDate, String) -> LessonRequest) -> Effect {
        Effect::new(
            Request::Lesson(make(self.class.clone(), self.date, self.period.clone())),
            Reply::LessonMarked,
        )
    }
}

/// The register's keys, as in a statutory register; keys that are the statutory register's
/// alone (a code picker, an arrival time, undo) say so.
pub fn on_input(s: &mut LessonScreen, shared: &mut Shared, action: Action) -> Next<Infallible> {
    let page = shared.page();
    let names: Vec<String> = s
        .view
        .as_ref()
        .map(|v| v.pupils.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    if let Some(said) = s
        .jump
        .typed(&action, &mut s.cursor, names.iter().map(String::as_str))
    {
        shared.message = said.map(super::action::Message::info);
        return Next::none();
    }
    let Action::Key(key) = action else {
        return Next::none();
    };
    s.jump = NameJump::default();
    match key {
        KeyAction::Back => Next::go(Go::Home),
        k if is_navigation(k) => {
            s.cursor = next_index(s.cursor, names.len(), k, page);
            Next::none()
        }
        KeyAction::Present | KeyAction::Late | KeyAction::Absent => {
            let Some(pupil) = s.pupil_at_cursor().cloned() else {
                return Next::none();
            };
            let code = match key {
                KeyAction::Present => LessonCode::Present,
                KeyAction::Late => LessonCode::Late,
                _ => LessonCode::Absent,
            };
            // The cursor moves on, as in the register: one key per pupil.
            s.cursor = (s.cursor + 1).min(names.len().saturating_sub(1));
            Next::effect(s.request(|class, date, period| LessonRequest::Mark {
                class,
                date,
                period,
                upn: pupil.upn,
                code,
                arrived: None,
            }))
        }
        KeyAction::AllPresent => {
            Next::effect(s.request(|class, date, period| LessonRequest::AllPresent {
                class,
                date,
                period,
            }))
        }
        KeyAction::CloseRegister => {
            shared.info("register taken: everyone not marked is N, unless expected away");
            Next::effect(s.request(|class, date, period| LessonRequest::Close {
                class,
                date,
                period,
            }))
        }
        KeyAction::PupilYear => match s.pupil_at_cursor() {
            Some(p) if shared.is_office() => Next::go(Go::PupilYear { upn: p.upn.clone() }),
            _ => Next::none(),
        },
        KeyAction::CodePicker | KeyAction::AdjustTime | KeyAction::Undo | KeyAction::Clear => {
            shared.info(
                "a lesson is marked present, late or absent: a reason is the statutory register's",
            );
            Next::none()
        }
        _ => Next::none(),
    }
}

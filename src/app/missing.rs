//! Lessons for the attendance team (f11; SPEC §8.8): every pupil known to be in school and
//! marked absent in a lesson, pushed here the moment the mark is saved, with the lesson,
//! teacher and room and a clock since; past the school's minutes, "inform the parents" with
//! who to call. `enter` records where the pupil was found, `ctrl+n` that the parents were
//! told. Under them, the lesson registers not taken in time (`enter` or `ctrl+t` reminds the
//! teacher on their screen) and the day's late arrivals to lessons, for detentions.

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::lessons::MissingOutcome;
use crate::keymap::KeyAction;
use crate::service::protocol::{LateToLesson, LessonRequest, LessonSlot, MissingPupil, Request};
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct MissingScreen {
    pub pupils: Vec<MissingPupil>,
    /// Lesson registers not taken within the school's minutes.
    pub not_taken: Vec<LessonSlot>,
    /// The day's late arrivals to lessons.
    pub late: Vec<LateToLesson>,
    pub loaded: bool,
    pub cursor: usize,
    pub top: ListTop,
    pub jump: NameJump,
}

/// What the screen's dialog asks: where a pupil was found, or who was told.
#[derive(Clone, Debug)]
pub struct Ask {
    date: NaiveDate,
    period: String,
    upn: String,
    outcome: MissingOutcome,
}

pub fn load(today: NaiveDate) -> Vec<Effect> {
    vec![
        Effect::new(
            Request::Lesson(LessonRequest::Missing { date: None }),
            Reply::Missing,
        ),
        Effect::new(
            Request::Lesson(LessonRequest::NotTaken { date: None }),
            Reply::LessonsNotTaken,
        ),
        Effect::new(
            Request::Lesson(LessonRequest::Late { date: today }),
            Reply::LessonsLate,
        ),
    ]
}

impl MissingScreen {
    /// Rows the cursor moves over: missing pupils, then registers not taken.
    pub fn rows(&self) -> usize {
        self.pupils.len() + self.not_taken.len()
    }
}

pub fn open(shared: &mut Shared) -> Option<(MissingScreen, Vec<Effect>)> {
    if !shared.is_office() {
        shared.error_text("pupils missing from lessons are the attendance team's");
        return None;
    }
    Some((MissingScreen::default(), load(shared.now.date())))
}

pub fn loaded(s: &mut MissingScreen, pupils: Vec<MissingPupil>) {
    s.pupils = pupils;
    s.loaded = true;
    s.cursor = s.cursor.min(s.rows().saturating_sub(1));
}

pub fn not_taken_loaded(s: &mut MissingScreen, lessons: Vec<LessonSlot>) {
    s.not_taken = lessons;
    s.cursor = s.cursor.min(s.rows().saturating_sub(1));
}

pub fn late_loaded(s: &mut MissingScreen, late: Vec<LateToLesson>) {
    s.late = late;
}

/// The teacher of a lesson not taken, asked on their screen to take it.
fn remind(lesson: &LessonSlot) -> Next<Ask> {
    Next::effect(Effect::new(
        Request::Lesson(LessonRequest::Remind {
            class: lesson.class.clone(),
            date: lesson.date,
            period: lesson.period.clone(),
        }),
        Reply::LessonReminded,
    ))
}

pub fn on_input(s: &mut MissingScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let names: Vec<&str> = s.pupils.iter().map(|p| p.name.as_str()).collect();
    if let Some(said) = s.jump.typed(&action, &mut s.cursor, names) {
        shared.message = said.map(super::action::Message::error);
        return Next::none();
    }
    let Action::Key(key) = action else {
        return Next::none();
    };
    s.jump = NameJump::default();
    let selected = s.pupils.get(s.cursor);
    match key {
        KeyAction::Back => Next::go(Go::Home),
        k if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.rows(), k, shared.page());
            Next::none()
        }
        KeyAction::MissingFound | KeyAction::RemindTutor if s.cursor >= s.pupils.len() => {
            match s.not_taken.get(s.cursor - s.pupils.len()) {
                Some(lesson) => {
                    shared.info(format!(
                        "{} asked on their screen to take {} {}",
                        lesson.teacher_name, lesson.class, lesson.period
                    ));
                    remind(lesson)
                }
                None => Next::none(),
            }
        }
        KeyAction::MissingFound | KeyAction::ParentsInformed => {
            let Some(p) = selected else {
                return Next::none();
            };
            let found = key == KeyAction::MissingFound;
            let mut context = vec![format!(
                "{} \u{b7} {} {} with {} in {} \u{b7} marked {} \u{b7} {} min",
                p.name,
                p.class,
                p.period,
                p.teacher,
                p.room,
                p.marked_at.format("%H:%M"),
                p.minutes
            )];
            if !found {
                context.extend(p.contacts.iter().map(|c| c.line()));
            }
            Next::dialog(Modal::Input(InputState::new(
                Ask {
                    date: p.date,
                    period: p.period.clone(),
                    upn: p.upn.clone(),
                    outcome: if found {
                        MissingOutcome::Found
                    } else {
                        MissingOutcome::ParentsInformed
                    },
                },
                if found {
                    format!("Found: {}", p.name)
                } else {
                    format!("Parents informed: {}", p.name)
                },
                if found { "where: " } else { "who, how: " },
                context,
            )))
        }
        KeyAction::PupilYear => match selected {
            Some(p) => Next::go(Go::PupilYear { upn: p.upn.clone() }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// Where the pupil was found (or who was told), recorded; the list comes back with it.
pub fn answered(ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(note) = answer else {
        return Ok(Next::none());
    };
    if note.trim().is_empty() {
        return Err(match ask.outcome {
            MissingOutcome::Found => "say where the pupil was found".into(),
            MissingOutcome::ParentsInformed => "say who was told, and how".into(),
        });
    }
    Ok(Next::effect(Effect::new(
        Request::Lesson(LessonRequest::Resolve {
            date: ask.date,
            period: ask.period,
            upn: ask.upn,
            outcome: ask.outcome,
            note,
        }),
        Reply::Missing,
    )))
}

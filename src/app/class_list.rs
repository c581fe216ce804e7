//! The class list: every registration group with its AM and PM registers, for a day. It is
//! the app's home: `back` from any screen returns here.

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, is_navigation, next_index, type_ahead};
use super::next::Next;
use super::shared::Shared;
use crate::domain::session::Session;
use crate::keymap::{KeyAction, Section};
use crate::service::protocol::{ClassList, Request};
use chrono::{Datelike, Days, NaiveDate};

#[derive(Clone, Debug, Default)]
pub struct ClassListScreen {
    pub date: Option<NaiveDate>,
    pub session: Session,
    pub data: Option<ClassList>,
    pub cursor: usize,
    pub jump: String,
    /// Where the list was scrolled to when last drawn.
    pub top: ListTop,
    /// The day's lessons (secondary schools): a teacher's own, the current one first; the
    /// cursor moves on to them after the groups.
    pub lessons: Vec<crate::service::protocol::LessonSlot>,
}

/// What the class list's dialogs ask.
#[derive(Clone, Debug)]
pub enum Ask {
    /// A group's name to jump to, as it is typed.
    Jump,
    /// The account of the teacher covering a group's registers for a day.
    Cover { group: String, date: NaiveDate },
}

impl ClassListScreen {
    pub fn reload(&self) -> Vec<Effect> {
        self.date.map(load).into_iter().flatten().collect()
    }

    /// Rows the cursor moves over: the groups, then the day's lessons.
    pub fn rows(&self) -> usize {
        self.data.as_ref().map_or(0, |d| d.groups.len()) + self.lessons.len()
    }
}

/// The day's groups, and its lessons.
pub fn load(date: NaiveDate) -> Vec<Effect> {
    vec![
        Effect::new(Request::ClassList { date: Some(date) }, Reply::ClassList),
        Effect::new(
            Request::Lesson(crate::service::protocol::LessonRequest::Day {
                date: Some(date),
                teacher: None,
            }),
            Reply::Lessons,
        ),
    ]
}

/// The day's lessons arrived. Office staff see every lesson; a teacher their own.
pub fn lessons_loaded(
    home: &mut ClassListScreen,
    lessons: Vec<crate::service::protocol::LessonSlot>,
) {
    home.lessons = lessons;
    home.cursor = home.cursor.min(home.rows().saturating_sub(1));
}

pub fn loaded(home: &mut ClassListScreen, shared: &mut Shared, list: ClassList) {
    home.cursor = home
        .cursor
        .min((list.groups.len() + home.lessons.len()).saturating_sub(1));
    // Opened in the afternoon, home starts on the afternoon's registers.
    if home.data.is_none() && list.date == shared.now.date() {
        home.session = if shared.now.time() >= list.times[1].opens_at {
            Session::Pm
        } else {
            Session::Am
        };
    }
    home.date = Some(list.date);
    shared.times = Some(list.times);
    home.data = Some(list);
    shared.connection = Ok(());
}

fn school_day_step(date: NaiveDate, forward: bool) -> NaiveDate {
    // Skip weekends; the class list says when a day is a holiday or closure.
    let mut d = date;
    for _ in 0..7 {
        d = if forward {
            d + Days::new(1)
        } else {
            d - Days::new(1)
        };
        if d.weekday().num_days_from_monday() < 5 {
            break;
        }
    }
    d
}

pub fn on_input(home: &mut ClassListScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let groups: Vec<String> = home
        .data
        .as_ref()
        .map(|d| d.groups.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    match action {
        Action::Char(c) => {
            match type_ahead(&mut home.jump, c, &groups) {
                Some(i) => home.cursor = i,
                None => shared.error_text(format!("no group starts with `{}{c}`", home.jump)),
            }
            return Next::none();
        }
        Action::Erase => {
            home.jump.pop();
            return Next::none();
        }
        _ => {}
    }
    home.jump.clear();
    let Action::Key(key) = action else {
        return Next::none();
    };
    let today = shared.now.date();
    let date = home.date.unwrap_or(today);
    let selected = groups.get(home.cursor).cloned();
    match key {
        k if is_navigation(k) => {
            home.cursor = next_index(home.cursor, home.rows(), k, shared.page());
            Next::none()
        }
        // The class list is home: back never leaves the app (an SSH session with a forced
        // command would end with it). Quitting is its own key, said here.
        KeyAction::Back => {
            let quit = shared
                .keymap
                .key_label(Section::ClassList, KeyAction::Quit)
                .unwrap_or_else(|| "the quit key".into());
            shared.info(format!("this is the class list: {quit} quits"));
            Next::none()
        }
        KeyAction::Search => Next::dialog(jump_dialog()),
        KeyAction::OtherSession => {
            home.session = home.session.other();
            Next::none()
        }
        KeyAction::PreviousDay | KeyAction::NextDay | KeyAction::BackToToday => {
            let date = match key {
                KeyAction::PreviousDay => school_day_step(date, false),
                KeyAction::NextDay => school_day_step(date, true),
                _ => today,
            };
            home.date = Some(date);
            Next::effects(load(date))
        }
        KeyAction::Cover => {
            if !shared.is_office() {
                shared.error_text("cover is arranged by office staff");
                return Next::none();
            }
            let Some(group) = selected else {
                return Next::none();
            };
            Next::dialog(Modal::Input(InputState::new(
                Ask::Cover {
                    group: group.clone(),
                    date,
                },
                format!("Cover for {group}, {}", date.format("%a %d %b")),
                "teacher's account: ",
                vec![
                    "The teacher takes this group's AM and PM registers that day, and sees it first."
                        .into(),
                    "Leave it empty to take the cover away.".into(),
                ],
            )))
        }
        // A lesson below the groups opens its register.
        KeyAction::Open if home.cursor >= groups.len() => {
            match home.lessons.get(home.cursor - groups.len()) {
                Some(l) => {
                    shared.message = None;
                    Next::go(Go::Lesson {
                        class: l.class.clone(),
                        date: l.date,
                        period: l.period.clone(),
                    })
                }
                None => Next::none(),
            }
        }
        KeyAction::Open => match selected {
            Some(group) => {
                shared.message = None;
                Next::go(Go::Register {
                    group,
                    date,
                    session: home.session,
                })
            }
            None => Next::none(),
        },
        KeyAction::GroupWeek => match selected {
            Some(group) => Next::go(Go::GroupWeek { group, date }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The `search` prompt: jump to a name by typing it.
fn jump_dialog() -> Modal<Ask> {
    let mut input = InputState::new(Ask::Jump, "Jump to", "name: ", Vec::new());
    input.live = true;
    Modal::Input(input)
}

pub fn answered(home: &mut ClassListScreen, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    match (ask, answer) {
        (Ask::Jump, Answer::Typing(text)) => {
            let needle = text.to_lowercase();
            if let Some(data) = &home.data
                && let Some(i) = data
                    .groups
                    .iter()
                    .position(|g| g.name.to_lowercase().starts_with(&needle))
            {
                home.cursor = i;
            }
            Ok(Next::none())
        }
        (Ask::Cover { group, date }, Answer::Text(text)) => {
            let account = (!text.is_empty()).then_some(text);
            Ok(Next::effect(Effect::new(
                Request::AssignCover {
                    group,
                    date,
                    sessions: Session::BOTH.to_vec(),
                    account,
                },
                Reply::Done,
            )))
        }
        _ => Ok(Next::none()),
    }
}

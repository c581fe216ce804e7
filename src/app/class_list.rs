//! The class list: every registration group with its AM and PM registers, for a day. It is
//! the app's home: `back` from any screen returns here.

use super::nav::{is_navigation, next_index, type_ahead};
use super::register::RegisterScreen;
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::session::Session;
use crate::keymap::KeyAction;
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
    pub top: super::ListTop,
}

impl ClassListScreen {
    pub(super) fn reload(&self) -> Vec<Effect> {
        self.date.map(load).into_iter().collect()
    }
}

pub(super) fn load(date: NaiveDate) -> Effect {
    Effect::new(Request::ClassList { date: Some(date) }, Reply::ClassList)
}

pub(super) fn loaded(app: &mut App, result: Outcome<ClassList>) -> Vec<Effect> {
    match result {
        Ok(list) => {
            app.home.cursor = app.home.cursor.min(list.groups.len().saturating_sub(1));
            app.home.date = Some(list.date);
            app.home.data = Some(list);
            app.connection = Ok(());
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
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

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let groups: Vec<String> = app
        .home
        .data
        .as_ref()
        .map(|d| d.groups.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    match action {
        Action::Char(c) => {
            match type_ahead(&mut app.home.jump, c, &groups) {
                Some(i) => app.home.cursor = i,
                None => app.error_text(format!("no group starts with `{}{c}`", app.home.jump)),
            }
            return Next::none();
        }
        Action::Erase => {
            app.home.jump.pop();
            return Next::none();
        }
        _ => {}
    }
    app.home.jump.clear();
    let Action::Key(key) = action else {
        return Next::none();
    };
    let page = app.page();
    match key {
        k if is_navigation(k) => {
            app.home.cursor = next_index(app.home.cursor, groups.len(), k, page);
            Next::none()
        }
        // The class list is home: back never leaves the app (an SSH session with a forced
        // command would end with it). Quitting is its own key, said here.
        KeyAction::Back => {
            let quit = app
                .keymap
                .key_label(crate::keymap::Section::ClassList, KeyAction::Quit)
                .unwrap_or_else(|| "the quit key".into());
            app.info(format!("this is the class list: {quit} quits"));
            Next::none()
        }
        KeyAction::Search => Next::dialog(Modal::search()),
        KeyAction::OtherSession => {
            app.home.session = app.home.session.other();
            Next::none()
        }
        KeyAction::PreviousDay | KeyAction::NextDay | KeyAction::BackToToday => {
            let current = app.home.date.unwrap_or(app.now.date());
            let date = match key {
                KeyAction::PreviousDay => school_day_step(current, false),
                KeyAction::NextDay => school_day_step(current, true),
                _ => app.now.date(),
            };
            app.home.date = Some(date);
            Next::effects(vec![load(date)])
        }
        KeyAction::Cover => {
            if !app.is_office() {
                app.error_text("cover is arranged by office staff");
                return Next::none();
            }
            let Some(group) = groups.get(app.home.cursor).cloned() else {
                return Next::none();
            };
            let date = app.home.date.unwrap_or(app.now.date());
            Next::dialog(Modal::Input(super::modal::InputState::new(
                super::modal::InputPurpose::Cover {
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
        KeyAction::Open => {
            let Some(group) = groups.get(app.home.cursor).cloned() else {
                return Next::none();
            };
            let date = app.home.date.unwrap_or(app.now.date());
            let register = RegisterScreen::new(group, date, app.home.session);
            let effect = register.reload();
            app.message = None;
            app.screen = Screen::Register(register);
            Next::effects(vec![effect])
        }
        KeyAction::GroupWeek => {
            let Some(group) = groups.get(app.home.cursor).cloned() else {
                return Next::none();
            };
            let date = app.home.date.unwrap_or(app.now.date());
            Next::effects(super::week::open(app, group, date))
        }
        _ => Next::none(),
    }
}

/// Moves the cursor to the first group whose name starts with the typed text.
pub(super) fn search_jump(app: &mut App, needle: &str) {
    if let Some(data) = &app.home.data
        && let Some(i) = data
            .groups
            .iter()
            .position(|g| g.name.to_lowercase().starts_with(needle))
    {
        app.home.cursor = i;
    }
}

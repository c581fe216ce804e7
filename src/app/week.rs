//! A group's week as the weekly register shows it (pupils down, ten sessions across), and
//! the weekly attendance of the group and the school as a chart. Back returns to the screen
//! it was opened from.

use super::{Action, App, Effect, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::{Days, NaiveDate};

#[derive(Clone, Debug)]
pub struct WeekScreen {
    pub group: String,
    /// A day in the week shown.
    pub date: NaiveDate,
    pub view: Option<GroupWeek>,
    /// The chart instead of the grid.
    pub chart: bool,
    pub scroll: usize,
    pub back: Box<Screen>,
}

impl WeekScreen {
    pub(super) fn reload(&self) -> Effect {
        Effect::new(
            Request::GroupWeek {
                group: self.group.clone(),
                date: Some(self.date),
            },
            Reply::GroupWeek,
        )
    }
}

pub(super) fn open(app: &mut App, group: String, date: NaiveDate) -> Vec<Effect> {
    let back = Box::new(std::mem::replace(&mut app.screen, Screen::ClassList));
    let screen = WeekScreen {
        group,
        date,
        view: None,
        chart: false,
        scroll: 0,
        back,
    };
    let effect = screen.reload();
    app.screen = Screen::Week(screen);
    app.message = None;
    vec![effect]
}

pub(super) fn loaded(app: &mut App, result: Outcome<GroupWeek>) -> Vec<Effect> {
    match result {
        Ok(view) => {
            if let Screen::Week(s) = &mut app.screen {
                s.view = Some(view);
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Week(s) = &mut app.screen else {
        return Next::none();
    };
    let rows = s.view.as_ref().map_or(0, |v| v.pupils.len());
    match action {
        Action::Key(KeyAction::Back) => {
            let back = std::mem::replace(&mut s.back, Box::new(Screen::ClassList));
            app.screen = *back;
            Next::effects(app.reload_current())
        }
        Action::Key(KeyAction::PreviousWeek) => {
            s.date = s.date.checked_sub_days(Days::new(7)).unwrap_or(s.date);
            Next::effects(vec![s.reload()])
        }
        Action::Key(KeyAction::NextWeek) => {
            s.date = s.date.checked_add_days(Days::new(7)).unwrap_or(s.date);
            Next::effects(vec![s.reload()])
        }
        Action::Key(KeyAction::PlanAbsence) => {
            let group = s.group.clone();
            super::pupil::plan_dialog(app, None, Some(group.clone()), format!("all of {group}"))
        }
        Action::Key(KeyAction::WeekChart) => {
            s.chart = !s.chart;
            Next::none()
        }
        Action::Key(k) if super::nav::is_navigation(k) => {
            s.scroll = super::nav::next_index(s.scroll, rows, k, page);
            Next::none()
        }
        _ => Next::none(),
    }
}

//! A group's week as the weekly register shows it (pupils down, ten sessions across), and
//! the weekly attendance of the group and the school as a chart. Back returns to the screen
//! it was opened from.

use super::action::{Action, Effect, Go, Reply};
use super::modal::Answer;
use super::nav::{is_navigation, next_index};
use super::next::Next;
use super::plan::{self, PlanAsk};
use super::shared::Shared;
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
}

/// What the group's week asks: the steps of planning an absence for every pupil in the
/// group, or of withdrawing one.
#[derive(Clone, Debug)]
pub struct Ask(pub PlanAsk);

impl WeekScreen {
    pub fn reload(&self) -> Effect {
        Effect::new(
            Request::GroupWeek {
                group: self.group.clone(),
                date: Some(self.date),
            },
            Reply::GroupWeek,
        )
    }
}

pub fn open(group: String, date: NaiveDate) -> (WeekScreen, Effect) {
    let screen = WeekScreen {
        group,
        date,
        view: None,
        chart: false,
        scroll: 0,
    };
    let effect = screen.reload();
    (screen, effect)
}

pub fn loaded(s: &mut WeekScreen, view: GroupWeek) {
    s.view = Some(view);
}

pub fn on_input(s: &mut WeekScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let rows = s.view.as_ref().map_or(0, |v| v.pupils.len());
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Back),
        Action::Key(KeyAction::PreviousWeek) => {
            s.date = s.date.checked_sub_days(Days::new(7)).unwrap_or(s.date);
            Next::effect(s.reload())
        }
        Action::Key(KeyAction::NextWeek) => {
            s.date = s.date.checked_add_days(Days::new(7)).unwrap_or(s.date);
            Next::effect(s.reload())
        }
        Action::Key(KeyAction::PlanAbsence) => {
            plan::dialog(shared, Ask, format!("all of {}", s.group))
        }
        Action::Key(KeyAction::WithdrawPlan) => plan::withdraw(shared, None, Some(s.group.clone())),
        Action::Key(KeyAction::WeekChart) => {
            s.chart = !s.chart;
            Next::none()
        }
        Action::Key(k) if is_navigation(k) => {
            s.scroll = next_index(s.scroll, rows, k, shared.page());
            Next::none()
        }
        _ => Next::none(),
    }
}

pub fn answered(s: &WeekScreen, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    plan::answered(None, Some(s.group.clone()), ask.0, answer, Ask)
}

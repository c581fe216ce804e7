//! A pupil's year as the paper register shows it: a row per school week, AM and PM cells
//! with their codes, closures visible, and the year's figures beside it. Opened from any list
//! that shows a pupil, and from the pupil search on every screen; back returns there.

use super::action::{Action, Effect, Go, Reply};
use super::casework::{OPEN_HELP, open_of};
use super::modal::Answer;
use super::modal::{InputState, Modal};
use super::nav::{is_navigation, next_index};
use super::next::Next;
use super::plan::{self, PlanAsk};
use super::shared::Shared;
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug)]
pub struct PupilScreen {
    pub upn: String,
    pub view: Option<PupilYear>,
    /// The first week shown.
    pub scroll: usize,
}

/// What the pupil's year asks: the steps of planning an absence for the pupil, or of
/// withdrawing one; or a new case's words.
#[derive(Clone, Debug)]
pub enum Ask {
    Plan(PlanAsk),
    Case,
}

impl PupilScreen {
    pub fn reload(&self) -> Effect {
        Effect::new(
            Request::PupilYear {
                upn: self.upn.clone(),
                date: None,
            },
            Reply::PupilYear,
        )
    }
}

pub fn open(upn: String) -> (PupilScreen, Effect) {
    let screen = PupilScreen {
        upn,
        view: None,
        scroll: 0,
    };
    let effect = screen.reload();
    (screen, effect)
}

pub fn loaded(s: &mut PupilScreen, shared: &Shared, view: PupilYear) {
    let today = shared.now.date();
    // Open on this week, with as many weeks before it above as leave it in view whatever the
    // terminal's height.
    let this_week = view
        .weeks
        .iter()
        .rposition(|w| w.monday <= today)
        .unwrap_or(0);
    if s.view.is_none() {
        s.scroll = this_week.saturating_sub((shared.page() / 2).min(8));
    }
    s.view = Some(view);
}

pub fn on_input(s: &mut PupilScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let weeks = s.view.as_ref().map_or(0, |v| v.weeks.len());
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Back),
        Action::Key(k) if is_navigation(k) => {
            s.scroll = next_index(s.scroll, weeks, k, shared.page());
            Next::none()
        }
        Action::Key(KeyAction::PlanAbsence) => {
            let name = s.view.as_ref().map_or(s.upn.clone(), |v| v.name.clone());
            plan::dialog(shared, Ask::Plan, name)
        }
        Action::Key(KeyAction::WithdrawPlan) => plan::withdraw(shared, Some(s.upn.clone()), None),
        Action::Key(KeyAction::OpenCase) => {
            if !shared.is_office() {
                shared.error_text("casework is for office staff");
                return Next::none();
            }
            let name = s.view.as_ref().map_or(s.upn.clone(), |v| v.name.clone());
            Next::dialog(Modal::Input(InputState::new(
                Ask::Case,
                format!("A new case: {name}"),
                "case: ",
                OPEN_HELP.iter().map(|l| l.to_string()).collect(),
            )))
        }
        _ => Next::none(),
    }
}

pub fn answered(
    s: &PupilScreen,
    ask: Ask,
    answer: Answer,
    today: chrono::NaiveDate,
) -> Result<Next<Ask>, String> {
    match ask {
        Ask::Plan(plan) => plan::answered(Some(s.upn.clone()), None, plan, answer, Ask::Plan),
        Ask::Case => {
            let Answer::Text(words) = answer else {
                return Ok(Next::none());
            };
            Ok(Next::effect(Effect::new(
                Request::Casework(open_of(&s.upn, &words, today)?),
                Reply::CaseStepped,
            )))
        }
    }
}

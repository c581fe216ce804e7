//! Stages of intervention: each pupil at a stage of the school's own policy, what is due and
//! what was done; enter records the action done with a note (audited).

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct StagesScreen {
    pub pupils: Vec<PupilStage>,
    pub loaded: bool,
    pub cursor: usize,
    pub top: ListTop,
}

/// What the stages' dialog asks: what was done for a pupil's stage.
#[derive(Clone, Debug)]
pub struct Ask {
    upn: String,
    stage: String,
    /// Skipped with a reason, not done.
    skip: bool,
}

pub fn load() -> Effect {
    Effect::new(Request::Stages { on: None }, Reply::Stages)
}

pub fn open(shared: &mut Shared) -> Option<(StagesScreen, Effect)> {
    if !shared.is_office() {
        shared.error_text("stages of intervention are for office staff");
        return None;
    }
    Some((StagesScreen::default(), load()))
}

pub fn loaded(s: &mut StagesScreen, pupils: Vec<PupilStage>) {
    s.cursor = s.cursor.min(pupils.len().saturating_sub(1));
    s.pupils = pupils;
    s.loaded = true;
}

pub fn on_input(s: &mut StagesScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let selected = s.pupils.get(s.cursor).cloned();
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.pupils.len(), k, shared.page());
            Next::none()
        }
        Action::Key(k @ (KeyAction::StageDone | KeyAction::StageSkip)) => {
            let Some(p) = selected else {
                return Next::none();
            };
            let skip = k == KeyAction::StageSkip;
            Next::dialog(Modal::Input(InputState::new(
                Ask {
                    upn: p.upn.clone(),
                    stage: p.stage.name.clone(),
                    skip,
                },
                format!("{}: {}", p.name, p.stage.name),
                if skip { "skip, because: " } else { "done: " },
                vec![
                    format!("Due: {} ({}).", p.stage.action, p.why),
                    if skip {
                        "Why is this step skipped? (the pupil moves on to the next)".into()
                    } else {
                        "What was done? (a meeting held, a letter sent)".into()
                    },
                ],
            )))
        }
        Action::Key(KeyAction::PupilYear) => match selected {
            Some(p) => Next::go(Go::PupilYear { upn: p.upn }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The note typed: the stage's action is recorded as done.
pub fn answered(ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(note) = answer else {
        return Ok(Next::none());
    };
    if note.is_empty() {
        return Err(if ask.skip {
            "say why the stage is skipped".into()
        } else {
            "say what was done (a meeting held, a letter sent)".into()
        });
    }
    Ok(Next::effect(Effect::new(
        Request::StageDone {
            upn: ask.upn,
            stage: ask.stage,
            note,
            skipped: ask.skip,
        },
        Reply::Done,
    )))
}

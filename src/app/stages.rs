//! Stages of intervention: each pupil at a stage of the school's own policy, what is due and
//! what was done; enter records the action done with a note (audited).

use super::modal::{InputPurpose, InputState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct StagesScreen {
    pub pupils: Vec<PupilStage>,
    pub loaded: bool,
    pub cursor: usize,
    pub top: super::ListTop,
}

pub(super) fn load() -> Effect {
    Effect::new(Request::Stages { on: None }, Reply::Stages)
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("stages of intervention are for office staff");
        return Vec::new();
    }
    app.screen = Screen::Stages(StagesScreen::default());
    app.message = None;
    vec![load()]
}

pub(super) fn loaded(app: &mut App, result: Outcome<Vec<PupilStage>>) -> Vec<Effect> {
    match result {
        Ok(pupils) => {
            if let Screen::Stages(s) = &mut app.screen {
                s.cursor = s.cursor.min(pupils.len().saturating_sub(1));
                s.pupils = pupils;
                s.loaded = true;
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Stages(s) = &mut app.screen else {
        return Next::none();
    };
    let selected = s.pupils.get(s.cursor).cloned();
    match action {
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.pupils.len(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::StageDone) => {
            let Some(p) = selected else {
                return Next::none();
            };
            Next::dialog(Modal::Input(InputState::new(
                InputPurpose::StageNote {
                    upn: p.upn.clone(),
                    stage: p.stage.name.clone(),
                },
                format!("{}: {}", p.name, p.stage.name),
                "done: ",
                vec![
                    format!("Due: {} ({}).", p.stage.action, p.why),
                    "What was done? (a meeting held, a letter sent)".into(),
                ],
            )))
        }
        Action::Key(KeyAction::PupilYear) => match selected {
            Some(p) => Next::effects(super::pupil::open(app, p.upn)),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The request a stage's note makes once typed.
pub(super) fn done(upn: String, stage: String, note: String) -> Effect {
    Effect::new(Request::StageDone { upn, stage, note }, Reply::Done)
}

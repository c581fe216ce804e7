//! Dialogs over a screen: the code picker, a text field, a confirmation, and help. One is open
//! at a time; its handler gets the keys and returns the dialog that follows it.

mod confirm;
mod help;
mod input;
mod picker;

pub use confirm::{ConfirmPurpose, ConfirmState};
pub use input::{InputPurpose, InputState};
pub use picker::{PickTarget, PickerRow, PickerState, picker_rows};

use super::{Action, App, Effect, Next, Outcome};
use crate::keymap::{KeyAction, Section};
use crate::service::protocol::MarkHistory;

#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Modal {
    Help { section: Section, scroll: usize },
    Picker(PickerState),
    Input(InputState),
    Confirm(ConfirmState),
}

impl Modal {
    pub fn section(&self) -> Section {
        match self {
            Modal::Help { .. } => Section::Help,
            Modal::Picker(_) => Section::Picker,
            Modal::Input(_) => Section::Field,
            Modal::Confirm(_) => Section::Dialog,
        }
    }

    /// The `search` prompt: jump to a name by typing it.
    pub(super) fn search() -> Modal {
        Modal::Input(InputState::new(
            InputPurpose::Search,
            "Jump to",
            "name: ",
            Vec::new(),
        ))
    }
}

/// Hands a key to the open dialog, which returns what follows it.
pub(super) fn on_input(app: &mut App, modal: Modal, action: Action) -> Next {
    match modal {
        Modal::Help { section, scroll } => help::on_input(app, section, scroll, action),
        Modal::Confirm(state) => confirm::on_input(app, state, action),
        Modal::Picker(picker) => picker::on_input(app, picker, action),
        Modal::Input(input) => input::on_input(app, input, action),
    }
}

/// Keys a confirmation and a text field treat alike: cancel leaves with nothing changed, quit
/// quits. `None` for any other key.
fn leaving(app: &mut App, action: &Action) -> Option<Next> {
    match action {
        Action::Key(KeyAction::Cancel | KeyAction::Back) => {
            app.info("nothing changed");
            Some(Next::none())
        }
        Action::Key(KeyAction::Quit) => {
            app.quit = true;
            Some(Next::none())
        }
        _ => None,
    }
}

/// A mark's history arrived: the dialog asking about that mark shows it.
pub(super) fn history_loaded(app: &mut App, result: Outcome<MarkHistory>) -> Vec<Effect> {
    match result {
        Ok(history) => match &mut app.modal {
            Some(Modal::Input(input)) => input
                .context
                .extend(super::register::history_lines(&history)),
            Some(Modal::Confirm(info)) if matches!(info.purpose, ConfirmPurpose::Info) => {
                info.lines.extend(super::register::history_lines(&history))
            }
            _ => {}
        },
        Err(e) => app.error(&e),
    }
    Vec::new()
}

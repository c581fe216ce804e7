//! What a dialog does with a key: stays open, closes, or answers the question its owner
//! asked. A dialog knows nothing of who asked: the answer goes back with the owner's own
//! `ask`, and the app hands it to that owner.

use crate::app::action::{Action, Message};
use crate::domain::codes::Code;
use crate::keymap::KeyAction;

/// What was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Text typed into a field and confirmed with enter.
    Text(String),
    /// The text of a field as it is being typed (a name to jump to): the field stays open.
    Typing(String),
    /// A code chosen in the picker.
    Code(Code),
    /// A confirmation said yes.
    Yes,
}

/// A dialog after a key: `S` is the dialog's own state, `A` its owner's question.
pub enum Step<A, S> {
    /// Still open, with something to say (or nothing).
    Open(S, Option<Message>),
    /// Closed, with something to say (or nothing).
    Closed(Option<Message>),
    /// The person quit the app from the dialog.
    Quit,
    /// The owner's question, answered. `dialog` is the dialog as it stood: open again if the
    /// owner refuses the answer (saying why under the field) or the answer is `Typing`.
    Answered { ask: A, answer: Answer, dialog: S },
}

impl<A, S> Step<A, S> {
    pub fn open(state: S) -> Step<A, S> {
        Step::Open(state, None)
    }

    /// The same step for a dialog wrapped in another type (an input in a `Modal`).
    pub fn map<T>(self, wrap: impl Fn(S) -> T) -> Step<A, T> {
        match self {
            Step::Open(s, said) => Step::Open(wrap(s), said),
            Step::Closed(said) => Step::Closed(said),
            Step::Quit => Step::Quit,
            Step::Answered {
                ask,
                answer,
                dialog,
            } => Step::Answered {
                ask,
                answer,
                dialog: wrap(dialog),
            },
        }
    }
}

/// Keys a confirmation and a text field treat alike: cancel leaves with nothing changed,
/// quit quits. `None` for any other key.
pub fn leaving<A, S>(action: &Action) -> Option<Step<A, S>> {
    match action {
        Action::Key(KeyAction::Cancel | KeyAction::Back) => {
            Some(Step::Closed(Some(Message::info("nothing changed"))))
        }
        Action::Key(KeyAction::Quit) => Some(Step::Quit),
        _ => None,
    }
}

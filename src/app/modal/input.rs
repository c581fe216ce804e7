//! A one-line text field with what it is for (the owner's `ask`): a note, an amendment's
//! reason, an arrival time, a name to jump to. Enter answers with the text; the owner says
//! whether it will do, and a refusal is shown under the field.

use super::step::{Answer, Step, leaving};
use crate::app::action::Action;
use crate::keymap::KeyAction;
use tui_input::{Input, InputRequest};

#[derive(Clone, Debug)]
pub struct InputState<A> {
    /// The owner's question: what the text is for.
    pub ask: A,
    pub title: String,
    pub prompt: String,
    /// The text and its cursor (tui-input: a line editor's buffer, grapheme-aware).
    pub field: Input,
    /// The text was put there for the person (the time now, the last reason): the first
    /// character typed replaces it; moving or deleting keeps it to edit.
    pub prefilled: bool,
    /// Every change is answered as it is typed (a name to jump to), not only on enter.
    pub live: bool,
    /// Lines shown above the field: what is being changed, and its history.
    pub context: Vec<String>,
    pub error: Option<String>,
}

impl<A> InputState<A> {
    pub fn new(
        ask: A,
        title: impl Into<String>,
        prompt: impl Into<String>,
        context: Vec<String>,
    ) -> InputState<A> {
        InputState {
            ask,
            title: title.into(),
            prompt: prompt.into(),
            field: Input::default(),
            prefilled: false,
            live: false,
            context,
            error: None,
        }
    }

    /// Puts a suggestion in the field, replaced by the first character typed.
    pub fn suggest(mut self, text: impl Into<String>) -> Self {
        self.field = Input::new(text.into());
        self.prefilled = true;
        self
    }

    /// What has been typed.
    pub fn text(&self) -> &str {
        self.field.value()
    }

    /// The field again, saying what is wrong with what was typed.
    pub fn refused(mut self, error: impl Into<String>) -> Self {
        self.error = Some(error.into());
        self
    }

    /// The same field for another owner's question type.
    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> InputState<B> {
        InputState {
            ask: f(self.ask),
            title: self.title,
            prompt: self.prompt,
            field: self.field,
            prefilled: self.prefilled,
            live: self.live,
            context: self.context,
            error: self.error,
        }
    }

    /// A typed character: replaces a suggestion, otherwise goes in at the cursor.
    fn type_char(&mut self, c: char) {
        if std::mem::take(&mut self.prefilled) {
            self.field.reset();
        }
        self.field.handle(InputRequest::InsertChar(c));
        self.error = None;
    }

    /// An editing key; `false` if the key is not one.
    fn edit(&mut self, key: KeyAction) -> bool {
        let request = match key {
            KeyAction::CursorLeft => InputRequest::GoToPrevChar,
            KeyAction::CursorRight => InputRequest::GoToNextChar,
            KeyAction::WordLeft => InputRequest::GoToPrevWord,
            KeyAction::WordRight => InputRequest::GoToNextWord,
            KeyAction::FieldStart => InputRequest::GoToStart,
            KeyAction::FieldEnd => InputRequest::GoToEnd,
            KeyAction::DeleteForward => InputRequest::DeleteNextChar,
            KeyAction::DeleteWord => InputRequest::DeletePrevWord,
            KeyAction::ClearToStart => InputRequest::DeleteFromStart,
            KeyAction::ClearToEnd => InputRequest::DeleteTillEnd,
            _ => return false,
        };
        // Editing a suggestion keeps it: the person chose to change it, not replace it.
        self.prefilled = false;
        self.field.handle(request);
        true
    }
}

pub fn on_input<A: Clone>(mut input: InputState<A>, action: Action) -> Step<A, InputState<A>> {
    if let Some(step) = leaving(&action) {
        return step;
    }
    let before = input.text().to_string();
    match action {
        Action::Key(KeyAction::Confirm) => {
            let text = input.text().trim().to_string();
            return Step::Answered {
                ask: input.ask.clone(),
                answer: Answer::Text(text),
                dialog: input,
            };
        }
        Action::Char(c) => input.type_char(c),
        Action::Erase => {
            input.prefilled = false;
            input.field.handle(InputRequest::DeletePrevChar);
        }
        Action::Key(k) => {
            input.edit(k);
        }
        _ => {}
    }
    if input.live && input.text() != before {
        return Step::Answered {
            ask: input.ask.clone(),
            answer: Answer::Typing(input.text().to_string()),
            dialog: input,
        };
    }
    Step::open(input)
}

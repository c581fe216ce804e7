//! A confirmation: what is about to happen, in lines, then confirm or cancel. With no
//! question (`ask: None`) it is something to read, closed by cancel.

use super::step::{Answer, Step, leaving};
use crate::app::action::{Action, Message};
use crate::app::nav::{is_navigation, next_index};
use crate::keymap::KeyAction;

#[derive(Clone, Debug)]
pub struct ConfirmState<A> {
    /// What a yes answers; `None`: something to read, with nothing to confirm.
    pub ask: Option<A>,
    /// Only `y` confirms, never enter (which elsewhere marks present, and could be a key
    /// meant for the register): what `y` does and what cancel does ("replace", "keep it").
    pub deliberate: Option<(&'static str, &'static str)>,
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl<A> ConfirmState<A> {
    /// A question confirmed with enter or `y`.
    pub fn new(ask: A, title: impl Into<String>, lines: Vec<String>) -> ConfirmState<A> {
        ConfirmState {
            ask: Some(ask),
            deliberate: None,
            title: title.into(),
            lines,
            scroll: 0,
        }
    }

    /// Something to read, closed by cancel.
    pub fn read(title: impl Into<String>, lines: Vec<String>) -> ConfirmState<A> {
        ConfirmState {
            ask: None,
            deliberate: None,
            title: title.into(),
            lines,
            scroll: 0,
        }
    }

    /// Confirmed by `y` alone: `yes` is what it does, `no` what cancel does.
    pub fn deliberate(mut self, yes: &'static str, no: &'static str) -> Self {
        self.deliberate = Some((yes, no));
        self
    }

    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> ConfirmState<B> {
        ConfirmState {
            ask: self.ask.map(f),
            deliberate: self.deliberate,
            title: self.title,
            lines: self.lines,
            scroll: self.scroll,
        }
    }
}

pub fn on_input<A: Clone>(
    state: ConfirmState<A>,
    action: Action,
    page: usize,
) -> Step<A, ConfirmState<A>> {
    // Something read is closed, not cancelled: there was nothing to change.
    if state.ask.is_none() && matches!(action, Action::Key(KeyAction::Cancel | KeyAction::Back)) {
        return Step::Closed(None);
    }
    if let Some(step) = leaving(&action) {
        return step;
    }
    match action {
        Action::Key(KeyAction::Confirm) if state.deliberate.is_some() => {
            let (yes, no) = state.deliberate.unwrap_or_default();
            let said = Message::info(format!("press y to {yes} it, or esc to {no}"));
            Step::Open(state, Some(said))
        }
        Action::Key(KeyAction::Confirm) | Action::Char('y' | 'Y') => match state.ask.clone() {
            Some(ask) => Step::Answered {
                ask,
                answer: Answer::Yes,
                dialog: state,
            },
            None => Step::Closed(None),
        },
        Action::Char('n' | 'N') => Step::Closed(Some(Message::info("nothing changed"))),
        Action::Key(k) if is_navigation(k) => {
            let scroll = next_index(state.scroll, state.lines.len(), k, page);
            Step::open(ConfirmState { scroll, ..state })
        }
        _ => Step::open(state),
    }
}

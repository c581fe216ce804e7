//! What handling one input or reply leads to: requests to make, a dialog to show, a screen
//! to go to, or the screen on show to be fetched afresh. `A` is the question type of the
//! screen that returns it; the app turns it into its own ([`Next::map`]).

use super::action::{Effect, Go};
use super::modal::Modal;

#[derive(Debug)]
pub struct Next<A> {
    pub effects: Vec<Effect>,
    pub dialog: Option<Modal<A>>,
    pub go: Option<Go>,
    /// Fetch what the screen on show shows afresh.
    pub reload: bool,
}

impl<A> Default for Next<A> {
    fn default() -> Self {
        Next {
            effects: Vec::new(),
            dialog: None,
            go: None,
            reload: false,
        }
    }
}

impl<A> Next<A> {
    pub fn none() -> Next<A> {
        Next::default()
    }

    pub fn effects(effects: Vec<Effect>) -> Next<A> {
        Next {
            effects,
            ..Next::default()
        }
    }

    pub fn effect(effect: Effect) -> Next<A> {
        Next::effects(vec![effect])
    }

    pub fn dialog(dialog: Modal<A>) -> Next<A> {
        Next {
            dialog: Some(dialog),
            ..Next::default()
        }
    }

    pub fn go(go: Go) -> Next<A> {
        Next {
            go: Some(go),
            ..Next::default()
        }
    }

    pub fn reload() -> Next<A> {
        Next {
            reload: true,
            ..Next::default()
        }
    }

    /// The same, for the app's question type.
    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> Next<B> {
        Next {
            effects: self.effects,
            dialog: self.dialog.map(|d| d.map(f)),
            go: self.go,
            reload: self.reload,
        }
    }
}

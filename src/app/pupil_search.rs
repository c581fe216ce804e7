//! The pupil search, from any screen and for anyone: type a name or UPN, choose, and the
//! pupil's year opens.

use super::action::{Action, Effect, Go};
use super::find::Finder;
use super::next::Next;
use super::shared::Shared;
use crate::keymap::KeyAction;
use std::convert::Infallible;

#[derive(Clone, Debug, Default)]
pub struct PupilSearchScreen {
    pub finder: Finder,
}

pub fn open(shared: &Shared) -> (PupilSearchScreen, Effect) {
    let screen = PupilSearchScreen::default();
    let effect = screen.finder.search(shared.now.date());
    (screen, effect)
}

/// The search asks nothing: it has no dialog.
pub fn on_input(
    s: &mut PupilSearchScreen,
    shared: &mut Shared,
    action: Action,
) -> Next<Infallible> {
    if let Some(effects) = s.finder.on_input(&action, shared.now.date(), shared.page()) {
        return Next::effects(effects);
    }
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(KeyAction::Choose) => match s.finder.selected() {
            Some(hit) => Next::go(Go::PupilYear {
                upn: hit.upn.clone(),
            }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

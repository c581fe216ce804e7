//! Help: every key in force in the view it was opened from, generated from the live keymap.

use crate::app::nav::{is_navigation, next_index};
use crate::app::{Action, App, Modal, Next};
use crate::keymap::{KeyAction, Section};

pub(super) fn on_input(app: &mut App, section: Section, scroll: usize, action: Action) -> Next {
    match action {
        Action::Key(KeyAction::Back | KeyAction::Help | KeyAction::Cancel) => Next::none(),
        Action::Key(KeyAction::Quit) => {
            app.quit = true;
            Next::none()
        }
        Action::Key(k) if is_navigation(k) => {
            let len = app.keymap.help(section).len() + 4;
            let scroll = next_index(scroll, len, k, app.page());
            Next::dialog(Modal::Help { section, scroll })
        }
        _ => Next::dialog(Modal::Help { section, scroll }),
    }
}

//! Help: every key in force in the view it was opened from, generated from the live keymap
//! (drawn by `ui::modal::help`); here only its scrolling.

use super::step::Step;
use crate::app::action::Action;
use crate::app::nav::{is_navigation, next_index};
use crate::keymap::{KeyAction, Section};

/// The help dialog's place: the view it describes and how far it is scrolled.
#[derive(Clone, Copy, Debug)]
pub struct HelpState {
    pub section: Section,
    pub scroll: usize,
}

/// `lines`: how many lines the help for the section has, to scroll within.
pub fn on_input<A>(
    help: HelpState,
    action: Action,
    lines: usize,
    page: usize,
) -> Step<A, HelpState> {
    match action {
        Action::Key(KeyAction::Back | KeyAction::Help | KeyAction::Cancel) => Step::Closed(None),
        Action::Key(KeyAction::Quit) => Step::Quit,
        Action::Key(k) if is_navigation(k) => {
            let scroll = next_index(help.scroll, lines + 4, k, page);
            Step::open(HelpState { scroll, ..help })
        }
        _ => Step::open(help),
    }
}

//! Dialogs over a screen: the code picker, a text field, a confirmation, and help. One is
//! open at a time. A dialog knows no screen: it carries its owner's question (`A`, an enum
//! the owning screen defines), and when answered returns it with the [`Answer`]; the app
//! hands both to the owner (`app::update`).

mod confirm;
mod help;
mod input;
mod picker;
mod step;

pub use confirm::ConfirmState;
pub use help::HelpState;
pub use input::InputState;
pub use picker::{PickerRow, PickerState, picker_rows};
pub use step::{Answer, Step};

use crate::app::action::Action;
use crate::keymap::Section;

#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Modal<A> {
    Help(HelpState),
    Picker(PickerState<A>),
    Input(InputState<A>),
    Confirm(ConfirmState<A>),
}

impl<A> Modal<A> {
    pub fn section(&self) -> Section {
        match self {
            Modal::Help(_) => Section::Help,
            Modal::Picker(_) => Section::Picker,
            Modal::Input(_) => Section::Field,
            Modal::Confirm(_) => Section::Dialog,
        }
    }

    /// Help on the keys of a view.
    pub fn help(section: Section) -> Modal<A> {
        Modal::Help(HelpState { section, scroll: 0 })
    }

    /// The same dialog for another owner's question type (a screen's own question into the
    /// app's).
    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> Modal<B> {
        match self {
            Modal::Help(h) => Modal::Help(h),
            Modal::Picker(p) => Modal::Picker(p.map(f)),
            Modal::Input(i) => Modal::Input(i.map(f)),
            Modal::Confirm(c) => Modal::Confirm(c.map(f)),
        }
    }

    /// The dialog again after its owner refused the answer, saying why. A field shows it
    /// under the text; other dialogs leave it to the message line.
    pub fn refused(self, why: String) -> Modal<A> {
        match self {
            Modal::Input(i) => Modal::Input(i.refused(why)),
            other => other,
        }
    }

    /// A mark's history arrived for the dialog asking about that mark: a field or something
    /// to read shows it under what it says.
    pub fn add_context(&mut self, lines: Vec<String>) {
        match self {
            Modal::Input(input) => input.context.extend(lines),
            Modal::Confirm(info) if info.ask.is_none() => info.lines.extend(lines),
            _ => {}
        }
    }
}

/// Hands a key to the open dialog. `help_lines` is how many lines the help on show has.
pub fn on_input<A: Clone>(
    modal: Modal<A>,
    action: Action,
    page: usize,
    help_lines: usize,
) -> Step<A, Modal<A>> {
    match modal {
        Modal::Help(help) => help::on_input(help, action, help_lines, page).map(Modal::Help),
        Modal::Confirm(state) => confirm::on_input(state, action, page).map(Modal::Confirm),
        Modal::Picker(picker) => picker::on_input(picker, action, page).map(Modal::Picker),
        Modal::Input(input) => input::on_input(input, action).map(Modal::Input),
    }
}

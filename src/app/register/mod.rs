//! A register: one group's pupils for one session, marked one key per pupil. Its state is in
//! `screen`, its keys and dialog answers in `keys`; marking and undo in `marking`, closing in
//! `closing`, history, arrival times and clearing in `amend`.

mod amend;
mod closing;
mod keys;
mod marking;
mod screen;

pub use amend::cleared;
pub use closing::{close_summary_lines, closed};
pub use keys::{answered, load, loaded, on_input};
pub use marking::{marked, marked_many, undone};
pub use screen::{Ask, RegisterScreen, UndoItem, is_name_char, set_row_mark};

//! Dialogs, drawn over the view they belong to, one file each as in `app/modal/`.

pub mod confirm;
pub mod help;
pub mod input;
pub mod picker;

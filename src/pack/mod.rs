//! The governors' and trustees' pack (`rollcall pack`, SPEC §3.8): the term's figures
//! gathered through the school's requests (`gather`) and written as one HTML page that prints
//! on A4 (`html`).

pub mod gather;
pub mod html;

//! The DfE's Common Transfer File, as far as rollcall reads and writes it: the header, each
//! pupil's UPN, names, date of birth and sex, and their attendance per school year
//! (`Attendance/YearData`). Written and read with quick-xml: the text is escaped and
//! unescaped by it, never by hand.
//!
//! The header's elements and the pupil's were checked against DfE code; the attendance part
//! only against one vendor's exporter (SPEC §6). The choices rollcall makes where nothing
//! was found are all here, in [`MARK_CHARS`] and [`NO_MARK`]: `AttendanceMarks` holds one
//! character per session (AM then PM) for every calendar day from `AttendanceStartDate`; a
//! session without a mark is `-` (the vendor writes `#` on days without school, but `#` is
//! also the code for a planned closure, so rollcall keeps it for that code alone); the
//! two-character national codes and the management systems' sub-codes, which do not fit
//! one character, are written as the digits and lower-case letters of [`MARK_CHARS`].

//!
//! `file` is the file as rollcall holds it, `marks` the marks string, `write` and `read` the
//! two directions (`tree` reads the XML into elements first).

mod file;
mod marks;
mod people;
mod read;
#[cfg(test)]
mod tests;
mod tree;
mod write;

pub use file::{CtfFile, CtfPupil, CtfSchool, CtfYear};
pub use marks::{MARK_CHARS, NO_MARK, code_of, mark_char};
pub use people::CtfTraits;
pub use read::read;
pub use write::write;

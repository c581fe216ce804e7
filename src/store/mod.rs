//! The store: the only code that touches redb.
//!
//! Keys are designed for a 2000-pupil school with six years of history (about 4.6 million
//! session marks): a day's marks, a date range, a pupil's year to date and a group's roll are
//! all range reads on a key prefix, never full scans. The tables and their keys are in
//! [`schema`] (listed once there); what is stored in them, row by row, in `rows` (private:
//! the rest of the program sees the domain's types); how keys encode dates and sessions in
//! `keys`; a pupil's month of marks in [`month`].
//!
//! A transaction opens each table once, when it begins (`schema::Tables`), and every read is
//! written once for both kinds of transaction, in a file per family: `people`, `marks`,
//! `history`, `registers`, `alert_actions`, `desk`, `meta`. Every write commits with redb's
//! default immediate durability: when a write returns, the data is on disk and survives
//! `kill -9` and power loss (`handle`). Opening a file and checking it is `open`; bringing
//! an older one up to this schema is `migrate/`; copies are `backup`.

mod alert_actions;
pub mod backup;
mod casework;
mod contacts;
mod desk;
mod elsewhere;
mod error;
mod handle;
mod history;
mod keys;
mod lessons;
mod marks;
mod meta;
mod migrate;
pub mod month;
mod names;
mod open;
mod people;
mod plans;
mod published;
mod raw;
mod registers;
mod rows;
pub mod schema;
mod seal;
mod sources;
#[cfg(test)]
mod tests;

pub use alert_actions::Actions;
pub use elsewhere::ElsewhereMark;
pub use error::{Result, StoreError};
pub use handle::{Log, Store};
pub use lessons::DayMarks;
pub use open::{Access, clean_partial, file_schema};
pub use published::DETAILS;
pub use schema::{Kind, Reader, Tables, Writer};
pub use seal::fingerprint;

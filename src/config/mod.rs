//! Reading a school's configuration (TOML, the shape of `school.example.toml`).
//!
//! Every error names the file, the line and the field (`reader`). Unknown fields are errors,
//! not ignored: a misspelt `closes_at` must not silently leave a default in place (`raw`).
//! A reader per section: `school` (and the whole file), `sessions`, `calendar` (terms and
//! closures), `bands`, `groups` (and the teacher's codes), `stages`.

mod bands;
mod calendar;
mod groups;
mod lessons;
mod raw;
mod reader;
mod school;
mod sessions;
mod stages;
#[cfg(test)]
mod tests;
mod thresholds;
mod timings;

pub use groups::MAX_GROUPS;
pub use reader::ConfigError;
pub use school::parse_school;

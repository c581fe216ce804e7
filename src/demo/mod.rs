//! A realistic demo school: groups, staff, pupils and weeks of marks with lates, `N`s waiting
//! for a reason, a few persistently absent pupils and one severely absent. Deterministic for a
//! seed and a clock, so a demo and its screenshots can be reproduced.
//!
//! Built through the engine, with the requests, rules and accounts of a school's own marks;
//! `--years 6 --pupils 2000` builds the scale a school keeps (4.6 million marks) in minutes,
//! the store flushing once at the end instead of at every commit.
//!
//! A file per phase: `school_file` (its configuration), `people` (staff and pupils),
//! `cohorts` (the children of several school years, moving up each September), `sessions`
//! (the school days up to now), `lessons` (a secondary's timetable and lesson registers), and
//! `build`, which runs them and plans ahead;
//! `names`, `rng` and `sender` (the requests, as each account) serve them all.

mod build;
mod casework;
mod cohorts;
mod ladder;
mod lessons;
pub mod letters;
mod names;
mod people;
mod rng;
mod school_file;
mod sender;
mod sessions;

pub use build::{DemoOptions, DemoSummary, build};

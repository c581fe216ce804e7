//! The engine applies the rules of `domain` to the `store` for one acting member of staff.
//! It runs in-process for single-user use and inside `rollcall serve` for a school: either way
//! every request goes through [`Engine::handle`], so no rule is written twice.
//!
//! One file per family of requests: `setup` (configuration, staff, pupils), `marks` (marking,
//! undo, closing, planned absences), `batch` (the group commit that saves marks arriving
//! together), `views` (what the app shows), `reports` (export, figures), `alerts` and `desk` (the
//! office's day: absences, calls, reminders, the fire list, a pupil's year), `lessons` and
//! `missing` (lesson registers and the pupils missing from them, over `lesson_day`). Each
//! request is handled with a [`Ctx`] built once: who is acting, the school, and the time.
//! The engine itself and its one door are in `core`; the queue of marks waiting for a group
//! commit in `queue`.

mod access;
mod alerts;
mod arrive;
mod batch;
mod casework;
mod context;
mod core;
mod ctf;
mod ctx;
mod desk;
mod exchange;
mod figures;
mod followups;
mod lesson_day;
mod lesson_reports;
mod lessons;
mod marks;
mod missing;
mod plans;
mod publish;
mod queue;
mod reports;
mod setup;
mod sign_out;
mod stages;
mod views;

pub use access::Sight;
pub use core::Engine;

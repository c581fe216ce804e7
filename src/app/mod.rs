//! The app: its state ([`App`]) and the one place it changes ([`update`]).
//!
//! `update` is pure: it takes the state and an [`Action`] (a key the keymap translated, a
//! character typed, the clock moving, a push from the server, or the reply to a request) and
//! returns [`Effect`]s: requests to make, each with the [`Reply`] that says who handles its
//! answer. The loop that makes them (`tui::Driver`) is the same in the terminal and in tests.
//!
//! Each screen has its own room, holding its state, its keys, what it does with replies and
//! with the answers to its dialogs: `class_list`, `register/`, `sign_in`, `pupil_search`,
//! `n_queue`, `alerts`, `today`, `on_site`, `reports`, `pupil`, `week`, `stages`,
//! `casework`, `lesson` (a lesson's register) and `missing` (pupils missing from lessons);
//! `trust` is the trust's screen, an app of its own over the trust's database; the pupil
//! import (`import`) is an owner with no screen. A screen knows no other screen: it asks to
//! [`Go`] somewhere, and `update` opens it. The dialogs are in `modal/` and know no screen:
//! each carries its owner's question and answers it (`docs/ARCHITECTURE.md`). Shared by
//! several screens: `find` (a pupil by name), `plan` (a planned absence), `amendment` (the
//! reason dialog), `nav` (list movement). Pushes and the clock are in `push`. A screen's
//! drawing is the file of the same name in `ui/`.
//!
//! This file only declares the rooms and says what the rest of rollcall may use.

mod action;
mod alerts;
mod amendment;
mod casework;
mod class_list;
mod find;
mod import;
mod lesson;
mod missing;
mod modal;
mod n_queue;
mod nav;
mod next;
mod on_site;
mod plan;
mod pupil;
mod pupil_search;
mod push;
mod register;
mod reports;
mod shared;
mod sign_in;
mod stages;
mod state;
mod today;
pub mod trust;
mod update;
mod week;

pub use action::{
    Action, ClearTarget, Effect, Go, Incoming, Message, MessageKind, Outgoing, Reply,
};
pub use alerts::AlertsScreen;
pub use amendment::history_lines;
pub use casework::{CaseworkScreen, detail as case_detail};
pub use class_list::ClassListScreen;
pub use find::Finder;
pub use lesson::LessonScreen;
pub use missing::MissingScreen;
pub use modal::{ConfirmState, HelpState, InputState, Modal, PickerRow, PickerState, picker_rows};
pub use n_queue::{NQueueScreen, OVERDUE_REASON};
pub use nav::ListTop;
pub use on_site::OnSiteScreen;
pub use pupil::PupilScreen;
pub use pupil_search::PupilSearchScreen;
pub use register::{RegisterScreen, UndoItem, close_summary_lines};
pub use reports::{PERIODS, ReportsScreen, Sort, csv_of, period_dates};
pub use shared::Shared;
pub use sign_in::SignInScreen;
pub use stages::StagesScreen;
pub use state::{App, Ask, MIN_HEIGHT, MIN_WIDTH, Screen};
pub use today::{TodayRow, TodayScreen, days};
pub use update::update;
pub use week::WeekScreen;

//! Requests and replies: the one interface through which the CLI and the app reach the rules,
//! whether the engine runs in-process or behind `rollcall serve`. Everything here is plain
//! serde data, so the same values cross a Unix socket as JSON.

//!
//! One file per family: `request` and `response`, `event` (pushes), `marks`, `registers`,
//! `desk`, `casework`, `reports`, `exchange`, `lessons`, `publish`.

mod casework;
mod desk;
mod event;
mod exchange;
mod lessons;
mod marks;
mod publish;
mod registers;
mod reports;
mod request;
mod response;

pub use casework::*;
pub use desk::*;
pub use event::*;
pub use exchange::*;
pub use lessons::*;
pub use marks::*;
pub use publish::*;
pub use registers::*;
pub use reports::*;
pub use request::*;
pub use response::*;

//! One interface to the rules, local or remote.
//!
//! A [`Client`] sends [`Request`]s through a [`Transport`]: straight to an in-process
//! [`Engine`] for single-user use, or over a Unix socket to `rollcall serve`. The CLI and the
//! app only ever hold a `Client`, so whether a server is involved changes nothing above here.

mod account;
mod client;
pub mod ctf;
pub mod engine;
mod error;
pub mod guard;
pub mod import;
pub mod protocol;
pub mod remote;
pub mod report_columns;
pub mod wire;

pub use account::os_account;
pub use client::{Client, Local, Notice, Transport};
pub use engine::{Engine, Sight};
pub(crate) use error::expect_reply;
pub use error::{Result, ServiceError};

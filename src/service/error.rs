//! What can go wrong with a request, and the one check of a reply's kind.

use super::protocol::Response;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ServiceError {
    /// The rules or the person's role do not allow it; the message says why.
    #[error("{0}")]
    Refused(String),
    /// The request itself is wrong: a bad code, time, file...
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed the mark first; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Store(String),
    /// The server could not be reached or went away before the request reached it; for a
    /// change, the message ends "not saved".
    #[error("not connected: {0}")]
    Disconnected(String),
    /// The request went out but its reply never came: it may or may not have been saved.
    #[error("not confirmed: {0}")]
    Unknown(String),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl ServiceError {
    /// A reply of another kind than the request's: the client and server disagree.
    pub fn unexpected(response: &Response) -> ServiceError {
        ServiceError::Store(format!("unexpected reply: {response:?}"))
    }
}

/// The one check of a reply, for the client and the app alike: its value if it is the kind
/// expected (`Response::Marked(o) => o`); any other reply is an error naming it.
macro_rules! expect_reply {
    ($result:expr, $pattern:pat => $value:expr) => {
        match $result {
            Ok($pattern) => Ok($value),
            Ok(other) => Err($crate::service::ServiceError::unexpected(&other)),
            Err(e) => Err(e),
        }
    };
}
pub(crate) use expect_reply;

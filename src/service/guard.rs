//! A panic inside a request (redb meeting a damaged page it did not expect) becomes an error
//! for that request ([`crate::contain`]), worded here.

pub use crate::contain::catching;

/// The error for a request that could not read the database.
pub fn damaged(why: &str) -> crate::service::error::ServiceError {
    crate::service::error::ServiceError::Store(format!(
        "the database could not be read ({why}): it may be damaged; nothing was saved. \
         Run `rollcall check FILE`, and restore the latest backup if it is not whole"
    ))
}

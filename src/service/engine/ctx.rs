//! Who is acting, in which school, at what time: what each request is handled with.

use crate::domain::School;
use crate::domain::people::Staff;
use crate::service::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use std::sync::Arc;

/// What every request is handled with.
#[derive(Clone)]
pub struct Ctx {
    pub staff: Staff,
    /// The time the request is handled at: every rule in it sees the same clock.
    pub now: NaiveDateTime,
    pub(super) school: Option<Arc<School>>,
}

impl Ctx {
    /// The school's configuration, or why there is none yet.
    pub fn school(&self) -> Result<&Arc<School>> {
        self.school.as_ref().ok_or_else(no_school)
    }
}

pub fn no_school() -> ServiceError {
    ServiceError::Refused(
        "this database has no school configuration yet: run `rollcall init --school FILE.toml`"
            .into(),
    )
}

/// What an account may do before anyone is on the staff list: set the school up.
pub enum Actor {
    Staff(Staff),
    /// No admin exists yet; the owner of a new database is setting it up.
    Bootstrap,
}

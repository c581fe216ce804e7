//! How keys are encoded: dates as day numbers, sessions as 0 (AM) and 1 (PM), pupils and groups
//! by name. Written once, here, so that every table sorts and ranges the same way.

use super::error::{Result, StoreError};
use crate::domain::marks::SessionKey;
use crate::domain::session::Session;
use chrono::{Datelike, NaiveDate};

/// A date as the store keys it: days from the common era, so keys sort by date.
pub fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

pub fn date_of(day: i32) -> Result<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
        .ok_or_else(|| StoreError::Corrupt(format!("day number {day} is not a date")))
}

pub fn session_of(index: u8) -> Result<Session> {
    Session::from_index(index).ok_or_else(|| StoreError::Corrupt(format!("session {index}")))
}

/// The session key a `(day, session, upn)` key stands for.
pub fn session_key(key: (i32, u8, &str)) -> Result<SessionKey> {
    Ok(SessionKey {
        date: date_of(key.0)?,
        session: session_of(key.1)?,
        upn: key.2.to_string(),
    })
}

/// The string just after every string that starts with `name` and is longer: `name` followed
/// by NUL sorts after `name` and before any longer name, so `(name, ..)..(after(name), ..)`
/// covers exactly the keys whose first part is `name`.
pub fn after(name: &str) -> String {
    format!("{name}\0")
}

/// The id after the last one given.
pub fn next_id(last: Option<u32>) -> u32 {
    last.map_or(0, |l| l + 1)
}

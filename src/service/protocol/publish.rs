//! Publishing the school's data to a trust's PostgreSQL database (`rollcall publish`, SPEC
//! §8.9): the client asks the engine what changed since the database was last sent, a batch
//! at a time, writes it there in one PostgreSQL transaction, and after that commits tells the
//! engine what the database now holds. The engine never reaches the network (the server runs
//! without one); the database's credentials never reach the engine.

use crate::domain::session::Session;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "publish", rename_all = "snake_case")]
pub enum PublishRequest {
    /// The school as the database keys it, and the token this school last gave database
    /// `database` (its host, port and name, never its credentials).
    Start { database: String },
    /// What changed since `database` was last sent (everything, when `everything`), after the
    /// key `after`, at most `limit` pupil-months or pupils.
    Changes {
        database: String,
        everything: bool,
        after: Option<(u32, u32)>,
        limit: u32,
    },
    /// The database committed these (the token it now holds for this school).
    Committed {
        database: String,
        token: u64,
        everything: bool,
        sent: Vec<PublishedKey>,
    },
}

impl PublishRequest {
    pub fn changes_something(&self) -> bool {
        matches!(self, PublishRequest::Committed { .. })
    }
}

/// One pupil-month (or a pupil's details, month `u32::MAX`) as sent: its hash, or `None`
/// where its rows were removed from the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    pub month: u32,
    pub pupil: u32,
    pub hash: Option<u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "publish_reply", rename_all = "snake_case")]
pub enum PublishResponse {
    Started {
        school: PublishedSchool,
        token: Option<u64>,
    },
    Changes {
        months: Vec<PublishedMonth>,
        pupils: Vec<PublishedPupil>,
        /// Where the next batch starts; `None`: nothing more.
        next: Option<(u32, u32)>,
    },
    Committed,
}

/// The school as DfE data keys it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedSchool {
    pub urn: String,
    pub la: String,
    pub estab: String,
    pub name: String,
}

/// A pupil-month's sessions as the DfE's daily data shares them; none where the month is
/// gone from the school's records (its rows are removed from the database).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublishedMonth {
    pub key: PublishedKey,
    pub upn: String,
    pub first_day: NaiveDate,
    pub sessions: Vec<PublishedSession>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedSession {
    pub date: NaiveDate,
    pub session: Session,
    /// The national code.
    pub code: String,
    /// How the DfE counts the code on that date: present, aea, authorised, unauthorised or
    /// not_possible (the same classification every report here uses).
    pub class: String,
    pub minutes_late: Option<u16>,
}

/// A pupil's details as published: what the DfE's data carries, and the characteristics
/// the figures are broken down by where the school holds them (never contacts, a social
/// worker, a child protection plan or a young carer's role).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPupil {
    pub key: PublishedKey,
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: String,
    pub sex: Option<String>,
    pub traits: Option<PublishedTraits>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedTraits {
    /// N, K (SEN support) or E (EHC plan), as DfE files write it.
    pub sen: String,
    pub fsm: bool,
    pub pp: bool,
    pub lac: bool,
    pub cin: bool,
    pub eal: bool,
}

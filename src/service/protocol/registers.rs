//! Registers as the screens show them: the class list, a register and its rows, cover, pupils found by name, the `N` queue.

use crate::domain::marks::{ClosedRegister, Mark};
use crate::domain::people::YearGroup;
use crate::domain::register::RegisterStatus;
use crate::domain::session::{Session, SessionTimes};
use crate::domain::stats::Tally;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassList {
    pub date: NaiveDate,
    pub now: NaiveDateTime,
    /// Why each session is not a school session, if it is not.
    pub not_in_session: [Option<String>; 2],
    pub times: [SessionTimes; 2],
    pub groups: Vec<GroupRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub tutors: Vec<String>,
    /// The signed-in person is one of its tutors, or covers it today.
    pub mine: bool,
    /// The teacher covering it today, by name, if anyone.
    #[serde(default)]
    pub cover: Option<String>,
    pub sessions: [SessionSummary; 2],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionSummary {
    pub status: RegisterStatus,
    pub marked: u32,
    pub on_roll: u32,
    pub missing: bool,
    pub tally: Tally,
    /// The session has begun and someone has marked in it (not only pre-entries): its
    /// percentage means something.
    #[serde(default)]
    pub started: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterView {
    pub group: String,
    pub tutors: Vec<String>,
    pub date: NaiveDate,
    pub session: Session,
    pub times: SessionTimes,
    pub now: NaiveDateTime,
    pub closed: Option<ClosedRegister>,
    pub not_in_session: Option<String>,
    pub rows: Vec<RegisterRow>,
    /// The group's figures from the start of term to this session, this session included.
    pub term_tally: Tally,
    /// Whether the signed-in person may mark this register now, and if not, why.
    pub can_mark: Result<(), String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterRow {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    /// Tells two pupils of one name apart (for a teacher, given only then).
    pub dob: Option<NaiveDate>,
    pub year: YearGroup,
    pub mark: Option<Mark>,
    /// Year-to-date figures, this session included.
    pub ytd: Tally,
    /// The codes that cannot be this pupil's mark this session, each with why (SPEC §7): the
    /// picker greys them. Worked out here, so that a teacher needs no date of birth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unfit: Vec<(crate::domain::codes::Code, String)>,
    /// Signed out and not back, as this session goes on: flagged, and left unmarked by
    /// "everyone else present".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<SignedOut>,
}

/// A pupil's sign-out, as a register shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOut {
    pub left: chrono::NaiveTime,
    pub reason: String,
    pub back_today: bool,
}

/// One change to who covers a register.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoverChange {
    pub session: Session,
    pub group: String,
    pub cover: crate::domain::marks::Cover,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilHit {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub year: YearGroup,
    /// Tells apart two pupils of the same name; office staff only (a teacher's register
    /// shows it only for two of one name).
    pub dob: Option<NaiveDate>,
    pub group: Option<String>,
    pub marks: [Option<Mark>; 2],
    /// The pupil's own session times (their group's or year's timing, else the school's).
    #[serde(default)]
    pub times: Option<crate::domain::session::SessionPlan>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NItem {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub name: String,
    pub group: String,
    pub deadline: NaiveDate,
    /// School days left before the deadline; negative once overdue.
    pub days_left: i64,
    pub recorded_by: String,
}

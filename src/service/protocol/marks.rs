//! Marks on the wire: one mark asked for (and what the client saw), a planned absence, what was saved, a register closed, a mark's history, a row of the export.

use crate::domain::codes::Code;
use crate::domain::marks::{Change, Mark};
use crate::domain::register::ChangeKind;
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// A register: one group's pupils for one session of one day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegisterId {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
}

impl RegisterId {
    pub fn new(group: impl Into<String>, date: NaiveDate, session: Session) -> RegisterId {
        RegisterId {
            group: group.into(),
            date,
            session,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRequest {
    /// The register the mark is in (on the wire, its fields sit beside the mark's).
    #[serde(flatten)]
    pub register: RegisterId,
    pub upn: String,
    pub code: String,
    /// For `L` and `U` (and any arrival): the code is derived from this and the close time.
    pub arrived: Option<NaiveTime>,
    pub note: Option<String>,
    /// Needed once the register has closed: the change is an amendment.
    pub reason: Option<String>,
    /// What the client saw. If the mark has changed since, the request is refused rather than
    /// silently overwriting someone else's mark.
    pub expect: Expect,
    /// A teacher replacing a mark the office pre-entered has confirmed it.
    pub replace_office_mark: bool,
    /// The file a `mark-batch` line came from (`-` for standard input): kept as the change's
    /// source in the mark's history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
}

impl MarkRequest {
    /// Whether a stored code is what this request asked for: an arrival code (present, `L`,
    /// `U`) may have been decided by the clock.
    pub fn fits(&self, stored: Code) -> bool {
        let asked = self.code.trim();
        match Code::parse(asked).or_else(|| Code::parse(&asked.to_ascii_uppercase())) {
            Some(asked) if asked.is_arrival() => stored.is_arrival(),
            Some(asked) => asked == stored,
            None => false,
        }
    }
}

/// The mark a client saw when it asked for a change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Whatever is there now: a script's `mark` means what it says.
    #[default]
    Anything,
    /// No mark.
    Blank,
    /// A mark with this code.
    Code(Code),
}

impl Expect {
    /// What a screen showing `mark` expects.
    pub fn shown(mark: Option<&Mark>) -> Expect {
        mark.map_or(Expect::Blank, |m| Expect::Code(m.code))
    }

    /// Whether the mark there now is the one expected.
    pub fn holds(self, current: Option<Code>) -> bool {
        match self {
            Expect::Anything => true,
            Expect::Blank => current.is_none(),
            Expect::Code(code) => current == Some(code),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// The pupil; empty when the plan is for a whole `group`.
    pub upn: String,
    /// Every pupil on this group's roll on each date, instead of one pupil.
    #[serde(default)]
    pub group: Option<String>,
    /// Only sessions matching one of these (`tue:am`, `wed:pm`): a weekly pattern until `to`.
    #[serde(default)]
    pub every: Vec<crate::domain::desk::Weekly>,
    pub from: NaiveDate,
    pub from_session: Session,
    pub to: NaiveDate,
    pub to_session: Session,
    pub code: String,
    pub note: Option<String>,
    /// Say what it would write and leave alone, and save nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkOutcome {
    pub upn: String,
    pub date: NaiveDate,
    pub session: Session,
    pub mark: Mark,
    pub kind: ChangeKind,
    /// False when the mark already said exactly this: nothing was written.
    pub changed: bool,
    /// Why the stored code differs from the one asked for, in words ("arrived 09:41, after
    /// the register closed at 09:30: recorded as U").
    pub explanation: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CloseSummary {
    pub register: RegisterId,
    /// Pupils who had no mark and now have `N`.
    pub filled: Vec<String>,
    /// Code → count, after the close.
    pub codes: Vec<(Code, u32)>,
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanSummary {
    pub marked: Vec<(NaiveDate, Session)>,
    /// Sessions left alone, with why (and whose, for a group's plan).
    pub skipped: Vec<(NaiveDate, Session, String)>,
    /// Pupils marked, for a group's plan.
    #[serde(default)]
    pub pupils: u32,
    /// The plan's number, once saved (`rollcall plans`, to withdraw it).
    #[serde(default)]
    pub id: Option<u32>,
    /// Nothing was saved: what it would do.
    #[serde(default)]
    pub dry_run: bool,
}

/// A planned absence as the office sees it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanInfo {
    pub plan: crate::domain::desk::Plan,
    /// Whose: the pupil's name, or the group's.
    pub whose: String,
    /// Sessions still holding the plan's mark (not changed since).
    pub still: u32,
}

/// A plan withdrawn: the sessions cleared, and those left with why.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanWithdrawn {
    pub id: u32,
    pub cleared: u32,
    pub left: Vec<(NaiveDate, Session, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRow {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub group: String,
    pub code: Code,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkHistory {
    pub upn: String,
    pub name: String,
    pub date: NaiveDate,
    pub session: Session,
    pub current: Option<Mark>,
    pub changes: Vec<Change>,
    /// The mark came from an import: which file, and how many marks it brought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<String>,
}

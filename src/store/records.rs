//! What the store keeps, record by record. Encoded with postcard (compact, serde-driven); a
//! change to any of these shapes needs a schema version and a migration.

use crate::domain::register::ChangeKind;
use crate::domain::session::Session;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// Arrival times are kept as minutes after midnight: the resolution of every register rule.
pub(crate) mod minutes {
    use chrono::{NaiveTime, Timelike};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&((t.hour() * 60 + t.minute()) as u16)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveTime>, D::Error> {
        let m: Option<u16> = Option::deserialize(d)?;
        Ok(m.and_then(|m| NaiveTime::from_hms_opt(u32::from(m) / 60, u32::from(m) % 60, 0)))
    }
}

/// A session mark as it stands now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRecord {
    pub code: String,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
    /// The pupil's registration group when the mark was made.
    pub group: String,
    /// Operating-system account of whoever made the mark.
    pub recorded_by: String,
    /// Role of whoever made it, so a register can show office pre-entries as protected.
    pub recorded_by_office: bool,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub recorded_at: NaiveDateTime,
}

impl MarkRecord {
    pub fn entry(&self) -> MarkEntry {
        MarkEntry {
            code: self.code.clone(),
            arrived: self.arrived,
            minutes_late: self.minutes_late,
            note: self.note.clone(),
        }
    }
}

/// The part of a mark an amendment changes: what the register says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkEntry {
    pub code: String,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
}

impl MarkEntry {
    /// "L 09:12 (+12)" or "M": how a mark reads in a history line.
    pub fn describe(&self) -> String {
        let mut text = self.code.clone();
        if let Some(t) = self.arrived {
            text.push_str(&format!(" {:02}:{:02}", t.hour(), t.minute()));
        }
        if let Some(m) = self.minutes_late {
            text.push_str(&format!(" (+{m} min)"));
        }
        if let Some(note) = &self.note {
            text.push_str(&format!(" \u{2014} {note}"));
        }
        text
    }
}

/// One entry of the append-only history (SPEC §5): original, amended, reason, when, who.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub kind: ChangeKind,
    /// What the register said before; `None` for the first entry.
    pub before: Option<MarkEntry>,
    /// What it says after; `None` when a mark was withdrawn (undo before the close).
    pub after: Option<MarkEntry>,
    pub reason: Option<String>,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

/// A register that someone has closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedRegister {
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub closed_at: NaiveDateTime,
    pub closed_by: String,
    /// Blanks that became `N` on closing.
    pub filled: u32,
}

/// A pupil's place in a registration group, from `start` to `end` inclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub group: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Membership {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date <= end)
    }

    /// The same membership, ending on `last_day`.
    pub fn ended(self, last_day: NaiveDate) -> Membership {
        Membership {
            end: Some(last_day),
            ..self
        }
    }
}

/// Where a mark lives: the key of the marks table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SessionKey {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
}

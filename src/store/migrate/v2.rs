//! Schema 2's rows and tables, as that release wrote them: read only by the migration to
//! schema 3 (`schema::migrate_v3`), never written.

use crate::domain::marks::{Change, Mark, MarkEntry};
use crate::domain::people::{Pupil, Staff, YearGroup};
use crate::domain::register::{ChangeKind, Role};
use crate::store::error::StoreError;
use crate::store::rows::Bin;
use crate::store::rows::{RoleRow, Row, YearRow, code_of, minutes};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use redb::TableDefinition;
use serde::{Deserialize, Serialize};

pub const STAFF: TableDefinition<&str, Bin<StaffRow>> = TableDefinition::new("staff");
pub const PUPILS: TableDefinition<&str, Bin<PupilRow>> = TableDefinition::new("pupils");
pub const MARKS: TableDefinition<(i32, u8, &str), Bin<MarkRow>> = TableDefinition::new("marks");
pub const PUPIL_MARKS: TableDefinition<(&str, i32, u8), &str> = TableDefinition::new("pupil_marks");
pub const HISTORY: TableDefinition<(i32, u8, &str, u32), Bin<ChangeRow>> =
    TableDefinition::new("history");
pub const PENDING_N: TableDefinition<(i32, u8, &str), ()> = TableDefinition::new("pending_n");

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StaffRow {
    pub account: String,
    pub name: String,
    pub position: String,
    pub role: RoleRow,
}

impl Row for StaffRow {
    const NAME: &'static str = "rollcall::Staff";
}

impl From<&Staff> for StaffRow {
    fn from(s: &Staff) -> Self {
        StaffRow {
            account: s.account.clone(),
            name: s.name.clone(),
            position: s.position.clone(),
            role: match s.role {
                Role::Teacher => RoleRow::Teacher,
                Role::Office => RoleRow::Office,
                Role::Admin => RoleRow::Admin,
            },
        }
    }
}

impl From<StaffRow> for Staff {
    fn from(r: StaffRow) -> Self {
        Staff {
            account: r.account,
            name: r.name,
            position: r.position,
            role: match r.role {
                RoleRow::Teacher => Role::Teacher,
                RoleRow::Office => Role::Office,
                RoleRow::Admin => Role::Admin,
            },
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilRow {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearRow,
}

impl Row for PupilRow {
    const NAME: &'static str = "rollcall::Pupil";
}

impl From<&Pupil> for PupilRow {
    fn from(p: &Pupil) -> Self {
        PupilRow {
            upn: p.upn.clone(),
            surname: p.surname.clone(),
            forename: p.forename.clone(),
            dob: p.dob,
            year: match p.year {
                YearGroup::Nursery1 => YearRow::Nursery1,
                YearGroup::Nursery2 => YearRow::Nursery2,
                YearGroup::Reception => YearRow::Reception,
                YearGroup::Year(n) => YearRow::Year(n),
            },
        }
    }
}

impl From<PupilRow> for Pupil {
    fn from(r: PupilRow) -> Self {
        Pupil {
            sex: None,
            upn: r.upn,
            surname: r.surname,
            forename: r.forename,
            dob: r.dob,
            year: match r.year {
                YearRow::Nursery1 => YearGroup::Nursery1,
                YearRow::Nursery2 => YearGroup::Nursery2,
                YearRow::Reception => YearGroup::Reception,
                YearRow::Year(n) => YearGroup::Year(n),
            },
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkRow {
    pub code: String,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
    pub group: String,
    pub recorded_by: String,
    pub recorded_by_office: bool,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub recorded_at: NaiveDateTime,
}

impl Row for MarkRow {
    const NAME: &'static str = "rollcall::MarkRecord";
}

impl From<&Mark> for MarkRow {
    fn from(m: &Mark) -> Self {
        MarkRow {
            code: m.code.to_string(),
            arrived: m.arrived,
            minutes_late: m.minutes_late,
            note: m.note.clone(),
            group: m.group.clone(),
            recorded_by: m.recorded_by.clone(),
            recorded_by_office: m.recorded_by_office,
            recorded_at: m.recorded_at,
        }
    }
}

impl MarkRow {
    pub fn into_mark(self) -> Result<Mark, StoreError> {
        Ok(Mark {
            code: code_of(&self.code)?,
            arrived: self.arrived,
            minutes_late: self.minutes_late,
            note: self.note,
            group: self.group,
            recorded_by: self.recorded_by,
            recorded_by_office: self.recorded_by_office,
            recorded_at: self.recorded_at,
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EntryRow {
    pub code: String,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
}

impl From<&MarkEntry> for EntryRow {
    fn from(e: &MarkEntry) -> Self {
        EntryRow {
            code: e.code.to_string(),
            arrived: e.arrived,
            minutes_late: e.minutes_late,
            note: e.note.clone(),
        }
    }
}

impl EntryRow {
    fn into_entry(self) -> Result<MarkEntry, StoreError> {
        Ok(MarkEntry {
            code: code_of(&self.code)?,
            arrived: self.arrived,
            minutes_late: self.minutes_late,
            note: self.note,
        })
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub enum KindRow {
    Mark,
    Amendment,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeRow {
    pub kind: KindRow,
    pub before: Option<EntryRow>,
    pub after: Option<EntryRow>,
    pub reason: Option<String>,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

impl Row for ChangeRow {
    const NAME: &'static str = "rollcall::ChangeRecord";
}

impl From<&Change> for ChangeRow {
    fn from(c: &Change) -> Self {
        ChangeRow {
            kind: match c.kind {
                ChangeKind::Mark => KindRow::Mark,
                ChangeKind::Amendment => KindRow::Amendment,
            },
            before: c.before.as_ref().map(EntryRow::from),
            after: c.after.as_ref().map(EntryRow::from),
            reason: c.reason.clone(),
            at: c.at,
            account: c.account.clone(),
            name: c.name.clone(),
            position: c.position.clone(),
        }
    }
}

impl ChangeRow {
    pub fn into_change(self) -> Result<Change, StoreError> {
        Ok(Change {
            source: None,
            kind: match self.kind {
                KindRow::Mark => ChangeKind::Mark,
                KindRow::Amendment => ChangeKind::Amendment,
            },
            before: self.before.map(EntryRow::into_entry).transpose()?,
            after: self.after.map(EntryRow::into_entry).transpose()?,
            reason: self.reason,
            at: self.at,
            account: self.account,
            name: self.name,
            position: self.position,
        })
    }
}

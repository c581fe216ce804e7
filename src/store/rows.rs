//! What the store keeps on disk, row by row: private to the store, encoded with postcard
//! (compact, serde-driven), except a month of marks, which has its own encoding (`month`).
//! A change to any of these shapes needs a schema version and a migration; a change to the
//! domain types the rest of the program uses does not.

use super::error::StoreError;
use crate::domain::codes::Code;
use crate::domain::marks::{Change, ClosedRegister, Cover, MarkEntry, Membership};
use crate::domain::people::{Pupil, Staff, YearGroup};
use crate::domain::register::{ChangeKind, Role};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use redb::{TypeName, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::marker::PhantomData;

/// Arrival times are kept as minutes after midnight: the resolution of every register rule.
pub(super) mod minutes {
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

/// A row type kept in a table, with the stable name redb checks on every open.
pub trait Row: Serialize + DeserializeOwned + Debug + 'static {
    const NAME: &'static str;
}

/// A value that could not be decoded: a damaged file, never a panic.
#[derive(Debug, Clone)]
pub struct Undecodable(pub String);

/// A redb value holding a [`Row`], decoded fallibly.
#[derive(Debug)]
pub struct Bin<T>(PhantomData<T>);

impl<T: Row> Value for Bin<T> {
    type SelfType<'a>
        = Result<T, Undecodable>
    where
        Self: 'a;
    type AsBytes<'a>
        = Vec<u8>
    where
        Self: 'a;

    fn fixed_width() -> Option<usize> {
        None
    }

    fn from_bytes<'a>(data: &'a [u8]) -> Self::SelfType<'a>
    where
        Self: 'a,
    {
        postcard::from_bytes(data).map_err(|e| Undecodable(format!("{}: {e}", T::NAME)))
    }

    fn as_bytes<'a, 'b: 'a>(value: &'a Self::SelfType<'b>) -> Vec<u8>
    where
        Self: 'b,
    {
        // Encoding plain structs into a Vec cannot fail; an undecodable value is never written.
        value
            .as_ref()
            .ok()
            .and_then(|v| postcard::to_allocvec(v).ok())
            .unwrap_or_default()
    }

    fn type_name() -> TypeName {
        TypeName::new(T::NAME)
    }
}

/// A row as the program uses it, or which record is damaged and how: `what` names the record
/// ("the mark of A123… on 2026-11-23 AM").
pub fn decoded<R, T>(
    value: Result<R, Undecodable>,
    convert: impl FnOnce(R) -> Result<T, StoreError>,
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    value
        .map_err(|e| StoreError::Corrupt(e.0))
        .and_then(convert)
        .map_err(|e| match e {
            StoreError::Corrupt(why) => StoreError::Corrupt(format!(
                "{} cannot be read ({why}): restore the latest backup (`rollcall check FILE` tells whether a copy is whole)",
                what()
            )),
            other => other,
        })
}

pub(super) fn code_of(text: &str) -> Result<Code, StoreError> {
    Code::parse(text).ok_or_else(|| {
        StoreError::Corrupt(format!("stored code `{text}` is not an attendance code"))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleRow {
    Teacher,
    Office,
    Admin,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub enum YearRow {
    Nursery1,
    Nursery2,
    Reception,
    Year(u8),
}

/// Who an account is now: its current staff version.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StaffRow {
    /// The current version in `staff_versions`.
    pub version: u32,
    pub name: String,
    pub position: String,
    pub role: RoleRow,
}

impl Row for StaffRow {
    const NAME: &'static str = "rollcall::Staff3";
}

/// A staff member as they were from a moment on: marks and history refer to a version, so a
/// name or position changed later does not rewrite who did what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffVersionRow {
    pub account: String,
    pub name: String,
    pub position: String,
    pub role: RoleRow,
}

impl Row for StaffVersionRow {
    const NAME: &'static str = "rollcall::StaffVersion";
}

pub fn role_row(role: Role) -> RoleRow {
    match role {
        Role::Teacher => RoleRow::Teacher,
        Role::Office => RoleRow::Office,
        Role::Admin => RoleRow::Admin,
    }
}

pub fn role_of(row: RoleRow) -> Role {
    match row {
        RoleRow::Teacher => Role::Teacher,
        RoleRow::Office => Role::Office,
        RoleRow::Admin => Role::Admin,
    }
}

impl StaffVersionRow {
    pub fn of(staff: &Staff) -> Self {
        StaffVersionRow {
            account: staff.account.clone(),
            name: staff.name.clone(),
            position: staff.position.clone(),
            role: role_row(staff.role),
        }
    }

    pub fn staff(self) -> Staff {
        Staff {
            account: self.account,
            name: self.name,
            position: self.position,
            role: role_of(self.role),
        }
    }
}

/// A pupil, with the number marks are kept under (schema 5: with sex).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilRow {
    pub id: u32,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearRow,
    /// 0 not given, 1 M, 2 F.
    pub sex: u8,
}

impl Row for PupilRow {
    const NAME: &'static str = "rollcall::Pupil5";
}

/// A pupil as schemas 3 and 4 kept them: frozen, for the migration to 5.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilRowV3 {
    pub id: u32,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearRow,
}

impl Row for PupilRowV3 {
    const NAME: &'static str = "rollcall::Pupil3";
}

fn sex_row(sex: Option<crate::domain::people::Sex>) -> u8 {
    match sex {
        None => 0,
        Some(crate::domain::people::Sex::M) => 1,
        Some(crate::domain::people::Sex::F) => 2,
    }
}

fn sex_of(row: u8) -> Option<crate::domain::people::Sex> {
    match row {
        1 => Some(crate::domain::people::Sex::M),
        2 => Some(crate::domain::people::Sex::F),
        _ => None,
    }
}

pub fn year_row(year: YearGroup) -> YearRow {
    match year {
        YearGroup::Nursery1 => YearRow::Nursery1,
        YearGroup::Nursery2 => YearRow::Nursery2,
        YearGroup::Reception => YearRow::Reception,
        YearGroup::Year(n) => YearRow::Year(n),
    }
}

pub fn year_of(row: YearRow) -> YearGroup {
    match row {
        YearRow::Nursery1 => YearGroup::Nursery1,
        YearRow::Nursery2 => YearGroup::Nursery2,
        YearRow::Reception => YearGroup::Reception,
        YearRow::Year(n) => YearGroup::Year(n),
    }
}

impl PupilRow {
    pub fn of(id: u32, p: &Pupil) -> Self {
        PupilRow {
            id,
            surname: p.surname.clone(),
            forename: p.forename.clone(),
            dob: p.dob,
            year: year_row(p.year),
            sex: sex_row(p.sex),
        }
    }

    pub fn pupil(self, upn: &str) -> Pupil {
        Pupil {
            upn: upn.to_string(),
            surname: self.surname,
            forename: self.forename,
            dob: self.dob,
            year: year_of(self.year),
            sex: sex_of(self.sex),
        }
    }
}

/// What a register said, in a change: the code by its index in the code table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EntryRow {
    pub code: u8,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
}

impl From<&MarkEntry> for EntryRow {
    fn from(e: &MarkEntry) -> Self {
        EntryRow {
            code: e.code as u8,
            arrived: e.arrived,
            minutes_late: e.minutes_late,
            note: e.note.clone(),
        }
    }
}

impl EntryRow {
    pub fn into_entry(self) -> Result<MarkEntry, StoreError> {
        Ok(MarkEntry {
            code: Code::ALL
                .get(usize::from(self.code))
                .copied()
                .ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "code index {} is not an attendance code",
                        self.code
                    ))
                })?,
            arrived: self.arrived,
            minutes_late: self.minutes_late,
            note: self.note,
        })
    }
}

/// One change in a mark's history; who made it is a staff version.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeRow {
    pub amendment: bool,
    pub before: Option<EntryRow>,
    pub after: Option<EntryRow>,
    /// The reason's id in `reasons`: schools give the same few reasons again and again.
    pub reason: Option<u32>,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub staff: u32,
}

impl Row for ChangeRow {
    const NAME: &'static str = "rollcall::Change3";
}

impl ChangeRow {
    pub fn of(change: &Change, staff: u32, reason: Option<u32>) -> Self {
        ChangeRow {
            amendment: change.kind == ChangeKind::Amendment,
            before: change.before.as_ref().map(EntryRow::from),
            after: change.after.as_ref().map(EntryRow::from),
            reason,
            at: change.at,
            staff,
        }
    }

    pub fn into_change(
        self,
        by: &StaffVersionRow,
        reason: Option<String>,
    ) -> Result<Change, StoreError> {
        Ok(Change {
            source: None,
            kind: if self.amendment {
                ChangeKind::Amendment
            } else {
                ChangeKind::Mark
            },
            before: self.before.map(EntryRow::into_entry).transpose()?,
            after: self.after.map(EntryRow::into_entry).transpose()?,
            reason,
            at: self.at,
            account: by.account.clone(),
            name: by.name.clone(),
            position: by.position.clone(),
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MembershipRow {
    pub group: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Row for MembershipRow {
    const NAME: &'static str = "rollcall::Membership";
}

impl From<&Membership> for MembershipRow {
    fn from(m: &Membership) -> Self {
        MembershipRow {
            group: m.group.clone(),
            start: m.start,
            end: m.end,
        }
    }
}

impl From<MembershipRow> for Membership {
    fn from(r: MembershipRow) -> Self {
        Membership {
            group: r.group,
            start: r.start,
            end: r.end,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClosedRow {
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub closed_at: NaiveDateTime,
    pub closed_by: String,
    pub filled: u32,
}

impl Row for ClosedRow {
    const NAME: &'static str = "rollcall::ClosedRegister";
}

impl From<&ClosedRegister> for ClosedRow {
    fn from(c: &ClosedRegister) -> Self {
        ClosedRow {
            closed_at: c.closed_at,
            closed_by: c.closed_by.clone(),
            filled: c.filled,
        }
    }
}

impl From<ClosedRow> for ClosedRegister {
    fn from(r: ClosedRow) -> Self {
        ClosedRegister {
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            filled: r.filled,
        }
    }
}

/// Who covers a register, and who said so when.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoverRow {
    /// Empty when the cover was removed.
    pub account: String,
    pub assigned_by: String,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub assigned_at: NaiveDateTime,
}

impl Row for CoverRow {
    const NAME: &'static str = "rollcall::Cover";
}

impl From<&Cover> for CoverRow {
    fn from(c: &Cover) -> Self {
        CoverRow {
            account: c.account.clone().unwrap_or_default(),
            assigned_by: c.assigned_by.clone(),
            assigned_at: c.assigned_at,
        }
    }
}

impl From<CoverRow> for Cover {
    fn from(r: CoverRow) -> Self {
        Cover {
            account: (!r.account.is_empty()).then_some(r.account),
            assigned_by: r.assigned_by,
            assigned_at: r.assigned_at,
        }
    }
}

/// What was done about an alert (table `alert_actions`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ActionRow {
    pub through_day: i32,
    pub through_session: u8,
    pub note: String,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    /// The staff version (who, as they were then).
    pub staff: u32,
}

impl Row for ActionRow {
    const NAME: &'static str = "rollcall::AlertAction";
}

/// An entry of the office's desk log (table `desk_log`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeskRow {
    /// Minutes after midnight, for a time of leaving (or of coming back).
    pub minute: Option<u16>,
    pub note: String,
    /// The stage of intervention, for a stage's action done.
    pub stage: Option<String>,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    /// The staff version (who, as they were then).
    pub staff: u32,
    /// For a sign-out: whether the pupil is expected back today.
    pub back_today: Option<bool>,
}

impl Row for DeskRow {
    const NAME: &'static str = "rollcall::DeskEntry6";
}

/// A planned absence (table `plans`): what was asked, by whom and when, every session it
/// wrote, and its withdrawal if it was withdrawn.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanRow {
    /// The plan as asked, in words (code, dates, pattern, note).
    pub words: String,
    /// Whose sessions: a pupil's id, or a group's name.
    pub pupil: Option<u32>,
    pub group: Option<String>,
    /// The code, by its index in the code table.
    pub code: u8,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub staff: u32,
    /// (pupil id, day, session) of every session it wrote.
    pub sessions: Vec<(u32, i32, u8)>,
    pub withdrawn: Option<WithdrawnRow>,
}

impl Row for PlanRow {
    const NAME: &'static str = "rollcall::Plan";
}

/// A plan withdrawn: when, by whom, why.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WithdrawnRow {
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub staff: u32,
    pub reason: String,
}

/// Another school a pupil's earlier attendance was recorded at (table `other_schools`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherSchoolRow {
    pub la: String,
    pub estab: String,
    pub name: String,
}

impl Row for OtherSchoolRow {
    const NAME: &'static str = "rollcall::OtherSchool";
}

/// A mark recorded at another school (table `external_marks`): kept apart from this school's
/// marks, so it is in none of this school's figures.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExternalMarkRow {
    /// The code, by its index in the code table.
    pub code: u8,
    /// The school, by its id in `other_schools`.
    pub school: u32,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    /// Who brought it in (a staff version).
    pub staff: u32,
}

impl Row for ExternalMarkRow {
    const NAME: &'static str = "rollcall::ExternalMark";
}

/// A code's index in the code table, as rows keep it.
/// A case as opened (table `cases`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseRow {
    pub pupil: u32,
    pub body: CaseBodyRow,
    /// What the person opening it wrote (a notice's grounds).
    pub note: String,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub staff: u32,
}

impl Row for CaseRow {
    const NAME: &'static str = "rollcall::Case9";
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum CaseBodyRow {
    Leave {
        from: NaiveDate,
        to: NaiveDate,
        reason: String,
        asked: NaiveDate,
    },
    Penalty {
        parent: String,
        issued: NaiveDate,
        second: bool,
    },
    /// `notice`: 0 to improve, 1 a warning.
    Notice {
        notice: u8,
        issued: NaiveDate,
        ends: NaiveDate,
    },
    PartTime {
        from: NaiveDate,
        review: NaiveDate,
        la_told: Option<NaiveDate>,
    },
    Evidence {
        ill_from: NaiveDate,
        requested: NaiveDate,
    },
    /// `meeting`: 0 a meeting, 1 a contract, 2 a plan.
    Meeting {
        meeting: u8,
        held: NaiveDate,
        people: String,
        actions: String,
        review: NaiveDate,
    },
}

/// A step on a case (table `case_steps`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseStepRow {
    pub step: StepRow,
    pub note: String,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    pub staff: u32,
}

impl Row for CaseStepRow {
    const NAME: &'static str = "rollcall::CaseStep9";
}

/// New steps go at the end: postcard keeps a variant by its place.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum StepRow {
    Granted { code: u8, plan: Option<u32> },
    Refused,
    Taken { sessions: u32 },
    Paid { on: NaiveDate, pence: u32 },
    Withdrawn { on: NaiveDate },
    Outcome { improved: bool },
    Reviewed { next: Option<NaiveDate> },
    LaTold { on: NaiveDate },
    Received { on: NaiveDate },
    Closed { on: NaiveDate },
}

/// A pupil's characteristics (table `characteristics`): each state with the day it began,
/// oldest first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraitsRow {
    pub entries: Vec<(NaiveDate, TraitRow)>,
}

impl Row for TraitsRow {
    const NAME: &'static str = "rollcall::Characteristics10";
}

/// `sen`: 0 none, 1 SEN support, 2 EHC plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraitRow {
    pub sen: u8,
    pub fsm: bool,
    pub pp: bool,
    pub lac: bool,
    pub cin: bool,
    pub cp: bool,
    pub young_carer: bool,
    pub eal: bool,
    pub social_worker: String,
}

/// A pupil's contacts (table `contacts`), in the order they are called.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContactsRow {
    pub contacts: Vec<ContactRow>,
}

impl Row for ContactsRow {
    const NAME: &'static str = "rollcall::Contacts10";
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContactRow {
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub email: String,
    pub priority: u8,
    pub parental_responsibility: bool,
    pub no_contact: bool,
}

pub fn code_index(code: Code) -> u8 {
    code as u8
}

/// The code an index in a row stands for.
pub fn code_at(index: u8) -> Result<Code, StoreError> {
    Code::ALL
        .get(usize::from(index))
        .copied()
        .ok_or_else(|| StoreError::Corrupt(format!("code index {index} is not an attendance code")))
}

/// A teaching class (table `lesson_classes`): its subject and its pupils by id.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassRow {
    pub subject: String,
    pub pupils: Vec<u32>,
}

impl Row for ClassRow {
    const NAME: &'static str = "rollcall::Class11";
}

/// A lesson in the timetable (table `timetable`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SlotRow {
    pub teacher: String,
    pub room: String,
}

impl Row for SlotRow {
    const NAME: &'static str = "rollcall::Slot11";
}

/// A pupil's mark in a lesson as schema 11 kept it (a row a mark, table `lesson_marks`),
/// with the account that made it: read once, by the step to schema 12.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LessonMarkRow {
    pub class: String,
    /// `LessonCode::index`.
    pub code: u8,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub by: String,
    pub at: NaiveDateTime,
}

impl Row for LessonMarkRow {
    const NAME: &'static str = "rollcall::LessonMark11";
}

/// A pupil's lesson marks on a day (table `lesson_days`, schema 12): one row a pupil-day, not
/// a row a mark (94 KB a pupil-year at five lessons a day as rows of their own).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LessonDayRow {
    pub marks: Vec<LessonEntry>,
}

impl Row for LessonDayRow {
    const NAME: &'static str = "rollcall::LessonDay12";
}

/// One lesson's mark in a [`LessonDayRow`]: the class and the account as text ids
/// (`reason_texts`), the time it was recorded in seconds from the lesson day's midnight.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LessonEntry {
    pub period: String,
    pub class: u32,
    /// `LessonCode::index`.
    pub code: u8,
    #[serde(with = "minutes")]
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub by: u32,
    pub at: i64,
}

/// A lesson register taken (table `lesson_taken`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LessonTakenRow {
    pub by: String,
    pub at: NaiveDateTime,
}

impl Row for LessonTakenRow {
    const NAME: &'static str = "rollcall::LessonTaken11";
}

/// What the attendance team did about a missing pupil (table `missing_log`): found (where),
/// or the parents informed; with who and when. Appended, never rewritten.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MissingRow {
    /// 0 found, 1 parents informed.
    pub outcome: u8,
    pub note: String,
    pub by: String,
    pub name: String,
    pub at: NaiveDateTime,
}

impl Row for MissingRow {
    const NAME: &'static str = "rollcall::Missing11";
}

//! The tables, the schema version and the migrations that bring an older database up to it.
//!
//! | table            | key                              | value             | read as                         |
//! |------------------|----------------------------------|-------------------|---------------------------------|
//! | `meta`           | name                             | bytes             | schema version, school TOML     |
//! | `staff`          | account                          | `StaffRow`        | who an account is now           |
//! | `staff_versions` | version id                       | `StaffVersionRow` | who did something, as they were |
//! | `pupils`         | upn                              | `PupilRow`        | a pupil and their id            |
//! | `pupil_ids`      | pupil id                         | upn               | the pupil an id stands for      |
//! | `groups`         | group name                       | group id          | a group's id                    |
//! | `group_names`    | group id                         | group name        | the group an id stands for      |
//! | `memberships`    | (upn, start)                     | `MembershipRow`   | a pupil's groups                |
//! | `rolls`          | (group, upn, start)              | end               | a group's pupils on a date      |
//! | `months`         | (month, pupil id)                | a month (`month`) | marks and their summaries       |
//! | `changes`        | (pupil id, day, session, seq)    | `ChangeRow`       | one mark's history              |
//! | `reasons`        | reason text                      | reason id         | a reason's id                   |
//! | `reason_texts`   | reason id                        | reason text       | the reason an id stands for     |
//! | `pending_n`      | (day, session, pupil id)         | ()                | the `N` queue, oldest first     |
//! | `registers`      | (group, date, session)           | `ClosedRow`       | whether a register is closed    |
//! | `cover`          | (group, date, session)           | `CoverRow`        | who covers a register           |
//! | `cover_log`      | (date, session, group, seq)      | `CoverRow`        | every cover change (audit)      |
//! | `alert_actions`  | (pupil id, alert kind, seq)      | `ActionRow`       | what was done about an alert    |
//! | `desk_log`       | (date, pupil id, kind, seq)      | `DeskRow`         | calls made, pupils signed out   |
//! | `cases`          | case id                          | `CaseRow`         | leave requests, penalty notices |
//! | `case_steps`     | (case id, seq)                   | `CaseStepRow`     | each decision on a case (audit) |
//! | `contacts`       | pupil id                         | `ContactsRow`     | who the office calls, in order  |
//! | `characteristics`| pupil id                         | `TraitsRow`       | SEN, FSM, LAC..., dated changes |
//! | `lesson_classes` | class                            | `ClassRow`        | a teaching class's pupils       |
//! | `timetable`      | (week, weekday, period, class)   | `SlotRow`         | who teaches it, where           |
//! | `lesson_taken`   | (day, period, class)             | `LessonTakenRow`  | a lesson register taken         |
//! | `missing_log`    | (day, period, pupil id, seq)     | `MissingRow`      | a missing pupil found, or told  |
//! | `lesson_days`    | (day, pupil id)                  | `LessonDayRow`    | a pupil's lesson marks of a day |
//! | `published`      | (database, month, pupil id)      | hash (u64)        | what a trust's database was sent|
//!
//! A mark lives in its pupil's month, where the month's summary is kept in step with it:
//! saving one writes one value. Its history holds changes, not first marks: a mark made once
//! and never changed is its own history (who and when are in the mark). Months are keyed
//! month first, so a day, a month or a school year is one range read in key order.

use super::error::{Result, StoreError};
use super::rows::{
    ActionRow, Bin, CaseRow, CaseStepRow, ChangeRow, ClassRow, ClosedRow, ContactsRow, CoverRow,
    DeskRow, ExternalMarkRow, LessonDayRow, LessonTakenRow, MembershipRow, MissingRow,
    OtherSchoolRow, PlanRow, PupilRow, SlotRow, StaffRow, StaffVersionRow, TraitsRow,
};
use redb::{
    Key, ReadOnlyTable, ReadTransaction, ReadableTable, Table, TableDefinition, Value,
    WriteTransaction,
};
use std::marker::PhantomData;

/// The schema this build writes. Older databases are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u32 = 12;

pub const SCHEMA_KEY: &str = "schema_version";
pub const SCHOOL_KEY: &str = "school_toml";
/// A membership or roll entry still running.
pub const OPEN_END: i32 = i32::MAX;

/// What a transaction's open tables are: read-only, or writable within a write transaction.
pub trait Kind {
    type Table<K: Key + 'static, V: Value + 'static>: ReadableTable<K, V>;
}

/// A read transaction's tables.
pub struct ReadOnly;

impl Kind for ReadOnly {
    type Table<K: Key + 'static, V: Value + 'static> = ReadOnlyTable<K, V>;
}

/// A write transaction's tables, which also read what the transaction has written.
pub struct Writable<'t> {
    /// Save nothing of the transaction when its work returns (`Writer::discard`).
    pub(super) discard: bool,
    /// The sealed tables changed: the seal is renewed before the commit (`seal.rs`).
    pub(super) people_changed: bool,
    lifetime: PhantomData<&'t ()>,
}

impl<'t> Kind for Writable<'t> {
    type Table<K: Key + 'static, V: Value + 'static> = Table<'t, K, V>;
}

impl Default for Writable<'_> {
    fn default() -> Self {
        Writable {
            discard: false,
            people_changed: false,
            lifetime: PhantomData,
        }
    }
}

/// A consistent read of the database.
pub type Reader = Tables<ReadOnly>;
/// A write transaction in progress (see `Store::write`).
pub type Writer<'t> = Tables<Writable<'t>>;

/// Something done to every table in turn (see `each_table`).
pub trait VisitTable {
    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &mut self,
        table: TableDefinition<K, V>,
    ) -> Result<()>;
}

/// The tables, written once: each one's definition (a constant), its field in [`Tables`]
/// (every table opened once for a transaction), and its name in [`TABLES`], in the order
/// they were added to the schema.
macro_rules! tables {
    ($($(#[doc = $doc:literal])* $field:ident: $def:ident = $name:literal, $key:ty => $value:ty;)*) => {
        $(
            $(#[doc = $doc])*
            pub const $def: TableDefinition<$key, $value> = TableDefinition::new($name);
        )*

        /// Calls `visit` with every table of this schema, in the order they were added: what
        /// must touch them all (a backup's copy) cannot forget one added later.
        pub fn each_table(visit: &mut impl VisitTable) -> Result<()> {
            $(visit.table($def)?;)*
            Ok(())
        }

        /// Every table of this schema, by name, in the order they were added: all must be
/// present in a whole database.
        pub const TABLES: &[&str] = &[$($name),*];

        /// Every table, opened once for one transaction.
        pub struct Tables<T: Kind> {
            $(pub(super) $field: T::Table<$key, $value>,)*
            pub(super) kind: T,
        }

        impl Tables<ReadOnly> {
            pub(super) fn open_read(tx: &ReadTransaction) -> Result<Reader> {
                Ok(Tables {
                    $($field: tx.open_table($def)?,)*
                    kind: ReadOnly,
                })
            }
        }

        impl<'t> Tables<Writable<'t>> {
            pub(super) fn open_write(tx: &'t WriteTransaction) -> Result<Writer<'t>> {
                let open = |e: redb::TableError| StoreError::from(e);
                Ok(Tables {
                    $($field: tx.open_table($def).map_err(open)?,)*
                    kind: Writable::default(),
                })
            }
        }
    };
}

tables! {
    meta: META = "meta", &'static str => &'static [u8];
    staff: STAFF = "staff", &'static str => Bin<StaffRow>;
    staff_versions: STAFF_VERSIONS = "staff_versions", u32 => Bin<StaffVersionRow>;
    pupils: PUPILS = "pupils", &'static str => Bin<PupilRow>;
    pupil_ids: PUPIL_IDS = "pupil_ids", u32 => &'static str;
    groups: GROUPS = "groups", &'static str => u32;
    group_names: GROUP_NAMES = "group_names", u32 => &'static str;
    memberships: MEMBERSHIPS = "memberships", (&'static str, i32) => Bin<MembershipRow>;
    /// (group, upn, start) → last day (`OPEN_END` while still a member).
    rolls: ROLLS = "rolls", (&'static str, &'static str, i32) => i32;
    /// (month, pupil id) → the pupil's marks that month (`month::Month`).
    months: MONTHS = "months", (u32, u32) => &'static [u8];
    /// (pupil id, day, session, seq) → a change to that mark.
    history: HISTORY = "changes", (u32, i32, u8, u16) => Bin<ChangeRow>;
    reasons: REASONS = "reasons", &'static str => u32;
    reason_texts: REASON_TEXTS = "reason_texts", u32 => &'static str;
    registers: REGISTERS = "registers", (&'static str, i32, u8) => Bin<ClosedRow>;
    /// (day, session, pupil id): every unresolved `N`, oldest first.
    pending_n: PENDING_N = "pending_n", (i32, u8, u32) => ();
    /// (group, date, session) → who covers that register (`account` empty: cover removed).
    cover: COVER = "cover", (&'static str, i32, u8) => Bin<CoverRow>;
    /// (date, session, group, seq) → each assignment and removal, never rewritten.
    cover_log: COVER_LOG = "cover_log", (i32, u8, &'static str, u32) => Bin<CoverRow>;
    /// (pupil id, alert kind, seq) → each action on that pupil's alert, never rewritten.
    alert_actions: ALERT_ACTIONS = "alert_actions", (u32, u8, u16) => Bin<ActionRow>;
    /// (date, pupil id, kind, seq) → the office's day-to-day entries: a first-day call made,
    /// a pupil signed out early. Appended, never rewritten; a day is one range read.
    desk_log: DESK_LOG = "desk_log", (i32, u32, u8, u16) => Bin<DeskRow>;
    /// (pupil id, day, session, seq) → where that change came from (`Source`, its text's id
    /// in `reason_texts`): an import, a transfer file, a batch, a plan. A change with none
    /// was a key.
    change_sources: CHANGE_SOURCES = "change_sources", (u32, i32, u8, u16) => u32;
    /// plan id → a planned absence, the sessions it wrote and its withdrawal.
    plans: PLANS = "plans", u32 => Bin<PlanRow>;
    /// school id → another school, where a pupil's earlier attendance was recorded.
    other_schools: OTHER_SCHOOLS = "other_schools", u32 => Bin<OtherSchoolRow>;
    /// (pupil id, day, session) → a mark recorded at another school: in none of this
    /// school's figures.
    external_marks: EXTERNAL_MARKS = "external_marks", (u32, i32, u8) => Bin<ExternalMarkRow>;
    /// (month, pupil id) → where each first mark of the month came from, when not a key:
    /// (sessions as a 62-bit map, source text id) pairs (`sources.rs`). A year's import is an
    /// entry a pupil-month, not a history row a mark.
    first_sources: FIRST_SOURCES = "first_sources", (u32, u32) => &'static [u8];
    /// case id → a case as opened: a leave request, a penalty notice.
    cases: CASES = "cases", u32 => Bin<CaseRow>;
    /// (case id, seq) → each step taken on a case, never rewritten.
    case_steps: CASE_STEPS = "case_steps", (u32, u16) => Bin<CaseStepRow>;
    /// pupil id → the pupil's contacts as the latest list with contact columns gave them.
    contacts: CONTACTS = "contacts", u32 => Bin<ContactsRow>;
    /// pupil id → the pupil's characteristics, each change with the day it took effect.
    characteristics: CHARACTERISTICS = "characteristics", u32 => Bin<TraitsRow>;
    /// class → a teaching class: its subject and pupils (lesson registers, SPEC §8.8).
    lesson_classes: LESSON_CLASSES = "lesson_classes", &'static str => Bin<ClassRow>;
    /// (week of the rotation, 0 every week; weekday from Monday 0; period; class) → the
    /// teacher's account and the room.
    timetable: TIMETABLE = "timetable", (u8, u8, &'static str, &'static str) => Bin<SlotRow>;
    /// (day, period, class) → who took (closed) that lesson's register, and when.
    lesson_taken: LESSON_TAKEN = "lesson_taken", (i32, &'static str, &'static str) => Bin<LessonTakenRow>;
    /// (day, period, pupil id, seq) → what the attendance team did about a missing pupil.
    missing_log: MISSING_LOG = "missing_log", (i32, &'static str, u32, u16) => Bin<MissingRow>;
    /// (day, pupil id) → the pupil's marks in that day's lessons (schema 12; schema 11 kept a
    /// row a mark in `lesson_marks`).
    lesson_days: LESSON_DAYS = "lesson_days", (i32, u32) => Bin<LessonDayRow>;
    /// (database, month, pupil id) → a hash of the pupil-month as it was last published to
    /// that trust database (`rollcall publish`); month `u32::MAX` holds the pupil's details,
    /// and (database, `u32::MAX`, `u32::MAX`) the token the database holds for this school.
    published: PUBLISHED = "published", (u32, u32, u32) => u64;
}

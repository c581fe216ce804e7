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
//!
//! A mark lives in its pupil's month, where the month's summary is kept in step with it:
//! saving one writes one value. Its history holds changes, not first marks: a mark made once
//! and never changed is its own history (who and when are in the mark). Months are keyed
//! month first, so a day, a month or a school year is one range read in key order.

use super::Result;
use super::rows::{
    Bin, ChangeRow, ClosedRow, CoverRow, MembershipRow, PupilRow, StaffRow, StaffVersionRow,
};
use super::v2;
use redb::{TableDefinition, WriteTransaction};

/// The schema this build writes. Older databases are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u32 = 5;

pub const SCHEMA_KEY: &str = "schema_version";
pub const SCHOOL_KEY: &str = "school_toml";
/// A membership or roll entry still running.
pub const OPEN_END: i32 = i32::MAX;

pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub const STAFF: TableDefinition<&str, Bin<StaffRow>> = TableDefinition::new("staff");
pub const STAFF_VERSIONS: TableDefinition<u32, Bin<StaffVersionRow>> =
    TableDefinition::new("staff_versions");
pub const PUPILS: TableDefinition<&str, Bin<PupilRow>> = TableDefinition::new("pupils");
pub const PUPIL_IDS: TableDefinition<u32, &str> = TableDefinition::new("pupil_ids");
pub const GROUPS: TableDefinition<&str, u32> = TableDefinition::new("groups");
pub const GROUP_NAMES: TableDefinition<u32, &str> = TableDefinition::new("group_names");
pub const MEMBERSHIPS: TableDefinition<(&str, i32), Bin<MembershipRow>> =
    TableDefinition::new("memberships");
/// (group, upn, start) → last day (`OPEN_END` while still a member).
pub const ROLLS: TableDefinition<(&str, &str, i32), i32> = TableDefinition::new("rolls");
/// (month, pupil id) → the pupil's marks that month (`month::Month`).
pub const MONTHS: TableDefinition<(u32, u32), &[u8]> = TableDefinition::new("months");
/// (pupil id, day, session, seq) → a change to that mark.
pub const HISTORY: TableDefinition<(u32, i32, u8, u16), Bin<ChangeRow>> =
    TableDefinition::new("changes");
pub const REASONS: TableDefinition<&str, u32> = TableDefinition::new("reasons");
pub const REASON_TEXTS: TableDefinition<u32, &str> = TableDefinition::new("reason_texts");
pub const REGISTERS: TableDefinition<(&str, i32, u8), Bin<ClosedRow>> =
    TableDefinition::new("registers");
/// (day, session, pupil id): every unresolved `N`, oldest first.
pub const PENDING_N: TableDefinition<(i32, u8, u32), ()> = TableDefinition::new("pending_n");
/// (group, date, session) → who covers that register (`account` empty: cover removed).
pub const COVER: TableDefinition<(&str, i32, u8), Bin<CoverRow>> = TableDefinition::new("cover");
/// (date, session, group, seq) → each assignment and removal, never rewritten.
pub const COVER_LOG: TableDefinition<(i32, u8, &str, u32), Bin<CoverRow>> =
    TableDefinition::new("cover_log");

/// (pupil id, alert kind, seq) → each action on that pupil's alert, never rewritten.
pub const ALERT_ACTIONS: TableDefinition<(u32, u8, u16), Bin<super::actions::ActionRow>> =
    TableDefinition::new("alert_actions");

/// (date, pupil id, kind, seq) → the office's day-to-day entries: a first-day call made, a
/// pupil signed out early. Appended, never rewritten; a day is one range read.
pub const DESK_LOG: TableDefinition<(i32, u32, u8, u16), Bin<super::desk::DeskRow>> =
    TableDefinition::new("desk_log");

/// Every table of this schema, by name: all must be present in a whole database.
pub const TABLES: &[&str] = &[
    "meta",
    "staff",
    "staff_versions",
    "pupils",
    "pupil_ids",
    "groups",
    "group_names",
    "memberships",
    "rolls",
    "months",
    "changes",
    "reasons",
    "reason_texts",
    "registers",
    "pending_n",
    "cover",
    "cover_log",
    "alert_actions",
    "desk_log",
];

/// The tables of schema 1.
const TABLES_V1: &[&str] = &[
    "meta",
    "staff",
    "pupils",
    "memberships",
    "rolls",
    "marks",
    "pupil_marks",
    "history",
    "registers",
    "pending_n",
];

/// The tables of schema 2: schema 1's and cover.
const TABLES_V2: &[&str] = &[
    "meta",
    "staff",
    "pupils",
    "memberships",
    "rolls",
    "marks",
    "pupil_marks",
    "history",
    "registers",
    "pending_n",
    "cover",
    "cover_log",
];

/// The tables a database of a schema version has.
pub fn tables_of(version: u32) -> &'static [&'static str] {
    match version {
        1 => TABLES_V1,
        2 => TABLES_V2,
        3 => &TABLES[..TABLES.len() - 2],
        4 => &TABLES[..TABLES.len() - 1],
        _ => TABLES,
    }
}

/// Migrations, in order: entry `i` brings a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[fn(&WriteTransaction) -> Result<()>] = &[
    create_tables_v1,
    add_cover_v2,
    super::migrate::to_v3,
    add_alert_actions_v4,
    add_desk_log_v5,
];

fn create_tables_v1(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(META)?;
    tx.open_table(v2::STAFF)?;
    tx.open_table(v2::PUPILS)?;
    tx.open_table(MEMBERSHIPS)?;
    tx.open_table(ROLLS)?;
    tx.open_table(v2::MARKS)?;
    tx.open_table(v2::PUPIL_MARKS)?;
    tx.open_table(v2::HISTORY)?;
    tx.open_table(REGISTERS)?;
    tx.open_table(v2::PENDING_N)?;
    Ok(())
}

/// Schema 2: cover, a teacher taking another group's register.
fn add_cover_v2(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(COVER)?;
    tx.open_table(COVER_LOG)?;
    Ok(())
}

/// Schema 4: what staff did about alerts.
fn add_alert_actions_v4(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(ALERT_ACTIONS)?;
    Ok(())
}

/// Schema 5: the office's desk log (first-day calls, early sign-outs, stages done), and
/// pupils with their sex.
fn add_desk_log_v5(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(DESK_LOG)?;
    super::migrate::pupils_to_v5(tx)
}

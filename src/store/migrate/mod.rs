//! Migrations: each step brings an older database one schema version up, inside the one
//! transaction that opens it. This module owns the list of steps and the tables each older
//! version had; the frozen rows of schema 2 are in `v2`, the larger steps in files of their
//! own.

mod old;
pub(super) mod to_v12;
mod to_v3;
mod to_v5;
mod to_v6;
mod to_v8;
pub mod v2;

pub use to_v6::LEGACY_IMPORTS_UNTIL;

use super::error::Result;
use super::schema::{ALERT_ACTIONS, COVER, COVER_LOG, MEMBERSHIPS, META, REGISTERS, ROLLS, TABLES};
use redb::WriteTransaction;

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
        // Tables are added at the end of the list: a version has all but those added after.
        3 => &TABLES[..TABLES.len() - 16],
        4 => &TABLES[..TABLES.len() - 15],
        5 => &TABLES[..TABLES.len() - 14],
        6 => &TABLES[..TABLES.len() - 10],
        7 | 8 => &TABLES[..TABLES.len() - 9],
        9 => &TABLES[..TABLES.len() - 7],
        10 => &TABLES[..TABLES.len() - 5],
        // Schema 11's `lesson_marks` is not required: its step reads it if it is there.
        11 => &TABLES[..TABLES.len() - 2],
        _ => TABLES,
    }
}

/// Migrations, in order: entry `i` brings a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[fn(&WriteTransaction) -> Result<()>] = &[
    create_tables_v1,
    add_cover_v2,
    to_v3::to_v3,
    add_alert_actions_v4,
    add_desk_log_v5,
    to_v6::to_v6,
    add_first_sources_v7,
    to_v8::to_v8,
    add_casework_v9,
    add_contacts_v10,
    add_lessons_v11,
    to_v12::to_v12,
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

/// Schema 7: where first marks came from, a pupil-month at a time (schema 6 wrote a history
/// row for every imported mark; those stay as they are, and read as they did).
fn add_first_sources_v7(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(super::schema::FIRST_SOURCES)?;
    Ok(())
}

/// Schema 9: casework (leave requests, penalty notices) and the steps taken on each.
fn add_casework_v9(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(super::schema::CASES)?;
    tx.open_table(super::schema::CASE_STEPS)?;
    Ok(())
}

/// Schema 10: pupils' contacts and characteristics.
/// Schema 11: lesson registers (classes, the timetable, lesson marks, registers taken and
/// the missing-pupil log).
fn add_lessons_v11(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(super::schema::LESSON_CLASSES)?;
    tx.open_table(super::schema::TIMETABLE)?;
    tx.open_table(to_v12::LESSON_MARKS_V11)?;
    tx.open_table(super::schema::LESSON_TAKEN)?;
    tx.open_table(super::schema::MISSING_LOG)?;
    Ok(())
}

fn add_contacts_v10(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(super::schema::CONTACTS)?;
    tx.open_table(super::schema::CHARACTERISTICS)?;
    Ok(())
}

/// Schema 5: the office's desk log (first-day calls, early sign-outs, stages done), and
/// pupils with their sex.
fn add_desk_log_v5(tx: &WriteTransaction) -> Result<()> {
    // As schema 5 kept it: step 6 rewrites its rows.
    tx.open_table(old::DESK_LOG_V5)?;
    to_v5::pupils_to_v5(tx)
}

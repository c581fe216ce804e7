//! What the steps share: the pupils table as schemas 3 and 4 kept it, and reading a small
//! table whole before it is replaced.

use crate::store::error::Result;
use crate::store::rows::{self, Bin, PupilRowV3, Row, decoded};
use chrono::NaiveDateTime;
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

/// The pupils table as schemas 3 and 4 kept it.
pub const PUPILS_V3: redb::TableDefinition<&str, Bin<PupilRowV3>> =
    redb::TableDefinition::new("pupils");

/// A table keyed by name, read whole: (name, row) in key order.
pub fn read_all<R: rows::Row>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<&str, rows::Bin<R>>,
    what: &str,
) -> Result<Vec<(String, R)>> {
    let mut out = Vec::new();
    for entry in tx.open_table(table)?.iter()? {
        let (key, value) = entry?;
        let name = key.value().to_string();
        out.push((
            name.clone(),
            decoded(value.value(), Ok, || format!("{what} of {name}"))?,
        ));
    }
    Ok(out)
}

/// The desk log as schema 5 kept it, before a sign-out said whether the pupil comes back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeskRowV5 {
    /// Minutes after midnight, for a time of leaving.
    pub minute: Option<u16>,
    pub note: String,
    /// The stage of intervention, for a stage's action done.
    pub stage: Option<String>,
    #[serde(with = "chrono::naive::serde::ts_seconds")]
    pub at: NaiveDateTime,
    /// The staff version (who, as they were then).
    pub staff: u32,
}

impl Row for DeskRowV5 {
    const NAME: &'static str = "rollcall::DeskEntry";
}

/// The desk log's table as schema 5 kept it.
pub const DESK_LOG_V5: redb::TableDefinition<(i32, u32, u8, u16), Bin<DeskRowV5>> =
    redb::TableDefinition::new("desk_log");

//! What the steps share: the pupils table as schemas 3 and 4 kept it, and reading a small
//! table whole before it is replaced.

use crate::store::error::Result;
use crate::store::rows::{self, Bin, PupilRowV3, decoded};
use redb::{ReadableTable, WriteTransaction};

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

//! Schema 5 to 6: each change may say where it came from (`change_sources`); planned
//! absences are kept whole (`plans`), so one can be withdrawn; marks recorded at other
//! schools are kept apart (`other_schools`, `external_marks`); a sign-out says whether the
//! pupil comes back today (the desk log's rows gain the field, rewritten: the table is small).

use super::old::DESK_LOG_V5;
use crate::store::error::Result;
use crate::store::rows::{DeskRow, decoded};
use crate::store::schema::{CHANGE_SOURCES, DESK_LOG, EXTERNAL_MARKS, META, OTHER_SCHOOLS, PLANS};
use redb::{ReadableTable, WriteTransaction};

/// Imports before this schema are known to the history only by their time, from the import
/// log in `meta`: the time of the last of them, after which every import says so itself.
pub const LEGACY_IMPORTS_UNTIL: &str = "legacy_imports_until";

pub fn to_v6(tx: &WriteTransaction) -> Result<()> {
    let mut rows = Vec::new();
    for entry in tx.open_table(DESK_LOG_V5)?.iter()? {
        let (key, value) = entry?;
        let row = decoded(value.value(), Ok, || "a desk log entry".to_string())?;
        rows.push((key.value(), row));
    }
    tx.delete_table(DESK_LOG_V5)?;
    let mut table = tx.open_table(DESK_LOG)?;
    for (key, old) in rows {
        table.insert(
            key,
            Ok(DeskRow {
                minute: old.minute,
                note: old.note,
                stage: old.stage,
                at: old.at,
                staff: old.staff,
                back_today: None,
            }),
        )?;
    }
    tx.open_table(CHANGE_SOURCES)?;
    tx.open_table(PLANS)?;
    tx.open_table(OTHER_SCHOOLS)?;
    tx.open_table(EXTERNAL_MARKS)?;
    // The last import the log names, in its own words (`import:TIME:ACCOUNT`).
    let mut meta = tx.open_table(META)?;
    let mut last: Option<String> = None;
    for entry in meta.range("import:".."import;")? {
        let (key, _) = entry?;
        let time = key.value()["import:".len()..]
            .split(':')
            .take(3)
            .collect::<Vec<_>>()
            .join(":");
        if last.as_ref().is_none_or(|l| *l < time) {
            last = Some(time);
        }
    }
    if let Some(last) = last {
        meta.insert(LEGACY_IMPORTS_UNTIL, last.as_bytes())?;
    }
    Ok(())
}

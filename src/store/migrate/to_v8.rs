//! Schema 7 to 8: every stored month rewritten in month format 2, whose summary keeps
//! possible and absent sessions by weekday (and only `L`'s minutes late), so a report counts
//! a past month from its summary. No table changes.

use crate::store::error::Result;
use crate::store::month::Month;
use crate::store::schema::MONTHS;
use redb::{ReadableTable, WriteTransaction};

/// Months rewritten a batch at a time: the memory a migration holds does not grow with the
/// school's years.
const BATCH: usize = 4096;

pub fn to_v8(tx: &WriteTransaction) -> Result<()> {
    let mut table = tx.open_table(MONTHS)?;
    let mut after: Option<(u32, u32)> = None;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        let range = match after {
            None => table.range::<(u32, u32)>(..)?,
            Some(key) => table.range::<(u32, u32)>((
                std::ops::Bound::Excluded(key),
                std::ops::Bound::Unbounded,
            ))?,
        };
        for entry in range.take(BATCH) {
            let (key, value) = entry?;
            let (month, pupil) = key.value();
            // A month that cannot be read is left as it was: it reads as damaged, as before,
            // and `rollcall check` names it.
            if let Ok(decoded) = Month::decode(month, value.value()) {
                batch.push(((month, pupil), Some(decoded.encode(month))));
            } else {
                batch.push(((month, pupil), None));
            }
        }
        let Some(last) = batch.last().map(|(key, _)| *key) else {
            return Ok(());
        };
        for (key, bytes) in &batch {
            if let Some(bytes) = bytes {
                table.insert(key, bytes.as_slice())?;
            }
        }
        after = Some(last);
    }
}

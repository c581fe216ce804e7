//! Schema 4 to 5: pupils gain their sex.

use super::old::{PUPILS_V3, read_all};
use crate::store::error::Result;
use crate::store::rows::{self, PupilRow};
use crate::store::schema::PUPILS;
use redb::WriteTransaction;

/// Schema 5: pupils gain their sex (not known for pupils already there until the next import
/// of the pupil list says it). The table is small: read whole, then replaced.
pub fn pupils_to_v5(tx: &WriteTransaction) -> Result<()> {
    let old = read_all(tx, PUPILS_V3, "a pupil record")?;
    tx.delete_table(PUPILS_V3)?;
    let mut table = tx.open_table(PUPILS)?;
    for (upn, row) in old {
        let pupil = crate::domain::people::Pupil {
            upn: upn.clone(),
            surname: row.surname,
            forename: row.forename,
            dob: row.dob,
            year: rows::year_of(row.year),
            sex: None,
        };
        table.insert(upn.as_str(), Ok(PupilRow::of(row.id, &pupil)))?;
    }
    Ok(())
}

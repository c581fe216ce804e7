//! Schema 11 to 12: lesson marks packed a pupil-day a row (`lesson_days`) from a row a mark
//! (`lesson_marks`), the class and the account as text ids: 94 KB a pupil-year at five
//! lessons a day became a fraction of it. The old table is read a day at a time and dropped.
//! And `published`: what each trust database was last sent (`rollcall publish`).

use crate::store::error::Result;
use crate::store::history::intern;
use crate::store::keys::date_of;
use crate::store::rows::{Bin, LessonDayRow, LessonEntry, LessonMarkRow, decoded};
use crate::store::schema::{LESSON_DAYS, PUBLISHED, REASON_TEXTS, REASONS};
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use std::collections::BTreeMap;

/// The lesson marks as schema 11 kept them: (day, period, pupil id) → a mark.
pub(crate) const LESSON_MARKS_V11: TableDefinition<(i32, &str, u32), Bin<LessonMarkRow>> =
    TableDefinition::new("lesson_marks");

pub fn to_v12(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(PUBLISHED)?;
    {
        let old = tx.open_table(LESSON_MARKS_V11)?;
        let mut days = tx.open_table(LESSON_DAYS)?;
        let mut ids = tx.open_table(REASONS)?;
        let mut texts = tx.open_table(REASON_TEXTS)?;
        let mut after: Option<i32> = None;
        loop {
            // The next day's marks: what a migration holds does not grow with the years.
            let from = after.map_or(i32::MIN, |d| d + 1);
            let Some(first) = old
                .range((from, "", 0u32)..)?
                .next()
                .transpose()?
                .map(|(k, _)| k.value().0)
            else {
                break;
            };
            let mut pupils: BTreeMap<u32, LessonDayRow> = BTreeMap::new();
            for entry in old.range((first, "", 0u32)..=(first, "\u{10FFFF}", u32::MAX))? {
                let (key, value) = entry?;
                let (_, period, id) = key.value();
                let mark: LessonMarkRow =
                    decoded(value.value(), Ok, || format!("a lesson mark of pupil {id}"))?;
                let date = date_of(first)?;
                pupils.entry(id).or_default().marks.push(LessonEntry {
                    period: period.to_string(),
                    class: intern(&mut ids, &mut texts, &mark.class)?,
                    code: mark.code,
                    arrived: mark.arrived,
                    minutes_late: mark.minutes_late,
                    by: intern(&mut ids, &mut texts, &mark.by)?,
                    at: (mark.at - date.and_time(chrono::NaiveTime::MIN)).num_seconds(),
                });
            }
            for (id, row) in pupils {
                days.insert((first, id), Ok(row))?;
            }
            after = Some(first);
        }
    }
    tx.delete_table(LESSON_MARKS_V11)?;
    Ok(())
}

//! The office's desk log: first-day calls and early sign-outs, appended and never rewritten,
//! each with who made it (the staff version: name and position as they were).

use super::error::{Result, StoreError};
use super::keys::{date_of, day};
use super::rows::{DeskRow, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::desk::{DeskEntry, DeskKind};
use chrono::{NaiveDate, NaiveTime, Timelike};
use redb::ReadableTable;

impl<T: Kind> Tables<T> {
    /// Every entry for the dates `from..=to`, oldest first within a pupil.
    pub fn desk_entries(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DeskEntry>> {
        let upns = self.upns()?;
        let range = (day(from), 0u32, 0u8, 0u16)..=(day(to), u32::MAX, u8::MAX, u16::MAX);
        self.entries_in(range, |id| upns.get(&id).cloned().unwrap_or_default())
    }

    /// One pupil's entries on one day: a lookup, not the day's whole log.
    pub fn desk_entries_of(&self, date: NaiveDate, upn: &str) -> Result<Vec<DeskEntry>> {
        let Some(id) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        let range = (day(date), id, 0u8, 0u16)..=(day(date), id, u8::MAX, u16::MAX);
        self.entries_in(range, |_| upn.to_string())
    }

    fn entries_in(
        &self,
        range: std::ops::RangeInclusive<(i32, u32, u8, u16)>,
        upn_of: impl Fn(u32) -> String,
    ) -> Result<Vec<DeskEntry>> {
        let mut out = Vec::new();
        for entry in self.desk_log.range(range)? {
            let (key, value) = entry?;
            let (d, pupil, kind, _) = key.value();
            let kind = DeskKind::from_index(kind)
                .ok_or_else(|| StoreError::Corrupt(format!("desk entry kind {kind}")))?;
            let row: DeskRow = decoded(value.value(), Ok, || {
                format!("a desk entry for pupil {pupil}")
            })?;
            let by = self.version(row.staff)?;
            out.push(DeskEntry {
                date: date_of(d)?,
                upn: upn_of(pupil),
                kind,
                time: row
                    .minute
                    .and_then(|m| NaiveTime::from_hms_opt(u32::from(m / 60), u32::from(m % 60), 0)),
                note: row.note,
                stage: row.stage,
                at: row.at,
                account: by.account,
                name: by.name,
                position: by.position,
                back_today: row.back_today,
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Appends an entry for a pupil's day, recorded as its `account` now is.
    pub fn put_desk_entry(&mut self, pupil: u32, entry: &DeskEntry) -> Result<()> {
        let staff = self.current_version(&entry.account)?;
        let (d, k) = (day(entry.date), entry.kind.index());
        let seq = match self
            .desk_log
            .range((d, pupil, k, 0u16)..=(d, pupil, k, u16::MAX))?
            .next_back()
        {
            Some(last) => last?.0.value().3.saturating_add(1),
            None => 0,
        };
        let row = DeskRow {
            minute: entry.time.map(|t| (t.hour() * 60 + t.minute()) as u16),
            note: entry.note.clone(),
            stage: entry.stage.clone(),
            at: entry.at,
            staff,
            back_today: entry.back_today,
        };
        self.desk_log.insert((d, pupil, k, seq), Ok(row))?;
        Ok(())
    }
}

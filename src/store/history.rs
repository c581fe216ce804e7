//! The audit trail: every change to a mark, appended and never rewritten, with the reason
//! (each text stored once) and who made it as they were then. A mark made once and never
//! changed is its own history.

use super::error::{Result, StoreError};
use super::keys::{date_of, day, next_id, session_of};
use super::marks::describe;
use super::month::{Slot, month_of};
use super::names::Names;
use super::rows::ChangeRow;
use super::rows::{self, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::marks::{Change, SessionKey, Source};
use crate::domain::session::Session;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use redb::ReadableTable;
use std::collections::BTreeMap;

impl<T: Kind> Tables<T> {
    /// The audit trail of one mark, oldest first. A mark made once and never changed is its
    /// own history: who made it and when are in the mark.
    pub fn history(&self, key: &SessionKey) -> Result<Vec<Change>> {
        let Some(pupil) = self.pupil_id(&key.upn)? else {
            return Ok(Vec::new());
        };
        let (d, s) = (day(key.date), key.session.index());
        let mut out = Vec::new();
        let mut names = Names::default();
        for entry in self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
        {
            let (k, value) = entry?;
            let row: ChangeRow = decoded(value.value(), Ok, || {
                format!("the history of {}", describe(key))
            })?;
            let by = names.version(self, row.staff)?.clone();
            let reason = row.reason.map(|id| self.reason_text(id)).transpose()?;
            let mut change = row.into_change(&by, reason)?;
            change.source = self.change_source(k.value())?;
            out.push(change);
        }
        if out.is_empty()
            && let Some(month) = self.month(pupil, month_of(key.date))?
            && let Some(slot) = month.get(key.date.day() as u8, key.session)
        {
            let by = names.version(self, slot.staff)?.clone();
            let mut first = first_change(slot).into_change(&by, None)?;
            let bit = super::sources::bit(slot.day, slot.session);
            first.source = self.first_source(pupil, month_of(key.date), bit)?;
            out.push(first);
        }
        Ok(out)
    }

    /// Where a change came from, if not a key (`change_sources`).
    fn change_source(&self, key: (u32, i32, u8, u16)) -> Result<Option<Source>> {
        let Some(id) = self.change_sources.get(key)? else {
            return Ok(None);
        };
        let text = self.reason_text(id.value())?;
        Source::from_text(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("`{text}` is not where a change came from")))
    }

    pub(super) fn reason_text(&self, id: u32) -> Result<String> {
        self.reason_texts
            .get(id)?
            .map(|v| v.value().to_string())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("reason {id} is missing: restore the latest backup"))
            })
    }

    /// A pupil's codes from `from` to `to` as they stood at `known_by`: a mark recorded later
    /// was not known then, and a mark changed later had its earlier code. Thresholds "on" a
    /// past date read this (SPEC §4).
    pub fn pupil_codes_known_by(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
        known_by: NaiveDateTime,
    ) -> Result<Vec<(NaiveDate, Session, crate::domain::codes::Code)>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        // Each changed session's code at `known_by`: the last change made by then decides
        // (None: no mark yet, or withdrawn).
        let mut changed: BTreeMap<(i32, u8), Option<crate::domain::codes::Code>> = BTreeMap::new();
        for entry in self
            .history
            .range((pupil, day(from), 0u8, 0u16)..=(pupil, day(to), u8::MAX, u16::MAX))?
        {
            let entry = entry?;
            let (_, d, s, _) = entry.0.value();
            let row: ChangeRow = decoded(entry.1.value(), Ok, || {
                format!("the history of {upn} on {}", date_of(d).unwrap_or(from))
            })?;
            let known = changed.entry((d, s)).or_insert(None);
            if row.at <= known_by {
                *known = row
                    .after
                    .map(|e| e.into_entry().map(|e| e.code))
                    .transpose()?;
            }
        }
        let mut out = Vec::new();
        for (date, slot) in self.slots_between(pupil, from, to)? {
            let code = match changed.remove(&(day(date), slot.session.index())) {
                Some(code) => code,
                None => (slot.recorded_at <= known_by).then_some(slot.code),
            };
            if let Some(code) = code {
                out.push((date, slot.session, code));
            }
        }
        // Sessions whose mark was withdrawn since, but stood at `known_by`.
        for ((d, s), code) in changed {
            if let Some(code) = code {
                out.push((date_of(d)?, session_of(s)?, code));
            }
        }
        out.sort_by_key(|(date, session, _)| (*date, session.index()));
        Ok(out)
    }

    /// Ids of pupils with a change to any mark made after `after`: their marks today are not
    /// what they were then. Reads the whole history table (changes are few beside marks).
    pub fn pupils_changed_after(
        &self,
        after: NaiveDateTime,
    ) -> Result<std::collections::HashSet<u32>> {
        let mut out = std::collections::HashSet::new();
        for entry in self.history.iter()? {
            let entry = entry?;
            let (pupil, ..) = entry.0.value();
            if out.contains(&pupil) {
                continue;
            }
            let row: ChangeRow = decoded(entry.1.value(), Ok, || {
                format!("a change to the marks of pupil {pupil}")
            })?;
            if row.at > after {
                out.insert(pupil);
            }
        }
        Ok(out)
    }

    /// How many changes the history holds, each read and decoded (a backup's check).
    pub fn count_changes(&self) -> Result<u64> {
        let mut n = 0;
        for entry in self.history.iter()? {
            let (key, value) = entry?;
            if let Err(e) = value.value() {
                let (pupil, day, session, seq) = key.value();
                return Err(StoreError::Corrupt(format!(
                    "change {seq} of pupil {pupil} on day {day} session {session}: {}",
                    e.0
                )));
            }
            n += 1;
        }
        Ok(n)
    }
}

/// A text's id in `reason_texts` (reasons, sources, lesson classes and accounts), written the
/// first time it is seen.
pub(super) fn intern(
    ids: &mut redb::Table<'_, &'static str, u32>,
    texts: &mut redb::Table<'_, u32, &'static str>,
    text: &str,
) -> Result<u32> {
    if let Some(id) = ids.get(text)? {
        return Ok(id.value());
    }
    let id = next_id(texts.last()?.map(|(k, _)| k.value()));
    ids.insert(text, id)?;
    texts.insert(id, text)?;
    Ok(id)
}

impl Writer<'_> {
    /// A reason's id, the text written once the first time it is given.
    pub(super) fn reason_id(&mut self, text: Option<&str>) -> Result<Option<u32>> {
        let Some(text) = text else {
            return Ok(None);
        };
        intern(&mut self.reasons, &mut self.reason_texts, text).map(Some)
    }

    pub(super) fn has_history(&self, pupil: u32, d: i32, s: u8) -> Result<bool> {
        Ok(self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
            .next()
            .is_some())
    }

    /// Appends a change to a mark's history. A mark that was its own history until now (a
    /// first mark) has that first change written out first, so the history reads whole.
    /// `change` comes with the source text id of the first mark, if it is written out now.
    pub(super) fn record_change(
        &mut self,
        pupil: u32,
        (d, s): (i32, u8),
        previous: Option<&Slot>,
        (first_source, change): (Option<u32>, ChangeRow),
        source: Option<&Source>,
    ) -> Result<()> {
        let last = self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
            .next_back()
            .transpose()?
            .map(|(k, _)| k.value().3);
        let next = match (last, previous) {
            (Some(last), _) => last.checked_add(1).ok_or_else(|| {
                StoreError::Database("a mark has been changed 65,535 times".into())
            })?,
            (None, Some(first)) => {
                self.history
                    .insert((pupil, d, s, 0), Ok(first_change(first)))?;
                if let Some(id) = first_source {
                    self.change_sources.insert((pupil, d, s, 0), id)?;
                }
                1
            }
            (None, None) => 0,
        };
        self.history.insert((pupil, d, s, next), Ok(change))?;
        if let Some(source) = source {
            let text = self.reason_id(Some(&source.to_text()))?;
            if let Some(text) = text {
                self.change_sources.insert((pupil, d, s, next), text)?;
            }
        }
        Ok(())
    }
}

/// The change a first mark stands for: made as it says, by whom and when it says.
pub(super) fn first_change(slot: &Slot) -> ChangeRow {
    ChangeRow {
        amendment: false,
        before: None,
        after: Some(rows::EntryRow {
            code: slot.code as u8,
            arrived: slot.arrived,
            minutes_late: slot.minutes_late,
            note: slot.note.clone(),
        }),
        reason: None,
        at: slot.recorded_at,
        staff: slot.staff,
    }
}

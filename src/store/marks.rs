//! Marks: each pupil's month of marks, read by session, by day, by range and by pupil, and
//! written one mark at a time with the month's summary kept in step (see `month`).

use super::error::{Result, StoreError};
use super::keys::day;
use super::month::{self, Month, MonthKey, Slot, month_of};
use super::names::Names;
use super::rows;
use super::rows::ChangeRow;
use super::schema::{Kind, Tables, Writer};
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::session::Session;
use chrono::{Datelike, NaiveDate};
use redb::ReadableTable;
use std::collections::HashMap;

impl<T: Kind> Tables<T> {
    /// A pupil's marks for a month, if any.
    pub fn month(&self, pupil: u32, month: MonthKey) -> Result<Option<Month>> {
        let value = self.months.get((month, pupil))?;
        value
            .map(|v| Month::decode(month, v.value()).map_err(|e| unreadable(pupil, month, e)))
            .transpose()
    }

    /// A pupil's month as stored, to read its summary without its marks (`month::header`).
    pub fn month_bytes(&self, pupil: u32, month: MonthKey) -> Result<Option<Vec<u8>>> {
        Ok(self.months.get((month, pupil))?.map(|v| v.value().to_vec()))
    }

    /// Calls `visit` with each stored month from `from` to `to` inclusive, month by month and
    /// pupil by pupil within a month, until it says to stop: the raw month, to read its
    /// summary alone (`month::header`) or its marks (`Month::decode`).
    pub fn each_month(
        &self,
        from: MonthKey,
        to: MonthKey,
        mut visit: impl FnMut(u32, MonthKey, &[u8]) -> Result<bool>,
    ) -> Result<()> {
        for entry in self.months.range((from, 0u32)..=(to, u32::MAX))? {
            let (key, value) = entry?;
            let (month, pupil) = key.value();
            if !visit(pupil, month, value.value())? {
                break;
            }
        }
        Ok(())
    }

    pub fn mark(&self, key: &SessionKey) -> Result<Option<Mark>> {
        let Some(pupil) = self.pupil_id(&key.upn)? else {
            return Ok(None);
        };
        // Read only as far as the day: a mark is looked up on every save.
        let month = month_of(key.date);
        let Some(value) = self.months.get((month, pupil))? else {
            return Ok(None);
        };
        let [am, pm] = Month::day(month, value.value(), key.date.day() as u8)
            .map_err(|e| damaged_month(pupil, month, &e))?;
        let slot = match key.session {
            Session::Am => am,
            Session::Pm => pm,
        };
        slot.map(|slot| self.mark_of(&slot, &mut Names::default()))
            .transpose()
    }

    /// A pupil's marks in the month `date` falls in, each with its day and session: read once
    /// for many rows of an import (a year's file names each pupil-month forty times).
    pub fn month_marks(&self, upn: &str, date: NaiveDate) -> Result<Vec<(u8, Session, Mark)>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        let Some(month) = self.month(pupil, month_of(date))? else {
            return Ok(Vec::new());
        };
        let mut names = Names::default();
        month
            .slots
            .iter()
            .map(|slot| Ok((slot.day, slot.session, self.mark_of(slot, &mut names)?)))
            .collect()
    }

    /// A slot as the program sees a mark: who by account, the group by name.
    pub(super) fn mark_of(&self, slot: &Slot, names: &mut Names) -> Result<Mark> {
        let group = names.group(self, slot.group)?;
        let by = names.version(self, slot.staff)?;
        Ok(Mark {
            code: slot.code,
            arrived: slot.arrived,
            minutes_late: slot.minutes_late,
            note: slot.note.clone(),
            group,
            recorded_by: by.account.clone(),
            recorded_by_office: rows::role_of(by.role).is_office() != slot.office_differs,
            recorded_at: slot.recorded_at,
        })
    }

    /// Every mark of one session of one day, by UPN.
    pub fn marks_on(&self, date: NaiveDate, session: Session) -> Result<Vec<(String, Mark)>> {
        let [am, pm] = self.marks_on_day(date)?;
        Ok(match session {
            Session::Am => am,
            Session::Pm => pm,
        })
    }

    /// Every mark of a day, AM and PM, by UPN: each pupil's month read once, and only as far
    /// as the day.
    pub fn marks_on_day(&self, date: NaiveDate) -> Result<[Vec<(String, Mark)>; 2]> {
        let upns = self.upns()?;
        let mut names = Names::default();
        let month = month_of(date);
        let day = date.day() as u8;
        let mut out = [Vec::new(), Vec::new()];
        self.each_month(month, month, |pupil, _, bytes| {
            let slots =
                Month::day(month, bytes, day).map_err(|e| damaged_month(pupil, month, &e))?;
            for (i, slot) in slots.iter().enumerate() {
                if let Some(slot) = slot {
                    let upn = upns.get(&pupil).cloned().unwrap_or_default();
                    out[i].push((upn, self.mark_of(slot, &mut names)?));
                }
            }
            Ok(true)
        })?;
        for session in &mut out {
            session.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(out)
    }

    /// Calls `visit` for every mark from `from` to `to` inclusive, in date, session and UPN
    /// order, starting after `after` if given, until `visit` says to stop (`false`). Holds one
    /// month of marks at a time.
    pub fn each_mark_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        after: Option<&SessionKey>,
        mut visit: impl FnMut(SessionKey, Mark) -> Result<bool>,
    ) -> Result<()> {
        let upns = self.upns()?;
        // Pupils in UPN order, by id: a month's marks sort on small numbers, and a UPN is
        // only copied for a mark that is visited.
        let mut by_upn: Vec<(&String, u32)> = upns.iter().map(|(id, upn)| (upn, *id)).collect();
        by_upn.sort();
        let rank: HashMap<u32, u32> = by_upn
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i as u32))
            .collect();
        let mut names = Names::default();
        let start = after.map_or(from, |a| a.date.max(from));
        for month in month_of(start)..=month_of(to) {
            let Some(first) = month::first_day(month) else {
                continue;
            };
            let mut rows: Vec<(NaiveDate, u8, u32, u32, Slot)> = Vec::new();
            self.each_month(month, month, |pupil, _, bytes| {
                let decoded =
                    Month::decode(month, bytes).map_err(|e| damaged_month(pupil, month, &e))?;
                for slot in decoded.slots {
                    let date = first + chrono::Days::new(u64::from(slot.day - 1));
                    if date < from || date > to {
                        continue;
                    }
                    let order = rank.get(&pupil).copied().unwrap_or(u32::MAX);
                    rows.push((date, slot.session.index(), order, pupil, slot));
                }
                Ok(true)
            })?;
            rows.sort_unstable_by_key(|(date, session, order, _, _)| (*date, *session, *order));
            for (date, _, _, pupil, slot) in rows {
                let key = SessionKey {
                    date,
                    session: slot.session,
                    upn: upns.get(&pupil).cloned().unwrap_or_default(),
                };
                if after.is_some_and(|a| key <= *a) {
                    continue;
                }
                let mark = self.mark_of(&slot, &mut names)?;
                if !visit(key, mark)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// A pupil's codes from `from` to `to` inclusive, in session order.
    pub fn pupil_codes(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Session, crate::domain::codes::Code)>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        // The quick walk of each month's marks: codes only, nothing decoded that is not
        // wanted (alerts and runs of absence read many pupils this way).
        let mut out = Vec::new();
        for month in month_of(from)..=month_of(to) {
            let (Some(value), Some(first)) =
                (self.months.get((month, pupil))?, month::first_day(month))
            else {
                continue;
            };
            month::each_mark(value.value(), |day, session, code, _, _| {
                let date = first + chrono::Days::new(u64::from(day - 1));
                if date >= from && date <= to {
                    out.push((date, session, code));
                }
            })
            .map_err(|e| unreadable(pupil, month, e))?;
        }
        Ok(out)
    }

    /// A pupil's stored marks from `from` to `to` inclusive, with their dates.
    pub(super) fn slots_between(
        &self,
        pupil: u32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Slot)>> {
        let mut out = Vec::new();
        for month in month_of(from)..=month_of(to) {
            let (Some(marks), Some(first)) = (self.month(pupil, month)?, month::first_day(month))
            else {
                continue;
            };
            for slot in marks.slots {
                let date = first + chrono::Days::new(u64::from(slot.day - 1));
                if date >= from && date <= to {
                    out.push((date, slot));
                }
            }
        }
        Ok(out)
    }
}

impl Writer<'_> {
    pub(super) fn known_pupil(&self, key: &SessionKey) -> Result<u32> {
        self.pupil_id(&key.upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {}", describe(key))))
    }

    /// Records a mark and its change, in this transaction: the pupil's month is rewritten
    /// with its summary; the change goes to the history unless the mark is its own (a first
    /// mark, made as it says).
    pub fn put_mark(&mut self, key: &SessionKey, mark: &Mark, change: &Change) -> Result<()> {
        let pupil = self.known_pupil(key)?;
        let by = self.version_for(&change.account, &change.name, &change.position)?;
        let staff = if mark.recorded_by == change.account {
            by
        } else {
            self.current_version(&mark.recorded_by)?
        };
        let office = rows::role_of(self.version(staff)?.role).is_office();
        let group = self.group_id(&mark.group)?;
        let slot = Slot {
            day: key.date.day() as u8,
            session: key.session,
            code: mark.code,
            staff,
            recorded_at: mark.recorded_at,
            arrived: mark.arrived,
            minutes_late: mark.minutes_late,
            note: mark.note.clone(),
            group,
            office_differs: office != mark.recorded_by_office,
        };
        let (d, s) = (day(key.date), key.session.index());
        let month_key = month_of(key.date);
        let mut month = self.month(pupil, month_key)?.unwrap_or_default();
        let previous = month.get(slot.day, key.session).cloned();
        let first_and_only = previous.is_none()
            && !self.has_history(pupil, d, s)?
            && change.kind == crate::domain::register::ChangeKind::Mark
            && change.before.is_none()
            && change.reason.is_none()
            && change.after.as_ref() == Some(&mark.entry())
            && change.at == mark.recorded_at
            && by == staff;
        let bit = super::sources::bit(slot.day, key.session);
        if first_and_only {
            // A first mark is its own history; where it came from, if not a key, is kept a
            // pupil-month at a time.
            let source = match &change.source {
                Some(source) => self.reason_id(Some(&source.to_text()))?,
                None => None,
            };
            self.set_first_source(pupil, month_key, bit, source)?;
        } else {
            let first_source = self.take_first_source(pupil, month_key, bit)?;
            let reason = self.reason_id(change.reason.as_deref())?;
            self.record_change(
                pupil,
                (d, s),
                previous.as_ref(),
                (first_source, ChangeRow::of(change, by, reason)),
                change.source.as_ref(),
            )?;
        }
        month.put(slot);
        self.months
            .insert((month_key, pupil), month.encode(month_key).as_slice())?;
        // An `N` brought from another system is history, not a task waiting (SPEC §4.4).
        let imported = change.source.as_ref().is_some_and(|s| s.is_import());
        if mark.code == crate::domain::codes::Code::N && !imported {
            self.pending_n.insert((d, s, pupil), ())?;
        } else {
            self.pending_n.remove((d, s, pupil))?;
        }
        Ok(())
    }

    /// Withdraws a mark (undo, clear); the history keeps what it was and this change.
    pub fn remove_mark(&mut self, key: &SessionKey, change: &Change) -> Result<()> {
        let pupil = self.known_pupil(key)?;
        let by = self.version_for(&change.account, &change.name, &change.position)?;
        let (d, s) = (day(key.date), key.session.index());
        let month_key = month_of(key.date);
        let mut month = self.month(pupil, month_key)?.unwrap_or_default();
        let previous = month.get(key.date.day() as u8, key.session).cloned();
        let bit = super::sources::bit(key.date.day() as u8, key.session);
        let first_source = self.take_first_source(pupil, month_key, bit)?;
        let reason = self.reason_id(change.reason.as_deref())?;
        self.record_change(
            pupil,
            (d, s),
            previous.as_ref(),
            (first_source, ChangeRow::of(change, by, reason)),
            change.source.as_ref(),
        )?;
        if month.remove(key.date.day() as u8, key.session) {
            if month.slots.is_empty() {
                self.months.remove((month_key, pupil))?;
            } else {
                self.months
                    .insert((month_key, pupil), month.encode(month_key).as_slice())?;
            }
        }
        self.pending_n.remove((d, s, pupil))?;
        Ok(())
    }
}

/// "the mark of A123… on 2026-11-23 AM", for errors about a damaged record.
pub(super) fn describe(key: &SessionKey) -> String {
    format!(
        "the mark of {} on {} {}",
        key.upn,
        key.date,
        key.session.label()
    )
}

pub(super) fn damaged_month(pupil: u32, month: MonthKey, e: &month::Damaged) -> StoreError {
    StoreError::Corrupt(format!(
        "the marks of pupil {pupil} for {} cannot be read ({}): restore the latest backup (`rollcall check FILE` tells whether a copy is whole)",
        month::first_day(month).map_or(month.to_string(), |d| d.format("%B %Y").to_string()),
        e.0
    ))
}

/// A stored month that does not decode: damage, named with the pupil and the month.
fn unreadable(pupil: u32, month: MonthKey, e: month::Damaged) -> StoreError {
    StoreError::Corrupt(format!(
        "the marks of pupil {pupil} for {} cannot be read ({}): restore the latest backup (`rollcall check FILE` tells whether a copy is whole)",
        month::first_day(month).map_or(month.to_string(), |d| d.format("%B %Y").to_string()),
        e.0
    ))
}

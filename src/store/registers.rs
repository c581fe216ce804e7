//! Registers: which are closed and by whom, who covers one (and every change of cover, for
//! the audit), and the `N` queue.

use super::error::{Result, StoreError};
use super::keys::{date_of, day, session_of};
use super::rows::decoded;
use super::rows::{ClosedRow, CoverRow};
use super::schema::{Kind, Tables, Writer};
use crate::domain::marks::{ClosedRegister, Cover, SessionKey};
use crate::domain::session::Session;
use chrono::NaiveDate;
use redb::ReadableTable;

impl<T: Kind> Tables<T> {
    pub fn closed_register(
        &self,
        group: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Option<ClosedRegister>> {
        let value = self.registers.get((group, day(date), session.index()))?;
        value
            .map(|v| {
                decoded(
                    v.value(),
                    |r| Ok(ClosedRegister::from(r)),
                    || format!("the closing of {group} {date} {}", session.label()),
                )
            })
            .transpose()
    }

    /// Who covers a register, if anyone.
    pub fn cover(&self, group: &str, date: NaiveDate, session: Session) -> Result<Option<Cover>> {
        let value = self.cover.get((group, day(date), session.index()))?;
        let cover = value
            .map(|v| {
                decoded(
                    v.value(),
                    |r| Ok(Cover::from(r)),
                    || format!("the cover of {group} {date} {}", session.label()),
                )
            })
            .transpose()?;
        Ok(cover.filter(|c| c.account.is_some()))
    }

    /// Every cover change for a session, in order: the audit of who arranged what.
    pub fn cover_log(&self, date: NaiveDate, session: Session) -> Result<Vec<(String, Cover)>> {
        let (d, s) = (day(date), session.index());
        let mut out = Vec::new();
        for entry in self
            .cover_log
            .range((d, s, "", 0u32)..(d, s + 1, "", 0u32))?
        {
            let (key, value) = entry?;
            let group = key.value().2.to_string();
            let cover = decoded(
                value.value(),
                |r| Ok(Cover::from(r)),
                || format!("a cover change of {group} {date} {}", session.label()),
            )?;
            out.push((group, cover));
        }
        Ok(out)
    }

    /// Every unresolved `N`, oldest first.
    pub fn pending_n(&self) -> Result<Vec<SessionKey>> {
        let upns = self.upns()?;
        let mut out = Vec::new();
        for entry in self.pending_n.iter()? {
            let (key, _) = entry?;
            let (d, s, pupil) = key.value();
            out.push(SessionKey {
                date: date_of(d)?,
                session: session_of(s)?,
                upn: upns.get(&pupil).cloned().ok_or_else(|| {
                    StoreError::Corrupt(format!("pupil {pupil} of an N is missing"))
                })?,
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Assigns (or, `account` `None`, takes away) cover of a register, and logs it.
    pub fn set_cover(
        &mut self,
        group: &str,
        date: NaiveDate,
        session: Session,
        cover: &Cover,
    ) -> Result<()> {
        let (d, s) = (day(date), session.index());
        let row = CoverRow::from(cover);
        let next = match self
            .cover_log
            .range((d, s, group, 0u32)..=(d, s, group, u32::MAX))?
            .next_back()
        {
            Some(last) => last?.0.value().3 + 1,
            None => 0,
        };
        self.cover_log
            .insert((d, s, group, next), Ok(row.clone()))?;
        self.cover.insert((group, d, s), Ok(row))?;
        Ok(())
    }

    pub fn close_register(
        &mut self,
        group: &str,
        date: NaiveDate,
        session: Session,
        closed: &ClosedRegister,
    ) -> Result<()> {
        self.registers.insert(
            (group, day(date), session.index()),
            Ok(ClosedRow::from(closed)),
        )?;
        Ok(())
    }
}

//! Data crossing rollcall's boundary: historic marks from an old system (all or nothing,
//! `--dry-run` to see first; another school's kept apart) and the roster. Each import is logged (by whom, when, from which
//! file), and the marks it made carry the importer and the import's time.

use super::arrive::Arrive;
use super::core::{Engine, Result};
use super::ctf::is_this_school;
use super::ctx::Ctx;
use crate::domain::marks::Source;
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::people::OtherSchool;
use crate::domain::register::ChangeKind;
use crate::domain::session::Session;
use crate::domain::validity::{MarkFor, unfit_elsewhere, unfit_record};
use crate::service::error::ServiceError;
use crate::service::import::{MarkRow, each_mark_row};
use crate::service::protocol::*;
use std::collections::BTreeMap;

impl Engine {
    /// Every pupil with their dates on roll: what the DfE's feed says about each (office).
    pub(super) fn roster(&self, ctx: &Ctx) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return super::core::refused("the pupil roster is for office staff");
        }
        let school = ctx.school()?;
        let r = self.store.read()?;
        let mut pupils = Vec::new();
        for pupil in r.pupils()? {
            let memberships = r.memberships(&pupil.upn)?;
            let admitted = memberships.iter().map(|m| m.start).min();
            let left = if memberships.iter().any(|m| m.end.is_none()) {
                None
            } else {
                memberships.iter().filter_map(|m| m.end).max()
            };
            let characteristics = r.characteristics_history(&pupil.upn)?;
            pupils.push(RosterPupil {
                pupil,
                admitted,
                left,
                characteristics,
            });
        }
        Ok(Response::Roster(Roster {
            urn: school.urn.clone(),
            la: school.la.clone(),
            pupils,
        }))
    }

    pub(super) fn import_marks(
        &self,
        ctx: &Ctx,
        file: &str,
        csv: &str,
        dry_run: bool,
        recorded_at: Option<OtherSchool>,
    ) -> Result<Response> {
        if ctx.staff.role != crate::domain::register::Role::Admin {
            return super::core::refused("marks from another system are imported by an admin");
        }
        let elsewhere = match recorded_at {
            Some(at) => {
                let at = OtherSchool::checked(&at.la, &at.estab, &at.name)
                    .map_err(ServiceError::Invalid)?;
                (!is_this_school(ctx.school()?, &at.la, &at.estab)).then_some(at)
            }
            None => None,
        };
        // Row by row, twice: on a read, every problem found (a file with any is refused
        // without holding up marking); then in one write, all of it or nothing. Neither pass
        // holds more of the file than a row.
        {
            let mut r = self.store.read()?;
            let mut looked = Imported::new(file, dry_run, elsewhere.clone());
            let rows = each_mark_row(file, csv, |row| looked.row(&mut r, ctx, row))
                .map_err(ServiceError::Invalid)?;
            looked.finish(rows)?;
        }
        let mut imported = Imported::new(file, dry_run, elsewhere);
        let summary = self.store.write(|w| {
            let rows = each_mark_row(file, csv, |row| imported.row(w, ctx, row))
                .map_err(ServiceError::Invalid)?;
            let summary = imported.finish(rows)?;
            if dry_run {
                w.discard();
            } else {
                w.log_import(
                    file,
                    ctx.now,
                    &ctx.staff.account,
                    summary.added + summary.replaced,
                )?;
            }
            Ok::<_, ServiceError>(summary)
        })?;
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::MarksImported(summary))
    }
}

/// An import of marks as it goes, row by row.
struct Imported<'a> {
    file: &'a str,
    /// Another school's registers: kept apart under it.
    elsewhere: Option<OtherSchool>,
    summary: MarksImported,
    codes: BTreeMap<String, u32>,
    problems: crate::service::import::Problems,
    /// A store error stops the import; the first is the answer.
    failed: Option<ServiceError>,
    /// Pupils looked up once each, with their groups (a year's file names each a few
    /// hundred times): date of birth and memberships are all a row needs.
    pupils: std::collections::HashMap<String, Option<Known>>,
    /// Each pupil-month's marks read once for all its rows (and kept up to date with what
    /// this import writes); let go once it holds a few thousand, so it stays small for a
    /// file in date order (as exports are) and merely slower for one that is not.
    /// By pupil, then month: looked up by the row's UPN as it is, without a copy.
    months: std::collections::HashMap<String, Vec<(u32, MonthMarks)>>,
    months_held: usize,
}

/// What an import needs of a pupil: their date of birth and every group they were in.
struct Known {
    dob: chrono::NaiveDate,
    memberships: Vec<crate::domain::marks::Membership>,
}

impl Known {
    fn group_on(&self, date: chrono::NaiveDate) -> Option<String> {
        self.memberships
            .iter()
            .rev()
            .find(|m| m.covers(date))
            .map(|m| m.group.clone())
    }
}

/// A pupil-month's marks as entered (code, arrival, minutes late, note), each with its day
/// and session: what an import compares and records as what was there before.
type MonthMarks = Vec<(u8, Session, crate::domain::marks::MarkEntry)>;

/// The pupil-months an import keeps read at once.
const MONTHS_KEPT: usize = 4_000;

impl<'a> Imported<'a> {
    fn new(file: &'a str, dry_run: bool, elsewhere: Option<OtherSchool>) -> Imported<'a> {
        Imported {
            file,
            summary: MarksImported {
                file: file.to_string(),
                dry_run,
                elsewhere: elsewhere.clone(),
                ..MarksImported::default()
            },
            elsewhere,
            codes: BTreeMap::new(),
            problems: Default::default(),
            failed: None,
            pupils: Default::default(),
            months: Default::default(),
            months_held: 0,
        }
    }

    /// The mark already in a session, from its pupil-month read once.
    fn existing(
        &mut self,
        s: &impl Arrive,
        key: &SessionKey,
    ) -> Result<Option<crate::domain::marks::MarkEntry>> {
        let month = crate::store::month::month_of(key.date);
        let held = self
            .months
            .get(key.upn.as_str())
            .is_some_and(|months| months.iter().any(|(m, _)| *m == month));
        if !held {
            if self.months_held >= MONTHS_KEPT {
                self.months.clear();
                self.months_held = 0;
            }
            let marks = s
                .month_marks(&key.upn, key.date)?
                .into_iter()
                .map(|(day, session, mark)| (day, session, mark.entry()))
                .collect();
            self.months
                .entry(key.upn.clone())
                .or_default()
                .push((month, marks));
            self.months_held += 1;
        }
        let day = chrono::Datelike::day(&key.date) as u8;
        Ok(self.month_of(key).and_then(|marks| {
            marks
                .iter()
                .find(|(d, session, _)| *d == day && *session == key.session)
                .map(|(_, _, m)| m.clone())
        }))
    }

    fn month_of(&mut self, key: &SessionKey) -> Option<&mut MonthMarks> {
        let month = crate::store::month::month_of(key.date);
        self.months
            .get_mut(key.upn.as_str())?
            .iter_mut()
            .find(|(m, _)| *m == month)
            .map(|(_, marks)| marks)
    }

    /// Keeps the pupil-month read in step with a mark this import wrote.
    fn wrote(&mut self, key: &SessionKey, mark: &Mark) {
        if let Some(marks) = self.month_of(key) {
            let day = chrono::Datelike::day(&key.date) as u8;
            marks.retain(|(d, session, _)| !(*d == day && *session == key.session));
            marks.push((day, key.session, mark.entry()));
        }
    }

    fn row(&mut self, s: &mut impl Arrive, ctx: &Ctx, row: MarkRow) {
        if self.failed.is_some() {
            return;
        }
        let outcome = match self.elsewhere.clone() {
            Some(at) => self.elsewhere_row(s, ctx, &row, &at),
            None => self.own_row(s, ctx, &row),
        };
        if let Err(e) = outcome {
            self.failed = Some(e);
        }
    }

    /// The pupil (date of birth) and their group on a date, looked up once a pupil.
    fn pupil_on(
        &mut self,
        s: &impl Arrive,
        upn: &str,
        date: chrono::NaiveDate,
    ) -> Result<Option<(chrono::NaiveDate, Option<String>)>> {
        if !self.pupils.contains_key(upn) {
            let known = match s.pupil(upn)? {
                Some(p) => Some(Known {
                    dob: p.dob,
                    memberships: s.memberships(upn)?,
                }),
                None => None,
            };
            self.pupils.insert(upn.to_string(), known);
        }
        Ok(self.pupils[upn].as_ref().map(|k| (k.dob, k.group_on(date))))
    }

    fn counted(&mut self, row: &MarkRow) {
        *self.codes.entry(row.code.to_string()).or_default() += 1;
        let s = &mut self.summary;
        s.from = Some(s.from.map_or(row.date, |d| d.min(row.date)));
        s.to = Some(s.to.map_or(row.date, |d| d.max(row.date)));
    }

    /// A row of this school's registers: a session that exists, for a pupil on roll, with a
    /// code that fits (SPEC §7); a mark already there with another code is replaced, as an
    /// amendment whose reason is the file.
    fn own_row(&mut self, s: &mut impl Arrive, ctx: &Ctx, row: &MarkRow) -> Result<()> {
        let file = self.file;
        let school = ctx.school()?;
        let Some((dob, on_roll)) = self.pupil_on(s, &row.upn, row.date)? else {
            self.problems.push(format!(
                "{file}: row {}, column upn: no pupil with UPN {}: import the pupils first",
                row.row, row.upn
            ));
            return Ok(());
        };
        let begun = school.has_begun(row.date, row.session, ctx.now);
        let fits = MarkFor {
            dob,
            on_roll: on_roll.is_some(),
        };
        if let Some(why) = unfit_record(
            &school.calendar,
            row.code,
            row.date,
            row.session,
            begun,
            fits,
        ) {
            self.problems
                .push(format!("{file}: row {}: {}: {why}", row.row, row.upn));
            return Ok(());
        }
        if on_roll.is_none() && row.code != crate::domain::codes::Code::Z {
            self.problems.push(format!(
                "{file}: row {}: {} was not on roll on {} (before admission or after \
                 leaving): their roll here says when they were",
                row.row, row.upn, row.date
            ));
            return Ok(());
        }
        let Some(group) = row.group.clone().or(on_roll) else {
            self.problems.push(format!(
                "{file}: row {}, column group: {} was in no group on {}: add a group column",
                row.row, row.upn, row.date
            ));
            return Ok(());
        };
        let key = SessionKey {
            date: row.date,
            session: row.session,
            upn: row.upn.clone(),
        };
        let mark = Mark {
            code: row.code,
            arrived: row.arrived,
            minutes_late: row.minutes_late,
            note: row.note.clone(),
            group,
            recorded_by: ctx.staff.account.clone(),
            recorded_by_office: true,
            recorded_at: ctx.now,
        };
        let before = self.existing(s, &key)?;
        if before.as_ref().is_some_and(|b| *b == mark.entry()) {
            self.summary.unchanged += 1;
            return Ok(());
        }
        // A new mark is its own record (who imported it, when); one it replaces keeps its
        // history, with the file as the reason.
        let change = Change {
            source: Some(Source::Import {
                file: file.to_string(),
            }),
            kind: if before.is_some() {
                ChangeKind::Amendment
            } else {
                ChangeKind::Mark
            },
            before: before.clone(),
            after: Some(mark.entry()),
            reason: before.as_ref().map(|_| format!("imported from {file}")),
            at: ctx.now,
            account: ctx.staff.account.clone(),
            name: ctx.staff.name.clone(),
            position: ctx.staff.position.clone(),
        };
        s.put_mark(&key, &mark, &change)?;
        self.wrote(&key, &mark);
        if before.is_some() {
            self.summary.replaced += 1;
        } else {
            self.summary.added += 1;
        }
        self.counted(row);
        Ok(())
    }

    /// A row of another school's registers: a session that can have been (a weekday, not
    /// present in the future, a code that fits the pupil), kept apart under that school,
    /// never over a different mark. Only the code is kept: arrival times and notes are that
    /// school's record.
    fn elsewhere_row(
        &mut self,
        s: &mut impl Arrive,
        ctx: &Ctx,
        row: &MarkRow,
        at: &OtherSchool,
    ) -> Result<()> {
        let file = self.file;
        let school = ctx.school()?;
        let Some((dob, _)) = self.pupil_on(s, &row.upn, row.date)? else {
            self.problems.push(format!(
                "{file}: row {}, column upn: no pupil with UPN {}: import the pupils first",
                row.row, row.upn
            ));
            return Ok(());
        };
        let begun = school.has_begun(row.date, row.session, ctx.now);
        if let Some(why) = unfit_elsewhere(row.code, row.date, row.session, begun, dob) {
            self.problems
                .push(format!("{file}: row {}: {}: {why}", row.row, row.upn));
            return Ok(());
        }
        let key = SessionKey {
            date: row.date,
            session: row.session,
            upn: row.upn.clone(),
        };
        match s.mark_elsewhere(&key)? {
            Some(m) if m.code == row.code && &m.school == at => self.summary.unchanged += 1,
            Some(m) => self.problems.push(format!(
                "{file}: row {}: {} {} {}: rollcall has {} from {}: nothing recorded at \
                 another school is overwritten",
                row.row,
                row.upn,
                row.date,
                row.session.label(),
                m.code,
                m.school.name
            )),
            None => {
                s.put_mark_elsewhere(&key, row.code, at, ctx)?;
                self.summary.added += 1;
                self.counted(row);
            }
        }
        Ok(())
    }

    /// The summary, or why the import saves nothing.
    fn finish(&mut self, rows: u32) -> Result<MarksImported> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        std::mem::take(&mut self.problems)
            .into_result()
            .map_err(ServiceError::Invalid)?;
        let mut summary = std::mem::take(&mut self.summary);
        summary.rows = rows;
        summary.by_code = std::mem::take(&mut self.codes).into_iter().collect();
        Ok(summary)
    }
}

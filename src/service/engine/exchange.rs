//! Data crossing rollcall's boundary: historic marks from an old system (all or nothing,
//! `--dry-run` to see first; another school's kept apart) and the roster. Each import is logged (by whom, when, from which
//! file), and the marks it made carry the importer and the import's time.

use super::core::{Engine, Result};
use super::ctf::is_this_school;
use super::ctx::Ctx;
use crate::domain::marks::Source;
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::people::OtherSchool;
use crate::domain::register::ChangeKind;
use crate::domain::validity::{MarkFor, unfit_elsewhere, unfit_record};
use crate::service::error::ServiceError;
use crate::service::import::MarkRow;
use crate::service::import::parse_marks;
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
            pupils.push(RosterPupil {
                pupil,
                admitted,
                left,
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
        let rows = parse_marks(file, csv).map_err(ServiceError::Invalid)?;
        if let Some(at) = recorded_at {
            let at =
                OtherSchool::checked(&at.la, &at.estab, &at.name).map_err(ServiceError::Invalid)?;
            if !is_this_school(ctx.school()?, &at.la, &at.estab) {
                return self.import_marks_elsewhere(ctx, file, &rows, dry_run, at);
            }
        }
        let mut summary = MarksImported {
            file: file.to_string(),
            rows: rows.len() as u32,
            dry_run,
            ..MarksImported::default()
        };
        let mut codes: BTreeMap<String, u32> = BTreeMap::new();
        let school = ctx.school()?;
        self.store.write(|w| {
            let mut problems = crate::service::import::Problems::default();
            for row in &rows {
                let Some(pupil) = w.pupil(&row.upn)? else {
                    problems.push(format!(
                        "{file}: row {}, column upn: no pupil with UPN {}: import the pupils first",
                        row.row, row.upn
                    ));
                    continue;
                };
                // SPEC §7: a session that exists, for a pupil on roll, with a code that fits.
                let on_roll = w.group_on(&row.upn, row.date)?;
                let begun = school.sessions.has_begun(row.date, row.session, ctx.now);
                let fits = MarkFor {
                    dob: pupil.dob,
                    on_roll: on_roll.is_some(),
                };
                if let Some(why) =
                    unfit_record(&school.calendar, row.code, row.date, row.session, begun, fits)
                {
                    problems.push(format!("{file}: row {}: {}: {why}", row.row, row.upn));
                    continue;
                }
                if on_roll.is_none() && row.code != crate::domain::codes::Code::Z {
                    problems.push(format!(
                        "{file}: row {}: {} was not on roll on {} (before admission or after \
                         leaving): their roll here says when they were",
                        row.row, row.upn, row.date
                    ));
                    continue;
                }
                let Some(group) = row.group.clone().or(on_roll) else {
                    problems.push(format!(
                        "{file}: row {}, column group: {} was in no group on {}: add a group column",
                        row.row, row.upn, row.date
                    ));
                    continue;
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
                let before = w.mark(&key)?;
                if before.as_ref().is_some_and(|b| b.entry() == mark.entry()) {
                    summary.unchanged += 1;
                    continue;
                }
                // A new mark is its own record (who imported it, when); one it replaces keeps
                // its history, with the file as the reason.
                let change = Change {
                    source: Some(Source::Import {
                        file: file.to_string(),
                    }),
                    kind: if before.is_some() {
                        ChangeKind::Amendment
                    } else {
                        ChangeKind::Mark
                    },
                    before: before.as_ref().map(Mark::entry),
                    after: Some(mark.entry()),
                    reason: before.as_ref().map(|_| format!("imported from {file}")),
                    at: ctx.now,
                    account: ctx.staff.account.clone(),
                    name: ctx.staff.name.clone(),
                    position: ctx.staff.position.clone(),
                };
                w.put_mark(&key, &mark, &change)?;
                if before.is_some() {
                    summary.replaced += 1;
                } else {
                    summary.added += 1;
                }
                *codes.entry(row.code.to_string()).or_default() += 1;
                summary.from = Some(summary.from.map_or(row.date, |d| d.min(row.date)));
                summary.to = Some(summary.to.map_or(row.date, |d| d.max(row.date)));
            }
            problems.into_result().map_err(ServiceError::Invalid)?;
            if dry_run {
                w.discard();
            } else {
                w.log_import(file, ctx.now, &ctx.staff.account, summary.added + summary.replaced)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        summary.by_code = codes.into_iter().collect();
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::MarksImported(summary))
    }

    /// Another school's registers: each row a session that can have been (a weekday, not
    /// present in the future, a code that fits the pupil), kept apart under that school,
    /// never over a different mark. Only the code is kept: arrival times and notes are that
    /// school's record.
    fn import_marks_elsewhere(
        &self,
        ctx: &Ctx,
        file: &str,
        rows: &[MarkRow],
        dry_run: bool,
        at: OtherSchool,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let mut summary = MarksImported {
            file: file.to_string(),
            rows: rows.len() as u32,
            dry_run,
            elsewhere: Some(at.clone()),
            ..MarksImported::default()
        };
        let mut codes: BTreeMap<String, u32> = BTreeMap::new();
        self.store.write(|w| {
            let mut problems = crate::service::import::Problems::default();
            for row in rows {
                let Some(pupil) = w.pupil(&row.upn)? else {
                    problems.push(format!(
                        "{file}: row {}, column upn: no pupil with UPN {}: import the pupils first",
                        row.row, row.upn
                    ));
                    continue;
                };
                let begun = school.sessions.has_begun(row.date, row.session, ctx.now);
                if let Some(why) =
                    unfit_elsewhere(row.code, row.date, row.session, begun, pupil.dob)
                {
                    problems.push(format!("{file}: row {}: {}: {why}", row.row, row.upn));
                    continue;
                }
                let key = SessionKey {
                    date: row.date,
                    session: row.session,
                    upn: row.upn.clone(),
                };
                match w.mark_elsewhere(&key)? {
                    Some(m) if m.code == row.code && m.school == at => summary.unchanged += 1,
                    Some(m) => problems.push(format!(
                        "{file}: row {}: {} {} {}: rollcall has {} from {}: nothing recorded \
                         at another school is overwritten",
                        row.row,
                        row.upn,
                        row.date,
                        row.session.label(),
                        m.code,
                        m.school.name
                    )),
                    None => {
                        w.put_mark_elsewhere(&key, row.code, &at, ctx.now, &ctx.staff.account)?;
                        summary.added += 1;
                        *codes.entry(row.code.to_string()).or_default() += 1;
                        summary.from = Some(summary.from.map_or(row.date, |d| d.min(row.date)));
                        summary.to = Some(summary.to.map_or(row.date, |d| d.max(row.date)));
                    }
                }
            }
            problems.into_result().map_err(ServiceError::Invalid)?;
            if dry_run {
                w.discard();
            } else {
                w.log_import(file, ctx.now, &ctx.staff.account, summary.added)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        summary.by_code = codes.into_iter().collect();
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::MarksImported(summary))
    }
}

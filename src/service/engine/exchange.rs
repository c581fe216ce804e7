//! Data crossing rollcall's boundary: historic marks from an old system (all or nothing,
//! `--dry-run` to see first) and backups. Each import is logged (by whom, when, from which
//! file), and the marks it made carry the importer and the import's time.

use super::context::Ctx;
use super::{Engine, Result};
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::register::ChangeKind;
use crate::service::ServiceError;
use crate::service::import::parse_marks;
use crate::service::protocol::*;
use std::collections::BTreeMap;

impl Engine {
    /// Every pupil with their dates on roll: what the DfE's feed says about each (office).
    pub(super) fn roster(&self, ctx: &Ctx) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return super::refused("the pupil roster is for office staff");
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
    ) -> Result<Response> {
        if ctx.staff.role != crate::domain::register::Role::Admin {
            return super::refused("marks from another system are imported by an admin");
        }
        let rows = parse_marks(file, csv).map_err(ServiceError::Invalid)?;
        let mut summary = MarksImported {
            file: file.to_string(),
            rows: rows.len() as u32,
            dry_run,
            ..MarksImported::default()
        };
        let mut codes: BTreeMap<String, u32> = BTreeMap::new();
        self.store.write(|w| {
            let mut problems = Vec::new();
            for row in &rows {
                let group = match &row.group {
                    Some(g) => Some(g.clone()),
                    None => w.group_on(&row.upn, row.date)?,
                };
                if w.pupil(&row.upn)?.is_none() {
                    problems.push(format!(
                        "{file}: row {}, column upn: no pupil with UPN {}: import the pupils first",
                        row.row, row.upn
                    ));
                    continue;
                }
                let Some(group) = group else {
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
            crate::service::import::all_or_nothing(problems).map_err(ServiceError::Invalid)?;
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
}

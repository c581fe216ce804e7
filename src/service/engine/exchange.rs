//! Data crossing rollcall's boundary: historic marks from an old system (all or nothing,
//! `--dry-run` to see first) and backups. Each import is logged (by whom, when, from which
//! file), and the marks it made carry the importer and the import's time.

use super::core::{Engine, Result};
use super::ctx::Ctx;
use crate::domain::marks::Source;
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::register::ChangeKind;
use crate::domain::validity::{MarkFor, unfit_record};
use crate::service::error::ServiceError;
use crate::service::import::parse_marks;
use crate::service::protocol::*;
use std::collections::BTreeMap;

impl Engine {
    pub(super) fn export_ctf(
        &self,
        ctx: &Ctx,
        group: Option<String>,
        upns: Vec<String>,
        dest_la: &str,
        dest_estab: &str,
    ) -> Result<Response> {
        use crate::service::ctf::*;
        if !ctx.staff.role.is_office() {
            return super::core::refused("common transfer files are made by office staff");
        }
        let school = ctx.school()?;
        for (what, value, digits) in [("--dest-la", dest_la, 3), ("--dest-estab", dest_estab, 4)] {
            if value.len() != digits || !value.chars().all(|c| c.is_ascii_digit()) {
                return super::core::invalid(format!(
                    "{what} `{value}` is not a {digits}-digit number (the DfE's number for it)"
                ));
            }
        }
        let today = ctx.now.date();
        let r = self.store.read()?;
        let upns = match (&group, upns.is_empty()) {
            (_, false) => upns,
            (Some(g), true) => {
                self.known_group(school, g)?;
                r.roll(g, today)?
            }
            (None, true) => return super::core::invalid("name a --group or one --pupil or more"),
        };
        let (lea, estab) = (
            school.la.clone().unwrap_or_default(),
            school.estab.clone().unwrap_or_default(),
        );
        let mut pupils = Vec::new();
        let mut marks = 0u32;
        for upn in &upns {
            let pupil = r
                .pupil(upn)?
                .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
            let codes = r.pupil_codes(
                upn,
                crate::domain::dates::earliest(),
                crate::domain::dates::latest(),
            )?;
            // A YearData per school year, its marks from the first marked day to the last.
            let mut by_year: BTreeMap<
                i32,
                Vec<(
                    chrono::NaiveDate,
                    crate::domain::session::Session,
                    crate::domain::codes::Code,
                )>,
            > = BTreeMap::new();
            for mark in codes {
                let year = chrono::Datelike::year(
                    &crate::domain::calendar::Calendar::academic_year_start(mark.0),
                );
                by_year.entry(year).or_default().push(mark);
            }
            let mut years = Vec::new();
            for (year, list) in by_year {
                let start = list.first().map(|m| m.0).unwrap_or(today);
                let end = list.last().map(|m| m.0).unwrap_or(today);
                let days = (end - start).num_days() as usize + 1;
                let mut chars = vec![NO_MARK; days * 2];
                let mut tally = crate::domain::stats::Tally::default();
                for (date, session, code) in &list {
                    let i = (*date - start).num_days() as usize * 2 + session.index() as usize;
                    chars[i] = mark_char(*code);
                    tally.add_code(*code, *date);
                    marks += 1;
                }
                years.push(CtfYear {
                    year,
                    lea: lea.clone(),
                    estab: estab.clone(),
                    school_name: school.name.clone(),
                    possible: tally.possible(),
                    authorised: tally.authorised,
                    attended: tally.attended(),
                    unauthorised: tally.unauthorised,
                    start,
                    marks: chars.into_iter().collect(),
                });
            }
            pupils.push(CtfPupil {
                upn: pupil.upn,
                surname: pupil.surname,
                forename: pupil.forename,
                dob: pupil.dob,
                sex: pupil.sex,
                years,
            });
        }
        let file = CtfFile {
            date_time: ctx.now,
            source: CtfSchool {
                lea,
                estab,
                name: school.name.clone(),
                academic_year: chrono::Datelike::year(
                    &crate::domain::calendar::Calendar::academic_year_start(today),
                ),
            },
            dest_lea: dest_la.to_string(),
            dest_estab: dest_estab.to_string(),
            pupils,
        };
        Ok(Response::Ctf {
            xml: write(&file),
            pupils: file.pupils.len() as u32,
            marks,
        })
    }

    pub(super) fn import_ctf(
        &self,
        ctx: &Ctx,
        file: &str,
        xml: &str,
        dry_run: bool,
    ) -> Result<Response> {
        if ctx.staff.role != crate::domain::register::Role::Admin {
            return super::core::refused("common transfer files are imported by an admin");
        }
        let ctf = crate::service::ctf::read(xml).map_err(|errors| {
            ServiceError::Invalid(
                crate::service::import::all_or_nothing(
                    errors.into_iter().map(|e| format!("{file}: {e}")).collect(),
                )
                .unwrap_err(),
            )
        })?;
        let today = ctx.now.date();
        let mut summary = CtfImported {
            dry_run,
            ..CtfImported::default()
        };
        self.store.write(|w| {
            let mut problems = Vec::new();
            for p in &ctf.pupils {
                match w.pupil(&p.upn)? {
                    Some(_) => summary.pupils_known += 1,
                    None => {
                        w.put_pupil(&crate::domain::people::Pupil {
                            upn: p.upn.clone(),
                            surname: p.surname.clone(),
                            forename: p.forename.clone(),
                            dob: p.dob,
                            year: crate::domain::people::year_group_for(p.dob, today),
                            sex: p.sex,
                        })?;
                        summary.pupils_added += 1;
                    }
                }
                for y in &p.years {
                    // Marks from another school keep its name as their group.
                    let group = y.school_name.clone();
                    for (date, session, code) in y.sessions().map_err(ServiceError::Invalid)? {
                        let key = SessionKey {
                            date,
                            session,
                            upn: p.upn.clone(),
                        };
                        let mark = Mark {
                            code,
                            arrived: None,
                            minutes_late: None,
                            note: None,
                            group: group.clone(),
                            recorded_by: ctx.staff.account.clone(),
                            recorded_by_office: true,
                            recorded_at: ctx.now,
                        };
                        match w.mark(&key)? {
                            Some(m) if m.code == code => summary.marks_unchanged += 1,
                            Some(m) => problems.push(format!(
                                "{file}: {} {date} {}: the file says {code}, rollcall has {}: \
                                 nothing is overwritten by a transfer file",
                                p.upn,
                                session.label(),
                                m.code
                            )),
                            None => {
                                let change = Change {
                                    kind: ChangeKind::Mark,
                                    source: Some(Source::TransferFile {
                                        file: file.to_string(),
                                    }),
                                    before: None,
                                    after: Some(mark.entry()),
                                    reason: None,
                                    at: ctx.now,
                                    account: ctx.staff.account.clone(),
                                    name: ctx.staff.name.clone(),
                                    position: ctx.staff.position.clone(),
                                };
                                w.put_mark(&key, &mark, &change)?;
                                summary.marks_added += 1;
                            }
                        }
                    }
                }
            }
            crate::service::import::all_or_nothing(problems).map_err(ServiceError::Invalid)?;
            if dry_run {
                w.discard();
            } else {
                w.log_import(file, ctx.now, &ctx.staff.account, summary.marks_added)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::CtfImported(summary))
    }

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
    ) -> Result<Response> {
        if ctx.staff.role != crate::domain::register::Role::Admin {
            return super::core::refused("marks from another system are imported by an admin");
        }
        let rows = parse_marks(file, csv).map_err(ServiceError::Invalid)?;
        let mut summary = MarksImported {
            file: file.to_string(),
            rows: rows.len() as u32,
            dry_run,
            ..MarksImported::default()
        };
        let mut codes: BTreeMap<String, u32> = BTreeMap::new();
        let school = ctx.school()?;
        self.store.write(|w| {
            let mut problems = Vec::new();
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

//! Transfer files (SPEC §6.1): a pupil's attendance leaves with them, each school year under
//! the school that recorded it, and arrives the same way. This school's own years become its
//! marks; another school's years are kept apart (`external_marks`), in none of this school's
//! figures, shown apart in the pupil's year and written back under that school.

use super::arrive::Arrive;
use super::core::{Engine, Result, invalid, refused};
use super::ctx::Ctx;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::Code;
use crate::domain::marks::{Change, Mark, SessionKey, Source};
use crate::domain::people::{OtherSchool, Pupil};
use crate::domain::register::{ChangeKind, Role};
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::domain::validity::{MarkFor, hash_is_no_session, unfit_elsewhere, unfit_record};
use crate::service::ctf::*;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

type Sessions = Vec<(NaiveDate, Session, Code)>;

/// This school as a transfer file names it.
pub(super) fn this_school(school: &School) -> OtherSchool {
    OtherSchool {
        la: school.la.clone().unwrap_or_default(),
        estab: school.estab.clone().unwrap_or_default(),
        name: school.name.clone(),
    }
}

/// Whether a year's LA and establishment number are this school's own.
pub(super) fn is_this_school(school: &School, la: &str, estab: &str) -> bool {
    school.la.as_deref().is_some_and(|l| l == la.trim())
        && school.estab.as_deref().is_some_and(|e| e == estab.trim())
}

/// One `YearData`: a school year's marks at one school, from its first marked day to its
/// last, with the year's figures. `marks` is in session order.
fn year_data(year: i32, school: &OtherSchool, marks: &[(NaiveDate, Session, Code)]) -> CtfYear {
    let start = marks.first().map_or(NaiveDate::MIN, |m| m.0);
    let end = marks.last().map_or(start, |m| m.0);
    let days = (end - start).num_days().max(0) as usize + 1;
    let mut chars = vec![NO_MARK; days * 2];
    let mut tally = Tally::default();
    for (date, session, code) in marks {
        let i = (*date - start).num_days() as usize * 2 + session.index() as usize;
        chars[i] = mark_char(*code);
        tally.add_code(*code, *date);
    }
    CtfYear {
        year,
        lea: school.la.clone(),
        estab: school.estab.clone(),
        school_name: school.name.clone(),
        possible: tally.possible(),
        authorised: tally.authorised,
        attended: tally.attended(),
        unauthorised: tally.unauthorised,
        start,
        marks: chars.into_iter().collect(),
    }
}

fn academic_year(date: NaiveDate) -> i32 {
    Calendar::academic_year_start(date).year()
}

/// What one transfer file's import found, as it goes.
struct Arrivals<'a> {
    file: &'a str,
    summary: CtfImported,
    problems: crate::service::import::Problems,
}

impl Engine {
    pub(super) fn export_ctf(
        &self,
        ctx: &Ctx,
        group: Option<String>,
        upns: Vec<String>,
        dest_la: &str,
        dest_estab: &str,
    ) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("common transfer files are made by office staff");
        }
        let school = ctx.school()?;
        for (what, value, digits) in [("--dest-la", dest_la, 3), ("--dest-estab", dest_estab, 4)] {
            if value.len() != digits || !value.chars().all(|c| c.is_ascii_digit()) {
                return invalid(format!(
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
            (None, true) => return invalid("name a --group or one --pupil or more"),
        };
        let mut found = Vec::new();
        for upn in &upns {
            found.push(
                r.pupil(upn)?
                    .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?,
            );
        }
        // Sex is mandatory in the CTF's core data: a file without it is not a transfer file.
        let without: Vec<String> = found
            .iter()
            .filter(|p| p.sex.is_none())
            .map(|p| format!("{} {}", p.upn, p.display_name()))
            .collect();
        if !without.is_empty() {
            return invalid(format!(
                "a transfer file needs each pupil's sex (mandatory in the CTF's core data), and \
                 {} pupil(s) have none: {}. Add a sex column (F or M) to the pupil list and \
                 import it again",
                without.len(),
                without.join("; ")
            ));
        }
        let here = this_school(school);
        let mut pupils = Vec::new();
        let mut marks = 0u32;
        for pupil in found {
            // A YearData per school year and school, each under the school that recorded it.
            let mut by_year: BTreeMap<(i32, OtherSchool), Sessions> = BTreeMap::new();
            let (earliest, latest) = (
                crate::domain::dates::earliest(),
                crate::domain::dates::latest(),
            );
            for mark in r.pupil_codes(&pupil.upn, earliest, latest)? {
                // Sessions yet to come (a planned absence pre-entered) are not the pupil's
                // record yet: the receiving school would count them as possible.
                if !school.has_begun(mark.0, mark.1, ctx.now) {
                    continue;
                }
                by_year
                    .entry((academic_year(mark.0), here.clone()))
                    .or_default()
                    .push(mark);
            }
            for m in r.marks_elsewhere(&pupil.upn, earliest, latest)? {
                by_year
                    .entry((academic_year(m.date), m.school))
                    .or_default()
                    .push((m.date, m.session, m.code));
            }
            let mut years: Vec<CtfYear> = by_year
                .iter()
                .map(|((year, at), list)| {
                    marks += list.len() as u32;
                    year_data(*year, at, list)
                })
                .collect();
            years.sort_by_key(|y| (y.year, y.start));
            // What the school knows of them: the characteristics where recorded, the contacts.
            let traits = if r.characteristics_history(&pupil.upn)?.is_empty() {
                CtfTraits::default()
            } else {
                CtfTraits::of(&r.characteristics(&pupil.upn, today)?)
            };
            let contacts = r.contacts(&pupil.upn)?;
            pupils.push(CtfPupil {
                contacts,
                contacts_left_out: 0,
                traits,
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
                lea: here.la,
                estab: here.estab,
                name: here.name,
                academic_year: academic_year(today),
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
        if ctx.staff.role != Role::Admin {
            return refused("common transfer files are imported by an admin");
        }
        let ctf = read(xml).map_err(|errors| {
            ServiceError::Invalid(
                crate::service::import::all_or_nothing(
                    errors.into_iter().map(|e| format!("{file}: {e}")).collect(),
                )
                .unwrap_err(),
            )
        })?;
        // A file from the future is a wrong clock or a forged file: what it says "as of" its
        // date cannot be taken for today.
        if ctf.date_time.date() > ctx.now.date() {
            return invalid(format!(
                "{file}: CTfile/Header/DateTime is {}, after today: a transfer file is made before \
                 it is read",
                ctf.date_time.format("%Y-%m-%d %H:%M")
            ));
        }
        // First on a read: a file with problems is refused without holding up marking.
        {
            let mut r = self.store.read()?;
            let mut looked = Arrivals {
                file,
                summary: CtfImported::default(),
                problems: Default::default(),
            };
            arrive_file(&mut r, ctx, &ctf, &mut looked)?;
            looked
                .problems
                .into_result()
                .map_err(ServiceError::Invalid)?;
        }
        let mut arrivals = Arrivals {
            file,
            summary: CtfImported {
                dry_run,
                ..CtfImported::default()
            },
            problems: Default::default(),
        };
        self.store.write(|w| {
            arrive_file(w, ctx, &ctf, &mut arrivals)?;
            std::mem::take(&mut arrivals.problems)
                .into_result()
                .map_err(ServiceError::Invalid)?;
            if dry_run {
                w.discard();
            } else {
                let saved = arrivals.summary.marks_added + arrivals.summary.marks_elsewhere;
                w.log_import(file, ctx.now, &ctx.staff.account, saved)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::CtfImported(arrivals.summary))
    }
}

/// Every pupil of a file and their years, worked out on `s` (a read or the write).
fn arrive_file(
    s: &mut impl Arrive,
    ctx: &Ctx,
    ctf: &CtfFile,
    arrivals: &mut Arrivals<'_>,
) -> Result<()> {
    let school = ctx.school()?;
    let today = ctx.now.date();
    let file = arrivals.file;
    for p in &ctf.pupils {
        if p.dob >= today {
            arrivals.problems.push(format!(
                "{file}: {}: born {}: a date of birth is in the past",
                p.upn, p.dob
            ));
            continue;
        }
        let dob = match s.pupil(&p.upn)? {
            // The same UPN for another child is a mistake in one of the two records:
            // refused, never merged.
            Some(known)
                if (known.surname.as_str(), known.forename.as_str(), known.dob)
                    != (p.surname.as_str(), p.forename.as_str(), p.dob) =>
            {
                arrivals.problems.push(format!(
                    "{file}: {}: the file names {}, {} (born {}); rollcall has {} (born {}) \
                     under this UPN: one of the two records is wrong; correct it first",
                    p.upn,
                    p.surname,
                    p.forename,
                    p.dob,
                    known.display_name(),
                    known.dob
                ));
                continue;
            }
            Some(known) => {
                arrivals.summary.pupils_known += 1;
                known.dob
            }
            None => {
                s.put_pupil(&Pupil {
                    upn: p.upn.clone(),
                    surname: p.surname.clone(),
                    forename: p.forename.clone(),
                    dob: p.dob,
                    year: crate::domain::people::year_group_for(p.dob, today),
                    sex: p.sex,
                })?;
                arrivals.summary.pupils_added += 1;
                p.dob
            }
        };
        arrive_people(s, p, today, &mut arrivals.summary)?;
        for (n, y) in p.years.iter().enumerate() {
            let sessions = match y.sessions() {
                Ok(sessions) => sessions,
                Err(why) => {
                    arrivals
                        .problems
                        .push(format!("{file}: {} YearData[{}]: {why}", p.upn, n + 1));
                    continue;
                }
            };
            if is_this_school(school, &y.lea, &y.estab) {
                arrive_here(s, ctx, arrivals, &p.upn, dob, sessions)?;
            } else {
                match OtherSchool::checked(&y.lea, &y.estab, &y.school_name) {
                    Ok(at) => arrive_elsewhere(s, ctx, arrivals, &p.upn, dob, &at, sessions)?,
                    Err(why) => arrivals.problems.push(format!(
                        "{file}: {} YearData[{}]: {why}",
                        p.upn,
                        n + 1
                    )),
                }
            }
        }
    }
    Ok(())
}

/// The contacts and characteristics a file brings. Contacts fill an empty list only: a school
/// that already holds a pupil's contacts holds the newer ones. Characteristics the file
/// states are laid over what was known, dated the day of the import.
fn arrive_people(
    s: &mut impl Arrive,
    p: &crate::service::ctf::CtfPupil,
    today: NaiveDate,
    summary: &mut CtfImported,
) -> Result<()> {
    if !p.contacts.is_empty() {
        if s.contacts(&p.upn)?.is_empty() {
            s.put_contacts(&p.upn, &p.contacts)?;
            summary.contacts_added += p.contacts.len() as u32;
            summary.contacts_left_out += p.contacts_left_out;
        } else {
            summary.contacts_kept += 1;
        }
    }
    let known = s.characteristics(&p.upn, today)?;
    let now = p.traits.over(&known);
    if now != known {
        s.put_characteristics(&p.upn, today, &now)?;
        summary.characteristics_changed += 1;
    }
    Ok(())
}

/// A year this school recorded (a pupil coming back, a file sent to itself): its marks,
/// each a session of this school's that fits the pupil, never over a different mark.
fn arrive_here(
    w: &mut impl Arrive,
    ctx: &Ctx,
    arrivals: &mut Arrivals<'_>,
    upn: &str,
    dob: NaiveDate,
    sessions: Sessions,
) -> Result<()> {
    let school = ctx.school()?;
    let file = arrivals.file;
    for (date, session, code) in sessions {
        if code == Code::Hash && hash_is_no_session(Some(&school.calendar), date, session) {
            arrivals.summary.no_session += 1;
            continue;
        }
        let at = format!("{file}: {upn} {date} {}", session.label());
        let on_roll = w.group_on(upn, date)?;
        let begun = school.has_begun(date, session, ctx.now);
        let fits = MarkFor {
            dob,
            on_roll: on_roll.is_some(),
        };
        if let Some(why) = unfit_record(&school.calendar, code, date, session, begun, fits) {
            arrivals.problems.push(format!("{at}: {why}"));
            continue;
        }
        let Some(group) = on_roll else {
            arrivals.problems.push(format!(
                "{at}: the file says this school recorded {code}, and the pupil was not on \
                 its roll that day: import the pupil list with their admission first"
            ));
            continue;
        };
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        match w.mark(&key)? {
            Some(m) if m.code == code => arrivals.summary.marks_unchanged += 1,
            Some(m) => arrivals.problems.push(format!(
                "{at}: the file says {code}, rollcall has {}: nothing is overwritten by a \
                 transfer file",
                m.code
            )),
            None => {
                let mark = Mark {
                    code,
                    arrived: None,
                    minutes_late: None,
                    note: None,
                    group,
                    recorded_by: ctx.staff.account.clone(),
                    recorded_by_office: true,
                    recorded_at: ctx.now,
                };
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
                arrivals.summary.marks_added += 1;
            }
        }
    }
    Ok(())
}

/// A year another school recorded: kept apart, under that school, each session checked for
/// what can be known here (no weekend, nothing present in the future, a code that fits the
/// pupil), never over a different mark.
fn arrive_elsewhere(
    w: &mut impl Arrive,
    ctx: &Ctx,
    arrivals: &mut Arrivals<'_>,
    upn: &str,
    dob: NaiveDate,
    at_school: &OtherSchool,
    sessions: Sessions,
) -> Result<()> {
    let school = ctx.school()?;
    let file = arrivals.file;
    for (date, session, code) in sessions {
        if code == Code::Hash && hash_is_no_session(None, date, session) {
            arrivals.summary.no_session += 1;
            continue;
        }
        let at = format!(
            "{file}: {upn} {date} {} at {}",
            session.label(),
            at_school.name
        );
        let begun = school.has_begun(date, session, ctx.now);
        if let Some(why) = unfit_elsewhere(code, date, session, begun, dob) {
            arrivals.problems.push(format!("{at}: {why}"));
            continue;
        }
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        match w.mark_elsewhere(&key)? {
            Some(m) if m.code == code && &m.school == at_school => {
                arrivals.summary.marks_unchanged += 1;
            }
            Some(m) => arrivals.problems.push(format!(
                "{at}: the file says {code}, rollcall has {} from {}: nothing is overwritten by \
                 a transfer file",
                m.code, m.school.name
            )),
            None => {
                w.put_mark_elsewhere(&key, code, at_school, ctx)?;
                arrivals.summary.marks_elsewhere += 1;
            }
        }
    }
    Ok(())
}

//! Figures and data out: the marks export, attendance reports and the thresholds reached.

use super::core::{Engine, Result};
use super::ctx::Ctx;
use super::figures::Window;
use crate::domain::School;
use crate::domain::figures::{Detail, compulsory_school_age};
use crate::domain::marks::SessionKey;
use crate::domain::people::Pupil;
use crate::domain::session::Session;
use crate::domain::stats::{Tally, band_for};
use crate::service::protocol::*;
use crate::store::{Kind, Tables};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

impl Engine {
    fn pupils_by_upn<T: Kind>(&self, tx: &Tables<T>) -> Result<HashMap<String, Pupil>> {
        Ok(tx
            .pupils()?
            .into_iter()
            .map(|p| (p.upn.clone(), p))
            .collect())
    }

    /// One page of the marks in a range (see [`Request::ExportMarks`]).
    pub(super) fn export(
        &self,
        ctx: &Ctx,
        from: NaiveDate,
        to: NaiveDate,
        group: Option<String>,
        after: Option<SessionKey>,
        limit: Option<u32>,
    ) -> Result<Response> {
        ordered(from, to)?;
        if let Some(g) = &group {
            self.known_group(ctx.school()?, g)?;
        }
        let limit = limit.unwrap_or(EXPORT_PAGE).clamp(1, EXPORT_PAGE) as usize;
        let r = self.store.read()?;
        // A teacher exports one of their groups' marks, and only those.
        let reach = self.reach_over(&r, ctx, from, to)?;
        if !reach.is_school() {
            let Some(g) = &group else {
                return super::core::refused(
                    "a teacher exports the marks of one of their groups: give --group",
                );
            };
            reach.require_group(g, to)?;
        }
        let pupils = self.pupils_by_upn(&r)?;
        let mut rows = Vec::new();
        let mut next = None;
        r.each_mark_between(from, to, after.as_ref(), |key, mark| {
            if rows.len() == limit {
                // One more exists: the next page starts after the last row of this one.
                let last: &ExportRow = &rows[limit - 1];
                next = Some(SessionKey {
                    date: last.date,
                    session: last.session,
                    upn: last.upn.clone(),
                });
                return Ok(false);
            }
            if group.as_ref().is_some_and(|g| *g != mark.group) {
                return Ok(true);
            }
            let (surname, forename) = pupils
                .get(&key.upn)
                .map(|p| (p.surname.clone(), p.forename.clone()))
                .unwrap_or_default();
            rows.push(ExportRow {
                date: key.date,
                session: key.session,
                upn: key.upn,
                surname,
                forename,
                group: mark.group,
                code: mark.code,
                arrived: mark.arrived,
                minutes_late: mark.minutes_late,
                recorded_by: mark.recorded_by,
                recorded_at: mark.recorded_at,
            });
            Ok(true)
        })?;
        Ok(Response::Marks { rows, next })
    }

    pub(super) fn report(
        &self,
        ctx: &Ctx,
        from: NaiveDate,
        to: NaiveDate,
        by: ReportBy,
        filter: &ReportFilter,
    ) -> Result<Response> {
        ordered(from, to)?;
        let school = ctx.school()?;
        let r = self.store.read()?;
        let pupils = self.pupils_by_upn(&r)?;
        let mut counted = Counted::read(&r, ctx, school, from, to)?;
        // A teacher's report counts the pupils of their groups (on the last day) alone.
        let reach = self.reach_over(&r, ctx, from, to)?;
        let mut theirs = None;
        if !reach.is_school() {
            let mut upns = std::collections::BTreeSet::new();
            for upn in pupils.keys() {
                if reach.pupil(&r, upn, to)? {
                    upns.insert(upn.clone());
                }
            }
            counted.keep(&upns);
            theirs = Some(upns);
        }
        // A cohort: the pupils with the characteristic on the last day (office staff: a
        // teacher's filtered report would tell them who has it).
        if (filter.cohort.is_some() || by == ReportBy::Cohort) && !ctx.staff.role.is_office() {
            return super::core::refused(
                "reports by characteristic are for office staff: they would say who has it",
            );
        }
        if by == ReportBy::Cohort {
            for upn in counted.per_pupil.keys() {
                counted
                    .characteristics
                    .insert(upn.clone(), r.characteristics(upn, to)?);
            }
        }
        if let Some(cohort) = filter.cohort {
            let mut upns = std::collections::BTreeSet::new();
            for upn in pupils.keys() {
                if cohort.holds(&r.characteristics(upn, to)?) {
                    upns.insert(upn.clone());
                }
            }
            counted.keep(&upns);
            theirs = Some(match theirs {
                Some(t) => t.intersection(&upns).cloned().collect(),
                None => upns,
            });
        }
        // The period before: for the comparison, and for who improved on it.
        let improved = filter.only == Some(AbsenceLevel::Improved);
        let mut before = match crate::domain::figures::period_before(from, to) {
            Some((before_from, before_to)) if filter.compare || improved => {
                let mut before = Counted::read(&r, ctx, school, before_from, before_to)?;
                // The same pupils before: a teacher's own, never the school's; each in the
                // cohort they are in now.
                if let Some(upns) = &theirs {
                    before.keep(upns);
                }
                before.characteristics = counted.characteristics.clone();
                Some((before_from, before_to, before))
            }
            _ => None,
        };
        let mut rows = counted.rows(
            by,
            filter,
            &pupils,
            school,
            from,
            before.as_ref().map(|(_, _, b)| b),
        );
        if filter.compare
            && let Some((before_from, before_to, before)) = &mut before
        {
            let (before_from, before_to) = (*before_from, *before_to);
            // The rows before count the same pupils: those the filter keeps in this period
            // (the persistently absent now, of compulsory age now), never the whole school.
            let members: std::collections::BTreeSet<String> = counted
                .per_pupil
                .keys()
                .filter(|u| counted.counts(u, filter, &pupils, school, from, Some(before)))
                .cloned()
                .collect();
            before.keep(&members);
            let before_rows: HashMap<String, ReportRow> = before
                .rows(by, &ReportFilter::default(), &pupils, school, from, None)
                .into_iter()
                .map(|row| (row.key.clone(), row))
                .collect();
            for row in &mut rows {
                let earlier = before_rows.get(&row.key);
                row.previous = Some(PreviousPeriod {
                    from: before_from,
                    to: before_to,
                    possible: earlier.map_or(0, |e| e.tally.possible()),
                    attendance_pct: earlier.and_then(|e| e.attendance_pct),
                });
            }
        }
        Ok(Response::Report { rows })
    }
}

impl Engine {
    /// The census's attendance: pupils of compulsory school age (5 to 15 on the previous 31
    /// August, as the census leaves out the others) with marks in the period, by UPN.
    pub(super) fn census(&self, ctx: &Ctx, from: NaiveDate, to: NaiveDate) -> Result<Response> {
        super::access::office_reads(ctx, "the census (every pupil's details)")?;
        ordered(from, to)?;
        let school = ctx.school()?;
        let r = self.store.read()?;
        let pupils = self.pupils_by_upn(&r)?;
        let counted = Counted::read(&r, ctx, school, from, to)?;
        let mut rows = Vec::new();
        for (upn, (tally, detail)) in &counted.per_pupil {
            let Some(p) = pupils.get(upn) else { continue };
            if !compulsory_school_age(p.dob, from) {
                continue;
            }
            let absence = crate::domain::codes::Code::ALL
                .iter()
                .zip(&detail.codes)
                .filter(|(code, n)| **n > 0 && code.class_on(from).is_absence())
                .map(|(code, n)| (*code, *n))
                .collect();
            rows.push(CensusRow {
                upn: upn.clone(),
                surname: p.surname.clone(),
                forename: p.forename.clone(),
                dob: p.dob,
                year: p.year,
                tally: *tally,
                absence,
            });
        }
        Ok(Response::Census { rows })
    }
}

/// Every pupil's figures over a period, overall and in each group they were marked in.
struct Counted {
    per_pupil: BTreeMap<String, (Tally, Detail)>,
    per_group: BTreeMap<(String, String), (Tally, Detail)>,
    /// Each counted pupil's characteristics on the last day, read for a report by cohort.
    characteristics: HashMap<String, crate::domain::people::Characteristics>,
}

impl Counted {
    /// Only these pupils' counts.
    fn keep(&mut self, upns: &std::collections::BTreeSet<String>) {
        self.per_pupil.retain(|upn, _| upns.contains(upn));
        self.per_group.retain(|(_, upn), _| upns.contains(upn));
    }

    fn read(
        r: &crate::store::Reader,
        ctx: &Ctx,
        school: &School,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Counted> {
        // Per pupil and per (group, pupil): groups are whatever group each mark was made in.
        // Past months count from their summaries (codes, lateness, weekdays); the rest mark by mark.
        let window = Window {
            from,
            to: (to, Session::Pm),
            now: ctx.now,
            school,
        };
        let mut by_id: HashMap<u32, (Tally, Detail)> = HashMap::new();
        let mut by_group_id: HashMap<(u32, u32), (Tally, Detail)> = HashMap::new();
        let (first, last) = (*window.months().start(), *window.months().end());
        r.each_month(first, last, |pupil, m, bytes| {
            // A past month wholly inside the period counts from its summary, marks unread.
            let whole = window
                .whole_summary(m, bytes)
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            if let Some((group, summary)) = whole {
                let first_day = crate::store::month::first_day(m).unwrap_or(from);
                for (tally, detail) in [
                    by_group_id.entry((group, pupil)).or_default(),
                    by_id.entry(pupil).or_default(),
                ] {
                    for (code, n) in &summary.codes {
                        tally.add_sessions(*code, *n, first_day);
                    }
                    detail.add_summary(
                        &summary.codes,
                        summary.timed_lates,
                        summary.minutes_late,
                        &summary.weekdays.unwrap_or_default(),
                    );
                }
                return Ok(true);
            }
            // A month is one pupil's, nearly always in one group: the pupil's totals and the
            // group's are looked up once a month (again only when the group changes), and
            // each mark is added to both where they are.
            // The pupil's and the group's totals taken out while the month's marks are added,
            // put back after (a pupil with no mark counted gets no row).
            let mut mine: Option<(Tally, Detail)> = None;
            let mut current: Option<(u32, (Tally, Detail))> = None;
            window
                .visit_marks(m, bytes, |group, code, date, minutes_late| {
                    // Classified once, counted in the pupil's total and the group's.
                    let class = code.class_on(date);
                    let weekday = chrono::Datelike::weekday(&date).num_days_from_monday() as usize;
                    if current.as_ref().is_none_or(|(g, _)| *g != group) {
                        if let Some((g, totals)) = current.take() {
                            by_group_id.insert((g, pupil), totals);
                        }
                        let totals = by_group_id.remove(&(group, pupil)).unwrap_or_default();
                        current = Some((group, totals));
                    }
                    if let Some((_, (tally, detail))) = current.as_mut() {
                        tally.add_class(class);
                        detail.add_classified(code, class, weekday, minutes_late);
                    }
                    let (tally, detail) =
                        mine.get_or_insert_with(|| by_id.remove(&pupil).unwrap_or_default());
                    tally.add_class(class);
                    detail.add_classified(code, class, weekday, minutes_late);
                })
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            if let Some((g, totals)) = current {
                by_group_id.insert((g, pupil), totals);
            }
            if let Some(totals) = mine {
                by_id.insert(pupil, totals);
            }
            Ok(true)
        })?;
        let upns = r.upns()?;
        let groups = r.group_names()?;
        let upn_of = |id: &u32| upns.get(id).cloned().unwrap_or_default();
        Ok(Counted {
            per_pupil: by_id.into_iter().map(|(id, t)| (upn_of(&id), t)).collect(),
            per_group: by_group_id
                .into_iter()
                .map(|((g, id), t)| {
                    (
                        (groups.get(&g).cloned().unwrap_or_default(), upn_of(&id)),
                        t,
                    )
                })
                .collect(),
            characteristics: HashMap::new(),
        })
    }

    /// Whether a pupil counted in the period is in the report under its filter: of
    /// compulsory school age when asked, and persistently absent, fully attending or
    /// improved on `before` when asked.
    fn counts(
        &self,
        upn: &String,
        filter: &ReportFilter,
        pupils: &HashMap<String, Pupil>,
        school: &School,
        from: NaiveDate,
        before: Option<&Counted>,
    ) -> bool {
        let tally = &self.per_pupil[upn].0;
        let age_ok = !filter.compulsory_age
            || pupils
                .get(upn)
                .is_some_and(|p| compulsory_school_age(p.dob, from));
        let level_ok = match filter.only {
            None => true,
            Some(AbsenceLevel::Pa) => tally.is_persistent_absence(),
            Some(AbsenceLevel::Sa) => tally.is_severe_absence(),
            // Every possible session attended (SPEC §3.7).
            Some(AbsenceLevel::Full) => tally.possible() > 0 && tally.absent() == 0,
            // Up by the school's points on the period before, both periods counted.
            Some(AbsenceLevel::Improved) => {
                let earlier = before
                    .and_then(|b| b.per_pupil.get(upn))
                    .and_then(|(t, _)| t.attendance_pct());
                match (tally.attendance_pct(), earlier) {
                    (Some(now), Some(then)) => now - then >= school.improved_by_points - 1e-9,
                    _ => false,
                }
            }
        };
        age_ok && level_ok
    }

    fn rows(
        &self,
        by: ReportBy,
        filter: &ReportFilter,
        pupils: &HashMap<String, Pupil>,
        school: &School,
        from: NaiveDate,
        before: Option<&Counted>,
    ) -> Vec<ReportRow> {
        let counts = |upn: &String| self.counts(upn, filter, pupils, school, from, before);
        let members: Vec<&String> = self.per_pupil.keys().filter(|u| counts(u)).collect();
        let row = |key: String, label: String, members: &[&String]| -> ReportRow {
            let (mut tally, mut detail) = (Tally::default(), Detail::default());
            let (mut pa, mut sa) = (0, 0);
            for upn in members {
                let (t, d) = &self.per_pupil[*upn];
                tally.merge(t);
                detail.merge(d);
                pa += u32::from(t.is_persistent_absence());
                sa += u32::from(t.is_severe_absence());
            }
            aggregate_row(
                key,
                label,
                members.len() as u32,
                (tally, detail),
                pa,
                sa,
                school,
            )
        };
        let mut rows = match by {
            ReportBy::Pupil => {
                let mut rows: Vec<(Option<&Pupil>, ReportRow)> = members
                    .iter()
                    .map(|upn| {
                        let pupil = pupils.get(*upn);
                        let name = pupil.map(Pupil::display_name).unwrap_or_default();
                        (pupil, row((*upn).clone(), name, &[*upn]))
                    })
                    .collect();
                // Each key made once, not twice per comparison.
                rows.sort_by_cached_key(|(p, r)| (p.map(|p| p.sort_key()), r.key.clone()));
                rows.into_iter().map(|(_, r)| r).collect()
            }
            ReportBy::Group => {
                // A group counts its pupils' sessions in that group; PA and SA are the
                // pupils' own over all their groups.
                let mut groups: BTreeMap<&String, ((Tally, Detail), Vec<&String>)> =
                    BTreeMap::new();
                for ((group, upn), (t, d)) in &self.per_group {
                    if !counts(upn) {
                        continue;
                    }
                    let entry = groups.entry(group).or_default();
                    entry.0.0.merge(t);
                    entry.0.1.merge(d);
                    entry.1.push(upn);
                }
                let mut rows: Vec<ReportRow> = groups
                    .into_iter()
                    .map(|(group, (figures, members))| {
                        let level = |f: fn(&Tally) -> bool| {
                            members.iter().filter(|u| f(&self.per_pupil[**u].0)).count() as u32
                        };
                        aggregate_row(
                            group.clone(),
                            String::new(),
                            members.len() as u32,
                            figures,
                            level(Tally::is_persistent_absence),
                            level(Tally::is_severe_absence),
                            school,
                        )
                    })
                    .collect();
                let order: HashMap<&str, usize> = school
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (g.name.as_str(), i))
                    .collect();
                rows.sort_by_key(|r| {
                    (
                        order.get(r.key.as_str()).copied().unwrap_or(usize::MAX),
                        r.key.clone(),
                    )
                });
                rows
            }
            ReportBy::Year => {
                let mut years: BTreeMap<_, Vec<&String>> = BTreeMap::new();
                for upn in &members {
                    let year = pupils.get(*upn).map(|p| p.year);
                    years.entry(year).or_default().push(upn);
                }
                years
                    .into_iter()
                    .map(|(year, members)| {
                        let key = year.map_or("unknown".to_string(), |y| y.to_string());
                        row(key, String::new(), &members)
                    })
                    .collect()
            }
            ReportBy::School => vec![row(school.name.clone(), String::new(), &members)],
            ReportBy::Cohort => {
                let mut rows = vec![row("all pupils".into(), String::new(), &members)];
                for (name, holds) in COHORT_ROWS {
                    let cohort: Vec<&String> = members
                        .iter()
                        .copied()
                        .filter(|upn| self.characteristics.get(*upn).is_some_and(holds))
                        .collect();
                    rows.push(row(name.into(), String::new(), &cohort));
                }
                rows
            }
        };
        if by != ReportBy::Pupil {
            for r in &mut rows {
                r.label = format!("{} pupils", r.pupils);
            }
        }
        rows
    }
}

/// A range whose end comes before its start is a mistake to report, not an empty answer.
fn ordered(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(crate::service::error::ServiceError::Invalid(format!(
            "the range ends ({to}) before it starts ({from}): give --from the earlier date"
        )));
    }
    Ok(())
}

fn aggregate_row(
    key: String,
    label: String,
    pupils: u32,
    (tally, detail): (Tally, Detail),
    pa: u32,
    sa: u32,
    school: &School,
) -> ReportRow {
    let attendance = tally.attendance_pct();
    ReportRow {
        key,
        label,
        pupils,
        tally,
        attendance_pct: attendance,
        absence_pct: tally.absence_pct(),
        pa,
        sa,
        band: attendance
            .and_then(|pct| band_for(&school.bands, pct))
            .map(|b| b.name.clone()),
        detail,
        previous: None,
    }
}

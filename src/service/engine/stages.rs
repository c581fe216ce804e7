//! Stages of intervention on the desk: who is due at which stage of the school's ladder and
//! why, and a stage's action recorded done or skipped (SPEC §4.9).

use super::core::{Engine, Result, checked_note, invalid};
use super::ctx::Ctx;
use super::desk::{Jot, RUN_LOOKBACK_DAYS, days_away, days_where, office_only};
use super::figures::Window;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::casework::{CaseBody, CaseStep};
use crate::domain::codes::Code;
use crate::domain::desk::{DeskEntry, DeskKind};
use crate::domain::marks::Mark;
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::service::protocol::*;
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

impl Engine {
    pub(super) fn stages(&self, ctx: &Ctx, on: Option<NaiveDate>) -> Result<Response> {
        office_only(ctx, "stages of intervention")?;
        let school = ctx.school()?;
        let date = on.unwrap_or(ctx.now.date());
        let session = Self::session_now(school, ctx, date);
        let year_start = Calendar::academic_year_start(date);
        let r = self.store.read()?;
        let mut done: HashMap<String, Vec<DeskEntry>> = HashMap::new();
        for entry in r.desk_entries(year_start, date)? {
            if entry.kind == DeskKind::StageDone {
                done.entry(entry.upn.clone()).or_default().push(entry);
            }
        }
        let window = Window {
            from: year_start,
            to: (date, session),
            now: ctx.now.min(date.and_hms_opt(23, 59, 59).unwrap_or(ctx.now)),
            school,
        };
        let mut pupils = Vec::new();
        if school.stages.is_empty() {
            return Ok(Response::Stages { pupils });
        }
        let marks: HashMap<String, Mark> = r.marks_on(date, session)?.into_iter().collect();
        let counts_days = school.stages.iter().any(|s| s.days_in_a_row.is_some());
        let counts_illness = school
            .stages
            .iter()
            .any(|s| s.ill_days_without_evidence.is_some());
        let evidence = if counts_illness {
            evidence_received(&r)?
        } else {
            HashMap::new()
        };
        // Every pupil's year to date in one pass over the year's months (a range read), not
        // a lookup a pupil and month; so too each rolling window a stage counts over, and
        // last school year where a stage looks at it.
        let years = tallies(&r, &window)?;
        let mut windows: Vec<(u32, HashMap<u32, Tally>)> = Vec::new();
        let mut lengths: Vec<u32> = school
            .stages
            .iter()
            .filter_map(|s| s.within_school_days)
            .collect();
        lengths.sort_unstable();
        lengths.dedup();
        for days in lengths {
            let back = date
                .checked_sub_days(Days::new(u64::from(days) * 2 + 60))
                .unwrap_or(date);
            let school_days: Vec<NaiveDate> = school.calendar.school_days(back, date).collect();
            let from = school_days
                .iter()
                .rev()
                .nth(days as usize - 1)
                .copied()
                .unwrap_or(back);
            windows.push((days, tallies(&r, &Window { from, ..window })?));
        }
        let last_years = if school
            .stages
            .iter()
            .any(|s| s.last_year_below_percent.is_some())
            && let Some(last_day) = year_start.pred_opt()
        {
            tallies(
                &r,
                &Window {
                    from: Calendar::academic_year_start(last_day),
                    to: (last_day, Session::Pm),
                    ..window
                },
            )?
        } else {
            HashMap::new()
        };
        let people: HashMap<String, crate::domain::people::Pupil> = r
            .pupils()?
            .into_iter()
            .map(|p| (p.upn.clone(), p))
            .collect();
        let ids: HashMap<String, u32> = r.upns()?.into_iter().map(|(id, upn)| (upn, id)).collect();
        for group in &school.groups {
            for upn in r.roll(&group.name, date)? {
                let (Some(pupil), Some(id)) = (people.get(&upn), ids.get(&upn)) else {
                    continue;
                };
                let year = years.get(id).copied().unwrap_or_default();
                // A run of absence is read back only where one can be: a pupil seen today
                // has none, and a school whose stages do not count days needs none.
                let mark = marks.get(&upn);
                let in_school = mark.is_some_and(|m| !m.code.class_on(date).is_absence());
                let days_in_a_row = if counts_days && !in_school {
                    days_away(&r, school, &upn, date, session, mark.is_none())?
                } else {
                    0
                };
                let ill_days_without_evidence = if counts_illness && !in_school {
                    let asked = evidence.get(&upn).map(Vec::as_slice).unwrap_or_default();
                    ill_without_evidence(&r, school, &upn, (date, session), mark.is_none(), asked)?
                } else {
                    0
                };
                let facts = crate::domain::stages::Facts {
                    ill_days_without_evidence,
                    days_in_a_row,
                    year,
                    windows: windows
                        .iter()
                        .map(|(days, t)| (*days, t.get(id).copied().unwrap_or_default()))
                        .collect(),
                    last_year: last_years.get(id).copied(),
                };
                let entries = done.get(&upn).map(Vec::as_slice).unwrap_or_default();
                let steps = steps_done(school, entries, date, days_in_a_row, mark.is_none());
                let Some((i, stage, why)) =
                    crate::domain::stages::current(&school.stages, &facts, &steps)
                else {
                    continue;
                };
                pupils.push(PupilStage {
                    name: pupil.display_name(),
                    group: Some(group.name.clone()),
                    stage: stage.clone(),
                    number: i + 1,
                    why,
                    days_in_a_row: facts.days_in_a_row,
                    year,
                    done: done.remove(&upn).unwrap_or_default(),
                    upn,
                });
            }
        }
        // The furthest on first: they need the most.
        pupils.sort_by(|a, b| b.number.cmp(&a.number).then_with(|| a.name.cmp(&b.name)));
        Ok(Response::Stages { pupils })
    }

    pub(super) fn stage_done(
        &self,
        ctx: &Ctx,
        upn: &str,
        stage: &str,
        note: &str,
        skipped: bool,
    ) -> Result<Response> {
        office_only(ctx, "recording a stage's action")?;
        let school = ctx.school()?;
        let Some(stage) = school
            .stages
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(stage.trim()))
        else {
            let names: Vec<&str> = school.stages.iter().map(|s| s.name.as_str()).collect();
            return invalid(format!(
                "no stage `{stage}` in the school's configuration (stages: {})",
                if names.is_empty() {
                    "none configured".to_string()
                } else {
                    names.join(", ")
                }
            ));
        };
        let note = checked_note(
            "the note",
            note,
            if skipped {
                "say why the stage is skipped (no run of days: attendance is the concern)"
            } else {
                "say what was done (a meeting held, a letter sent)"
            },
        )?;
        // A skip is kept as the stage's entry with its reason: it moves the pupil on as the
        // action done would, and the record says it was skipped.
        let note = if skipped {
            format!("skipped: {note}")
        } else {
            note.to_string()
        };
        let note = note.as_str();
        let name = self.log_desk(
            ctx,
            upn,
            Jot {
                stage: Some(&stage.name),
                ..Jot::new(ctx.now.date(), DeskKind::StageDone, note)
            },
        )?;
        Ok(Response::Done {
            message: if skipped {
                format!("{name}: {} {note}", stage.name)
            } else {
                format!("{name}: {} done: {note}", stage.name)
            },
        })
    }
}

/// Which of the school's stages a pupil's entries this year mark as done or skipped (SPEC
/// §4.9). A stage that counts days in a row is done for the present run of absence only: a
/// first-day call made in October is not this week's.
/// The first day of a run of `days` school days ending today (yesterday when today is not
/// marked yet).
fn run_start(school: &School, date: NaiveDate, days: u32, today_unmarked: bool) -> NaiveDate {
    let from = date
        .checked_sub_days(Days::new(RUN_LOOKBACK_DAYS))
        .unwrap_or(date);
    let school_days: Vec<NaiveDate> = school.calendar.school_days(from, date).collect();
    school_days
        .iter()
        .rev()
        .nth((days as usize).saturating_sub(1) + usize::from(today_unmarked))
        .copied()
        .unwrap_or(from)
}

/// School days ill in a row up to `date`, or 0 when medical evidence asked for since the
/// illness began has been received (`evidence`: the dates of the pupil's requests whose
/// evidence came).
fn ill_without_evidence(
    r: &crate::store::Reader,
    school: &School,
    upn: &str,
    (date, session): (NaiveDate, Session),
    today_unmarked: bool,
    evidence: &[NaiveDate],
) -> Result<u32> {
    let ill = days_where(r, school, upn, (date, session), today_unmarked, |c, _| {
        c == Code::I
    })?;
    if ill == 0 {
        return Ok(0);
    }
    let began = run_start(school, date, ill, today_unmarked);
    Ok(if evidence.iter().any(|asked| *asked >= began) {
        0
    } else {
        ill
    })
}

/// Medical evidence received, by pupil: the day each request was made.
fn evidence_received(r: &crate::store::Reader) -> Result<HashMap<String, Vec<NaiveDate>>> {
    let mut evidence: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    for case in r.cases(None)? {
        if let CaseBody::Evidence { requested, .. } = case.body
            && case
                .steps
                .iter()
                .any(|s| matches!(s.step, CaseStep::Received { .. }))
        {
            evidence
                .entry(case.upn.clone())
                .or_default()
                .push(requested);
        }
    }
    Ok(evidence)
}

fn steps_done(
    school: &School,
    entries: &[DeskEntry],
    date: NaiveDate,
    days_in_a_row: u32,
    today_unmarked: bool,
) -> Vec<bool> {
    // The run's first day: that many school days back, today among them unless it is not
    // marked yet (a run then ends yesterday).
    let run_from =
        (days_in_a_row > 0).then(|| run_start(school, date, days_in_a_row, today_unmarked));
    school
        .stages
        .iter()
        .map(|stage| {
            entries.iter().any(|e| {
                e.stage
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&stage.name))
                    && match (stage.days_in_a_row, run_from) {
                        (Some(_), Some(from)) => e.date >= from,
                        _ => true,
                    }
            })
        })
        .collect()
}

/// Every pupil's figures over a window, by pupil id, in one pass over its months.
fn tallies(r: &crate::store::Reader, window: &Window) -> Result<HashMap<u32, Tally>> {
    let mut out: HashMap<u32, Tally> = HashMap::new();
    let (first, last) = (*window.months().start(), *window.months().end());
    r.each_month(first, last, |pupil, m, bytes| {
        let mut month = Tally::default();
        window
            .visit(m, bytes, |_, code, n, date| {
                month.add_sessions(code, n, date)
            })
            .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
        out.entry(pupil).or_default().merge(&month);
        Ok(true)
    })?;
    Ok(out)
}

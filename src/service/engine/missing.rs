//! The attendance team's side of lesson registers (SPEC §8.8): pupils missing from lessons,
//! with a clock since the mark and, past the school's minutes, "inform the parents"; found or
//! told, each recorded; the day's late arrivals to lessons; the lesson registers not taken.

use super::core::{Engine, Result, checked_note, refused};
use super::ctx::Ctx;
use super::lesson_day::LessonDay;
use crate::domain::lessons::{LessonCode, MissingAction, MissingOutcome};
use crate::service::protocol::*;
use chrono::NaiveDate;
use std::collections::HashMap;

impl Engine {
    /// Every pupil missing from a lesson on the day: open ones (not found, not seen in a later
    /// lesson) first, each with the minutes since the mark.
    pub(super) fn missing(&self, ctx: &Ctx, date: Option<NaiveDate>) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "the missing pupils")?;
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let r = self.store.read()?;
        let day = LessonDay::read(&r, school, date)?;
        let actions = r.missing_actions_on(date)?;
        let mut pupils = Vec::new();
        for ((period_name, upn), mark) in &day.marks {
            if mark.code != LessonCode::Absent {
                continue;
            }
            let Some(period) = school.lessons.period(period_name) else {
                continue;
            };
            let Some(pupil) = r.pupil(upn)? else { continue };
            let seen = day.pupil(school, period, upn, pupil.display_name());
            if !seen.missing {
                continue;
            }
            let done = actions
                .get(&(period_name.clone(), upn.clone()))
                .cloned()
                .unwrap_or_default();
            let found = done.iter().any(|a| a.outcome == MissingOutcome::Found)
                || day.seen_after(school, period, upn).is_some_and(|m| {
                    // In a later lesson by now: found without anyone looking.
                    m.recorded_at <= ctx.now
                });
            let informed = done
                .iter()
                .any(|a| a.outcome == MissingOutcome::ParentsInformed);
            let minutes = (ctx.now - mark.recorded_at).num_minutes().max(0);
            let slot = day
                .slots
                .iter()
                .find(|s| s.class == mark.class && s.period == *period_name);
            pupils.push(MissingPupil {
                date,
                upn: upn.clone(),
                name: pupil.display_name(),
                period: period_name.clone(),
                class: mark.class.clone(),
                teacher: slot.map_or(mark.recorded_by.clone(), |s| s.teacher.clone()),
                room: slot.map(|s| s.room.clone()).unwrap_or_default(),
                marked_at: mark.recorded_at,
                minutes,
                inform_parents: !found
                    && !informed
                    && minutes >= i64::from(school.lessons.inform_parents_after_minutes),
                contacts: r.contacts(upn)?,
                actions: done,
                open: !found,
            });
        }
        pupils
            .sort_by(|a, b| (!a.open, a.marked_at, &a.name).cmp(&(!b.open, b.marked_at, &b.name)));
        Ok(LessonResponse::Missing { pupils })
    }

    /// A missing pupil found (where) or their parents informed, appended to the day's log.
    pub(super) fn resolve_missing(
        &self,
        ctx: &Ctx,
        date: NaiveDate,
        period: &str,
        upn: &str,
        outcome: MissingOutcome,
        note: &str,
    ) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "recording a missing pupil found")?;
        let note = match outcome {
            MissingOutcome::Found => checked_note("where", note, "say where the pupil was found")?,
            MissingOutcome::ParentsInformed => {
                checked_note("who was told", note, "say who was told, and how")?
            }
        };
        let school = ctx.school()?;
        let Some(period) = school.lessons.period(period).cloned() else {
            return refused(format!("`{period}` is not one of the school's periods"));
        };
        let LessonResponse::Missing { pupils } = self.missing(ctx, Some(date))? else {
            return refused("the missing list could not be read");
        };
        if !pupils
            .iter()
            .any(|p| p.upn == upn && p.period == period.name)
        {
            return refused(format!(
                "{upn} is not missing from {} on {}",
                period.name,
                date.format("%a %d %b")
            ));
        }
        let action = MissingAction {
            outcome,
            note: note.to_string(),
            account: ctx.staff.account.clone(),
            name: ctx.staff.name.clone(),
            at: ctx.now,
        };
        self.store
            .write(|w| w.put_missing_action(date, &period.name, upn, &action))?;
        self.notify(Event::Lesson {
            date,
            missing: None,
        });
        self.missing(ctx, Some(date))
    }

    /// The day's late arrivals to lessons, by period then name: the same-day detention list.
    pub(super) fn late_to_lessons(&self, ctx: &Ctx, date: NaiveDate) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "lateness to lessons")?;
        let school = ctx.school()?;
        let r = self.store.read()?;
        let day = LessonDay::read(&r, school, date)?;
        let teachers: HashMap<(&str, &str), &str> = day
            .slots
            .iter()
            .map(|s| ((s.class.as_str(), s.period.as_str()), s.teacher.as_str()))
            .collect();
        let mut arrivals = Vec::new();
        for ((period, upn), mark) in &day.marks {
            if mark.code != LessonCode::Late {
                continue;
            }
            let name = r.pupil(upn)?.map(|p| p.display_name()).unwrap_or_default();
            arrivals.push(LateToLesson {
                upn: upn.clone(),
                name,
                period: period.clone(),
                class: mark.class.clone(),
                arrived: mark.arrived,
                minutes_late: mark.minutes_late,
                teacher: teachers
                    .get(&(mark.class.as_str(), period.as_str()))
                    .map_or(mark.recorded_by.clone(), |t| t.to_string()),
            });
        }
        let order = |p: &str| {
            school
                .lessons
                .periods
                .iter()
                .position(|x| x.name == p)
                .unwrap_or(usize::MAX)
        };
        arrivals.sort_by(|a, b| (order(&a.period), &a.name).cmp(&(order(&b.period), &b.name)));
        Ok(LessonResponse::Late { arrivals })
    }

    /// Lesson registers due by now (the school's minutes after the start) and not taken: not
    /// closed, and not every pupil marked.
    pub(super) fn lessons_not_taken(
        &self,
        ctx: &Ctx,
        date: Option<NaiveDate>,
    ) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "lesson registers not taken")?;
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let LessonResponse::Day { lessons } = self.lessons_of_day(ctx, Some(date), None)? else {
            return Ok(LessonResponse::NotTaken {
                lessons: Vec::new(),
            });
        };
        let lessons = lessons
            .into_iter()
            .filter(|l| {
                let due = school
                    .lessons
                    .period(&l.period)
                    .map(|p| date.and_time(school.lessons.register_due_by(p)));
                due.is_some_and(|due| due <= ctx.now)
                    && l.taken.is_none()
                    && (l.pupils == 0 || l.marked < l.pupils)
            })
            .collect();
        Ok(LessonResponse::NotTaken { lessons })
    }
}

/// Pupils late to lessons as often as the school's lateness line (SPEC §8.8), in the same
/// school weeks that line counts, up to `on`: one range read of the lesson marks.
pub(super) fn lesson_lateness_alerts<T: crate::store::Kind>(
    r: &crate::store::Tables<T>,
    school: &crate::domain::School,
    window_start: NaiveDate,
    on: NaiveDate,
) -> Result<Vec<Alert>> {
    use crate::domain::thresholds::{SessionMark, lesson_lateness};
    if school.lessons.periods.is_empty() {
        return Ok(Vec::new());
    }
    let pm_opens = school.sessions.pm.opens_at;
    let mut lates: HashMap<String, Vec<SessionMark>> = HashMap::new();
    r.each_lesson_mark(window_start, on, |date, period, upn, mark| {
        if mark.code != LessonCode::Late {
            return;
        }
        let session = school
            .lessons
            .period(period)
            .map_or(crate::domain::session::Session::Am, |p| {
                crate::domain::lessons::session_of(p, pm_opens)
            });
        lates
            .entry(upn.to_string())
            .or_default()
            .push(SessionMark::new(
                date,
                session,
                crate::domain::codes::Code::L,
            ));
    })?;
    let mut alerts = Vec::new();
    for (upn, marks) in lates {
        let Some(hit) = lesson_lateness(marks, window_start, on, &school.thresholds) else {
            continue;
        };
        let Some(pupil) = r.pupil(&upn)? else {
            continue;
        };
        alerts.push(Alert {
            group: r.group_on(&upn, on)?,
            name: pupil.display_name(),
            upn,
            kind: hit.kind,
            summary: hit.summary,
            evidence: hit.evidence,
            acted: None,
        });
    }
    alerts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(alerts)
}

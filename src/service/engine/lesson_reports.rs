//! Lesson attendance over a period (SPEC §8.8): by pupil, class, subject or period, each
//! with the lessons marked, present, late and absent, and the lessons missed by a pupil the
//! school knew was in — post-registration truancy, the pattern secondary schools look for.
//! Read day by day: each day's statutory marks and sign-outs decide who was missing, by the
//! same rule as the live list.

use super::core::{Engine, Result};
use super::ctx::Ctx;
use super::lesson_day::LessonDay;
use crate::domain::lessons::LessonCode;
use crate::service::protocol::*;
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The longest period a lesson report reads: a school year and a little.
const MOST_DAYS: i64 = 400;

#[derive(Default)]
struct Count {
    pupils: BTreeSet<String>,
    lessons: u32,
    present: u32,
    late: u32,
    absent: u32,
    minutes_late: u32,
    missing: u32,
}

impl Engine {
    pub(super) fn lesson_report(
        &self,
        ctx: &Ctx,
        from: NaiveDate,
        to: NaiveDate,
        by: LessonReportBy,
    ) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "lesson reports")?;
        if to < from {
            return super::core::invalid(format!(
                "the range ends ({to}) before it starts ({from}): give --from the earlier date"
            ));
        }
        if (to - from).num_days() >= MOST_DAYS {
            return super::core::invalid(format!(
                "a lesson report reads at most {MOST_DAYS} days: {from} to {to} is more"
            ));
        }
        let school = ctx.school()?;
        let r = self.store.read()?;
        let subjects: HashMap<String, String> = r
            .classes()?
            .into_iter()
            .map(|c| (c.name, c.subject))
            .collect();
        let mut counts: BTreeMap<String, Count> = BTreeMap::new();
        let mut day = from;
        while day <= to {
            let lessons = LessonDay::read(&r, school, day)?;
            for ((period_name, upn), mark) in &lessons.marks {
                let Some(period) = school.lessons.period(period_name) else {
                    continue;
                };
                let key = match by {
                    LessonReportBy::Pupil => upn.clone(),
                    LessonReportBy::Class => mark.class.clone(),
                    LessonReportBy::Subject => subjects
                        .get(&mark.class)
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .unwrap_or_else(|| "(no subject)".into()),
                    LessonReportBy::Period => period.name.clone(),
                };
                let c = counts.entry(key).or_default();
                c.pupils.insert(upn.clone());
                c.lessons += 1;
                match mark.code {
                    LessonCode::Present => c.present += 1,
                    LessonCode::Late => {
                        c.late += 1;
                        c.minutes_late += u32::from(mark.minutes_late.unwrap_or(0));
                    }
                    LessonCode::Absent => {
                        c.absent += 1;
                        if lessons.pupil(school, period, upn, String::new()).missing {
                            c.missing += 1;
                        }
                    }
                }
            }
            day = match day.checked_add_days(Days::new(1)) {
                Some(next) => next,
                None => break,
            };
        }
        let order = |key: &str| match by {
            LessonReportBy::Period => school
                .lessons
                .periods
                .iter()
                .position(|p| p.name == key)
                .unwrap_or(usize::MAX),
            _ => 0,
        };
        let mut rows = Vec::new();
        for (key, c) in counts {
            let label = match by {
                LessonReportBy::Pupil => {
                    r.pupil(&key)?.map(|p| p.display_name()).unwrap_or_default()
                }
                _ => format!("{} pupils", c.pupils.len()),
            };
            rows.push(LessonReportRow {
                attendance_pct: (c.lessons > 0)
                    .then(|| f64::from(c.present + c.late) * 100.0 / f64::from(c.lessons)),
                key,
                label,
                pupils: c.pupils.len() as u32,
                lessons: c.lessons,
                present: c.present,
                late: c.late,
                absent: c.absent,
                minutes_late: c.minutes_late,
                missing: c.missing,
            });
        }
        // Pupils by name, periods in the day's order, classes and subjects by name.
        let name = |r: &LessonReportRow| {
            if by == LessonReportBy::Pupil {
                r.label.clone()
            } else {
                String::new()
            }
        };
        rows.sort_by(|a, b| {
            (order(&a.key), name(a), &a.key).cmp(&(order(&b.key), name(b), &b.key))
        });
        Ok(LessonResponse::Report { rows })
    }
}

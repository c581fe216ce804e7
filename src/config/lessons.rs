//! `[[periods]]` and `[lessons]`: a secondary school's periods (each a name, a start and an
//! end, in order, none overlapping, inside the school day) and how its lesson registers run
//! (SPEC §8.8). A school without periods takes only the statutory registers.

use super::raw::{RawLessons, RawPeriod};
use super::reader::{ConfigError, Reader};
use crate::domain::lessons::{LessonRules, Period};
use crate::domain::session::SessionTimes;
use chrono::Datelike;

pub(super) fn read_lessons(
    r: &mut Reader,
    periods: &[RawPeriod],
    lessons: Option<&RawLessons>,
    afternoon: &SessionTimes,
) -> Result<LessonRules, ConfigError> {
    let mut rules = LessonRules::default();
    for (i, p) in periods.iter().enumerate() {
        let field = format!("periods[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &p.name)?;
        if name.chars().count() > 12
            || name.contains([',', '/'])
            || name.chars().any(char::is_control)
        {
            return r.error(
                p.name.span().start,
                &format!("{field}.name"),
                format!("`{name}` is not a period's short name (at most 12 characters, no comma or slash)"),
            );
        }
        if rules.period(&name).is_some() {
            return r.error(
                p.name.span().start,
                &format!("{field}.name"),
                format!("period `{name}` is defined twice"),
            );
        }
        let start = r.time(&format!("{field}.start"), &p.start)?;
        let end = r.time(&format!("{field}.end"), &p.end)?;
        if end <= start {
            return r.error(
                p.end.span().start,
                &format!("{field}.end"),
                format!("period {name} ends ({end}) before it starts ({start})"),
            );
        }
        if let Some(before) = rules.periods.last()
            && start < before.end
        {
            return r.error(
                p.start.span().start,
                &format!("{field}.start"),
                format!(
                    "period {name} starts ({start}) before {} ends ({}): periods are listed in \
                     order and do not overlap",
                    before.name, before.end
                ),
            );
        }
        rules.periods.push(Period { name, start, end });
    }
    let Some(raw) = lessons else {
        return Ok(rules);
    };
    if rules.periods.is_empty() {
        return r.error(
            0,
            "lessons",
            "[lessons] needs the periods it applies to: add [[periods]] with name, start and end"
                .to_string(),
        );
    }
    let minutes = |value: &Option<toml::Spanned<i64>>, key: &str, r: &Reader| match value {
        None => Ok(None),
        Some(v) if (1..=60).contains(v.get_ref()) => Ok(Some(*v.get_ref() as u32)),
        Some(v) => r.error(
            v.span().start,
            &format!("lessons.{key}"),
            format!("{} is not a number of minutes from 1 to 60", v.get_ref()),
        ),
    };
    if let Some(m) = minutes(&raw.register_within_minutes, "register_within_minutes", r)? {
        rules.register_within_minutes = m;
    }
    if let Some(m) = minutes(
        &raw.inform_parents_after_minutes,
        "inform_parents_after_minutes",
        r,
    )? {
        rules.inform_parents_after_minutes = m;
    }
    if let Some(w) = &raw.rotation_weeks {
        if !(1..=2).contains(w.get_ref()) {
            return r.error(
                w.span().start,
                "lessons.rotation_weeks",
                format!("{} is not 1 or 2 (a week A/B timetable)", w.get_ref()),
            );
        }
        rules.rotation_weeks = *w.get_ref() as u8;
    }
    if let Some(first) = &raw.week_one_begins {
        let date = r.date("lessons.week_one_begins", first)?;
        if date.weekday() != chrono::Weekday::Mon {
            return r.error(
                first.span().start,
                "lessons.week_one_begins",
                format!(
                    "{date} is a {}: week one begins on a Monday",
                    date.weekday()
                ),
            );
        }
        rules.week_one_begins = Some(date);
    }
    if rules.rotation_weeks == 2 && rules.week_one_begins.is_none() {
        return r.error(
            0,
            "lessons.week_one_begins",
            "a week A/B timetable needs the Monday week A begins: week_one_begins = \"YYYY-MM-DD\""
                .to_string(),
        );
    }
    if let Some(name) = &raw.pm_register_period {
        let Some(period) = rules.period(name.get_ref()) else {
            let names: Vec<&str> = rules.periods.iter().map(|p| p.name.as_str()).collect();
            return r.error(
                name.span().start,
                "lessons.pm_register_period",
                format!(
                    "`{}` is not one of the periods ({})",
                    name.get_ref(),
                    names.join(", ")
                ),
            );
        };
        // The lesson's register is the afternoon's: it must be taken while that register is
        // open, or every mark in it would be refused or an amendment.
        if period.start > afternoon.closes_at || period.end <= afternoon.opens_at {
            return r.error(
                name.span().start,
                "lessons.pm_register_period",
                format!(
                    "{} ({}-{}) is not while the afternoon register is open ({}-{},                      [sessions.pm])",
                    period.name,
                    period.start.format("%H:%M"),
                    period.end.format("%H:%M"),
                    afternoon.opens_at.format("%H:%M"),
                    afternoon.closes_at.format("%H:%M")
                ),
            );
        }
        rules.pm_register_period = Some(period.name.clone());
    }
    Ok(rules)
}

//! The `[school]` section (its name, identifiers and weekdays) and the whole file: each
//! section read by its own reader, in the order the checks need.

use super::bands::read_bands;
use super::calendar::{read_closures, read_terms};
use super::groups::{read_groups, read_teacher_codes};
use super::lessons::read_lessons;
use super::raw::{RawConfig, RawSchool};
use super::reader::{ConfigError, Reader};
use super::sessions::read_sessions;
use super::stages::read_stages;
use super::thresholds::read_thresholds;
use super::timings::read_timings;
use crate::domain::School;
use crate::domain::calendar::{Calendar, parse_weekday};
use std::collections::HashMap;

/// Parses and validates a school configuration. `file` names the source in error messages.
pub fn parse_school(file: &str, source: &str) -> Result<School, ConfigError> {
    let raw: RawConfig = toml::from_str(source).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let end = offset.min(source.len());
        ConfigError {
            file: file.to_string(),
            line: source.as_bytes()[..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
            message: e.message().to_string(),
        }
    })?;
    let mut r = Reader {
        file,
        source,
        lines: HashMap::new(),
    };

    let name = r.non_empty("school.name", &raw.school.name)?;
    let urn = r.digits("school.urn", &raw.school.urn, 6)?;
    let la = r.digits("school.la", &raw.school.la, 3)?;
    let estab = r.digits("school.estab", &raw.school.estab, 4)?;
    let weekdays = read_weekdays(&r, &raw.school)?;
    let sessions = read_sessions(&mut r, &raw.sessions)?;
    let terms = read_terms(&mut r, &raw.terms)?;
    let closures = read_closures(&mut r, &raw.closures, &terms, &weekdays)?;
    let bands = read_bands(&r, &raw.bands)?;
    let groups = read_groups(&r, &raw.groups)?;
    let teacher_codes = read_teacher_codes(&r, &raw.codes)?;
    let stages = read_stages(&r, &raw.stages)?;
    let thresholds = read_thresholds(&r, raw.thresholds.as_ref())?;
    let timings = read_timings(&mut r, &raw.timings, &sessions, &groups)?;
    let lessons = read_lessons(&mut r, &raw.periods, raw.lessons.as_ref(), &sessions.pm)?;
    let improved_by_points = match raw
        .recognition
        .as_ref()
        .and_then(|r| r.improved_by_points.as_ref())
    {
        None => crate::domain::stats::default_improved_by_points(),
        Some(v) if (0.5..=50.0).contains(v.get_ref()) => *v.get_ref(),
        Some(v) => {
            return r.error(
                v.span().start,
                "recognition.improved_by_points",
                format!("{} is not a number of points from 0.5 to 50", v.get_ref()),
            );
        }
    };
    Ok(School {
        lessons,
        timings,
        thresholds,
        improved_by_points,
        stages,
        teacher_codes,
        name,
        urn,
        la,
        estab,
        sessions,
        calendar: Calendar {
            weekdays,
            terms,
            closures,
            counts: Default::default(),
        },
        bands,
        groups,
    })
}

/// The school's weekdays (Monday to Friday unless it says otherwise).
fn read_weekdays(r: &Reader, school: &RawSchool) -> Result<[bool; 7], ConfigError> {
    let mut weekdays = [true, true, true, true, true, false, false];
    if let Some(days) = &school.weekdays {
        weekdays = [false; 7];
        for day in days.get_ref() {
            let Some(wd) = parse_weekday(day) else {
                return r.error(
                    days.span().start,
                    "school.weekdays",
                    format!("`{day}` is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
                );
            };
            let slot = &mut weekdays[wd.num_days_from_monday() as usize];
            if *slot {
                return r.error(
                    days.span().start,
                    "school.weekdays",
                    format!("`{day}` is listed twice"),
                );
            }
            *slot = true;
        }
        if !weekdays.contains(&true) {
            return r.error(
                days.span().start,
                "school.weekdays",
                "names no school weekday",
            );
        }
    }
    Ok(weekdays)
}

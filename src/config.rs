//! Reading a school's configuration (TOML, the shape of `school.example.toml`).
//!
//! Every error names the file, the line and the field. Unknown fields are errors, not ignored:
//! a misspelt `closes_at` must not silently leave a default in place.

use crate::domain::School;
use crate::domain::calendar::{Calendar, Closure, ClosureSessions, DateRange, Term, parse_weekday};
use crate::domain::people::Group;
use crate::domain::session::{SessionPlan, SessionTimes, TimingError, parse_hm};
use crate::domain::stats::Band;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use toml::Spanned;

/// More registration groups than any school has is a mistake (a generated file gone wrong).
pub const MAX_GROUPS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    school: RawSchool,
    sessions: RawSessions,
    #[serde(default)]
    terms: Vec<RawTerm>,
    #[serde(default)]
    closures: Vec<RawClosure>,
    #[serde(default)]
    bands: Vec<RawBand>,
    #[serde(default)]
    groups: Vec<RawGroup>,
    codes: Option<RawCodes>,
    #[serde(default)]
    stages: Vec<RawStage>,
}

/// A stage of intervention: triggers and the action due (see `domain::stages`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    name: Spanned<String>,
    action: Spanned<String>,
    days_in_a_row: Option<Spanned<i64>>,
    sessions: Option<Spanned<i64>>,
    below_percent: Option<Spanned<f64>>,
    letter: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    /// The codes teachers may enter.
    teacher: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchool {
    name: Spanned<String>,
    urn: Option<Spanned<String>>,
    la: Option<Spanned<String>>,
    estab: Option<Spanned<String>>,
    weekdays: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSessions {
    am: RawTimes,
    pm: RawTimes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimes {
    opens_at: Spanned<String>,
    register_at: Spanned<String>,
    closes_at: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    name: Spanned<String>,
    start: Spanned<String>,
    end: Spanned<String>,
    #[serde(default)]
    half_terms: Vec<RawRange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    start: Spanned<String>,
    end: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosure {
    date: Spanned<String>,
    sessions: Option<Spanned<String>>,
    reason: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    name: Spanned<String>,
    #[serde(default)]
    label: String,
    min: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Spanned<String>,
    #[serde(default)]
    tutors: Vec<Spanned<String>>,
}

struct Reader<'a> {
    file: &'a str,
    source: &'a str,
    /// Line of each field read so far, for errors found after parsing (the timing rules).
    lines: HashMap<String, usize>,
}

impl Reader<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn error<T>(
        &self,
        offset: usize,
        field: &str,
        message: impl std::fmt::Display,
    ) -> Result<T, ConfigError> {
        Err(ConfigError {
            file: self.file.to_string(),
            line: self.line_of(offset),
            message: format!("{field}: {message}"),
        })
    }

    fn note<T>(&mut self, field: &str, value: &Spanned<T>) {
        let line = self.line_of(value.span().start);
        self.lines.insert(field.to_string(), line);
    }

    fn date(&mut self, field: &str, value: &Spanned<String>) -> Result<NaiveDate, ConfigError> {
        self.note(field, value);
        crate::domain::dates::parse(value.get_ref())
            .or_else(|why| self.error(value.span().start, field, why))
    }

    fn time(
        &mut self,
        field: &str,
        value: &Spanned<String>,
    ) -> Result<chrono::NaiveTime, ConfigError> {
        self.note(field, value);
        parse_hm(value.get_ref()).map_or_else(
            || {
                self.error(
                    value.span().start,
                    field,
                    format!("`{}` is not a time HH:MM", value.get_ref()),
                )
            },
            Ok,
        )
    }

    fn digits(
        &self,
        field: &str,
        value: &Option<Spanned<String>>,
        len: usize,
    ) -> Result<Option<String>, ConfigError> {
        let Some(value) = value else { return Ok(None) };
        let text = value.get_ref().trim();
        if text.len() != len || !text.chars().all(|c| c.is_ascii_digit()) {
            return self.error(
                value.span().start,
                field,
                format!("`{text}` should be {len} digits"),
            );
        }
        Ok(Some(text.to_string()))
    }

    fn non_empty(&self, field: &str, value: &Spanned<String>) -> Result<String, ConfigError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return self.error(value.span().start, field, "must not be empty");
        }
        if let Err(why) = crate::domain::text::check_line("the text", text) {
            return self.error(value.span().start, field, why);
        }
        Ok(text.to_string())
    }

    /// An operating-system account name, as `tutors` lists them.
    fn account(&self, field: &str, value: &Spanned<String>) -> Result<String, ConfigError> {
        let text = self.non_empty(field, value)?;
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return self.error(
                value.span().start,
                field,
                format!("`{text}` is not an account name (letters, digits, . _ -)"),
            );
        }
        Ok(text)
    }
}

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

    let mut weekdays = [true, true, true, true, true, false, false];
    if let Some(days) = &raw.school.weekdays {
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

    let mut times = |session: &str, raw: &RawTimes| -> Result<SessionTimes, ConfigError> {
        Ok(SessionTimes {
            opens_at: r.time(&format!("sessions.{session}.opens_at"), &raw.opens_at)?,
            register_at: r.time(&format!("sessions.{session}.register_at"), &raw.register_at)?,
            closes_at: r.time(&format!("sessions.{session}.closes_at"), &raw.closes_at)?,
        })
    };
    let sessions = SessionPlan {
        am: times("am", &raw.sessions.am)?,
        pm: times("pm", &raw.sessions.pm)?,
    };
    if let Err(TimingError::Field { field, message }) = sessions.validate() {
        let line = r.lines.get(&field).copied().unwrap_or(1);
        return Err(ConfigError {
            file: file.to_string(),
            line,
            message: format!("{field}: {message}"),
        });
    }

    let mut terms: Vec<Term> = Vec::new();
    for (i, t) in raw.terms.iter().enumerate() {
        let field = format!("terms[{i}]");
        let start = r.date(&format!("{field}.start"), &t.start)?;
        let end = r.date(&format!("{field}.end"), &t.end)?;
        if end < start {
            return r.error(
                t.end.span().start,
                &format!("{field}.end"),
                format!("{end} is before the term starts ({start})"),
            );
        }
        let mut half_terms = Vec::new();
        for (j, h) in t.half_terms.iter().enumerate() {
            let hf = format!("{field}.half_terms[{j}]");
            let hs = r.date(&format!("{hf}.start"), &h.start)?;
            let he = r.date(&format!("{hf}.end"), &h.end)?;
            if he < hs {
                return r.error(
                    h.end.span().start,
                    &format!("{hf}.end"),
                    format!("{he} is before {hs}"),
                );
            }
            if hs < start || he > end {
                return r.error(
                    h.start.span().start,
                    &hf,
                    format!("{hs} to {he} is not inside the term ({start} to {end})"),
                );
            }
            half_terms.push(DateRange { start: hs, end: he });
        }
        if let Some(prev) = terms.last()
            && start <= prev.end
        {
            return r.error(
                t.start.span().start,
                &format!("{field}.start"),
                format!("{start} is not after the previous term ends ({}); list terms in order, without overlap", prev.end),
            );
        }
        terms.push(Term {
            name: r.non_empty(&format!("{field}.name"), &t.name)?,
            start,
            end,
            half_terms,
        });
    }

    let mut closures = Vec::new();
    for (i, c) in raw.closures.iter().enumerate() {
        let field = format!("closures[{i}]");
        let date = r.date(&format!("{field}.date"), &c.date)?;
        let Some(term) = terms.iter().find(|t| t.start <= date && date <= t.end) else {
            return r.error(
                c.date.span().start,
                &format!("{field}.date"),
                format!("{date} is not inside any term, so it is not a school day to close"),
            );
        };
        if term.half_terms.iter().any(|h| h.contains(date)) {
            return r.error(
                c.date.span().start,
                &format!("{field}.date"),
                format!(
                    "{date} is in {}'s half term, so it is not a school day to close",
                    term.name
                ),
            );
        }
        if !weekdays[date.weekday().num_days_from_monday() as usize] {
            return r.error(
                c.date.span().start,
                &format!("{field}.date"),
                format!(
                    "{date} is a {}, not one of the school's weekdays, so it is not a school day to close",
                    date.format("%A")
                ),
            );
        }
        let sessions = match c
            .sessions
            .as_ref()
            .map(|s| s.get_ref().trim().to_ascii_lowercase())
        {
            None => ClosureSessions::Both,
            Some(s) if s == "both" => ClosureSessions::Both,
            Some(s) if s == "am" => ClosureSessions::Am,
            Some(s) if s == "pm" => ClosureSessions::Pm,
            Some(other) => {
                let span = c.sessions.as_ref().map_or(0, |s| s.span().start);
                return r.error(
                    span,
                    &format!("{field}.sessions"),
                    format!("`{other}` should be am, pm or both"),
                );
            }
        };
        if let Some(j) = closures
            .iter()
            .position(|other: &Closure| other.date == date)
        {
            return r.error(
                c.date.span().start,
                &format!("{field}.date"),
                format!("{date} is closed twice (closures[{j}] too): give each day one closure"),
            );
        }
        closures.push(Closure {
            date,
            sessions,
            reason: r.non_empty(&format!("{field}.reason"), &c.reason)?,
        });
    }

    let mut bands = Vec::new();
    let mut band_names = BTreeSet::new();
    for (i, b) in raw.bands.iter().enumerate() {
        let field = format!("bands[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &b.name)?;
        if !band_names.insert(name.clone()) {
            return r.error(
                b.name.span().start,
                &format!("{field}.name"),
                format!("band `{name}` is defined twice"),
            );
        }
        let min = *b.min.get_ref();
        if !(0.0..=100.0).contains(&min) {
            return r.error(
                b.min.span().start,
                &format!("{field}.min"),
                format!("{min} is not a percentage from 0 to 100"),
            );
        }
        if let Err(why) = crate::domain::text::check_line("the label", &b.label) {
            return r.error(b.name.span().start, &format!("{field}.label"), why);
        }
        bands.push(Band {
            name,
            label: b.label.trim().to_string(),
            min,
        });
    }
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));

    if raw.groups.is_empty() {
        return Err(ConfigError {
            file: file.to_string(),
            line: 1,
            message: "groups: no [[groups]]: a school needs at least one registration group to take a register in".into(),
        });
    }
    if raw.groups.len() > MAX_GROUPS {
        return r.error(
            raw.groups[MAX_GROUPS].name.span().start,
            &format!("groups[{MAX_GROUPS}]"),
            format!(
                "{} groups: a school has at most {MAX_GROUPS} registration groups",
                raw.groups.len()
            ),
        );
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut group_names: HashMap<String, usize> = HashMap::new();
    for (i, g) in raw.groups.iter().enumerate() {
        let field = format!("groups[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &g.name)?;
        if group_names.insert(name.clone(), i).is_some() {
            return r.error(
                g.name.span().start,
                &format!("{field}.name"),
                format!("group `{name}` is defined twice"),
            );
        }
        let mut tutors = Vec::new();
        for (j, t) in g.tutors.iter().enumerate() {
            tutors.push(r.account(&format!("{field}.tutors[{j}]"), t)?);
        }
        groups.push(Group { name, tutors });
    }

    let teacher_codes = match &raw.codes {
        None => crate::domain::codes::default_teacher_codes(),
        Some(codes) => {
            let mut list = Vec::new();
            for text in codes.teacher.get_ref() {
                let code = crate::domain::codes::for_new_mark(text).or_else(|e| {
                    r.error(codes.teacher.span().start, "codes.teacher", e.to_string())
                })?;
                if !list.contains(&code.code) {
                    list.push(code.code);
                }
            }
            for needed in [
                crate::domain::codes::Code::PresentAm,
                crate::domain::codes::Code::PresentPm,
            ] {
                if !list.contains(&needed) {
                    return r.error(
                        codes.teacher.span().start,
                        "codes.teacher",
                        format!("teachers must be able to enter {needed} (present): add it"),
                    );
                }
            }
            list
        }
    };

    let mut stages = Vec::new();
    for (i, st) in raw.stages.iter().enumerate() {
        let field = format!("stages[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &st.name)?;
        if stages
            .iter()
            .any(|s: &crate::domain::stages::Stage| s.name == name)
        {
            return r.error(
                st.name.span().start,
                &format!("{field}.name"),
                format!("stage `{name}` is defined twice"),
            );
        }
        let action = r.non_empty(&format!("{field}.action"), &st.action)?;
        let count = |value: &Option<Spanned<i64>>, key: &str| match value {
            None => Ok(None),
            Some(v) if (1..=400).contains(v.get_ref()) => Ok(Some(*v.get_ref() as u32)),
            Some(v) => r.error(
                v.span().start,
                &format!("{field}.{key}"),
                format!("{} is not a count from 1 to 400", v.get_ref()),
            ),
        };
        let days_in_a_row = count(&st.days_in_a_row, "days_in_a_row")?;
        let sessions = count(&st.sessions, "sessions")?;
        let below_percent = match &st.below_percent {
            None => None,
            Some(v) if (0.0..=100.0).contains(v.get_ref()) => Some(*v.get_ref()),
            Some(v) => {
                return r.error(
                    v.span().start,
                    &format!("{field}.below_percent"),
                    format!("{} is not a percentage from 0 to 100", v.get_ref()),
                );
            }
        };
        if days_in_a_row.is_none() && sessions.is_none() && below_percent.is_none() {
            return r.error(
                st.name.span().start,
                &field,
                format!(
                    "stage `{name}` has no trigger: give days_in_a_row, sessions or below_percent"
                ),
            );
        }
        let letter = match &st.letter {
            None => None,
            Some(l) => {
                let file = r.non_empty(&format!("{field}.letter"), l)?;
                // A file in the letters directory, not a path elsewhere.
                if file.contains(['/', '\\']) || file.starts_with('.') {
                    return r.error(
                        l.span().start,
                        &format!("{field}.letter"),
                        format!(
                            "`{file}` must be a file name in the letters directory, not a path"
                        ),
                    );
                }
                Some(file)
            }
        };
        stages.push(crate::domain::stages::Stage {
            name,
            action,
            days_in_a_row,
            sessions,
            below_percent,
            letter,
        });
    }

    Ok(School {
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

#[cfg(test)]
mod tests {
    use super::*;

    pub const EXAMPLE: &str = include_str!("../school.example.toml");

    fn err(source: &str) -> String {
        parse_school("school.toml", source).unwrap_err().to_string()
    }

    #[test]
    fn the_shipped_example_parses() {
        let school = parse_school("school.example.toml", EXAMPLE).unwrap();
        assert_eq!(school.calendar.terms.len(), 2);
        assert_eq!(school.bands[0].name, "A");
        assert!(!school.groups.is_empty());
    }

    #[test]
    fn a_31_minute_window_is_refused_naming_file_line_and_field() {
        let source = EXAMPLE.replace("closes_at = \"09:30\"", "closes_at = \"09:36\"");
        let e = err(&source);
        assert!(e.starts_with("school.toml:"), "{e}");
        assert!(
            e.contains("sessions.am.closes_at: the register stays open 31 minutes"),
            "{e}"
        );
        let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
        assert!(
            source.lines().nth(line - 1).unwrap().contains("09:36"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_field_is_refused_with_its_line() {
        let source = EXAMPLE.replace(
            "register_at = \"09:05\"",
            "register_at = \"09:05\"\nregister_by = \"09:10\"",
        );
        let e = err(&source);
        assert!(e.contains("unknown field `register_by`"), "{e}");
        let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
        assert!(
            source
                .lines()
                .nth(line - 1)
                .unwrap()
                .contains("register_by"),
            "{e}"
        );
    }

    #[test]
    fn impossible_dates_and_out_of_range_values_name_the_field() {
        assert!(
            err(&EXAMPLE.replace("2026-12-18", "2026-02-30"))
                .contains("terms[0].end: `2026-02-30` is not a date")
        );
        assert!(
            err(&EXAMPLE.replace("min = 97.0", "min = 107.0"))
                .contains("bands[0].min: 107 is not a percentage")
        );
        assert!(
            err(&EXAMPLE.replace("opens_at = \"08:45\"", "opens_at = \"8:75\""))
                .contains("sessions.am.opens_at")
        );
        assert!(err(&EXAMPLE.replace("\"mon\",", "\"mun\",")).contains("school.weekdays: `mun`"));
        assert!(
            err(&EXAMPLE.replace("urn = \"106089\"", "urn = \"10608\"")).contains("school.urn")
        );
        assert!(
            err(&EXAMPLE.replace("date = \"2026-11-27\"", "date = \"2026-12-25\""))
                .contains("closures[0].date")
        );
    }

    #[test]
    fn a_half_term_outside_its_term_is_refused() {
        let e = err(&EXAMPLE.replace("{ start = \"2026-10-26\"", "{ start = \"2026-08-26\""));
        assert!(e.contains("terms[0].half_terms[0]"), "{e}");
    }
}

//! The calendar: `[[terms]]` with their half terms, and `[[closures]]` (a closure must fall
//! on a school day of a term).

use super::raw::{RawClosure, RawTerm};
use super::reader::{ConfigError, Reader};
use crate::domain::calendar::{Closure, ClosureSessions, DateRange, Term};
use chrono::Datelike;

pub(super) fn read_terms(r: &mut Reader, raw: &[RawTerm]) -> Result<Vec<Term>, ConfigError> {
    let mut terms: Vec<Term> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
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
    Ok(terms)
}

pub(super) fn read_closures(
    r: &mut Reader,
    raw: &[RawClosure],
    terms: &[Term],
    weekdays: &[bool; 7],
) -> Result<Vec<Closure>, ConfigError> {
    let mut closures = Vec::new();
    for (i, c) in raw.iter().enumerate() {
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
    Ok(closures)
}

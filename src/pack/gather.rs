//! What a governors' pack holds (SPEC §3.8), asked of the school through the same requests
//! as every report: the term's figures and the same dates a year before, by year and cohort,
//! the reasons for absence, the stages of intervention, and the patterns read from the term's
//! marks. Pupils are counted, never named: a governing body reads it.

use crate::domain::codes::Code;
use crate::domain::desk::DeskKind;
use crate::domain::patterns::{
    AroundBreaks, Illness, SessionMark, around_breaks, repeated_illness, weekly,
};
use crate::domain::stats::Tally;
use crate::service::Client;
use crate::service::protocol::*;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Spells of illness in a term that make a pupil's illness "repeated".
pub const REPEATED_SPELLS: u32 = 3;

/// A stage of intervention: the pupils at it now, those whose stage's action is done, and
/// their attendance this school year together.
#[derive(Clone, Debug, PartialEq)]
pub struct StageFigures {
    pub number: usize,
    pub name: String,
    pub pupils: u32,
    pub done: u32,
    pub year: Tally,
}

#[derive(Clone, Debug)]
pub struct Pack {
    pub school: String,
    pub term: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub made: NaiveDateTime,
    pub target: f64,
    pub figures: ReportRow,
    /// The same dates a year before, where the school has marks then.
    pub last_year: Option<(NaiveDate, NaiveDate, ReportRow)>,
    pub by_year: Vec<ReportRow>,
    /// All pupils, then each characteristic (FSM, SEN...), as the DfE's tables set them.
    pub by_cohort: Vec<ReportRow>,
    pub weeks: Vec<(NaiveDate, Tally)>,
    pub breaks: AroundBreaks,
    pub illness: Vec<Illness>,
    pub stages: Vec<StageFigures>,
}

/// The term a name like `autumn-2026` (or "Autumn 2026") names, among the school's.
pub fn find_term(
    terms: &[(String, NaiveDate, NaiveDate)],
    wanted: &str,
) -> Result<(String, NaiveDate, NaiveDate), String> {
    let slug = |s: &str| -> String {
        s.trim()
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    terms
        .iter()
        .find(|(name, _, _)| slug(name) == slug(wanted))
        .cloned()
        .ok_or_else(|| {
            let names: Vec<String> = terms.iter().map(|(n, _, _)| slug(n)).collect();
            format!(
                "--term: `{wanted}` is not one of the school's terms ({})",
                names.join(", ")
            )
        })
}

/// The same day a year before (28 February for a 29th).
fn a_year_before(date: NaiveDate) -> NaiveDate {
    date.with_year(date.year() - 1)
        .or_else(|| date.pred_opt().and_then(|d| d.with_year(d.year() - 1)))
        .unwrap_or(date)
}

fn school_row(
    client: &mut Client,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<ReportRow>, String> {
    let rows = client
        .report(from, to, ReportBy::School, ReportFilter::default())
        .map_err(|e| e.to_string())?;
    Ok(rows.into_iter().next().filter(|r| r.tally.possible() > 0))
}

/// Everything the pack shows for `term`, as of the school's today.
pub fn gather(client: &mut Client, term: &str, target: f64) -> Result<Pack, String> {
    let hello = client.hello().map_err(|e| e.to_string())?;
    if !hello.me.role.is_office() {
        return Err(
            "the pack is for office staff: it counts the whole school and its \
                    characteristics"
                .into(),
        );
    }
    let (name, start, end) = find_term(&hello.terms, term)?;
    let made = match hello.clock {
        crate::clock::ClockInfo::Fixed(t) | crate::clock::ClockInfo::Running(t) => t,
    };
    let today = made.date();
    if start > today {
        return Err(format!(
            "{name} begins on {start}: there is nothing to report yet"
        ));
    }
    let (from, to) = (start, end.min(today));
    let figures = school_row(client, from, to)?
        .ok_or_else(|| format!("no sessions recorded in {name} ({from} to {to})"))?;
    let before = (a_year_before(from), a_year_before(to));
    let last_year = school_row(client, before.0, before.1)?.map(|r| (before.0, before.1, r));
    let report = |client: &mut Client, by| {
        client
            .report(from, to, by, ReportFilter::default())
            .map_err(|e| e.to_string())
    };
    let by_year = report(client, ReportBy::Year)?;
    // A child protection plan is not a governing body's to count; a cohort of fewer than
    // five pupils could name them: neither is shown.
    let by_cohort = report(client, ReportBy::Cohort)?
        .into_iter()
        .filter(|r| r.key != "cp")
        .collect();
    let mut marks = Vec::new();
    client
        .export_pages(from, to, None, None, |rows| {
            marks.extend(rows.into_iter().map(|r| SessionMark {
                upn: r.upn,
                date: r.date,
                session: r.session,
                code: r.code,
            }));
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    // Only sessions the figures count: not "not possible" (closures, not on roll).
    marks.retain(|m| m.code.class_on(m.date) != crate::domain::codes::StatClass::NotPossible);
    let stages = stage_figures(client.stages(Some(to)).map_err(|e| e.to_string())?);
    Ok(Pack {
        school: hello.school,
        term: name,
        from,
        to,
        made,
        target,
        figures,
        last_year,
        by_year,
        by_cohort,
        weeks: weekly(&marks),
        breaks: around_breaks(&marks, to == end),
        illness: repeated_illness(&marks, REPEATED_SPELLS),
        stages,
    })
}

fn stage_figures(pupils: Vec<PupilStage>) -> Vec<StageFigures> {
    let mut out: Vec<StageFigures> = Vec::new();
    for p in pupils {
        let i = match out.iter().position(|s| s.number == p.number) {
            Some(i) => i,
            None => {
                out.push(StageFigures {
                    number: p.number,
                    name: p.stage.name.clone(),
                    pupils: 0,
                    done: 0,
                    year: Tally::default(),
                });
                out.len() - 1
            }
        };
        let s = &mut out[i];
        s.pupils += 1;
        s.year.merge(&p.year);
        if p.done.iter().any(|d| {
            d.kind == DeskKind::StageDone && d.stage.as_deref() == Some(p.stage.name.as_str())
        }) {
            s.done += 1;
        }
    }
    out.sort_by_key(|s| s.number);
    out
}

/// The reasons for absence: each absence code with its sessions, most first.
pub fn reasons(row: &ReportRow) -> Vec<(Code, u32)> {
    let mut out: Vec<(Code, u32)> = Code::ALL
        .iter()
        .zip(row.detail.codes.iter())
        .filter(|(code, n)| **n > 0 && code.info().class.is_absence())
        .map(|(code, n)| (*code, *n))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.1));
    out
}

//! How the command line spells values: dates, times, sessions, weekly patterns, thresholds,
//! output formats and what a report is broken down by. Each parser names what it expected.

use crate::domain::session::{Session, parse_hm};
use crate::domain::thresholds::ThresholdKind;
use crate::service::protocol::ReportBy;
use chrono::{NaiveDate, NaiveTime};
use clap::ValueEnum;

/// What a report is broken down by (the protocol's [`ReportBy`], as the command line spells it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    Pupil,
    Group,
    Year,
    School,
    Cohort,
}

impl From<By> for ReportBy {
    fn from(by: By) -> Self {
        match by {
            By::Pupil => ReportBy::Pupil,
            By::Group => ReportBy::Group,
            By::Year => ReportBy::Year,
            By::School => ReportBy::School,
            By::Cohort => ReportBy::Cohort,
        }
    }
}

/// How a command prints what it read: a table for people, CSV or JSON for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

pub fn parse_weekly(s: &str) -> Result<crate::domain::desk::Weekly, String> {
    crate::domain::desk::Weekly::parse(s)
}

pub fn parse_cli_date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse(s)
}

pub fn parse_cli_time(s: &str) -> Result<NaiveTime, String> {
    parse_hm(s).ok_or_else(|| format!("`{s}` is not a time HH:MM"))
}

fn parse_session_at_with(s: &str, default: Session) -> Result<(NaiveDate, Session), String> {
    crate::domain::dates::parse_session_at(s, default)
}

pub fn parse_session_at(s: &str) -> Result<(NaiveDate, Session), String> {
    parse_session_at_with(s, Session::Am)
}

pub fn parse_session_at_end(s: &str) -> Result<(NaiveDate, Session), String> {
    parse_session_at_with(s, Session::Pm)
}

pub fn parse_threshold(name: &str) -> Result<ThresholdKind, String> {
    ThresholdKind::parse(name).ok_or_else(|| {
        let all: Vec<&str> = ThresholdKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("`{name}` is not a threshold; one of: {}", all.join(", "))
    })
}

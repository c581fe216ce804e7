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
    /// With --lessons: a teaching class
    Class,
    /// With --lessons
    Subject,
    /// With --lessons
    Period,
}

impl By {
    /// The statutory report's breakdown (`None`: one for lesson reports alone).
    pub fn statutory(self) -> Option<ReportBy> {
        match self {
            By::Pupil => Some(ReportBy::Pupil),
            By::Group => Some(ReportBy::Group),
            By::Year => Some(ReportBy::Year),
            By::School => Some(ReportBy::School),
            By::Cohort => Some(ReportBy::Cohort),
            By::Class | By::Subject | By::Period => None,
        }
    }

    /// A lesson report's breakdown (`None`: one for statutory reports alone).
    pub fn lessons(self) -> Option<crate::service::protocol::LessonReportBy> {
        use crate::service::protocol::LessonReportBy as L;
        match self {
            By::Pupil => Some(L::Pupil),
            By::Class => Some(L::Class),
            By::Subject => Some(L::Subject),
            By::Period => Some(L::Period),
            By::Group | By::Year | By::School | By::Cohort => None,
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

/// An attendance target: a percentage from 50 to 100 (`--target`).
pub fn parse_target(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if (50.0..=100.0).contains(&t) => Ok(t),
        _ => Err(format!("{s} is not a percentage from 50 to 100")),
    }
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

//! Reports: the figures of a period by school, year, group or pupil, each beside the period
//! before; the DfE's compulsory-school-age filter; PA and SA lists; sorted by keyboard and
//! saved as CSV. The engine answers the same question `rollcall report` asks, so the screen
//! and the command line give the same figures.

use super::action::{Action, Effect, Go, Outgoing, Reply};
use super::nav::{ListTop, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::calendar::Calendar;
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use crate::service::report_columns::{cell_text, report_table};
use chrono::{Datelike, Days, NaiveDate};
use std::convert::Infallible;

/// The periods a keypress steps through, ending today.
pub const PERIODS: [&str; 4] = ["this week", "last 4 weeks", "last 12 weeks", "school year"];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// As the engine lists them: groups in configuration order, pupils by name.
    #[default]
    Listed,
    LowestAttendance,
    MostLate,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Listed => "as listed",
            Sort::LowestAttendance => "lowest attendance first",
            Sort::MostLate => "most late first",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ReportsScreen {
    pub by: ReportBy,
    pub period: usize,
    pub filter: ReportFilter,
    pub sort: Sort,
    pub rows: Vec<ReportRow>,
    pub loaded: bool,
    pub cursor: usize,
    pub top: ListTop,
}

impl Default for ReportsScreen {
    fn default() -> Self {
        ReportsScreen {
            by: ReportBy::Group,
            period: 1,
            filter: ReportFilter {
                compare: true,
                ..ReportFilter::default()
            },
            sort: Sort::Listed,
            rows: Vec::new(),
            loaded: false,
            cursor: 0,
            top: ListTop::default(),
        }
    }
}

/// The dates a period covers, ending `today`.
pub fn period_dates(period: usize, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let from = match period {
        0 => back(u64::from(today.weekday().num_days_from_monday())),
        1 => back(27),
        2 => back(83),
        _ => Calendar::academic_year_start(today),
    };
    (from, today)
}

impl ReportsScreen {
    pub fn dates(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        period_dates(self.period, today)
    }

    pub fn reload(&self, today: NaiveDate) -> Effect {
        let (from, to) = self.dates(today);
        Effect::new(
            Request::Report {
                from,
                to,
                by: self.by,
                filter: self.filter.clone(),
            },
            Reply::Report,
        )
    }

    fn sort_rows(&mut self) {
        let pct = |r: &ReportRow| r.attendance_pct.unwrap_or(f64::INFINITY);
        match self.sort {
            Sort::Listed => {}
            Sort::LowestAttendance => self.rows.sort_by(|a, b| pct(a).total_cmp(&pct(b))),
            Sort::MostLate => self
                .rows
                .sort_by_key(|r| std::cmp::Reverse(r.detail.late_count + r.detail.u_count)),
        }
    }
}

pub fn open(today: NaiveDate) -> (ReportsScreen, Effect) {
    let screen = ReportsScreen::default();
    let effect = screen.reload(today);
    (screen, effect)
}

pub fn loaded(s: &mut ReportsScreen, rows: Vec<ReportRow>) {
    s.rows = rows;
    s.loaded = true;
    s.sort_rows();
    s.cursor = s.cursor.min(s.rows.len().saturating_sub(1));
}

/// Reports ask nothing: they have no dialog.
pub fn on_input(s: &mut ReportsScreen, shared: &mut Shared, action: Action) -> Next<Infallible> {
    let page = shared.page();
    let today = shared.now.date();
    let refetch = |s: &mut ReportsScreen| {
        s.cursor = 0;
        s.loaded = false;
        Next::effects(vec![s.reload(today)])
    };
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.rows.len(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::ReportBy) => {
            // By cohort would say who has a characteristic: office staff only.
            s.by = match s.by {
                ReportBy::School => ReportBy::Year,
                ReportBy::Year => ReportBy::Group,
                ReportBy::Group => ReportBy::Pupil,
                ReportBy::Pupil if shared.is_office() => ReportBy::Cohort,
                ReportBy::Pupil | ReportBy::Cohort => ReportBy::School,
            };
            refetch(s)
        }
        Action::Key(KeyAction::ReportCohort) => {
            if !shared.is_office() {
                shared.error_text(
                    "reports by characteristic are for office staff: they would say who has it",
                );
                return Next::none();
            }
            let next = match s.filter.cohort {
                None => Some(0),
                Some(c) => Cohort::ALL.iter().position(|x| *x == c).map(|i| i + 1),
            };
            s.filter.cohort = next.and_then(|i| Cohort::ALL.get(i).copied());
            refetch(s)
        }
        Action::Key(KeyAction::ReportPeriod) => {
            s.period = (s.period + 1) % PERIODS.len();
            refetch(s)
        }
        Action::Key(KeyAction::CompulsoryAge) => {
            s.filter.compulsory_age = !s.filter.compulsory_age;
            refetch(s)
        }
        Action::Key(KeyAction::AbsenceLevel) => {
            s.filter.only = match s.filter.only {
                None => Some(AbsenceLevel::Pa),
                Some(AbsenceLevel::Pa) => Some(AbsenceLevel::Sa),
                Some(AbsenceLevel::Sa) => Some(AbsenceLevel::Full),
                Some(AbsenceLevel::Full) => Some(AbsenceLevel::Improved),
                Some(AbsenceLevel::Improved) => None,
            };
            refetch(s)
        }
        Action::Key(KeyAction::SortBy) => {
            s.sort = match s.sort {
                Sort::Listed => Sort::LowestAttendance,
                Sort::LowestAttendance => Sort::MostLate,
                Sort::MostLate => Sort::Listed,
            };
            // "As listed" is the engine's order: ask again rather than keep a copy.
            if s.sort == Sort::Listed {
                return refetch(s);
            }
            s.sort_rows();
            Next::none()
        }
        Action::Key(KeyAction::ExportCsv) => {
            let (from, to) = s.dates(today);
            match csv_of(s) {
                Ok(text) => {
                    let name = format!(
                        "rollcall-report-{}-{from}-{to}.csv",
                        format!("{:?}", s.by).to_lowercase()
                    );
                    shared.outbox.push(Outgoing { name, text });
                }
                Err(e) => shared.error_text(format!("the CSV could not be made: {e}")),
            }
            Next::none()
        }
        Action::Key(KeyAction::PupilYear) if s.by == ReportBy::Pupil => {
            match s.rows.get(s.cursor) {
                Some(row) => Next::go(Go::PupilYear {
                    upn: row.key.clone(),
                }),
                None => Next::none(),
            }
        }
        _ => Next::none(),
    }
}

/// The rows on screen as CSV, in the order shown: the columns `rollcall report --format
/// csv --compare` prints for the same filter (one table, `service::report_columns`).
pub fn csv_of(s: &ReportsScreen) -> Result<String, csv::Error> {
    let (header, records) = report_table(s.by, &s.rows, s.filter.compare);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    for record in &records {
        w.write_record(record.iter().map(cell_text))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

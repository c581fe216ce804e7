//! `rollcall report`: the figures of a period by pupil, group, year or school, as a table,
//! CSV or JSON. The app's reports view asks the engine the same question.

use super::error::CliResult;
use super::output::write_rows;
use super::values::{By, Format, parse_cli_date};
use crate::domain::stats::round1;
use crate::service::Client;
use crate::service::protocol::*;
use crate::service::report_columns::{cell_text, report_table};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::io::Write;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[arg(long, value_parser = parse_cli_date)]
    from: NaiveDate,
    #[arg(long, value_parser = parse_cli_date)]
    to: NaiveDate,
    #[arg(long, value_enum)]
    by: By,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Only pupils of compulsory school age (5 to 15 on the previous 31 August), as the
    /// DfE's headline figures count
    #[arg(long)]
    compulsory_age: bool,
    /// Only persistently (pa: 10% or more) or severely (sa: 50% or more) absent pupils; or,
    /// for recognition, those with full attendance (full), or up on the period before by the
    /// school's `[recognition] improved_by_points` (improved; 5 unless it says)
    #[arg(long, value_enum)]
    only: Option<Level>,
    /// Set each row beside the period of the same length just before
    #[arg(long)]
    compare: bool,
    /// Only pupils with a characteristic on the last day (office): sen (support or EHC
    /// plan), ehcp, fsm, pp, lac, cin, cp, eal
    #[arg(long, value_enum)]
    cohort: Option<CohortArg>,
    /// Lesson attendance (secondary schools) by pupil, class, subject or period, with the
    /// lessons missed after registering (post-registration truancy); office
    #[arg(long)]
    lessons: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CohortArg {
    Sen,
    Ehcp,
    Fsm,
    Pp,
    Lac,
    Cin,
    Cp,
    Eal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Level {
    Pa,
    Sa,
    Full,
    Improved,
}

impl ReportArgs {
    pub fn filter(&self) -> ReportFilter {
        ReportFilter {
            compulsory_age: self.compulsory_age,
            only: self.only.map(|l| match l {
                Level::Pa => AbsenceLevel::Pa,
                Level::Sa => AbsenceLevel::Sa,
                Level::Full => AbsenceLevel::Full,
                Level::Improved => AbsenceLevel::Improved,
            }),
            compare: self.compare,
            cohort: self.cohort.map(|c| match c {
                CohortArg::Sen => Cohort::Sen,
                CohortArg::Ehcp => Cohort::Ehcp,
                CohortArg::Fsm => Cohort::Fsm,
                CohortArg::Pp => Cohort::Pp,
                CohortArg::Lac => Cohort::Lac,
                CohortArg::Cin => Cohort::Cin,
                CohortArg::Cp => Cohort::Cp,
                CohortArg::Eal => Cohort::Eal,
            }),
        }
    }
}

pub(super) fn run(client: &mut Client, args: &ReportArgs, out: &mut impl Write) -> CliResult {
    if args.lessons {
        let Some(by) = args.by.lessons() else {
            return Err(super::error::CliError::Failed(
                "a lesson report is --by pupil, class, subject or period".into(),
            ));
        };
        return lesson_report(client, args, by, out);
    }
    let Some(by) = args.by.statutory() else {
        return Err(super::error::CliError::Failed(
            "--by class, subject and period are for lesson reports: add --lessons".into(),
        ));
    };
    let rows = client.report(args.from, args.to, by, args.filter())?;
    write_report(out, by, &rows, args.format, args.compare)
}

/// The columns every format shares (`service::report_columns`); JSON adds `by_code`, `by_weekday`
/// and `previous`.
fn write_report(
    out: &mut impl Write,
    by: ReportBy,
    rows: &[ReportRow],
    format: Format,
    compare: bool,
) -> CliResult {
    let (header, records) = report_table(by, rows, compare);
    let rounded = |p: Option<f64>| p.map(round1);
    let table: Vec<Vec<String>> = records
        .iter()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let json = || {
        Value::Array(
            records
                .into_iter()
                .zip(rows)
                .map(|(record, row)| {
                    let mut object: serde_json::Map<String, Value> =
                        header.iter().map(|h| h.to_string()).zip(record).collect();
                    object.insert("by_code".into(), json!(row.detail.by_code()));
                    let weekdays: serde_json::Map<String, Value> = row
                        .detail
                        .weekdays()
                        .into_iter()
                        .map(|(day, f)| (day.to_string(), json!(f)))
                        .collect();
                    object.insert("by_weekday".into(), Value::Object(weekdays));
                    if let Some(previous) = &row.previous {
                        object.insert(
                            "previous".into(),
                            json!({
                                "from": previous.from,
                                "to": previous.to,
                                "possible": previous.possible,
                                "attendance_pct": rounded(previous.attendance_pct),
                            }),
                        );
                    }
                    Value::Object(object)
                })
                .collect(),
        )
    };
    write_rows(out, &header, &table, format, json)
}

/// `report --lessons`: lesson attendance, and lessons missed after registering.
fn lesson_report(
    client: &mut Client,
    args: &ReportArgs,
    by: LessonReportBy,
    out: &mut impl Write,
) -> CliResult {
    let LessonResponse::Report { rows } = client.lesson(LessonRequest::Report {
        from: args.from,
        to: args.to,
        by,
    })?
    else {
        return Ok(());
    };
    let key = match by {
        LessonReportBy::Pupil => "upn",
        LessonReportBy::Class => "class",
        LessonReportBy::Subject => "subject",
        LessonReportBy::Period => "period",
    };
    let header = [
        key,
        if by == LessonReportBy::Pupil {
            "name"
        } else {
            "pupils"
        },
        "lessons",
        "present",
        "late",
        "absent",
        "attendance_pct",
        "minutes_late",
        "missing_after_registration",
    ];
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                if by == LessonReportBy::Pupil {
                    r.label.clone()
                } else {
                    r.pupils.to_string()
                },
                r.lessons.to_string(),
                r.present.to_string(),
                r.late.to_string(),
                r.absent.to_string(),
                r.attendance_pct
                    .map(|p| format!("{:.1}", round1(p)))
                    .unwrap_or_default(),
                r.minutes_late.to_string(),
                r.missing.to_string(),
            ]
        })
        .collect();
    write_rows(out, &header, &table, args.format, || json!(rows))
}

//! A report as a table: the columns `rollcall report` prints (as a table, CSV or JSON) and
//! the reports view saves as CSV, written once so that both say the same for the same rows.

use super::protocol::{ReportBy, ReportRow};
use crate::domain::stats::round1;
use serde_json::{Value, json};

/// The header and each row's cells, as JSON values (numbers stay numbers for JSON; text
/// formats print them with [`cell_text`]). `compare` adds the period before's rate.
pub fn report_table(
    by: ReportBy,
    rows: &[ReportRow],
    compare: bool,
) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let key = match by {
        ReportBy::Pupil => "upn",
        ReportBy::Group => "group",
        ReportBy::Year => "year",
        ReportBy::School => "school",
        ReportBy::Cohort => "cohort",
    };
    let per_pupil = by == ReportBy::Pupil;
    let mut header = vec![
        key,
        if per_pupil { "name" } else { "pupils" },
        "possible",
        "present",
        "aea",
        "authorised",
        "unauthorised",
        "attendance_pct",
        "absence_pct",
        "days_lost",
        "authorised_pct",
        "unauthorised_pct",
        "late_count",
        "minutes_late_mean",
        "u_count",
        "pa",
        "sa",
        "band",
    ];
    if compare {
        header.push("previous_attendance_pct");
    }
    let rounded = |p: Option<f64>| p.map(round1);
    let records: Vec<Vec<Value>> = rows
        .iter()
        .map(|r| {
            let mut record = vec![
                json!(r.key),
                if per_pupil {
                    json!(r.label)
                } else {
                    json!(r.pupils)
                },
                json!(r.tally.possible()),
                json!(r.tally.present),
                json!(r.tally.aea),
                json!(r.tally.authorised),
                json!(r.tally.unauthorised),
                json!(rounded(r.attendance_pct)),
                json!(rounded(r.absence_pct)),
                // Absent sessions over two (SPEC §3.6): what a parent is told a rate costs.
                json!(r.tally.days_lost()),
                json!(rounded(r.tally.authorised_pct())),
                json!(rounded(r.tally.unauthorised_pct())),
                json!(r.detail.late_count),
                json!(rounded(r.detail.minutes_late_mean())),
                json!(r.detail.u_count),
                // A pupil is PA or not; an aggregate counts its PA pupils.
                if per_pupil {
                    json!(r.pa > 0)
                } else {
                    json!(r.pa)
                },
                if per_pupil {
                    json!(r.sa > 0)
                } else {
                    json!(r.sa)
                },
                json!(r.band),
            ];
            if compare {
                record.push(json!(
                    r.previous.as_ref().and_then(|p| rounded(p.attendance_pct))
                ));
            }
            record
        })
        .collect();
    (header, records)
}

/// A cell as text: rates to one decimal place, yes/no for a pupil's PA and SA.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) if n.is_f64() => format!("{:.1}", round1(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

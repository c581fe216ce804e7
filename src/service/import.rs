//! Reading a pupil list exported from a management information system.
//!
//! All or nothing: every bad row is reported (row number as a spreadsheet shows it, header
//! being row 1, and the column), and if there is any, nothing is saved.

use crate::domain::School;
use crate::domain::people::{Pupil, YearGroup, check_upn};
use chrono::NaiveDate;
use std::collections::HashMap;

pub const PUPIL_COLUMNS: [&str; 6] = ["upn", "surname", "forename", "dob", "year", "group"];

pub struct ImportRow {
    pub pupil: Pupil,
    pub group: String,
}

/// Parses `YYYY-MM-DD`, or `DD/MM/YYYY` as English MIS exports write dates.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

pub fn parse_pupils(
    file: &str,
    text: &str,
    school: &School,
    today: NaiveDate,
) -> Result<Vec<ImportRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect(),
        Err(e) => return Err(format!("{file}: row 1: cannot read the header: {e}")),
    };
    if header != PUPIL_COLUMNS {
        return Err(format!(
            "{file}: row 1: the header is `{}`; it must be `{}`",
            header.join(","),
            PUPIL_COLUMNS.join(",")
        ));
    }
    let mut errors: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut first_seen: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let row = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{file}: row {row}: {e}"));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != PUPIL_COLUMNS.len() {
            errors.push(format!(
                "{file}: row {row}: {} columns; expected {} ({})",
                record.len(),
                PUPIL_COLUMNS.len(),
                PUPIL_COLUMNS.join(",")
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        let mut bad = |column: &str, message: String| {
            errors.push(format!("{file}: row {row}, column {column}: {message}"))
        };
        let upn = cell(0);
        let mut ok = true;
        if let Err(e) = check_upn(&upn) {
            bad("upn", e);
            ok = false;
        } else if let Some(first) = first_seen.get(&upn) {
            bad("upn", format!("{upn} appears again (first on row {first})"));
            ok = false;
        } else {
            first_seen.insert(upn.clone(), row);
        }
        for (i, name) in [(1, "surname"), (2, "forename")] {
            if cell(i).is_empty() {
                bad(name, "is empty".into());
                ok = false;
            }
        }
        let dob = parse_date(&cell(3));
        match dob {
            None => {
                bad(
                    "dob",
                    format!("`{}` is not a date (YYYY-MM-DD or DD/MM/YYYY)", cell(3)),
                );
                ok = false;
            }
            Some(d) if d >= today => {
                bad("dob", format!("{d} is not in the past"));
                ok = false;
            }
            Some(_) => {}
        }
        let year = YearGroup::parse(&cell(4));
        if year.is_none() {
            bad(
                "year",
                format!("`{}` is not a year group (N1, N2, R, 1 to 14)", cell(4)),
            );
            ok = false;
        }
        let group = cell(5);
        if school.group(&group).is_none() {
            let names: Vec<&str> = school.groups.iter().map(|g| g.name.as_str()).collect();
            bad(
                "group",
                format!(
                    "`{group}` is not a group in the school configuration (groups: {})",
                    names.join(", ")
                ),
            );
            ok = false;
        }
        if let (true, Some(dob), Some(year)) = (ok, dob, year) {
            rows.push(ImportRow {
                pupil: Pupil {
                    upn,
                    surname: cell(1),
                    forename: cell(2),
                    dob,
                    year,
                },
                group,
            });
        }
    }
    if !errors.is_empty() {
        let count = errors.len();
        errors.push(format!(
            "{count} problem{} found; nothing was imported",
            if count == 1 { "" } else { "s" }
        ));
        return Err(errors.join("\n"));
    }
    if rows.is_empty() {
        return Err(format!(
            "{file}: no pupils in the file; nothing was imported"
        ));
    }
    Ok(rows)
}

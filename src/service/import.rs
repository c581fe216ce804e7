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

pub fn parse_pupils(
    file: &str,
    text: &str,
    school: &School,
    today: NaiveDate,
) -> Result<Vec<ImportRow>, String> {
    let (lines, starts) = crate::files::RecordLines::new(text.as_bytes(), None);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(lines);
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
    // The row as a spreadsheet numbers it (blank lines count), not the count of records: the
    // header is record 0.
    let row_of = |index: usize| starts.borrow().get(index + 1).copied().unwrap_or(0);
    for (index, record) in reader.records().enumerate() {
        let row = row_of(index);
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
            } else if let Err(why) = crate::domain::text::check_line(name, &cell(i)) {
                bad(name, why);
                ok = false;
            }
        }
        let dob = crate::domain::dates::parse(&cell(3));
        let dob = match dob {
            Err(why) => {
                bad("dob", why);
                ok = false;
                None
            }
            Ok(d) => Some(d),
        };
        match dob {
            None => {}
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

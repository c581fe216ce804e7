//! Reading a pupil list exported from a management information system.
//!
//! All or nothing: every bad row is reported (row number as a spreadsheet shows it, header
//! being row 1, and the column), and if there is any, nothing is saved.

use crate::domain::School;
use crate::domain::people::{Pupil, Sex, YearGroup, check_upn};
use chrono::NaiveDate;
use std::collections::HashMap;

pub const PUPIL_COLUMNS: [&str; 6] = ["upn", "surname", "forename", "dob", "year", "group"];

pub struct ImportRow {
    pub pupil: Pupil,
    pub group: String,
    /// The pupil's contacts, when the list has contact columns (`None`: it has none, and
    /// what an earlier list said stands).
    pub contacts: Option<Vec<crate::domain::people::Contact>>,
    /// What the list's characteristic columns say (empty: it has none).
    pub characteristics: Vec<crate::service::characteristics::Said>,
}

pub fn parse_pupils(
    file: &str,
    text: &str,
    school: &School,
    today: NaiveDate,
) -> Result<Vec<ImportRow>, String> {
    let (mut reader, header, starts) = open_csv(file, text)?;
    let (sex_column, contact_columns, characteristic_columns) = optional_columns(file, &header)?;
    let columns = header.len();
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
        if record.len() != columns {
            errors.push(format!(
                "{file}: row {row}: {} columns; expected {columns} ({})",
                record.len(),
                header.join(",")
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
        let sex = match sex_column {
            Some(i) => Sex::parse(&cell(i)).unwrap_or_else(|why| {
                bad("sex", why);
                ok = false;
                None
            }),
            None => None,
        };
        let characteristics = characteristic_columns.read(cell, |column, why| {
            bad(column, why);
            ok = false;
        });
        let contacts = contact_columns.any().then(|| {
            contact_columns.read(cell, |column, why| {
                bad(column, why);
                ok = false;
            })
        });
        if let (true, Some(dob), Some(year)) = (ok, dob, year) {
            rows.push(ImportRow {
                pupil: Pupil {
                    upn,
                    surname: cell(1),
                    forename: cell(2),
                    dob,
                    year,
                    sex,
                },
                group,
                contacts,
                characteristics,
            });
        }
    }
    all_or_nothing(errors)?;
    if rows.is_empty() {
        return Err(format!(
            "{file}: no pupils in the file; nothing was imported"
        ));
    }
    Ok(rows)
}

/// The columns after the six every list has: `sex` and the contact columns, where each is.
fn optional_columns(
    file: &str,
    header: &[String],
) -> Result<
    (
        Option<usize>,
        crate::service::contacts::ContactColumns,
        crate::service::characteristics::CharacteristicColumns,
    ),
    String,
> {
    // The six columns, then `sex` and contact columns if the list has them (the DfE's files
    // need sex; the office calls the contacts).
    if header[..header.len().min(PUPIL_COLUMNS.len())] != PUPIL_COLUMNS {
        return Err(format!(
            "{file}: row 1: the header is `{}`; it must begin `{}` (then `sex` and \
             `contact1_name`... if the list has them)",
            header.join(","),
            PUPIL_COLUMNS.join(",")
        ));
    }
    let mut sex_column = None;
    let mut contact_columns = crate::service::contacts::ContactColumns::default();
    let mut characteristic_columns =
        crate::service::characteristics::CharacteristicColumns::default();
    for (i, name) in header.iter().enumerate().skip(PUPIL_COLUMNS.len()) {
        if name == "sex" && sex_column.is_none() {
            sex_column = Some(i);
        } else if characteristic_columns.take(i, name) {
            continue;
        } else if !contact_columns
            .take(i, name)
            .map_err(|why| format!("{file}: row 1: {why}"))?
        {
            return Err(format!(
                "{file}: row 1: column `{name}` is not one rollcall reads: after `{}` come \
                 `sex`, the characteristics (sen, fsm, pp, lac, cin, cp, young_carer, eal, \
                 social_worker) and contact1_name, contact1_relationship, contact1_phone, \
                 contact1_email, contact1_priority, contact1_pr, contact1_no_contact (to 4)",
                PUPIL_COLUMNS.join(",")
            ));
        }
    }
    Ok((sex_column, contact_columns, characteristic_columns))
}

/// The columns a marks file must have, in any order (as `rollcall export marks` writes them,
/// with more that are read when present: `arrived`, `minutes_late`, `note`, `group`).
pub const MARK_COLUMNS: [&str; 4] = ["date", "session", "upn", "code"];

/// One mark read from a file of historic marks.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkRow {
    /// The row as a spreadsheet numbers it.
    pub row: u64,
    pub date: NaiveDate,
    pub session: crate::domain::session::Session,
    pub upn: String,
    pub code: crate::domain::codes::Code,
    pub arrived: Option<chrono::NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
    pub group: Option<String>,
}

/// Reads a file of marks row by row, handing each good row to `each` as it is read: nothing
/// of the file is held but the sessions seen (to refuse one twice), so a year of marks is
/// read in bounded memory. Every bad row is named with its row and column; a code is taken as
/// it was on the mark's date: a withdrawn code is accepted for the dates it was in use and
/// counted as it was; the same code dated later, and any code rollcall does not know, is an
/// error (never silently "not possible"). The rows read, or every problem (all or nothing).
pub fn each_mark_row(file: &str, text: &str, mut each: impl FnMut(MarkRow)) -> Result<u32, String> {
    let (mut reader, header, starts) = open_csv(file, text)?;
    let columns = MarkColumns::find(file, &header)?;
    let row_of = |index: usize| starts.borrow().get(index + 1).copied().unwrap_or(0);
    let mut errors = Problems::default();
    let mut read = 0u32;
    // A session as eight bytes (the pupil's number in this file, the day, the session), and
    // the row it was first on: a year's file is three quarters of a million sessions.
    let mut pupils: HashMap<String, u64> = HashMap::new();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut index = 0;
    loop {
        let row = row_of(index);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(format!("{file}: row {row}: {e}"));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                index += 1;
                continue;
            }
        }
        let row = row_of(index);
        index += 1;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut bad = |column: &str, message: String| {
            errors.push(format!("{file}: row {row}, column {column}: {message}"))
        };
        let Some((key, mark)) = columns.read(&record, row, &mut bad) else {
            continue;
        };
        let (date, session, upn) = &key;
        let next = pupils.len() as u64;
        let pupil = *pupils.entry(upn.clone()).or_insert(next);
        let days = chrono::Datelike::num_days_from_ce(date) as u64;
        let packed = (pupil << 24) | (days << 1) | u64::from(*session);
        if let Some(first) = seen.get(&packed) {
            let session = if *session == 0 { "AM" } else { "PM" };
            bad(
                "date",
                format!("{upn} {date} {session} appears again (first on row {first})"),
            );
            continue;
        }
        seen.insert(packed, row as u32);
        if let Some(mark) = mark {
            read += 1;
            each(mark);
        }
    }
    errors.into_result()?;
    if read == 0 {
        return Err(format!(
            "{file}: no marks in the file; nothing was imported"
        ));
    }
    Ok(read)
}

/// Where each column of a marks file is.
struct MarkColumns {
    date: usize,
    session: usize,
    upn: usize,
    code: usize,
    arrived: Option<usize>,
    minutes_late: Option<usize>,
    note: Option<usize>,
    group: Option<usize>,
}

impl MarkColumns {
    /// The columns by the header's names, in any order; the required ones must be there.
    fn find(file: &str, header: &[String]) -> Result<MarkColumns, String> {
        let column = |name: &str| header.iter().position(|h| h == name);
        let missing: Vec<&str> = MARK_COLUMNS
            .iter()
            .copied()
            .filter(|c| column(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{file}: row 1: the header has no {} column (it needs {}, in any order; \
                 `rollcall export marks` writes them)",
                missing.join(", "),
                MARK_COLUMNS.join(", ")
            ));
        }
        let [date, session, upn, code] = MARK_COLUMNS.map(|c| column(c).unwrap_or(0));
        Ok(MarkColumns {
            date,
            session,
            upn,
            code,
            arrived: column("arrived"),
            minutes_late: column("minutes_late"),
            note: column("note"),
            group: column("group"),
        })
    }

    /// One row: the session it is for (if date, session and UPN read) and its mark (if every
    /// cell reads); each bad cell is told to `bad` with its column.
    fn read(
        &self,
        record: &csv::StringRecord,
        row: u64,
        bad: &mut impl FnMut(&str, String),
    ) -> Option<((NaiveDate, u8, String), Option<MarkRow>)> {
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        let optional = |i: Option<usize>| i.map(cell).filter(|c| !c.is_empty());
        let date = crate::domain::dates::parse(&cell(self.date))
            .map_err(|why| bad("date", why))
            .ok();
        let session: Option<crate::domain::session::Session> =
            cell(self.session).to_lowercase().parse().ok();
        if session.is_none() {
            bad(
                "session",
                format!("`{}` is not a session (am or pm)", cell(self.session)),
            );
        }
        let upn = cell(self.upn);
        let upn_ok = check_upn(&upn).map_err(|why| bad("upn", why)).is_ok();
        let code =
            date.and_then(
                |date| match crate::domain::codes::for_mark_on(&cell(self.code), date) {
                    Ok(info) => Some(info.code),
                    Err(crate::domain::codes::CodeError::Withdrawn(code, since)) => {
                        bad(
                            "code",
                            format!(
                                "`{code}` was withdrawn {since}: it is read only for marks dated \
                             before then, and this one is dated {date}"
                            ),
                        );
                        None
                    }
                    Err(why) => {
                        bad("code", why.to_string());
                        None
                    }
                },
            );
        let arrived = optional(self.arrived).and_then(|t| {
            chrono::NaiveTime::parse_from_str(&t, "%H:%M")
                .map_err(|_| bad("arrived", format!("`{t}` is not a time HH:MM")))
                .ok()
        });
        let minutes_late = optional(self.minutes_late).and_then(|m| match m.parse::<u16>() {
            Ok(m) if m <= 600 => Some(m),
            _ => {
                bad(
                    "minutes_late",
                    format!("`{m}` is not a number of minutes (0 to 600)"),
                );
                None
            }
        });
        let note = optional(self.note);
        if let Some(n) = &note
            && let Err(why) = crate::domain::text::check_line("the note", n)
        {
            bad("note", why);
        }
        let group = optional(self.group);
        if let Some(g) = &group
            && let Err(why) = crate::domain::text::check_line("the group", g)
        {
            bad("group", why);
        }
        let (Some(date), Some(session), true) = (date, session, upn_ok) else {
            return None;
        };
        let key = (date, session.index(), upn.clone());
        let mark = code.map(|code| MarkRow {
            row,
            date,
            session,
            upn,
            code,
            arrived,
            minutes_late,
            note,
            group,
        });
        Some((key, mark))
    }
}

/// A CSV file's reader, its header (lower case, without a spreadsheet's byte-order mark) and
/// where each record starts, as a spreadsheet numbers rows.
type Starts = std::rc::Rc<std::cell::RefCell<Vec<u64>>>;

/// A CSV reader over a file's text, its records numbered as a spreadsheet numbers rows.
type CsvReader<'a> = csv::Reader<crate::files::RecordLines<&'a [u8]>>;

fn open_csv<'a>(file: &str, text: &'a str) -> Result<(CsvReader<'a>, Vec<String>, Starts), String> {
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
    Ok((reader, header, starts))
}

/// Every row of a CSV file with named columns, in any order: `columns` the names it may have,
/// the first `required` of them needed. Each row's cells come in the order of `columns`
/// (empty where the file has no such column), with the row's number as a spreadsheet shows
/// it. A column the file has that is not one of these is named, as is a row that cannot be
/// read; blank rows are skipped.
pub fn named_rows(
    file: &str,
    text: &str,
    columns: &[&str],
    required: usize,
) -> Result<Vec<(usize, Vec<String>)>, String> {
    let (mut reader, header, starts) = open_csv(file, text)?;
    let missing: Vec<&str> = columns[..required]
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{file}: row 1: the header has no {} column (it needs {}, in any order)",
            missing.join(", "),
            columns[..required].join(", ")
        ));
    }
    if let Some((i, twice)) = header
        .iter()
        .enumerate()
        .find(|(i, h)| header[..*i].contains(h))
    {
        return Err(format!(
            "{file}: row 1: `{twice}` is column {} and an earlier one: which is meant?",
            i + 1
        ));
    }
    if let Some(unknown) = header.iter().find(|h| !columns.contains(&h.as_str())) {
        return Err(format!(
            "{file}: row 1: `{unknown}` is not a column of this file (it may have {})",
            columns.join(", ")
        ));
    }
    let at: Vec<Option<usize>> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c))
        .collect();
    let mut errors = Problems::default();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut index = 0;
    loop {
        let read = reader.read_record(&mut record);
        let row = starts.borrow().get(index + 1).copied().unwrap_or(0) as usize;
        index += 1;
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(format!("{file}: row {row}: {e}"));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        // A cell more than the header has is a comma inside an unquoted value: refused,
        // never dropped ("Room 5, Block B").
        if record.len() > header.len() {
            errors.push(format!(
                "{file}: row {row}: {} cells where the header has {}: quote a value that holds a \
                 comma",
                record.len(),
                header.len()
            ));
            continue;
        }
        let cells = at
            .iter()
            .map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_string())
            .collect();
        rows.push((row, cells));
    }
    errors.into_result()?;
    Ok(rows)
}

/// Problems an import found, at most a hundred kept with a count of the rest: a hostile file
/// with millions of bad rows costs a count, not a string each.
#[derive(Default)]
pub struct Problems {
    shown: Vec<String>,
    more: usize,
}

impl Problems {
    pub fn push(&mut self, problem: String) {
        if self.shown.len() < 100 {
            self.shown.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// Every problem kept, one a line, with a count of the rest.
    pub fn into_lines(mut self) -> Vec<String> {
        if self.more > 0 {
            self.shown
                .push(format!("... and {} more problems like these", self.more));
        }
        self.shown
    }

    /// The verdict, as [`all_or_nothing`] gives it.
    pub fn into_result(mut self) -> Result<(), String> {
        if self.more > 0 {
            let total = self.shown.len() + self.more;
            self.shown
                .push(format!("... and {} more problems like these", self.more));
            return Err(format!(
                "{}\n{total} problems found; nothing was imported",
                self.shown.join("\n")
            ));
        }
        all_or_nothing(self.shown)
    }
}

/// Every problem found, then the verdict: an import is all or nothing.
pub fn all_or_nothing(mut errors: Vec<String>) -> Result<(), String> {
    if errors.is_empty() {
        return Ok(());
    }
    let count = errors.len();
    errors.push(format!(
        "{count} problem{} found; nothing was imported",
        if count == 1 { "" } else { "s" }
    ));
    Err(errors.join("\n"))
}

//! Reading a transfer file, all or nothing: every missing or bad element is named by its path
//! (and the pupil's UPN), and any problem refuses the whole file.

use super::file::{CtfFile, CtfPupil, CtfSchool, CtfYear};
use super::tree::{Node, tree};
use crate::domain::people::{Sex, check_upn};
use crate::domain::stats::Tally;
use crate::service::contacts::MAX_CONTACTS;
use crate::service::import::Problems;
use chrono::{NaiveDate, NaiveDateTime};

/// The most pupils a transfer file may hold: far beyond a school's whole roll.
pub const MAX_PUPILS: usize = 20_000;
/// The most school years one pupil's attendance may hold.
pub const MAX_YEARS: usize = 20;
/// One school year's sessions at most: two a day for 366 days.
pub const MAX_MARKS: usize = 2 * 366;

/// An element's text, trimmed; a missing element is named by its path.
fn text(node: Option<&Node>, path: &str, errors: &mut Problems) -> String {
    match node {
        Some(n) => n.text.trim().to_string(),
        None => {
            errors.push(format!("{path} is missing"));
            String::new()
        }
    }
}

/// A name (a pupil's, a school's): text as every door takes it (SPEC: at most
/// [`crate::domain::text::MAX_LEN`] characters, nothing that does not print), not empty.
fn name(node: Option<&Node>, path: &str, errors: &mut Problems) -> String {
    let text = text(node, path, errors);
    if node.is_some() && text.is_empty() {
        errors.push(format!("{path} is empty"));
    } else if let Err(why) = crate::domain::text::check_line("it", &text) {
        errors.push(format!("{path}: {why}"));
        return String::new();
    }
    text
}

/// A date element; a bad one is named by its path.
fn date(node: Option<&Node>, path: &str, errors: &mut Problems) -> NaiveDate {
    let text = text(node, path, errors);
    crate::domain::dates::parse(&text).unwrap_or_else(|why| {
        if !text.is_empty() {
            errors.push(format!("{path}: {why}"));
        }
        NaiveDate::default()
    })
}

/// Reads a CTF, all or nothing: every missing or bad element is named by its path (and the
/// pupil's UPN), and any problem refuses the whole file.
pub fn read(xml: &str) -> Result<CtfFile, Vec<String>> {
    let root = tree(xml).map_err(|e| vec![e])?;
    if root.name != "CTfile" {
        return Err(vec![format!(
            "the root element is `{}`, not CTfile",
            root.name
        )]);
    }
    let mut errors = Problems::default();
    let (date_time, source, dest_lea, dest_estab) = header(&root, &mut errors);
    let data = root.child("CTFpupilData");
    if data.is_none() {
        errors.push("CTfile/CTFpupilData is missing".into());
    }
    let count = data.iter().flat_map(|d| d.all("Pupil")).count();
    if count > MAX_PUPILS {
        return Err(vec![format!(
            "CTfile/CTFpupilData holds {count} pupils, more than the {MAX_PUPILS} a transfer file \
             rollcall reads may hold: send a school's pupils in files of fewer"
        )]);
    }
    let pupils: Vec<CtfPupil> = data
        .iter()
        .flat_map(|d| d.all("Pupil"))
        .enumerate()
        .map(|(n, p)| pupil(p, n, date_time.date(), &mut errors))
        .collect();
    // One UPN is one pupil: a second record under it is refused, not merged or skipped.
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (n, p) in pupils.iter().enumerate() {
        if p.upn.is_empty() {
            continue;
        }
        if let Some(k) = first.get(p.upn.as_str()) {
            errors.push(format!(
                "CTfile/CTFpupilData/Pupil[{}] ({}): the UPN is also Pupil[{}]'s: one UPN is one pupil",
                n + 1,
                p.upn,
                k + 1
            ));
        } else {
            first.insert(&p.upn, n);
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_lines());
    }
    Ok(CtfFile {
        date_time,
        source,
        dest_lea,
        dest_estab,
        pupils,
    })
}

/// The header: when the file was made, the school it comes from and the one it is for.
fn header(root: &Node, errors: &mut Problems) -> (NaiveDateTime, CtfSchool, String, String) {
    let header = root.child("Header");
    if header.is_none() {
        errors.push("CTfile/Header is missing".into());
    }
    let source = header.and_then(|h| h.child("SourceSchool"));
    let dest = header.and_then(|h| h.child("DestSchool"));
    let date_time_text = text(
        header.and_then(|h| h.child("DateTime")),
        "CTfile/Header/DateTime",
        errors,
    );
    let date_time = NaiveDateTime::parse_from_str(&date_time_text, "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|_| {
            if !date_time_text.is_empty() {
                errors.push(format!(
                    "CTfile/Header/DateTime: `{date_time_text}` is not a date and time"
                ));
            }
            NaiveDateTime::default()
        });
    let mut from_source = |name: &str| {
        text(
            source.and_then(|s| s.child(name)),
            &format!("CTfile/Header/SourceSchool/{name}"),
            errors,
        )
    };
    let academic = from_source("AcademicYear");
    let source_school = CtfSchool {
        lea: from_source("LEA"),
        estab: from_source("Estab"),
        name: from_source("SchoolName"),
        academic_year: academic.parse().unwrap_or(0),
    };
    let mut from_dest = |name: &str| {
        text(
            dest.and_then(|d| d.child(name)),
            &format!("CTfile/Header/DestSchool/{name}"),
            errors,
        )
    };
    let (dest_lea, dest_estab) = (from_dest("LEA"), from_dest("Estab"));
    (date_time, source_school, dest_lea, dest_estab)
}

/// The `n`th pupil (from 0): their details, contacts and characteristics (as on `on`, the
/// file's date), and each school year's attendance.
fn pupil(p: &Node, n: usize, on: NaiveDate, errors: &mut Problems) -> CtfPupil {
    let upn = p
        .child("UPN")
        .map(|u| u.text.trim().to_string())
        .unwrap_or_default();
    let at = if upn.is_empty() {
        format!("CTfile/CTFpupilData/Pupil[{}]", n + 1)
    } else {
        format!("CTfile/CTFpupilData/Pupil[{}] ({upn})", n + 1)
    };
    if let Err(why) = check_upn(&upn) {
        errors.push(format!("{at}/UPN: {why}"));
    }
    super::people::once(
        p,
        &["UPN", "Surname", "Forename", "DOB", "Sex", "Attendance"],
        &at,
        errors,
    );
    let surname = name(p.child("Surname"), &format!("{at}/Surname"), errors);
    let forename = name(p.child("Forename"), &format!("{at}/Forename"), errors);
    let dob = date(p.child("DOB"), &format!("{at}/DOB"), errors);
    let sex = match p.child("Sex") {
        None => None,
        Some(s) => Sex::parse(&s.text).unwrap_or_else(|why| {
            errors.push(format!("{at}/Sex: {why}"));
            None
        }),
    };
    let years = p
        .child("Attendance")
        .iter()
        .flat_map(|a| a.all("YearData"))
        .enumerate()
        .take(MAX_YEARS + 1)
        .map(|(k, y)| year(y, &format!("{at}/Attendance/YearData[{}]", k + 1), errors))
        .collect::<Vec<_>>();
    if years.len() > MAX_YEARS {
        errors.push(format!(
            "{at}/Attendance: more than {MAX_YEARS} YearData: a pupil's school years are fewer"
        ));
    }
    let contacts = super::people::contacts(p, &at, errors);
    CtfPupil {
        upn,
        surname,
        forename,
        dob,
        sex,
        years,
        contacts_left_out: contacts.len().saturating_sub(MAX_CONTACTS as usize) as u32,
        contacts: contacts.into_iter().take(MAX_CONTACTS as usize).collect(),
        traits: super::people::traits(p, &at, on, errors),
    }
}

/// One school year's attendance at one school; its marks must read and give the totals the
/// file states.
fn year(y: &Node, at: &str, errors: &mut Problems) -> CtfYear {
    let get =
        |name: &str, errors: &mut Problems| text(y.child(name), &format!("{at}/{name}"), errors);
    let number = |name: &str, errors: &mut Problems| -> u32 {
        let t = get(name, errors);
        t.parse().unwrap_or_else(|_| {
            if !t.is_empty() {
                errors.push(format!("{at}/{name}: `{t}` is not a number of sessions"));
            }
            0
        })
    };
    let sessions = y.child("AttendSessions");
    let start_path = format!("{at}/AttendSessions/AttendanceStartDate");
    let start_node = sessions.and_then(|s| s.child("AttendanceStartDate"));
    let start_text = text(start_node, &start_path, errors);
    let start = crate::domain::dates::parse(&start_text);
    if let Err(why) = &start
        && start_node.is_some()
    {
        errors.push(format!("{start_path}: {why}"));
    }
    let year_text = get("Year", errors);
    let year_number = year_text.parse().unwrap_or_else(|_| {
        if !year_text.is_empty() {
            errors.push(format!("{at}/Year: `{year_text}` is not a year"));
        }
        0
    });
    let year = CtfYear {
        year: year_number,
        lea: get("LEA", errors),
        estab: get("Estab", errors),
        school_name: name(y.child("SchoolName"), &format!("{at}/SchoolName"), errors),
        possible: number("SessionsPossible", errors),
        authorised: number("SessionsAuthorised", errors),
        attended: number("SessionsAttended", errors),
        unauthorised: number("SessionsUnauthorised", errors),
        start: *start.as_ref().unwrap_or(&NaiveDate::default()),
        marks: text(
            sessions.and_then(|s| s.child("AttendanceMarks")),
            &format!("{at}/AttendSessions/AttendanceMarks"),
            errors,
        ),
    };
    // A start date that does not read leaves nothing to date the marks by: one problem.
    if start.is_err() {
        return year;
    }
    let length = year.marks.chars().count();
    if length > MAX_MARKS {
        errors.push(format!(
            "{at}/AttendSessions/AttendanceMarks: {length} sessions, more than a school year \
             holds ({MAX_MARKS})"
        ));
        return year;
    }
    match year.sessions() {
        Err(why) => errors.push(format!("{at}/AttendSessions/AttendanceMarks: {why}")),
        Ok(marks) => {
            let mut tally = Tally::default();
            for (date, _, code) in &marks {
                tally.add_code(*code, *date);
            }
            for (name, stated, counted) in [
                ("SessionsPossible", year.possible, tally.possible()),
                ("SessionsAuthorised", year.authorised, tally.authorised),
                ("SessionsAttended", year.attended, tally.attended()),
                (
                    "SessionsUnauthorised",
                    year.unauthorised,
                    tally.unauthorised,
                ),
            ] {
                if stated != counted {
                    errors.push(format!(
                        "{at}/{name}: says {stated}, but the marks give {counted}"
                    ));
                }
            }
        }
    }
    year
}

//! Data across rollcall's boundary from the command line: pupils, historic marks and
//! transfer files in; marks, the DfE's daily shape, the census and transfer files out.

use super::args::{ExportCommand, ImportCommand};
use super::error::{CliError, CliResult};
use super::input::{read_file, read_spreadsheet};
use super::progress;
use crate::domain::people::OtherSchool;
use crate::service::protocol::*;
use crate::service::{Client, ServiceError};
use chrono::NaiveDate;
use std::io::Write;

pub(super) fn import(
    client: &mut Client,
    command: &ImportCommand,
    out: &mut impl Write,
) -> CliResult {
    match command {
        ImportCommand::Timetable { file, dry_run } | ImportCommand::Classes { file, dry_run } => {
            let what = if matches!(command, ImportCommand::Timetable { .. }) {
                "timetable"
            } else {
                "classes"
            };
            super::lessons::import(client, file, *dry_run, what, out)?
        }
        ImportCommand::Ctf { file, dry_run } => {
            let xml = read_file(file)?;
            let _progress = progress::Progress::start(format!("importing {}", file.display()));
            let s = client.import_ctf(file.display().to_string(), xml, *dry_run)?;
            write_ctf_imported(out, &s)?;
        }
        ImportCommand::Marks {
            file,
            dry_run,
            school_la,
            school_estab,
            school_name,
        } => {
            let csv = read_spreadsheet(file)?;
            let _progress =
                progress::Progress::start(format!("importing marks from {}", file.display()));
            let school = match (school_la, school_estab, school_name) {
                (Some(la), Some(estab), Some(name)) => Some(OtherSchool {
                    la: la.clone(),
                    estab: estab.clone(),
                    name: name.clone(),
                }),
                _ => None,
            };
            let s = client.import_marks(file.display().to_string(), csv, *dry_run, school)?;
            let range = match (s.from, s.to) {
                (Some(from), Some(to)) => format!(", {from} to {to}"),
                _ => String::new(),
            };
            let codes: Vec<String> = s.by_code.iter().map(|(c, n)| format!("{c} {n}")).collect();
            writeln!(
                out,
                "{}{} rows: {} new, {} replacing another mark, {} already so{range}",
                if s.dry_run {
                    "dry run, nothing saved: "
                } else {
                    ""
                },
                s.rows,
                s.added,
                s.replaced,
                s.unchanged
            )?;
            if !codes.is_empty() {
                writeln!(out, "codes: {}", codes.join(", "))?;
            }
            if let Some(at) = &s.elsewhere {
                writeln!(
                    out,
                    "recorded at {} ({}/{}): kept apart, in none of this school's figures",
                    at.name, at.la, at.estab
                )?;
            }
        }
        ImportCommand::Pupils {
            file,
            from,
            end_missing,
            dry_run,
        } => {
            let csv = read_spreadsheet(file)?;
            let name = file.display().to_string();
            let s = if *dry_run {
                client.preview_pupils(name, csv, *from, *end_missing)?
            } else {
                client.import_pupils(name, csv, *from, *end_missing)?
            };
            if s.dry_run {
                writeln!(out, "dry run, nothing saved; the file would change:")?;
                for change in &s.changes {
                    writeln!(out, "  {change}")?;
                }
            }
            writeln!(
                out,
                "{} from {}: {} added, {} updated, {} moved group, {} unchanged",
                if s.dry_run {
                    "would import"
                } else {
                    "imported"
                },
                s.from.map(|d| d.to_string()).unwrap_or_default(),
                s.added,
                s.updated,
                s.moved,
                s.unchanged
            )?;
            if s.contacts + s.characteristics > 0 {
                writeln!(
                    out,
                    "{} pupils' contacts and {} pupils' characteristics set or changed",
                    s.contacts, s.characteristics
                )?;
            }
            if s.not_in_file > 0 {
                if *end_missing {
                    writeln!(
                        out,
                        "{} pupils not in the file {} their group the day before",
                        s.ended,
                        if s.dry_run { "would leave" } else { "left" }
                    )?;
                } else {
                    writeln!(
                        out,
                        "{} pupils on roll are not in the file; their groups are unchanged (--end-missing ends them)",
                        s.not_in_file
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub(super) fn export(
    client: &mut Client,
    command: &ExportCommand,
    out: &mut impl Write,
) -> CliResult {
    match command {
        ExportCommand::Ctf {
            group,
            upns,
            dest_la,
            dest_estab,
            out: file,
            force,
        } => {
            let progress = progress::Progress::start("writing the transfer file");
            let (xml, pupils, marks) = client.export_ctf(
                group.clone(),
                upns.clone(),
                dest_la.clone(),
                dest_estab.clone(),
            )?;
            drop(progress);
            match file {
                Some(path) => {
                    crate::files::write_private(path, xml.as_bytes(), *force)
                        .map_err(CliError::Failed)?;
                    writeln!(out, "{}: {pupils} pupils, {marks} marks", path.display())?;
                }
                None => write!(out, "{xml}")?,
            }
        }
        ExportCommand::Feed {
            from,
            to,
            changed_since,
            characteristics,
        } => {
            let mut header = FEED_HEADER.to_vec();
            if *characteristics {
                header.extend(FEED_CHARACTERISTICS);
            }
            let roster = client.roster()?;
            let pupils: std::collections::HashMap<&str, &RosterPupil> = roster
                .pupils
                .iter()
                .map(|p| (p.pupil.upn.as_str(), p))
                .collect();
            let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            write_mark_pages(
                client,
                out,
                (*from, *to, None),
                "exporting the feed",
                &header,
                |r| {
                    if changed_since.is_some_and(|t| r.recorded_at < t) {
                        return None;
                    }
                    let p = pupils.get(r.upn.as_str())?;
                    let mut row = vec![
                        roster.urn.clone().unwrap_or_default(),
                        roster.la.clone().unwrap_or_default(),
                        r.upn.clone(),
                        p.pupil.surname.clone(),
                        p.pupil.forename.clone(),
                        p.pupil.dob.to_string(),
                        p.pupil
                            .sex
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        p.pupil.year.to_string(),
                        text(p.admitted),
                        text(p.left),
                        r.date.to_string(),
                        r.session.label().to_string(),
                        r.code.national().to_string(),
                        r.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
                    ];
                    if *characteristics {
                        row.extend(feed_characteristics(&p.characteristics_on(r.date)));
                    }
                    Some(row)
                },
            )?;
        }
        ExportCommand::Census { from, to } => {
            let rows = client.census(*from, *to)?;
            write_census(out, &rows)?;
        }
        ExportCommand::Marks { from, to, group } => {
            write_mark_pages(
                client,
                out,
                (*from, *to, group.clone()),
                "exporting marks",
                &MARKS_HEADER,
                |r| Some(marks_record(r).to_vec()),
            )?;
        }
    }
    Ok(())
}

/// A range of marks a page at a time, straight to CSV (a year of a large school is never held
/// whole), one row per mark `record` keeps, with progress on a terminal.
fn write_mark_pages(
    client: &mut Client,
    out: &mut impl Write,
    (from, to, group): (NaiveDate, NaiveDate, Option<String>),
    what: &str,
    header: &[&str],
    mut record: impl FnMut(&ExportRow) -> Option<Vec<String>>,
) -> CliResult {
    let mut w = csv::Writer::from_writer(&mut *out);
    w.write_record(header)?;
    let mut failed = None;
    let progress = progress::Progress::start(what);
    client
        .export_pages(from, to, group, None, |rows| {
            progress.add_rows(rows.len() as u64);
            for r in &rows {
                let Some(cells) = record(r) else { continue };
                if let Err(e) = w.write_record(super::output::cells(&cells)) {
                    failed = Some(CliError::from(e));
                    return Err(ServiceError::Invalid(
                        "the output could not be written".into(),
                    ));
                }
            }
            Ok(())
        })
        .map_err(|e| failed.take().unwrap_or(CliError::from(e)))?;
    w.flush()?;
    Ok(())
}

/// The feed's characteristics columns, with `--characteristics`.
const FEED_CHARACTERISTICS: [&str; 7] = ["sen", "fsm", "pp", "lac", "cin", "cp", "eal"];

/// A pupil's characteristics as the feed's cells, as the pupil list spells them.
fn feed_characteristics(c: &crate::domain::people::Characteristics) -> Vec<String> {
    use crate::domain::people::Sen;
    let yes = |b: bool| if b { "Y" } else { "N" }.to_string();
    let sen = match c.sen {
        Sen::None => "N",
        Sen::Support => "K",
        Sen::Ehcp => "E",
    };
    vec![
        sen.to_string(),
        yes(c.fsm),
        yes(c.pp),
        yes(c.lac),
        yes(c.cin),
        yes(c.cp),
        yes(c.eal),
    ]
}

/// The daily feed's columns (the shape the DfE's daily collection takes, as the issue lists it).
const FEED_HEADER: [&str; 14] = [
    "urn",
    "la",
    "upn",
    "surname",
    "forename",
    "dob",
    "sex",
    "year",
    "admission_date",
    "leaving_date",
    "date",
    "session",
    "code",
    "minutes_late",
];

/// The census CSV: the absence codes in the table's order, every one a column, so files of
/// different terms line up.
fn write_census(out: &mut impl Write, rows: &[CensusRow]) -> CliResult {
    use crate::domain::codes::{CODES, StatClass};
    let reasons: Vec<crate::domain::codes::Code> = CODES
        .iter()
        .filter(|c| {
            matches!(c.class, StatClass::Authorised | StatClass::Unauthorised)
                && (!c.is_withdrawn()
                    || rows
                        .iter()
                        .any(|r| r.absence.iter().any(|(code, _)| *code == c.code)))
        })
        .map(|c| c.code)
        .collect();
    let mut header: Vec<String> = [
        "upn",
        "surname",
        "forename",
        "dob",
        "year",
        "possible",
        "authorised",
        "unauthorised",
    ]
    .map(String::from)
    .to_vec();
    header.extend(reasons.iter().map(|c| format!("absent_{c}")));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    for r in rows {
        let mut record = vec![
            r.upn.clone(),
            r.surname.clone(),
            r.forename.clone(),
            r.dob.to_string(),
            r.year.to_string(),
            r.tally.possible().to_string(),
            r.tally.authorised.to_string(),
            r.tally.unauthorised.to_string(),
        ];
        for code in &reasons {
            let n = r
                .absence
                .iter()
                .find(|(c, _)| c == code)
                .map_or(0, |(_, n)| *n);
            record.push(n.to_string());
        }
        w.write_record(super::output::cells(&record))?;
    }
    w.flush()?;
    Ok(())
}

pub const MARKS_HEADER: [&str; 11] = [
    "date",
    "session",
    "upn",
    "surname",
    "forename",
    "group",
    "code",
    "arrived",
    "minutes_late",
    "recorded_by",
    "recorded_at",
];

/// One row of `export marks`.
pub fn marks_record(r: &ExportRow) -> [String; 11] {
    [
        r.date.to_string(),
        r.session.to_string(),
        r.upn.clone(),
        r.surname.clone(),
        r.forename.clone(),
        r.group.clone(),
        r.code.to_string(),
        r.arrived
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        r.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
        r.recorded_by.clone(),
        r.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
    ]
}

/// What a transfer file's import did, line by line.
fn write_ctf_imported(out: &mut impl Write, s: &CtfImported) -> CliResult {
    writeln!(
        out,
        "{}{} pupils added, {} already known; {} marks added, {} already so",
        if s.dry_run {
            "dry run, nothing saved: "
        } else {
            ""
        },
        s.pupils_added,
        s.pupils_known,
        s.marks_added,
        s.marks_unchanged
    )?;
    if s.marks_elsewhere > 0 {
        writeln!(
            out,
            "{} marks recorded at other schools: kept apart, in none of this school's figures",
            s.marks_elsewhere
        )?;
    }
    if s.no_session > 0 {
        writeln!(
            out,
            "{} `#` on days without school read as no session",
            s.no_session
        )?;
    }
    if s.contacts_left_out > 0 {
        writeln!(
            out,
            "{} contacts beyond the four a pupil's list keeps were left out (the first four by \
             Order are kept)",
            s.contacts_left_out
        )?;
    }
    if s.contacts_added + s.contacts_kept + s.characteristics_changed > 0 {
        writeln!(
            out,
            "{} contacts added; {} pupils' own contacts kept over the file's; {} pupils' \
             SEN, FSM, care or first language updated",
            s.contacts_added, s.contacts_kept, s.characteristics_changed
        )?;
    }
    Ok(())
}

//! Setting up and keeping the school: its configuration, staff, cover, the code table and
//! backups.

use super::error::{CliError, CliResult};
use super::progress::Progress;
use crate::domain::codes::{CODES, CodeGroup};
use crate::domain::people::Staff;
use crate::domain::session::Session;
use crate::service::Client;
use crate::service::protocol::*;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// `rollcall init`: the school's configuration, checked and saved.
pub fn init(client: &mut Client, school: &Path, out: &mut impl Write) -> CliResult {
    let source = crate::files::read_utf8(school).map_err(CliError::Failed)?;
    let message = client.done(Request::Init {
        file: school.display().to_string(),
        source,
    })?;
    writeln!(out, "{message}")?;
    Ok(())
}

/// `rollcall staff add`: who an operating-system account is.
pub fn add_staff(client: &mut Client, staff: Staff, out: &mut impl Write) -> CliResult {
    let message = client.done(Request::StaffAdd { staff })?;
    writeln!(out, "{message}")?;
    Ok(())
}

/// `rollcall cover --list`: the day's cover changes, in order (the audit).
pub fn cover_list(client: &mut Client, date: NaiveDate, out: &mut impl Write) -> CliResult {
    let changes = client.cover_log(date)?;
    if changes.is_empty() {
        writeln!(out, "no cover arranged for {date}")?;
    }
    for c in changes {
        let who = c
            .cover
            .account
            .as_deref()
            .unwrap_or("(removed: its tutors)");
        writeln!(
            out,
            "{date} {} {}: {who}, arranged by {} at {}",
            c.session.label(),
            c.group,
            c.cover.assigned_by,
            c.cover.assigned_at.format("%Y-%m-%d %H:%M")
        )?;
    }
    Ok(())
}

/// `rollcall cover`: a teacher takes a group's registers for a date (`account` `None`: the
/// cover is taken away).
pub fn cover(
    client: &mut Client,
    group: String,
    date: NaiveDate,
    session: &str,
    account: Option<String>,
    out: &mut impl Write,
) -> CliResult {
    let sessions = match session.trim().to_ascii_lowercase().as_str() {
        "both" => Session::BOTH.to_vec(),
        other => vec![other.parse::<Session>().map_err(CliError::Failed)?],
    };
    let message = client.done(Request::AssignCover {
        group,
        date,
        sessions,
        account,
    })?;
    writeln!(out, "{message}")?;
    Ok(())
}

/// `rollcall backup`: a consistent copy, checked before it is reported.
pub fn backup(client: &mut Client, file: &Path, csv: bool, out: &mut impl Write) -> CliResult {
    // A bare name goes into the backup directory; a path is made whole here, where it was
    // typed (a server takes names only).
    let text = file.display().to_string();
    let path = if text.contains('/') {
        std::path::absolute(file)
            .map_err(|e| CliError::Failed(format!("{}: {e}", file.display())))?
            .display()
            .to_string()
    } else {
        text
    };
    let progress = Progress::start(format!("backing up to {path}"));
    let b = client.backup(path, csv)?;
    drop(progress);
    writeln!(
        out,
        "backed up to {}: {} bytes, schema {}, {} pupils, {} staff, {} marks, {} changes; checked whole",
        b.path, b.bytes, b.schema, b.pupils, b.staff, b.marks, b.changes
    )?;
    for file in &b.archive {
        writeln!(out, "archived as CSV: {file}")?;
    }
    Ok(())
}

/// `rollcall codes`: the national codes and how each counts.
pub fn write_codes(out: &mut impl Write) -> CliResult {
    let mut group: Option<CodeGroup> = None;
    for info in CODES {
        if group != Some(info.group) {
            group = Some(info.group);
            writeln!(out, "\n{}", info.group.title())?;
        }
        let who = if info.is_withdrawn() {
            "old data only"
        } else if info.teacher_may_enter() {
            "teacher"
        } else {
            "office"
        };
        writeln!(
            out,
            "  {:<4} {:<64} {:<26} {}{}",
            info.code,
            info.meaning,
            info.class.describe(),
            who,
            if info.needs_note {
                ", needs a note"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

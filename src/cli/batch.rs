//! `rollcall mark-batch`: marks from CSV lines, read as a stream, each saved durably before
//! the next is read.

use super::error::{CliError, CliResult};
use super::marks::write_outcome;
use super::values::{parse_cli_date, parse_cli_time};
use crate::service::Client;
use crate::service::protocol::{Expect, MarkRequest, RegisterId};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// Marks from CSV lines `group,session,date,upn,code[,arrived[,note[,reason]]]`, read as a
/// stream (a line is saved before the next is read, so a script can watch), parsed with the
/// `csv` crate (quoted fields may hold commas). A bad line is named with its file and line and
/// the batch goes on; a summary says what was saved and what was not.
pub fn mark_batch(
    client: &mut Client,
    file: &Path,
    today: NaiveDate,
    reason: Option<&str>,
    out: &mut impl Write,
) -> CliResult {
    let input: Box<dyn std::io::Read> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        // A regular file: a device or a FIFO is refused by name (it could be read forever).
        Box::new(
            crate::files::open_regular(file)
                .map_err(CliError::Failed)?
                .0,
        )
    };
    // The history of each mark names the batch it came from.
    let source = file.display().to_string();
    let name = if file.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let (mut saved, mut failed) = (0usize, Vec::<u64>::new());
    let mut fail = |line: u64, why: &str| {
        failed.push(line);
        eprintln!(
            "rollcall: {name}: line {line}: {}",
            crate::domain::text::printable(why)
        );
    };
    each_batch_line(input, today, |line, request| {
        let request = request.map(|mut req| {
            if req.reason.is_none() {
                req.reason = reason.map(str::to_string);
            }
            req.batch = Some(source.clone());
            req
        });
        match request.and_then(|req| client.mark(req).map_err(CliError::from)) {
            Ok(outcome) => {
                saved += 1;
                write_outcome(out, &outcome)?;
                // Reported only once durable: the engine has committed before replying.
                out.flush()?;
            }
            Err(e) => fail(line, &e.message()),
        }
        Ok(())
    })
    .or_else(|(line, e)| {
        // The stream itself cannot be read on (an I/O error): say where, and stop.
        fail(line, &e.message());
        Ok::<(), CliError>(())
    })?;
    let lines: Vec<String> = failed.iter().map(u64::to_string).collect();
    eprintln!(
        "rollcall: {name}: {saved} saved, {} not saved{}",
        failed.len(),
        if lines.is_empty() {
            String::new()
        } else {
            format!(
                " (line{} {})",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            )
        }
    );
    if !failed.is_empty() {
        return Err(CliError::Failed(format!(
            "{name}: {} line(s) not saved",
            failed.len()
        )));
    }
    Ok(())
}

/// Reads `mark-batch` lines from a stream, handing `each` every line's request (or what is
/// wrong with it) with its line number as an editor shows it. Stops with the line and error if
/// the stream itself fails, or `each` does.
pub fn each_batch_line(
    input: impl std::io::Read,
    today: NaiveDate,
    mut each: impl FnMut(u64, CliResult<MarkRequest>) -> CliResult,
) -> Result<(), (u64, CliError)> {
    let (lines, starts) = crate::files::RecordLines::new(input, Some(b'#'));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(lines);
    // Each record's line as an editor numbers it: blank and comment lines count.
    let line_of = |index: usize| starts.borrow().get(index).copied().unwrap_or(0);
    let mut record = csv::ByteRecord::new();
    let mut index = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err((line_of(index), CliError::Failed(e.to_string()))),
        }
        let line = line_of(index);
        index += 1;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        // A quote opened and never closed takes the lines after it into one field: each such
        // line is reported, and counted, as not read.
        let swallowed = record
            .iter()
            .map(|f| f.iter().filter(|b| **b == b'\n').count() as u64)
            .sum::<u64>();
        if swallowed > 0 {
            let why = format!(
                "a quote opened on this line is not closed, so it ran over the next {swallowed} \
                 line(s): close the quote (\"...\"); nothing from these lines was saved"
            );
            each(line, Err(CliError::Failed(why))).map_err(|e| (line, e))?;
            for k in 1..=swallowed {
                let taken = line + k;
                let why = format!("taken into the unclosed quote of line {line}: not read");
                each(taken, Err(CliError::Failed(why))).map_err(|e| (taken, e))?;
            }
            continue;
        }
        let request = match batch_fields(&record, index == 1) {
            Ok(None) => continue,
            Ok(Some(fields)) => batch_request(&fields, today),
            Err(e) => Err(e),
        };
        each(line, request).map_err(|e| (line, e))?;
    }
}

/// A batch line's fields as text; `None` for a header line (`group,session,...` first).
fn batch_fields(record: &csv::ByteRecord, first: bool) -> CliResult<Option<Vec<String>>> {
    let mut fields = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        // A byte-order mark is where a spreadsheet says "UTF-8", not part of the group's name.
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        let text = std::str::from_utf8(field).map_err(|_| {
            CliError::Failed(format!(
                "field {} is not UTF-8 (Latin-1 or Windows-1252, as Excel saves \"CSV\"?): save the file as UTF-8",
                i + 1
            ))
        })?;
        fields.push(text.trim().to_string());
    }
    if first
        && fields
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("group"))
    {
        return Ok(None);
    }
    Ok(Some(fields))
}

fn batch_request(fields: &[String], today: NaiveDate) -> CliResult<MarkRequest> {
    if fields.len() < 5 || fields.len() > 8 {
        return Err(CliError::Failed(format!(
            "{} fields; expected group,session,date,upn,code[,arrived[,note[,reason]]] (quote a note or reason that holds a comma)",
            fields.len()
        )));
    }
    let optional = |i: usize| {
        fields
            .get(i)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
    };
    Ok(MarkRequest {
        register: RegisterId {
            group: fields[0].clone(),
            date: if fields[2].is_empty() {
                today
            } else {
                parse_cli_date(&fields[2]).map_err(CliError::Failed)?
            },
            session: fields[1].parse().map_err(CliError::Failed)?,
        },
        upn: fields[3].clone(),
        code: fields[4].clone(),
        arrived: optional(5)
            .map(|a| parse_cli_time(&a))
            .transpose()
            .map_err(CliError::Failed)?,
        note: optional(6),
        reason: optional(7),
        expect: Expect::Anything,
        replace_office_mark: false,
        batch: None,
    })
}

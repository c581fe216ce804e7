//! How commands print: standard output made safe for a terminal, tables, CSV and JSON.

use super::error::CliResult;
use super::values::Format;
use crate::domain::stats::round1;
use std::io::Write;

/// Standard output as a terminal should receive it: every character that does not print as
/// itself (an escape sequence in a pupil's name from an old import) is shown as `�`. Works on
/// bytes as they are written, keeping a character split across two writes whole.
pub struct Printable<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Printable<W> {
    pub fn new(inner: W) -> Self {
        Printable {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut clean = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    clean.push_str(&crate::domain::text::printable(text));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    clean.push_str(&crate::domain::text::printable(
                        std::str::from_utf8(good).unwrap_or_default(),
                    ));
                    match e.error_len() {
                        Some(n) => {
                            clean.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        // A character cut in two: wait for the rest of it.
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        self.inner.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub fn pct(value: Option<f64>) -> String {
    value
        .map(|p| format!("{:.1}", round1(p)))
        .unwrap_or_default()
}

/// Left-aligned columns, two spaces apart.
pub fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> CliResult {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|s| s.to_string()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.clone()))?;
    }
    Ok(())
}

/// A value as pretty JSON, with a final newline.
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> CliResult {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

pub fn write_rows(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
    format: Format,
    json: serde_json::Value,
) -> CliResult {
    match format {
        Format::Table => write_table(out, header, rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for row in rows {
                w.write_record(row)?;
            }
            w.flush()?;
            Ok(())
        }
        Format::Json => write_json(out, &json),
    }
}

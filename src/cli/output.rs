//! How commands print: standard output made safe for a terminal, tables, CSV and JSON.

use super::error::CliResult;
use super::values::Format;
use crate::domain::stats::round1;
use crate::domain::text::{columns, fit_columns, one_line};
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
    let rows: Vec<Vec<String>> = rows.iter().map(|r| cells(r)).collect();
    // Columns by the terminal's width of each cell, not its characters: a combining accent
    // takes none, a CJK character two.
    let mut widths: Vec<usize> = header.iter().map(|h| columns(h)).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(columns(cell));
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| fit_columns(c, widths[i]))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|s| s.to_string()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

/// A row's cells, each on one line ([`one_line`]).
pub fn cells(row: &[String]) -> Vec<String> {
    row.iter().map(|c| one_line(c).into_owned()).collect()
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
    json: impl FnOnce() -> serde_json::Value,
) -> CliResult {
    // The JSON is built only when it is asked for: a table of 2,000 pupils need not make it.
    match format {
        Format::Table => write_table(out, header, rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for row in rows {
                w.write_record(cells(row))?;
            }
            w.flush()?;
            Ok(())
        }
        Format::Json => write_json(out, &json()),
    }
}

/// Bytes to standard output, as they are (a manual page, completions): a reader gone away
/// ends the command quietly.
pub fn write_stdout(bytes: &[u8]) -> CliResult {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_line_up_by_the_terminal_width_of_names() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["Zoe\u{0308}".to_string(), "90.0".to_string()],
            vec!["王小明".to_string(), "95.0".to_string()],
            vec!["Al".to_string(), "100.0".to_string()],
        ];
        write_table(&mut out, &["name", "pct"], &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let at: Vec<usize> = text
            .lines()
            .map(|l| {
                let figure = l.rfind("  ").unwrap() + 2;
                crate::domain::text::columns(&l[..figure])
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{at:?}\n{text}");
    }
}

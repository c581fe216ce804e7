//! Reading the files people give rollcall. A configuration or keymap must be UTF-8 (TOML says
//! so); a pupil list comes from a spreadsheet, which saves in whatever encoding its menu
//! chose: UTF-8 with or without a byte-order mark, "Unicode text" (UTF-16), or Excel's plain
//! "CSV" (Windows-1252). Those are read correctly, and said to be; anything unreadable is
//! reported with the line and what to do.

use std::path::Path;

/// A file's text, and how it was read when that was not plain UTF-8.
pub struct Text {
    pub text: String,
    pub note: Option<String>,
}

/// The line (from 1) holding byte `offset`.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Why `bytes` are not UTF-8, where, and how to fix it.
fn not_utf8(name: &str, bytes: &[u8], error: std::str::Utf8Error) -> String {
    let at = error.valid_up_to();
    let byte = bytes.get(at).copied().unwrap_or(0);
    let guess = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "UTF-16 (\"Unicode text\")"
    } else if byte >= 0x80 {
        "Latin-1 or Windows-1252, as Excel saves \"CSV\""
    } else {
        "not text"
    };
    format!(
        "{name}: line {} is not UTF-8 (byte 0x{byte:02X}; the file looks like {guess}): save it as UTF-8 (in Excel: \"CSV UTF-8\"; in a text editor: encoding UTF-8)",
        line_at(bytes, at)
    )
}

/// Reads `bytes` as UTF-8, without a byte-order mark; an error names the line.
pub fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let error = e.utf8_error();
        not_utf8(name, e.as_bytes(), error)
    })
}

/// The largest configuration, keymap or letter template rollcall reads: far beyond any real
/// one, far below what would hurt.
pub const SETTINGS_LIMIT: u64 = 4 << 20;
/// The largest data file (a pupil list, historic marks, a transfer file): the largest message
/// a server takes.
pub const DATA_LIMIT: u64 = 64 << 20;

/// Reads a regular file of at most `limit` bytes. A FIFO, a device (`/dev/zero`), a directory
/// or a file that is too large is refused by name, without reading it: opened without
/// blocking, checked for its kind on the open file, and read no further than the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let name = path.display().to_string();
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(format!(
            "{name}: is {} bytes, more than the {} MB rollcall reads from a file of this kind",
            meta.len(),
            limit >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while being read stops at the limit all the same.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{name}: grew past the {} MB rollcall reads from a file of this kind",
            limit >> 20
        ));
    }
    Ok(bytes)
}

/// Opens a regular file for reading, refusing anything else by name without blocking on it
/// (a FIFO would block the open until a writer came; regular files ignore the flag).
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let name = path.display().to_string();
    let file = std::fs::OpenOptions::new()
        .read(true)
        // A FIFO would block the open until a writer came; regular files ignore the flag.
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("{name}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{name}: {e}"))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a directory"
        } else {
            "a device, FIFO or socket"
        };
        return Err(format!(
            "{name}: is {kind}, not a regular file: give a file"
        ));
    }
    Ok((file, meta))
}

/// Reads a UTF-8 settings file (a configuration, a keymap, a letter template).
pub fn read_utf8(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, SETTINGS_LIMIT)?;
    utf8(&name, bytes)
}

/// Reads a UTF-8 data file (a transfer file).
pub fn read_data_utf8(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, DATA_LIMIT)?;
    utf8(&name, bytes)
}

/// Reads text saved by a spreadsheet in any of the encodings its menus offer.
/// [`spreadsheet`], keeping the bytes as the text when they are UTF-8 already: a year's marks
/// (60 MB) are held once, not twice.
pub fn spreadsheet_owned(name: &str, mut bytes: Vec<u8>) -> Result<Text, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Text { text, note: None }),
        Err(e) => spreadsheet(name, e.as_bytes()),
    }
}

pub fn spreadsheet(name: &str, bytes: &[u8]) -> Result<Text, String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding == encoding_rs::UTF_8 {
            return utf8(name, bytes.to_vec()).map(|text| Text { text, note: None });
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "{name}: the file says it is {} but is not: save it as UTF-8",
                encoding.name()
            ));
        }
        return Ok(Text {
            text: text.into_owned(),
            note: Some(format!(
                "{name}: read as {} (its byte-order mark says so)",
                encoding.name()
            )),
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Text {
            text: text.to_string(),
            note: None,
        });
    }
    // No mark and not UTF-8: Excel's plain "CSV" on Windows.
    if bytes.contains(&0) {
        return Err(not_utf8(
            name,
            bytes,
            std::str::from_utf8(bytes).expect_err("not UTF-8"),
        ));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(Text {
        text: text.into_owned(),
        note: Some(format!(
            "{name}: not UTF-8, read as Windows-1252 (what Excel saves as \"CSV\"); check names with accents, and save as \"CSV UTF-8\" next time"
        )),
    })
}

/// Where each CSV record starts, as an editor numbers lines. The `csv` crate skips blank and
/// comment lines without counting them, so its positions drift after the first one; this
/// follows the same rules (quotes may hold newlines; a line that is empty, or starts with the
/// comment character, holds no record) and notes the line of every record as bytes go by.
pub struct RecordLines<R> {
    inner: R,
    comment: Option<u8>,
    line: u64,
    in_quotes: bool,
    /// Inside quotes, a quote just went by: it closes them unless another follows (`""`).
    quote_pending: bool,
    /// At the first byte of a field: only there does a quote open quoting.
    field_start: bool,
    /// Inside a comment line: quotes there open nothing.
    in_comment: bool,
    /// At the first byte of a line (outside quotes).
    at_start: bool,
    /// The last byte was `\r`: a `\n` now belongs to the same line ending.
    after_cr: bool,
    /// Bytes of a byte-order mark matched at the very start so far; `None` once past it. The
    /// `csv` crate skips a leading mark, so a quote after it still opens a field.
    bom: Option<usize>,
    starts: std::rc::Rc<std::cell::RefCell<Vec<u64>>>,
    /// Bytes since the line began: a line longer than [`MAX_LINE`] (a device, a file of one
    /// endless line) stops the reading at that line, so nothing grows without end.
    line_bytes: usize,
    too_long: Option<u64>,
}

/// The longest line a CSV may have: far beyond any row of names, codes and notes.
pub const MAX_LINE: usize = 64 * 1024;

impl<R> RecordLines<R> {
    pub fn new(inner: R, comment: Option<u8>) -> (Self, std::rc::Rc<std::cell::RefCell<Vec<u64>>>) {
        let starts = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        (
            RecordLines {
                inner,
                comment,
                line: 1,
                in_quotes: false,
                quote_pending: false,
                field_start: true,
                in_comment: false,
                at_start: true,
                after_cr: false,
                bom: Some(0),
                starts: starts.clone(),
                line_bytes: 0,
                too_long: None,
            },
            starts,
        )
    }

    /// Follows one byte, a leading byte-order mark aside.
    fn see(&mut self, b: u8) {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let Some(matched) = self.bom else {
            return self.follow(b);
        };
        if BOM[matched] == b {
            self.bom = (matched + 1 < BOM.len()).then_some(matched + 1);
            return;
        }
        // Not a mark after all: the bytes held back were content.
        self.bom = None;
        for &held in &BOM[..matched] {
            self.follow(held);
        }
        self.follow(b);
    }

    /// Follows one byte. Lines end with `\n`, `\r\n` or a lone `\r` (old Mac spreadsheets),
    /// as for the `csv` crate.
    fn follow(&mut self, b: u8) {
        if std::mem::take(&mut self.after_cr) && b == b'\n' {
            // The `\n` of a `\r\n`: one line ending, which also ends a comment.
            if std::mem::take(&mut self.in_comment) {
                self.at_start = true;
                self.field_start = true;
            }
            return;
        }
        if std::mem::take(&mut self.quote_pending) {
            if b == b'"' {
                return; // `""`: a quote inside the quotes
            }
            self.in_quotes = false;
        }
        if b == b'\n' || b == b'\r' {
            self.line_bytes = 0;
            self.line += 1;
            self.after_cr = b == b'\r';
            // The `csv` crate ends a comment only at `\n`.
            if self.in_comment && b == b'\r' {
                return;
            }
            self.in_comment = false;
            if !self.in_quotes {
                self.at_start = true;
                self.field_start = true;
            }
            return;
        }
        self.line_bytes += 1;
        if self.line_bytes > MAX_LINE && self.too_long.is_none() {
            self.too_long = Some(self.line);
        }
        if self.at_start {
            self.at_start = false;
            if Some(b) == self.comment {
                self.in_comment = true;
                return;
            }
            self.starts.borrow_mut().push(self.line);
        }
        if self.in_comment {
            return;
        }
        if self.in_quotes {
            self.quote_pending = b == b'"';
            return;
        }
        if b == b'"' && self.field_start {
            self.in_quotes = true;
        }
        self.field_start = b == b',';
    }
}

impl<R: std::io::Read> std::io::Read for RecordLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(line) = self.too_long {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "line {line} is longer than {} KB: not a line of a CSV",
                    MAX_LINE / 1024
                ),
            ));
        }
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            self.see(*b);
        }
        if n == 0
            && let Some(matched) = self.bom.take()
        {
            // The input ended inside what looked like a mark: those bytes were content.
            for &held in &b"\xEF\xBB\xBF"[..matched] {
                self.follow(held);
            }
        }
        Ok(n)
    }
}

/// Writes a file that holds pupil data, private to whoever writes it (mode 0600), whole or not
/// at all: built under a hidden name beside it (created afresh, never through a link), made
/// durable, then put in place. An existing file (or a link planted where it goes) is refused
/// unless `replace`; a replaced file is replaced, never written through.
pub fn write_private(path: &Path, bytes: &[u8], replace: bool) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let shown = path.display().to_string();
    match std::fs::symlink_metadata(path) {
        Ok(_) if !replace => {
            return Err(format!(
                "{shown} already exists: give another name (or --force to replace it)"
            ));
        }
        // Only a file is ever replaced: never a device, a FIFO, a directory or a link.
        Ok(meta) if !meta.is_file() => {
            return Err(format!(
                "{shown} is not a plain file (a device, FIFO, directory or link): give another name"
            ));
        }
        _ => {}
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{shown}: not a file name"))?;
    let temporary = path.with_file_name(format!(".{name}.part-{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    let attempt = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if replace {
            std::fs::rename(&temporary, path)
        } else {
            // A link fails if anything (a file, a planted link) took the name meanwhile.
            std::fs::hard_link(&temporary, path).and_then(|()| std::fs::remove_file(&temporary))
        }
    })();
    attempt.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{shown} already exists: give another name (or --force to replace it)")
        } else {
            format!("{shown}: {e}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_a_mark_reads_as_it_is() {
        assert_eq!(
            utf8("f", b"\xEF\xBB\xBFZo\xC3\xAB".to_vec()).unwrap(),
            "Zoë"
        );
        let t = spreadsheet("f", b"Zo\xC3\xAB").unwrap();
        assert_eq!((t.text.as_str(), t.note), ("Zoë", None));
    }

    #[test]
    fn excel_csv_and_unicode_text_are_read_and_say_so() {
        let t = spreadsheet("pupils.csv", b"upn\nZo\xEB\n").unwrap();
        assert_eq!(t.text, "upn\nZoë\n");
        assert!(t.note.unwrap().contains("Windows-1252"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(spreadsheet("f", &utf16).unwrap().text, "Zoë");
    }

    #[test]
    fn a_configuration_that_is_not_utf8_names_its_line_and_the_likely_encoding() {
        let err = utf8("school.toml", b"[school]\nname = \"Zo\xEB\"\n".to_vec()).unwrap_err();
        assert!(
            err.starts_with("school.toml: line 2 is not UTF-8 (byte 0xEB"),
            "{err}"
        );
        assert!(err.contains("Windows-1252"), "{err}");
        assert!(err.contains("save it as UTF-8"), "{err}");
    }

    #[test]
    fn record_lines_count_blank_comment_and_quoted_lines_as_an_editor_does() {
        use std::io::Read;
        let text = "a,b\n\nx,y\n# \"note\r\n\r\n\"two\nlines\",z\n\nlast,1\rmac,2\n";
        let (mut reader, starts) = RecordLines::new(text.as_bytes(), Some(b'#'));
        let mut all = String::new();
        reader.read_to_string(&mut all).unwrap();
        assert_eq!(*starts.borrow(), [1, 3, 6, 9, 10]);
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped_as_the_csv_crate_skips_it() {
        use std::io::Read;
        // Found by the fuzzer: after the mark, the quote opens a field holding a line break.
        let text = b"\xEF\xBB\xBF\"\n\"\n\xEF\xBB\xBF\ra";
        let (mut reader, starts) = RecordLines::new(&text[..], Some(b'#'));
        reader.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!(*starts.borrow(), [1, 3, 4]);
        // Half a mark is content.
        let (mut reader, starts) = RecordLines::new(&b"\xEF\xBB"[..], None);
        reader.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!(*starts.borrow(), [1]);
    }
}

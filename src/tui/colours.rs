//! The terminal writer for eight-colour terminals. crossterm writes every colour in the
//! 256-colour form (`ESC[38;5;1m`), which a Linux console or an old terminal may not read;
//! this writer turns the eight basic colours into SGR 30-37 and 40-47 (`ESC[31m`), the form
//! every colour terminal since the VT241 reads, and drops colours beyond them. Everything
//! else passes through untouched.

use crate::ui::ColourLevel;
use std::io::{self, Write};

/// Where the writer is in an escape sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC.
    Escape,
    /// After `ESC [`: parameters until a final byte.
    Csi,
}

pub struct BasicColours<W: Write> {
    inner: W,
    /// Only an eight-colour terminal has its colours rewritten.
    rewrite: bool,
    state: State,
    /// The sequence being read, from its ESC.
    pending: Vec<u8>,
    out: Vec<u8>,
}

impl<W: Write> BasicColours<W> {
    pub fn new(inner: W, level: ColourLevel) -> Self {
        BasicColours {
            inner,
            rewrite: level == ColourLevel::Basic,
            state: State::Text,
            pending: Vec::new(),
            out: Vec::new(),
        }
    }

    fn byte(&mut self, b: u8) {
        match (self.state, b) {
            (State::Text, 0x1b) => {
                self.state = State::Escape;
                self.pending.push(b);
            }
            (State::Text, _) => self.out.push(b),
            (State::Escape, b'[') => {
                self.state = State::Csi;
                self.pending.push(b);
            }
            (State::Escape, _) => {
                self.pending.push(b);
                self.pass_pending();
            }
            (State::Csi, 0x40..=0x7e) => {
                if b == b'm' {
                    let params = String::from_utf8_lossy(&self.pending[2..]).into_owned();
                    self.pending.clear();
                    self.state = State::Text;
                    if let Some(params) = basic_sgr(&params) {
                        self.out
                            .extend_from_slice(format!("\x1b[{params}m").as_bytes());
                    }
                } else {
                    self.pending.push(b);
                    self.pass_pending();
                }
            }
            (State::Csi, _) => self.pending.push(b),
        }
    }

    fn pass_pending(&mut self) {
        self.out.append(&mut self.pending);
        self.state = State::Text;
    }
}

/// An SGR's parameters with 256-colour and RGB colours rewritten for eight colours; `None`
/// when nothing is left (an empty SGR would reset every attribute).
fn basic_sgr(params: &str) -> Option<String> {
    let parts: Vec<&str> = params.split(';').collect();
    let mut kept: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        match (parts[i], parts.get(i + 1).copied()) {
            (target @ ("38" | "48" | "58"), Some("5")) => {
                let index = parts.get(i + 2).and_then(|n| n.parse::<u8>().ok());
                // Bright colours (8-15) as their basic ones; beyond 15, the default.
                if let (Some(n), "38" | "48") = (index, target)
                    && n < 16
                {
                    let base = if target == "38" { 30 } else { 40 };
                    kept.push((base + n % 8).to_string());
                }
                i += 3;
            }
            ("38" | "48" | "58", Some("2")) => i += 5,
            (other, _) => {
                kept.push(other.to_string());
                i += 1;
            }
        }
    }
    if params.is_empty() {
        return Some(String::new());
    }
    (!kept.is_empty()).then(|| kept.join(";"))
}

impl<W: Write> Write for BasicColours<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.rewrite {
            return self.inner.write(buf);
        }
        for &b in buf {
            self.byte(b);
        }
        self.inner.write_all(&std::mem::take(&mut self.out))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A sequence cut off at a flush goes out as it was: the terminal sees what it would have.
        if self.state != State::Text {
            self.pass_pending();
            self.inner.write_all(&std::mem::take(&mut self.out))?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(bytes: &[&[u8]]) -> Vec<u8> {
        let mut w = BasicColours::new(Vec::new(), ColourLevel::Basic);
        for chunk in bytes {
            w.write_all(chunk).unwrap();
        }
        w.flush().unwrap();
        w.inner
    }

    #[test]
    fn colours_become_sgr_30_to_47_and_the_rest_passes() {
        assert_eq!(through(&[b"\x1b[38;5;1mN\x1b[39m"]), b"\x1b[31mN\x1b[39m");
        assert_eq!(through(&[b"\x1b[48;5;6m"]), b"\x1b[46m");
        assert_eq!(
            through(&[b"\x1b[38;5;9m"]),
            b"\x1b[31m",
            "bright red as red"
        );
        assert_eq!(through(&[b"\x1b[38;5;200mx"]), b"x", "no such colour: none");
        assert_eq!(through(&[b"\x1b[38;2;1;2;3m"]), b"");
        assert_eq!(through(&[b"\x1b[1;38;5;2m"]), b"\x1b[1;32m");
        assert_eq!(
            through(&[b"\x1b[0m\x1b[m"]),
            b"\x1b[0m\x1b[m",
            "resets stay"
        );
        assert_eq!(
            through(&[b"\x1b[2J\x1b[10;5H\x1b7"]),
            b"\x1b[2J\x1b[10;5H\x1b7"
        );
        assert_eq!(
            through(&["\u{250c}\u{2500}".as_bytes()]),
            "\u{250c}\u{2500}".as_bytes()
        );
    }

    #[test]
    fn full_colour_terminals_get_what_crossterm_wrote() {
        let mut w = BasicColours::new(Vec::new(), ColourLevel::Full);
        w.write_all(b"\x1b[38;5;8m").unwrap();
        assert_eq!(w.inner, b"\x1b[38;5;8m");
    }

    #[test]
    fn a_sequence_split_across_writes_is_rewritten_whole() {
        assert_eq!(through(&[b"a\x1b[38", b";5;", b"2mb"]), b"a\x1b[32mb");
    }
}

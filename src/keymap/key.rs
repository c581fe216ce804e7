//! Keys as bindings see them: parsed from keymap files (`"ctrl+z"`, `"L"`, `"f1"`) and read
//! from terminal events, so the two meet in one type.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// A key as bindings see it: the character carries its case, so shift only marks other keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

/// KeyCode with an order, for stable help listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    /// The key of a terminal key event, or `None` for keys rollcall never binds.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) if ctrl || alt => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::BackTab => return Some(Key::named(KeyCode::Tab, ctrl, alt, true)),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => {
                let index = NAMED.iter().position(|(_, k)| *k == other)?;
                KeyCodeOrd::Named(index as u8)
            }
        };
        let shift = shift && !matches!(code, KeyCodeOrd::Char(_));
        Some(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    fn named(code: KeyCode, ctrl: bool, alt: bool, shift: bool) -> Key {
        let index = NAMED.iter().position(|(_, k)| *k == code).unwrap_or(0);
        Key {
            code: KeyCodeOrd::Named(index as u8),
            ctrl,
            alt,
            shift,
        }
    }

    /// The character a key types, if it types one.
    pub fn printable(&self) -> Option<char> {
        match self.code {
            KeyCodeOrd::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// Parses `"L"`, `"ctrl+z"`, `"shift+tab"`, `"space"`, `"f1"`...
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl+")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt+")
                .or_else(|| lower.strip_prefix("a-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("shift+")
                .or_else(|| lower.strip_prefix("s-"))
            {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if ctrl || alt {
                    c.to_ascii_lowercase()
                } else if shift {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                shift = false;
                KeyCodeOrd::Char(c)
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                if lower == "space" {
                    shift = false;
                    KeyCodeOrd::Char(' ')
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if !(1..=12).contains(&n) {
                        return Err(format!(
                            "`{text}` is not a key: function keys are f1 to f12"
                        ));
                    }
                    KeyCodeOrd::F(n)
                } else if let Some(i) = NAMED.iter().position(|(name, _)| *name == lower) {
                    KeyCodeOrd::Named(i as u8)
                } else {
                    return Err(format!(
                        "`{text}` is not a key name (a single character, or enter, esc, tab, space, backspace, \
                         delete, insert, up, down, left, right, home, end, pageup, pagedown, f1-f12, with ctrl+, alt+ or shift+)"
                    ));
                }
            }
        };
        Ok(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    /// How help and the status line show the key.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl+");
        }
        if self.alt {
            s.push_str("alt+");
        }
        if self.shift {
            s.push_str("shift+");
        }
        match self.code {
            KeyCodeOrd::Char(' ') => s.push_str("space"),
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("f{n}")),
            KeyCodeOrd::Named(i) => s.push_str(NAMED[i as usize].0),
        }
        s
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

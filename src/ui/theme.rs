//! Colours and line drawing as the terminal can show them, and nothing conveyed by colour
//! alone.
//!
//! Three colour levels: none (`NO_COLOR`, `TERM` unset, `dumb`, the VT100 family), the eight
//! basic colours (`linux`, `xterm`, `screen`, `ansi`... : the terminal writer turns them into
//! SGR 30-37, see `tui::colours`), and full (a `256color` or `direct` `TERM`, or `COLORTERM`
//! saying truecolor). Line drawing and other non-ASCII characters fall back to ASCII when
//! the locale is not UTF-8.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

/// How much colour a terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourLevel {
    None,
    /// The eight basic colours, written as SGR 30-37.
    Basic,
    Full,
}

impl ColourLevel {
    /// The level for a terminal from `NO_COLOR`, `TERM` and `COLORTERM`.
    pub fn detect(no_color: Option<&str>, term: Option<&str>, colorterm: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColourLevel::None;
        }
        let term = term.unwrap_or("").to_ascii_lowercase();
        if term.is_empty() || term == "dumb" || term.starts_with("vt") {
            return ColourLevel::None;
        }
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        if colorterm == "truecolor"
            || colorterm == "24bit"
            || term.contains("256color")
            || term.contains("direct")
        {
            ColourLevel::Full
        } else {
            ColourLevel::Basic
        }
    }
}

/// Whether a locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) encodes text as UTF-8.
pub fn locale_is_utf8(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> bool {
    let locale = [lc_all, lc_ctype, lang]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    locale.contains("utf-8") || locale.contains("utf8")
}

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub colours: ColourLevel,
    /// Draw ASCII only: boxes as `+-|`, names transliterated.
    pub ascii: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        let var = |name| std::env::var(name).ok();
        Theme {
            colours: ColourLevel::detect(
                var("NO_COLOR").as_deref(),
                var("TERM").as_deref(),
                var("COLORTERM").as_deref(),
            ),
            ascii: !locale_is_utf8(
                var("LC_ALL").as_deref(),
                var("LC_CTYPE").as_deref(),
                var("LANG").as_deref(),
            ),
        }
    }

    /// No colour, UTF-8: what tests compare against.
    pub fn plain() -> Theme {
        Theme {
            colours: ColourLevel::None,
            ascii: false,
        }
    }

    pub fn fg(&self, color: Color) -> Style {
        match self.colours {
            ColourLevel::None => Style::new(),
            _ => Style::new().fg(color),
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn dim(&self) -> Style {
        match self.colours {
            // Dark grey is a bright colour: eight-colour terminals have none.
            ColourLevel::Full => Style::new().fg(Color::DarkGray),
            ColourLevel::Basic => Style::new().add_modifier(Modifier::DIM),
            ColourLevel::None => Style::new(),
        }
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// With an ASCII theme, every character drawn that is not ASCII becomes its nearest ASCII
    /// (deunicode: `┌` `+`, `é` `e`, `·` `.`), one column for one.
    pub fn finish(&self, buffer: &mut Buffer) {
        if !self.ascii {
            return;
        }
        for cell in buffer.content.iter_mut() {
            let symbol = cell.symbol();
            if symbol.is_ascii() {
                continue;
            }
            let ascii = symbol.chars().next().map_or('?', ascii_for);
            cell.set_char(ascii);
        }
    }
}

/// One ASCII character for one that is not: a few chosen for how they read in a register
/// (an unmarked `·` is `.`, a cut name's `…` is `~`), the rest deunicode's first letter.
fn ascii_for(c: char) -> char {
    match c {
        '\u{b7}' => '.',
        '\u{2026}' => '~',
        '\u{2191}' => '^',
        '\u{2193}' => 'v',
        '\u{2192}' => '>',
        _ => deunicode::deunicode_char(c)
            .and_then(|s| s.chars().find(|c| c.is_ascii_graphic()))
            .unwrap_or('?'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_terminal() {
        use ColourLevel as L;
        for (no_color, term, colorterm, level) in [
            (None, Some("xterm-256color"), None, L::Full),
            (None, Some("tmux-256color"), None, L::Full),
            (None, Some("xterm"), Some("truecolor"), L::Full),
            (None, Some("xterm"), None, L::Basic),
            (None, Some("linux"), None, L::Basic),
            (None, Some("screen"), None, L::Basic),
            (None, Some("vt100"), None, L::None),
            (None, Some("vt220"), None, L::None),
            (None, Some("dumb"), None, L::None),
            (None, None, None, L::None),
            (Some("1"), Some("xterm-256color"), None, L::None),
            (Some(""), Some("linux"), None, L::Basic),
        ] {
            assert_eq!(
                ColourLevel::detect(no_color, term, colorterm),
                level,
                "{term:?}"
            );
        }
    }

    #[test]
    fn ascii_unless_the_locale_says_utf8() {
        assert!(locale_is_utf8(None, None, Some("en_GB.UTF-8")));
        assert!(locale_is_utf8(None, None, Some("C.utf8")));
        assert!(
            !locale_is_utf8(Some("C"), None, Some("en_GB.UTF-8")),
            "LC_ALL wins"
        );
        assert!(!locale_is_utf8(None, None, Some("en_GB.ISO-8859-1")));
        assert!(!locale_is_utf8(None, None, None));
    }

    #[test]
    fn an_ascii_theme_draws_every_cell_in_ascii() {
        let mut buffer = Buffer::with_lines(["┌─ Zoë · Brontë… ─┐", "│↓ 3 more — ß│"]);
        Theme {
            colours: ColourLevel::None,
            ascii: true,
        }
        .finish(&mut buffer);
        let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert!(text.is_ascii(), "{text}");
        assert!(text.starts_with("+- Zoe . Bronte~ -+"), "{text}");
        assert!(text.contains("|v 3 more - s|"), "{text}");
    }
}

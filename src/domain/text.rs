//! Text that reaches a terminal: names, notes and reasons may hold only what prints as itself.
//! Control characters (an escape sequence clears a screen or retitles a window), direction
//! overrides (they reverse what follows) and invisible characters (they hide a difference
//! between two names) are refused where text comes in and neutralised where it goes out.

use std::borrow::Cow;

/// The longest name, note or reason rollcall keeps.
pub const MAX_LEN: usize = 200;

/// A character that does not print as itself.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'            // Arabic letter mark
            | '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, direction marks
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202A}'..='\u{202E}' // direction embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
            | '\u{2066}'..='\u{2069}' // direction isolates
            | '\u{FEFF}'             // zero-width no-break space (a BOM)
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{00AD}'             // soft hyphen
            | '\u{034F}'             // combining grapheme joiner
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{17B4}' | '\u{17B5}' // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}' // Mongolian selectors and vowel separator
            | '\u{E0000}'..='\u{E007F}' // tag characters
        )
}

/// Checks one line of text typed or imported for a person to read later: `what` names it in
/// the message ("surname", "the note").
pub fn check_line(what: &str, text: &str) -> Result<(), String> {
    if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| is_hidden(*c)) {
        return Err(format!(
            "{what} has a character that does not print (U+{:04X}, character {}): type it again without it",
            u32::from(c),
            i + 1
        ));
    }
    let len = text.chars().count();
    if len > MAX_LEN {
        return Err(format!(
            "{what} is {len} characters long; at most {MAX_LEN}"
        ));
    }
    Ok(())
}

/// The text with every character that does not print as itself shown as `�`, so that what a
/// terminal shows is what the data says. Newlines and tabs are kept.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hidden(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hidden(c) && c != '\n' && c != '\t' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// A value for one cell of a table or a CSV row: every character that does not print as
/// itself, newlines and tabs included, shown as `�`, so that a name stored before the rules
/// (a newline, an escape) can neither split a row nor drive a terminal.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_hidden(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// The columns `text` takes on a terminal: a combining accent takes none, a CJK character
/// two (Unicode's East Asian Width, as ratatui draws it).
pub fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` in exactly `width` columns: padded with spaces, or cut with `…` in the last
/// column. A wide character that would cross the edge is left out and the gap padded, so a
/// column of names lines up whatever their scripts.
pub fn fit_columns(text: &str, width: usize) -> String {
    let used = columns(text);
    if used <= width {
        let mut out = String::with_capacity(text.len() + width - used);
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - used));
        return out;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut taken = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if taken + w > width - 1 {
            break;
        }
        out.push(c);
        taken += w;
    }
    out.extend(std::iter::repeat_n(' ', width - 1 - taken));
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_people_have_are_accepted() {
        for name in [
            "Zoë",
            "O'Brien",
            "Smith-Jones",
            "Nguyễn",
            "محمد",
            "Łukasz",
            "Van der Berg",
        ] {
            assert_eq!(check_line("surname", name), Ok(()), "{name}");
            assert_eq!(printable(name), name);
        }
    }

    #[test]
    fn escapes_direction_overrides_and_invisible_characters_are_refused() {
        for (name, code) in [
            ("Adams\u{1b}]0;pwned\u{7}", "U+001B"),
            ("Ad\u{0}ams", "U+0000"),
            ("\u{202E}smadA", "U+202E"),
            ("Ad\u{200B}ams", "U+200B"),
            ("Ad\u{9b}ams", "U+009B"),
        ] {
            let err = check_line("surname", name).unwrap_err();
            assert!(err.contains(code), "{err}");
        }
        assert!(check_line("note", &"x".repeat(201)).is_err());
    }

    #[test]
    fn output_shows_what_does_not_print_as_a_replacement_character() {
        assert_eq!(printable("A\u{1b}[2Jdams"), "A\u{FFFD}[2Jdams");
        assert_eq!(printable("a\tb\nc"), "a\tb\nc");
        assert_eq!(printable("\u{202E}x"), "\u{FFFD}x");
    }

    #[test]
    fn names_fit_by_the_columns_they_take_not_their_characters() {
        // "Zoë" with a combining diaeresis: four characters, three columns.
        let zoe = "Zoe\u{0308}";
        assert_eq!(columns(zoe), 3);
        assert_eq!(columns(&fit_columns(zoe, 6)), 6);
        assert_eq!(fit_columns(zoe, 6), "Zoe\u{0308}   ");
        // A CJK name: three characters, six columns.
        assert_eq!(columns("王小明"), 6);
        assert_eq!(fit_columns("王小明", 8), "王小明  ");
        // Cut: the ellipsis in the last column, a wide character that would cross the edge
        // left out and the gap padded.
        assert_eq!(fit_columns("王小明", 5), "王小\u{2026}");
        assert_eq!(fit_columns("王小明", 4), "王 \u{2026}");
        assert_eq!(columns(&fit_columns("王小明", 4)), 4);
        assert_eq!(fit_columns("Abcdef", 4), "Abc\u{2026}");
        assert_eq!(fit_columns("Abc", 0), "");
    }
}

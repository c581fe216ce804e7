//! Fitting text into columns and lists into the rows there are.

use crate::domain::stats::round1;
use ratatui::text::{Line, Span};

/// Pads or truncates to exactly `width` columns of the terminal (a combining accent takes
/// none, a CJK character two).
pub fn fit(text: &str, width: usize) -> String {
    // One line: a newline in a name stored before the rules would break the row.
    let text = crate::domain::text::one_line(text);
    crate::domain::text::fit_columns(text.as_ref(), width)
}

/// A table cell: `text` fitted to one less than `width`, then a space, so a cut name never
/// runs into the next column.
pub fn cell(text: &str, width: usize) -> String {
    let mut s = fit(text, width.saturating_sub(1));
    if width > 0 {
        s.push(' ');
    }
    s
}

pub fn pct(value: Option<f64>) -> String {
    value
        .map(|p| format!("{:.1}%", round1(p)))
        .unwrap_or_else(|| "\u{2013}".into())
}

/// Words wrapped to `width` columns (textwrap: display width, long words broken).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let text = crate::domain::text::printable(text);
    textwrap::wrap(text.as_ref(), width.max(1))
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// `text` wrapped after a first column `label` of `indent` columns; continuation lines are
/// indented under the text, not under the label (help: keys, then what they do).
pub fn hanging(label: &str, text: &str, indent: usize, width: usize) -> Vec<(String, String)> {
    let rows = wrap(text, width.saturating_sub(indent).max(8));
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let first = if i == 0 {
                cell(label, indent)
            } else {
                " ".repeat(indent)
            };
            (first, row)
        })
        .collect()
}

/// The rows of a list that fit `height` from `scroll`, with a last row saying how many more
/// there are below (and a first saying how many above) when they do not all fit.
pub fn with_more<'a>(mut rows: Vec<Line<'a>>, scroll: usize, height: usize) -> Vec<Line<'a>> {
    let total = rows.len();
    if total <= height {
        return rows;
    }
    // The last page is a full one: the rows above it, then the list's end.
    let scroll = scroll.min(total - (height - 1).max(1));
    if height < 3 {
        return rows.drain(scroll..).take(height).collect();
    }
    let above = scroll;
    // Room for the list less the rows that say what is above and below.
    let room = height.saturating_sub(1 + usize::from(above > 0)).max(1);
    let shown: Vec<Line> = rows.drain(scroll..).take(room).collect();
    let below = total - scroll - shown.len();
    let mut out = Vec::with_capacity(height);
    if above > 0 {
        out.push(Line::from(Span::raw(format!(
            "\u{2191} {above} more above"
        ))));
    }
    out.extend(shown);
    if below > 0 {
        out.push(Line::from(Span::raw(format!(
            "\u{2193} {below} more (down to scroll)"
        ))));
    }
    out
}

//! A titled list with a cursor, a few detail lines under it, and rows that are not all
//! selectable (group headings): what the desk's screens share.

use super::text::fit;
use super::theme::Theme;
use crate::app::ListTop;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One line of a list: selectable rows carry their index among the selectable ones.
pub(super) struct Row {
    pub text: String,
    pub index: Option<usize>,
    /// Drawn in the warning style (still to act on); never the only sign.
    pub warn: bool,
    pub heading: bool,
}

impl Row {
    pub fn item(index: usize, text: String, warn: bool) -> Row {
        Row {
            text,
            index: Some(index),
            warn,
            heading: false,
        }
    }

    pub fn heading(text: String) -> Row {
        Row {
            text,
            index: None,
            warn: false,
            heading: true,
        }
    }

    pub fn text(text: String) -> Row {
        Row {
            text,
            index: None,
            warn: false,
            heading: false,
        }
    }
}

pub(super) struct ListView<'a> {
    pub title: String,
    pub columns: String,
    pub rows: Vec<Row>,
    pub cursor: usize,
    pub top: &'a ListTop,
    /// Shown under the list when the terminal has room (12 rows or more).
    pub detail: Vec<String>,
}

pub fn draw(frame: &mut Frame, area: Rect, theme: Theme, view: ListView) {
    let width = usize::from(area.width);
    let detail_height = if area.height >= 12 {
        view.detail.len()
    } else {
        0
    };
    let mut lines = vec![
        Line::from(Span::styled(fit(&view.title, width), theme.title())),
        Line::from(Span::styled(fit(&view.columns, width), theme.heading())),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len() + detail_height);
    let at = view
        .rows
        .iter()
        .position(|r| r.index == Some(view.cursor))
        .unwrap_or(0);
    let start = view.top.follow(at, visible, view.rows.len());
    for row in view.rows.iter().skip(start).take(visible) {
        let chosen = row.index.is_some() && row.index == Some(view.cursor);
        let marker = match (row.index, chosen) {
            (Some(_), true) => "> ",
            (Some(_), false) => "  ",
            (None, _) => "",
        };
        let mut line = Line::from(fit(&format!("{marker}{}", row.text), width));
        if row.heading {
            line = line.style(theme.heading());
        } else if row.warn {
            line = line.style(theme.warn());
        }
        if chosen {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    let filler = usize::from(area.height).saturating_sub(lines.len() + detail_height);
    lines.extend(std::iter::repeat_n(Line::from(""), filler));
    for text in view.detail.iter().take(detail_height) {
        lines.push(Line::from(fit(text, width)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

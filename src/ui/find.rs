//! Finding a pupil, as late sign-in and the pupil search show it: the search field and the
//! pupils it finds, with today's marks and what tells two pupils of one name apart.

use super::text::{cell, fit};
use super::theme::Theme;
use crate::app::{App, Finder};
use crate::domain::marks::Mark;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The finder under a title ("Late sign-in", "Find a pupil").
pub fn draw(frame: &mut Frame, app: &App, s: &Finder, title: &str, area: Rect, theme: Theme) {
    let width = usize::from(area.width);
    // Year, group and date of birth tell apart two pupils of the same name.
    let mark_width = if width >= 80 { 12 } else { 7 };
    let name_width = width
        .saturating_sub(2 + 3 + 7 + 11 + mark_width + mark_width)
        .max(12);
    let session = app.current_session();
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{title} \u{b7} {} {} \u{b7} type a name or UPN",
                app.now.format("%a %d %b"),
                session.label()
            ),
            theme.title(),
        )),
        Line::from(vec![
            Span::raw("find: "),
            Span::styled(format!("{}_", s.query), theme.heading()),
        ]),
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}{}{}",
                cell("Pupil", name_width),
                cell("Yr", 3),
                cell("Group", 7),
                cell("Born", 11),
                cell("AM", mark_width),
                "PM"
            ),
            theme.heading(),
        )),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len());
    let start = s.top.follow(s.cursor, visible, s.results.len());
    for (i, hit) in s.results.iter().enumerate().skip(start).take(visible) {
        let mark = |m: &Option<Mark>| {
            m.as_ref()
                .map_or("\u{b7}".to_string(), |m| match m.arrived {
                    Some(t) => format!("{} {}", m.code, t.format("%H:%M")),
                    None => m.code.to_string(),
                })
        };
        let text = format!(
            "{}{}{}{}{}{}{}",
            if i == s.cursor { "> " } else { "  " },
            cell(&format!("{}, {}", hit.surname, hit.forename), name_width),
            cell(&hit.year.to_string(), 3),
            cell(hit.group.as_deref().unwrap_or("-"), 7),
            cell(
                &hit.dob
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                11,
            ),
            cell(&mark(&hit.marks[0]), mark_width),
            fit(&mark(&hit.marks[1]), mark_width)
        );
        let mut line = Line::from(text);
        if i == s.cursor {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if s.results.is_empty() {
        lines.push(Line::from("  No pupil matches."));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

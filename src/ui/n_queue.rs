//! The `N` queue: unresolved `N` marks, oldest first, with their deadlines.

use super::text::{cell, fit};
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::NQueue(q) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    // Narrow terminals drop the deadline's date: the days left say it.
    let due_width = if width >= 80 { 11 } else { 0 };
    let name_width = width.saturating_sub(2 + 14 + 7 + due_width + 13).max(10);
    let mut lines = vec![
        Line::from(Span::styled(
            fit(
                &format!(
                    "Unresolved N \u{b7} {} waiting \u{b7} oldest first \u{b7} a reason within 5 school days",
                    q.items.len()
                ),
                width,
            ),
            theme.title(),
        )),
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}{}",
                cell("Session", 14),
                cell("Group", 7),
                cell("Pupil", name_width),
                cell("Due", due_width),
                "Left"
            ),
            theme.heading(),
        )),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len());
    let start = q.top.follow(q.cursor, visible, q.items.len());
    for (i, item) in q.items.iter().enumerate().skip(start).take(visible) {
        let left = if item.days_left < 0 {
            format!("OVERDUE {}d", -item.days_left)
        } else {
            format!(
                "{} school day{}",
                item.days_left,
                if item.days_left == 1 { "" } else { "s" }
            )
        };
        let mut line = Line::from(vec![
            Span::raw(if i == q.cursor { "> " } else { "  " }),
            Span::raw(cell(
                &format!("{} {}", item.date.format("%a %d %b"), item.session.label()),
                14,
            )),
            Span::raw(cell(&item.group, 7)),
            Span::raw(cell(&item.name, name_width)),
            Span::raw(cell(
                &item.deadline.format("%a %d %b").to_string(),
                due_width,
            )),
            Span::styled(
                left,
                if item.days_left < 0 {
                    theme.warn()
                } else {
                    Style::new()
                },
            ),
        ]);
        if i == q.cursor {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if q.loaded && q.items.is_empty() {
        lines.push(Line::from("  No N marks are waiting for a reason."));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

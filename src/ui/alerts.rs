//! Alerts: thresholds reached today, still to act on first, with what was done.

use super::Theme;
use super::text::{cell, fit};
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Alerts(s) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    let open = s.alerts.iter().filter(|a| a.acted.is_none()).count();
    // The detail of the selected alert takes the last lines: what reached it and what was done.
    let detail: Vec<String> = s
        .selected()
        .map(|a| {
            let mut lines = vec![format!("{} \u{b7} {}", a.name, a.summary)];
            let sessions: Vec<String> = a
                .evidence
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {}",
                        m.date.format("%d %b"),
                        m.session.label(),
                        m.code
                    )
                })
                .collect();
            lines.push(format!("sessions: {}", sessions.join(", ")));
            lines.push(match &a.acted {
                Some(d) => format!(
                    "acted on {} by {} ({}): {}",
                    d.at.format("%a %d %b %H:%M"),
                    d.name,
                    d.position,
                    d.note
                ),
                None => "not acted on yet".into(),
            });
            lines
        })
        .unwrap_or_default();
    let detail_height = if area.height >= 12 { detail.len() } else { 0 };
    let mut lines = vec![
        Line::from(Span::styled(
            fit(
                &format!(
                    "Alerts \u{b7} {} to act on \u{b7} {} acted on",
                    open,
                    s.alerts.len() - open
                ),
                width,
            ),
            theme.title(),
        )),
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}",
                cell("Pupil", 22),
                cell("Group", 8),
                cell("Threshold", 22),
                "Done"
            ),
            theme.heading(),
        )),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len() + detail_height);
    let start = s.top.follow(s.cursor, visible, s.alerts.len());
    for (i, alert) in s.alerts.iter().enumerate().skip(start).take(visible) {
        let done = match &alert.acted {
            Some(d) => format!("{} {}", d.at.format("%d %b"), d.note),
            None => "-".into(),
        };
        let text = format!(
            "{}{}{}{}{}",
            if i == s.cursor { "> " } else { "  " },
            cell(&alert.name, 22),
            cell(alert.group.as_deref().unwrap_or(""), 8),
            cell(alert.kind.label(), 22),
            done
        );
        let mut line = Line::from(fit(&text, width));
        if alert.acted.is_none() {
            line = line.style(theme.warn());
        }
        if i == s.cursor {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if s.loaded && s.alerts.is_empty() {
        lines.push(Line::from("  No thresholds reached today."));
    }
    let filler = usize::from(area.height).saturating_sub(lines.len() + detail_height);
    lines.extend(std::iter::repeat_n(Line::from(""), filler));
    for text in detail.iter().take(detail_height) {
        lines.push(Line::from(fit(text, width)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

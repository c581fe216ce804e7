//! Alerts: thresholds reached today, still to act on first, with what was done.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Alerts(s) = &app.screen else {
        return;
    };
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
    let mut rows: Vec<Row> = s
        .alerts
        .iter()
        .enumerate()
        .map(|(i, alert)| {
            let done = match &alert.acted {
                Some(d) => format!("{} {}", d.at.format("%d %b"), d.note),
                None => "-".into(),
            };
            Row::item(
                i,
                format!(
                    "{}{}{}{}",
                    cell(&alert.name, 22),
                    cell(alert.group.as_deref().unwrap_or(""), 8),
                    cell(alert.kind.label(), 22),
                    done
                ),
                alert.acted.is_none(),
            )
        })
        .collect();
    if s.loaded && s.alerts.is_empty() {
        rows.push(Row::text("  No thresholds reached today.".into()));
    }
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title: format!(
                "Alerts \u{b7} {} to act on \u{b7} {} acted on",
                open,
                s.alerts.len() - open
            ),
            columns: format!(
                "  {}{}{}{}",
                cell("Pupil", 22),
                cell("Group", 8),
                cell("Threshold", 22),
                "Done"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

//! Missing from lessons: each pupil known to be in school and not in a lesson, open ones
//! first, with the lesson, teacher and room, the minutes since the mark, and "INFORM THE
//! PARENTS" once the school's minutes have passed.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Missing(s) = &app.screen else {
        return;
    };
    let open = s.pupils.iter().filter(|p| p.open).count();
    let title = format!(
        "Missing from lessons \u{b7} {} \u{b7} {open} still missing \u{b7} {} found",
        app.now.format("%a %d %b %H:%M"),
        s.pupils.len() - open
    );
    let mut rows = Vec::new();
    if s.loaded && s.pupils.is_empty() {
        rows.push(Row::text("Nobody is missing from a lesson today.".into()));
    }
    for (i, p) in s.pupils.iter().enumerate() {
        // The clock runs on between reloads: minutes from the mark to now.
        let minutes = (app.now - p.marked_at).num_minutes().max(p.minutes);
        let status = if !p.open {
            p.actions
                .iter()
                .rev()
                .find(|a| a.outcome == crate::domain::lessons::MissingOutcome::Found)
                .map_or("found in a later lesson".to_string(), |a| {
                    format!("found {}: {}", a.at.format("%H:%M"), a.note)
                })
        } else if p.inform_parents {
            "INFORM THE PARENTS".to_string()
        } else if p
            .actions
            .iter()
            .any(|a| a.outcome == crate::domain::lessons::MissingOutcome::ParentsInformed)
        {
            "parents told; looking".to_string()
        } else {
            "looking".to_string()
        };
        rows.push(Row::item(
            i,
            format!(
                "{}{}{}{}{}{}",
                cell(&p.name, 20),
                cell(&format!("{} {}", p.class, p.period), 12),
                cell(&p.room, 6),
                cell(&p.teacher, 9),
                cell(&format!("{minutes}m"), 6),
                status
            ),
            p.open,
        ));
    }
    let detail = match s.pupils.get(s.cursor) {
        Some(p) => {
            let mut lines = vec![format!(
                "{}: marked N at {} by {} in {} ({})",
                p.name,
                p.marked_at.format("%H:%M"),
                p.teacher,
                p.class,
                p.room
            )];
            lines.extend(p.contacts.iter().take(2).map(|c| c.line()));
            lines.extend(
                p.actions
                    .iter()
                    .map(|a| format!("{} {}: {}", a.at.format("%H:%M"), a.name, a.note)),
            );
            lines
        }
        None => Vec::new(),
    };
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title,
            columns: format!(
                "  {}{}{}{}{}{}",
                cell("Pupil", 20),
                cell("Lesson", 12),
                cell("Room", 6),
                cell("Teacher", 9),
                cell("Since", 6),
                "Status"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

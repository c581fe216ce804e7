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
        "Lessons \u{b7} {} \u{b7} {open} missing \u{b7} {} found \u{b7} {} registers not taken",
        app.now.format("%a %d %b %H:%M"),
        s.pupils.len() - open,
        s.not_taken.len()
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
            // The status first after the name: what the team must do, even at 60 columns.
            format!(
                "{}{}{}{}{}{}",
                cell(&p.name, 18),
                cell(&status, 20),
                cell(&format!("{} {}", p.class, p.period), 12),
                cell(&format!("{minutes}m"), 6),
                cell(&p.room, 6),
                p.teacher
            ),
            p.open,
        ));
    }
    if !s.not_taken.is_empty() {
        rows.push(Row::heading(
            "Lesson registers not taken (enter reminds the teacher)".into(),
        ));
        for (i, l) in s.not_taken.iter().enumerate() {
            rows.push(Row::item(
                s.pupils.len() + i,
                format!(
                    "{}{}{}{}NOT TAKEN {}/{} marked",
                    cell(&format!("{} {}", l.class, l.period), 20),
                    cell(&l.start.format("%H:%M").to_string(), 12),
                    cell(&l.room, 6),
                    cell(&l.teacher, 15),
                    l.marked,
                    l.pupils
                ),
                true,
            ));
        }
    }
    if !s.late.is_empty() {
        rows.push(Row::heading(format!(
            "Late to lessons today: {} (for detentions)",
            s.late.len()
        )));
        for l in &s.late {
            rows.push(Row::text(format!(
                "  {}{}{}{}",
                cell(&l.name, 20),
                cell(&format!("{} {}", l.class, l.period), 12),
                cell(
                    &l.arrived
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    6
                ),
                l.minutes_late
                    .map_or(String::new(), |m| format!("{m} min late"))
            )));
        }
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
                cell("Pupil", 18),
                cell("Status", 20),
                cell("Lesson", 12),
                cell("Since", 6),
                cell("Room", 6),
                "Teacher"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

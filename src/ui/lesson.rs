//! A lesson's register: each pupil's lesson mark beside their statutory code, why a pupil is
//! expected away, and MISSING where a pupil known to be in school is not in the lesson.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use crate::domain::lessons::Expected;
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Lesson(s) = &app.screen else {
        return;
    };
    let Some(view) = &s.view else {
        frame.render_widget(
            ratatui::widgets::Paragraph::new("loading the lesson's register\u{2026}"),
            area,
        );
        return;
    };
    let l = &view.lesson;
    let missing = view.pupils.iter().filter(|p| p.missing).count();
    let title = format!(
        "{} {} \u{b7} {}{} {}-{} \u{b7} {} \u{b7} {} \u{b7} {}/{} marked{}{}",
        l.class,
        l.subject,
        l.period,
        if l.afternoon_register {
            " (afternoon register)"
        } else {
            ""
        },
        l.start.format("%H:%M"),
        l.end.format("%H:%M"),
        l.room,
        l.teacher_name,
        l.marked,
        l.pupils,
        if l.taken.is_some() {
            " \u{b7} taken"
        } else {
            ""
        },
        if missing > 0 {
            format!(" \u{b7} {missing} MISSING")
        } else {
            String::new()
        }
    );
    let rows: Vec<Row> = view
        .pupils
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let lesson = match &p.mark {
                Some(m) => match m.minutes_late {
                    Some(min) => format!("{} {min}m", m.code.symbol()),
                    None => m.code.symbol().to_string(),
                },
                None => "-".to_string(),
            };
            let why = match (&p.expected, p.missing) {
                (_, true) => "MISSING: the attendance team has been told".to_string(),
                (Some(Expected::Statutory(c)), _) => format!("away: {}", c.info().meaning),
                (Some(Expected::SignedOut(t)), _) => format!("signed out {}", t.format("%H:%M")),
                (None, _) => String::new(),
            };
            Row::item(
                i,
                format!(
                    "{}{}{}{}",
                    cell(&p.name, 24),
                    cell(&lesson, 8),
                    cell(&p.statutory.map(|c| c.to_string()).unwrap_or_default(), 6),
                    why
                ),
                p.missing,
            )
        })
        .collect();
    let detail = match s.pupil_at_cursor() {
        Some(p) if s.jump.is_empty() => vec![format!(
            "{}: lesson {}, registration {}",
            p.name,
            p.mark.as_ref().map_or("not marked", |m| m.code.symbol()),
            p.statutory
                .map_or("not marked".to_string(), |c| c.to_string())
        )],
        _ if !s.jump.is_empty() => vec![format!("find: {}", s.jump.typed)],
        _ => Vec::new(),
    };
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title,
            columns: format!(
                "  {}{}{}{}",
                cell("Pupil", 24),
                cell("Lesson", 8),
                cell("Reg.", 6),
                "Why"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

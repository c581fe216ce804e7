//! Stages of intervention: pupils furthest on first, what is due, and what was done.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Stages(s) = &app.screen else {
        return;
    };
    let mut rows = Vec::new();
    for (i, p) in s.pupils.iter().enumerate() {
        let done = p
            .done
            .iter()
            .rev()
            .find(|d| d.stage.as_deref() == Some(p.stage.name.as_str()));
        rows.push(Row::item(
            i,
            format!(
                "{}{}{}{}",
                cell(&p.name, 22),
                cell(p.group.as_deref().unwrap_or(""), 7),
                cell(&format!("{}. {}", p.number, p.stage.name), 22),
                match done {
                    Some(d) => format!("done {} {}", d.date.format("%d %b"), d.note),
                    None => "DUE".into(),
                }
            ),
            done.is_none(),
        ));
    }
    if s.loaded && s.pupils.is_empty() {
        rows.push(Row::text(
            "No pupil has reached a stage (or the school has none in school.toml).".into(),
        ));
    }
    let detail = s
        .pupils
        .get(s.cursor)
        .map(|p| {
            let mut lines = vec![
                format!("{}: {}", p.name, p.why),
                format!("due: {}", p.stage.action),
            ];
            lines.extend(p.done.iter().map(|d| {
                format!(
                    "{} {} by {} ({}): {}",
                    d.date.format("%d %b"),
                    d.stage.as_deref().unwrap_or(""),
                    d.name,
                    d.position,
                    d.note
                )
            }));
            if let Some(letter) = &p.stage.letter {
                lines.push(format!(
                    "letter: rollcall letter --pupil {} (template {letter})",
                    p.upn
                ));
            }
            lines
        })
        .unwrap_or_default();
    let due = s
        .pupils
        .iter()
        .filter(|p| {
            !p.done
                .iter()
                .any(|d| d.stage.as_deref() == Some(p.stage.name.as_str()))
        })
        .count();
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title: format!(
                "Stages of intervention \u{b7} {} pupil{} \u{b7} {due} with an action due",
                s.pupils.len(),
                if s.pupils.len() == 1 { "" } else { "s" }
            ),
            columns: format!(
                "  {}{}{}{}",
                cell("Pupil", 22),
                cell("Group", 7),
                cell("Stage", 22),
                "Done"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

//! Casework: what is due of the office first, then every case still running, and this
//! term's suspensions with the day education must be provided elsewhere.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Casework(s) = &app.screen else {
        return;
    };
    let mut rows = Vec::new();
    for (i, c) in s.cases.iter().enumerate() {
        rows.push(Row::item(
            i,
            // What is due first and the case's words last: a narrow terminal cuts the end.
            format!(
                "{}{}{}{}",
                cell(if c.due.is_some() { "DUE" } else { "" }, 4),
                cell(&c.name, 20),
                cell(c.due.as_deref().unwrap_or(&c.state), 34),
                c.case.words()
            ),
            c.due.is_some(),
        ));
    }
    if s.loaded && s.cases.is_empty() {
        rows.push(Row::text(
            "No case is running (rollcall leave, penalty, notice, parttime, evidence, meeting)."
                .into(),
        ));
    }
    for p in &s.suspended {
        for run in &p.runs {
            let sixth = run
                .sixth_day
                .map(|d| format!(": education elsewhere from {}", d.format("%a %d %b")))
                .unwrap_or_default();
            // Under the cases' columns (their rows start after the cursor's two).
            rows.push(Row::text(format!(
                "  {}{}suspended {} to {} ({} days, {} this term){sixth}",
                cell("", 4),
                cell(&p.name, 20),
                run.from.format("%d %b"),
                run.to.format("%d %b"),
                run.days,
                p.days_this_term
            )));
        }
    }
    let detail = s
        .cases
        .get(s.cursor)
        .map(crate::app::case_detail)
        .unwrap_or_default();
    let due = s.cases.iter().filter(|c| c.due.is_some()).count();
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title: format!("Casework \u{b7} {} running \u{b7} {due} due", s.cases.len()),
            columns: format!(
                "  {}{}{}{}",
                cell("", 4),
                cell("Pupil", 20),
                cell("Due, or where it stands", 34),
                "Case"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

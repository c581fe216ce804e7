//! The trust's screen (SPEC §8.9): its schools as rows (attendance against the target, PA
//! and SA) and, where the terminal has room, the chosen school's weeks as bars against the
//! target. Pure rendering of [`TrustScreen`].

use super::list::{self, ListView, Row};
use super::text::{cell, fit, pct};
use super::theme::Theme;
use crate::app::trust::TrustScreen;
use crate::domain::stats::round1;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, s: &TrustScreen, theme: Theme) {
    let area = frame.area();
    // The weeks' bars only where the list keeps room for its schools.
    let chart_height = if area.height >= 18 { 9 } else { 0 };
    let [list_area, chart_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(chart_height)]).areas(area);
    let schools = s.rows.iter().filter(|r| !r.is_trust()).count();
    let title = format!(
        "Trust \u{b7} {schools} school{} \u{b7} {} to {} \u{b7} target {}% \u{b7} q quits, ctrl+r reads again",
        if schools == 1 { "" } else { "s" },
        s.from.format("%d %b %Y"),
        s.to.format("%d %b %Y"),
        s.target
    );
    let mut rows = Vec::new();
    if s.loaded && schools == 0 {
        rows.push(Row::text(
            "No school has published to this database yet.".into(),
        ));
    }
    for (i, r) in s.rows.iter().enumerate() {
        let attendance = r.tally.attendance_pct();
        let below = attendance.is_some_and(|a| round1(a) < s.target);
        let share = |n: u32| pct(crate::domain::stats::share(n, r.pupils));
        rows.push(Row::item(
            i,
            format!(
                "{}{}{}{}{}{} {}",
                cell(&r.school, 28),
                cell(&pct(attendance), 8),
                cell(
                    &attendance.map_or(String::new(), |a| format!("{:+.1}", round1(a) - s.target)),
                    7
                ),
                cell(&r.pupils.to_string(), 7),
                cell(&format!("{} {}", r.pa, share(r.pa)), 12),
                r.sa,
                share(r.sa),
            ),
            // Below the target: the warning style, and the sign in the column too.
            below,
        ));
    }
    let mut detail = Vec::new();
    if let Some(why) = &s.message {
        detail.push(format!("The trust's database: {why}"));
    }
    list::draw(
        frame,
        list_area,
        theme,
        ListView {
            title,
            columns: format!(
                "  {}{}{}{}{}{}",
                cell("school", 28),
                cell("attend.", 8),
                cell("target", 7),
                cell("pupils", 7),
                cell("PA", 12),
                "SA"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
    if chart_height > 0 {
        draw_weeks(frame, chart_area, s, theme);
    }
}

/// The chosen school's weeks, one line a week: a bar from just under the lowest week (or the
/// target) to 100%, and the target marked on it.
fn draw_weeks(frame: &mut Frame, area: Rect, s: &TrustScreen, theme: Theme) {
    let width = usize::from(area.width);
    let weeks = s.weeks_of_chosen();
    let name = s.chosen().map_or(String::new(), |r| r.school.clone());
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!("{name}: the last weeks, against the target"),
            width,
        ),
        theme.heading(),
    ))];
    let shown = usize::from(area.height).saturating_sub(1);
    let recent = &weeks[weeks.len().saturating_sub(shown)..];
    let bar_width = width.saturating_sub(20).max(1);
    // From a little under the lowest week (or the target): the weeks' differences show.
    let lowest = recent
        .iter()
        .filter_map(|(_, t)| t.attendance_pct())
        .fold(s.target, f64::min);
    let floor = (lowest - 2.0).floor().max(0.0);
    let column =
        |v: f64| (((v - floor) / (100.0 - floor)).clamp(0.0, 1.0) * bar_width as f64) as usize;
    let (full, mark) = if theme.ascii {
        ('#', '|')
    } else {
        ('\u{2588}', '\u{2502}')
    };
    for (monday, tally) in recent {
        let attendance = tally.attendance_pct();
        let filled = attendance.map_or(0, column);
        let target_at = column(s.target).min(bar_width.saturating_sub(1));
        let bar: String = (0..bar_width)
            .map(|i| match (i < filled, i == target_at) {
                (_, true) => mark,
                (true, false) => full,
                (false, false) => ' ',
            })
            .collect();
        let text = format!("{} {} {}", monday.format("%d %b"), bar, pct(attendance));
        let below = attendance.is_some_and(|a| round1(a) < s.target);
        let line = Line::from(fit(&text, width));
        lines.push(if below {
            line.style(theme.warn())
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), area);
}

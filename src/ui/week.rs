//! A group's week: pupils down, Monday to Friday AM and PM across, the week's figures at the
//! end of each row; or the weekly chart of the group's and the school's attendance. Bars are
//! characters and every bar has its number: nothing depends on colour.

use super::text::{fit, pct};
use super::theme::Theme;
use crate::app::{App, Screen};
use crate::service::protocol::GroupWeek;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Week(s) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    let Some(v) = &s.view else {
        frame.render_widget(Paragraph::new("Reading the week\u{2026}"), area);
        return;
    };
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!(
                "{} \u{b7} week of {} \u{b7} {}",
                v.group,
                v.monday.format("%a %d %b %Y"),
                if s.chart {
                    "weekly attendance"
                } else {
                    "weekly register"
                }
            ),
            width,
        ),
        theme.title(),
    ))];
    if s.chart {
        chart(&mut lines, v, width, theme);
    } else {
        grid(
            &mut lines,
            v,
            s.scroll,
            usize::from(area.height),
            width,
            theme,
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn grid(
    lines: &mut Vec<Line>,
    v: &GroupWeek,
    scroll: usize,
    height: usize,
    width: usize,
    theme: Theme,
) {
    let name_width = width.saturating_sub(5 * 7 + 8).clamp(12, 24);
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "{:<name_width$}{:<7}{:<7}{:<7}{:<7}{:<7}Week",
                "Pupil", "Mon", "Tue", "Wed", "Thu", "Fri"
            ),
            width,
        ),
        theme.heading(),
    )));
    let visible = height.saturating_sub(lines.len() + 1);
    for p in v.pupils.iter().skip(scroll).take(visible) {
        let mut text = format!(
            "{:<name_width$}",
            fit(&p.name, name_width.saturating_sub(1))
        );
        for (day, closed) in p.days.iter().zip(v.closed) {
            let cell = |c: &Option<crate::domain::codes::Code>| match (c, closed) {
                (Some(c), _) => c.to_string(),
                (None, true) => "#".into(),
                (None, false) => ".".into(),
            };
            text.push_str(&format!("{:<3}{:<3} ", cell(&day[0]), cell(&day[1])));
        }
        text.push_str(&pct(p.tally.attendance_pct()));
        lines.push(Line::from(fit(&text, width)));
    }
    let filler = height.saturating_sub(lines.len() + 1);
    lines.extend(std::iter::repeat_n(Line::from(""), filler));
    lines.push(Line::from(Span::styled(
        fit(
            "# no school  . not marked  last column: the week's attendance",
            width,
        ),
        theme.dim(),
    )));
}

/// One row per week: the group's bar and rate, then the school's.
fn chart(lines: &mut Vec<Line>, v: &GroupWeek, width: usize, theme: Theme) {
    let bar_width = (width.saturating_sub(8 + 2 * 10) / 2).clamp(6, 30);
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "{:<8}{:<w$}{:<w$}",
                "Week",
                format!("{} (bars: 80% to 100%)", v.group),
                "School",
                w = bar_width + 10
            ),
            width,
        ),
        theme.heading(),
    )));
    for w in &v.weekly {
        let text = format!(
            "{:<8}{}{}",
            w.monday.format("%d %b"),
            bar(w.group.attendance_pct(), bar_width),
            bar(w.school.attendance_pct(), bar_width)
        );
        lines.push(Line::from(fit(&text, width)));
    }
}

/// A rate as `#` from 80% to 100% (the range a school's weeks differ in) and its number.
fn bar(rate: Option<f64>, bar_width: usize) -> String {
    let filled = rate
        .map_or(0, |r| {
            (((r - 80.0).max(0.0) / 20.0) * bar_width as f64).round() as usize
        })
        .min(bar_width);
    let bar: String = std::iter::repeat_n('#', filled)
        .chain(std::iter::repeat_n('.', bar_width - filled))
        .collect();
    let number = match rate {
        Some(_) => pct(rate),
        None => "-".into(),
    };
    format!("{bar} {number:>7}  ")
}

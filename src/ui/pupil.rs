//! A pupil's year as the paper register shows it: weeks as rows, AM and PM cells, `#` for a
//! day without school, `.` for a session not marked, and the year's figures beside the grid
//! (under it on a narrow terminal). Readable without colour: every cell is its code.

use super::text::{fit, pct};
use super::theme::Theme;
use crate::app::{App, Screen};
use crate::service::protocol::{DayCells, PupilYear};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The grid's width: "02 Nov  " then five days of "AM PM  ".
const GRID_WIDTH: usize = 8 + 5 * 7;

fn day_cell(day: &DayCells) -> String {
    let code = |i: usize| match (&day.codes[i], day.closed) {
        (Some(c), _) => c.to_string(),
        (None, true) => "#".into(),
        (None, false) => ".".into(),
    };
    format!("{:<3}{:<3} ", code(0), code(1))
}

fn figures(v: &PupilYear) -> Vec<String> {
    let t = &v.tally;
    let mut lines = vec![
        "Year to date".to_string(),
        format!("possible   {}", t.possible()),
        format!("attended   {}", t.attended()),
        format!("attendance {}", pct(t.attendance_pct())),
        format!("authorised {}", pct(t.authorised_pct())),
        format!("unauth.    {}", pct(t.unauthorised_pct())),
        format!("late (L)   {}", v.detail.late_count),
        format!("after close (U) {}", v.detail.u_count),
    ];
    if let Some(m) = v.detail.minutes_late_mean() {
        lines.push(format!("mean late  {m:.0} min"));
    }
    if let Some(band) = &v.band {
        lines.push(format!("band       {band}"));
    }
    let flag = if t.is_severe_absence() {
        "SA: severe absence"
    } else if t.is_persistent_absence() {
        "PA: persistent absence"
    } else {
        ""
    };
    if !flag.is_empty() {
        lines.push(flag.into());
    }
    if !v.characteristics.is_empty() {
        lines.push(String::new());
        lines.push(v.characteristics.clone());
    }
    if v.more_with_the_office {
        lines.push(String::new());
        lines.push("The office holds more about this pupil".into());
    }
    if !v.contacts.is_empty() {
        lines.push(String::new());
        lines.push("Contacts".into());
        lines.extend(v.contacts.iter().map(|c| c.line()));
    }
    if !v.casework.is_empty() {
        lines.push(String::new());
        lines.push("Casework".into());
        lines.extend(v.casework.iter().cloned());
    }
    lines
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Pupil(s) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    let Some(v) = &s.view else {
        frame.render_widget(Paragraph::new("Reading the year\u{2026}"), area);
        return;
    };
    let side = width >= GRID_WIDTH + 24;
    let figures = figures(v);
    // The UPN straight after the name: on a narrow terminal the end of the line is cut.
    let title = format!(
        "{} \u{b7} {} \u{b7} {} \u{b7} year {}{}",
        v.name,
        v.upn,
        v.group.as_deref().unwrap_or("not on roll"),
        v.year,
        v.dob
            .map(|d| format!(" \u{b7} born {}", d.format("%d %b %Y")))
            .unwrap_or_default()
    );
    let mut lines = vec![
        Line::from(Span::styled(fit(&title, width), theme.title())),
        Line::from(Span::styled(
            fit(
                &format!(
                    "{:<8}{:<7}{:<7}{:<7}{:<7}{:<7}",
                    "Week", "Mon", "Tue", "Wed", "Thu", "Fri"
                ),
                width,
            ),
            theme.heading(),
        )),
    ];
    let legend = "# no school  . not marked  / \\ present  L late  U after close  N no reason yet";
    // Another school's sessions go under the grid, apart from this school's figures.
    let below = if side { 0 } else { 2 } + v.elsewhere.len();
    let visible = usize::from(area.height).saturating_sub(lines.len() + 1 + below);
    let today = app.now.date();
    for (row, week) in v.weeks.iter().enumerate().skip(s.scroll).take(visible) {
        let mut text = format!("{:<8}", week.monday.format("%d %b"));
        for day in &week.days {
            text.push_str(&day_cell(day));
        }
        let this_week = week.monday <= today && today < week.monday + chrono::Days::new(7);
        if this_week {
            text.replace_range(6..7, "<");
        }
        if side && let Some(f) = figures.get(row - s.scroll) {
            text = format!("{text:<w$}\u{2502} {f}", w = GRID_WIDTH);
        }
        lines.push(Line::from(fit(&text, width)));
    }
    // Figures that did not fit beside the weeks shown.
    if side {
        let shown = v.weeks.len().saturating_sub(s.scroll).min(visible);
        for f in figures
            .iter()
            .skip(shown)
            .take(visible.saturating_sub(shown))
        {
            lines.push(Line::from(fit(
                &format!("{:<w$}\u{2502} {f}", "", w = GRID_WIDTH),
                width,
            )));
        }
    }
    let filler = usize::from(area.height).saturating_sub(lines.len() + 1 + below);
    lines.extend(std::iter::repeat_n(Line::from(""), filler));
    for at in &v.elsewhere {
        lines.push(Line::from(Span::styled(
            fit(&format!("At another school: {}", at.line()), width),
            theme.dim(),
        )));
    }
    if !side {
        let t = &v.tally;
        lines.push(Line::from(fit(
            &format!(
                "Year: {} attendance, {} possible, L {}, U {}{}",
                pct(t.attendance_pct()),
                t.possible(),
                v.detail.late_count,
                v.detail.u_count,
                v.band
                    .as_ref()
                    .map(|b| format!(", band {b}"))
                    .unwrap_or_default()
            ),
            width,
        )));
        lines.push(Line::from(fit(
            if t.is_severe_absence() {
                "SA: severe absence"
            } else if t.is_persistent_absence() {
                "PA: persistent absence"
            } else {
                ""
            },
            width,
        )));
    }
    lines.push(Line::from(Span::styled(fit(legend, width), theme.dim())));
    frame.render_widget(Paragraph::new(lines), area);
}

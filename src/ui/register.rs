//! A register: the pupils, their marks and year-to-date figures, the live counts and session
//! percentage, and where the clock stands.

use super::text::{cell, fit, pct, wrap};
use super::theme::Theme;
use crate::app::{App, RegisterScreen};
use crate::domain::codes::{Code, StatClass};
use crate::domain::register::RegisterClock;
use crate::domain::session::{Phase, hm};
use crate::domain::stats::Tally;
use crate::service::protocol::{RegisterRow, RegisterView};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn phase_words(view: &RegisterView, now: NaiveDateTime) -> (String, Phase) {
    let clock = RegisterClock {
        date: view.date,
        session: view.session,
        times: view.times,
        now,
        locked: view.closed.is_some(),
    };
    let phase = clock.phase();
    let mut text = format!(
        "register {} \u{b7} closes {}",
        hm(view.times.register_at),
        hm(view.times.closes_at)
    );
    if view.date == now.date() {
        let minute = |t: chrono::NaiveTime| {
            i64::from(chrono::Timelike::hour(&t)) * 60 + i64::from(chrono::Timelike::minute(&t))
        };
        let now_min = minute(now.time());
        match phase {
            Phase::BeforeOpen => {
                text.push_str(&format!(" \u{b7} opens {}", hm(view.times.opens_at)))
            }
            Phase::Open => {
                let left = minute(view.times.register_at) - now_min;
                text.push_str(&format!(" (begins in {left} min)"));
            }
            Phase::LateWindow => match minute(view.times.closes_at) - now_min {
                0 => text.push_str(" (this minute)"),
                left => text.push_str(&format!(" (in {left} min)")),
            },
            Phase::Closed => {}
        }
    }
    let state = match (&view.closed, phase) {
        (Some(c), _) => format!(
            "CLOSED by {} at {}",
            c.closed_by,
            c.closed_at.format("%H:%M")
        ),
        (None, Phase::BeforeOpen) => "NOT OPEN YET".into(),
        (None, Phase::Open) => "OPEN".into(),
        (None, Phase::LateWindow) => "LATE WINDOW: arrivals are L".into(),
        (None, Phase::Closed) => "CLOSED: arrivals are U".into(),
    };
    (format!("{text} \u{b7} {state}"), phase)
}

/// Live counts for the register header.
pub struct Counts {
    pub present: usize,
    pub late: usize,
    pub absent: usize,
    pub other: usize,
    pub unmarked: usize,
    pub session: Tally,
}

pub fn counts(view: &RegisterView) -> Counts {
    let mut c = Counts {
        present: 0,
        late: 0,
        absent: 0,
        other: 0,
        unmarked: 0,
        session: Tally::default(),
    };
    for row in &view.rows {
        let Some(mark) = &row.mark else {
            c.unmarked += 1;
            continue;
        };
        let class = mark.code.class_on(view.date);
        c.session.add_class(class);
        match (mark.code, class) {
            (Code::L, _) => c.late += 1,
            (_, StatClass::Present) => c.present += 1,
            (_, StatClass::Authorised | StatClass::Unauthorised) => c.absent += 1,
            _ => c.other += 1,
        }
    }
    c
}

pub fn draw(frame: &mut Frame, app: &App, r: &RegisterScreen, area: Rect, theme: Theme) {
    let Some(view) = &r.view else {
        frame.render_widget(
            Paragraph::new(format!("loading {} {}\u{2026}", r.group, r.session.label())),
            area,
        );
        return;
    };
    let width = usize::from(area.width);
    let (phase_text, phase) = phase_words(view, app.now);
    let c = counts(view);
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!(
                "{} \u{b7} {} \u{b7} {} \u{b7} {} pupils",
                view.group,
                view.session.label(),
                view.date.format("%a %d %b %Y"),
                view.rows.len()
            ),
            width,
        ),
        theme.title(),
    ))];
    // Wrapped, never cut: at 60 columns the figures take a second line.
    let wrapped = |text: &str, style: Style| -> Vec<Line<'static>> {
        wrap(text, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect()
    };
    lines.extend(wrapped(&phase_text, Style::new()));
    // The percentages keep their width as they change, so a mark redraws digits, not the line.
    lines.extend(wrapped(
        &format!(
            "session {:>5} \u{b7} term {:>5} \u{b7} present {}  late {}  absent {}  other {}  unmarked {}",
            pct(c.session.attendance_pct()),
            pct(view.term_tally.attendance_pct()),
            c.present,
            c.late,
            c.absent,
            c.other,
            c.unmarked
        ),
        theme.heading(),
    ));
    if let Some(why) = &view.not_in_session {
        lines.extend(wrapped(
            &format!("Not a school session: {why}"),
            theme.warn(),
        ));
    } else if let Err(why) = &view.can_mark
        && !app.me.role.is_office()
    {
        lines.extend(wrapped(&format!("read-only: {why}"), theme.warn()));
    } else if phase == Phase::BeforeOpen && view.closed.is_none() {
        lines.extend(wrapped(
            "Not begun: planned absences only (M, C, V...) from the code picker.",
            theme.dim(),
        ));
    }
    let name_width = width.saturating_sub(2 + 10 + 6 + 5 + 7 + 10).max(12);
    lines.push(Line::from(Span::styled(
        format!(
            "  {}{}{}{}{}{}",
            cell("Pupil", name_width),
            cell("Mark", 10),
            cell("Time", 6),
            cell("Late", 5),
            cell("Year%", 7),
            "Flag"
        ),
        theme.heading(),
    )));
    let visible = usize::from(area.height).saturating_sub(lines.len() + 1);
    let start = r.top.follow(r.cursor, visible, view.rows.len());
    // Two pupils of one name (twins, cousins) are told apart by date of birth.
    let mut names: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for row in &view.rows {
        *names.entry((&row.surname, &row.forename)).or_default() += 1;
    }
    for (i, row) in view.rows.iter().enumerate().skip(start).take(visible) {
        let selected = i == r.cursor;
        let twin = names[&(row.surname.as_str(), row.forename.as_str())] > 1;
        let line = row_line(app, view, row, selected, twin, name_width, theme);
        lines.push(line);
    }
    if view.rows.is_empty() {
        lines.push(Line::from("  Nobody is on this group's roll on this date."));
    }
    if !r.jump.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  jump: {}", r.jump.typed),
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One pupil's row: name, mark, arrival, minutes late, year's figure and a flag (out, or
/// persistent or severe absence).
fn row_line(
    app: &App,
    view: &RegisterView,
    row: &RegisterRow,
    selected: bool,
    twin: bool,
    name_width: usize,
    theme: Theme,
) -> Line<'static> {
    let mut name = format!("{}, {}", row.surname, row.forename);
    if twin && let Some(dob) = row.dob {
        name.push_str(&format!(" ({})", dob.format("%d/%m/%Y")));
    }
    let name = cell(&name, name_width);
    let (mark, arrived, late) = match &row.mark {
        Some(m) => {
            let mut code = m.code.to_string();
            // Entered by the office, not by whoever is looking: protected.
            if m.recorded_by_office && m.recorded_by != app.me.account {
                code.push_str(" office");
            }
            (
                code,
                m.arrived.map(hm).unwrap_or_default(),
                m.minutes_late.map(|l| format!("+{l}")).unwrap_or_default(),
            )
        }
        None => ("\u{b7}".to_string(), String::new(), String::new()),
    };
    // Signed out and not back: the teacher sees it before anything else on the row.
    let flag = match &row.out {
        Some(out) => format!(
            "OUT {}{}",
            hm(out.left),
            if out.back_today { " back today" } else { "" }
        ),
        None => row.ytd.absence_flag().unwrap_or_default().to_string(),
    };
    let mark_style = match row.mark.as_ref().map(|m| m.code.class_on(view.date)) {
        Some(StatClass::Unauthorised) => theme.warn(),
        Some(StatClass::Present | StatClass::Aea) => theme.good(),
        _ => Style::new(),
    };
    // The cursor is the marker and the name in reverse: the rest of the row is redrawn
    // only when it changes.
    let cursor_style = if selected {
        theme.selected()
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(if selected { "> " } else { "  " }, cursor_style),
        Span::styled(name, cursor_style),
        Span::styled(cell(&mark, 10), mark_style),
        Span::raw(cell(&arrived, 6)),
        Span::raw(cell(&late, 5)),
        Span::raw(cell(&pct(row.ytd.attendance_pct()), 7)),
        Span::styled(flag, theme.warn()),
    ])
}

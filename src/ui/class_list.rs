//! The class list: every group's AM and PM registers for a day.

use super::text::{cell, fit};
use super::theme::Theme;
use crate::app::App;
use crate::domain::register::RegisterStatus;
use crate::domain::session::{Session, hm};
use crate::domain::stats::{Tally, round1};
use crate::service::protocol::{ClassList, SessionSummary};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A register's cell: its state (MISSING when it should be complete and is not), how many
/// are marked, and the session's attendance once the register has been started.
fn status_cell(summary: &SessionSummary, width: usize) -> String {
    let marked = format!("{}/{}", summary.marked, summary.on_roll);
    let state = if summary.missing {
        "MISSING"
    } else {
        summary.status.label()
    };
    let pct = if summary.started {
        summary
            .tally
            .attendance_pct()
            .map(|p| format!("{:.0}%", round1(p)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    fit(&format!("{state:<11} {marked:>7} {pct:>4}"), width)
}

/// Narrower than this, the class list shows one session (tab switches).
const BOTH_SESSIONS_FROM: usize = 78;
const SESSION_WIDTH: usize = 25;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let home = &app.home;
    let Some(list) = &home.data else {
        frame.render_widget(Paragraph::new("loading the class list\u{2026}"), area);
        return;
    };
    let mut lines = vec![day_line(list, theme)];
    let width = usize::from(area.width);
    let sessions: Vec<Session> = if width >= BOTH_SESSIONS_FROM {
        Session::BOTH.to_vec()
    } else {
        vec![home.session]
    };
    let tutor_width = width
        .saturating_sub(2 + 10 + sessions.len() * SESSION_WIDTH)
        .max(8);
    let head = |s: Session| {
        let label = if home.session == s {
            format!("[{}]", s.label())
        } else {
            s.label().to_string()
        };
        fit(&label, SESSION_WIDTH)
    };
    let mut heading = format!("  {}{}", cell("Group", 10), cell("Tutor", tutor_width));
    for s in &sessions {
        heading.push_str(&head(*s));
    }
    lines.push(Line::from(Span::styled(heading, theme.heading())));
    // Room for the rows, less the whole-school line, the legend and the day's lessons.
    let footer = 1 + usize::from(app.me.role.is_office());
    let lesson_lines = if home.lessons.is_empty() {
        0
    } else {
        1 + home.lessons.len().min(LESSONS_SHOWN)
    };
    let visible = usize::from(area.height).saturating_sub(lines.len() + footer + lesson_lines);
    let group_cursor = home.cursor.min(list.groups.len().saturating_sub(1));
    let start = home.top.follow(group_cursor, visible, list.groups.len());
    for (i, group) in list.groups.iter().enumerate().skip(start).take(visible) {
        let selected = i == home.cursor && home.cursor < list.groups.len();
        let marker = if selected { "> " } else { "  " };
        let mine = if group.mine { "\u{2022}" } else { " " };
        let name = cell(&format!("{}{}", group.name, mine), 10);
        // Who takes the register today: the cover teacher, said as cover, or the tutors.
        let takes = match &group.cover {
            Some(cover) => format!("{cover} (cover)"),
            None => group.tutors.join(", "),
        };
        let mut spans = vec![
            Span::raw(marker),
            Span::raw(name),
            Span::raw(cell(&takes, tutor_width)),
        ];
        for s in &sessions {
            let summary = &group.sessions[s.index() as usize];
            if list.not_in_session[s.index() as usize].is_some() {
                spans.push(Span::styled(fit("no register", SESSION_WIDTH), theme.dim()));
                continue;
            }
            let style = if summary.missing {
                theme.warn()
            } else if summary.status == RegisterStatus::Complete
                || summary.status == RegisterStatus::Closed
            {
                theme.good()
            } else {
                Style::new()
            };
            spans.push(Span::styled(status_cell(summary, SESSION_WIDTH), style));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if list.groups.is_empty() {
        lines.push(Line::from(
            "  No registration groups: add [[groups]] to the school configuration.",
        ));
    }
    lesson_rows(&mut lines, app, list.groups.len(), width, theme);
    if app.me.role.is_office() {
        lines.push(Line::from(Span::styled(
            fit(&whole_school(list, home.session), width),
            theme.heading(),
        )));
    }
    let missing = list
        .groups
        .iter()
        .flat_map(|g| g.sessions.iter())
        .filter(|s| s.missing)
        .count();
    let legend = format!(
        "  \u{2022} your group{}{}",
        if missing > 0 {
            format!(" \u{b7} {missing} register(s) MISSING: not complete after the register began")
        } else {
            String::new()
        },
        if home.jump.is_empty() {
            String::new()
        } else {
            format!(" \u{b7} jump: {}", home.jump)
        }
    );
    lines.push(Line::from(Span::styled(fit(&legend, width), theme.dim())));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The day's lessons shown at once; more scroll with the cursor.
const LESSONS_SHOWN: usize = 6;

/// The day's lessons under the groups (secondary schools): the one under way first, each
/// with how many are marked and whether the register is taken, due, or MISSING.
fn lesson_rows(lines: &mut Vec<Line>, app: &App, groups: usize, width: usize, theme: Theme) {
    let home = &app.home;
    if home.lessons.is_empty() {
        return;
    }
    lines.push(Line::from(Span::styled(
        fit("  Lessons today (enter opens the register)", width),
        theme.heading(),
    )));
    let at = home.cursor.saturating_sub(groups);
    let first = at.saturating_sub(LESSONS_SHOWN - 1);
    let now = app.now;
    for (i, l) in home
        .lessons
        .iter()
        .enumerate()
        .skip(first)
        .take(LESSONS_SHOWN)
    {
        let selected = home.cursor >= groups && i == at;
        let state = if l.taken.is_some() {
            "taken"
        } else if l.date == now.date() && now.time() >= l.due && l.marked < l.pupils {
            "MISSING"
        } else if l.date == now.date() && now.time() >= l.start && now.time() < l.end {
            "now"
        } else {
            ""
        };
        let text = format!(
            "{}{} {}-{}  {}{}{}{}",
            if selected { "> " } else { "  " },
            cell(&l.period, 4),
            l.start.format("%H:%M"),
            l.end.format("%H:%M"),
            cell(&l.class, 10),
            cell(&l.subject, 10),
            cell(&format!("{} {}/{}", l.room, l.marked, l.pupils), 14),
            state
        );
        let style = match state {
            "MISSING" => theme.warn(),
            "taken" => theme.good(),
            _ => Style::new(),
        };
        let mut line = Line::from(Span::styled(fit(&text, width), style));
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
}

/// The whole school for the session in view: marked of on roll, attendance over the
/// registers that have been started (numerators and denominators summed), registers missing.
fn whole_school(list: &ClassList, session: Session) -> String {
    let index = session.index() as usize;
    if list.not_in_session[index].is_some() {
        return format!("  Whole school {}: no register", session.label());
    }
    let mut tally = Tally::default();
    let (mut marked, mut on_roll, mut missing) = (0, 0, 0);
    for group in &list.groups {
        let s = &group.sessions[index];
        marked += s.marked;
        on_roll += s.on_roll;
        missing += usize::from(s.missing);
        if s.started {
            tally.merge(&s.tally);
        }
    }
    let mut text = format!(
        "  Whole school {}: {marked}/{on_roll} marked",
        session.label()
    );
    if let Some(p) = tally.attendance_pct() {
        text.push_str(&format!(" \u{b7} {:.1}% attending", round1(p)));
    }
    if missing > 0 {
        text.push_str(&format!(" \u{b7} {missing} MISSING"));
    }
    text
}

fn day_line(list: &ClassList, theme: Theme) -> Line<'static> {
    let date = list.date.format("%A %d %B %Y").to_string();
    let text = match &list.not_in_session {
        [Some(why), Some(_)] => format!("{date}: no registers ({why})"),
        _ => {
            let [am, pm] = list.times;
            let mut t = format!(
                "{date} \u{b7} AM {}\u{2013}{} \u{b7} PM {}\u{2013}{}",
                hm(am.register_at),
                hm(am.closes_at),
                hm(pm.register_at),
                hm(pm.closes_at)
            );
            for (s, why) in Session::BOTH.iter().zip(&list.not_in_session) {
                if let Some(why) = why {
                    t.push_str(&format!(" \u{b7} no {} register ({why})", s.label()));
                }
            }
            t
        }
    };
    Line::from(Span::styled(text, theme.heading()))
}

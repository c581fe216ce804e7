//! Today: who is away or not yet marked this session, calls made, and the missing registers.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen, TodayRow, days};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Today(s) = &app.screen else {
        return;
    };
    let Some(view) = &s.view else {
        return;
    };
    let away = view.pupils.iter().filter(|p| p.code.is_some()).count();
    let unmarked = view.pupils.len() - away;
    let title = format!(
        "Today \u{b7} {} {} \u{b7} {away} away \u{b7} {unmarked} not marked \u{b7} {} to call \u{b7} {} registers missing",
        view.date.format("%a %d %b"),
        view.session.label(),
        s.to_call(),
        view.missing.len()
    );
    let mut rows = Vec::new();
    if let Some(why) = &view.not_in_session {
        rows.push(Row::text(format!("Not a school session: {why}.")));
    } else if view.pupils.is_empty() {
        rows.push(Row::text("Everyone is marked in school.".into()));
    }
    for (i, p) in view.pupils.iter().enumerate() {
        let code = p.code.map_or("--".to_string(), |c| c.to_string());
        let call = match p.contacted.last() {
            Some(c) => format!("called {} {}", c.at.format("%H:%M"), c.note),
            None if p.code.is_some() => "TO CALL".into(),
            None => "not marked".into(),
        };
        // A duty not yet done comes first: it is the day's most urgent call.
        let to_tell: Vec<&str> = p
            .duties
            .iter()
            .filter(|d| d.done.is_none())
            .map(|d| d.kind.label())
            .collect();
        let call = if to_tell.is_empty() {
            call
        } else {
            format!("{} \u{b7} {call}", to_tell.join(", ").to_uppercase())
        };
        rows.push(Row::item(
            i,
            format!(
                "{}{}{}{}{}",
                cell(&p.name, 22),
                cell(&p.group, 6),
                cell(&code, 5),
                cell(&days(p), 11),
                call
            ),
            p.code.is_some() && p.contacted.is_empty() || !to_tell.is_empty(),
        ));
    }
    if !view.missing.is_empty() {
        rows.push(Row::heading("Missing registers".into()));
        for (i, m) in view.missing.iter().enumerate() {
            rows.push(Row::item(
                view.pupils.len() + i,
                format!(
                    "{}{}MISSING {}/{} marked",
                    cell(&m.group, 8),
                    cell(&m.takers.join(", "), 29),
                    m.marked,
                    m.on_roll
                ),
                true,
            ));
        }
    }
    let detail = match s.row(s.cursor) {
        Some(TodayRow::Pupil(p)) => {
            let mut lines: Vec<String> = p
                .contacted
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ({}): {}",
                        c.at.format("%H:%M"),
                        c.name,
                        c.position,
                        c.note
                    )
                })
                .collect();
            if lines.is_empty() {
                lines.push(format!("{}: no call recorded today", p.name));
            }
            for d in &p.duties {
                lines.push(match &d.done {
                    Some(a) => format!(
                        "{}: done {} by {}: {}",
                        d.words,
                        a.at.format("%H:%M"),
                        a.name,
                        a.note
                    ),
                    None => format!("{}: not done yet (act on it in alerts)", d.words),
                });
            }
            lines
        }
        Some(TodayRow::Register(m)) => vec![format!(
            "{}: remind {} to take the register",
            m.group,
            m.takers.join(", ")
        )],
        None => Vec::new(),
    };
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title,
            columns: format!(
                "  {}{}{}{}{}",
                cell("Pupil", 22),
                cell("Group", 6),
                cell("Code", 5),
                cell("In a row", 11),
                "Follow-up"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

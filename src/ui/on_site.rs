//! On site now: the fire list by group, with counts; signed-out pupils named apart.

use super::list::{self, ListView, Row};
use super::text::cell;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::OnSite(s) = &app.screen else {
        return;
    };
    let Some(view) = &s.view else {
        return;
    };
    let total: usize = view.groups.iter().map(|g| g.pupils.len()).sum();
    let unmarked: usize = view.groups.iter().map(|g| g.unmarked.len()).sum();
    let title = format!(
        "On site \u{b7} {} {} at {} \u{b7} {total} pupils \u{b7} {unmarked} not marked",
        view.date.format("%a %d %b"),
        view.session.label(),
        view.now.format("%H:%M")
    );
    let mut rows = Vec::new();
    let mut index = 0;
    for g in &view.groups {
        let mut heading = format!("{} \u{b7} {} on site", g.group, g.pupils.len());
        if !g.signed_out.is_empty() {
            heading.push_str(&format!(" \u{b7} {} signed out", g.signed_out.len()));
        }
        if !g.unmarked.is_empty() {
            heading.push_str(&format!(" \u{b7} {} NOT MARKED", g.unmarked.len()));
        }
        rows.push(Row::heading(heading));
        for p in &g.pupils {
            let how = match (p.code, p.arrived) {
                (Some(code), Some(t)) => format!("{code} arrived {}", t.format("%H:%M")),
                (Some(code), None) => code.to_string(),
                (None, _) => String::new(),
            };
            rows.push(Row::item(
                index,
                format!("{}{how}", cell(&p.name, 26)),
                false,
            ));
            index += 1;
        }
        // Signed out: on the register, not in the building (enter signs them back in).
        for p in &g.signed_out {
            let (time, why) = p.left.clone().unwrap_or_default();
            rows.push(Row::item(
                index,
                format!("{}left {} ({why})", cell(&p.name, 26), time.format("%H:%M")),
                false,
            ));
            index += 1;
        }
        // Every pupil not known either way, by name: the ones to look for.
        for p in &g.unmarked {
            rows.push(Row::text(format!("  {}NOT MARKED", cell(&p.name, 26))));
        }
    }
    let detail = vec![
        "Not marked: not known either way; check the register.".to_string(),
        "Print it without the app: rollcall onsite".to_string(),
    ];
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title,
            columns: format!("  {}{}", cell("Pupil", 26), "Mark"),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

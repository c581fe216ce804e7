//! Reports: a row per school, year, group or pupil, each beside the period before; the
//! selected row's codes, lateness and absence by weekday under the list.

use super::list::{self, ListView, Row};
use super::text::{cell, pct};
use super::theme::Theme;
use crate::app::{App, PERIODS, Screen};
use crate::service::protocol::{AbsenceLevel, ReportBy};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::Reports(s) = &app.screen else {
        return;
    };
    let (from, to) = s.dates(app.now.date());
    let who = match (s.filter.compulsory_age, s.filter.only, s.filter.cohort) {
        (false, None, None) => "all pupils".to_string(),
        (age, level, cohort) => {
            let mut parts = Vec::new();
            if let Some(c) = cohort {
                parts.push(c.label());
            }
            if age {
                parts.push("compulsory age (DfE)");
            }
            match level {
                Some(AbsenceLevel::Pa) => parts.push("PA only"),
                Some(AbsenceLevel::Sa) => parts.push("SA only"),
                Some(AbsenceLevel::Full) => parts.push("full attendance"),
                Some(AbsenceLevel::Improved) => parts.push("improved"),
                None => {}
            }
            parts.join(", ")
        }
    };
    let by = match s.by {
        ReportBy::School => "school",
        ReportBy::Year => "year",
        ReportBy::Group => "group",
        ReportBy::Pupil => "pupil",
        ReportBy::Cohort => "cohort",
    };
    let title = format!(
        "Reports \u{b7} by {by} \u{b7} {} ({} to {}) \u{b7} {who} \u{b7} {}",
        PERIODS[s.period],
        from.format("%d %b"),
        to.format("%d %b"),
        s.sort.label()
    );
    let per_pupil = s.by == ReportBy::Pupil;
    let mut rows = Vec::new();
    for (i, r) in s.rows.iter().enumerate() {
        let name = if per_pupil { &r.label } else { &r.key };
        let (pa, sa) = if per_pupil {
            (
                if r.pa > 0 { "PA" } else { "" }.to_string(),
                if r.sa > 0 { "SA" } else { "" }.to_string(),
            )
        } else {
            (r.pa.to_string(), r.sa.to_string())
        };
        rows.push(Row::item(
            i,
            format!(
                "{}{}{}{}{}{}{}{}{}{}{}",
                cell(name, 18),
                cell(&r.tally.possible().to_string(), 6),
                cell(&pct(r.attendance_pct), 7),
                cell(&pct(r.tally.authorised_pct()), 7),
                cell(&pct(r.tally.unauthorised_pct()), 7),
                cell(&r.detail.late_count.to_string(), 5),
                cell(&r.detail.u_count.to_string(), 4),
                cell(&pa, 4),
                cell(&sa, 4),
                cell(r.band.as_deref().unwrap_or(""), 3),
                pct(r.previous.as_ref().and_then(|p| p.attendance_pct)),
            ),
            r.pa > 0 && per_pupil,
        ));
    }
    if s.loaded && s.rows.is_empty() {
        rows.push(Row::text(
            "No marks in this period for these pupils.".into(),
        ));
    }
    if !s.loaded {
        rows.push(Row::text("Counting\u{2026}".into()));
    }
    let detail = s
        .rows
        .get(s.cursor)
        .map(|r| {
            let codes: Vec<String> = r
                .detail
                .by_code()
                .into_iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            let days: Vec<String> = r
                .detail
                .weekdays()
                .into_iter()
                .map(|(d, f)| format!("{d} {}/{}", f.absent, f.possible))
                .collect();
            vec![
                format!(
                    "{}{} \u{b7} {:.1} days lost \u{b7} late {} (mean {} min) \u{b7} U {}",
                    if per_pupil { &r.label } else { &r.key },
                    if per_pupil {
                        String::new()
                    } else {
                        format!(": {} pupils", r.pupils)
                    },
                    r.tally.days_lost(),
                    r.detail.late_count,
                    r.detail
                        .minutes_late_mean()
                        .map_or("-".to_string(), |m| format!("{m:.1}")),
                    r.detail.u_count
                ),
                format!("absent by weekday: {}", days.join("  ")),
                format!("codes: {}", codes.join("  ")),
            ]
        })
        .unwrap_or_default();
    list::draw(
        frame,
        area,
        theme,
        ListView {
            title,
            columns: format!(
                "  {}{}{}{}{}{}{}{}{}{}{}",
                cell(if per_pupil { "Pupil" } else { by }, 18),
                cell("Poss", 6),
                cell("Att", 7),
                cell("Auth", 7),
                cell("Unauth", 7),
                cell("Late", 5),
                cell("U", 4),
                cell("PA", 4),
                cell("SA", 4),
                cell("Bd", 3),
                "Before"
            ),
            rows,
            cursor: s.cursor,
            top: &s.top,
            detail,
        },
    );
}

//! The office working the demo school's ladder of stages, one step at a time (SPEC §4.9), so
//! the demo shows a ladder in motion rather than every pupil due at once: for pupils whose
//! year is below the meeting's line, the first-day calls of earlier absences made and the home
//! contact made or skipped (saying why, where attendance over the year and not a run of days
//! is the concern); then a third of the meetings held, so a few contracts are due. A quarter
//! are left untouched, and today's absences keep their first-day call due: that is the
//! office's morning.

use super::names::OFFICE;
use super::sender::Demo;
use super::sender::DemoError;
use crate::domain::calendar::Calendar;
use crate::service::protocol::{ReportBy, Request, Response};
use chrono::NaiveDate;

/// The meeting's line in the demo's ladder (`school_file.rs`): below it, the earlier steps.
const MEETING_BELOW: f64 = 96.5;

pub(super) fn work_the_ladder(demo: &Demo, today: NaiveDate) -> Result<(), DemoError> {
    let ask = |request| {
        demo.engine
            .handle(OFFICE.0, request)
            .map_err(|e| DemoError(e.to_string()))
    };
    let away_today: Vec<String> = match ask(Request::Stages { on: None })? {
        Response::Stages { pupils } => pupils
            .into_iter()
            .filter(|p| p.days_in_a_row > 0)
            .map(|p| p.upn)
            .collect(),
        _ => Vec::new(),
    };
    let rows = match ask(Request::Report {
        from: Calendar::academic_year_start(today),
        to: today,
        by: ReportBy::Pupil,
        filter: Default::default(),
    })? {
        Response::Report { rows } => rows,
        _ => Vec::new(),
    };
    let behind = rows.iter().filter(|r| {
        r.attendance_pct.is_some_and(|p| p < MEETING_BELOW) && !away_today.contains(&r.key)
    });
    for (i, row) in behind.enumerate() {
        if i % 4 == 3 {
            continue;
        }
        let done = |stage: &str, note: &str, skipped: bool| {
            demo.call(
                OFFICE.0,
                Request::StageDone {
                    upn: row.key.clone(),
                    stage: stage.into(),
                    note: note.into(),
                    skipped,
                },
            )
        };
        done("First-day call", "Rang home: parent aware", false)?;
        if i % 2 == 0 {
            done("Home contact", "Home visit: parent spoken to", false)?;
        } else {
            done(
                "Home contact",
                "no run of days: attendance over the year is the concern",
                true,
            )?;
        }
    }
    // A third of the meetings now due held: their contracts come next where attendance is
    // below the contract's line.
    if let Response::Stages { pupils } = ask(Request::Stages { on: None })? {
        for (i, pupil) in pupils.iter().filter(|p| p.number == 3).enumerate() {
            if i % 3 == 0 {
                demo.call(
                    OFFICE.0,
                    Request::StageDone {
                        upn: pupil.upn.clone(),
                        stage: pupil.stage.name.clone(),
                        note: "Meeting held with parents".into(),
                        skipped: false,
                    },
                )?;
            }
        }
    }
    Ok(())
}

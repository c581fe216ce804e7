//! A pupil's year as the paper register shows it: a row per school week, AM and PM cells
//! with their codes, closures visible, and the year's figures beside it. Opened from any list
//! that shows a pupil, and from the pupil search on every screen; back returns there.

use super::{Action, App, Effect, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug)]
pub struct PupilScreen {
    pub upn: String,
    pub view: Option<PupilYear>,
    /// The first week shown.
    pub scroll: usize,
    /// Where back returns to.
    pub back: Box<Screen>,
}

fn load(upn: &str) -> Effect {
    Effect::new(
        Request::PupilYear {
            upn: upn.to_string(),
            date: None,
        },
        Reply::PupilYear,
    )
}

impl PupilScreen {
    pub(super) fn reload(&self) -> Effect {
        load(&self.upn)
    }
}

pub(super) fn open(app: &mut App, upn: String) -> Vec<Effect> {
    let back = std::mem::replace(&mut app.screen, Screen::ClassList);
    // From one pupil to another, back still goes to the list the first came from.
    let back = match back {
        Screen::Pupil(p) => p.back,
        other => Box::new(other),
    };
    let effect = load(&upn);
    app.screen = Screen::Pupil(PupilScreen {
        upn,
        view: None,
        scroll: 0,
        back,
    });
    app.message = None;
    vec![effect]
}

pub(super) fn loaded(app: &mut App, result: Outcome<PupilYear>) -> Vec<Effect> {
    match result {
        Ok(view) => {
            let today = app.now.date();
            if let Screen::Pupil(s) = &mut app.screen {
                // Open on this week, with the weeks before it above.
                let this_week = view
                    .weeks
                    .iter()
                    .rposition(|w| w.monday <= today)
                    .unwrap_or(0);
                if s.view.is_none() {
                    s.scroll = this_week.saturating_sub(8);
                }
                s.view = Some(view);
            }
        }
        Err(e) => {
            app.error(&e);
        }
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Pupil(s) = &mut app.screen else {
        return Next::none();
    };
    let weeks = s.view.as_ref().map_or(0, |v| v.weeks.len());
    match action {
        Action::Key(KeyAction::Back) => {
            let back = std::mem::replace(&mut s.back, Box::new(Screen::ClassList));
            app.screen = *back;
            Next::effects(app.reload_current())
        }
        Action::Key(k) if super::nav::is_navigation(k) => {
            s.scroll = super::nav::next_index(s.scroll, weeks, k, page);
            Next::none()
        }
        Action::Key(KeyAction::PlanAbsence) => {
            let name = s.view.as_ref().map_or(s.upn.clone(), |v| v.name.clone());
            let upn = s.upn.clone();
            plan_dialog(app, Some(upn), None, name)
        }
        _ => Next::none(),
    }
}

/// Asks for a planned absence for a pupil or a group: the words `rollcall plan` takes.
pub(super) fn plan_dialog(
    app: &mut App,
    upn: Option<String>,
    group: Option<String>,
    whose: String,
) -> Next {
    if !app.is_office() {
        app.error_text("planned absences are entered by office staff");
        return Next::none();
    }
    Next::dialog(super::Modal::Input(super::InputState::new(
        super::InputPurpose::Plan { upn, group },
        format!("Plan an absence: {whose}"),
        "plan: ",
        vec![
            "CODE FROM [TO] [every DAY[:am|pm] ...] [note TEXT]".into(),
            "e.g. M 2026-11-24 2026-12-15 every tue:am note orthodontist".into(),
            "Sessions already marked or closed are left as they are, and listed.".into(),
        ],
    )))
}

/// The request a typed plan makes.
pub(super) fn plan(
    upn: Option<String>,
    group: Option<String>,
    line: crate::domain::desk::PlanLine,
) -> Effect {
    Effect::new(
        Request::PlanAbsence(PlanRequest {
            upn: upn.unwrap_or_default(),
            group,
            every: line.every,
            from: line.from.0,
            from_session: line.from.1,
            to: line.to.0,
            to_session: line.to.1,
            code: line.code,
            note: line.note,
        }),
        Reply::Planned,
    )
}

/// A plan saved: how many sessions, and what was left alone.
pub(super) fn planned(app: &mut App, result: Outcome<PlanSummary>) -> Vec<Effect> {
    match result {
        Ok(summary) => {
            let mut text = format!("planned {} sessions", summary.marked.len());
            if summary.pupils > 1 {
                text.push_str(&format!(" for {} pupils", summary.pupils));
            }
            if !summary.skipped.is_empty() {
                let first: Vec<String> = summary
                    .skipped
                    .iter()
                    .take(3)
                    .map(|(d, s, why)| format!("{} {} {why}", d.format("%d %b"), s.label()))
                    .collect();
                text.push_str(&format!(
                    "; {} left as they were: {}{}",
                    summary.skipped.len(),
                    first.join("; "),
                    if summary.skipped.len() > 3 {
                        " \u{2026}"
                    } else {
                        ""
                    }
                ));
            }
            app.info(text);
        }
        Err(e) => app.error(&e),
    }
    app.reload_current()
}

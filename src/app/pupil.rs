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
        _ => Next::none(),
    }
}

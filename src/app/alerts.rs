//! Alerts: every threshold reached today (SPEC 4) with the sessions that reached it, and
//! what was done about it. The office records an action with a note; it stays acted on
//! until the threshold is reached again.

use super::modal::{InputPurpose, InputState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct AlertsScreen {
    pub alerts: Vec<Alert>,
    pub cursor: usize,
    pub loaded: bool,
    /// Where the list was scrolled to when last drawn.
    pub top: super::ListTop,
}

impl AlertsScreen {
    pub fn selected(&self) -> Option<&Alert> {
        self.alerts.get(self.cursor)
    }
}

pub(super) fn load() -> Effect {
    Effect::new(Request::Alerts { on: None }, Reply::Alerts)
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("alerts are for office staff");
        return Vec::new();
    }
    app.screen = Screen::Alerts(AlertsScreen::default());
    app.message = None;
    vec![load()]
}

pub(super) fn loaded(app: &mut App, result: Outcome<Vec<Alert>>) -> Vec<Effect> {
    match result {
        Ok(mut alerts) => {
            // Still to act on first, then by threshold and name.
            alerts.sort_by(|a, b| {
                (a.acted.is_some(), a.kind, &a.name).cmp(&(b.acted.is_some(), b.kind, &b.name))
            });
            if let Screen::Alerts(s) = &mut app.screen {
                s.cursor = s.cursor.min(alerts.len().saturating_sub(1));
                s.alerts = alerts;
                s.loaded = true;
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::Alerts(s) = &mut app.screen else {
        return Next::none();
    };
    match action {
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.alerts.len(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::PupilYear) => match s.selected() {
            Some(alert) => {
                let upn = alert.upn.clone();
                Next::effects(super::pupil::open(app, upn))
            }
            None => Next::none(),
        },
        Action::Key(KeyAction::ActOnAlert) => {
            let Some(alert) = s.selected().cloned() else {
                return Next::none();
            };
            let mut context = vec![alert.summary.clone()];
            if let Some(done) = &alert.acted {
                context.push(format!(
                    "Already acted on {} by {}: {}",
                    done.at.format("%a %d %b %H:%M"),
                    done.name,
                    done.note
                ));
            }
            context.push("Say what was done: a call, a letter, a meeting.".into());
            let session = alert
                .kind
                .per_session()
                .then(|| alert.evidence.first().map(|m| (m.date, m.session)))
                .flatten();
            Next::dialog(Modal::Input(InputState::new(
                InputPurpose::AlertNote {
                    upn: alert.upn.clone(),
                    kind: alert.kind,
                    session,
                },
                format!("{}: {}", alert.name, alert.kind.label()),
                "note: ",
                context,
            )))
        }
        _ => Next::none(),
    }
}

/// The request an alert's note makes once typed.
pub(super) fn act(
    upn: String,
    kind: crate::domain::thresholds::ThresholdKind,
    session: Option<(chrono::NaiveDate, crate::domain::session::Session)>,
    note: String,
) -> Effect {
    Effect::new(
        Request::ActOnAlert {
            upn,
            kind,
            session,
            note,
        },
        Reply::Done,
    )
}

//! Alerts: every threshold reached today (SPEC §4) with the sessions that reached it, and
//! what was done about it. The office records an action with a note; it stays acted on
//! until the threshold is reached again.

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::session::Session;
use crate::domain::thresholds::ThresholdKind;
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct AlertsScreen {
    pub alerts: Vec<Alert>,
    pub cursor: usize,
    pub loaded: bool,
    /// Where the list was scrolled to when last drawn.
    pub top: ListTop,
}

impl AlertsScreen {
    pub fn selected(&self) -> Option<&Alert> {
        self.alerts.get(self.cursor)
    }
}

/// What the alerts' dialog asks: what was done about a pupil's alert.
#[derive(Clone, Debug)]
pub struct Ask {
    upn: String,
    kind: ThresholdKind,
    session: Option<(NaiveDate, Session)>,
}

pub fn load() -> Effect {
    Effect::new(Request::Alerts { on: None }, Reply::Alerts)
}

pub fn open(shared: &mut Shared) -> Option<(AlertsScreen, Effect)> {
    if !shared.is_office() {
        shared.error_text("alerts are for office staff");
        return None;
    }
    Some((AlertsScreen::default(), load()))
}

pub fn loaded(s: &mut AlertsScreen, mut alerts: Vec<Alert>) {
    // Still to act on first, then by threshold and name.
    alerts.sort_by(|a, b| {
        (a.acted.is_some(), a.kind, &a.name).cmp(&(b.acted.is_some(), b.kind, &b.name))
    });
    s.cursor = s.cursor.min(alerts.len().saturating_sub(1));
    s.alerts = alerts;
    s.loaded = true;
}

pub fn on_input(s: &mut AlertsScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.alerts.len(), k, shared.page());
            Next::none()
        }
        Action::Key(KeyAction::PupilYear) => match s.selected() {
            Some(alert) => Next::go(Go::PupilYear {
                upn: alert.upn.clone(),
            }),
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
                Ask {
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

/// The note typed: the action is recorded against the alert.
pub fn answered(ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(note) = answer else {
        return Ok(Next::none());
    };
    if note.is_empty() {
        return Err("say what was done (a call, a letter, a meeting)".into());
    }
    Ok(Next::effect(Effect::new(
        Request::ActOnAlert {
            upn: ask.upn,
            kind: ask.kind,
            session: ask.session,
            note,
        },
        Reply::Done,
    )))
}

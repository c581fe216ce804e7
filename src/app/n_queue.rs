//! The `N` queue: every mark still waiting for a reason, oldest first, with the school days
//! left before its 5-day deadline (SPEC §4). The office resolves one with a code, or turns
//! every overdue `N` into `O` in one confirmed stroke.

use super::modal::{ConfirmPurpose, ConfirmState, PickTarget, PickerState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::codes::Code;
use crate::keymap::KeyAction;
use crate::service::protocol::*;

/// The reason recorded in each amendment made by [`overdue_to_o`].
pub use crate::domain::thresholds::OVERDUE_REASON;

#[derive(Clone, Debug, Default)]
pub struct NQueueScreen {
    pub items: Vec<NItem>,
    pub cursor: usize,
    pub loaded: bool,
    /// Where the list was scrolled to when last drawn.
    pub top: super::ListTop,
}

pub(super) fn load() -> Effect {
    Effect::new(Request::NQueue { on: None }, Reply::NQueue)
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("the N queue is for office staff");
        return Vec::new();
    }
    app.screen = Screen::NQueue(NQueueScreen::default());
    app.message = None;
    vec![load()]
}

pub(super) fn loaded(app: &mut App, result: Outcome<Vec<NItem>>) -> Vec<Effect> {
    match result {
        Ok(items) => {
            if let Screen::NQueue(q) = &mut app.screen {
                q.cursor = q.cursor.min(items.len().saturating_sub(1));
                q.items = items;
                q.loaded = true;
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let Screen::NQueue(q) = &mut app.screen else {
        return Next::none();
    };
    match action {
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(k) if is_navigation(k) => {
            q.cursor = next_index(q.cursor, q.items.len(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::Resolve) => {
            let Some(item) = q.items.get(q.cursor).cloned() else {
                return Next::none();
            };
            let session = item.session;
            Next::dialog(Modal::Picker(PickerState::new(
                PickTarget::NQueue { item },
                None,
                session,
            )))
        }
        Action::Key(KeyAction::OverdueToO) => overdue_to_o(app),
        Action::Key(KeyAction::PupilYear) => match q.items.get(q.cursor) {
            Some(item) => {
                let upn = item.upn.clone();
                Next::effects(super::pupil::open(app, upn))
            }
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// SPEC §4: an `N` with no reason established within 5 school days becomes `O`. A person
/// confirms it (the history needs a name), for every overdue `N` at once.
fn overdue_to_o(app: &mut App) -> Next {
    let Screen::NQueue(q) = &app.screen else {
        return Next::none();
    };
    let overdue: Vec<&NItem> = q.items.iter().filter(|i| i.days_left < 0).collect();
    if overdue.is_empty() {
        app.info("no N is past its 5-school-day deadline");
        return Next::none();
    }
    let lines = overdue
        .iter()
        .map(|i| {
            format!(
                "{} ({}) {} {}: deadline was {}",
                i.name,
                i.group,
                i.date.format("%a %d %b"),
                i.session.label(),
                i.deadline.format("%a %d %b")
            )
        })
        .collect();
    let requests = overdue
        .iter()
        .map(|i| MarkRequest {
            group: i.group.clone(),
            date: i.date,
            session: i.session,
            upn: i.upn.clone(),
            code: Code::O.to_string(),
            reason: Some(OVERDUE_REASON.into()),
            expect: Expect::Code(Code::N),
            ..MarkRequest::default()
        })
        .collect();
    let title = format!(
        "{} N past the deadline become O (no reason established)",
        overdue.len()
    );
    Next::dialog(Modal::Confirm(ConfirmState {
        purpose: ConfirmPurpose::OverdueToO(requests),
        title,
        lines,
        scroll: 0,
    }))
}

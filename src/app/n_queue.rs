//! The `N` queue: every mark still waiting for a reason, oldest first, with the school days
//! left before its 5-day deadline (SPEC §4). The office resolves one with a code, or turns
//! every overdue `N` into `O` in one confirmed stroke.

use super::action::{Action, Effect, Go, Reply};
use super::amendment::reason_dialog;
use super::modal::{Answer, ConfirmState, InputState, Modal, PickerState};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
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
    pub top: ListTop,
    /// A name typed to find a pupil's `N`.
    pub jump: NameJump,
}

/// What the N queue's dialogs ask.
#[derive(Clone, Debug)]
pub enum Ask {
    /// The code that resolves this `N`.
    Resolve { item: NItem },
    /// The note a chosen code needs; then the reason.
    Note { request: MarkRequest, name: String },
    /// The reason for the amendment `N` -> code.
    Reason { request: MarkRequest },
    /// Every overdue `N` becomes `O`.
    OverdueToO(Vec<MarkRequest>),
}

pub fn load() -> Effect {
    Effect::new(Request::NQueue { on: None }, Reply::NQueue)
}

pub fn open(shared: &mut Shared) -> Option<(NQueueScreen, Effect)> {
    if !shared.is_office() {
        shared.error_text("the N queue is for office staff");
        return None;
    }
    Some((NQueueScreen::default(), load()))
}

pub fn loaded(q: &mut NQueueScreen, items: Vec<NItem>) {
    q.cursor = q.cursor.min(items.len().saturating_sub(1));
    q.items = items;
    q.loaded = true;
}

pub fn on_input(q: &mut NQueueScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    if let Some(said) = q.jump.typed(
        &action,
        &mut q.cursor,
        q.items.iter().map(|i| i.name.as_str()),
    ) {
        shared.message = said.map(super::action::Message::error);
        return Next::none();
    }
    if let Action::Key(key) = action {
        let acts = matches!(key, KeyAction::Resolve | KeyAction::PupilYear);
        match q.jump.before_key(key, acts) {
            Err(why) => {
                shared.error_text(why);
                return Next::none();
            }
            Ok(true) => return Next::none(),
            Ok(false) => {}
        }
    }
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            q.cursor = next_index(q.cursor, q.items.len(), k, shared.page());
            Next::none()
        }
        Action::Key(KeyAction::Resolve) => {
            let Some(item) = q.items.get(q.cursor).cloned() else {
                return Next::none();
            };
            let (who, session) = (item.name.clone(), item.session);
            Next::dialog(Modal::Picker(PickerState::new(
                Ask::Resolve { item },
                who,
                None,
                session,
            )))
        }
        Action::Key(KeyAction::OverdueToO) => overdue_to_o(q, shared),
        Action::Key(KeyAction::PupilYear) => match q.items.get(q.cursor) {
            Some(item) => Next::go(Go::PupilYear {
                upn: item.upn.clone(),
            }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

pub fn answered(ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    match (ask, answer) {
        (Ask::Resolve { item }, Answer::Code(code)) => Ok(resolve(item, code)),
        (Ask::Note { mut request, name }, Answer::Text(text)) => {
            if text.is_empty() {
                return Err("a note is required for this code".into());
            }
            request.note = Some(text);
            // Resolving an N is always a change to a closed register: a reason too.
            Ok(reason_dialog(
                Ask::Reason {
                    request: request.clone(),
                },
                &request,
                &name,
                None,
                None,
            ))
        }
        (Ask::Reason { mut request }, Answer::Text(text)) => {
            if text.is_empty() {
                return Err("an amendment needs a reason".into());
            }
            request.reason = Some(text);
            Ok(Next::effects(vec![Effect::mark(request, false), load()]))
        }
        (Ask::OverdueToO(requests), Answer::Yes) => Ok(Next::effect(Effect::new(
            Request::MarkMany { marks: requests },
            Reply::MarkedMany {
                what: "overdue N became O".into(),
            },
        ))),
        _ => Ok(Next::none()),
    }
}

/// A code chosen for an `N`: its note if it needs one, then the amendment's reason.
fn resolve(item: NItem, code: Code) -> Next<Ask> {
    let request = MarkRequest {
        register: RegisterId {
            group: item.group.clone(),
            date: item.date,
            session: item.session,
        },
        upn: item.upn.clone(),
        code: code.to_string(),
        expect: Expect::Code(Code::N),
        ..MarkRequest::default()
    };
    let title = format!(
        "Resolve N: {} {} {}",
        item.name,
        item.date.format("%a %d %b"),
        item.session.label()
    );
    if code.info().needs_note {
        return Next::dialog(Modal::Input(InputState::new(
            Ask::Note {
                request,
                name: item.name.clone(),
            },
            title,
            "note: ",
            vec![format!(
                "{code} needs a note of the activity or circumstance."
            )],
        )));
    }
    let history = Effect::history(&request);
    let input = InputState::new(
        Ask::Reason { request },
        title,
        "reason: ",
        vec![format!(
            "N -> {code}: recorded as an amendment with this reason."
        )],
    )
    .suggest("Reason given by parent or carer");
    Next {
        effects: vec![history],
        dialog: Some(Modal::Input(input)),
        ..Next::default()
    }
}

/// SPEC §4: an `N` with no reason established within 5 school days becomes `O`. A person
/// confirms it (the history needs a name), for every overdue `N` at once.
fn overdue_to_o(q: &NQueueScreen, shared: &mut Shared) -> Next<Ask> {
    let overdue: Vec<&NItem> = q.items.iter().filter(|i| i.days_left < 0).collect();
    if overdue.is_empty() {
        shared.info("no N is past its 5-school-day deadline");
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
            register: RegisterId {
                group: i.group.clone(),
                date: i.date,
                session: i.session,
            },
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
    Next::dialog(Modal::Confirm(ConfirmState::new(
        Ask::OverdueToO(requests),
        title,
        lines,
    )))
}

//! Late sign-in at the office: find any pupil by name or UPN, take the arrival time, and the
//! clock decides between `L` and `U`.

use super::action::{Action, Effect, Go, Outcome, Reply};
use super::find::{Finder, who};
use super::modal::{Answer, ConfirmState, InputState, Modal};
use super::next::Next;
use super::shared::Shared;
use crate::domain::codes::Code;
use crate::domain::session::{hm, parse_typed_time};
use crate::keymap::KeyAction;
use crate::service::ServiceError;
use crate::service::protocol::*;
use chrono::NaiveTime;

#[derive(Clone, Debug, Default)]
pub struct SignInScreen {
    pub finder: Finder,
    /// Sign-ins made here, latest last: undo takes back the last.
    pub undo: Vec<MarkRequest>,
}

/// What late sign-in's dialogs ask.
#[derive(Clone, Debug)]
pub enum Ask {
    /// This pupil already has a mark for the session: sign them in over it?
    Over(Box<PupilHit>),
    /// When this pupil arrived.
    Arrived(Box<PupilHit>),
}

pub fn open(shared: &mut Shared) -> Option<(SignInScreen, Effect)> {
    if !shared.is_office() {
        shared.error_text("late sign-in is for office staff: pupils arriving after the close sign in at the office");
        return None;
    }
    let screen = SignInScreen::default();
    let effect = screen.finder.search(shared.now.date());
    Some((screen, effect))
}

pub fn on_input(s: &mut SignInScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let today = shared.now.date();
    if let Some(effects) = s.finder.on_input(&action, today, shared.page()) {
        return Next::effects(effects);
    }
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(KeyAction::Choose) => match s.finder.selected().cloned() {
            Some(hit) => choose(shared, hit),
            None => Next::none(),
        },
        Action::Key(KeyAction::Undo) => {
            let Some(last) = s.undo.pop() else {
                shared.error_text("no sign-in to undo");
                return Next::none();
            };
            Next::effects(vec![
                Effect::new(
                    Request::Undo {
                        register: RegisterId {
                            group: last.register.group.clone(),
                            date: last.register.date,
                            session: last.register.session,
                        },
                        upn: last.upn.clone(),
                        expect: Expect::Anything,
                    },
                    Reply::Reverted { upn: last.upn },
                ),
                s.finder.search(today),
            ])
        }
        _ => Next::none(),
    }
}

pub fn answered(
    s: &SignInScreen,
    shared: &mut Shared,
    ask: Ask,
    answer: Answer,
) -> Result<Next<Ask>, String> {
    match (ask, answer) {
        (Ask::Over(hit), Answer::Yes) => Ok(arrival_dialog(shared, *hit)),
        (Ask::Arrived(hit), Answer::Text(text)) => {
            let Some(time) = parse_typed_time(&text) else {
                return Err(format!(
                    "`{text}` is not a time: type it as 9:10, 09:10, 9.10 or 0910"
                ));
            };
            Ok(Next::effects(sign_in(s, shared, &hit, time)))
        }
        _ => Ok(Next::none()),
    }
}

/// A pupil chosen: one who already has a mark for the session is shown it, and changing it
/// is deliberate (y); otherwise straight to the arrival time.
fn choose(shared: &mut Shared, hit: PupilHit) -> Next<Ask> {
    if hit.group.is_none() {
        shared.error_text(format!(
            "{}, {} is not on roll today",
            hit.surname, hit.forename
        ));
        return Next::none();
    }
    let session = session_of(shared, &hit);
    if let Some(mark) = &hit.marks[session.index() as usize] {
        let title = format!("{}, {} already has a mark", hit.surname, hit.forename);
        let lines = vec![
            who(&hit),
            format!(
                "{} {}: {}, recorded by {} at {}.",
                shared.now.date().format("%a %d %b"),
                session.label(),
                mark.entry().describe(),
                mark.recorded_by,
                mark.recorded_at.format("%H:%M")
            ),
            "Sign them in late instead, replacing it?".into(),
        ];
        return Next::dialog(Modal::Confirm(
            ConfirmState::new(Ask::Over(Box::new(hit)), title, lines)
                .deliberate("replace", "keep it"),
        ));
    }
    arrival_dialog(shared, hit)
}

/// The session under way for a pupil: their own afternoon may begin before the school's
/// (SPEC §1.7).
fn session_of(shared: &Shared, hit: &PupilHit) -> crate::domain::session::Session {
    hit.times.map_or(shared.current_session(), |t| {
        t.session_at(shared.now.time())
    })
}

/// Asks when the chosen pupil arrived, showing their mark now and the register's times.
fn arrival_dialog(shared: &Shared, hit: PupilHit) -> Next<Ask> {
    let session = session_of(shared, &hit);
    let current = hit.marks[session.index() as usize]
        .as_ref()
        .map_or("no mark".to_string(), |m| m.entry().describe());
    let mut context = vec![
        who(&hit),
        format!(
            "{} {} \u{b7} now: {}",
            shared.now.date().format("%a %d %b"),
            session.label(),
            current
        ),
    ];
    // The pupil's own times where they differ from the school's (a nursery's).
    let times = hit
        .times
        .map(|plan| *plan.times(session))
        .or(shared.times(session));
    if let Some(t) = times {
        context.push(format!(
            "Register {}, closes {}: arrivals to {} are L, later U.",
            hm(t.register_at),
            hm(t.closes_at),
            hm(t.closes_at)
        ));
    }
    let input = InputState::new(
        Ask::Arrived(Box::new(hit)),
        "Late sign-in",
        "arrived (HH:MM): ",
        context,
    )
    .suggest(hm(shared.now.time()));
    Next::dialog(Modal::Input(input))
}

/// The sign-in itself, once the arrival time is typed: `L`, and the engine derives `U` after
/// the close.
fn sign_in(s: &SignInScreen, shared: &Shared, hit: &PupilHit, time: NaiveTime) -> Vec<Effect> {
    let session = session_of(shared, hit);
    let request = MarkRequest {
        register: RegisterId {
            group: hit.group.clone().unwrap_or_default(),
            date: shared.now.date(),
            session,
        },
        upn: hit.upn.clone(),
        code: Code::L.to_string(),
        arrived: Some(time),
        reason: Some(format!(
            "signed in late at the office, arrived {}",
            hm(time)
        )),
        expect: Expect::shown(hit.marks[session.index() as usize].as_ref()),
        ..MarkRequest::default()
    };
    vec![
        Effect::new(
            Request::Mark(request.clone()),
            Reply::SignedIn {
                name: format!("{}, {}", hit.surname, hit.forename),
                request: Box::new(request),
            },
        ),
        s.finder.search(shared.now.date()),
    ]
}

/// A sign-in saved: said with the pupil's name, and kept for undo.
pub fn signed_in(
    s: Option<&mut SignInScreen>,
    shared: &mut Shared,
    name: String,
    request: MarkRequest,
    result: Outcome<MarkOutcome>,
) {
    match result {
        Ok(outcome) => {
            let mut text = format!(
                "{name}: signed in, {} {}",
                outcome.mark.code,
                outcome.mark.arrived.map(hm).unwrap_or_default()
            );
            if let Some(why) = &outcome.explanation {
                text.push_str(&format!(" \u{2014} {why}"));
            }
            shared.info(text);
            if let Some(s) = s {
                s.undo.push(request);
            }
        }
        Err(e @ ServiceError::Unknown(_)) => {
            shared.error(&e);
            shared.unconfirmed.push(request);
        }
        Err(e) => shared.error(&e),
    }
}

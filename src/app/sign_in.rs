//! Late sign-in at the office: find any pupil by name or UPN, take the arrival time, and the
//! clock decides between `L` and `U`.

use super::modal::{ConfirmPurpose, ConfirmState, InputPurpose, InputState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::domain::codes::Code;
use crate::domain::session::hm;
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::{NaiveDate, NaiveTime};

#[derive(Clone, Debug, Default)]
pub struct SignInScreen {
    pub query: String,
    pub results: Vec<PupilHit>,
    pub cursor: usize,
    /// Sign-ins made here, latest last: undo takes back the last.
    pub undo: Vec<MarkRequest>,
    /// Where the list was scrolled to when last drawn.
    pub top: super::ListTop,
    /// The pupil search (any screen, anyone): choosing opens the pupil's year instead of
    /// signing them in.
    pub find: bool,
}

impl SignInScreen {
    pub(super) fn reload(&self, today: NaiveDate) -> Effect {
        find(&self.query, today)
    }
}

fn find(query: &str, today: NaiveDate) -> Effect {
    Effect::new(
        Request::FindPupils {
            query: query.to_string(),
            date: Some(today),
        },
        Reply::Pupils,
    )
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("late sign-in is for office staff: pupils arriving after the close sign in at the office");
        return Vec::new();
    }
    app.screen = Screen::SignIn(SignInScreen::default());
    app.message = None;
    app.reload_current()
}

/// The pupil search, from any screen: type a name or UPN, choose, and the pupil's year opens.
pub(super) fn open_find(app: &mut App) -> Vec<Effect> {
    app.screen = Screen::SignIn(SignInScreen {
        find: true,
        ..SignInScreen::default()
    });
    app.message = None;
    app.reload_current()
}

pub(super) fn found(app: &mut App, result: Outcome<Vec<PupilHit>>) -> Vec<Effect> {
    match result {
        Ok(pupils) => {
            if let Screen::SignIn(s) = &mut app.screen {
                s.cursor = s.cursor.min(pupils.len().saturating_sub(1));
                s.results = pupils;
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let Screen::SignIn(s) = &mut app.screen else {
        return Next::none();
    };
    let date = app.now.date();
    match action {
        Action::Char(c) => {
            s.query.push(c);
            s.cursor = 0;
            Next::effects(vec![find(&s.query, date)])
        }
        Action::Erase => {
            s.query.pop();
            Next::effects(vec![find(&s.query, date)])
        }
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(KeyAction::Choose) => {
            let Some(hit) = s.results.get(s.cursor).cloned() else {
                return Next::none();
            };
            if s.find {
                return Next::effects(super::pupil::open(app, hit.upn));
            }
            choose(app, hit)
        }
        Action::Key(KeyAction::Undo) if !s.find => {
            let Some(last) = s.undo.pop() else {
                app.error_text("no sign-in to undo");
                return Next::none();
            };
            Next::effects(vec![
                Effect::new(
                    Request::Undo {
                        group: last.group.clone(),
                        date: last.date,
                        session: last.session,
                        upn: last.upn.clone(),
                        expect: Expect::Anything,
                    },
                    Reply::Reverted { upn: last.upn },
                ),
                find(&s.query, date),
            ])
        }
        Action::Key(k) if is_navigation(k) => {
            let page = app.page();
            let Screen::SignIn(s) = &mut app.screen else {
                return Next::none();
            };
            s.cursor = next_index(s.cursor, s.results.len(), k, page);
            Next::none()
        }
        _ => Next::none(),
    }
}

/// "Campbell, Sofia (year 3, Oak, born 14 Mar 2018)": enough to tell two pupils of one name
/// apart.
pub(super) fn who(hit: &PupilHit) -> String {
    format!(
        "{}, {} (year {}, {}, born {})",
        hit.surname,
        hit.forename,
        hit.year,
        hit.group.as_deref().unwrap_or("not on roll"),
        hit.dob.format("%-d %b %Y")
    )
}

/// A pupil chosen: one who already has a mark for the session is shown it, and changing it
/// is deliberate (y); otherwise straight to the arrival time.
fn choose(app: &mut App, hit: PupilHit) -> Next {
    if hit.group.is_none() {
        app.error_text(format!(
            "{}, {} is not on roll today",
            hit.surname, hit.forename
        ));
        return Next::none();
    }
    let session = app.current_session();
    if let Some(mark) = &hit.marks[session.index() as usize] {
        return Next::dialog(Modal::Confirm(ConfirmState {
            title: format!("{}, {} already has a mark", hit.surname, hit.forename),
            lines: vec![
                who(&hit),
                format!(
                    "{} {}: {}, recorded by {} at {}.",
                    app.now.date().format("%a %d %b"),
                    session.label(),
                    mark.entry().describe(),
                    mark.recorded_by,
                    mark.recorded_at.format("%H:%M")
                ),
                "Sign them in late instead, replacing it?".into(),
            ],
            purpose: ConfirmPurpose::SignInOver(Box::new(hit)),
            scroll: 0,
        }));
    }
    arrival_dialog(app, hit)
}

/// Asks when the chosen pupil arrived, showing their mark now and the register's times.
pub(super) fn arrival_dialog(app: &mut App, hit: PupilHit) -> Next {
    let session = app.current_session();
    let current = hit.marks[session.index() as usize]
        .as_ref()
        .map_or("no mark".to_string(), |m| m.entry().describe());
    let mut context = vec![
        who(&hit),
        format!(
            "{} {} \u{b7} now: {}",
            app.now.date().format("%a %d %b"),
            session.label(),
            current
        ),
    ];
    if let Some(t) = app.times(session) {
        context.push(format!(
            "Register {}, closes {}: arrivals to {} are L, later U.",
            hm(t.register_at),
            hm(t.closes_at),
            hm(t.closes_at)
        ));
    }
    let mut input = InputState::new(
        InputPurpose::SignInTime { hit },
        "Late sign-in",
        "arrived (HH:MM): ",
        context,
    );
    input.suggest(hm(app.now.time()));
    Next::dialog(Modal::Input(input))
}

/// The sign-in itself, once the arrival time is typed: `L`, and the engine derives `U` after
/// the close.
pub(super) fn sign_in(app: &App, hit: &PupilHit, time: NaiveTime) -> Vec<Effect> {
    let session = app.current_session();
    let request = MarkRequest {
        group: hit.group.clone().unwrap_or_default(),
        date: app.now.date(),
        session,
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
    let query = match &app.screen {
        Screen::SignIn(s) => s.query.clone(),
        _ => String::new(),
    };
    vec![
        Effect::new(
            Request::Mark(request.clone()),
            Reply::SignedIn {
                name: format!("{}, {}", hit.surname, hit.forename),
                request: Box::new(request),
            },
        ),
        find(&query, app.now.date()),
    ]
}

/// A sign-in saved: said with the pupil's name, and kept for undo.
pub(super) fn signed_in(
    app: &mut App,
    name: String,
    request: MarkRequest,
    result: Outcome<MarkOutcome>,
) -> Vec<Effect> {
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
            app.info(text);
            if let Screen::SignIn(s) = &mut app.screen {
                s.undo.push(request);
            }
        }
        Err(e @ crate::service::ServiceError::Unknown(_)) => {
            app.error(&e);
            app.unconfirmed.push(request);
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

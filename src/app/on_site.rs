//! On site now: the fire list. Pupils marked present or late this session, by group, minus
//! those signed out early (the mark stays; the list changes).

use super::modal::{InputPurpose, InputState};
use super::nav::{is_navigation, next_index};
use super::{Action, App, Effect, Modal, Next, Outcome, Reply, Screen};
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct OnSiteScreen {
    pub view: Option<OnSiteView>,
    /// Over the pupils on site, group by group.
    pub cursor: usize,
    pub top: super::ListTop,
}

impl OnSiteScreen {
    /// The pupils on site, in the order shown, with their group.
    pub fn pupils(&self) -> Vec<(&str, &OnSitePupil)> {
        self.view.as_ref().map_or(Vec::new(), |v| {
            v.groups
                .iter()
                .flat_map(|g| g.pupils.iter().map(move |p| (g.group.as_str(), p)))
                .collect()
        })
    }
}

pub(super) fn load() -> Effect {
    Effect::new(
        Request::OnSite {
            date: None,
            session: None,
        },
        Reply::OnSite,
    )
}

pub(super) fn open(app: &mut App) -> Vec<Effect> {
    app.screen = Screen::OnSite(OnSiteScreen::default());
    app.message = None;
    vec![load()]
}

pub(super) fn loaded(app: &mut App, result: Outcome<OnSiteView>) -> Vec<Effect> {
    match result {
        Ok(view) => {
            if let Screen::OnSite(s) = &mut app.screen {
                s.view = Some(view);
                s.cursor = s.cursor.min(s.pupils().len().saturating_sub(1));
            }
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

pub(super) fn on_input(app: &mut App, action: Action) -> Next {
    let page = app.page();
    let office = app.is_office();
    let Screen::OnSite(s) = &mut app.screen else {
        return Next::none();
    };
    let selected = s.pupils().get(s.cursor).map(|(_, p)| (*p).clone());
    match action {
        Action::Key(KeyAction::Back) => Next::effects(app.go_home()),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.pupils().len(), k, page);
            Next::none()
        }
        Action::Key(KeyAction::SignOut) => {
            let Some(p) = selected else {
                return Next::none();
            };
            if !office {
                app.error_text("signing a pupil out is for office staff");
                return Next::none();
            }
            Next::dialog(Modal::Input(InputState::new(
                InputPurpose::SignOutReason { upn: p.upn.clone() },
                format!("Sign out: {}", p.name),
                "reason: ",
                vec![
                    format!("Leaving now, {}.", app.now.format("%H:%M")),
                    "The mark stays; they leave the fire list.".into(),
                ],
            )))
        }
        Action::Key(KeyAction::PupilYear) => match selected {
            Some(p) => Next::effects(super::pupil::open(app, p.upn)),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The request a sign-out reason makes once typed: leaving now.
pub(super) fn sign_out(app: &App, upn: String, reason: String) -> Effect {
    Effect::new(
        Request::SignOut {
            upn,
            date: Some(app.now.date()),
            at: Some(app.now.time()),
            reason,
        },
        Reply::Done,
    )
}

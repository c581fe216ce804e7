//! On site now: the fire list. Pupils marked present or late this session, by group, minus
//! those signed out early (the mark stays; the list changes).

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::keymap::KeyAction;
use crate::service::protocol::*;

#[derive(Clone, Debug, Default)]
pub struct OnSiteScreen {
    pub view: Option<OnSiteView>,
    /// Over the pupils on site, group by group.
    pub cursor: usize,
    pub top: ListTop,
    /// A name typed to find a pupil on site.
    pub jump: NameJump,
}

/// What the fire list's dialog asks: why a pupil is leaving early (signed out now).
#[derive(Clone, Debug)]
pub struct Ask {
    upn: String,
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

pub fn load() -> Effect {
    Effect::new(
        Request::OnSite {
            date: None,
            session: None,
        },
        Reply::OnSite,
    )
}

pub fn open() -> (OnSiteScreen, Effect) {
    (OnSiteScreen::default(), load())
}

pub fn loaded(s: &mut OnSiteScreen, view: OnSiteView) {
    s.view = Some(view);
    s.cursor = s.cursor.min(s.pupils().len().saturating_sub(1));
}

pub fn on_input(s: &mut OnSiteScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let names: Vec<String> = s.pupils().iter().map(|(_, p)| p.name.clone()).collect();
    if let Some(said) = s
        .jump
        .typed(&action, &mut s.cursor, names.iter().map(String::as_str))
    {
        shared.message = said.map(super::action::Message::error);
        return Next::none();
    }
    if let Action::Key(key) = action {
        let acts = matches!(key, KeyAction::SignOut | KeyAction::PupilYear);
        match s.jump.before_key(key, acts) {
            Err(why) => {
                shared.error_text(why);
                return Next::none();
            }
            Ok(true) => return Next::none(),
            Ok(false) => {}
        }
    }
    let selected = s.pupils().get(s.cursor).map(|(_, p)| (*p).clone());
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.pupils().len(), k, shared.page());
            Next::none()
        }
        Action::Key(KeyAction::SignOut) => {
            let Some(p) = selected else {
                return Next::none();
            };
            if !shared.is_office() {
                shared.error_text("signing a pupil out is for office staff");
                return Next::none();
            }
            Next::dialog(Modal::Input(InputState::new(
                Ask { upn: p.upn.clone() },
                format!("Sign out: {}", p.name),
                "reason: ",
                vec![
                    format!("Leaving now, {}.", shared.now.format("%H:%M")),
                    "The mark stays; they leave the fire list.".into(),
                ],
            )))
        }
        Action::Key(KeyAction::PupilYear) => match selected {
            Some(p) => Next::go(Go::PupilYear { upn: p.upn }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The reason typed: the pupil is signed out, leaving now.
pub fn answered(shared: &Shared, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(reason) = answer else {
        return Ok(Next::none());
    };
    if reason.is_empty() {
        return Err("say why they are leaving (collected by a parent, appointment)".into());
    }
    Ok(Next::effect(Effect::new(
        Request::SignOut {
            upn: ask.upn,
            date: Some(shared.now.date()),
            at: Some(shared.now.time()),
            reason,
        },
        Reply::Done,
    )))
}

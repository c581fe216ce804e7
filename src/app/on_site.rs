//! On site now: the fire list. Pupils marked present or late this session, by group, minus
//! those signed out early (the mark stays; the list changes).

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, NameJump, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::codes::for_new_mark;
use crate::domain::desk::unfit_for_missed_sessions;
use crate::domain::session::{Session, hm, parse_typed_time};
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::NaiveTime;

#[derive(Clone, Debug, Default)]
pub struct OnSiteScreen {
    pub view: Option<OnSiteView>,
    /// Over the pupils on site, group by group.
    pub cursor: usize,
    pub top: ListTop,
    /// A name typed to find a pupil on site.
    pub jump: NameJump,
}

/// What the fire list's dialogs ask, step by step: a pupil leaving (why, when, back today,
/// and if not the code for the sessions missed), or coming back (when).
#[derive(Clone, Debug)]
pub enum Ask {
    Why {
        pupil: Who,
    },
    When {
        pupil: Who,
        reason: String,
    },
    BackToday {
        pupil: Who,
        reason: String,
        at: NaiveTime,
    },
    Code {
        pupil: Who,
        reason: String,
        at: NaiveTime,
    },
    BackAt {
        pupil: Who,
    },
}

/// The pupil a dialog is about.
#[derive(Clone, Debug)]
pub struct Who {
    upn: String,
    name: String,
}

impl OnSiteScreen {
    /// The pupils the cursor moves over, in the order shown, with their group: those on
    /// site, then those signed out (enter signs them back in), group by group.
    pub fn pupils(&self) -> Vec<(&str, &OnSitePupil)> {
        self.view.as_ref().map_or(Vec::new(), |v| {
            v.groups
                .iter()
                .flat_map(|g| {
                    g.pupils
                        .iter()
                        .chain(g.signed_out.iter())
                        .map(move |p| (g.group.as_str(), p))
                })
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
                shared.error_text("signing a pupil out or back in is for office staff");
                return Next::none();
            }
            // A new dialog: the last attempt's message is not about it.
            shared.message = None;
            let pupil = Who {
                upn: p.upn.clone(),
                name: p.name.clone(),
            };
            // A pupil signed out is signed back in from the same row.
            if let Some((left, why)) = &p.left {
                let input = InputState::new(
                    Ask::BackAt { pupil },
                    format!("Back in school: {}", p.name),
                    "back at (HH:MM): ",
                    vec![format!("Signed out at {} ({why}).", hm(*left))],
                )
                .suggest(hm(shared.now.time()));
                return Next::dialog(Modal::Input(input));
            }
            Next::dialog(Modal::Input(InputState::new(
                Ask::Why { pupil },
                format!("Sign out: {}", p.name),
                "reason: ",
                vec![
                    "Why are they leaving? (collected by a parent, an appointment)".into(),
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

/// The next step of signing a pupil out or back in.
pub fn answered(shared: &Shared, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    let Answer::Text(text) = answer else {
        return Ok(Next::none());
    };
    // Times and codes are checked as they are typed, so a refusal never costs the answers
    // already given; the engine checks everything again.
    let time = |text: &str| {
        let t = parse_typed_time(text).ok_or_else(|| {
            format!("`{text}` is not a time: type it as 9:10, 09:10, 9.10 or 0910")
        })?;
        if t > shared.now.time() {
            return Err(format!("{} has not happened yet", hm(t)));
        }
        if let Some(am) = shared.times(Session::Am)
            && t < am.opens_at
        {
            return Err(format!(
                "{} is before the school day began ({})",
                hm(t),
                hm(am.opens_at)
            ));
        }
        Ok(t)
    };
    let step = |ask: Ask, title: String, prompt: &str, context: Vec<String>| {
        Next::dialog(Modal::Input(InputState::new(ask, title, prompt, context)))
    };
    Ok(match ask {
        Ask::Why { pupil } => {
            if text.is_empty() {
                return Err("say why they are leaving (collected by a parent, appointment)".into());
            }
            let title = format!("Sign out: {}", pupil.name);
            let input = InputState::new(
                Ask::When {
                    pupil,
                    reason: text,
                },
                title,
                "left at (HH:MM): ",
                vec!["When did they leave?".into()],
            )
            .suggest(hm(shared.now.time()));
            Next::dialog(Modal::Input(input))
        }
        Ask::When { pupil, reason } => {
            let at = time(&text)?;
            let title = format!("Sign out: {}", pupil.name);
            let input = InputState::new(
                Ask::BackToday { pupil, reason, at },
                title,
                "back today? (y/n): ",
                vec![
                    format!("Left at {}.", hm(at)),
                    "y: back later today. n: not back today (the next register flags them and \
                     leaves them unmarked)."
                        .into(),
                ],
            );
            Next::dialog(Modal::Input(input))
        }
        Ask::BackToday { pupil, reason, at } => match text.to_lowercase().as_str() {
            "y" | "yes" => sign_out(shared, pupil.upn, reason, at, true, None),
            "n" | "no" => {
                let title = format!("Sign out: {}", pupil.name);
                step(
                    Ask::Code { pupil, reason, at },
                    title,
                    "code for the sessions missed: ",
                    vec![
                        "The code for the rest of the day's sessions: M for an appointment, C..."
                            .into(),
                        "Leave it empty to leave them unmarked for the register.".into(),
                    ],
                )
            }
            _ => return Err("y (back today) or n (not back today)".into()),
        },
        Ask::Code { pupil, reason, at } => {
            if !text.is_empty() {
                let code = for_new_mark(&text).map_err(|e| e.to_string())?.code;
                if let Some(why) = unfit_for_missed_sessions(code) {
                    return Err(why);
                }
            }
            let code = (!text.is_empty()).then_some(text);
            sign_out(shared, pupil.upn, reason, at, false, code)
        }
        Ask::BackAt { pupil } => {
            let at = time(&text)?;
            Next::effect(Effect::new(
                Request::SignBackIn {
                    upn: pupil.upn,
                    date: Some(shared.now.date()),
                    at: Some(at),
                },
                Reply::Done,
            ))
        }
    })
}

fn sign_out(
    shared: &Shared,
    upn: String,
    reason: String,
    at: NaiveTime,
    back_today: bool,
    code: Option<String>,
) -> Next<Ask> {
    Next::effect(Effect::new(
        Request::SignOut(SignOutRequest {
            upn,
            date: Some(shared.now.date()),
            at: Some(at),
            reason,
            back_today,
            code,
        }),
        Reply::Done,
    ))
}

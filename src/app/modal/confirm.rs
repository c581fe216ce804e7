//! A confirmation: what is about to happen, in lines, then confirm or cancel.

use crate::app::nav::{is_navigation, next_index};
use crate::app::register::{advance_cursor, mark_effect};
use crate::app::{Action, App, Effect, Modal, Next, Reply};
use crate::keymap::KeyAction;
use crate::service::protocol::{MarkRequest, Request};

#[derive(Clone, Debug)]
pub enum ConfirmPurpose {
    ReplaceOfficeMark(MarkRequest),
    CloseRegister,
    /// `N` past the 5-school-day deadline with no reason established: they become `O`.
    OverdueToO(Vec<MarkRequest>),
    /// Something to read (a mark's history): nothing to confirm.
    Info,
    /// Signing in late a pupil who already has a mark for the session.
    SignInOver(Box<crate::service::protocol::PupilHit>),
    /// A pupil file, previewed: `y` imports it.
    ImportPupils {
        file: String,
        csv: String,
    },
}

#[derive(Clone, Debug)]
pub struct ConfirmState {
    pub purpose: ConfirmPurpose,
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

pub(super) fn on_input(app: &mut App, state: ConfirmState, action: Action) -> Next {
    // Something read is closed, not cancelled: there was nothing to change.
    if matches!(state.purpose, ConfirmPurpose::Info)
        && matches!(action, Action::Key(KeyAction::Cancel | KeyAction::Back))
    {
        return Next::none();
    }
    if let Some(next) = super::leaving(app, &action) {
        return next;
    }
    // Replacing someone else's entry is deliberate: only `y`, never enter (which elsewhere
    // marks present, and could be a key meant for the register).
    let deliberate = matches!(
        state.purpose,
        ConfirmPurpose::ReplaceOfficeMark(_)
            | ConfirmPurpose::SignInOver(_)
            | ConfirmPurpose::ImportPupils { .. }
    );
    match action {
        Action::Key(KeyAction::Confirm) if deliberate => {
            app.info(match state.purpose {
                ConfirmPurpose::ImportPupils { .. } => "press y to import it, or esc to leave it",
                _ => "press y to replace it, or esc to keep it",
            });
            Next::dialog(Modal::Confirm(state))
        }
        Action::Key(KeyAction::Confirm) | Action::Char('y' | 'Y') => match state.purpose {
            ConfirmPurpose::SignInOver(hit) => crate::app::sign_in::arrival_dialog(app, *hit),
            purpose => Next::effects(confirmed(app, purpose)),
        },
        Action::Char('n' | 'N') => {
            app.info("nothing changed");
            Next::none()
        }
        Action::Key(k) if is_navigation(k) => {
            let scroll = next_index(state.scroll, state.lines.len(), k, app.page());
            Next::dialog(Modal::Confirm(ConfirmState { scroll, ..state }))
        }
        _ => Next::dialog(Modal::Confirm(state)),
    }
}

fn confirmed(app: &mut App, purpose: ConfirmPurpose) -> Vec<Effect> {
    match purpose {
        ConfirmPurpose::ReplaceOfficeMark(request) => {
            advance_cursor(app);
            vec![mark_effect(request, false)]
        }
        ConfirmPurpose::OverdueToO(requests) => vec![Effect::new(
            Request::MarkMany { marks: requests },
            Reply::MarkedMany {
                what: "overdue N became O",
            },
        )],
        ConfirmPurpose::CloseRegister => crate::app::register::close_effect(app),
        ConfirmPurpose::ImportPupils { file, csv } => vec![crate::app::import::import(file, csv)],
        ConfirmPurpose::Info | ConfirmPurpose::SignInOver(_) => Vec::new(),
    }
}

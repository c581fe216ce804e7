//! What the server pushes to every connected terminal when something changes.

use super::marks::{MarkOutcome, RegisterId};
use crate::domain::marks::Mark;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Pushed by a server to subscribed clients when something they may be showing changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A mark was saved (`mark`) or withdrawn (`None`): a register on screen applies it in
    /// place, with no reload.
    Marked {
        register: RegisterId,
        upn: String,
        mark: Option<Mark>,
    },
    Closed(RegisterId),
    /// Configuration, staff or pupils changed: reload everything.
    Reload,
    /// The office wrote in its desk log for a day (a call, a sign-out, a stage's action):
    /// only the desk's screens need it, never a register or the class list.
    Desk {
        date: NaiveDate,
    },
    /// A lesson mark or register changed on a day, or a missing pupil's log: the lesson
    /// screens and the attendance team's missing list ask again.
    Lesson {
        date: NaiveDate,
        /// A pupil went missing with this mark, in words: the attendance team's screens say
        /// so at once.
        #[serde(default)]
        missing: Option<String>,
    },
    /// The office asks these accounts to take a register: shown on their screens at once.
    Reminder {
        accounts: Vec<String>,
        text: String,
    },
}

impl Event {
    /// The push for a mark saved in `group`.
    pub fn saved(group: &str, outcome: &MarkOutcome) -> Event {
        Event::Marked {
            register: RegisterId::new(group, outcome.date, outcome.session),
            upn: outcome.upn.clone(),
            mark: Some(outcome.mark.clone()),
        }
    }

    /// The push for a mark as it now stands (`None`: no mark) after an undo or a clear.
    pub fn now_stands(
        group: &str,
        key: &crate::domain::marks::SessionKey,
        mark: Option<Mark>,
    ) -> Event {
        Event::Marked {
            register: RegisterId::new(group, key.date, key.session),
            upn: key.upn.clone(),
            mark,
        }
    }

    /// The register a mark or a closing is in.
    pub fn register(&self) -> Option<&RegisterId> {
        match self {
            Event::Marked { register, .. } | Event::Closed(register) => Some(register),
            _ => None,
        }
    }
}

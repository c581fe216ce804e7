//! Finding a pupil by name or UPN as it is typed, the way late sign-in and the pupil search
//! both do: the query, the pupils the engine found, and the cursor over them.

use super::action::{Action, Effect, Reply};
use super::nav::{ListTop, is_navigation, next_index};
use crate::service::protocol::{PupilHit, Request};
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct Finder {
    pub query: String,
    pub results: Vec<PupilHit>,
    pub cursor: usize,
    /// Where the list was scrolled to when last drawn.
    pub top: ListTop,
}

impl Finder {
    /// The search for what is typed, with each pupil's marks on `today`.
    pub fn search(&self, today: NaiveDate) -> Effect {
        Effect::new(
            Request::FindPupils {
                query: self.query.clone(),
                date: Some(today),
            },
            Reply::Pupils,
        )
    }

    pub fn found(&mut self, pupils: Vec<PupilHit>) {
        self.cursor = self.cursor.min(pupils.len().saturating_sub(1));
        self.results = pupils;
    }

    pub fn selected(&self) -> Option<&PupilHit> {
        self.results.get(self.cursor)
    }

    /// Typing and moving: `Some` with the search to make when the query changed, `None` for
    /// a key that is not the finder's.
    pub fn on_input(
        &mut self,
        action: &Action,
        today: NaiveDate,
        page: usize,
    ) -> Option<Vec<Effect>> {
        match action {
            Action::Char(c) => {
                self.query.push(*c);
                self.cursor = 0;
                Some(vec![self.search(today)])
            }
            Action::Erase => {
                self.query.pop();
                Some(vec![self.search(today)])
            }
            Action::Key(k) if is_navigation(*k) => {
                self.cursor = next_index(self.cursor, self.results.len(), *k, page);
                Some(Vec::new())
            }
            _ => None,
        }
    }
}

/// "Campbell, Sofia (year 3, Oak, born 14 Mar 2018)": enough to tell two pupils of one name
/// apart.
pub fn who(hit: &PupilHit) -> String {
    format!(
        "{}, {} (year {}, {}{})",
        hit.surname,
        hit.forename,
        hit.year,
        hit.group.as_deref().unwrap_or("not on roll"),
        hit.dob
            .map(|d| format!(", born {}", d.format("%-d %b %Y")))
            .unwrap_or_default()
    )
}

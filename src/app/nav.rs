//! Moving through lists: the cursor keys and type-ahead, the same in every view.

use super::action::Action;
use crate::domain::people::find_name;
use crate::keymap::KeyAction;

/// Where a cursor goes on a navigation key in a list of `len` rows (`page` rows a page).
pub fn next_index(cursor: usize, len: usize, action: KeyAction, page: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let last = len - 1;
    match action {
        KeyAction::Up => cursor.saturating_sub(1),
        KeyAction::Down => (cursor + 1).min(last),
        KeyAction::PageUp => cursor.saturating_sub(page),
        KeyAction::PageDown => (cursor + page).min(last),
        KeyAction::Top => 0,
        KeyAction::Bottom => last,
        _ => cursor.min(last),
    }
}

pub fn is_navigation(action: KeyAction) -> bool {
    matches!(
        action,
        KeyAction::Up
            | KeyAction::Down
            | KeyAction::PageUp
            | KeyAction::PageDown
            | KeyAction::Top
            | KeyAction::Bottom
    )
}

/// Type-ahead: extends the typed prefix if some name still starts with it, otherwise starts
/// again from the new character. Returns the row to move to.
pub fn type_ahead(jump: &mut String, c: char, names: &[String]) -> Option<usize> {
    let c = c.to_lowercase().to_string();
    let extended = format!("{jump}{c}");
    let find = |prefix: &str| {
        names
            .iter()
            .position(|n| n.to_lowercase().starts_with(prefix))
    };
    if let Some(i) = find(&extended) {
        *jump = extended;
        return Some(i);
    }
    if let Some(i) = find(&c) {
        *jump = c;
        return Some(i);
    }
    None
}

/// A name typed into a list of pupils (the register, on site, the `N` queue, today): the
/// cursor goes to the first pupil it finds. While it finds nobody the cursor stays put, and
/// a key that acts on a pupil must not act on the one it stays on (`refusal` says why).
#[derive(Clone, Debug, Default)]
pub struct NameJump {
    pub typed: String,
    /// Whether what is typed finds a pupil.
    pub found: bool,
    /// The names what is typed finds, in list order: more than one and a key that acts on
    /// a pupil waits for more of the name.
    pub matching: Vec<String>,
}

impl NameJump {
    pub fn is_empty(&self) -> bool {
        self.typed.is_empty()
    }

    /// The row of the first name `typed` finds, among (surname, forename) in list order.
    fn find<'a>(&self, names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<usize> {
        find_name(&self.typed, names)
    }

    /// A character typed (or, `None`, one taken back): the row to move to, if any.
    pub fn edit<'a>(
        &mut self,
        c: Option<char>,
        names: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<usize> {
        match c {
            Some(c) => self.typed.push(c),
            None => {
                self.typed.pop();
            }
        }
        let names: Vec<(&str, &str)> = names.into_iter().collect();
        let row = self.find(names.iter().copied());
        self.found = row.is_some() || self.typed.is_empty();
        // The names found the way the cursor was moved: surnames first, and forenames only
        // when no surname begins so (`k` is Khan, even with a Kai in the class).
        let ranked: Vec<(u8, String)> = names
            .iter()
            .filter_map(|(s, f)| {
                crate::domain::people::name_match(&self.typed, s, f)
                    .map(|rank| (rank, format!("{s}, {f}")))
            })
            .collect();
        let best = ranked.iter().map(|(rank, _)| *rank).min();
        self.matching = ranked
            .into_iter()
            .filter(|(rank, _)| Some(*rank) == best)
            .map(|(_, name)| name)
            .collect();
        row
    }

    /// Typing into a list of pupils named as lists show them ("Surname, Forename"): `None`
    /// if the action is not typing; otherwise the message to show (`None`: clear it), with the
    /// cursor on the pupil found.
    pub fn typed<'a>(
        &mut self,
        action: &Action,
        cursor: &mut usize,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Option<Option<String>> {
        let c = match action {
            Action::Char(c) => Some(*c),
            Action::Erase => None,
            _ => return None,
        };
        let found = self.edit(c, names.into_iter().map(surname_forename));
        if let Some(row) = found {
            *cursor = row;
        }
        Some((found.is_none() && !self.typed.is_empty()).then(|| {
            format!(
                "no pupil's name matches `{}` (backspace to correct it)",
                self.typed
            )
        }))
    }

    /// A bound key while a name is typed: refused with why if it would act on a pupil the
    /// name did not find; otherwise the search ends, and `Ok(true)` if the key only ended it
    /// (esc, enter).
    pub fn before_key(&mut self, key: KeyAction, acts_on_pupil: bool) -> Result<bool, String> {
        if self.typed.is_empty() {
            return Ok(false);
        }
        if acts_on_pupil && let Some(why) = self.refusal() {
            return Err(why);
        }
        self.clear();
        Ok(matches!(key, KeyAction::Back))
    }

    /// Ends the search.
    pub fn clear(&mut self) {
        self.typed.clear();
        self.found = false;
        self.matching.clear();
    }

    /// Whether what is typed finds exactly one pupil.
    pub fn unique(&self) -> bool {
        self.found && self.matching.len() == 1
    }

    /// Why a key that acts on a pupil does nothing now: what is typed finds nobody. (When it
    /// finds several, the cursor is on the first, which the screen shows and says.)
    pub fn refusal(&self) -> Option<String> {
        (!self.typed.is_empty() && !self.found).then(|| {
            format!(
                "no pupil's name matches `{}`: nothing done (backspace to correct it, esc to end the search)",
                self.typed
            )
        })
    }

    /// What to say while a name is typed that finds more than one pupil: who else it finds.
    pub fn others(&self) -> Option<String> {
        let [first, rest @ ..] = self.matching.as_slice() else {
            return None;
        };
        (!rest.is_empty()).then(|| {
            format!(
                "{first}; `{}` also finds {}: type more to choose",
                self.typed,
                if rest.len() > 2 {
                    format!("{}, {} and {} more", rest[0], rest[1], rest.len() - 2)
                } else {
                    rest.join(" and ")
                }
            )
        })
    }
}

/// "Surname, Forename", as lists show a name, in its two parts.
pub fn surname_forename(name: &str) -> (&str, &str) {
    name.split_once(", ").unwrap_or((name, ""))
}

/// The first row a list showed last time it was drawn. A list moves only when the cursor
/// comes within a few rows of its edge, as an editor's does, and then by most of a page, so
/// most keys that move the cursor redraw two rows, not the whole list (over SSH every byte
/// counts: a sweep down a register scrolls once a page, not on every key). The view keeps it
/// up to date as it draws (`follow`); nothing else changes it.
#[derive(Clone, Debug, Default)]
pub struct ListTop(std::cell::Cell<usize>);

impl ListTop {
    /// The first row to show with the cursor on screen, moving from last time's only when
    /// the margin needs it.
    pub fn follow(&self, cursor: usize, visible: usize, len: usize) -> usize {
        let top = scroll_top(self.0.get(), cursor, visible, len);
        self.0.set(top);
        top
    }

    /// The first row shown last time.
    pub fn get(&self) -> usize {
        self.0.get()
    }
}

/// Rows kept between the cursor and a list's edge while there are rows beyond it.
fn margin(visible: usize) -> usize {
    (visible / 4).min(3)
}

/// The first row to show: `previous` unless the cursor has come within the margin of an
/// edge; then the list moves so that the cursor is at the other margin, with as many rows
/// as fit ahead of it before the next move. A cursor out of view (a name typed) is centred.
pub fn scroll_top(previous: usize, cursor: usize, visible: usize, len: usize) -> usize {
    if visible == 0 || len <= visible {
        return 0;
    }
    let last_top = len - visible;
    let m = margin(visible);
    let top = previous.min(last_top);
    if cursor < top || cursor >= top + visible {
        return cursor.saturating_sub(visible / 2).min(last_top);
    }
    if cursor + m >= top + visible && top < last_top {
        // Going down: the cursor to the top margin.
        return cursor.saturating_sub(m).min(last_top);
    }
    if cursor < top + m && top > 0 {
        // Going up: the cursor to the bottom margin.
        return (cursor + m + 1).saturating_sub(visible).min(last_top);
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_moves_only_at_its_edges_and_then_by_half_a_page() {
        // 30 rows, 10 visible, margin 2: the cursor walks down from the top.
        let mut top = 0;
        let mut tops = Vec::new();
        for cursor in 0..30 {
            top = scroll_top(top, cursor, 10, 30);
            tops.push(top);
            assert!(
                cursor >= top && cursor < top + 10,
                "{cursor} off screen at {top}"
            );
        }
        // Still for the first eight rows, then by six (a page less the margins), and still at
        // the end.
        assert_eq!(&tops[..8], &[0; 8]);
        assert_eq!(tops[8], 6);
        let moves = tops.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(moves <= 4, "{moves} scrolls for 30 rows: {tops:?}");
        assert_eq!(tops[29], 20);
        // Walking back up, the list stays until the top margin.
        assert_eq!(scroll_top(20, 25, 10, 30), 20);
        assert_eq!(scroll_top(20, 21, 10, 30), 14);
        // A jump (a name typed) puts the cursor in view at once.
        assert_eq!(scroll_top(0, 27, 10, 30), 20);
        assert_eq!(scroll_top(20, 0, 10, 30), 0);
        assert_eq!(scroll_top(5, 3, 10, 8), 0, "all rows fit");
    }
}

//! The code picker: every code a person may enter, grouped as SPEC §2 groups them.
//!
//! Lowercase typing filters by word or code ("med" finds M); capitals, digits and symbols type
//! a code, which is chosen the moment it is complete and unambiguous (`M` at once, `C` waits
//! for a possible `1` or `2`, enter takes `C` itself).

use super::PickTarget;
use crate::domain::codes::{CodeInfo, current_codes};
use crate::domain::session::Session;
use crate::keymap::KeyAction;

#[derive(Clone, Debug)]
pub struct PickerState {
    pub target: PickTarget,
    pub office: bool,
    pub session: Session,
    /// Words to filter by.
    pub filter: String,
    /// A code being typed.
    pub code: String,
    /// Index into the codes shown.
    pub cursor: usize,
}

pub enum PickerRow {
    Group(&'static str),
    Code {
        info: &'static CodeInfo,
        selected: bool,
    },
}

impl PickerState {
    pub fn new(target: PickTarget, office: bool, session: Session) -> Self {
        PickerState {
            target,
            office,
            session,
            filter: String::new(),
            code: String::new(),
            cursor: 0,
        }
    }

    /// Codes this person may choose: never withdrawn ones, office codes only for the office,
    /// and only this session's present code.
    fn available(&self) -> impl Iterator<Item = &'static CodeInfo> + '_ {
        let other_present = self.session.other().present_code();
        current_codes()
            .filter(move |c| c.code != other_present)
            .filter(move |c| self.office || c.teacher_may_enter())
    }

    /// The codes shown, after the filter and any typed code.
    pub fn visible(&self) -> Vec<&'static CodeInfo> {
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.available()
            .filter(|c| c.code.starts_with(&self.code))
            .filter(|c| {
                let haystack = format!(
                    "{} {} {} {}",
                    c.code.to_lowercase(),
                    c.meaning.to_lowercase(),
                    c.class.describe(),
                    c.group.title().to_lowercase()
                );
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    }

    pub fn type_char(&mut self, c: char) -> Option<&'static str> {
        if c.is_lowercase() || c == ' ' {
            self.filter.push(c);
            self.code.clear();
            // An exact code match goes to the top of the attention: put the cursor on it.
            let typed = self.filter.trim().to_uppercase();
            self.cursor = self
                .visible()
                .iter()
                .position(|i| i.code == typed)
                .unwrap_or(0);
            return None;
        }
        let candidate = format!("{}{c}", self.code);
        let matches: Vec<&'static CodeInfo> = self
            .available()
            .filter(|i| i.code.starts_with(&candidate))
            .collect();
        if matches.is_empty() {
            return None;
        }
        if matches.len() == 1 && matches[0].code == candidate {
            return Some(matches[0].code);
        }
        self.code = candidate;
        self.filter.clear();
        self.cursor = 0;
        None
    }

    pub fn erase(&mut self) {
        if self.code.pop().is_none() {
            self.filter.pop();
        }
        self.cursor = 0;
    }

    pub fn navigate(&mut self, action: KeyAction, page: usize) {
        let len = self.visible().len();
        self.cursor = super::next_index(self.cursor, len, action, page);
    }

    /// Enter: the typed code if it is one, otherwise the highlighted code.
    pub fn chosen_on_enter(&self) -> Option<&'static str> {
        let visible = self.visible();
        if let Some(exact) = visible.iter().find(|i| i.code == self.code) {
            return Some(exact.code);
        }
        visible.get(self.cursor).map(|i| i.code)
    }
}

/// The picker's rows with group headings, for drawing.
pub fn picker_rows(state: &PickerState) -> Vec<PickerRow> {
    let mut rows = Vec::new();
    let mut group = None;
    for (i, info) in state.visible().into_iter().enumerate() {
        if group != Some(info.group) {
            group = Some(info.group);
            rows.push(PickerRow::Group(info.group.title()));
        }
        rows.push(PickerRow::Code {
            info,
            selected: i == state.cursor,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker(office: bool) -> PickerState {
        PickerState::new(
            PickTarget::Register { upn: "X".into() },
            office,
            Session::Am,
        )
    }

    #[test]
    fn med_finds_m() {
        let mut p = picker(true);
        for c in "med".chars() {
            assert_eq!(p.type_char(c), None);
        }
        let codes: Vec<&str> = p.visible().iter().map(|i| i.code).collect();
        assert_eq!(codes, ["M"]);
        assert_eq!(p.chosen_on_enter(), Some("M"));
    }

    #[test]
    fn a_complete_code_is_chosen_at_once_and_a_prefix_waits() {
        let mut p = picker(true);
        assert_eq!(p.type_char('M'), Some("M"));
        let mut p = picker(true);
        assert_eq!(p.type_char('C'), None, "C, C1 or C2");
        assert_eq!(p.type_char('1'), Some("C1"));
        let mut p = picker(true);
        p.type_char('C');
        assert_eq!(p.chosen_on_enter(), Some("C"));
    }

    #[test]
    fn teachers_see_no_office_codes_and_nobody_sees_withdrawn_ones() {
        let p = picker(false);
        let codes: Vec<&str> = p.visible().iter().map(|i| i.code).collect();
        assert_eq!(codes, ["/", "L", "N"]);
        let office: Vec<&str> = picker(true).visible().iter().map(|i| i.code).collect();
        assert!(office.contains(&"M") && !office.contains(&"H") && !office.contains(&"\\\\"));
        let mut teacher = picker(false);
        assert_eq!(teacher.type_char('M'), None, "M is not offered to teachers");
    }
}

//! The code picker: every current code, grouped as SPEC §2 groups them. Those the person may
//! not enter are shown too, greyed, saying who enters them.
//!
//! Typing filters by word, the code's meaning or the words people use ("med", "sick",
//! "dentist"), and a typed code is highlighted for enter. Capitals with caps lock on are a
//! word too: `SICK` finds illness, and never saves `S` because the word began with it. A code
//! typed in capitals is chosen the moment it is complete only when no word and no longer code
//! continues it (`C1`, `/` at once; `M`, which begins "medical", and `C`, which begins `C1`,
//! wait for enter). The DfE letters stay visible: they are what staff know.

use super::step::{Answer, Step};
use crate::app::action::{Action, Message};
use crate::app::nav::{ListTop, is_navigation, next_index};
use crate::domain::codes::{Code, CodeInfo, current_codes, everyday_words};
use crate::domain::session::Session;
use crate::keymap::KeyAction;

#[derive(Clone, Debug)]
pub struct PickerState<A> {
    /// The owner's question: what the chosen code is for.
    pub ask: A,
    /// Whose code it is, for the title ("Patel, Asha").
    pub who: String,
    /// The codes this person may enter; `None`: every current code (office staff).
    pub allowed: Option<Vec<Code>>,
    pub session: Session,
    /// The session has not begun: codes saying what happened at it wait (planned absences
    /// do not).
    pub not_begun: bool,
    /// Codes that cannot be this pupil's mark on this date, each with the rule (SPEC §7):
    /// shown greyed, and said in full if chosen.
    pub unfit: Vec<(Code, String)>,
    /// Words to filter by.
    pub filter: String,
    /// A code being typed.
    pub code: String,
    /// Index into the codes shown.
    pub cursor: usize,
    /// Where the list was scrolled to when last drawn.
    pub top: ListTop,
}

pub enum PickerRow {
    Group(&'static str),
    Code {
        info: &'static CodeInfo,
        selected: bool,
        /// Why the person may not enter it now ("office", "once it begins"): shown greyed,
        /// saying so.
        unavailable: Option<&'static str>,
    },
}

impl<A> PickerState<A> {
    pub fn new(ask: A, who: String, allowed: Option<Vec<Code>>, session: Session) -> Self {
        PickerState {
            ask,
            who,
            allowed,
            session,
            not_begun: false,
            unfit: Vec::new(),
            filter: String::new(),
            code: String::new(),
            cursor: 0,
            top: Default::default(),
        }
    }

    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> PickerState<B> {
        PickerState {
            ask: f(self.ask),
            who: self.who,
            allowed: self.allowed,
            session: self.session,
            not_begun: self.not_begun,
            unfit: self.unfit,
            filter: self.filter,
            code: self.code,
            cursor: self.cursor,
            top: self.top,
        }
    }

    /// Codes shown: never withdrawn ones, and only this session's present code.
    fn available(&self) -> impl Iterator<Item = &'static CodeInfo> + '_ {
        let other_present = self.session.other().present_code();
        current_codes().filter(move |c| c.code != other_present)
    }

    /// Whether this person may enter the code.
    pub fn may(&self, code: Code) -> bool {
        self.why_not(code).is_none()
    }

    /// Why this person may not enter the code now, in a word or two.
    pub fn why_not(&self, code: Code) -> Option<&'static str> {
        if self.unfit.iter().any(|(c, _)| *c == code) {
            Some("not for this pupil")
        } else if !self
            .allowed
            .as_ref()
            .is_none_or(|list| list.contains(&code))
        {
            Some("office")
        } else if self.not_begun && code.is_observed() {
            Some("once it begins")
        } else {
            None
        }
    }

    /// The codes shown, after the filter and any typed code.
    pub fn visible(&self) -> Vec<&'static CodeInfo> {
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        // Capitals that spell a word filter as the word does (the code typed is highlighted).
        let by_code = self.filter.is_empty();
        self.available()
            .filter(|c| !by_code || c.code.as_str().starts_with(&self.code))
            .filter(|c| {
                let haystack = format!(
                    "{} {} {} {} {}",
                    c.code.as_str().to_lowercase(),
                    c.meaning.to_lowercase(),
                    c.class.describe(),
                    c.group.title().to_lowercase(),
                    everyday_words(c.code)
                );
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    }

    pub fn type_char(&mut self, c: char) -> Option<Code> {
        if c.is_lowercase() || c == ' ' {
            self.filter.push(c);
            self.code.clear();
            self.cursor_on_typed();
            return None;
        }
        // A digit after a lower-case letter (`j1`, `y2`): a two-character code typed in lower
        // case; the letter stops being a word.
        let last_word = self.filter.split_whitespace().last().unwrap_or("");
        if self.code.is_empty() && !c.is_alphabetic() && last_word.chars().count() == 1 {
            let typed = format!("{}{c}", last_word.to_uppercase());
            if self
                .available()
                .any(|i| i.code.as_str().starts_with(&typed))
            {
                self.filter.clear();
                return self.type_code(typed);
            }
        }
        // Capitals, digits and symbols: a code, or a word typed with caps lock on.
        let candidate = format!("{}{c}", self.code);
        let word = candidate.to_lowercase();
        let starts_a_word = word.chars().all(char::is_alphabetic)
            && self
                .available()
                .any(|i| words_of(i).any(|w| w.starts_with(&word)));
        let codes: Vec<&'static CodeInfo> = self
            .available()
            .filter(|i| i.code.as_str().starts_with(&candidate))
            .collect();
        if codes.is_empty() && !starts_a_word {
            return None;
        }
        if let [only] = codes.as_slice()
            && only.code == candidate.as_str()
            && !starts_a_word
        {
            return Some(only.code);
        }
        self.code = candidate;
        self.filter = if starts_a_word { word } else { String::new() };
        self.cursor_on_typed();
        None
    }

    /// A code typed whole or in part: chosen at once when it is complete and nothing
    /// continues it, else highlighted.
    fn type_code(&mut self, typed: String) -> Option<Code> {
        let codes: Vec<&'static CodeInfo> = self
            .available()
            .filter(|i| i.code.as_str().starts_with(&typed))
            .collect();
        if let [only] = codes.as_slice()
            && only.code == typed.as_str()
        {
            return Some(only.code);
        }
        self.code = typed;
        self.cursor_on_typed();
        None
    }

    /// The cursor on the code typed, if it is one, else on the first code shown.
    fn cursor_on_typed(&mut self) {
        let typed = if self.code.is_empty() {
            self.filter.trim().to_uppercase()
        } else {
            self.code.clone()
        };
        self.cursor = self
            .visible()
            .iter()
            .position(|i| i.code == typed.as_str())
            .unwrap_or(0);
    }

    pub fn erase(&mut self) {
        let caps_word = !self.code.is_empty() && !self.filter.is_empty();
        if self.code.pop().is_none() || caps_word {
            self.filter.pop();
        }
        self.cursor_on_typed();
    }

    pub fn navigate(&mut self, action: KeyAction, page: usize) {
        let len = self.visible().len();
        self.cursor = next_index(self.cursor, len, action, page);
    }

    /// Enter: the highlighted code (the code typed, when it is one).
    pub fn chosen_on_enter(&self) -> Option<Code> {
        self.visible().get(self.cursor).map(|i| i.code)
    }
}

/// The words a code is found by: its meaning, its class and group, and the words people use.
fn words_of(info: &'static CodeInfo) -> impl Iterator<Item = String> {
    let text = format!(
        "{} {} {} {}",
        info.meaning,
        info.class.describe(),
        info.group.title(),
        everyday_words(info.code)
    );
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The picker's rows with group headings, for drawing.
pub fn picker_rows<A>(state: &PickerState<A>) -> Vec<PickerRow> {
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
            unavailable: state.why_not(info.code),
        });
    }
    rows
}

pub fn on_input<A: Clone>(
    mut picker: PickerState<A>,
    action: Action,
    page: usize,
) -> Step<A, PickerState<A>> {
    let chosen = match action {
        Action::Key(KeyAction::Cancel | KeyAction::Back) => return Step::Closed(None),
        Action::Key(KeyAction::Quit) => return Step::Quit,
        Action::Key(KeyAction::Choose) => picker.chosen_on_enter(),
        Action::Key(k) if is_navigation(k) => {
            picker.navigate(k, page);
            None
        }
        Action::Char(c) => picker.type_char(c),
        Action::Erase => {
            picker.erase();
            None
        }
        _ => None,
    };
    match chosen {
        Some(code) if !picker.may(code) => {
            let said = not_yours(&picker, code);
            Step::Open(picker, Some(said))
        }
        Some(code) => Step::Answered {
            ask: picker.ask.clone(),
            answer: Answer::Code(code),
            dialog: picker,
        },
        None => Step::open(picker),
    }
}

/// A code the person may not enter now, and why: said, and the picker stays.
fn not_yours<A>(picker: &PickerState<A>, code: Code) -> Message {
    let meaning = code.info().meaning;
    if let Some((_, rule)) = picker.unfit.iter().find(|(c, _)| *c == code) {
        return Message::error(format!("{code} ({meaning}) cannot be this mark: {rule}"));
    }
    Message::error(match picker.why_not(code) {
        Some("office") => {
            format!(
                "{code} ({meaning}) is entered by the office: ask them, or choose a code you enter"
            )
        }
        _ => format!(
            "{code} ({meaning}) says what happened at the session: it can be entered once the session begins"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker(office: bool) -> PickerState<()> {
        PickerState::new(
            (),
            "X".into(),
            (!office).then(crate::domain::codes::default_teacher_codes),
            Session::Am,
        )
    }

    #[test]
    fn a_two_character_code_typed_in_lower_case_is_that_code() {
        for (typed, code) in [("j1", Code::J1), ("y2", Code::Y2), ("c1", Code::C1)] {
            let mut p = picker(true);
            let mut chosen = None;
            for c in typed.chars() {
                chosen = p.type_char(c).or(chosen);
            }
            assert_eq!(chosen, Some(code), "{typed}");
        }
        // A digit that makes no code keeps the word.
        let mut p = picker(true);
        p.type_char('m');
        assert_eq!(p.type_char('9'), None);
        assert_eq!(p.chosen_on_enter(), Some(Code::M));
    }

    #[test]
    fn med_finds_m() {
        let mut p = picker(true);
        for c in "med".chars() {
            assert_eq!(p.type_char(c), None);
        }
        let codes: Vec<&str> = p.visible().iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["M"]);
        assert_eq!(p.chosen_on_enter(), Some(Code::M));
    }

    #[test]
    fn a_complete_code_is_chosen_at_once_only_when_nothing_continues_it() {
        // Nothing continues C1 or `/`: chosen as typed.
        let mut p = picker(true);
        assert_eq!(p.type_char('C'), None, "C, C1 or C2");
        assert_eq!(p.type_char('1'), Some(Code::C1));
        assert_eq!(picker(true).type_char('/'), Some(Code::PresentAm));
        // M begins "medical": it waits, highlighted, for enter.
        let mut p = picker(true);
        assert_eq!(p.type_char('M'), None);
        assert_eq!(p.chosen_on_enter(), Some(Code::M));
        let mut p = picker(true);
        p.type_char('C');
        assert_eq!(p.chosen_on_enter(), Some(Code::C));
    }

    #[test]
    fn a_word_in_capitals_is_a_word_and_never_saves_the_code_it_begins_with() {
        let mut p = picker(true);
        for c in "SICK".chars() {
            assert_eq!(p.type_char(c), None, "{c}: caps lock typing a word");
        }
        assert_eq!(
            p.chosen_on_enter(),
            Some(Code::I),
            "{:?}",
            p.visible().first()
        );
        // Backspace takes the letters back off the word.
        p.erase();
        p.erase();
        p.erase();
        assert_eq!(p.chosen_on_enter(), Some(Code::S));
        let mut p = picker(true);
        for c in "DENTIST".chars() {
            assert_eq!(p.type_char(c), None);
        }
        assert_eq!(p.chosen_on_enter(), Some(Code::M));
    }

    #[test]
    fn teachers_see_office_codes_greyed_and_nobody_sees_withdrawn_ones() {
        let p = picker(false);
        let allowed: Vec<&str> = picker_rows(&p)
            .iter()
            .filter_map(|r| match r {
                PickerRow::Code {
                    info, unavailable, ..
                } => unavailable.is_none().then_some(info.code.as_str()),
                PickerRow::Group(_) => None,
            })
            .collect();
        assert_eq!(allowed, ["/", "L", "N"]);
        assert!(
            p.visible().iter().any(|i| i.code == Code::M),
            "shown, greyed"
        );
        assert!(!p.may(Code::M));
        let office: Vec<&str> = picker(true)
            .visible()
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert!(office.contains(&"M") && !office.contains(&"H") && !office.contains(&"\\\\"));
    }

    #[test]
    fn everyday_words_find_their_codes() {
        for (word, code) in [
            ("sick", "I"),
            ("dentist", "M"),
            ("doctor", "M"),
            ("trip", "V"),
        ] {
            let mut p = picker(true);
            for c in word.chars() {
                p.type_char(c);
            }
            let codes: Vec<&str> = p.visible().iter().map(|i| i.code.as_str()).collect();
            assert_eq!(codes.first(), Some(&code), "{word}: {codes:?}");
        }
    }
}

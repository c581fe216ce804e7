//! Key bindings: compiled-in defaults from `keymaps/*.toml`, a user's file merged over them key
//! by key, and help generated from whatever is in force.
//!
//! Every problem in a keymap file is reported with the file, line, key and action. A user file
//! with problems is never half-applied: the defaults are used and the app says so on screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use toml::Spanned;

pub const DEFAULT_TOML: &str = include_str!("../keymaps/default.toml");
pub const VIM_TOML: &str = include_str!("../keymaps/vim.toml");

/// The views a keymap has a section for. `Global` keys apply wherever a view does not bind
/// the same key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    ClassList,
    Register,
    Picker,
    Dialog,
    SignIn,
    NQueue,
    Help,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Global,
        Section::ClassList,
        Section::Register,
        Section::Picker,
        Section::Dialog,
        Section::SignIn,
        Section::NQueue,
        Section::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::ClassList => "class_list",
            Section::Register => "register",
            Section::Picker => "picker",
            Section::Dialog => "dialog",
            Section::SignIn => "sign_in",
            Section::NQueue => "n_queue",
            Section::Help => "help",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Global => "Everywhere",
            Section::ClassList => "Class list",
            Section::Register => "Register",
            Section::Picker => "Code picker",
            Section::Dialog => "Dialogs",
            Section::SignIn => "Late sign-in",
            Section::NQueue => "N queue",
            Section::Help => "Help",
        }
    }

    /// Views with a text field: printable keys type into it, so only keys that do not print
    /// (enter, esc, arrows, ctrl+...) are looked up here.
    pub fn takes_text(self) -> bool {
        matches!(self, Section::Picker | Section::Dialog | Section::SignIn)
    }
}

/// What a key can be bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAction {
    Quit,
    Help,
    Back,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Search,
    Open,
    OtherSession,
    PreviousDay,
    NextDay,
    Today,
    LateSignIn,
    NQueue,
    Present,
    Late,
    Absent,
    CodePicker,
    AllPresent,
    Undo,
    AdjustTime,
    CloseRegister,
    Amend,
    Choose,
    Confirm,
    Cancel,
    Resolve,
    OverdueToO,
}

use KeyAction as A;
use Section as S;

const LISTS: &[Section] = &[
    S::Global,
    S::ClassList,
    S::Register,
    S::Picker,
    S::Dialog,
    S::SignIn,
    S::NQueue,
    S::Help,
];

/// Name, description and the views each action belongs to.
const ACTIONS: &[(KeyAction, &str, &str, &[Section])] = &[
    (
        A::Quit,
        "quit",
        "leave rollcall (everything is already saved)",
        &[S::Global],
    ),
    (A::Help, "help", "show the keys in force", &[S::Global]),
    (
        A::Back,
        "back",
        "back to the previous view",
        &[
            S::Global,
            S::ClassList,
            S::Register,
            S::SignIn,
            S::NQueue,
            S::Help,
        ],
    ),
    (
        A::Refresh,
        "refresh",
        "reload from the database",
        &[S::Global, S::ClassList, S::Register, S::SignIn, S::NQueue],
    ),
    (A::Up, "up", "move up", LISTS),
    (A::Down, "down", "move down", LISTS),
    (A::PageUp, "page_up", "move up a page", LISTS),
    (A::PageDown, "page_down", "move down a page", LISTS),
    (A::Top, "top", "first row", LISTS),
    (A::Bottom, "bottom", "last row", LISTS),
    (
        A::Search,
        "search",
        "jump by typing a name",
        &[S::ClassList, S::Register],
    ),
    (
        A::Open,
        "open",
        "open the group's register for the session",
        &[S::ClassList],
    ),
    (
        A::OtherSession,
        "other_session",
        "switch between AM and PM",
        &[S::ClassList, S::Register],
    ),
    (
        A::PreviousDay,
        "previous_day",
        "previous school day",
        &[S::ClassList],
    ),
    (A::NextDay, "next_day", "next school day", &[S::ClassList]),
    (A::Today, "today", "back to today", &[S::ClassList]),
    (
        A::LateSignIn,
        "late_sign_in",
        "sign a late arrival in (office)",
        &[S::Global, S::ClassList, S::Register, S::NQueue],
    ),
    (
        A::NQueue,
        "n_queue",
        "unresolved N marks, oldest first (office)",
        &[S::Global, S::ClassList, S::Register, S::SignIn],
    ),
    (
        A::Present,
        "present",
        "present (/ AM, \\ PM) and next pupil",
        &[S::Register],
    ),
    (
        A::Late,
        "late",
        "late, arriving now, and next pupil",
        &[S::Register],
    ),
    (
        A::Absent,
        "absent",
        "absent, no reason yet (N), and next pupil",
        &[S::Register],
    ),
    (
        A::CodePicker,
        "code_picker",
        "choose any code",
        &[S::Register],
    ),
    (
        A::AllPresent,
        "all_present",
        "every unmarked pupil present",
        &[S::Register],
    ),
    (A::Undo, "undo", "undo the last mark", &[S::Register]),
    (
        A::AdjustTime,
        "adjust_time",
        "change the arrival time",
        &[S::Register],
    ),
    (
        A::CloseRegister,
        "close_register",
        "close the register: blanks become N",
        &[S::Register],
    ),
    (
        A::Amend,
        "amend",
        "amend the mark, with its history",
        &[S::Register],
    ),
    (
        A::Choose,
        "choose",
        "choose the highlighted row",
        &[S::Picker, S::SignIn],
    ),
    (A::Confirm, "confirm", "confirm", &[S::Dialog]),
    (A::Cancel, "cancel", "cancel", &[S::Picker, S::Dialog]),
    (
        A::Resolve,
        "resolve",
        "resolve the N with a reason code",
        &[S::NQueue],
    ),
    (
        A::OverdueToO,
        "overdue_to_o",
        "every overdue N becomes O (no reason established)",
        &[S::NQueue],
    ),
];

impl KeyAction {
    fn info(self) -> &'static (KeyAction, &'static str, &'static str, &'static [Section]) {
        ACTIONS
            .iter()
            .find(|(a, ..)| *a == self)
            .expect("every action is in the table")
    }

    pub fn name(self) -> &'static str {
        self.info().1
    }

    pub fn description(self) -> &'static str {
        self.info().2
    }

    pub fn from_name(name: &str) -> Option<KeyAction> {
        ACTIONS
            .iter()
            .find(|(_, n, ..)| *n == name)
            .map(|(a, ..)| *a)
    }

    pub fn allowed_in(self, section: Section) -> bool {
        self.info().3.contains(&section)
    }
}

/// A key as bindings see it: the character carries its case, so shift only marks other keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

/// KeyCode with an order, for stable help listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    /// The key of a terminal key event, or `None` for keys rollcall never binds.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) if ctrl || alt => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::BackTab => return Some(Key::named(KeyCode::Tab, ctrl, alt, true)),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => {
                let index = NAMED.iter().position(|(_, k)| *k == other)?;
                KeyCodeOrd::Named(index as u8)
            }
        };
        let shift = shift && !matches!(code, KeyCodeOrd::Char(_));
        Some(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    fn named(code: KeyCode, ctrl: bool, alt: bool, shift: bool) -> Key {
        let index = NAMED.iter().position(|(_, k)| *k == code).unwrap_or(0);
        Key {
            code: KeyCodeOrd::Named(index as u8),
            ctrl,
            alt,
            shift,
        }
    }

    /// The character a key types, if it types one.
    pub fn printable(&self) -> Option<char> {
        match self.code {
            KeyCodeOrd::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// Parses `"L"`, `"ctrl+z"`, `"shift+tab"`, `"space"`, `"f1"`...
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl+")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt+")
                .or_else(|| lower.strip_prefix("a-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("shift+")
                .or_else(|| lower.strip_prefix("s-"))
            {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if ctrl || alt {
                    c.to_ascii_lowercase()
                } else if shift {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                shift = false;
                KeyCodeOrd::Char(c)
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                if lower == "space" {
                    shift = false;
                    KeyCodeOrd::Char(' ')
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if !(1..=12).contains(&n) {
                        return Err(format!(
                            "`{text}` is not a key: function keys are f1 to f12"
                        ));
                    }
                    KeyCodeOrd::F(n)
                } else if let Some(i) = NAMED.iter().position(|(name, _)| *name == lower) {
                    KeyCodeOrd::Named(i as u8)
                } else {
                    return Err(format!(
                        "`{text}` is not a key name (a single character, or enter, esc, tab, space, backspace, \
                         delete, insert, up, down, left, right, home, end, pageup, pagedown, f1-f12, with ctrl+, alt+ or shift+)"
                    ));
                }
            }
        };
        Ok(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    /// How help and the status line show the key.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl+");
        }
        if self.alt {
            s.push_str("alt+");
        }
        if self.shift {
            s.push_str("shift+");
        }
        match self.code {
            KeyCodeOrd::Char(' ') => s.push_str("space"),
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("f{n}")),
            KeyCodeOrd::Named(i) => s.push_str(NAMED[i as usize].0),
        }
        s
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// One problem in a keymap file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub section: String,
    pub key: String,
    pub action: String,
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{}:{}: [{}] \"{}\" = \"{}\": {}",
                self.file, self.line, self.section, self.key, self.action, self.message
            )
        }
    }
}

type RawSection = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeymap {
    preset: Option<Spanned<String>>,
    global: Option<RawSection>,
    class_list: Option<RawSection>,
    register: Option<RawSection>,
    picker: Option<RawSection>,
    dialog: Option<RawSection>,
    sign_in: Option<RawSection>,
    n_queue: Option<RawSection>,
    help: Option<RawSection>,
}

/// One file's bindings, checked, before merging.
struct Layer {
    preset: Option<String>,
    /// `None` unbinds the key.
    bindings: Vec<(Section, Key, Option<KeyAction>)>,
}

fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn parse_layer(file: &str, source: &str) -> Result<Layer, Vec<KeymapError>> {
    let raw: RawKeymap = toml::from_str(source).map_err(|e| {
        vec![KeymapError {
            file: file.to_string(),
            line: e.span().map_or(1, |s| line_of(source, s.start)),
            section: String::new(),
            key: String::new(),
            action: String::new(),
            message: e.message().to_string(),
        }]
    })?;
    let mut errors = Vec::new();
    let preset = match &raw.preset {
        Some(p) if !["default", "vim"].contains(&p.get_ref().as_str()) => {
            errors.push(KeymapError {
                file: file.to_string(),
                line: line_of(source, p.span().start),
                section: String::new(),
                key: String::new(),
                action: String::new(),
                message: format!(
                    "preset `{}` does not exist: use \"default\" or \"vim\"",
                    p.get_ref()
                ),
            });
            None
        }
        Some(p) => Some(p.get_ref().clone()),
        None => None,
    };
    let sections = [
        (S::Global, &raw.global),
        (S::ClassList, &raw.class_list),
        (S::Register, &raw.register),
        (S::Picker, &raw.picker),
        (S::Dialog, &raw.dialog),
        (S::SignIn, &raw.sign_in),
        (S::NQueue, &raw.n_queue),
        (S::Help, &raw.help),
    ];
    let mut bindings = Vec::new();
    for (section, entries) in sections {
        let Some(entries) = entries else { continue };
        // The first spelling of each key in this section, to report two spellings of one key.
        let mut seen: HashMap<Key, (String, String, usize)> = HashMap::new();
        let mut ordered: Vec<_> = entries.iter().collect();
        ordered.sort_by_key(|(k, _)| k.span().start);
        for (key_text, action_text) in ordered {
            let line = line_of(source, key_text.span().start);
            let error = |message: String| KeymapError {
                file: file.to_string(),
                line,
                section: section.name().to_string(),
                key: key_text.get_ref().clone(),
                action: action_text.get_ref().clone(),
                message,
            };
            let key = match Key::parse(key_text.get_ref()) {
                Ok(k) => k,
                Err(message) => {
                    errors.push(error(message));
                    continue;
                }
            };
            let action = if action_text.get_ref() == "none" {
                None
            } else {
                match KeyAction::from_name(action_text.get_ref()) {
                    Some(a) if a.allowed_in(section) => Some(a),
                    Some(a) => {
                        let here: Vec<&str> = ACTIONS
                            .iter()
                            .filter(|(_, _, _, s)| s.contains(&section))
                            .map(|(_, n, ..)| *n)
                            .collect();
                        errors.push(error(format!(
                            "`{}` is not an action of the {} view (its actions: {})",
                            a.name(),
                            section.title().to_lowercase(),
                            here.join(", ")
                        )));
                        continue;
                    }
                    None => {
                        errors.push(error(format!(
                            "unknown action `{}` (see the list with ? in the app, or keymaps/default.toml)",
                            action_text.get_ref()
                        )));
                        continue;
                    }
                }
            };
            if let Some((first_key, first_action, first_line)) = seen.get(&key) {
                errors.push(error(format!(
                    "`{}` is the same key as \"{first_key}\" (line {first_line}), already bound to `{first_action}`: \
                     one key can do one thing in a view",
                    key_text.get_ref()
                )));
                continue;
            }
            seen.insert(
                key,
                (
                    key_text.get_ref().clone(),
                    action_text.get_ref().clone(),
                    line,
                ),
            );
            bindings.push((section, key, action));
        }
    }
    if errors.is_empty() {
        Ok(Layer { preset, bindings })
    } else {
        Err(errors)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Keymap {
    bindings: HashMap<(Section, Key), KeyAction>,
    /// Keys in the order they were bound, for help and the status line.
    order: Vec<(Section, Key)>,
    /// Where each layer came from, for the help screen.
    pub sources: Vec<String>,
}

impl Keymap {
    fn apply(&mut self, layer: &Layer) {
        for (section, key, action) in &layer.bindings {
            match action {
                Some(a) => {
                    if self.bindings.insert((*section, *key), *a).is_none() {
                        self.order.push((*section, *key));
                    }
                }
                None => {
                    self.bindings.remove(&(*section, *key));
                    self.order.retain(|k| *k != (*section, *key));
                }
            }
        }
    }

    fn preset(name: &str) -> Keymap {
        let mut keymap = Keymap::default();
        let default =
            parse_layer("keymaps/default.toml", DEFAULT_TOML).expect("the default keymap is valid");
        keymap.apply(&default);
        keymap
            .sources
            .push("keymaps/default.toml (built in)".into());
        if name == "vim" {
            let vim = parse_layer("keymaps/vim.toml", VIM_TOML).expect("the vim keymap is valid");
            keymap.apply(&vim);
            keymap.sources.push("keymaps/vim.toml (built in)".into());
        }
        keymap
    }

    /// The built-in defaults.
    pub fn defaults() -> Keymap {
        Keymap::preset("default")
    }

    /// The defaults with a user's file merged over them, key by key. With any problem in the
    /// file, the defaults alone and every problem found.
    pub fn with_user_file(file: &str, source: &str) -> (Keymap, Vec<KeymapError>) {
        match parse_layer(file, source) {
            Ok(layer) => {
                let mut keymap = Keymap::preset(layer.preset.as_deref().unwrap_or("default"));
                keymap.apply(&layer);
                keymap.sources.push(format!("{file} (yours)"));
                (keymap, Vec::new())
            }
            Err(errors) => (Keymap::defaults(), errors),
        }
    }

    /// The action for a key in a view. In views with a text field a printable key types.
    pub fn lookup(&self, section: Section, key: &Key) -> Option<KeyAction> {
        if section.takes_text() && key.printable().is_some() {
            return None;
        }
        self.bindings
            .get(&(section, *key))
            .or_else(|| self.bindings.get(&(Section::Global, *key)))
            .copied()
    }

    /// Keys bound to an action in a view (the view's own first, then global ones it does not
    /// override).
    pub fn keys_for(&self, section: Section, action: KeyAction) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .order
            .iter()
            .filter(|(s, k)| *s == section && self.bindings.get(&(*s, *k)) == Some(&action))
            .map(|(_, k)| *k)
            .collect();
        for (s, k) in &self.order {
            if *s == Section::Global
                && self.bindings.get(&(*s, *k)) == Some(&action)
                && !self.bindings.contains_key(&(section, *k))
                && !(section.takes_text() && k.printable().is_some())
            {
                keys.push(*k);
            }
        }
        keys
    }

    /// The first key for an action, as the status line shows it.
    pub fn key_label(&self, section: Section, action: KeyAction) -> Option<String> {
        self.keys_for(section, action).first().map(Key::label)
    }

    /// Help for a view, generated from the bindings in force: (keys, description) rows.
    pub fn help(&self, section: Section) -> Vec<(String, String)> {
        let mut rows = Vec::new();
        for (action, _, description, sections) in ACTIONS {
            let applies = sections.contains(&section) || sections.contains(&Section::Global);
            if !applies {
                continue;
            }
            let keys = self.keys_for(section, *action);
            if keys.is_empty() {
                continue;
            }
            let labels: Vec<String> = keys.iter().map(Key::label).collect();
            rows.push((labels.join(", "), description.to_string()));
        }
        rows
    }
}

/// Loads the keymap for the app: `--keymap FILE`, else keymap.toml in the configuration
/// directory if there is one, over the defaults. Problems come back as lines to show on screen.
pub fn load(
    explicit: Option<&std::path::Path>,
    config_dir: Option<&std::path::Path>,
) -> (Keymap, Vec<String>) {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => config_dir
            .map(|d| d.join("keymap.toml"))
            .filter(|p| p.exists()),
    };
    let Some(path) = path else {
        return (Keymap::defaults(), Vec::new());
    };
    let name = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(source) => {
            let (keymap, errors) = Keymap::with_user_file(&name, &source);
            let mut notices: Vec<String> = errors.iter().map(ToString::to_string).collect();
            if !notices.is_empty() {
                notices.push(format!("{name} was not applied: using the default keys"));
            }
            (keymap, notices)
        }
        Err(e) => (
            Keymap::defaults(),
            vec![format!("{name}: {e}: using the default keys")],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn both_built_in_presets_are_valid() {
        assert!(parse_layer("default", DEFAULT_TOML).is_ok());
        assert!(parse_layer("vim", VIM_TOML).is_ok());
        let (vim, errors) = Keymap::with_user_file("mine.toml", "preset = \"vim\"\n");
        assert!(errors.is_empty());
        assert_eq!(
            vim.lookup(Section::Register, &key("p")),
            Some(KeyAction::Present)
        );
        assert_eq!(
            vim.lookup(Section::Register, &key("space")),
            Some(KeyAction::Present)
        );
    }

    #[test]
    fn keys_from_the_terminal_match_keys_from_files() {
        let l = Key::from_event(&event(KeyCode::Char('L'), KeyModifiers::SHIFT)).unwrap();
        assert_eq!(l, key("L"));
        assert_eq!(l, key("shift+l"));
        let z = Key::from_event(&event(KeyCode::Char('z'), KeyModifiers::CONTROL)).unwrap();
        assert_eq!(z, key("ctrl+z"));
        assert_eq!(z, key("C-z"));
        let back = Key::from_event(&event(KeyCode::BackTab, KeyModifiers::SHIFT)).unwrap();
        assert_eq!(back, key("shift+tab"));
        assert_eq!(
            Key::from_event(&event(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(key("space"))
        );
        assert_eq!(key("pagedown").label(), "pagedown");
    }

    #[test]
    fn the_default_register_keys_mark_in_one_stroke() {
        let k = Keymap::defaults();
        assert_eq!(
            k.lookup(Section::Register, &key("space")),
            Some(KeyAction::Present)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("L")),
            Some(KeyAction::Late)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("N")),
            Some(KeyAction::Absent)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("A")),
            Some(KeyAction::AllPresent)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("esc")),
            Some(KeyAction::Back)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("k")),
            None,
            "lowercase letters jump"
        );
    }

    #[test]
    fn printable_keys_type_in_views_with_a_text_field() {
        let k = Keymap::defaults();
        assert_eq!(k.lookup(Section::Picker, &key("?")), None);
        assert_eq!(
            k.lookup(Section::Picker, &key("esc")),
            Some(KeyAction::Cancel)
        );
        assert_eq!(k.lookup(Section::Dialog, &key("up")), Some(KeyAction::Up));
    }

    #[test]
    fn a_user_file_overrides_key_by_key_and_can_unbind() {
        let (k, errors) = Keymap::with_user_file(
            "keymap.toml",
            "[register]\n\"p\" = \"present\"\n\"space\" = \"none\"\n\"L\" = \"absent\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            k.lookup(Section::Register, &key("p")),
            Some(KeyAction::Present)
        );
        assert_eq!(k.lookup(Section::Register, &key("space")), None);
        assert_eq!(
            k.lookup(Section::Register, &key("enter")),
            Some(KeyAction::Present)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("L")),
            Some(KeyAction::Absent)
        );
        assert_eq!(
            k.keys_for(Section::Register, KeyAction::Present),
            [key("enter"), key("p")]
        );
    }

    #[test]
    fn an_unknown_action_is_reported_with_file_line_key_and_action() {
        let (k, errors) = Keymap::with_user_file("my.toml", "[register]\n\n\"p\" = \"presnt\"\n");
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert_eq!(
            text,
            "my.toml:3: [register] \"p\" = \"presnt\": unknown action `presnt` (see the list with ? in the app, or keymaps/default.toml)"
        );
        assert_eq!(
            k.lookup(Section::Register, &key("space")),
            Some(KeyAction::Present),
            "defaults in force"
        );
    }

    #[test]
    fn an_unknown_key_name_is_reported() {
        let (_, errors) =
            Keymap::with_user_file("my.toml", "[register]\n\"ctrl+spacebar\" = \"present\"\n");
        let text = errors[0].to_string();
        assert!(text.starts_with("my.toml:2: [register] \"ctrl+spacebar\" = \"present\": `ctrl+spacebar` is not a key name"), "{text}");
    }

    #[test]
    fn two_actions_on_one_key_in_one_view_is_a_conflict() {
        let (_, errors) = Keymap::with_user_file(
            "my.toml",
            "[register]\n\"ctrl+z\" = \"undo\"\n\"C-z\" = \"late\"\n",
        );
        let text = errors[0].to_string();
        assert!(
            text.starts_with("my.toml:3: [register] \"C-z\" = \"late\":"),
            "{text}"
        );
        assert!(
            text.contains("same key as \"ctrl+z\" (line 2), already bound to `undo`"),
            "{text}"
        );
        let (_, errors) = Keymap::with_user_file(
            "my.toml",
            "[register]\n\"x\" = \"undo\"\n\"x\" = \"late\"\n",
        );
        assert!(
            errors[0].to_string().starts_with("my.toml:3:"),
            "{:?}",
            errors
        );
    }

    #[test]
    fn an_action_in_the_wrong_view_and_an_unknown_view_are_reported() {
        let (_, errors) = Keymap::with_user_file("my.toml", "[class_list]\n\"p\" = \"present\"\n");
        assert!(
            errors[0]
                .to_string()
                .contains("`present` is not an action of the class list view")
        );
        let (_, errors) = Keymap::with_user_file("my.toml", "[registr]\n\"p\" = \"present\"\n");
        assert!(
            errors[0]
                .to_string()
                .starts_with("my.toml:1: unknown field `registr`"),
            "{:?}",
            errors
        );
    }

    #[test]
    fn help_lists_the_live_bindings() {
        let (k, _) = Keymap::with_user_file("my.toml", "[register]\n\"P\" = \"present\"\n");
        let help = k.help(Section::Register);
        let present = help.iter().find(|(_, d)| d.starts_with("present")).unwrap();
        assert_eq!(present.0, "space, enter, P");
        assert!(
            help.iter()
                .any(|(keys, d)| keys == "ctrl+c" && d.starts_with("leave"))
        );
    }
}

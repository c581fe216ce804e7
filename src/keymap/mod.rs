//! Key bindings: compiled-in defaults from `keymaps/*.toml`, a user's file merged over them key
//! by key, and help generated from whatever is in force.
//!
//! Every problem in a keymap file is reported with the file, line, key and action. A user file
//! with problems is never half-applied: the defaults are used and the app says so on screen.

mod actions;

pub use actions::{KeyAction, Section};
pub use key::Key;

mod key;

use actions::{ACTIONS, RawKeymap};
use std::collections::HashMap;
use std::fmt;

pub const DEFAULT_TOML: &str = include_str!("../../keymaps/default.toml");
pub const VIM_TOML: &str = include_str!("../../keymaps/vim.toml");
const VIM_FILE: &str = "keymaps/vim.toml";

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
    for name in raw.unknown.keys() {
        let views: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
        errors.push(KeymapError {
            file: file.to_string(),
            line: source
                .lines()
                .position(|l| {
                    let l = l.trim();
                    l.trim_start_matches('[').trim_end_matches(']').trim() == name
                        || l.starts_with(name.as_str())
                })
                .map_or(1, |i| i + 1),
            section: name.clone(),
            key: String::new(),
            action: String::new(),
            message: format!(
                "`{name}` is not a view: the views are {}, and `preset`",
                views.join(", ")
            ),
        });
    }
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
    let mut bindings = Vec::new();
    for (section, entries) in raw.sections() {
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
            // In a list of pupils letters type a name; only a preset that chooses letters
            // as commands (vim) may bind them.
            let vim = file == VIM_FILE || preset.as_deref() == Some("vim");
            if section.finds_names()
                && !vim
                && action.is_some()
                && key.printable().is_some_and(char::is_alphabetic)
            {
                errors.push(error(format!(
                    "letters type a pupil's name in the {} view, so that typing a name never acts on anyone: bind `{}` to a key no name holds (a symbol, ctrl+ a letter, or f1-f12), or choose preset = \"vim\"",
                    section.name().replace('_', " "),
                    action_text.get_ref()
                )));
                continue;
            }
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

#[derive(Clone, Debug)]
pub struct Keymap {
    /// In the register, letters (and, during a search, the other characters of names) type a
    /// pupil's name and are never commands. False only in the vim preset.
    pub names_typed: bool,
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
        let mut keymap = Keymap {
            names_typed: true,
            bindings: HashMap::new(),
            order: Vec::new(),
            sources: Vec::new(),
        };
        let default =
            parse_layer("keymaps/default.toml", DEFAULT_TOML).expect("the default keymap is valid");
        keymap.apply(&default);
        keymap
            .sources
            .push("keymaps/default.toml (built in)".into());
        if name == "vim" {
            let vim = parse_layer(VIM_FILE, VIM_TOML).expect("the vim keymap is valid");
            keymap.names_typed = false;
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
                let trapped = keymap.views_without_quit();
                if trapped.is_empty() {
                    return (keymap, Vec::new());
                }
                // A keymap nobody can leave is refused whole, like any other mistake.
                let errors = trapped
                    .into_iter()
                    .map(|section| KeymapError {
                        file: file.to_string(),
                        line: 1,
                        section: section.name().to_string(),
                        key: String::new(),
                        action: "quit".into(),
                        message: format!(
                            "no key quits rollcall in the {} view: keep \"ctrl+c\" = \"quit\" under [global], or bind quit to another key that does not type",
                            section.title().to_lowercase()
                        ),
                    })
                    .collect();
                (Keymap::defaults(), errors)
            }
            Err(errors) => (Keymap::defaults(), errors),
        }
    }

    /// The action for a key in a view. In views with a text field a printable key types.
    pub fn lookup(&self, section: Section, key: &Key) -> Option<KeyAction> {
        if section.takes_text() && key.printable().is_some() {
            return None;
        }
        if section.finds_names() && self.names_typed && Keymap::is_letter(key) {
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
                && !(section.finds_names() && self.names_typed && Keymap::is_letter(k))
            {
                keys.push(*k);
            }
        }
        keys
    }

    /// A letter, in either case, with no ctrl or alt: in the register, part of a name.
    pub fn is_letter(key: &Key) -> bool {
        key.printable().is_some_and(char::is_alphabetic)
    }

    /// Views in which no key quits: a keymap with any is refused.
    fn views_without_quit(&self) -> Vec<Section> {
        Section::ALL
            .iter()
            .copied()
            .filter(|s| self.keys_for(*s, KeyAction::Quit).is_empty())
            .collect()
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
    match crate::files::read_utf8(&path) {
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
            vec![format!("{e}: using the default keys")],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn both_built_in_presets_are_valid() {
        assert!(parse_layer("default", DEFAULT_TOML).is_ok());
        assert!(parse_layer(VIM_FILE, VIM_TOML).is_ok());
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
    fn the_default_register_keys_mark_in_one_stroke_on_keys_no_name_holds() {
        let k = Keymap::defaults();
        for (name, action) in [
            ("space", KeyAction::Present),
            ("/", KeyAction::Present),
            ("+", KeyAction::Late),
            ("!", KeyAction::Absent),
            ("*", KeyAction::AllPresent),
            ("enter", KeyAction::CodePicker),
            ("esc", KeyAction::Back),
        ] {
            assert_eq!(
                k.lookup(Section::Register, &key(name)),
                Some(action),
                "{name}"
            );
        }
        for letter in ["k", "L", "N", "A", "C", "X", "T", "E"] {
            assert_eq!(
                k.lookup(Section::Register, &key(letter)),
                None,
                "{letter} types a name"
            );
        }
    }

    #[test]
    fn letters_cannot_be_bound_to_marking_in_the_register_except_by_the_vim_preset() {
        let (k, errors) =
            Keymap::with_user_file("keymap.toml", "[register]\n\"p\" = \"present\"\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .contains("letters type a pupil's name in the register view"),
            "{}",
            errors[0]
        );
        assert_eq!(k.lookup(Section::Register, &key("p")), None);
        let (vim, errors) = Keymap::with_user_file(
            "keymap.toml",
            "preset = \"vim\"\n[register]\n\"d\" = \"absent\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            vim.lookup(Section::Register, &key("d")),
            Some(KeyAction::Absent)
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
            "[register]\n\".\" = \"present\"\n\"space\" = \"none\"\n\"+\" = \"absent\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            k.lookup(Section::Register, &key(".")),
            Some(KeyAction::Present)
        );
        assert_eq!(k.lookup(Section::Register, &key("space")), None);
        assert_eq!(
            k.lookup(Section::Register, &key("/")),
            Some(KeyAction::Present)
        );
        assert_eq!(
            k.lookup(Section::Register, &key("+")),
            Some(KeyAction::Absent)
        );
        assert_eq!(
            k.keys_for(Section::Register, KeyAction::Present),
            [key("/"), key("\\"), key(".")]
        );
    }

    #[test]
    fn an_unknown_action_is_reported_with_file_line_key_and_action() {
        let (k, errors) = Keymap::with_user_file("my.toml", "[register]\n\n\".\" = \"presnt\"\n");
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert_eq!(
            text,
            "my.toml:3: [register] \".\" = \"presnt\": unknown action `presnt` (see the list with ? in the app, or keymaps/default.toml)"
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
                .starts_with("my.toml:1: `registr` is not a view"),
            "{:?}",
            errors
        );
    }

    #[test]
    fn help_lists_the_live_bindings() {
        let (k, _) = Keymap::with_user_file("my.toml", "[register]\n\"f5\" = \"present\"\n");
        let help = k.help(Section::Register);
        let present = help.iter().find(|(_, d)| d.starts_with("present")).unwrap();
        assert_eq!(present.0, "space, /, \\, f5");
        assert!(
            help.iter()
                .any(|(keys, d)| keys == "ctrl+c" && d.starts_with("leave"))
        );
    }

    #[test]
    fn a_keymap_nobody_can_leave_is_refused_whole() {
        let (k, errors) = Keymap::with_user_file(
            "trap.toml",
            "[global]\n\"ctrl+c\" = \"none\"\n\"esc\" = \"none\"\n",
        );
        assert!(!errors.is_empty());
        let text = errors[0].to_string();
        assert!(
            text.starts_with("trap.toml:1: no key quits rollcall"),
            "{text}"
        );
        assert_eq!(
            k.lookup(Section::Register, &key("ctrl+c")),
            Some(KeyAction::Quit),
            "the defaults are in force"
        );
        // Quit on another key that does not type is fine.
        let (_, errors) = Keymap::with_user_file(
            "mine.toml",
            "[global]\n\"ctrl+c\" = \"none\"\n\"ctrl+q\" = \"quit\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
}

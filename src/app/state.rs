//! The app's state: what every screen shares, the class list (home), the screen on show and
//! the one it was opened from, and the dialog over it. It changes only in `update`.

use super::action::{Action, Effect};
use super::alerts::{self, AlertsScreen};
use super::casework::{self, CaseworkScreen};
use super::class_list::{self, ClassListScreen};
use super::import;
use super::lesson::{self, LessonScreen};
use super::missing::{self, MissingScreen};
use super::modal::{ConfirmState, Modal};
use super::n_queue::{self, NQueueScreen};
use super::nav::NameJump;
use super::on_site::{self, OnSiteScreen};
use super::pupil::{self, PupilScreen};
use super::pupil_search::PupilSearchScreen;
use super::register::{self, RegisterScreen, is_name_char};
use super::reports::ReportsScreen;
use super::shared::Shared;
use super::sign_in::{self, SignInScreen};
use super::stages::{self, StagesScreen};
use super::today::{self, TodayScreen};
use super::week::{self, WeekScreen};
use crate::domain::codes::default_teacher_codes;
use crate::keymap::{Key, KeyAction, Keymap, Section};
use crate::service::protocol::Hello;
use chrono::NaiveDateTime;

/// The smallest terminal the views are laid out for. Below it the screen says so and only
/// quit and help do anything: a key must never act on a view nobody can see.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

// One screen and one modal exist at a time, so variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Screen {
    ClassList,
    Register(RegisterScreen),
    SignIn(SignInScreen),
    PupilSearch(PupilSearchScreen),
    NQueue(NQueueScreen),
    Alerts(AlertsScreen),
    Today(TodayScreen),
    OnSite(OnSiteScreen),
    Reports(ReportsScreen),
    Pupil(PupilScreen),
    Week(WeekScreen),
    Stages(StagesScreen),
    Casework(CaseworkScreen),
    Lesson(LessonScreen),
    Missing(MissingScreen),
}

/// The question an open dialog asks, by the owner that asked it: each owner defines its
/// own, and its answer goes back to it (`update::answered`).
#[derive(Clone, Debug)]
pub enum Ask {
    ClassList(class_list::Ask),
    Register(register::Ask),
    SignIn(sign_in::Ask),
    NQueue(n_queue::Ask),
    Alerts(alerts::Ask),
    Today(today::Ask),
    OnSite(on_site::Ask),
    Pupil(pupil::Ask),
    Week(week::Ask),
    Stages(stages::Ask),
    Casework(casework::Ask),
    Missing(missing::Ask),
    Import(import::Ask),
}

pub struct App {
    /// What every screen may read and change (`app.me`, `app.now`, `app.message` …).
    pub shared: Shared,
    /// The class list, kept while other screens are open: it is where `back` returns.
    pub home: ClassListScreen,
    pub screen: Screen,
    /// The screens a pupil's year or a group's week was opened from, latest last: their
    /// `back` returns to it.
    pub behind: Vec<Screen>,
    pub modal: Option<Modal<Ask>>,
    /// A dialog whose answer went to the server and that comes back, with the words typed
    /// and why, if the server refuses them (a case's step): nothing typed is lost.
    pub retry: Option<Modal<Ask>>,
    /// Something on screen changed elsewhere: reload it once the queued input is handled
    /// ([`Action::Idle`]), so a burst of pushes costs one reload, not one each.
    pub reload_pending: bool,
}

// The shared part is most of what the loop and the views read: `app.now`, not
// `app.shared.now`.
impl std::ops::Deref for App {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Shared {
        &mut self.shared
    }
}

impl App {
    pub fn new(hello: Hello, now: NaiveDateTime, keymap: Keymap, notices: Vec<String>) -> App {
        App {
            shared: Shared {
                me: hello.me,
                school: hello.school,
                teacher_codes: if hello.teacher_codes.is_empty() {
                    default_teacher_codes()
                } else {
                    hello.teacher_codes
                },
                now,
                server: hello.server,
                connection: Ok(()),
                times: None,
                message: None,
                keymap,
                size: (80, 24),
                unconfirmed: Vec::new(),
                outbox: Vec::new(),
                inbox: Vec::new(),
                quit: false,
            },
            home: ClassListScreen::default(),
            screen: Screen::ClassList,
            behind: Vec::new(),
            // Problems with the user's keymap file are read before anything else.
            modal: (!notices.is_empty())
                .then(|| Modal::Confirm(ConfirmState::read("Your keymap", notices))),
            reload_pending: false,
            retry: None,
        }
    }

    /// The effects to run when the app starts.
    pub fn start(&mut self) -> Vec<Effect> {
        let date = self.shared.now.date();
        self.home.date = Some(date);
        class_list::load(date)
    }

    /// The keymap section for the view the keys go to.
    pub fn section(&self) -> Section {
        match &self.modal {
            Some(modal) => modal.section(),
            None => match &self.screen {
                Screen::ClassList => Section::ClassList,
                Screen::Register(_) => Section::Register,
                Screen::SignIn(_) | Screen::PupilSearch(_) => Section::SignIn,
                Screen::NQueue(_) => Section::NQueue,
                Screen::Alerts(_) => Section::Alerts,
                Screen::Today(_) => Section::Today,
                Screen::OnSite(_) => Section::OnSite,
                Screen::Reports(_) => Section::Reports,
                Screen::Pupil(_) => Section::Pupil,
                Screen::Week(_) => Section::Week,
                Screen::Stages(_) => Section::Stages,
                Screen::Casework(_) => Section::Casework,
                // A lesson is marked with the register's own keys.
                Screen::Lesson(_) => Section::Register,
                Screen::Missing(_) => Section::Missing,
            },
        }
    }

    /// Whether the terminal is too small to show a view.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Translates a terminal key into an action for the current view.
    pub fn key_action(&self, key: &Key, backspace: bool) -> Option<Action> {
        if self.too_small() {
            // Nothing can be seen: only leaving or asking for help.
            return match self.keymap.lookup(Section::Global, key) {
                Some(action @ (KeyAction::Quit | KeyAction::Help)) => Some(Action::Key(action)),
                _ => None,
            };
        }
        // In a list of pupils, a name is typed into the search, whatever the keys are bound
        // to: typing a name never acts on anyone.
        if self.section().finds_names() && self.keymap.names_typed {
            let searching = self.name_search().is_some_and(|jump| !jump.is_empty());
            if let Some(c) = key.printable()
                && (c.is_alphabetic() || (searching && is_name_char(c)))
            {
                return Some(Action::Char(c));
            }
            if searching && backspace {
                return Some(Action::Erase);
            }
        }
        if let Some(action) = self.keymap.lookup(self.section(), key) {
            return Some(Action::Key(action));
        }
        if backspace {
            return Some(Action::Erase);
        }
        key.printable().map(Action::Char)
    }

    /// The name being typed in the list of pupils on show, if it has a name search.
    pub fn name_search(&self) -> Option<&NameJump> {
        match &self.screen {
            Screen::Register(r) => Some(&r.jump),
            Screen::NQueue(q) => Some(&q.jump),
            Screen::Today(s) => Some(&s.jump),
            Screen::OnSite(s) => Some(&s.jump),
            Screen::Lesson(s) => Some(&s.jump),
            Screen::Missing(s) => Some(&s.jump),
            _ => None,
        }
    }

    /// Fetches what the screen shows afresh.
    pub fn reload_current(&self) -> Vec<Effect> {
        let today = self.shared.now.date();
        match &self.screen {
            Screen::ClassList => self.home.reload(),
            Screen::Register(r) => vec![register::load(r)],
            Screen::SignIn(s) => vec![s.finder.search(today)],
            Screen::PupilSearch(s) => vec![s.finder.search(today)],
            Screen::NQueue(_) => vec![n_queue::load()],
            Screen::Alerts(_) => vec![alerts::load()],
            Screen::Today(_) => vec![today::load()],
            Screen::OnSite(_) => vec![on_site::load()],
            Screen::Reports(r) => vec![r.reload(today)],
            Screen::Pupil(p) => vec![p.reload()],
            Screen::Week(w) => vec![w.reload()],
            Screen::Stages(_) => vec![stages::load()],
            Screen::Casework(_) => casework::load(),
            Screen::Lesson(s) => vec![lesson::load(s)],
            Screen::Missing(_) => missing::load(today),
        }
    }
}

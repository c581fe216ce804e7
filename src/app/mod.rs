//! The app's state and the one place it changes: [`update`].
//!
//! `update` is pure: it takes the state and an [`Action`] (a key the keymap translated, a
//! character typed, the clock moving, a push from the server, or the reply to a request) and
//! returns [`Effect`]s: requests to make, each with the [`Reply`] that says who handles its
//! answer. The loop that makes them (`tui::Driver`) is the same in the terminal and in tests.
//!
//! This file only routes. Each screen has its own room, holding its state, its keys and what
//! it does with replies: `class_list`, `register/`, `sign_in` (and the pupil search), `n_queue`, `alerts`, `today`,
//! `on_site`, `reports`, `pupil`, `week`, `stages`; the dialogs are in
//! `modal/`; pushes and the clock in `push`; list movement in `nav`. Its drawing is the file of
//! the same name in `ui/`.

mod alerts;
mod class_list;
mod import;
mod modal;
mod n_queue;
mod nav;
mod on_site;
mod pupil;
mod push;
mod register;
mod reports;
mod sign_in;
mod stages;
mod today;
mod week;

pub use alerts::AlertsScreen;
pub use class_list::ClassListScreen;
pub use import::Incoming;
pub use modal::{
    ConfirmPurpose, ConfirmState, InputPurpose, InputState, Modal, PickTarget, PickerRow,
    PickerState, picker_rows,
};
pub use n_queue::{NQueueScreen, OVERDUE_REASON};
pub use nav::ListTop;
pub use on_site::OnSiteScreen;
pub use pupil::PupilScreen;
pub use register::{ClearTarget, RegisterScreen, UndoItem, close_summary_lines, history_lines};
pub use reports::{PERIODS, ReportsScreen, Sort, period_dates};
pub use sign_in::SignInScreen;
pub use stages::StagesScreen;
pub use today::{TodayRow, TodayScreen, days};
pub use week::WeekScreen;

use crate::domain::people::Staff;
use crate::domain::session::{Session, SessionTimes};
use crate::keymap::{Key, KeyAction, Keymap, Section};
use crate::service::ServiceError;
use crate::service::protocol::*;
use chrono::NaiveDateTime;

type Outcome<T> = Result<T, ServiceError>;

/// The smallest terminal the views are laid out for. Below it the screen says so and only
/// quit and help do anything: a key must never act on a view nobody can see.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Everything that can happen to the app.
#[derive(Clone, Debug)]
pub enum Action {
    /// A bound key.
    Key(KeyAction),
    /// A printable key no binding claimed: typing.
    Char(char),
    /// Backspace where nothing binds it: delete a typed character.
    Erase,
    /// The clock moved (a timer fired at a boundary the screen shows).
    Tick(NaiveDateTime),
    Resize(u16, u16),
    /// No input is waiting: time for work deferred until the burst is over.
    Idle,
    /// The answer to an [`Effect`]'s request, for the handler its [`Reply`] names.
    Replied {
        reply: Reply,
        result: Outcome<Response>,
    },
    /// Someone else changed something (pushed by the server).
    Changed(Event),
    /// The connection to the server was lost: nothing is saved until it comes back.
    Disconnected(String),
    /// The connection to the server came back.
    Reconnected,
    /// A file the app asked for (`App::inbox`), as the loop read it.
    FileRead {
        path: String,
        text: Result<String, String>,
    },
}

/// A request `update` wants made, and who handles the reply.
#[derive(Clone, Debug)]
pub struct Effect {
    pub request: Request,
    pub reply: Reply,
}

/// Who handles a reply: the continuation of the input that made the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    ClassList,
    Register,
    /// A mark saved (or put back, `undoing`); the request, to confirm it if its reply is lost.
    Marked {
        undoing: bool,
        request: Box<MarkRequest>,
    },
    /// A late sign-in saved, said with the pupil's name.
    SignedIn {
        name: String,
        request: Box<MarkRequest>,
    },
    /// The current state of a mark whose reply was lost: was it saved?
    Confirmed {
        request: Box<MarkRequest>,
    },
    /// Several marks saved together; `what` says what they did ("marked present").
    MarkedMany {
        what: &'static str,
    },
    /// An undo: the mark as it is now.
    Reverted {
        upn: String,
    },
    /// A mark cleared to blank, as the screen showed it (for undo).
    Cleared {
        target: Box<ClearTarget>,
    },
    Closed,
    /// A sentence to show, then the screen reloaded (cover arranged).
    Done,
    /// A mark's history, for the dialog that asked.
    History,
    Pupils,
    NQueue,
    Alerts,
    Today,
    OnSite,
    Report,
    PupilYear,
    GroupWeek,
    Stages,
    /// A planned absence saved: said, then the screen reloaded.
    Planned,
    /// What a pupil file would change, to confirm.
    PupilPreview {
        file: String,
        csv: Box<String>,
    },
    /// A pupil file imported.
    Imported,
}

impl Effect {
    pub fn new(request: Request, reply: Reply) -> Effect {
        Effect { request, reply }
    }
}

/// What handling one input leads to: the requests to make, and the dialog to show next.
/// A dialog's handler returns the dialog that follows it (itself, another, or none).
#[derive(Debug, Default)]
pub struct Next {
    pub effects: Vec<Effect>,
    pub dialog: Option<Modal>,
}

impl Next {
    pub fn effects(effects: Vec<Effect>) -> Next {
        Next {
            effects,
            dialog: None,
        }
    }

    pub fn dialog(dialog: Modal) -> Next {
        Next {
            effects: Vec::new(),
            dialog: Some(dialog),
        }
    }

    pub fn none() -> Next {
        Next::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

// One screen and one modal exist at a time, so variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Screen {
    ClassList,
    Register(RegisterScreen),
    SignIn(SignInScreen),
    NQueue(NQueueScreen),
    Alerts(AlertsScreen),
    Today(TodayScreen),
    OnSite(OnSiteScreen),
    Reports(ReportsScreen),
    Pupil(PupilScreen),
    Week(WeekScreen),
    Stages(StagesScreen),
}

/// A file the app wants saved (a report as CSV): written by the loop that runs the app, so
/// `update` stays free of I/O.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// A file name, saved in the directory the app was started in.
    pub name: String,
    pub text: String,
}

pub struct App {
    pub me: Staff,
    pub school: String,
    /// The codes this school lets teachers enter.
    pub teacher_codes: Vec<crate::domain::codes::Code>,
    pub now: NaiveDateTime,
    /// Running against a shared server (shown in the header).
    pub server: bool,
    /// `Err` while the server cannot be reached: nothing is saved until it comes back.
    pub connection: Result<(), String>,
    /// The class list, kept while other screens are open: it is where `back` returns.
    pub home: ClassListScreen,
    pub screen: Screen,
    pub modal: Option<Modal>,
    pub message: Option<Message>,
    pub keymap: Keymap,
    pub size: (u16, u16),
    /// Something on screen changed elsewhere: reload it once the queued input is handled
    /// ([`Action::Idle`]), so a burst of pushes costs one reload, not one each.
    pub reload_pending: bool,
    /// Marks sent when the connection was lost, before their reply: checked on reconnecting.
    pub unconfirmed: Vec<MarkRequest>,
    /// Files to save, taken by the loop after each update.
    pub outbox: Vec<Outgoing>,
    /// Files to read, taken by the loop after each update ([`Action::FileRead`] brings each).
    pub inbox: Vec<Incoming>,
    pub quit: bool,
}

impl App {
    pub fn new(hello: Hello, now: NaiveDateTime, keymap: Keymap, notices: Vec<String>) -> App {
        App {
            me: hello.me,
            school: hello.school,
            teacher_codes: if hello.teacher_codes.is_empty() {
                crate::domain::codes::default_teacher_codes()
            } else {
                hello.teacher_codes
            },
            now,
            server: hello.server,
            connection: Ok(()),
            home: ClassListScreen::default(),
            screen: Screen::ClassList,
            // Problems with the user's keymap file are read before anything else.
            modal: (!notices.is_empty()).then(|| {
                Modal::Confirm(ConfirmState {
                    purpose: ConfirmPurpose::Info,
                    title: "Your keymap".into(),
                    lines: notices,
                    scroll: 0,
                })
            }),
            message: None,
            keymap,
            size: (80, 24),
            reload_pending: false,
            unconfirmed: Vec::new(),
            outbox: Vec::new(),
            inbox: Vec::new(),
            quit: false,
        }
    }

    /// The effects to run when the app starts.
    pub fn start(&mut self) -> Vec<Effect> {
        let date = self.now.date();
        self.home.date = Some(date);
        vec![class_list::load(date)]
    }

    /// The keymap section for the view the keys go to.
    pub fn section(&self) -> Section {
        match &self.modal {
            Some(modal) => modal.section(),
            None => match &self.screen {
                Screen::ClassList => Section::ClassList,
                Screen::Register(_) => Section::Register,
                Screen::SignIn(_) => Section::SignIn,
                Screen::NQueue(_) => Section::NQueue,
                Screen::Alerts(_) => Section::Alerts,
                Screen::Today(_) => Section::Today,
                Screen::OnSite(_) => Section::OnSite,
                Screen::Reports(_) => Section::Reports,
                Screen::Pupil(_) => Section::Pupil,
                Screen::Week(_) => Section::Week,
                Screen::Stages(_) => Section::Stages,
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
        // In the register, a name is typed into the search, whatever the keys are bound to:
        // typing a name never marks anyone.
        if self.section() == Section::Register && self.keymap.names_typed {
            let searching = matches!(&self.screen, Screen::Register(r) if !r.jump.is_empty());
            if let Some(c) = key.printable()
                && (c.is_alphabetic() || (searching && register::is_name_char(c)))
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

    /// Rows a page moves, from the terminal height.
    fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(10)).max(1)
    }

    pub fn times(&self, session: Session) -> Option<SessionTimes> {
        self.home
            .data
            .as_ref()
            .map(|d| d.times[session.index() as usize])
    }

    /// The session under way, or next, by the clock.
    pub fn current_session(&self) -> Session {
        match self.times(Session::Pm) {
            Some(pm) if self.now.time() >= pm.opens_at => Session::Pm,
            Some(_) => Session::Am,
            None => Session::Am,
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Info,
            text: text.into(),
        });
    }

    fn error(&mut self, error: &ServiceError) {
        if let ServiceError::Disconnected(why) | ServiceError::Unknown(why) = error {
            self.connection = Err(why.clone());
        }
        self.message = Some(Message {
            kind: MessageKind::Error,
            text: error.to_string(),
        });
    }

    fn error_text(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Error,
            text: text.into(),
        });
    }

    fn is_office(&self) -> bool {
        self.me.role.is_office()
    }

    /// Fetches what the screen shows afresh.
    fn reload_current(&self) -> Vec<Effect> {
        match &self.screen {
            Screen::ClassList => self.home.reload(),
            Screen::Register(r) => vec![r.reload()],
            Screen::SignIn(s) => vec![s.reload(self.now.date())],
            Screen::NQueue(_) => vec![n_queue::load()],
            Screen::Alerts(_) => vec![alerts::load()],
            Screen::Today(_) => vec![today::load()],
            Screen::OnSite(_) => vec![on_site::load()],
            Screen::Reports(r) => vec![r.reload(self.now.date())],
            Screen::Pupil(p) => vec![p.reload()],
            Screen::Week(w) => vec![w.reload()],
            Screen::Stages(_) => vec![stages::load()],
        }
    }

    fn go_home(&mut self) -> Vec<Effect> {
        self.screen = Screen::ClassList;
        self.reload_current()
    }
}

/// The single place the app's state changes.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => push::tick(app, now),
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Changed(event) => {
            push::on_event(app, event);
            Vec::new()
        }
        Action::Disconnected(why) => {
            app.error(&ServiceError::Disconnected(why));
            Vec::new()
        }
        Action::Idle if std::mem::take(&mut app.reload_pending) => app.reload_current(),
        Action::Idle => Vec::new(),
        Action::Reconnected => {
            app.connection = Ok(());
            app.info("connected again");
            let mut effects = push::confirm_unconfirmed(app);
            effects.extend(app.reload_current());
            effects
        }
        Action::Replied { reply, result } => on_reply(app, reply, result),
        Action::FileRead { path, text } => import::read(app, path, text),
        Action::Key(_) | Action::Char(_) | Action::Erase => {
            let next = match app.modal.take() {
                Some(modal) => modal::on_input(app, modal, action),
                None => on_screen_input(app, action),
            };
            app.modal = next.dialog;
            next.effects
        }
    }
}

/// The reply's value, if it is the kind expected.
macro_rules! unpack {
    ($result:expr, $pattern:pat => $value:expr) => {
        match $result {
            Ok($pattern) => Ok($value),
            Ok(other) => Err(ServiceError::Store(format!("unexpected reply: {other:?}"))),
            Err(e) => Err(e),
        }
    };
}

fn on_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Vec<Effect> {
    match reply {
        Reply::ClassList => class_list::loaded(app, unpack!(result, Response::ClassList(l) => l)),
        Reply::Register => register::loaded(app, unpack!(result, Response::Register(v) => v)),
        Reply::Marked { undoing, request } => register::marked(
            app,
            undoing,
            *request,
            unpack!(result, Response::Marked(o) => o),
        ),
        Reply::SignedIn { name, request } => sign_in::signed_in(
            app,
            name,
            *request,
            unpack!(result, Response::Marked(o) => o),
        ),
        Reply::Confirmed { request } => {
            push::confirmed(app, *request, unpack!(result, Response::History(h) => h))
        }
        Reply::MarkedMany { what } => register::marked_many(
            app,
            what,
            unpack!(result, Response::MarkedMany { outcomes } => outcomes),
        ),
        Reply::Reverted { upn } => register::undone(
            app,
            &upn,
            unpack!(result, Response::Reverted { mark, message, .. } => (mark, message)),
        ),
        Reply::Cleared { target } => register::cleared(
            app,
            *target,
            unpack!(result, Response::Reverted { message, .. } => message),
        ),
        Reply::Closed => register::closed(app, unpack!(result, Response::Closed(s) => s)),
        Reply::Done => {
            match unpack!(result, Response::Done { message } => message) {
                Ok(message) => app.info(message),
                Err(e) => app.error(&e),
            }
            app.reload_current()
        }
        Reply::History => modal::history_loaded(app, unpack!(result, Response::History(h) => h)),
        Reply::Pupils => {
            sign_in::found(app, unpack!(result, Response::Pupils { pupils } => pupils))
        }
        Reply::NQueue => n_queue::loaded(app, unpack!(result, Response::NQueue { items } => items)),
        Reply::Alerts => {
            alerts::loaded(app, unpack!(result, Response::Alerts { alerts } => alerts))
        }
        Reply::Today => today::loaded(app, unpack!(result, Response::Today(v) => v)),
        Reply::OnSite => on_site::loaded(app, unpack!(result, Response::OnSite(v) => v)),
        Reply::Report => reports::loaded(app, unpack!(result, Response::Report { rows } => rows)),
        Reply::PupilYear => pupil::loaded(app, unpack!(result, Response::PupilYear(v) => v)),
        Reply::GroupWeek => week::loaded(app, unpack!(result, Response::GroupWeek(v) => v)),
        Reply::Planned => pupil::planned(app, unpack!(result, Response::Planned(s) => s)),
        Reply::PupilPreview { file, csv } => {
            import::previewed(app, file, *csv, unpack!(result, Response::Imported(s) => s))
        }
        Reply::Imported => import::imported(app, unpack!(result, Response::Imported(s) => s)),
        Reply::Stages => {
            stages::loaded(app, unpack!(result, Response::Stages { pupils } => pupils))
        }
    }
}

/// Keys every screen shares, then the screen's own.
fn on_screen_input(app: &mut App, action: Action) -> Next {
    if let Action::Key(key) = action {
        match key {
            KeyAction::Quit => {
                app.quit = true;
                return Next::none();
            }
            KeyAction::Help => {
                return Next::dialog(Modal::Help {
                    section: app.section(),
                    scroll: 0,
                });
            }
            KeyAction::Refresh => return Next::effects(app.reload_current()),
            KeyAction::LateSignIn if !matches!(app.screen, Screen::SignIn(_)) => {
                return Next::effects(sign_in::open(app));
            }
            KeyAction::NQueue if !matches!(app.screen, Screen::NQueue(_)) => {
                return Next::effects(n_queue::open(app));
            }
            KeyAction::Alerts if !matches!(app.screen, Screen::Alerts(_)) => {
                return Next::effects(alerts::open(app));
            }
            KeyAction::TodayView if !matches!(app.screen, Screen::Today(_)) => {
                return Next::effects(today::open(app));
            }
            KeyAction::OnSiteView if !matches!(app.screen, Screen::OnSite(_)) => {
                return Next::effects(on_site::open(app));
            }
            KeyAction::ReportsView if !matches!(app.screen, Screen::Reports(_)) => {
                return Next::effects(reports::open(app));
            }
            KeyAction::StagesView if !matches!(app.screen, Screen::Stages(_)) => {
                return Next::effects(stages::open(app));
            }
            KeyAction::FindPupil => return Next::effects(sign_in::open_find(app)),
            KeyAction::ImportPupils => return import::ask_for_file(app),
            _ => {}
        }
    }
    match &app.screen {
        Screen::ClassList => class_list::on_input(app, action),
        Screen::Register(_) => register::on_input(app, action),
        Screen::SignIn(_) => sign_in::on_input(app, action),
        Screen::NQueue(_) => n_queue::on_input(app, action),
        Screen::Alerts(_) => alerts::on_input(app, action),
        Screen::Today(_) => today::on_input(app, action),
        Screen::OnSite(_) => on_site::on_input(app, action),
        Screen::Reports(_) => reports::on_input(app, action),
        Screen::Pupil(_) => pupil::on_input(app, action),
        Screen::Week(_) => week::on_input(app, action),
        Screen::Stages(_) => stages::on_input(app, action),
    }
}

//! The app's state and the one place it changes: [`update`].
//!
//! `update` is pure: it takes the state and an [`Action`] (a key the keymap translated, a
//! character typed, the clock moving, or the result of a request) and returns [`Effect`]s, the
//! requests to make. [`run_effect`] makes one through a [`Client`] and returns the action that
//! carries its result, which goes back into `update`. Tests drive exactly this loop.

mod picker;

use crate::domain::codes::{StatClass, class_of, lookup};
use crate::domain::people::Staff;
use crate::domain::register::RegisterClock;
use crate::domain::session::{Phase, Session, SessionTimes, hm, parse_hm};
use crate::keymap::{Key, KeyAction, Keymap, Section};
use crate::service::protocol::*;
use crate::service::{Client, ServiceError};
use crate::store::MarkRecord;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
pub use picker::{PickerRow, PickerState, picker_rows};

type Outcome<T> = Result<T, ServiceError>;

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
    ClassListLoaded(Outcome<ClassList>),
    RegisterLoaded(Outcome<RegisterView>),
    Marked {
        undoing: bool,
        result: Outcome<MarkOutcome>,
    },
    /// Several marks saved together; `what` says what they did ("marked present").
    MarkedMany {
        result: Outcome<Vec<MarkOutcome>>,
        what: &'static str,
    },
    Undone {
        upn: String,
        result: Outcome<String>,
    },
    Closed(Outcome<CloseSummary>),
    HistoryLoaded(Outcome<MarkHistory>),
    PupilsFound(Outcome<Vec<PupilHit>>),
    NQueueLoaded(Outcome<Vec<NItem>>),
    /// Someone else changed something (pushed by the server).
    Changed(Event),
    /// The connection to the server came back.
    Reconnected,
}

/// A request `update` wants made.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    LoadClassList {
        date: NaiveDate,
    },
    LoadRegister {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    Mark {
        request: MarkRequest,
        undoing: bool,
    },
    /// All or nothing, in one transaction.
    MarkMany {
        requests: Vec<MarkRequest>,
        what: &'static str,
    },
    Undo {
        group: String,
        date: NaiveDate,
        session: Session,
        upn: String,
        expect: Option<String>,
    },
    Close {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    LoadHistory {
        upn: String,
        date: NaiveDate,
        session: Session,
    },
    FindPupils {
        query: String,
        date: NaiveDate,
    },
    LoadNQueue,
}

/// Makes one request and returns the action that carries its result.
pub fn run_effect(client: &mut Client, effect: Effect) -> Action {
    match effect {
        Effect::LoadClassList { date } => Action::ClassListLoaded(client.class_list(Some(date))),
        Effect::LoadRegister {
            group,
            date,
            session,
        } => Action::RegisterLoaded(client.register(group, date, session)),
        Effect::Mark { request, undoing } => Action::Marked {
            undoing,
            result: client.mark(request),
        },
        Effect::MarkMany { requests, what } => Action::MarkedMany {
            result: client.mark_many(requests),
            what,
        },
        Effect::Undo {
            group,
            date,
            session,
            upn,
            expect,
        } => Action::Undone {
            upn: upn.clone(),
            result: client.done(Request::Undo {
                group,
                date,
                session,
                upn,
                expect,
            }),
        },
        Effect::Close {
            group,
            date,
            session,
        } => Action::Closed(client.close(group, date, session)),
        Effect::LoadHistory { upn, date, session } => {
            Action::HistoryLoaded(client.history(upn, date, session))
        }
        Effect::FindPupils { query, date } => {
            Action::PupilsFound(client.find_pupils(query, Some(date)))
        }
        Effect::LoadNQueue => Action::NQueueLoaded(client.n_queue(None)),
    }
}

/// Applies an action, and every action its effects lead to, until nothing is left to do.
pub fn settle(app: &mut App, client: &mut Client, action: Action) {
    let mut queue: std::collections::VecDeque<Effect> = update(app, action).into();
    while let Some(effect) = queue.pop_front() {
        let result = run_effect(client, effect);
        queue.extend(update(app, result));
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

#[derive(Clone, Debug, Default)]
pub struct ClassListScreen {
    pub date: Option<NaiveDate>,
    pub session: Session,
    pub data: Option<ClassList>,
    pub cursor: usize,
    pub jump: String,
}

/// What one undo puts back.
#[derive(Clone, Debug)]
pub struct UndoItem {
    pub upn: String,
    pub before: Option<MarkRecord>,
    pub after_code: String,
}

#[derive(Clone, Debug)]
pub struct RegisterScreen {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    pub view: Option<RegisterView>,
    pub cursor: usize,
    pub jump: String,
    pub undo: Vec<Vec<UndoItem>>,
}

impl RegisterScreen {
    fn row(&self, upn: &str) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.iter().find(|r| r.upn == upn)
    }

    fn row_at_cursor(&self) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.get(self.cursor)
    }
}

#[derive(Clone, Debug, Default)]
pub struct SignInScreen {
    pub query: String,
    pub results: Vec<PupilHit>,
    pub cursor: usize,
}

#[derive(Clone, Debug, Default)]
pub struct NQueueScreen {
    pub items: Vec<NItem>,
    pub cursor: usize,
    pub loaded: bool,
}

// One screen and one modal exist at a time, so variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Screen {
    ClassList,
    Register(RegisterScreen),
    SignIn(SignInScreen),
    NQueue(NQueueScreen),
}

/// What a text field is for.
#[derive(Clone, Debug)]
pub enum InputPurpose {
    /// A note for a code that needs one; then the mark.
    Note { request: MarkRequest },
    /// The reason for an amendment; then the mark.
    Reason { request: MarkRequest },
    /// A new arrival time for a pupil in the register.
    ArrivalTime { upn: String },
    /// The arrival time of a pupil signing in late at the office.
    SignInTime { hit: PupilHit },
    /// Jump to a name (the `search` action).
    Search,
}

#[derive(Clone, Debug)]
pub struct InputState {
    pub purpose: InputPurpose,
    pub title: String,
    pub prompt: String,
    pub text: String,
    /// Lines shown above the field: what is being changed, and its history.
    pub context: Vec<String>,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub enum ConfirmPurpose {
    ReplaceOfficeMark(MarkRequest),
    CloseRegister,
    /// `N` past the 5-school-day deadline with no reason established: they become `O`.
    OverdueToO(Vec<MarkRequest>),
}

#[derive(Clone, Debug)]
pub struct ConfirmState {
    pub purpose: ConfirmPurpose,
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

/// What a chosen code is for.
#[derive(Clone, Debug)]
pub enum PickTarget {
    Register { upn: String },
    NQueue { item: NItem },
}

#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Modal {
    Help { section: Section, scroll: usize },
    Picker(PickerState),
    Input(InputState),
    Confirm(ConfirmState),
}

pub struct App {
    pub me: Staff,
    pub school: String,
    pub now: NaiveDateTime,
    /// Running against a shared server (shown in the header).
    pub server: bool,
    /// `Err` while the server cannot be reached: nothing is saved until it comes back.
    pub connection: Result<(), String>,
    pub home: ClassListScreen,
    pub screen: Screen,
    pub modal: Option<Modal>,
    pub message: Option<Message>,
    /// Problems with the user's keymap file, shown until the first key press.
    pub notices: Vec<String>,
    pub keymap: Keymap,
    pub size: (u16, u16),
    /// Something on screen changed elsewhere: reload it once the queued input is handled
    /// ([`Action::Idle`]), so a burst of pushes costs one reload, not one each.
    pub reload_pending: bool,
    pub quit: bool,
}

fn next_index(cursor: usize, len: usize, action: KeyAction, page: usize) -> usize {
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

fn is_navigation(action: KeyAction) -> bool {
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
fn type_ahead(jump: &mut String, c: char, names: &[String]) -> Option<usize> {
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

impl App {
    pub fn new(hello: Hello, now: NaiveDateTime, keymap: Keymap, notices: Vec<String>) -> App {
        App {
            me: hello.me,
            school: hello.school,
            now,
            server: hello.server,
            connection: Ok(()),
            home: ClassListScreen::default(),
            screen: Screen::ClassList,
            modal: None,
            message: None,
            notices,
            keymap,
            size: (80, 24),
            reload_pending: false,
            quit: false,
        }
    }

    /// The effects to run when the app starts.
    pub fn start(&mut self) -> Vec<Effect> {
        let date = self.now.date();
        self.home.date = Some(date);
        vec![Effect::LoadClassList { date }]
    }

    /// The keymap section for the view the keys go to.
    pub fn section(&self) -> Section {
        match &self.modal {
            Some(Modal::Help { .. }) => return Section::Help,
            Some(Modal::Picker(_)) => return Section::Picker,
            Some(Modal::Input(_) | Modal::Confirm(_)) => return Section::Dialog,
            None => {}
        }
        match &self.screen {
            Screen::ClassList => Section::ClassList,
            Screen::Register(_) => Section::Register,
            Screen::SignIn(_) => Section::SignIn,
            Screen::NQueue(_) => Section::NQueue,
        }
    }

    /// Translates a terminal key into an action for the current view.
    pub fn key_action(&self, key: &Key, backspace: bool) -> Option<Action> {
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
        if let ServiceError::Disconnected(why) = error {
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

    fn reload_current(&self) -> Vec<Effect> {
        match &self.screen {
            Screen::ClassList => self
                .home
                .date
                .map(|date| vec![Effect::LoadClassList { date }])
                .unwrap_or_default(),
            Screen::Register(r) => vec![Effect::LoadRegister {
                group: r.group.clone(),
                date: r.date,
                session: r.session,
            }],
            Screen::SignIn(s) => vec![Effect::FindPupils {
                query: s.query.clone(),
                date: self.now.date(),
            }],
            Screen::NQueue(_) => vec![Effect::LoadNQueue],
        }
    }

    /// The phase of the register on screen, to notice the clock crossing a boundary.
    fn register_phase(&self) -> Option<Phase> {
        let Screen::Register(r) = &self.screen else {
            return None;
        };
        let view = r.view.as_ref()?;
        Some(
            RegisterClock {
                date: view.date,
                session: view.session,
                times: view.times,
                now: self.now,
                locked: view.closed.is_some(),
            }
            .phase(),
        )
    }
}

/// The single place the app's state changes.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if matches!(action, Action::Key(_) | Action::Char(_) | Action::Erase) {
        app.notices.clear();
    }
    match action {
        Action::Tick(now) => {
            let phase_before = app.register_phase();
            let day_before = app.now.date();
            app.now = now;
            if now.date() != day_before && app.home.date == Some(day_before) {
                app.home.date = Some(now.date());
            }
            // Crossing register_at or closes_at changes what may be done: fetch it afresh.
            if app.register_phase() != phase_before || now.date() != day_before {
                return app.reload_current();
            }
            if matches!(app.screen, Screen::ClassList) {
                // Statuses on the class list move with the clock too.
                return app.reload_current();
            }
            Vec::new()
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Changed(event) => {
            on_event(app, event);
            Vec::new()
        }
        Action::Idle if std::mem::take(&mut app.reload_pending) => app.reload_current(),
        Action::Idle => Vec::new(),
        Action::Reconnected => {
            app.connection = Ok(());
            app.info("connected again");
            app.reload_current()
        }
        Action::ClassListLoaded(result) => {
            match result {
                Ok(list) => {
                    app.home.cursor = app.home.cursor.min(list.groups.len().saturating_sub(1));
                    app.home.date = Some(list.date);
                    app.home.data = Some(list);
                    app.connection = Ok(());
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::RegisterLoaded(result) => {
            match result {
                Ok(view) => {
                    if let Screen::Register(r) = &mut app.screen
                        && r.group == view.group
                        && r.date == view.date
                        && r.session == view.session
                    {
                        // Keep the cursor on the same pupil across a reload.
                        let upn = r.row_at_cursor().map(|row| row.upn.clone());
                        let index = upn.and_then(|u| view.rows.iter().position(|row| row.upn == u));
                        r.cursor = index
                            .unwrap_or(r.cursor)
                            .min(view.rows.len().saturating_sub(1));
                        r.view = Some(view);
                    }
                    app.connection = Ok(());
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::Marked { undoing, result } => match result {
            Ok(outcome) => {
                on_marked(app, vec![outcome], undoing);
                Vec::new()
            }
            Err(e) => {
                app.error(&e);
                // Someone else's mark got there first: show what is there now.
                if matches!(e, ServiceError::Conflict(_)) {
                    app.reload_current()
                } else {
                    Vec::new()
                }
            }
        },
        Action::MarkedMany { result, what } => {
            match result {
                Ok(outcomes) => {
                    let n = outcomes.iter().filter(|o| o.changed).count();
                    on_marked(app, outcomes, false);
                    app.info(format!("{n} {what}"));
                }
                Err(e) => app.error(&e),
            }
            app.reload_current()
        }
        Action::Undone { upn, result } => {
            match result {
                Ok(_) => {
                    if let Screen::Register(r) = &mut app.screen
                        && let Some(view) = &mut r.view
                    {
                        set_row_mark(view, &upn, None);
                    }
                    app.info("undone");
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::Closed(result) => {
            match result {
                Ok(summary) => {
                    let pct = summary
                        .tally
                        .attendance_pct()
                        .map(|p| format!("{:.1}%", crate::domain::stats::round1(p)))
                        .unwrap_or_default();
                    app.info(format!(
                        "register closed: {} blank{} became N; attendance {pct}",
                        summary.filled.len(),
                        if summary.filled.len() == 1 { "" } else { "s" }
                    ));
                    if let Screen::Register(r) = &mut app.screen {
                        r.undo.clear();
                    }
                }
                Err(e) => app.error(&e),
            }
            app.reload_current()
        }
        Action::HistoryLoaded(result) => {
            match result {
                Ok(history) => {
                    if let Some(Modal::Input(input)) = &mut app.modal {
                        input.context.extend(history_lines(&history));
                    }
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::PupilsFound(result) => {
            match result {
                Ok(pupils) => {
                    if let Screen::SignIn(s) = &mut app.screen {
                        s.cursor = s.cursor.min(pupils.len().saturating_sub(1));
                        s.results = pupils;
                    }
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::NQueueLoaded(result) => {
            match result {
                Ok(items) => {
                    if let Screen::NQueue(q) = &mut app.screen {
                        q.cursor = q.cursor.min(items.len().saturating_sub(1));
                        q.items = items;
                        q.loaded = true;
                    }
                }
                Err(e) => app.error(&e),
            }
            Vec::new()
        }
        Action::Key(_) | Action::Char(_) | Action::Erase => {
            if app.modal.is_some() {
                on_modal_input(app, action)
            } else {
                on_screen_input(app, action)
            }
        }
    }
}

fn on_event(app: &mut App, event: Event) {
    if let Event::Disconnected { reason } = event {
        app.error(&ServiceError::Disconnected(reason));
        return;
    }
    // A mark on the register on screen is applied in place: no round trip.
    if let (
        Screen::Register(r),
        Event::Marked {
            group,
            date,
            session,
            upn,
            mark,
        },
    ) = (&mut app.screen, &event)
        && r.group == *group
        && r.date == *date
        && r.session == *session
        && let Some(view) = &mut r.view
        && view.rows.iter().any(|row| row.upn == *upn)
    {
        set_row_mark(view, upn, mark.clone());
        return;
    }
    let relevant = match (&app.screen, &event) {
        (_, Event::Reload) => true,
        (Screen::ClassList, Event::Marked { date, .. } | Event::Closed { date, .. }) => {
            app.home.date == Some(*date)
        }
        (
            Screen::Register(r),
            Event::Marked {
                group,
                date,
                session,
                ..
            }
            | Event::Closed {
                group,
                date,
                session,
            },
        ) => r.group == *group && r.date == *date && r.session == *session,
        (Screen::SignIn(_), Event::Marked { date, .. }) => *date == app.now.date(),
        (Screen::NQueue(_), _) => true,
        _ => false,
    };
    app.reload_pending |= relevant;
}

/// Puts saved marks into the register on screen and remembers how to undo them.
fn on_marked(app: &mut App, outcomes: Vec<MarkOutcome>, undoing: bool) {
    let mut explanation = None;
    let mut undo = Vec::new();
    let mut last = None;
    if let Screen::Register(r) = &mut app.screen
        && let Some(view) = &mut r.view
    {
        for outcome in &outcomes {
            if view.date != outcome.date || view.session != outcome.session {
                continue;
            }
            let before = view
                .rows
                .iter()
                .find(|row| row.upn == outcome.upn)
                .and_then(|row| row.mark.clone());
            if outcome.changed {
                undo.push(UndoItem {
                    upn: outcome.upn.clone(),
                    before,
                    after_code: outcome.mark.code.clone(),
                });
            }
            set_row_mark(view, &outcome.upn, Some(outcome.mark.clone()));
        }
        if !undoing && !undo.is_empty() {
            r.undo.push(undo);
        }
    }
    for outcome in &outcomes {
        if outcome.explanation.is_some() {
            explanation = outcome.explanation.clone();
        }
        last = Some(outcome);
    }
    match (explanation, last) {
        (Some(why), _) => app.info(why),
        (None, Some(o)) if outcomes.len() == 1 => {
            let verb = if undoing {
                "undone"
            } else if o.kind == crate::domain::register::ChangeKind::Amendment {
                "amended"
            } else {
                "saved"
            };
            let mut text = format!("{verb}: {} {}", o.mark.code, o.upn);
            if let Some(m) = o.mark.minutes_late {
                text.push_str(&format!(" ({m} min late)"));
            }
            app.info(text);
        }
        _ => {}
    }
}

/// Replaces a row's mark and moves its figures (year to date, term) with it.
fn set_row_mark(view: &mut RegisterView, upn: &str, mark: Option<MarkRecord>) {
    let date = view.date;
    let Some(row) = view.rows.iter_mut().find(|r| r.upn == upn) else {
        return;
    };
    let class = |m: &Option<MarkRecord>| m.as_ref().map(|m| class_of(&m.code, date));
    let (old, new) = (class(&row.mark), class(&mark));
    for tally in [&mut row.ytd, &mut view.term_tally] {
        if let Some(c) = old {
            remove_class(tally, c);
        }
        if let Some(c) = new {
            tally.add_class(c);
        }
    }
    row.mark = mark;
}

fn remove_class(tally: &mut crate::domain::stats::Tally, class: StatClass) {
    let slot = match class {
        StatClass::Present => &mut tally.present,
        StatClass::Aea => &mut tally.aea,
        StatClass::Authorised => &mut tally.authorised,
        StatClass::Unauthorised => &mut tally.unauthorised,
        StatClass::NotPossible => &mut tally.not_possible,
    };
    *slot = slot.saturating_sub(1);
}

pub fn history_lines(history: &MarkHistory) -> Vec<String> {
    if history.changes.is_empty() {
        return vec!["History: no entries yet".into()];
    }
    let mut lines = vec!["History:".to_string()];
    for c in &history.changes {
        let before = c
            .before
            .as_ref()
            .map_or("none".to_string(), |e| e.describe());
        let after = c
            .after
            .as_ref()
            .map_or("withdrawn".to_string(), |e| e.describe());
        let mut line = format!(
            " {} {} -> {} by {} ({})",
            c.at.format("%d %b %H:%M"),
            before,
            after,
            c.name,
            c.position
        );
        if let Some(r) = &c.reason {
            line.push_str(&format!(": {r}"));
        }
        lines.push(line);
    }
    lines
}

fn on_screen_input(app: &mut App, action: Action) -> Vec<Effect> {
    if let Action::Key(key) = action {
        match key {
            KeyAction::Quit => {
                app.quit = true;
                return Vec::new();
            }
            KeyAction::Help => {
                app.modal = Some(Modal::Help {
                    section: app.section(),
                    scroll: 0,
                });
                return Vec::new();
            }
            KeyAction::Refresh => return app.reload_current(),
            KeyAction::LateSignIn if !matches!(app.screen, Screen::SignIn(_)) => {
                return open_sign_in(app);
            }
            KeyAction::NQueue if !matches!(app.screen, Screen::NQueue(_)) => {
                return open_n_queue(app);
            }
            _ => {}
        }
    }
    match &app.screen {
        Screen::ClassList => class_list_input(app, action),
        Screen::Register(_) => register_input(app, action),
        Screen::SignIn(_) => sign_in_input(app, action),
        Screen::NQueue(_) => n_queue_input(app, action),
    }
}

fn go_home(app: &mut App) -> Vec<Effect> {
    app.screen = Screen::ClassList;
    app.reload_current()
}

fn open_sign_in(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("late sign-in is for office staff: pupils arriving after the close sign in at the office");
        return Vec::new();
    }
    app.screen = Screen::SignIn(SignInScreen::default());
    app.message = None;
    app.reload_current()
}

fn open_n_queue(app: &mut App) -> Vec<Effect> {
    if !app.is_office() {
        app.error_text("the N queue is for office staff");
        return Vec::new();
    }
    app.screen = Screen::NQueue(NQueueScreen::default());
    app.message = None;
    vec![Effect::LoadNQueue]
}

fn school_day_step(app: &App, date: NaiveDate, forward: bool) -> NaiveDate {
    // Skip weekends; the class list says when a day is a holiday or closure.
    let mut d = date;
    for _ in 0..7 {
        d = if forward {
            d + Days::new(1)
        } else {
            d - Days::new(1)
        };
        if d.weekday().num_days_from_monday() < 5 {
            break;
        }
    }
    let _ = app;
    d
}

fn class_list_input(app: &mut App, action: Action) -> Vec<Effect> {
    let groups: Vec<String> = app
        .home
        .data
        .as_ref()
        .map(|d| d.groups.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    match action {
        Action::Char(c) => {
            match type_ahead(&mut app.home.jump, c, &groups) {
                Some(i) => app.home.cursor = i,
                None => app.error_text(format!("no group starts with `{}{c}`", app.home.jump)),
            }
            return Vec::new();
        }
        Action::Erase => {
            app.home.jump.pop();
            return Vec::new();
        }
        _ => {}
    }
    app.home.jump.clear();
    let Action::Key(key) = action else {
        return Vec::new();
    };
    let page = app.page();
    match key {
        k if is_navigation(k) => {
            app.home.cursor = next_index(app.home.cursor, groups.len(), k, page);
            Vec::new()
        }
        KeyAction::Back => {
            app.quit = true;
            Vec::new()
        }
        KeyAction::Search => {
            open_search(app);
            Vec::new()
        }
        KeyAction::OtherSession => {
            app.home.session = app.home.session.other();
            Vec::new()
        }
        KeyAction::PreviousDay | KeyAction::NextDay | KeyAction::Today => {
            let current = app.home.date.unwrap_or(app.now.date());
            let date = match key {
                KeyAction::PreviousDay => school_day_step(app, current, false),
                KeyAction::NextDay => school_day_step(app, current, true),
                _ => app.now.date(),
            };
            app.home.date = Some(date);
            vec![Effect::LoadClassList { date }]
        }
        KeyAction::Open => {
            let Some(group) = groups.get(app.home.cursor).cloned() else {
                return Vec::new();
            };
            let date = app.home.date.unwrap_or(app.now.date());
            let session = app.home.session;
            app.message = None;
            app.screen = Screen::Register(RegisterScreen {
                group: group.clone(),
                date,
                session,
                view: None,
                cursor: 0,
                jump: String::new(),
                undo: Vec::new(),
            });
            vec![Effect::LoadRegister {
                group,
                date,
                session,
            }]
        }
        _ => Vec::new(),
    }
}

fn open_search(app: &mut App) {
    app.modal = Some(Modal::Input(InputState {
        purpose: InputPurpose::Search,
        title: "Jump to".into(),
        prompt: "name: ".into(),
        text: String::new(),
        context: Vec::new(),
        error: None,
    }));
}

/// Whether the register on screen is closed (by a person or the clock).
fn register_closed(app: &App, r: &RegisterScreen) -> bool {
    r.view.as_ref().is_some_and(|v| {
        RegisterClock {
            date: v.date,
            session: v.session,
            times: v.times,
            now: app.now,
            locked: v.closed.is_some(),
        }
        .is_closed()
    })
}

fn register_input(app: &mut App, action: Action) -> Vec<Effect> {
    let Screen::Register(r) = &mut app.screen else {
        return Vec::new();
    };
    let names: Vec<String> = r
        .view
        .as_ref()
        .map(|v| {
            v.rows
                .iter()
                .map(|row| format!("{} {}", row.surname, row.forename))
                .collect()
        })
        .unwrap_or_default();
    match action {
        Action::Char(c) => {
            match type_ahead(&mut r.jump, c, &names) {
                Some(i) => r.cursor = i,
                None => {
                    let typed = format!("{}{c}", r.jump);
                    app.error_text(format!("no pupil's name starts with `{typed}`"));
                }
            }
            return Vec::new();
        }
        Action::Erase => {
            r.jump.pop();
            return Vec::new();
        }
        _ => {}
    }
    r.jump.clear();
    let Action::Key(key) = action else {
        return Vec::new();
    };
    let page = app.page();
    let Screen::Register(r) = &mut app.screen else {
        return Vec::new();
    };
    if is_navigation(key) {
        r.cursor = next_index(r.cursor, names.len(), key, page);
        return Vec::new();
    }
    match key {
        KeyAction::Back => go_home(app),
        KeyAction::Search => {
            open_search(app);
            Vec::new()
        }
        KeyAction::OtherSession => {
            let (group, date, session) = (r.group.clone(), r.date, r.session.other());
            *r = RegisterScreen {
                group: group.clone(),
                date,
                session,
                view: None,
                cursor: 0,
                jump: String::new(),
                undo: Vec::new(),
            };
            app.home.session = session;
            vec![Effect::LoadRegister {
                group,
                date,
                session,
            }]
        }
        KeyAction::Present | KeyAction::Late | KeyAction::Absent => {
            let session = r.session;
            let code = match key {
                KeyAction::Present => session.present_code(),
                KeyAction::Late => "L",
                _ => "N",
            };
            mark_at_cursor(app, code, None, true)
        }
        KeyAction::CodePicker | KeyAction::Amend => {
            let Some(row) = r.row_at_cursor() else {
                return Vec::new();
            };
            let upn = row.upn.clone();
            let session = r.session;
            if let Err(why) = can_change(app) {
                app.error_text(why);
                return Vec::new();
            }
            app.modal = Some(Modal::Picker(PickerState::new(
                PickTarget::Register { upn },
                app.is_office(),
                session,
            )));
            Vec::new()
        }
        KeyAction::AllPresent => all_present(app),
        KeyAction::Undo => undo(app),
        KeyAction::AdjustTime => {
            let Some(row) = r.row_at_cursor() else {
                return Vec::new();
            };
            let upn = row.upn.clone();
            let name = format!("{}, {}", row.surname, row.forename);
            let current = row
                .mark
                .as_ref()
                .and_then(|m| m.arrived)
                .unwrap_or(app.now.time());
            app.modal = Some(Modal::Input(InputState {
                purpose: InputPurpose::ArrivalTime { upn },
                title: format!("Arrival time: {name}"),
                prompt: "arrived (HH:MM): ".into(),
                text: hm(current),
                context: vec!["The mark follows the time: present, L or U.".into()],
                error: None,
            }));
            Vec::new()
        }
        KeyAction::CloseRegister => {
            let Some(view) = &r.view else {
                return Vec::new();
            };
            if let Some(closed) = &view.closed {
                let text = format!(
                    "already closed by {} at {}",
                    closed.closed_by,
                    closed.closed_at.format("%H:%M")
                );
                app.error_text(text);
                return Vec::new();
            }
            let lines = close_summary_lines(view);
            app.modal = Some(Modal::Confirm(ConfirmState {
                purpose: ConfirmPurpose::CloseRegister,
                title: format!(
                    "Close {} {} {}",
                    view.group,
                    view.session.label(),
                    view.date.format("%a %d %b")
                ),
                lines,
                scroll: 0,
            }));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Why the signed-in person cannot change marks in the register on screen, if they cannot.
fn can_change(app: &App) -> Result<(), String> {
    let Screen::Register(r) = &app.screen else {
        return Err("no register open".into());
    };
    let Some(view) = &r.view else {
        return Err("the register is still loading".into());
    };
    if app.is_office() {
        if let Some(why) = &view.not_in_session {
            return Err(format!("not a school session: {why}"));
        }
        return Ok(());
    }
    if register_closed(app, r) {
        return Err("this register is closed: it is read-only now, and changes are amendments made by the office".into());
    }
    view.can_mark.clone()
}

/// The summary the close dialog shows: unmarked pupils and the session's figures.
pub fn close_summary_lines(view: &RegisterView) -> Vec<String> {
    let mut counts: Vec<(String, u32)> = Vec::new();
    let mut unmarked = Vec::new();
    let mut tally = crate::domain::stats::Tally::default();
    for row in &view.rows {
        match &row.mark {
            Some(m) => {
                tally.add_code(&m.code, view.date);
                match counts.iter_mut().find(|(c, _)| *c == m.code) {
                    Some(entry) => entry.1 += 1,
                    None => counts.push((m.code.clone(), 1)),
                }
            }
            None => unmarked.push(format!("  {}, {}", row.surname, row.forename)),
        }
    }
    counts.sort();
    let mut lines = Vec::new();
    let summary: Vec<String> = counts
        .iter()
        .map(|(code, n)| {
            let meaning = match code.as_str() {
                "/" | "\\" => "present".to_string(),
                "L" => "late".to_string(),
                other => lookup(other).map_or(other.to_string(), |i| i.class.short().to_string()),
            };
            format!("{code} {meaning} {n}")
        })
        .collect();
    lines.push(if summary.is_empty() {
        "No marks yet.".into()
    } else {
        summary.join(" \u{b7} ")
    });
    if let Some(p) = tally.attendance_pct() {
        lines.push(format!(
            "Attendance this session: {:.1}% of marked pupils",
            crate::domain::stats::round1(p)
        ));
    }
    if unmarked.is_empty() {
        lines.push("Every pupil has a mark.".into());
    } else {
        lines.push(format!(
            "{} unmarked pupil{} will become N (no reason yet):",
            unmarked.len(),
            if unmarked.len() == 1 { "" } else { "s" }
        ));
        lines.extend(unmarked);
    }
    lines.push(String::new());
    lines.push(
        "After closing, the register is read-only; changes are amendments with a reason.".into(),
    );
    lines
}

/// Builds the request to mark the pupil at the cursor and decides what must come first:
/// a confirmation, a note, or (after the close) a reason.
fn mark_at_cursor(app: &mut App, code: &str, note: Option<String>, advance: bool) -> Vec<Effect> {
    let Screen::Register(r) = &app.screen else {
        return Vec::new();
    };
    let Some(row) = r.row_at_cursor() else {
        return Vec::new();
    };
    let upn = row.upn.clone();
    let effects = mark_pupil(app, &upn, code, note, None);
    if advance
        && let Screen::Register(r) = &mut app.screen
        && app.modal.is_none()
    {
        let len = r.view.as_ref().map_or(0, |v| v.rows.len());
        r.cursor = (r.cursor + 1).min(len.saturating_sub(1));
    }
    effects
}

fn mark_pupil(
    app: &mut App,
    upn: &str,
    code: &str,
    note: Option<String>,
    arrived: Option<chrono::NaiveTime>,
) -> Vec<Effect> {
    if let Err(why) = can_change(app) {
        app.error_text(why);
        return Vec::new();
    }
    let Screen::Register(r) = &app.screen else {
        return Vec::new();
    };
    let Some(row) = r.row(upn) else {
        return Vec::new();
    };
    let closed = register_closed(app, r);
    let request = MarkRequest {
        group: r.group.clone(),
        date: r.date,
        session: r.session,
        upn: upn.to_string(),
        code: code.to_string(),
        arrived,
        note: note.clone(),
        reason: None,
        expect: Some(row.mark.as_ref().map(|m| m.code.clone())),
        replace_office_mark: false,
    };
    let name = format!("{}, {}", row.surname, row.forename);
    let existing = row.mark.clone();
    if let Some(info) = lookup(code)
        && info.needs_note
        && note.is_none()
    {
        app.modal = Some(Modal::Input(InputState {
            purpose: InputPurpose::Note { request },
            title: format!("{code} for {name}"),
            prompt: "note: ".into(),
            text: String::new(),
            context: vec![format!(
                "{code} ({}) needs a note of the activity or circumstance.",
                info.meaning
            )],
            error: None,
        }));
        return Vec::new();
    }
    if closed {
        return ask_reason(app, request, &name, existing.as_ref());
    }
    if let Some(old) = &existing
        && old.recorded_by_office
        && !app.is_office()
        && old.code != code
    {
        let mut request = request;
        request.replace_office_mark = true;
        app.modal = Some(Modal::Confirm(ConfirmState {
            purpose: ConfirmPurpose::ReplaceOfficeMark(request),
            title: format!("Replace the office's mark for {name}?"),
            lines: vec![
                format!(
                    "The office entered {} ({}).",
                    old.code,
                    lookup(&old.code).map_or("", |i| i.meaning)
                ),
                format!("Replace it with {code}? enter: replace, esc: keep it"),
            ],
            scroll: 0,
        }));
        return Vec::new();
    }
    vec![Effect::Mark {
        request,
        undoing: false,
    }]
}

/// The amendment dialog: the change, the mark's history, and a reason to type.
fn ask_reason(
    app: &mut App,
    request: MarkRequest,
    name: &str,
    existing: Option<&MarkRecord>,
) -> Vec<Effect> {
    let from = existing.map_or("no mark".to_string(), |m| m.entry().describe());
    let to = match request.arrived {
        Some(t) => format!("{} arriving {}", request.code, hm(t)),
        None => request.code.clone(),
    };
    let (upn, date, session) = (request.upn.clone(), request.date, request.session);
    app.modal = Some(Modal::Input(InputState {
        purpose: InputPurpose::Reason { request },
        title: format!("Amend {name}"),
        prompt: "reason: ".into(),
        text: String::new(),
        context: vec![
            format!("The register has closed: {from} -> {to} is an amendment."),
            "The original entry is kept; the reason, time and your name are recorded.".into(),
        ],
        error: None,
    }));
    vec![Effect::LoadHistory { upn, date, session }]
}

fn all_present(app: &mut App) -> Vec<Effect> {
    if let Err(why) = can_change(app) {
        app.error_text(why);
        return Vec::new();
    }
    let Screen::Register(r) = &app.screen else {
        return Vec::new();
    };
    if register_closed(app, r) {
        app.error_text(
            "the register has closed: mark pupils one by one, as amendments with a reason",
        );
        return Vec::new();
    }
    let Some(view) = &r.view else {
        return Vec::new();
    };
    let requests: Vec<MarkRequest> = view
        .rows
        .iter()
        .filter(|row| row.mark.is_none())
        .map(|row| MarkRequest {
            group: view.group.clone(),
            date: view.date,
            session: view.session,
            upn: row.upn.clone(),
            code: view.session.present_code().to_string(),
            expect: Some(None),
            ..MarkRequest::default()
        })
        .collect();
    if requests.is_empty() {
        app.info("every pupil already has a mark");
        return Vec::new();
    }
    vec![Effect::MarkMany {
        requests,
        what: "marked present",
    }]
}

fn undo(app: &mut App) -> Vec<Effect> {
    let Screen::Register(r) = &mut app.screen else {
        return Vec::new();
    };
    let Some(items) = r.undo.pop() else {
        app.error_text("nothing to undo");
        return Vec::new();
    };
    let (group, date, session) = (r.group.clone(), r.date, r.session);
    items
        .into_iter()
        .rev()
        .map(|item| match item.before {
            None => Effect::Undo {
                group: group.clone(),
                date,
                session,
                upn: item.upn,
                expect: Some(item.after_code),
            },
            Some(before) => Effect::Mark {
                request: MarkRequest {
                    group: group.clone(),
                    date,
                    session,
                    upn: item.upn,
                    code: before.code,
                    arrived: before.arrived,
                    note: before.note,
                    expect: Some(Some(item.after_code)),
                    replace_office_mark: true,
                    ..MarkRequest::default()
                },
                undoing: true,
            },
        })
        .collect()
}

fn sign_in_input(app: &mut App, action: Action) -> Vec<Effect> {
    let Screen::SignIn(s) = &mut app.screen else {
        return Vec::new();
    };
    let date = app.now.date();
    match action {
        Action::Char(c) => {
            s.query.push(c);
            s.cursor = 0;
            vec![Effect::FindPupils {
                query: s.query.clone(),
                date,
            }]
        }
        Action::Erase => {
            s.query.pop();
            vec![Effect::FindPupils {
                query: s.query.clone(),
                date,
            }]
        }
        Action::Key(KeyAction::Back) => go_home(app),
        Action::Key(KeyAction::Choose) => {
            let Some(hit) = s.results.get(s.cursor).cloned() else {
                return Vec::new();
            };
            if hit.group.is_none() {
                app.error_text(format!(
                    "{}, {} is not on roll today",
                    hit.surname, hit.forename
                ));
                return Vec::new();
            }
            let session = app.current_session();
            let current = hit.marks[session.index() as usize]
                .as_ref()
                .map_or("no mark".to_string(), |m| m.entry().describe());
            let times = app.times(session);
            let mut context = vec![format!(
                "{}, {} ({}) \u{b7} {} {} \u{b7} now: {}",
                hit.surname,
                hit.forename,
                hit.group.clone().unwrap_or_default(),
                app.now.date().format("%a %d %b"),
                session.label(),
                current
            )];
            if let Some(t) = times {
                context.push(format!(
                    "Register {}, closes {}: arrivals to {} are L, later U.",
                    hm(t.register_at),
                    hm(t.closes_at),
                    hm(t.closes_at)
                ));
            }
            app.modal = Some(Modal::Input(InputState {
                purpose: InputPurpose::SignInTime { hit },
                title: "Late sign-in".into(),
                prompt: "arrived (HH:MM): ".into(),
                text: hm(app.now.time()),
                context,
                error: None,
            }));
            Vec::new()
        }
        Action::Key(k) if is_navigation(k) => {
            let page = app.page();
            let Screen::SignIn(s) = &mut app.screen else {
                return Vec::new();
            };
            s.cursor = next_index(s.cursor, s.results.len(), k, page);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn n_queue_input(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page();
    let Screen::NQueue(q) = &mut app.screen else {
        return Vec::new();
    };
    match action {
        Action::Key(KeyAction::Back) => go_home(app),
        Action::Key(k) if is_navigation(k) => {
            q.cursor = next_index(q.cursor, q.items.len(), k, page);
            Vec::new()
        }
        Action::Key(KeyAction::Resolve) => {
            let Some(item) = q.items.get(q.cursor).cloned() else {
                return Vec::new();
            };
            let session = item.session;
            app.modal = Some(Modal::Picker(PickerState::new(
                PickTarget::NQueue { item },
                true,
                session,
            )));
            Vec::new()
        }
        Action::Key(KeyAction::OverdueToO) => overdue_to_o(app),
        _ => Vec::new(),
    }
}

/// SPEC §4: an `N` with no reason established within 5 school days becomes `O`. A person
/// confirms it (the history needs a name), for every overdue `N` at once.
fn overdue_to_o(app: &mut App) -> Vec<Effect> {
    let Screen::NQueue(q) = &app.screen else {
        return Vec::new();
    };
    let overdue: Vec<&NItem> = q.items.iter().filter(|i| i.days_left < 0).collect();
    if overdue.is_empty() {
        app.info("no N is past its 5-school-day deadline");
        return Vec::new();
    }
    let lines = overdue
        .iter()
        .map(|i| {
            format!(
                "{} ({}) {} {}: deadline was {}",
                i.name,
                i.group,
                i.date.format("%a %d %b"),
                i.session.label(),
                i.deadline.format("%a %d %b")
            )
        })
        .collect();
    let requests = overdue
        .iter()
        .map(|i| MarkRequest {
            group: i.group.clone(),
            date: i.date,
            session: i.session,
            upn: i.upn.clone(),
            code: "O".into(),
            reason: Some(OVERDUE_REASON.into()),
            expect: Some(Some("N".into())),
            ..MarkRequest::default()
        })
        .collect();
    let title = format!(
        "{} N past the deadline become O (no reason established)",
        overdue.len()
    );
    app.modal = Some(Modal::Confirm(ConfirmState {
        purpose: ConfirmPurpose::OverdueToO(requests),
        title,
        lines,
        scroll: 0,
    }));
    Vec::new()
}

/// The reason recorded in each amendment made by [`overdue_to_o`].
pub const OVERDUE_REASON: &str = "no reason established within 5 school days of the session";

fn on_modal_input(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(modal) = app.modal.take() else {
        return Vec::new();
    };
    match modal {
        Modal::Help { section, scroll } => {
            match action {
                Action::Key(KeyAction::Back | KeyAction::Help | KeyAction::Cancel) => {}
                Action::Key(KeyAction::Quit) => app.quit = true,
                Action::Key(k) if is_navigation(k) => {
                    let len = app.keymap.help(section).len() + 4;
                    let scroll = next_index(scroll, len, k, app.page());
                    app.modal = Some(Modal::Help { section, scroll });
                }
                _ => app.modal = Some(Modal::Help { section, scroll }),
            }
            Vec::new()
        }
        Modal::Confirm(state) => match action {
            Action::Key(KeyAction::Confirm) => match state.purpose {
                ConfirmPurpose::ReplaceOfficeMark(request) => {
                    advance_cursor(app);
                    vec![Effect::Mark {
                        request,
                        undoing: false,
                    }]
                }
                ConfirmPurpose::OverdueToO(requests) => vec![Effect::MarkMany {
                    requests,
                    what: "overdue N became O",
                }],
                ConfirmPurpose::CloseRegister => {
                    let Screen::Register(r) = &app.screen else {
                        return Vec::new();
                    };
                    vec![Effect::Close {
                        group: r.group.clone(),
                        date: r.date,
                        session: r.session,
                    }]
                }
            },
            Action::Key(KeyAction::Cancel | KeyAction::Back) => {
                app.info("nothing changed");
                Vec::new()
            }
            Action::Key(KeyAction::Quit) => {
                app.quit = true;
                Vec::new()
            }
            Action::Key(k) if is_navigation(k) => {
                let scroll = next_index(state.scroll, state.lines.len(), k, app.page());
                app.modal = Some(Modal::Confirm(ConfirmState { scroll, ..state }));
                Vec::new()
            }
            _ => {
                app.modal = Some(Modal::Confirm(state));
                Vec::new()
            }
        },
        Modal::Picker(mut picker) => match action {
            Action::Key(KeyAction::Cancel | KeyAction::Back) => Vec::new(),
            Action::Key(KeyAction::Quit) => {
                app.quit = true;
                Vec::new()
            }
            Action::Key(KeyAction::Choose) => match picker.chosen_on_enter() {
                Some(code) => picked(app, picker.target, code),
                None => {
                    app.modal = Some(Modal::Picker(picker));
                    Vec::new()
                }
            },
            Action::Key(k) if is_navigation(k) => {
                picker.navigate(k, app.page());
                app.modal = Some(Modal::Picker(picker));
                Vec::new()
            }
            Action::Char(c) => match picker.type_char(c) {
                Some(code) => picked(app, picker.target, code),
                None => {
                    app.modal = Some(Modal::Picker(picker));
                    Vec::new()
                }
            },
            Action::Erase => {
                picker.erase();
                app.modal = Some(Modal::Picker(picker));
                Vec::new()
            }
            _ => {
                app.modal = Some(Modal::Picker(picker));
                Vec::new()
            }
        },
        Modal::Input(mut input) => match action {
            Action::Key(KeyAction::Cancel | KeyAction::Back) => {
                app.info("nothing changed");
                Vec::new()
            }
            Action::Key(KeyAction::Quit) => {
                app.quit = true;
                Vec::new()
            }
            Action::Key(KeyAction::Confirm) => submit_input(app, input),
            Action::Char(c) => {
                input.text.push(c);
                input.error = None;
                if matches!(input.purpose, InputPurpose::Search) {
                    let effects = search_jump(app, &input.text);
                    app.modal = Some(Modal::Input(input));
                    return effects;
                }
                app.modal = Some(Modal::Input(input));
                Vec::new()
            }
            Action::Erase => {
                input.text.pop();
                app.modal = Some(Modal::Input(input));
                Vec::new()
            }
            _ => {
                app.modal = Some(Modal::Input(input));
                Vec::new()
            }
        },
    }
}

fn advance_cursor(app: &mut App) {
    if let Screen::Register(r) = &mut app.screen {
        let len = r.view.as_ref().map_or(0, |v| v.rows.len());
        r.cursor = (r.cursor + 1).min(len.saturating_sub(1));
    }
}

/// Moves the cursor to the first name containing the typed text (the `search` prompt).
fn search_jump(app: &mut App, text: &str) -> Vec<Effect> {
    let needle = text.to_lowercase();
    match &mut app.screen {
        Screen::Register(r) => {
            if let Some(view) = &r.view
                && let Some(i) = view.rows.iter().position(|row| {
                    format!("{} {}", row.surname, row.forename)
                        .to_lowercase()
                        .starts_with(&needle)
                })
            {
                r.cursor = i;
            }
        }
        Screen::ClassList => {
            if let Some(data) = &app.home.data
                && let Some(i) = data
                    .groups
                    .iter()
                    .position(|g| g.name.to_lowercase().starts_with(&needle))
            {
                app.home.cursor = i;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A code was chosen in the picker.
fn picked(app: &mut App, target: PickTarget, code: &'static str) -> Vec<Effect> {
    match target {
        PickTarget::Register { upn } => {
            let effects = mark_pupil(app, &upn, code, None, None);
            if app.modal.is_none() && !effects.is_empty() {
                advance_cursor(app);
            }
            effects
        }
        PickTarget::NQueue { item } => {
            let request = MarkRequest {
                group: item.group.clone(),
                date: item.date,
                session: item.session,
                upn: item.upn.clone(),
                code: code.to_string(),
                expect: Some(Some("N".into())),
                ..MarkRequest::default()
            };
            let needs_note = lookup(code).is_some_and(|i| i.needs_note);
            let title = format!(
                "Resolve N: {} {} {}",
                item.name,
                item.date.format("%a %d %b"),
                item.session.label()
            );
            if needs_note {
                app.modal = Some(Modal::Input(InputState {
                    purpose: InputPurpose::Note { request },
                    title,
                    prompt: "note: ".into(),
                    text: String::new(),
                    context: vec![format!(
                        "{code} needs a note of the activity or circumstance."
                    )],
                    error: None,
                }));
                return Vec::new();
            }
            let (upn, date, session) = (request.upn.clone(), request.date, request.session);
            app.modal = Some(Modal::Input(InputState {
                purpose: InputPurpose::Reason { request },
                title,
                prompt: "reason: ".into(),
                text: "Reason given by parent or carer".into(),
                context: vec![format!(
                    "N -> {code}: recorded as an amendment with this reason."
                )],
                error: None,
            }));
            vec![Effect::LoadHistory { upn, date, session }]
        }
    }
}

fn submit_input(app: &mut App, mut input: InputState) -> Vec<Effect> {
    let text = input.text.trim().to_string();
    match input.purpose.clone() {
        InputPurpose::Search => Vec::new(),
        InputPurpose::Note { mut request } => {
            if text.is_empty() {
                input.error = Some("a note is required for this code".into());
                app.modal = Some(Modal::Input(input));
                return Vec::new();
            }
            request.note = Some(text);
            // After the close, a reason too; in the N queue that is always so.
            let closed = match &app.screen {
                Screen::Register(r) => register_closed(app, r),
                _ => true,
            };
            if closed {
                let name = match &app.screen {
                    Screen::Register(r) => r
                        .row(&request.upn)
                        .map(|row| format!("{}, {}", row.surname, row.forename)),
                    _ => None,
                }
                .unwrap_or_else(|| request.upn.clone());
                let existing = match &app.screen {
                    Screen::Register(r) => r.row(&request.upn).and_then(|row| row.mark.clone()),
                    _ => None,
                };
                return ask_reason(app, request, &name, existing.as_ref());
            }
            if matches!(app.screen, Screen::Register(_)) {
                advance_cursor(app);
            }
            vec![Effect::Mark {
                request,
                undoing: false,
            }]
        }
        InputPurpose::Reason { mut request } => {
            if text.is_empty() {
                input.error = Some("an amendment needs a reason".into());
                app.modal = Some(Modal::Input(input));
                return Vec::new();
            }
            request.reason = Some(text);
            let mut effects = vec![Effect::Mark {
                request,
                undoing: false,
            }];
            if matches!(app.screen, Screen::NQueue(_)) {
                effects.push(Effect::LoadNQueue);
            }
            effects
        }
        InputPurpose::ArrivalTime { upn } => {
            let Some(time) = parse_hm(&text) else {
                input.error = Some(format!("`{text}` is not a time HH:MM"));
                app.modal = Some(Modal::Input(input));
                return Vec::new();
            };
            mark_pupil(app, &upn, "L", None, Some(time))
        }
        InputPurpose::SignInTime { hit } => {
            let Some(time) = parse_hm(&text) else {
                input.error = Some(format!("`{text}` is not a time HH:MM"));
                app.modal = Some(Modal::Input(input));
                return Vec::new();
            };
            let session = app.current_session();
            let request = MarkRequest {
                group: hit.group.clone().unwrap_or_default(),
                date: app.now.date(),
                session,
                upn: hit.upn.clone(),
                code: "L".into(),
                arrived: Some(time),
                reason: Some(format!(
                    "signed in late at the office, arrived {}",
                    hm(time)
                )),
                expect: Some(
                    hit.marks[session.index() as usize]
                        .as_ref()
                        .map(|m| m.code.clone()),
                ),
                ..MarkRequest::default()
            };
            let query = match &app.screen {
                Screen::SignIn(s) => s.query.clone(),
                _ => String::new(),
            };
            vec![
                Effect::Mark {
                    request,
                    undoing: false,
                },
                Effect::FindPupils {
                    query,
                    date: app.now.date(),
                },
            ]
        }
    }
}

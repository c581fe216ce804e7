//! What flows through [`update`](super::update): the [`Action`]s that come in, the
//! [`Effect`]s (requests) that go out with the [`Reply`] that says who handles each answer,
//! the screens a handler asks to [`Go`] to, and the message line.

use crate::domain::marks::Mark;
use crate::domain::session::Session;
use crate::keymap::KeyAction;
use crate::service::ServiceError;
use crate::service::protocol::{Event, MarkRequest, PlanRequest, Request, Response};
use chrono::{NaiveDate, NaiveDateTime};

pub type Outcome<T> = Result<T, ServiceError>;

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
    /// A file the app asked for (`Shared::inbox`), as the loop read it.
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

impl Effect {
    pub fn new(request: Request, reply: Reply) -> Effect {
        Effect { request, reply }
    }

    /// Whether a refusal of this request brings back the dialog that asked it, with what was
    /// typed (the server decides rules the dialog cannot).
    pub fn brings_back_its_dialog(&self) -> bool {
        // Single-step dialogs only: a refusal in a dialog of several steps (a sign-out's
        // time) is about an earlier step, and is said on the message line.
        matches!(self.reply, Reply::CaseStepped)
            || matches!(
                (&self.reply, &self.request),
                (Reply::Done, Request::Contacted { .. })
            )
    }

    /// A mark to save (or put back, `undoing`); its reply is said and shown where it lands.
    pub fn mark(request: MarkRequest, undoing: bool) -> Effect {
        Effect::new(
            Request::Mark(request.clone()),
            Reply::Marked {
                undoing,
                request: Box::new(request),
            },
        )
    }

    /// The history of the mark a request would change, for the dialog asking about it.
    pub fn history(request: &MarkRequest) -> Effect {
        Effect::new(
            Request::History {
                upn: request.upn.clone(),
                date: request.register.date,
                session: request.register.session,
            },
            Reply::History,
        )
    }
}

/// A mark to clear back to blank, as the screen showed it: carried to the reply, so that
/// undo can bring it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearTarget {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub name: String,
    pub seen: Mark,
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
        what: String,
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
    /// Casework: the cases still running, and this term's suspensions.
    Cases,
    Suspensions,
    /// A step on a case taken: said, then the screen reloaded.
    CaseStepped,
    /// A planned absence saved: said, then the screen reloaded.
    Planned,
    /// What a plan would write, to confirm before it is saved.
    PlanPreview {
        request: Box<PlanRequest>,
    },
    /// The plans that could be withdrawn, to choose one.
    PlansToWithdraw,
    /// A plan withdrawn: said, then the screen reloaded.
    PlanWithdrawn,
    /// What a pupil file would change, to confirm.
    PupilPreview {
        file: String,
        csv: Box<String>,
    },
    /// A pupil file imported.
    Imported,
    /// The day's lessons for the class list.
    Lessons,
    /// A lesson's register.
    LessonRegister,
    /// Lesson marks saved: the pupils as they now stand.
    LessonMarked,
    /// The pupils missing from lessons (also after one is found).
    Missing,
    /// Lesson registers not taken in time.
    LessonsNotTaken,
    /// The day's late arrivals to lessons.
    LessonsLate,
    /// A teacher reminded to take a lesson's register (said before it was sent).
    LessonReminded,
}

/// A screen a handler asks to open; the app builds it (a screen knows no other screen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Go {
    /// The class list, the app's home.
    Home,
    /// Where the screen on show was opened from (a pupil's year, a group's week).
    Back,
    Register {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    /// A pupil's year.
    PupilYear { upn: String },
    /// A group's week around a day.
    GroupWeek { group: String, date: NaiveDate },
    /// A lesson's register.
    Lesson {
        class: String,
        date: NaiveDate,
        period: String,
    },
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

impl Message {
    pub fn info(text: impl Into<String>) -> Message {
        Message {
            kind: MessageKind::Info,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Message {
        Message {
            kind: MessageKind::Error,
            text: text.into(),
        }
    }
}

/// A file the app wants saved (a report as CSV): written by the loop that runs the app, so
/// `update` stays free of I/O.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// A file name, saved in the directory the app was started in.
    pub name: String,
    pub text: String,
}

/// A file the app asks the loop to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub path: String,
}

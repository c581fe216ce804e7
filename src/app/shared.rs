//! What every screen may read and change besides its own state: who is signed in, the
//! clock, the day's session times, the message line, and the loop's in- and out-trays.

use super::action::{Incoming, Message, Outgoing};
use crate::domain::codes::Code;
use crate::domain::people::Staff;
use crate::domain::session::{Session, SessionTimes};
use crate::keymap::Keymap;
use crate::service::ServiceError;
use crate::service::protocol::MarkRequest;
use chrono::NaiveDateTime;

pub struct Shared {
    pub me: Staff,
    pub school: String,
    /// The codes this school lets teachers enter.
    pub teacher_codes: Vec<Code>,
    pub now: NaiveDateTime,
    /// Running against a shared server (shown in the header).
    pub server: bool,
    /// `Err` while the server cannot be reached: nothing is saved until it comes back.
    pub connection: Result<(), String>,
    /// The AM and PM times of the day on the class list, once it has loaded.
    pub times: Option<[SessionTimes; 2]>,
    pub message: Option<Message>,
    pub keymap: Keymap,
    pub size: (u16, u16),
    /// Marks sent when the connection was lost, before their reply: checked on reconnecting.
    pub unconfirmed: Vec<MarkRequest>,
    /// Files to save, taken by the loop after each update.
    pub outbox: Vec<Outgoing>,
    /// Files to read, taken by the loop after each update (`Action::FileRead` brings each).
    pub inbox: Vec<Incoming>,
    pub quit: bool,
}

impl Shared {
    /// Rows a page moves, from the terminal height.
    pub fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(10)).max(1)
    }

    pub fn times(&self, session: Session) -> Option<SessionTimes> {
        self.times.map(|t| t[session.index() as usize])
    }

    /// The session under way, or next, by the clock.
    pub fn current_session(&self) -> Session {
        match self.times(Session::Pm) {
            Some(pm) if self.now.time() >= pm.opens_at => Session::Pm,
            _ => Session::Am,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message::info(text));
    }

    pub fn error(&mut self, error: &ServiceError) {
        if let ServiceError::Disconnected(why) | ServiceError::Unknown(why) = error {
            self.connection = Err(why.clone());
        }
        self.message = Some(Message::error(error.to_string()));
    }

    pub fn error_text(&mut self, text: impl Into<String>) {
        self.message = Some(Message::error(text));
    }

    pub fn is_office(&self) -> bool {
        self.me.role.is_office()
    }
}

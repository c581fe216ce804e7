//! One interface to the rules, local or remote.
//!
//! A [`Client`] sends [`Request`]s through a [`Transport`]: straight to an in-process
//! [`Engine`] for single-user use, or over a Unix socket to `rollcall serve`. The CLI and the
//! app only ever hold a `Client`, so whether a server is involved changes nothing above here.

pub mod engine;
pub mod import;
pub mod protocol;
pub mod remote;
pub mod wire;

pub use engine::Engine;
use protocol::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ServiceError {
    /// The rules or the person's role do not allow it; the message says why.
    #[error("{0}")]
    Refused(String),
    /// The request itself is wrong: a bad code, time, file...
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed the mark first; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Store(String),
    /// The server could not be reached or went away: nothing was saved.
    #[error("not connected \u{2014} not saved: {0}")]
    Disconnected(String),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

pub trait Transport: Send {
    fn call(&mut self, request: Request) -> Result<Response>;

    /// Events pushed by a server, if this transport has a server behind it.
    fn events(&mut self) -> Option<std::sync::mpsc::Receiver<Event>> {
        None
    }

    /// Connects again after the connection was lost.
    fn reconnect(&mut self) -> Result<()> {
        Ok(())
    }

    fn is_remote(&self) -> bool {
        false
    }
}

/// The engine in this process, acting for this process's operating-system account.
pub struct Local {
    engine: Arc<Engine>,
    account: String,
}

impl Local {
    pub fn new(engine: Arc<Engine>, account: String) -> Self {
        Local { engine, account }
    }
}

impl Transport for Local {
    fn call(&mut self, request: Request) -> Result<Response> {
        self.engine.handle(&self.account, request)
    }
}

/// The operating-system account running this process: who is acting, never typed in.
pub fn os_account() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid{}", uid.as_raw()),
    }
}

pub struct Client {
    transport: Box<dyn Transport>,
}

fn unexpected<T>(response: Response) -> Result<T> {
    Err(ServiceError::Store(format!(
        "unexpected reply: {response:?}"
    )))
}

macro_rules! reply {
    ($self:ident, $request:expr, $pattern:pat => $value:expr) => {
        match $self.call($request)? {
            $pattern => Ok($value),
            other => unexpected(other),
        }
    };
}

impl Client {
    pub fn new(transport: Box<dyn Transport>) -> Self {
        Client { transport }
    }

    pub fn local(engine: Arc<Engine>, account: String) -> Self {
        Client::new(Box::new(Local::new(engine, account)))
    }

    pub fn call(&mut self, request: Request) -> Result<Response> {
        self.transport.call(request)
    }

    pub fn events(&mut self) -> Option<std::sync::mpsc::Receiver<Event>> {
        self.transport.events()
    }

    pub fn reconnect(&mut self) -> Result<()> {
        self.transport.reconnect()
    }

    pub fn is_remote(&self) -> bool {
        self.transport.is_remote()
    }

    pub fn hello(&mut self) -> Result<Hello> {
        reply!(self, Request::Hello, Response::Hello(h) => h)
    }

    /// Requests whose reply is a sentence.
    pub fn done(&mut self, request: Request) -> Result<String> {
        reply!(self, request, Response::Done { message } => message)
    }

    pub fn import_pupils(
        &mut self,
        file: String,
        csv: String,
        from: Option<chrono::NaiveDate>,
        end_missing: bool,
    ) -> Result<ImportSummary> {
        reply!(self, Request::ImportPupils { file, csv, from, end_missing }, Response::Imported(s) => s)
    }

    pub fn mark(&mut self, request: MarkRequest) -> Result<MarkOutcome> {
        reply!(self, Request::Mark(request), Response::Marked(m) => m)
    }

    pub fn mark_many(&mut self, marks: Vec<MarkRequest>) -> Result<Vec<MarkOutcome>> {
        reply!(self, Request::MarkMany { marks }, Response::MarkedMany { outcomes } => outcomes)
    }

    pub fn close(
        &mut self,
        group: String,
        date: chrono::NaiveDate,
        session: crate::domain::session::Session,
    ) -> Result<CloseSummary> {
        reply!(self, Request::Close { group, date, session }, Response::Closed(c) => c)
    }

    pub fn plan(&mut self, plan: PlanRequest) -> Result<PlanSummary> {
        reply!(self, Request::PlanAbsence(plan), Response::Planned(p) => p)
    }

    pub fn export(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        group: Option<String>,
    ) -> Result<Vec<ExportRow>> {
        reply!(self, Request::ExportMarks { from, to, group }, Response::Marks { rows } => rows)
    }

    pub fn report(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        by: ReportBy,
    ) -> Result<Vec<ReportRow>> {
        reply!(self, Request::Report { from, to, by }, Response::Report { rows } => rows)
    }

    pub fn alerts(&mut self, on: Option<chrono::NaiveDate>) -> Result<Vec<Alert>> {
        reply!(self, Request::Alerts { on }, Response::Alerts { alerts } => alerts)
    }

    pub fn history(
        &mut self,
        upn: String,
        date: chrono::NaiveDate,
        session: crate::domain::session::Session,
    ) -> Result<MarkHistory> {
        reply!(self, Request::History { upn, date, session }, Response::History(h) => h)
    }

    pub fn class_list(&mut self, date: Option<chrono::NaiveDate>) -> Result<ClassList> {
        reply!(self, Request::ClassList { date }, Response::ClassList(c) => c)
    }

    pub fn register(
        &mut self,
        group: String,
        date: chrono::NaiveDate,
        session: crate::domain::session::Session,
    ) -> Result<RegisterView> {
        reply!(self, Request::Register { group, date, session }, Response::Register(r) => r)
    }

    pub fn find_pupils(
        &mut self,
        query: String,
        date: Option<chrono::NaiveDate>,
    ) -> Result<Vec<PupilHit>> {
        reply!(self, Request::FindPupils { query, date }, Response::Pupils { pupils } => pupils)
    }

    pub fn n_queue(&mut self, on: Option<chrono::NaiveDate>) -> Result<Vec<NItem>> {
        reply!(self, Request::NQueue { on }, Response::NQueue { items } => items)
    }
}

//! The one way the CLI and the app reach the rules: a [`Client`] over a [`Transport`], to an
//! engine in this process ([`Local`]) or a server.

use super::engine::Engine;
use super::error::{Result, ServiceError, expect_reply};
use super::protocol::*;
use std::sync::Arc;

/// What a client hears besides its replies: a server's pushes, and the loss of its own
/// connection (which no server sends, so it is not part of the wire protocol).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Pushed(Event),
    Disconnected(String),
}

pub trait Transport: Send {
    fn call(&mut self, request: Request) -> Result<Response>;

    /// Events pushed by a server, if this transport has a server behind it.
    fn events(&mut self) -> Option<std::sync::mpsc::Receiver<Notice>> {
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

/// How long a client waits for a lost server to come back to confirm a mark.
const CONFIRM_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

pub struct Client {
    transport: Box<dyn Transport>,
}

fn unexpected<T>(response: Response) -> Result<T> {
    Err(ServiceError::unexpected(&response))
}

macro_rules! reply {
    ($self:ident, $request:expr, $pattern:pat => $value:expr) => {
        expect_reply!($self.call($request), $pattern => $value)
    };
}

impl Client {
    pub fn new(transport: Box<dyn Transport>) -> Self {
        Client { transport }
    }

    /// A lesson register request (`LessonRequest`), and its reply.
    pub fn lesson(&mut self, request: LessonRequest) -> Result<LessonResponse> {
        reply!(self, Request::Lesson(request), Response::Lesson(r) => *r)
    }

    /// A publishing request (`PublishRequest`), and its reply.
    pub fn publish(&mut self, request: PublishRequest) -> Result<PublishResponse> {
        reply!(self, Request::Publish(request), Response::Publish(r) => *r)
    }

    pub fn local(engine: Arc<Engine>, account: String) -> Self {
        Client::new(Box::new(Local::new(engine, account)))
    }

    pub fn call(&mut self, request: Request) -> Result<Response> {
        self.transport.call(request)
    }

    pub fn events(&mut self) -> Option<std::sync::mpsc::Receiver<Notice>> {
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

    pub fn cover_log(&mut self, date: chrono::NaiveDate) -> Result<Vec<CoverChange>> {
        reply!(self, Request::CoverLog { date }, Response::CoverLog { changes } => changes)
    }

    /// A clear (or an undo): what happened, in a sentence.
    pub fn clear(&mut self, request: Request) -> Result<String> {
        reply!(self, request, Response::Reverted { message, .. } => message)
    }

    pub fn import_pupils(
        &mut self,
        file: String,
        csv: String,
        from: Option<chrono::NaiveDate>,
        end_missing: bool,
    ) -> Result<ImportSummary> {
        let dry_run = false;
        reply!(self, Request::ImportPupils { file, csv, from, end_missing, dry_run }, Response::Imported(s) => s)
    }

    /// What importing a pupil file would change, saving nothing.
    pub fn preview_pupils(
        &mut self,
        file: String,
        csv: String,
        from: Option<chrono::NaiveDate>,
        end_missing: bool,
    ) -> Result<ImportSummary> {
        let dry_run = true;
        reply!(self, Request::ImportPupils { file, csv, from, end_missing, dry_run }, Response::Imported(s) => s)
    }

    /// One mark. If the connection is lost after the mark went out, waits for the server to
    /// come back and looks, so the answer is "saved" or "not saved", never a guess.
    pub fn mark(&mut self, request: MarkRequest) -> Result<MarkOutcome> {
        match self.call(Request::Mark(request.clone())) {
            Ok(Response::Marked(m)) => Ok(m),
            Ok(other) => unexpected(other),
            Err(ServiceError::Unknown(why)) => self.confirm(&request, &why),
            Err(e) => Err(e),
        }
    }

    /// Finds out whether a mark whose reply was lost was saved: reconnects (a restarting
    /// server takes a few seconds) and reads the mark. Until it can read it, the answer stays
    /// "not confirmed": a failure while looking says nothing about the mark.
    pub fn confirm(&mut self, request: &MarkRequest, why: &str) -> Result<MarkOutcome> {
        let started = std::time::Instant::now();
        let (me, history) = loop {
            let looked = self.reconnect().and_then(|()| {
                let me = self.hello()?.me.account;
                let history = self.history(
                    request.upn.clone(),
                    request.register.date,
                    request.register.session,
                )?;
                Ok((me, history))
            });
            match looked {
                Ok(found) => break found,
                Err(e) if started.elapsed() > CONFIRM_WAIT => {
                    return Err(ServiceError::Unknown(format!(
                        "{why}; the server has not come back to say whether it was saved ({e}): check with `rollcall history --pupil {} --date {} --session {}`",
                        request.upn, request.register.date, request.register.session
                    )));
                }
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        };
        match history.current {
            Some(mark) if mark.recorded_by == me && request.fits(mark.code) => Ok(MarkOutcome {
                upn: request.upn.clone(),
                date: request.register.date,
                session: request.register.session,
                kind: history
                    .changes
                    .last()
                    .filter(|c| c.account == me)
                    .map_or(crate::domain::register::ChangeKind::Mark, |c| c.kind),
                mark,
                changed: true,
                explanation: Some(
                    "the connection was lost before the reply; checked after reconnecting: saved"
                        .into(),
                ),
            }),
            _ => Err(ServiceError::Disconnected(format!(
                "{why}; checked after reconnecting: it was not saved"
            ))),
        }
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
        reply!(self, Request::Close(RegisterId { group, date, session }), Response::Closed(c) => c)
    }

    pub fn plan(&mut self, plan: PlanRequest) -> Result<PlanSummary> {
        reply!(self, Request::PlanAbsence(plan), Response::Planned(p) => p)
    }

    /// The planned absences for a pupil or a group (every one when neither), newest first.
    pub fn plans(&mut self, upn: Option<String>, group: Option<String>) -> Result<Vec<PlanInfo>> {
        reply!(self, Request::Plans { upn, group }, Response::Plans { plans } => plans)
    }

    /// Casework: every case (or a pupil's); only those still running when `open`, only
    /// those with something due of the office now when `due`.
    pub fn cases(&mut self, upn: Option<String>, open: bool, due: bool) -> Result<Vec<CaseView>> {
        reply!(self, Request::Casework(CaseRequest::List { upn, open, due }), Response::Cases { cases } => cases)
    }

    /// Pupils suspended this term, with each run of suspension and its sixth day.
    pub fn suspensions(&mut self, on: Option<chrono::NaiveDate>) -> Result<Vec<Suspended>> {
        reply!(self, Request::Casework(CaseRequest::Suspensions { on }), Response::Suspensions { pupils } => pupils)
    }

    /// A step on a case: the case as it is now, and what was done.
    pub fn case_step(&mut self, step: CaseRequest) -> Result<(CaseView, String)> {
        reply!(self, Request::Casework(step), Response::CaseDone { case, message } => (*case, message))
    }

    pub fn withdraw_plan(&mut self, id: u32, reason: String) -> Result<PlanWithdrawn> {
        reply!(self, Request::WithdrawPlan { id, reason }, Response::PlanWithdrawn(w) => w)
    }

    /// Every mark in a range, gathered from its pages (for a range that fits in memory; a
    /// large one goes through [`Client::export_pages`]).
    pub fn export(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        group: Option<String>,
    ) -> Result<Vec<ExportRow>> {
        let mut all = Vec::new();
        self.export_pages(from, to, group, None, |rows| {
            all.extend(rows);
            Ok(())
        })?;
        Ok(all)
    }

    /// The marks in a range a page at a time (at most `limit` rows each, [`EXPORT_PAGE`] if
    /// `None`), each handed to `page` as it arrives: memory stays bounded on both sides.
    pub fn export_pages(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        group: Option<String>,
        limit: Option<u32>,
        mut page: impl FnMut(Vec<ExportRow>) -> Result<()>,
    ) -> Result<()> {
        let mut after = None;
        loop {
            let request = Request::ExportMarks {
                from,
                to,
                group: group.clone(),
                after: after.take(),
                limit,
            };
            let (rows, next) =
                reply!(self, request, Response::Marks { rows, next } => (rows, next))?;
            page(rows)?;
            match next {
                Some(key) => after = Some(key),
                None => return Ok(()),
            }
        }
    }

    pub fn report(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        by: ReportBy,
        filter: ReportFilter,
    ) -> Result<Vec<ReportRow>> {
        reply!(self, Request::Report { from, to, by, filter }, Response::Report { rows } => rows)
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
        reply!(self, Request::Register(RegisterId { group, date, session }), Response::Register(r) => r)
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

    pub fn today(
        &mut self,
        date: Option<chrono::NaiveDate>,
        session: Option<crate::domain::session::Session>,
    ) -> Result<TodayView> {
        reply!(self, Request::Today { date, session }, Response::Today(v) => v)
    }

    pub fn on_site(
        &mut self,
        date: Option<chrono::NaiveDate>,
        session: Option<crate::domain::session::Session>,
    ) -> Result<OnSiteView> {
        reply!(self, Request::OnSite { date, session }, Response::OnSite(v) => v)
    }

    pub fn pupil_year(
        &mut self,
        upn: String,
        date: Option<chrono::NaiveDate>,
    ) -> Result<PupilYear> {
        reply!(self, Request::PupilYear { upn, date }, Response::PupilYear(v) => *v)
    }

    pub fn import_marks(
        &mut self,
        file: String,
        csv: String,
        dry_run: bool,
        school: Option<crate::domain::people::OtherSchool>,
    ) -> Result<MarksImported> {
        reply!(self, Request::ImportMarks { file, csv, dry_run, school }, Response::MarksImported(s) => s)
    }

    pub fn census(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<CensusRow>> {
        reply!(self, Request::Census { from, to }, Response::Census { rows } => rows)
    }

    /// A CTF's XML, with how many pupils and marks it holds.
    pub fn export_ctf(
        &mut self,
        group: Option<String>,
        upns: Vec<String>,
        dest_la: String,
        dest_estab: String,
    ) -> Result<(String, u32, u32)> {
        reply!(self, Request::ExportCtf { group, upns, dest_la, dest_estab }, Response::Ctf { xml, pupils, marks } => (xml, pupils, marks))
    }

    pub fn import_ctf(&mut self, file: String, xml: String, dry_run: bool) -> Result<CtfImported> {
        reply!(self, Request::ImportCtf { file, xml, dry_run }, Response::CtfImported(s) => s)
    }

    pub fn roster(&mut self) -> Result<Roster> {
        reply!(self, Request::Roster, Response::Roster(r) => r)
    }

    pub fn backup(&mut self, path: String, archive: bool) -> Result<BackupSummary> {
        reply!(self, Request::Backup { path, archive }, Response::Backup(b) => b)
    }

    pub fn stages(&mut self, on: Option<chrono::NaiveDate>) -> Result<Vec<PupilStage>> {
        reply!(self, Request::Stages { on }, Response::Stages { pupils } => pupils)
    }
}

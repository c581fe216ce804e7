//! The engine itself: what it holds (the store, the clock, the school, the queue of marks,
//! who is listening) and the one door every request comes through, [`Engine::handle`].

use super::queue::MarkQueue;
use crate::clock::Clock;
use crate::config::parse_school;
use crate::domain::School;
use crate::domain::marks::SessionKey;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex, RwLock, mpsc};

pub(super) use crate::service::error::Result;

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        ServiceError::Store(e.to_string())
    }
}

pub(super) fn refused<T>(message: impl Into<String>) -> Result<T> {
    Err(ServiceError::Refused(message.into()))
}

pub(super) fn invalid<T>(message: impl Into<String>) -> Result<T> {
    Err(ServiceError::Invalid(message.into()))
}

/// A one-line note (a call, a sign-out's reason, an action on an alert), trimmed, that says
/// something and prints.
pub(super) fn checked_note<'a>(what: &str, note: &'a str, hint: &str) -> Result<&'a str> {
    let note = note.trim();
    if note.is_empty() {
        return invalid(format!("{what} is empty: {hint}"));
    }
    crate::domain::text::check_line(what, note).map_err(ServiceError::Invalid)?;
    Ok(note)
}

fn check_dates(request: &Request) -> Result<()> {
    for date in request.dates() {
        crate::domain::dates::check(date).map_err(ServiceError::Invalid)?;
    }
    Ok(())
}

pub struct Engine {
    pub(super) store: Store,
    pub(super) queue: Mutex<MarkQueue>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) school: RwLock<Option<Arc<School>>>,
    pub(super) subscribers: Mutex<Vec<mpsc::Sender<Event>>>,
    pub(super) server: bool,
    /// The account the engine runs as. Before any admin exists only it may set the school
    /// up: in-process that is whoever opened the (owner-only) file; behind a server, any
    /// account in the socket's group could otherwise make itself admin.
    pub(super) owner: String,
    /// Where backups go by name; a server writes nowhere else.
    pub(super) backup_dir: std::path::PathBuf,
}

impl Engine {
    pub fn new(store: Store, clock: Arc<dyn Clock>, server: bool) -> Result<Engine> {
        let source = crate::service::guard::catching(|| store.read()?.school_source())
            .unwrap_or_else(|why| Err(crate::store::StoreError::Corrupt(why)))?;
        let school = match source {
            Some(source) => Some(Arc::new(parse_school("stored configuration", &source).map_err(
                |e| {
                    ServiceError::Store(format!(
                        "database damaged: the school configuration stored in {} does not read ({e}): \
                         restore the latest backup, or run `rollcall init --school FILE.toml` again",
                        store.path().display()
                    ))
                },
            )?)),
            None => None,
        };
        let backup_dir = store
            .path()
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("backups");
        Ok(Engine {
            backup_dir,
            store,
            queue: Mutex::new(MarkQueue::default()),
            clock,
            school: RwLock::new(school),
            subscribers: Mutex::new(Vec::new()),
            server,
            owner: crate::service::account::os_account(),
        })
    }

    /// Backups by name go into `dir` (`rollcall serve --backup-dir`), and a server writes
    /// backups nowhere else.
    pub fn set_backup_dir(&mut self, dir: std::path::PathBuf) {
        self.backup_dir = dir;
    }

    pub fn backup_dir(&self) -> &std::path::Path {
        &self.backup_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// A channel of [`Event`]s: every change any client makes from now on.
    pub fn subscribe(&self) -> mpsc::Receiver<Event> {
        let (tx, rx) = mpsc::channel();
        self.lock_subscribers().push(tx);
        rx
    }

    pub(super) fn lock_subscribers(&self) -> std::sync::MutexGuard<'_, Vec<mpsc::Sender<Event>>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn notify(&self, event: Event) {
        self.lock_subscribers()
            .retain(|s| s.send(event.clone()).is_ok());
    }

    /// The school's configuration, if it has been set up.
    pub(super) fn current_school(&self) -> Option<Arc<School>> {
        self.school
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Handles one request for the account that sent it. A panic while handling it (a damaged
    /// database redb did not expect) is that request's error, never the caller's end.
    pub fn handle(&self, account: &str, request: Request) -> Result<Response> {
        crate::service::guard::catching(|| self.dispatch(account, request))
            .unwrap_or_else(|why| Err(crate::service::guard::damaged(&why)))
    }

    /// The requests answered before the staff list is read: setting the school up, which may
    /// come before anyone is on it, and the server's own account's timers. `Err`: not one.
    fn without_staff(
        &self,
        account: &str,
        request: Request,
    ) -> std::result::Result<Result<Response>, Box<Request>> {
        Ok(match request {
            Request::Init { file, source } => self.init(account, &file, &source),
            Request::StaffAdd { staff } => self.staff_add(account, staff),
            Request::ImportPupils {
                file,
                csv,
                from,
                end_missing,
                dry_run,
            } => self.import_pupils(account, &file, &csv, from, end_missing, dry_run),
            Request::Subscribe => invalid("subscribe is only possible through a server"),
            // The server's own account (the nightly timer) takes backups: it owns the file
            // already, so this gives it nothing it has not got.
            Request::Backup { path, archive } if self.server && account == self.owner => {
                self.backup_into_dir(&path, archive)
            }
            // And publishes to the trust's database (the timer every few minutes): what it
            // sends it could read from its own file anyway.
            Request::Publish(p) if self.server && account == self.owner => self
                .school()
                .and_then(|school| self.publish_for(&school, self.clock.now(), p)),
            other => return Err(Box::new(other)),
        })
    }

    fn dispatch(&self, account: &str, request: Request) -> Result<Response> {
        // A date no register can be about (a raw request through the socket, a typing
        // mistake) is refused before any rule computes with it.
        check_dates(&request)?;
        let request = match self.without_staff(account, request) {
            Ok(answer) => return answer,
            Err(request) => *request,
        };
        let ctx = self.context(account)?;
        match request {
            Request::Hello => self.hello(&ctx),
            Request::Mark(req) => self.mark(ctx, req),
            Request::MarkMany { marks } => self.mark_many(&ctx, marks),
            Request::Undo {
                register:
                    RegisterId {
                        group,
                        date,
                        session,
                    },
                upn,
                expect,
            } => self.undo(&ctx, &group, SessionKey { date, session, upn }, expect),
            Request::Clear {
                register:
                    RegisterId {
                        group,
                        date,
                        session,
                    },
                upn,
                reason,
                expect,
            } => self.clear(
                &ctx,
                &group,
                SessionKey { date, session, upn },
                reason,
                expect,
            ),
            Request::Close(RegisterId {
                group,
                date,
                session,
            }) => self.close(&ctx, &group, date, session),
            Request::PlanAbsence(plan) => self.plan_absence(&ctx, plan),
            Request::Plans { upn, group } => self.plans(&ctx, upn, group),
            Request::Casework(c) => self.casework(&ctx, c),
            Request::Lesson(l) => self.lesson(&ctx, l),
            Request::Publish(p) => self.publish(&ctx, p),
            Request::WithdrawPlan { id, reason } => self.withdraw_plan(&ctx, id, &reason),
            Request::AssignCover {
                group,
                date,
                sessions,
                account,
            } => self.assign_cover(&ctx, &group, date, &sessions, account),
            Request::CoverLog { date } => self.cover_log(&ctx, date),
            Request::ExportMarks {
                from,
                to,
                group,
                after,
                limit,
            } => self.export(&ctx, from, to, group, after, limit),
            Request::Report {
                from,
                to,
                by,
                filter,
            } => self.report(&ctx, from, to, by, &filter),
            Request::Alerts { on } => self.alerts(&ctx, on),
            Request::ActOnAlert {
                upn,
                kind,
                session,
                note,
            } => self.act_on_alert(&ctx, &upn, kind, session, &note),
            Request::History { upn, date, session } => self.history(&ctx, &upn, date, session),
            Request::ClassList { date } => self.class_list(&ctx, date),
            Request::Register(RegisterId {
                group,
                date,
                session,
            }) => self.register(&ctx, &group, date, session),
            Request::FindPupils { query, date } => self.find_pupils(&ctx, &query, date),
            Request::NQueue { on } => self.n_queue(&ctx, on),
            Request::Today { date, session } => self.today(&ctx, date, session),
            Request::Contacted {
                upn,
                date,
                note,
                code,
                session,
            } => self.contacted(&ctx, &upn, date, &note, code.as_deref(), session),
            Request::Remind {
                group,
                date,
                session,
            } => self.remind(&ctx, &group, date, session),
            Request::OnSite { date, session } => self.on_site(&ctx, date, session),
            Request::SignOut(leaving) => self.sign_out(&ctx, leaving),
            Request::SignBackIn { upn, date, at } => self.sign_back_in(&ctx, &upn, date, at),
            Request::PupilYear { upn, date } => self.pupil_year(&ctx, &upn, date),
            Request::GroupWeek { group, date } => self.group_week(&ctx, &group, date),
            Request::Stages { on } => self.stages(&ctx, on),
            Request::Backup { path, archive } => self.backup(&ctx, &path, archive),
            Request::Census { from, to } => self.census(&ctx, from, to),
            Request::Roster => self.roster(&ctx),
            Request::ExportCtf {
                group,
                upns,
                dest_la,
                dest_estab,
            } => self.export_ctf(&ctx, group, upns, &dest_la, &dest_estab),
            Request::ImportCtf { file, xml, dry_run } => {
                self.import_ctf(&ctx, &file, &xml, dry_run)
            }
            Request::ImportMarks {
                file,
                csv,
                dry_run,
                school,
            } => self.import_marks(&ctx, &file, &csv, dry_run, school),
            Request::StageDone {
                upn,
                stage,
                note,
                skipped,
            } => self.stage_done(&ctx, &upn, &stage, &note, skipped),
            Request::Init { .. }
            | Request::StaffAdd { .. }
            | Request::ImportPupils { .. }
            | Request::Subscribe => invalid("handled above"),
        }
    }
}

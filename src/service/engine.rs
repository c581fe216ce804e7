//! The engine applies the rules of `domain` to the `store` for one acting member of staff.
//! It runs in-process for single-user use and inside `rollcall serve` for a school: either way
//! every request goes through [`Engine::handle`], so no rule is written twice.

use super::ServiceError;
use super::import::parse_pupils;
use super::protocol::*;
use crate::clock::Clock;
use crate::config::parse_school;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::{self, for_new_mark};
use crate::domain::people::{Pupil, Staff};
use crate::domain::register::{
    ChangeKind, MarkAttempt, RegisterClock, Role, check_change, is_arrival_code, resolve_code,
};
use crate::domain::session::{Phase, Session, hm};
use crate::domain::stats::{Tally, band_for};
use crate::domain::thresholds::{self, SessionMark};
use crate::store::{
    ChangeRecord, ClosedRegister, MarkRecord, Membership, SessionKey, Store, StoreError, Tables,
    Tx, WriteTx,
};
use chrono::{Days, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock, mpsc};

type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        ServiceError::Store(e.to_string())
    }
}

fn refused<T>(message: impl Into<String>) -> Result<T> {
    Err(ServiceError::Refused(message.into()))
}

fn invalid<T>(message: impl Into<String>) -> Result<T> {
    Err(ServiceError::Invalid(message.into()))
}

/// A mark waiting for the next group commit.
struct MarkJob {
    staff: Staff,
    request: MarkRequest,
    wake: mpsc::Sender<Wake>,
}

enum Wake {
    /// The batch holding this mark was committed (or refused): here is its reply.
    Done(Result<MarkOutcome>),
    /// The previous batch is done: commit the next one, which holds this mark.
    Lead,
}

#[derive(Default)]
struct MarkQueue {
    jobs: Vec<MarkJob>,
    /// A thread is committing a batch; new marks wait for it.
    leading: bool,
}

pub struct Engine {
    store: Store,
    queue: Mutex<MarkQueue>,
    clock: Arc<dyn Clock>,
    school: RwLock<Option<Arc<School>>>,
    subscribers: Mutex<Vec<mpsc::Sender<Event>>>,
    server: bool,
    /// The account the engine runs as. Before any admin exists only it may set the school
    /// up: in-process that is whoever opened the (owner-only) file; behind a server, any
    /// account in the socket's group could otherwise make itself admin.
    owner: String,
}

/// What an account may do before anyone is on the staff list: set the school up.
enum Actor {
    Staff(Staff),
    /// No admin exists yet; the owner of a new database is setting it up.
    Bootstrap,
}

impl Engine {
    pub fn new(store: Store, clock: Arc<dyn Clock>, server: bool) -> Result<Engine> {
        let source = store.read()?.school_source()?;
        let school = match source {
            Some(source) => Some(Arc::new(
                parse_school("stored configuration", &source)
                    .map_err(|e| ServiceError::Store(e.to_string()))?,
            )),
            None => None,
        };
        Ok(Engine {
            store,
            queue: Mutex::new(MarkQueue::default()),
            clock,
            school: RwLock::new(school),
            subscribers: Mutex::new(Vec::new()),
            server,
            owner: super::os_account(),
        })
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

    fn lock_subscribers(&self) -> std::sync::MutexGuard<'_, Vec<mpsc::Sender<Event>>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn notify(&self, event: Event) {
        self.lock_subscribers()
            .retain(|s| s.send(event.clone()).is_ok());
    }

    fn school(&self) -> Result<Arc<School>> {
        self.school
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| {
                ServiceError::Refused(
                    "this database has no school configuration yet: run `rollcall init --school FILE.toml`"
                        .into(),
                )
            })
    }

    fn actor(&self, account: &str) -> Result<Actor> {
        let r = self.store.read()?;
        if let Some(staff) = r.staff(account)? {
            return Ok(Actor::Staff(staff));
        }
        if !r.all_staff()?.iter().any(|s| s.role == Role::Admin) {
            if !self.server || account == self.owner {
                return Ok(Actor::Bootstrap);
            }
            return refused(format!(
                "{} Nobody is an admin yet: the server's own account adds the first, with \
                 `sudo -u {owner} rollcall staff add --account ADMIN --name NAME --position POSITION --role admin`",
                unknown_account(account),
                owner = self.owner
            ));
        }
        refused(unknown_account(account))
    }

    fn staff(&self, account: &str) -> Result<Staff> {
        match self.actor(account)? {
            Actor::Staff(staff) => Ok(staff),
            Actor::Bootstrap => refused(format!(
                "{} Nobody is on the staff list yet: add the first admin with `rollcall staff add --account {account} --name NAME --position POSITION --role admin`",
                unknown_account(account)
            )),
        }
    }

    fn admin(&self, account: &str, what: &str) -> Result<()> {
        match self.actor(account)? {
            Actor::Bootstrap => Ok(()),
            Actor::Staff(s) if s.role == Role::Admin => Ok(()),
            Actor::Staff(s) => refused(format!(
                "only admins can {what}; {} is {}",
                s.account,
                s.role.as_str()
            )),
        }
    }

    fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// Handles one request for the account that sent it.
    pub fn handle(&self, account: &str, request: Request) -> Result<Response> {
        match request {
            Request::Hello => {
                let me = self.staff(account)?;
                let school = self.school()?;
                Ok(Response::Hello(Hello {
                    me,
                    school: school.name.clone(),
                    clock: self.clock.describe(),
                    server: self.server,
                }))
            }
            Request::Init { file, source } => self.init(account, &file, &source),
            Request::StaffAdd { staff } => self.staff_add(account, staff),
            Request::ImportPupils {
                file,
                csv,
                from,
                end_missing,
            } => self.import_pupils(account, &file, &csv, from, end_missing),
            Request::Mark(req) => self.mark(account, req),
            Request::MarkMany { marks } => self.mark_many(account, marks),
            Request::Undo {
                group,
                date,
                session,
                upn,
                expect,
            } => self.undo(account, &group, date, session, &upn, expect),
            Request::Close {
                group,
                date,
                session,
            } => self.close(account, &group, date, session),
            Request::PlanAbsence(plan) => self.plan_absence(account, plan),
            Request::ExportMarks { from, to, group } => self.export(account, from, to, group),
            Request::Report { from, to, by } => self.report(account, from, to, by),
            Request::Alerts { on } => self.alerts(account, on),
            Request::History { upn, date, session } => self.history(account, &upn, date, session),
            Request::ClassList { date } => self.class_list(account, date),
            Request::Register {
                group,
                date,
                session,
            } => self.register(account, &group, date, session),
            Request::FindPupils { query, date } => self.find_pupils(account, &query, date),
            Request::NQueue { on } => self.n_queue(account, on),
            Request::Subscribe => invalid("subscribe is only possible through a server"),
        }
    }

    fn init(&self, account: &str, file: &str, source: &str) -> Result<Response> {
        self.admin(account, "configure the school")?;
        let school =
            parse_school(file, source).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let today = self.now().date();
        let tx = self.store.write()?;
        if let Some(old) = self
            .school
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            for group in old
                .groups
                .iter()
                .filter(|g| school.group(&g.name).is_none())
            {
                let on_roll = tx.roll(&group.name, today)?.len();
                if on_roll > 0 {
                    return invalid(format!(
                        "{file}: group `{}` is missing, but {on_roll} pupils are on its roll today; \
                         move them with `rollcall import pupils` first, then remove the group",
                        group.name
                    ));
                }
            }
        }
        tx.set_school_source(source)?;
        tx.commit()?;
        let message = format!(
            "{}: {} terms, {} groups, registers {}-{} (AM) and {}-{} (PM)",
            school.name,
            school.calendar.terms.len(),
            school.groups.len(),
            hm(school.sessions.am.register_at),
            hm(school.sessions.am.closes_at),
            hm(school.sessions.pm.register_at),
            hm(school.sessions.pm.closes_at),
        );
        *self.school.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(school));
        self.notify(Event::Reload);
        Ok(Response::Done { message })
    }

    fn staff_add(&self, account: &str, staff: Staff) -> Result<Response> {
        self.admin(account, "add staff")?;
        let valid_account = !staff.account.is_empty()
            && staff
                .account
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !valid_account {
            return invalid(format!(
                "account `{}`: use the operating-system login name (letters, digits, . _ -)",
                staff.account
            ));
        }
        if staff.name.trim().is_empty() || staff.position.trim().is_empty() {
            return invalid("name and position must not be empty: the audit trail records both");
        }
        let tx = self.store.write()?;
        let existed = tx.staff(&staff.account)?.is_some();
        let message = format!(
            "{} {} ({}, {}, {})",
            if existed { "updated" } else { "added" },
            staff.account,
            staff.name,
            staff.position,
            staff.role.as_str()
        );
        tx.put_staff(Staff {
            name: staff.name.trim().to_string(),
            position: staff.position.trim().to_string(),
            ..staff
        })?;
        tx.commit()?;
        self.notify(Event::Reload);
        Ok(Response::Done { message })
    }

    fn import_pupils(
        &self,
        account: &str,
        file: &str,
        csv: &str,
        from: Option<NaiveDate>,
        end_missing: bool,
    ) -> Result<Response> {
        self.admin(account, "import pupils")?;
        let school = self.school()?;
        let now = self.now();
        let rows = parse_pupils(file, csv, &school, now.date()).map_err(ServiceError::Invalid)?;
        let from = from.unwrap_or(now.date());
        let day_before = from - Days::new(1);
        let mut summary = ImportSummary {
            from: Some(from),
            ..ImportSummary::default()
        };
        let tx = self.store.write()?;
        let in_file: HashSet<&str> = rows.iter().map(|r| r.pupil.upn.as_str()).collect();
        for row in &rows {
            let upn = row.pupil.upn.as_str();
            match tx.pupil(upn)? {
                None => summary.added += 1,
                Some(old) if old == row.pupil => {}
                Some(_) => summary.updated += 1,
            }
            tx.put_pupil(row.pupil.clone())?;
            match current_membership(&tx, upn, from)? {
                Some(m) if m.group == row.group => summary.unchanged += 1,
                Some(m) => {
                    // End the old membership the day before; the marks made in it stay there.
                    tx.put_membership(upn, m.ended(day_before))?;
                    tx.put_membership(upn, membership(&row.group, from))?;
                    summary.moved += 1;
                }
                None => tx.put_membership(upn, membership(&row.group, from))?,
            }
        }
        for pupil in tx.pupils()? {
            if in_file.contains(pupil.upn.as_str()) {
                continue;
            }
            if let Some(m) = current_membership(&tx, &pupil.upn, from)? {
                summary.not_in_file += 1;
                if end_missing {
                    tx.put_membership(&pupil.upn, m.ended(day_before))?;
                    summary.ended += 1;
                }
            }
        }
        tx.commit()?;
        self.notify(Event::Reload);
        Ok(Response::Imported(summary))
    }

    fn register_clock(
        &self,
        tx: &Tx<impl Tables>,
        school: &School,
        group: &str,
        date: NaiveDate,
        session: Session,
        now: NaiveDateTime,
    ) -> Result<(RegisterClock, Option<ClosedRegister>)> {
        let closed = tx.closed_register(group, date, session)?;
        Ok((
            RegisterClock {
                date,
                session,
                times: *school.sessions.times(session),
                now,
                locked: closed.is_some(),
            },
            closed,
        ))
    }

    fn known_group<'s>(
        &self,
        school: &'s School,
        group: &str,
    ) -> Result<&'s crate::domain::people::Group> {
        school.group(group).ok_or_else(|| {
            let names: Vec<&str> = school.groups.iter().map(|g| g.name.as_str()).collect();
            ServiceError::NotFound(format!(
                "no registration group `{group}` (groups: {})",
                names.join(", ")
            ))
        })
    }

    /// Applies one mark inside a write transaction; the caller commits.
    fn apply_mark(
        &self,
        tx: &WriteTx,
        staff: &Staff,
        school: &School,
        req: &MarkRequest,
        now: NaiveDateTime,
    ) -> Result<MarkOutcome> {
        let group = self.known_group(school, &req.group)?;
        let requested =
            for_new_mark(&req.code).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let pupil = tx
            .pupil(&req.upn)?
            .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {}", req.upn)))?;
        match tx.group_on(&req.upn, req.date)? {
            Some(g) if g == req.group => {}
            Some(g) => {
                return invalid(format!(
                    "{} is not on {}'s roll on {} (their group is {g})",
                    pupil.display_name(),
                    req.group,
                    req.date
                ));
            }
            None => {
                return invalid(format!(
                    "{} is not on roll on {}: no possible session",
                    pupil.display_name(),
                    req.date
                ));
            }
        }
        let key = SessionKey {
            date: req.date,
            session: req.session,
            upn: req.upn.clone(),
        };
        let existing = tx.mark(&key)?;
        if let Some(expected) = &req.expect {
            let current = existing.as_ref().map(|m| m.code.as_str());
            if current != expected.as_deref() {
                return Err(ServiceError::Conflict(conflict_message(
                    &pupil,
                    existing.as_ref(),
                    tx,
                )?));
            }
        }
        let times = school.sessions.times(req.session);
        let now_today = (req.date == now.date()).then_some(now.time());
        let resolved = resolve_code(requested, req.session, times, req.arrived, now_today)
            .map_err(ServiceError::Invalid)?;
        let note = req
            .note
            .as_ref()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if resolved.code.needs_note && note.is_none() {
            return invalid(format!(
                "{} ({}) needs a note of the activity or circumstance",
                resolved.code.code, resolved.code.meaning
            ));
        }
        let reason = req
            .reason
            .as_ref()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        let (clock, _) = self.register_clock(tx, school, &req.group, req.date, req.session, now)?;
        let session_check = school.calendar.check_session(req.date, req.session);
        let kind = check_change(&MarkAttempt {
            role: staff.role,
            is_tutor: group.is_tutor(&staff.account),
            group: &req.group,
            code: resolved.code,
            clock,
            school_session: &session_check,
            has_reason: reason.is_some(),
        })
        .map_err(ServiceError::Refused)?;
        if let Some(old) = &existing
            && old.recorded_by_office
            && staff.role == Role::Teacher
            && !req.replace_office_mark
            && old.code != resolved.code.code
        {
            return refused(format!(
                "{} was entered by the office ({}) for {}: confirm to replace it",
                old.code,
                old.recorded_by,
                pupil.display_name()
            ));
        }
        let record = MarkRecord {
            code: resolved.code.code.to_string(),
            arrived: resolved.arrived,
            minutes_late: resolved
                .minutes_late
                .map(|m| m.min(u32::from(u16::MAX)) as u16),
            note,
            group: req.group.clone(),
            recorded_by: staff.account.clone(),
            recorded_by_office: staff.role.is_office(),
            recorded_at: now,
        };
        if let Some(old) = &existing
            && old.entry() == record.entry()
        {
            return Ok(MarkOutcome {
                upn: req.upn.clone(),
                date: req.date,
                session: req.session,
                mark: old.clone(),
                kind,
                changed: false,
                explanation: resolved.explanation,
            });
        }
        let change = ChangeRecord {
            kind,
            before: existing.as_ref().map(MarkRecord::entry),
            after: Some(record.entry()),
            reason,
            at: now,
            account: staff.account.clone(),
            name: staff.name.clone(),
            position: staff.position.clone(),
        };
        tx.put_mark(&key, record.clone(), change)?;
        Ok(MarkOutcome {
            upn: req.upn.clone(),
            date: req.date,
            session: req.session,
            mark: record,
            kind,
            changed: true,
            explanation: resolved.explanation,
        })
    }

    /// One mark. Marks arriving together (forty teachers at 8:45) are committed together:
    /// one write transaction and one fsync for the batch, each reply sent only after it.
    fn mark(&self, account: &str, req: MarkRequest) -> Result<Response> {
        let staff = self.staff(account)?;
        let (wake_tx, wake_rx) = mpsc::channel();
        let lead_now = {
            let mut queue = self.lock_queue();
            queue.jobs.push(MarkJob {
                staff,
                request: req,
                wake: wake_tx,
            });
            !std::mem::replace(&mut queue.leading, true)
        };
        if lead_now {
            self.commit_batches();
        }
        loop {
            match wake_rx.recv() {
                Ok(Wake::Done(result)) => return result.map(Response::Marked),
                Ok(Wake::Lead) => self.commit_batches(),
                Err(_) => {
                    return Err(ServiceError::Store(
                        "the mark was lost before it was saved".into(),
                    ));
                }
            }
        }
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, MarkQueue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commits the waiting marks as one batch, then hands the lead to the owner of the next
    /// waiting mark (so that no client waits behind others' batches for its own reply).
    fn commit_batches(&self) {
        loop {
            let jobs = std::mem::take(&mut self.lock_queue().jobs);
            if !jobs.is_empty() {
                self.commit_batch(jobs);
            }
            let mut queue = self.lock_queue();
            match queue.jobs.first() {
                None => {
                    queue.leading = false;
                    return;
                }
                Some(next) => {
                    if next.wake.send(Wake::Lead).is_ok() {
                        return;
                    }
                    // Its owner is gone (cannot happen while it waits): carry on ourselves.
                }
            }
        }
    }

    fn commit_batch(&self, jobs: Vec<MarkJob>) {
        let now = self.now();
        let prepared = self
            .school()
            .and_then(|school| Ok((school, self.store.write()?)));
        let (school, tx) = match prepared {
            Ok(p) => p,
            Err(e) => {
                for job in jobs {
                    let _ = job.wake.send(Wake::Done(Err(e.clone())));
                }
                return;
            }
        };
        let results: Vec<Result<MarkOutcome>> = jobs
            .iter()
            .map(|job| self.apply_mark(&tx, &job.staff, &school, &job.request, now))
            .collect();
        // A storage failure part way through a mark may leave half of it written: save nothing.
        let broken = results.iter().find_map(|r| match r {
            Err(e @ ServiceError::Store(_)) => Some(e.clone()),
            _ => None,
        });
        let changed = results.iter().any(|r| matches!(r, Ok(o) if o.changed));
        let committed = match broken {
            Some(e) => Err(e),
            None if changed => tx.commit().map_err(ServiceError::from),
            None => Ok(()),
        };
        for (job, result) in jobs.into_iter().zip(results) {
            let result = match &committed {
                Ok(()) => result,
                Err(e) => Err(e.clone()),
            };
            if let Ok(outcome) = &result
                && outcome.changed
            {
                self.notify(Event::saved(&job.request.group, outcome));
            }
            let _ = job.wake.send(Wake::Done(result));
        }
    }

    fn mark_many(&self, account: &str, marks: Vec<MarkRequest>) -> Result<Response> {
        let staff = self.staff(account)?;
        let school = self.school()?;
        let now = self.now();
        let tx = self.store.write()?;
        let mut outcomes = Vec::with_capacity(marks.len());
        for req in &marks {
            outcomes.push(self.apply_mark(&tx, &staff, &school, req, now)?);
        }
        tx.commit()?;
        for (req, outcome) in marks.iter().zip(&outcomes) {
            if outcome.changed {
                self.notify(Event::saved(&req.group, outcome));
            }
        }
        Ok(Response::MarkedMany { outcomes })
    }

    fn undo(
        &self,
        account: &str,
        group_name: &str,
        date: NaiveDate,
        session: Session,
        upn: &str,
        expect: Option<String>,
    ) -> Result<Response> {
        let staff = self.staff(account)?;
        let school = self.school()?;
        let group = self.known_group(&school, group_name)?;
        let now = self.now();
        let tx = self.store.write()?;
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        let Some(existing) = tx.mark(&key)? else {
            return invalid(format!(
                "{upn} has no mark for {date} {} to undo",
                session.label()
            ));
        };
        if expect.as_deref().is_some_and(|e| e != existing.code) {
            let pupil = tx
                .pupil(upn)?
                .ok_or_else(|| ServiceError::NotFound(upn.to_string()))?;
            return Err(ServiceError::Conflict(conflict_message(
                &pupil,
                Some(&existing),
                &tx,
            )?));
        }
        let (clock, _) = self.register_clock(&tx, &school, group_name, date, session, now)?;
        if clock.is_closed() {
            return refused(
                "the register has closed: undo is only possible while it is open; amend the mark instead, with a reason",
            );
        }
        let code = codes::lookup(&existing.code).ok_or_else(|| {
            ServiceError::Store(format!("stored code `{}` is unknown", existing.code))
        })?;
        let session_check = school.calendar.check_session(date, session);
        check_change(&MarkAttempt {
            role: staff.role,
            is_tutor: group.is_tutor(&staff.account),
            group: group_name,
            code,
            clock,
            school_session: &session_check,
            has_reason: false,
        })
        .map_err(ServiceError::Refused)?;
        tx.remove_mark(
            &key,
            ChangeRecord {
                kind: ChangeKind::Mark,
                before: Some(existing.entry()),
                after: None,
                reason: Some("undone while the register was open".into()),
                at: now,
                account: staff.account.clone(),
                name: staff.name.clone(),
                position: staff.position.clone(),
            },
        )?;
        tx.commit()?;
        self.notify(Event::Marked {
            group: group_name.to_string(),
            date,
            session,
            upn: upn.to_string(),
            mark: None,
        });
        Ok(Response::Done {
            message: format!("{upn}: {} withdrawn", existing.code),
        })
    }

    fn close(
        &self,
        account: &str,
        group_name: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        let staff = self.staff(account)?;
        let school = self.school()?;
        let group = self.known_group(&school, group_name)?;
        let now = self.now();
        if let Err(why) = school.calendar.check_session(date, session) {
            return refused(format!(
                "{date} {} is not a school session ({why})",
                session.label()
            ));
        }
        let tx = self.store.write()?;
        let (clock, closed) = self.register_clock(&tx, &school, group_name, date, session, now)?;
        if let Some(closed) = closed {
            return refused(format!(
                "{group_name} {date} {} was already closed by {} at {}",
                session.label(),
                closed.closed_by,
                closed.closed_at.format("%H:%M")
            ));
        }
        if clock.phase() == Phase::BeforeOpen {
            return refused(format!(
                "the register opens at {}: it cannot be closed before then",
                hm(clock.times.opens_at)
            ));
        }
        if staff.role == Role::Teacher {
            if !group.is_tutor(&staff.account) {
                return refused(format!(
                    "you are not a tutor of {group_name}: only its tutors and office staff can close it"
                ));
            }
            if date != now.date() {
                return refused(
                    "teachers close today's registers only; the office can close others",
                );
            }
        }
        let mut filled = Vec::new();
        let mut tally = Tally::default();
        let mut codes: BTreeMap<String, u32> = BTreeMap::new();
        for upn in tx.roll(group_name, date)? {
            let key = SessionKey {
                date,
                session,
                upn: upn.clone(),
            };
            let code = match tx.mark(&key)? {
                Some(m) => m.code,
                None => {
                    let record = MarkRecord {
                        code: "N".into(),
                        arrived: None,
                        minutes_late: None,
                        note: None,
                        group: group_name.to_string(),
                        recorded_by: staff.account.clone(),
                        recorded_by_office: staff.role.is_office(),
                        recorded_at: now,
                    };
                    let change = ChangeRecord {
                        kind: ChangeKind::Mark,
                        before: None,
                        after: Some(record.entry()),
                        reason: Some("no mark when the register was closed".into()),
                        at: now,
                        account: staff.account.clone(),
                        name: staff.name.clone(),
                        position: staff.position.clone(),
                    };
                    tx.put_mark(&key, record, change)?;
                    filled.push(upn);
                    "N".to_string()
                }
            };
            tally.add_code(&code, date);
            *codes.entry(code).or_default() += 1;
        }
        tx.close_register(
            group_name,
            date,
            session,
            ClosedRegister {
                closed_at: now,
                closed_by: staff.account.clone(),
                filled: filled.len() as u32,
            },
        )?;
        tx.commit()?;
        self.notify(Event::Closed {
            group: group_name.to_string(),
            date,
            session,
        });
        Ok(Response::Closed(CloseSummary {
            group: group_name.to_string(),
            date,
            session,
            filled,
            codes: codes.into_iter().collect(),
            tally,
        }))
    }

    fn plan_absence(&self, account: &str, plan: PlanRequest) -> Result<Response> {
        let staff = self.staff(account)?;
        if !staff.role.is_office() {
            return refused("only office staff pre-enter planned absences");
        }
        let school = self.school()?;
        let code = for_new_mark(&plan.code).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        if is_arrival_code(code.code) {
            return invalid(format!(
                "{} is decided when the pupil arrives; plan an absence with a reason code",
                code.code
            ));
        }
        if (plan.to, plan.to_session) < (plan.from, plan.from_session) {
            return invalid(format!(
                "{} {} is before {} {}",
                plan.to, plan.to_session, plan.from, plan.from_session
            ));
        }
        let now = self.now();
        let tx = self.store.write()?;
        let mut summary = PlanSummary {
            marked: Vec::new(),
            skipped: Vec::new(),
        };
        let mut events = Vec::new();
        let sessions: Vec<(NaiveDate, Session)> = school
            .calendar
            .school_sessions(plan.from, plan.to)
            .filter(|s| *s >= (plan.from, plan.from_session) && *s <= (plan.to, plan.to_session))
            .collect();
        for (date, session) in sessions {
            let Some(group) = tx.group_on(&plan.upn, date)? else {
                summary.skipped.push((date, session, "not on roll".into()));
                continue;
            };
            let key = SessionKey {
                date,
                session,
                upn: plan.upn.clone(),
            };
            if let Some(existing) = tx.mark(&key)? {
                summary
                    .skipped
                    .push((date, session, format!("already marked {}", existing.code)));
                continue;
            }
            let (clock, _) = self.register_clock(&tx, &school, &group, date, session, now)?;
            if clock.is_closed() {
                summary
                    .skipped
                    .push((date, session, "register closed: amend it instead".into()));
                continue;
            }
            let req = MarkRequest {
                group: group.clone(),
                date,
                session,
                upn: plan.upn.clone(),
                code: code.code.to_string(),
                note: plan.note.clone(),
                expect: Some(None),
                ..MarkRequest::default()
            };
            let outcome = self.apply_mark(&tx, &staff, &school, &req, now)?;
            summary.marked.push((date, session));
            events.push(Event::saved(&group, &outcome));
        }
        tx.commit()?;
        for event in events {
            self.notify(event);
        }
        Ok(Response::Planned(summary))
    }

    fn pupils_by_upn(&self, tx: &Tx<impl Tables>) -> Result<HashMap<String, Pupil>> {
        Ok(tx
            .pupils()?
            .into_iter()
            .map(|p| (p.upn.clone(), p))
            .collect())
    }

    fn export(
        &self,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
        group: Option<String>,
    ) -> Result<Response> {
        self.staff(account)?;
        if let Some(g) = &group {
            let school = self.school()?;
            self.known_group(&school, g)?;
        }
        let r = self.store.read()?;
        let pupils = self.pupils_by_upn(&r)?;
        let mut rows = Vec::new();
        r.each_mark_between(from, to, |key, mark| {
            if group.as_ref().is_some_and(|g| *g != mark.group) {
                return Ok(());
            }
            let (surname, forename) = pupils
                .get(&key.upn)
                .map(|p| (p.surname.clone(), p.forename.clone()))
                .unwrap_or_default();
            rows.push(ExportRow {
                date: key.date,
                session: key.session,
                upn: key.upn,
                surname,
                forename,
                group: mark.group,
                code: mark.code,
                arrived: mark.arrived,
                minutes_late: mark.minutes_late,
                recorded_by: mark.recorded_by,
                recorded_at: mark.recorded_at,
            });
            Ok(())
        })?;
        Ok(Response::Marks { rows })
    }

    fn report(
        &self,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
        by: ReportBy,
    ) -> Result<Response> {
        self.staff(account)?;
        let school = self.school()?;
        let r = self.store.read()?;
        let pupils = self.pupils_by_upn(&r)?;
        // Per pupil and per (group, pupil): groups are whatever group each mark was made in.
        let mut per_pupil: BTreeMap<String, Tally> = BTreeMap::new();
        let mut per_group: BTreeMap<(String, String), Tally> = BTreeMap::new();
        r.each_mark_between(from, to, |key, mark| {
            per_pupil
                .entry(key.upn.clone())
                .or_default()
                .add_code(&mark.code, key.date);
            per_group
                .entry((mark.group, key.upn))
                .or_default()
                .add_code(&mark.code, key.date);
            Ok(())
        })?;
        let row = |key: String, label: String, members: &[&String]| -> ReportRow {
            let mut tally = Tally::default();
            let (mut pa, mut sa) = (0, 0);
            for upn in members {
                let t = per_pupil.get(*upn).copied().unwrap_or_default();
                tally.merge(&t);
                pa += u32::from(t.is_persistent_absence());
                sa += u32::from(t.is_severe_absence());
            }
            aggregate_row(key, label, members.len() as u32, tally, pa, sa, &school)
        };
        let mut rows = match by {
            ReportBy::Pupil => {
                let mut rows: Vec<(Option<&Pupil>, ReportRow)> = per_pupil
                    .iter()
                    .map(|(upn, t)| {
                        let pupil = pupils.get(upn);
                        let name = pupil.map(Pupil::display_name).unwrap_or_default();
                        let row = aggregate_row(
                            upn.clone(),
                            name,
                            1,
                            *t,
                            u32::from(t.is_persistent_absence()),
                            u32::from(t.is_severe_absence()),
                            &school,
                        );
                        (pupil, row)
                    })
                    .collect();
                rows.sort_by_key(|(p, r)| (p.map(|p| p.sort_key()), r.key.clone()));
                rows.into_iter().map(|(_, r)| r).collect()
            }
            ReportBy::Group => {
                let mut groups: BTreeMap<&String, (Tally, Vec<&String>)> = BTreeMap::new();
                for ((group, upn), t) in &per_group {
                    let entry = groups.entry(group).or_default();
                    entry.0.merge(t);
                    entry.1.push(upn);
                }
                let mut rows: Vec<ReportRow> = groups
                    .into_iter()
                    .map(|(group, (tally, members))| {
                        let pa = members
                            .iter()
                            .filter(|u| per_pupil[**u].is_persistent_absence())
                            .count();
                        let sa = members
                            .iter()
                            .filter(|u| per_pupil[**u].is_severe_absence())
                            .count();
                        aggregate_row(
                            group.clone(),
                            String::new(),
                            members.len() as u32,
                            tally,
                            pa as u32,
                            sa as u32,
                            &school,
                        )
                    })
                    .collect();
                let order: HashMap<&str, usize> = school
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (g.name.as_str(), i))
                    .collect();
                rows.sort_by_key(|r| {
                    (
                        order.get(r.key.as_str()).copied().unwrap_or(usize::MAX),
                        r.key.clone(),
                    )
                });
                rows
            }
            ReportBy::Year => {
                let mut years: BTreeMap<_, Vec<&String>> = BTreeMap::new();
                for upn in per_pupil.keys() {
                    let year = pupils.get(upn).map(|p| p.year);
                    years.entry(year).or_default().push(upn);
                }
                years
                    .into_iter()
                    .map(|(year, members)| {
                        let key = year.map_or("unknown".to_string(), |y| y.to_string());
                        row(key, String::new(), &members)
                    })
                    .collect()
            }
            ReportBy::School => {
                let members: Vec<&String> = per_pupil.keys().collect();
                vec![row(school.name.clone(), String::new(), &members)]
            }
        };
        if by != ReportBy::Pupil {
            for r in &mut rows {
                r.label = format!("{} pupils", r.pupils);
            }
        }
        Ok(Response::Report { rows })
    }

    fn alerts(&self, account: &str, on: Option<NaiveDate>) -> Result<Response> {
        self.staff(account)?;
        let school = self.school()?;
        let calendar = &school.calendar;
        let on = on.unwrap_or(self.now().date());
        let year_start = Calendar::academic_year_start(on);
        let year_end = Calendar::academic_year_end(on);
        let window_start = calendar.school_weeks_back(on, thresholds::PENALTY_SCHOOL_WEEKS);
        let from = year_start.min(window_start);
        let r = self.store.read()?;
        let mut pupils = r.pupils()?;
        pupils.sort_by_key(Pupil::sort_key);
        let mut alerts = Vec::new();
        for pupil in &pupils {
            // Marks after `on` are pre-entries: only the illness threshold looks ahead.
            let marks: Vec<SessionMark> = r
                .pupil_codes(&pupil.upn, from, year_end)?
                .into_iter()
                .map(|(date, session, code)| SessionMark {
                    date,
                    session,
                    code,
                })
                .collect();
            if marks.is_empty() {
                continue;
            }
            let (so_far, _) = marks.split_at(marks.partition_point(|m| m.date <= on));
            let mut hits = Vec::new();
            hits.extend(thresholds::penalty_notice(so_far, calendar, on));
            hits.extend(thresholds::continuous_unauthorised(
                so_far, calendar, year_start, on,
            ));
            hits.extend(thresholds::illness(&marks, year_start, on, year_end));
            let group = r.group_on(&pupil.upn, on)?;
            alerts.extend(hits.into_iter().map(|hit| Alert {
                upn: pupil.upn.clone(),
                name: pupil.display_name(),
                group: group.clone(),
                kind: hit.kind,
                summary: hit.summary,
                evidence: hit.evidence,
            }));
        }
        // Unresolved N come from their own index, however old.
        let pending: Vec<SessionKey> = r
            .pending_n()?
            .into_iter()
            .filter(|k| k.date <= on)
            .collect();
        let by_upn: HashMap<&str, &Pupil> = pupils.iter().map(|p| (p.upn.as_str(), p)).collect();
        for key in pending {
            let mark = SessionMark::new(key.date, key.session, "N");
            for hit in thresholds::unresolved_n(std::slice::from_ref(&mark), calendar, on) {
                let pupil = by_upn.get(key.upn.as_str());
                alerts.push(Alert {
                    upn: key.upn.clone(),
                    name: pupil.map(|p| p.display_name()).unwrap_or_default(),
                    group: r.mark(&key)?.map(|m| m.group),
                    kind: hit.kind,
                    summary: hit.summary,
                    evidence: hit.evidence,
                });
            }
        }
        Ok(Response::Alerts { alerts })
    }

    fn history(
        &self,
        account: &str,
        upn: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        self.staff(account)?;
        let r = self.store.read()?;
        let pupil = r
            .pupil(upn)?
            .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        Ok(Response::History(MarkHistory {
            upn: upn.to_string(),
            name: pupil.display_name(),
            date,
            session,
            current: r.mark(&key)?,
            changes: r.history(&key)?,
        }))
    }

    fn class_list(&self, account: &str, date: Option<NaiveDate>) -> Result<Response> {
        let staff = self.staff(account)?;
        let school = self.school()?;
        let now = self.now();
        let date = date.unwrap_or(now.date());
        let r = self.store.read()?;
        let all_staff: HashMap<String, Staff> = r
            .all_staff()?
            .into_iter()
            .map(|s| (s.account.clone(), s))
            .collect();
        let day_marks: [HashMap<String, MarkRecord>; 2] = [
            r.marks_on(date, Session::Am)?.into_iter().collect(),
            r.marks_on(date, Session::Pm)?.into_iter().collect(),
        ];
        let mut groups = Vec::new();
        for group in &school.groups {
            let roll = r.roll(&group.name, date)?;
            let mut sessions = Vec::with_capacity(2);
            for session in Session::BOTH {
                let marks = &day_marks[session.index() as usize];
                let mut tally = Tally::default();
                let mut marked = 0;
                for upn in &roll {
                    if let Some(m) = marks.get(upn) {
                        marked += 1;
                        tally.add_code(&m.code, date);
                    }
                }
                let (clock, _) =
                    self.register_clock(&r, &school, &group.name, date, session, now)?;
                let in_session = school.calendar.is_school_session(date, session);
                sessions.push(SessionSummary {
                    status: clock.status(marked, roll.len()),
                    marked: marked as u32,
                    on_roll: roll.len() as u32,
                    missing: in_session && clock.is_missing(marked, roll.len()),
                    tally,
                });
            }
            let sessions: [SessionSummary; 2] = sessions
                .try_into()
                .map_err(|_| ServiceError::Store("two sessions expected".into()))?;
            groups.push(GroupRow {
                name: group.name.clone(),
                tutors: group
                    .tutors
                    .iter()
                    .map(|t| all_staff.get(t).map_or(t.clone(), |s| s.name.clone()))
                    .collect(),
                mine: group.is_tutor(&staff.account),
                sessions,
            });
        }
        // The signed-in teacher's groups first, then the rest in configuration order.
        groups.sort_by_key(|g| !g.mine);
        let not_in_session = Session::BOTH.map(|s| {
            school
                .calendar
                .check_session(date, s)
                .err()
                .map(|e| e.to_string())
        });
        Ok(Response::ClassList(ClassList {
            date,
            now,
            not_in_session,
            times: [school.sessions.am, school.sessions.pm],
            groups,
        }))
    }

    fn register(
        &self,
        account: &str,
        group_name: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        let staff = self.staff(account)?;
        let school = self.school()?;
        let group = self.known_group(&school, group_name)?;
        let now = self.now();
        let r = self.store.read()?;
        let (clock, closed) = self.register_clock(&r, &school, group_name, date, session, now)?;
        let year_start = Calendar::academic_year_start(date);
        let term_start = school
            .calendar
            .term_containing(date)
            .map_or(year_start, |t| t.start);
        let mut rows = Vec::new();
        let mut term_tally = Tally::default();
        for upn in r.roll(group_name, date)? {
            let Some(pupil) = r.pupil(&upn)? else {
                continue;
            };
            let key = SessionKey {
                date,
                session,
                upn: upn.clone(),
            };
            let mut ytd = Tally::default();
            let joined = r
                .memberships(&upn)?
                .into_iter()
                .rev()
                .find(|m| m.covers(date))
                .map_or(term_start, |m| m.start);
            for (d, s, code) in r.pupil_codes(&upn, year_start, date)? {
                if (d, s) > (date, session) {
                    continue;
                }
                ytd.add_code(&code, d);
                if d >= term_start.max(joined) {
                    term_tally.add_code(&code, d);
                }
            }
            rows.push(RegisterRow {
                upn,
                surname: pupil.surname,
                forename: pupil.forename,
                year: pupil.year,
                mark: r.mark(&key)?,
                ytd,
            });
        }
        rows.sort_by_key(|row| {
            (
                row.surname.to_lowercase(),
                row.forename.to_lowercase(),
                row.upn.clone(),
            )
        });
        let session_check = school.calendar.check_session(date, session);
        let can_mark = check_change(&MarkAttempt {
            role: staff.role,
            is_tutor: group.is_tutor(&staff.account),
            group: group_name,
            code: codes::lookup(session.present_code()).expect("present code"),
            clock,
            school_session: &session_check,
            has_reason: false,
        })
        .map(|_| ());
        Ok(Response::Register(RegisterView {
            group: group_name.to_string(),
            tutors: group.tutors.clone(),
            date,
            session,
            times: clock.times,
            now,
            closed,
            not_in_session: session_check.err().map(|e| e.to_string()),
            rows,
            term_tally,
            can_mark,
        }))
    }

    fn find_pupils(&self, account: &str, query: &str, date: Option<NaiveDate>) -> Result<Response> {
        self.staff(account)?;
        let date = date.unwrap_or(self.now().date());
        let r = self.store.read()?;
        let needle = query.trim().to_lowercase();
        let mut found: Vec<Pupil> = r
            .pupils()?
            .into_iter()
            .filter(|p| {
                // Names match from the start of a surname or forename, or the UPN's start.
                let full = format!("{} {}", p.surname, p.forename).to_lowercase();
                let reversed = format!("{} {}", p.forename, p.surname).to_lowercase();
                needle.is_empty()
                    || p.upn.to_lowercase().starts_with(&needle)
                    || full.starts_with(&needle)
                    || reversed.starts_with(&needle)
                    || full.split([' ', '-']).any(|word| word.starts_with(&needle))
            })
            .collect();
        found.sort_by_key(Pupil::sort_key);
        let mut pupils = Vec::new();
        for p in found.into_iter().take(200) {
            let group = r.group_on(&p.upn, date)?;
            let mark = |session| {
                r.mark(&SessionKey {
                    date,
                    session,
                    upn: p.upn.clone(),
                })
            };
            let marks = [mark(Session::Am)?, mark(Session::Pm)?];
            pupils.push(PupilHit {
                upn: p.upn,
                surname: p.surname,
                forename: p.forename,
                year: p.year,
                group,
                marks,
            });
        }
        Ok(Response::Pupils { pupils })
    }

    fn n_queue(&self, account: &str, on: Option<NaiveDate>) -> Result<Response> {
        self.staff(account)?;
        let school = self.school()?;
        let on = on.unwrap_or(self.now().date());
        let r = self.store.read()?;
        let mut items = Vec::new();
        for key in r.pending_n()? {
            let Some(mark) = r.mark(&key)? else { continue };
            let name = r
                .pupil(&key.upn)?
                .map(|p| p.display_name())
                .unwrap_or_default();
            let deadline = thresholds::n_deadline(&school.calendar, key.date);
            items.push(NItem {
                days_left: thresholds::school_days_left(&school.calendar, on, deadline),
                date: key.date,
                session: key.session,
                upn: key.upn,
                name,
                group: mark.group,
                deadline,
                recorded_by: mark.recorded_by,
            });
        }
        Ok(Response::NQueue { items })
    }
}

/// The pupil's latest membership still running on or after `from`, if any.
fn current_membership(
    tx: &Tx<impl Tables>,
    upn: &str,
    from: NaiveDate,
) -> Result<Option<Membership>> {
    Ok(tx
        .memberships(upn)?
        .into_iter()
        .rev()
        .find(|m| m.end.is_none_or(|e| e >= from)))
}

fn membership(group: &str, from: NaiveDate) -> Membership {
    Membership {
        group: group.to_string(),
        start: from,
        end: None,
    }
}

fn unknown_account(account: &str) -> String {
    format!(
        "account `{account}` is not on rollcall's staff list. An admin can add it with: \
         rollcall staff add --account {account} --name \"NAME\" --position \"POSITION\" --role teacher|office|admin"
    )
}

fn conflict_message(
    pupil: &Pupil,
    current: Option<&MarkRecord>,
    tx: &Tx<impl Tables>,
) -> Result<String> {
    Ok(match current {
        Some(m) => {
            let who = tx
                .staff(&m.recorded_by)?
                .map_or(m.recorded_by.clone(), |s| s.name);
            format!(
                "{} was marked {} by {who} at {} while you were looking: nothing saved; check the mark and try again",
                pupil.display_name(),
                m.code,
                m.recorded_at.format("%H:%M")
            )
        }
        None => format!(
            "{}'s mark was withdrawn while you were looking: nothing saved; check and try again",
            pupil.display_name()
        ),
    })
}

fn aggregate_row(
    key: String,
    label: String,
    pupils: u32,
    tally: Tally,
    pa: u32,
    sa: u32,
    school: &School,
) -> ReportRow {
    let attendance = tally.attendance_pct();
    ReportRow {
        key,
        label,
        pupils,
        tally,
        attendance_pct: attendance,
        absence_pct: tally.absence_pct(),
        pa,
        sa,
        band: attendance
            .and_then(|pct| band_for(&school.bands, pct))
            .map(|b| b.name.clone()),
    }
}

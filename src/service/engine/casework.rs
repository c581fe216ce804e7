//! Casework: leave of absence requests and the head's decision (SPEC §8.3), penalty notices
//! per parent and per child (SPEC §8.1). Every step is a case step with who took it; a
//! decision that writes marks writes them in the same transaction, as amendments with the
//! request named as their reason.

use super::core::{Engine, Result, checked_note, invalid, refused};
use super::ctx::Ctx;
use crate::domain::School;
use crate::domain::casework::{
    Case, CaseBody, CaseEntry, CaseStep, LeaveState, PenaltyState, fits_granted_leave,
    penalty_allowed, penalty_due, pounds, same_parent,
};
use crate::domain::codes::{Code, for_new_mark};
use crate::domain::figures::compulsory_school_age;
use crate::domain::marks::SessionKey;
use crate::domain::register::Role;
use crate::domain::session::Session;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::Writer;
use chrono::NaiveDate;

impl Engine {
    pub(super) fn casework(&self, ctx: &Ctx, request: CaseRequest) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("only office staff and admins keep casework");
        }
        match request {
            CaseRequest::List { upn, open, due } => {
                let on = ctx.now.date();
                let calendar = &ctx.school()?.calendar;
                let r = self.store.read()?;
                if let Some(upn) = &upn {
                    known_pupil(&r, upn)?;
                }
                let mut cases = Vec::new();
                for case in r.cases(upn.as_deref())? {
                    let view = self.view(&r, case, on, calendar)?;
                    if (!open || view.open) && (!due || view.due.is_some()) {
                        cases.push(view);
                    }
                }
                Ok(Response::Cases { cases })
            }
            CaseRequest::Suspensions { on } => self.suspensions(ctx, on),
            CaseRequest::Close { id, note } => self.close_case(ctx, id, &note),
            CaseRequest::NoticeIssue {
                upn,
                notice,
                date,
                weeks,
                note,
            } => self.notice_issue(ctx, &upn, notice, date, weeks, &note),
            CaseRequest::NoticeEnd { id, improved, note } => {
                self.notice_end(ctx, id, improved, &note)
            }
            CaseRequest::PartTime {
                upn,
                from,
                review,
                la_told,
                note,
            } => self.part_time(ctx, &upn, from, review, la_told, &note),
            CaseRequest::Review { id, next, note } => self.review(ctx, id, next, &note),
            CaseRequest::LaTold { id, date } => self.la_told(ctx, id, date),
            CaseRequest::EvidenceAsk {
                upn,
                ill_from,
                date,
                note,
            } => self.evidence_ask(ctx, &upn, ill_from, date, &note),
            CaseRequest::EvidenceReceived { id, date, note } => {
                self.evidence_received(ctx, id, date, &note)
            }
            CaseRequest::Meeting {
                upn,
                meeting,
                date,
                people,
                actions,
                review,
            } => self.meeting(ctx, &upn, meeting, date, &people, &actions, review),
            CaseRequest::LeaveAsk {
                upn,
                from,
                to,
                reason,
                asked,
            } => self.leave_ask(ctx, &upn, from, to, &reason, asked),
            CaseRequest::LeaveDecide { id, grant, note } => {
                self.leave_decide(ctx, id, grant.as_deref(), &note)
            }
            CaseRequest::LeaveTaken { id } => self.leave_taken(ctx, id),
            CaseRequest::PenaltyIssue {
                upn,
                parent,
                date,
                note,
            } => self.penalty_issue(ctx, &upn, &parent, date, &note),
            CaseRequest::PenaltyPay { id, date } => self.penalty_step(ctx, id, date, None),
            CaseRequest::PenaltyWithdraw { id, date, reason } => {
                self.penalty_step(ctx, id, date, Some(&reason))
            }
        }
    }

    fn view(
        &self,
        r: &crate::store::Reader,
        case: Case,
        on: NaiveDate,
        calendar: &crate::domain::calendar::Calendar,
    ) -> Result<CaseView> {
        let name = r
            .pupil(&case.upn)?
            .map_or_else(|| case.upn.clone(), |p| p.display_name());
        let mut standing = case.standing(on, calendar);
        let untaken = self.refused_days_unexplained(r, &case, on, calendar)?;
        if untaken > 0 {
            standing.open = true;
            standing.due = Some(format!(
                "{untaken} session(s) of the refused days recorded N: `taken` records them as G"
            ));
        }
        let breaches = self.warning_breaches(r, &case, on)?;
        if let Some((d, s, c)) = breaches.first() {
            standing.due = Some(format!(
                "{} unauthorised session(s) in the warning period, the first {d} {} ({c}): it leads on (a penalty notice)",
                breaches.len(),
                s.label()
            ));
        }
        Ok(CaseView {
            case,
            name,
            state: standing.words,
            open: standing.open,
            due: standing.due,
        })
    }

    fn leave_ask(
        &self,
        ctx: &Ctx,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
        reason: &str,
        asked: Option<NaiveDate>,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let reason = checked_note("the reason", reason, "say what the leave is for")?;
        let today = ctx.now.date();
        let asked = asked.unwrap_or(today);
        if asked > today {
            return invalid(format!(
                "--asked {asked} is after today ({today}): enter a request once it is made"
            ));
        }
        if to < from {
            return invalid(format!("{to} is before {from}"));
        }
        if school.calendar.school_days(from, to).next().is_none() {
            return invalid(format!(
                "no school day from {from} to {to}: no leave is needed"
            ));
        }
        let body = CaseBody::Leave {
            from,
            to,
            reason: reason.to_string(),
            asked,
        };
        if (to - from).num_days() > 366 {
            return invalid(format!(
                "{from} to {to} is longer than a school year: ask for each year's leave apart"
            ));
        }
        let first_day = school.calendar.school_days(from, to).next().unwrap_or(from);
        let (case, message) = self.store.write(|w| {
            pupil_on_roll(w, upn, first_day)?;
            // One request for the same days at a time: a new one after a refusal is a new
            // request, but one waiting or granted is not asked again.
            for c in w.cases(Some(upn))? {
                if let CaseBody::Leave { from: f, to: t, .. } = c.body
                    && f <= to
                    && from <= t
                    && matches!(
                        c.leave_state(),
                        Some(LeaveState::Waiting | LeaveState::Granted(_))
                    )
                    && c.closed().is_none()
                {
                    return refused(format!(
                        "leave request {} ({f} to {t}) covers some of these days and is {}",
                        c.id,
                        match c.leave_state() {
                            Some(LeaveState::Granted(code)) => format!("granted as {code}"),
                            _ => "waiting for a decision".into(),
                        }
                    ));
                }
            }
            let id = w.open_case(upn, &body, "", ctx.now, &ctx.staff.account)?;
            Ok::<_, ServiceError>((
                id,
                format!("leave request {id} recorded: waiting for a decision"),
            ))
        })?;
        self.case_done(ctx, case, message)
    }

    fn leave_decide(
        &self,
        ctx: &Ctx,
        id: u32,
        grant: Option<&str>,
        note: &str,
    ) -> Result<Response> {
        // The head decides (the regulations give the head teacher the decision).
        if ctx.staff.role != Role::Admin {
            return refused(
                "leave of absence is decided by the head: only an admin decides requests",
            );
        }
        let school = ctx.school()?;
        let note = checked_note(
            "the note",
            note,
            "say why, as the letter to the parent will",
        )?;
        let case = self.case_of(id)?;
        let CaseBody::Leave { from, to, .. } = case.body else {
            return invalid(format!("case {id} is not a leave request"));
        };
        if let Some(LeaveState::Granted(_) | LeaveState::Refused) = case.leave_state() {
            let state = case.standing(ctx.now.date(), &school.calendar).words;
            return refused(format!("leave request {id} was decided already: {state}"));
        }
        let granted = match grant {
            Some(code) => {
                let info = for_new_mark(code).map_err(|e| ServiceError::Invalid(e.to_string()))?;
                fits_granted_leave(info.code, from).map_err(ServiceError::Invalid)?;
                Some(info.code)
            }
            None => None,
        };
        let why = match granted {
            Some(code) => format!("leave of absence granted as {code} (request {id})"),
            None => format!("leave of absence refused (request {id}): unauthorised"),
        };
        let (message, events) = self.store.write(|w| {
            // Decided once, whoever sends a decision at the same moment; never once closed.
            if let Some(now) = w.case(id)? {
                refuse_if_closed(&now)?;
            }
            if let Some(now) = w.case(id)?
                && let Some(LeaveState::Granted(_) | LeaveState::Refused) = now.leave_state()
            {
                let state = now.standing(ctx.now.date(), &school.calendar).words;
                return refused(format!("leave request {id} was decided already: {state}"));
            }
            let mut events = Vec::new();
            // Absences already recorded without a reason (`N`) on the days, a request decided
            // after its first day: they take the decision's code.
            let code = granted.unwrap_or(Code::G);
            let amended = self.amend_unexplained(w, ctx, school, &case, code, &why, &mut events)?;
            let mut plan_id = None;
            let mut said = String::new();
            if let Some(code) = granted {
                let plan = PlanRequest {
                    upn: case.upn.clone(),
                    group: None,
                    every: Vec::new(),
                    from,
                    from_session: Session::Am,
                    to,
                    to_session: Session::Pm,
                    code: code.to_string(),
                    note: Some(why.clone()),
                    dry_run: false,
                };
                let (info, sessions) = self.plan_sessions(school, &plan)?;
                let (summary, planned) = self.plan_in(w, ctx, school, &plan, info, sessions)?;
                // A grant that records nothing (a code no session of it can take) is no
                // grant: refused, and the request still waits.
                if summary.marked.is_empty() && amended == 0 {
                    let why = summary
                        .skipped
                        .first()
                        .map(|(d, s, why)| format!(" ({d} {}: {why})", s.label()))
                        .unwrap_or_default();
                    return refused(format!(
                        "granting leave request {id} as {code} would record no session{why}: \
                         it still waits for a decision"
                    ));
                }
                events.extend(planned);
                plan_id = summary.id;
                said = format!(
                    "granted as {code}: {} sessions planned{}",
                    summary.marked.len(),
                    plan_id.map(|p| format!(" (plan {p})")).unwrap_or_default()
                );
                let left: Vec<String> = summary
                    .skipped
                    .iter()
                    .filter(|(_, _, why)| !why.starts_with("already marked"))
                    .map(|(d, s, why)| format!("{d} {}: {why}", s.label()))
                    .collect();
                if !left.is_empty() {
                    said.push_str(&format!("; left alone: {}", left.join(", ")));
                }
            } else {
                said.push_str("refused");
            }
            if amended > 0 {
                said.push_str(&format!(
                    "; {amended} sessions already recorded N amended to {code}"
                ));
            }
            let step = match granted {
                Some(code) => CaseStep::Granted {
                    code,
                    plan: plan_id,
                },
                None => CaseStep::Refused,
            };
            w.put_case_step(id, &self.entry(ctx, step, note))?;
            if granted.is_none() && amended > 0 {
                w.put_case_step(
                    id,
                    &self.entry(ctx, CaseStep::Taken { sessions: amended }, &why),
                )?;
            }
            Ok::<_, ServiceError>((format!("leave request {id} {said}"), events))
        })?;
        for event in events {
            self.notify(event);
        }
        self.case_done(ctx, id, message)
    }

    /// After a refusal, the sessions of its days that have begun and are recorded `N`.
    pub(super) fn refused_days_unexplained(
        &self,
        r: &crate::store::Reader,
        case: &Case,
        on: NaiveDate,
        calendar: &crate::domain::calendar::Calendar,
    ) -> Result<u32> {
        let CaseBody::Leave { from, to, .. } = case.body else {
            return Ok(0);
        };
        if case.leave_state() != Some(LeaveState::Refused) || from > on || case.closed().is_some() {
            return Ok(0);
        }
        Ok(r.pupil_codes(&case.upn, from, to.min(on))?
            .into_iter()
            .filter(|(d, s, c)| *c == Code::N && calendar.is_school_session(*d, *s))
            .count() as u32)
    }

    /// After a refusal: every `N` on the request's days up to now recorded as `G`.
    fn leave_taken(&self, ctx: &Ctx, id: u32) -> Result<Response> {
        let school = ctx.school()?;
        let case = self.case_of(id)?;
        refuse_if_closed(&case)?;
        if case.leave_state() != Some(LeaveState::Refused) {
            return refused(format!(
                "leave request {id} was not refused: only absence after a refusal is recorded as taken"
            ));
        }
        let why = format!("leave of absence refused (request {id}): unauthorised");
        let (count, events) = self.store.write(|w| {
            let mut events = Vec::new();
            let count =
                self.amend_unexplained(w, ctx, school, &case, Code::G, &why, &mut events)?;
            if count > 0 {
                w.put_case_step(
                    id,
                    &self.entry(ctx, CaseStep::Taken { sessions: count }, &why),
                )?;
            }
            Ok::<_, ServiceError>((count, events))
        })?;
        for event in events {
            self.notify(event);
        }
        let message = if count == 0 {
            format!("leave request {id}: no session on its days is recorded N; nothing changed")
        } else {
            format!("leave request {id}: {count} sessions recorded N are now G")
        };
        self.case_done(ctx, id, message)
    }

    /// The request's sessions that have begun and are recorded `N`, amended to `code` with
    /// `why` as the reason: how many.
    #[allow(clippy::too_many_arguments)]
    fn amend_unexplained(
        &self,
        w: &mut Writer<'_>,
        ctx: &Ctx,
        school: &School,
        case: &Case,
        code: Code,
        why: &str,
        events: &mut Vec<Event>,
    ) -> Result<u32> {
        let CaseBody::Leave { from, to, .. } = case.body else {
            return Ok(0);
        };
        let mut count = 0;
        for (date, session) in school.calendar.school_sessions(from, to) {
            if !school.has_begun(date, session, ctx.now) {
                break;
            }
            let key = SessionKey {
                date,
                session,
                upn: case.upn.clone(),
            };
            let Some(mark) = w.mark(&key)? else {
                continue;
            };
            if mark.code != Code::N {
                continue;
            }
            let req = MarkRequest {
                register: RegisterId {
                    group: mark.group.clone(),
                    date,
                    session,
                },
                upn: case.upn.clone(),
                code: code.to_string(),
                // `C` and its kin carry a note of the circumstance: the decision is it.
                note: Some(why.to_string()),
                reason: Some(why.to_string()),
                expect: Expect::Anything,
                ..MarkRequest::default()
            };
            let outcome = self.apply_mark(w, ctx, school, &req, None)?;
            events.push(Event::saved(&mark.group, &outcome));
            count += 1;
        }
        Ok(count)
    }

    fn penalty_issue(
        &self,
        ctx: &Ctx,
        upn: &str,
        parent: &str,
        date: NaiveDate,
        note: &str,
    ) -> Result<Response> {
        let parent = checked_note("the parent", parent, "name the parent the notice is to")?;
        let note = checked_note(
            "the note",
            note,
            "say what the notice is for (the sessions, the warning before it)",
        )?;
        let today = ctx.now.date();
        if date > today {
            return invalid(format!(
                "{date} is after today ({today}): record a notice once issued"
            ));
        }
        let (id, second) = self.store.write(|w| {
            let pupil = pupil_on_roll(w, upn, date)?;
            // SPEC §7.4: penalty notices concern pupils of compulsory school age.
            if !compulsory_school_age(pupil.dob, date) {
                return refused(format!(
                    "{} is not of compulsory school age on {date}: no penalty notice applies",
                    pupil.display_name()
                ));
            }
            let earlier: Vec<NaiveDate> = w
                .cases(Some(upn))?
                .into_iter()
                .filter(|c| !c.is_withdrawn())
                .filter_map(|c| match c.body {
                    CaseBody::Penalty {
                        parent: p, issued, ..
                    } if same_parent(&p, parent) => Some(issued),
                    _ => None,
                })
                .collect();
            // Recorded in the order they were issued: a notice dated before one already
            // recorded would change what that one should have been.
            if let Some(latest) = earlier.iter().max()
                && date < *latest
            {
                return refused(format!(
                    "a notice to this parent for this child is recorded as issued on {latest}: \
                     one issued earlier must be recorded first (withdraw the later one, record \
                     the earlier, then the later again)"
                ));
            }
            let second = penalty_allowed(&earlier, date).map_err(ServiceError::Refused)?;
            let body = CaseBody::Penalty {
                parent: parent.to_string(),
                issued: date,
                second,
            };
            let id = w.open_case(upn, &body, note, ctx.now, &ctx.staff.account)?;
            Ok::<_, ServiceError>((id, second))
        })?;
        let terms = if second {
            format!(
                "a second within three years: {} with no reduction",
                pounds(crate::domain::casework::PENALTY_PENCE)
            )
        } else {
            format!(
                "a first: {} if paid within 21 days, {} within 28",
                pounds(crate::domain::casework::PENALTY_REDUCED_PENCE),
                pounds(crate::domain::casework::PENALTY_PENCE)
            )
        };
        self.case_done(ctx, id, format!("penalty notice {id} recorded, {terms}"))
    }

    /// A notice paid (`reason` none) or withdrawn.
    fn penalty_step(
        &self,
        ctx: &Ctx,
        id: u32,
        date: NaiveDate,
        reason: Option<&str>,
    ) -> Result<Response> {
        let today = ctx.now.date();
        if date > today {
            return invalid(format!("{date} is after today ({today})"));
        }
        let case = self.case_of(id)?;
        let CaseBody::Penalty { issued, second, .. } = case.body else {
            return invalid(format!("case {id} is not a penalty notice"));
        };
        if date < issued {
            return invalid(format!("{date} is before the notice was issued ({issued})"));
        }
        if let Some(PenaltyState::Paid { .. } | PenaltyState::Withdrawn) = case.penalty_state(today)
        {
            let state = case.standing(today, &ctx.school()?.calendar).words;
            return refused(format!("penalty notice {id} is closed: {state}"));
        }
        let (step, note, message) = match reason {
            Some(reason) => {
                let reason = checked_note("the reason", reason, "say why it is withdrawn")?;
                (
                    CaseStep::Withdrawn { on: date },
                    reason.to_string(),
                    format!("penalty notice {id} withdrawn"),
                )
            }
            None => {
                let Some(pence) = penalty_due(issued, second, date) else {
                    return refused(format!(
                        "{date} is more than 28 days after the notice was issued ({issued}): it \
                         was not paid in time, and the local authority considers prosecution"
                    ));
                };
                (
                    CaseStep::Paid { on: date, pence },
                    format!("paid {} on {date}", pounds(pence)),
                    format!("penalty notice {id} paid: {} on {date}", pounds(pence)),
                )
            }
        };
        self.step_with(ctx, id, &note, |case| {
            // Checked again in the write: a payment and a withdrawal sent at once, one wins.
            if let Some(PenaltyState::Paid { .. } | PenaltyState::Withdrawn) =
                case.penalty_state(today)
            {
                return refused(format!("penalty notice {id} was closed a moment ago"));
            }
            Ok(step)
        })?;
        self.case_done(ctx, id, message)
    }

    /// Appends the step `make` gives for the case as it is inside the write, as the person
    /// acting: two steps sent at once are taken one after the other, and the second is
    /// checked against the first (a notice is paid once, a request decided once).
    pub(super) fn step_with(
        &self,
        ctx: &Ctx,
        id: u32,
        note: &str,
        make: impl FnOnce(Case) -> Result<CaseStep>,
    ) -> Result<()> {
        self.store.write(|w| {
            let case = w
                .case(id)?
                .ok_or_else(|| ServiceError::NotFound(format!("no case {id}")))?;
            refuse_if_closed(&case)?;
            let step = make(case)?;
            w.put_case_step(id, &self.entry(ctx, step, note))?;
            Ok::<_, ServiceError>(())
        })
    }

    pub(super) fn case_of(&self, id: u32) -> Result<Case> {
        self.store.read()?.case(id)?.ok_or_else(|| {
            ServiceError::NotFound(format!("no case {id}: `rollcall cases` lists them"))
        })
    }

    fn entry(&self, ctx: &Ctx, step: CaseStep, note: &str) -> CaseEntry {
        CaseEntry {
            step,
            note: note.to_string(),
            at: ctx.now,
            account: ctx.staff.account.clone(),
            name: ctx.staff.name.clone(),
            position: ctx.staff.position.clone(),
        }
    }

    pub(super) fn case_done(&self, ctx: &Ctx, id: u32, message: String) -> Result<Response> {
        let r = self.store.read()?;
        let case = r
            .case(id)?
            .ok_or_else(|| ServiceError::NotFound(format!("no case {id}")))?;
        Ok(Response::CaseDone {
            case: Box::new(self.view(&r, case, ctx.now.date(), &ctx.school()?.calendar)?),
            message,
        })
    }
}

/// A pupil on roll on `date`: a case is about days they were the school's.
pub(super) fn pupil_on_roll<T: crate::store::Kind>(
    t: &crate::store::Tables<T>,
    upn: &str,
    date: NaiveDate,
) -> Result<crate::domain::people::Pupil> {
    let pupil = known_pupil(t, upn)?;
    if t.group_on(upn, date)?.is_none() {
        return refused(format!(
            "{} is not on roll on {date}: a case is about days the pupil was at this school",
            pupil.display_name()
        ));
    }
    Ok(pupil)
}

/// A closed case takes no step: it was closed with why, and reopening it is a new case.
fn refuse_if_closed(case: &Case) -> Result<()> {
    match case.closed() {
        Some(closed) => refused(format!(
            "case {} was closed on {} ({}): it takes no more steps",
            case.id,
            closed.at.date(),
            closed.note
        )),
        None => Ok(()),
    }
}

pub(super) fn known_pupil<T: crate::store::Kind>(
    t: &crate::store::Tables<T>,
    upn: &str,
) -> Result<crate::domain::people::Pupil> {
    t.pupil(upn)?
        .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))
}

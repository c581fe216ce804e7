//! Marking: one mark, several at once, undo while open, closing a register, and planned
//! absences. Every change goes through [`Engine::apply_mark`], which applies the rules.

use super::core::{Engine, Result, invalid, refused};
use super::ctx::Ctx;
use crate::domain::School;
use crate::domain::codes::{Code, CodeInfo, for_new_mark};
use crate::domain::marks::Source;
use crate::domain::marks::{Change, ClosedRegister, Mark, SessionKey};
use crate::domain::people::{Group, Pupil};
use crate::domain::register::{
    ChangeKind, ClearAttempt, MarkAttempt, RegisterClock, Role, check_change, check_clear,
    resolve_code,
};
use crate::domain::session::{Phase, Session, hm};
use crate::domain::stats::Tally;
use crate::domain::validity::{MarkFor, unfit};
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::{Kind, Tables, Writer};
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl Engine {
    pub(super) fn register_clock<T: Kind>(
        &self,
        tx: &Tables<T>,
        school: &School,
        group: &str,
        date: NaiveDate,
        session: Session,
        ctx: &Ctx,
    ) -> Result<(RegisterClock, Option<ClosedRegister>)> {
        let closed = tx.closed_register(group, date, session)?;
        Ok((
            RegisterClock {
                date,
                session,
                times: *self.group_plan(tx, school, group, date)?.times(session),
                now: ctx.now,
                locked: closed.is_some(),
            },
            closed,
        ))
    }

    /// The times a group's register follows on a date (SPEC §1.7): a timing naming the group,
    /// else the timing of its pupils' year (its first pupil's on roll that day), else the
    /// school's. Reads nothing when no timing is by year.
    pub(super) fn group_plan<'s, T: Kind>(
        &self,
        tx: &Tables<T>,
        school: &'s School,
        group: &str,
        date: NaiveDate,
    ) -> Result<&'s crate::domain::session::SessionPlan> {
        if !school.needs_year(group) {
            return Ok(school.plan_for(group, None));
        }
        let year = match tx.roll(group, date)?.first() {
            Some(upn) => tx.pupil(upn)?.map(|p| p.year),
            None => None,
        };
        Ok(school.plan_for(group, year))
    }

    /// Whether the acting person takes this register: one of the group's tutors, or the
    /// teacher the office has assigned to cover it.
    pub(super) fn takes_register<T: Kind>(
        &self,
        tx: &Tables<T>,
        group: &Group,
        account: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<bool> {
        Ok(group.is_tutor(account)
            || tx
                .cover(&group.name, date, session)?
                .is_some_and(|c| c.account.as_deref() == Some(account)))
    }

    pub(super) fn known_group<'s>(&self, school: &'s School, group: &str) -> Result<&'s Group> {
        school.group(group).ok_or_else(|| {
            let names: Vec<&str> = school.groups.iter().map(|g| g.name.as_str()).collect();
            ServiceError::NotFound(format!(
                "no registration group `{group}` (groups: {})",
                names.join(", ")
            ))
        })
    }

    /// Applies one mark inside a write transaction; the transaction commits it.
    pub(super) fn apply_mark(
        &self,
        w: &mut Writer<'_>,
        ctx: &Ctx,
        school: &School,
        req: &MarkRequest,
        source: Option<Source>,
    ) -> Result<MarkOutcome> {
        let staff = &ctx.staff;
        let now = ctx.now;
        let group = self.known_group(school, &req.register.group)?;
        let requested =
            for_new_mark(&req.code).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let pupil = w
            .pupil(&req.upn)?
            .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {}", req.upn)))?;
        on_roll(w, &pupil, req)?;
        let key = SessionKey {
            date: req.register.date,
            session: req.register.session,
            upn: req.upn.clone(),
        };
        let existing = w.mark(&key)?;
        if !req.expect.holds(existing.as_ref().map(|m| m.code)) {
            return Err(ServiceError::Conflict(conflict_message(
                &pupil,
                existing.as_ref(),
                w,
            )?));
        }
        // The pupil's own times: their group's timing, else their year's (SPEC §1.7).
        let times = school
            .plan_for(&req.register.group, Some(pupil.year))
            .times(req.register.session);
        let now_today = (req.register.date == now.date()).then_some(now.time());
        let resolved = resolve_code(
            requested,
            req.register.session,
            times,
            req.arrived,
            now_today,
        )
        .map_err(ServiceError::Invalid)?;
        let (note, reason) = note_and_reason(req, resolved.code)?;
        // SPEC §7: the code must fit the pupil and the date.
        let fits = MarkFor {
            dob: pupil.dob,
            on_roll: true,
        };
        if let Some(why) = unfit(resolved.code.code, req.register.date, fits) {
            return invalid(format!("{}: {why}", pupil.display_name()));
        }
        let (clock, _) = self.register_clock(
            w,
            school,
            &req.register.group,
            req.register.date,
            req.register.session,
            ctx,
        )?;
        let session_check = school
            .calendar
            .check_session(req.register.date, req.register.session);
        let kind = check_change(&MarkAttempt {
            role: staff.role,
            // The teacher of the lesson the afternoon register is taken in takes it for the
            // lesson's pupils (the engine checked they teach it before it got here).
            is_tutor: matches!(source, Some(Source::Lesson { .. }))
                || self.takes_register(
                    w,
                    group,
                    &staff.account,
                    req.register.date,
                    req.register.session,
                )?,
            group: &req.register.group,
            code: resolved.code,
            clock,
            school_session: &session_check,
            has_reason: reason.is_some(),
            teacher_codes: &school.teacher_codes,
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
        let record = Mark {
            code: resolved.code.code,
            arrived: resolved.arrived,
            minutes_late: resolved
                .minutes_late
                .map(|m| m.min(u32::from(u16::MAX)) as u16),
            note,
            group: req.register.group.clone(),
            recorded_by: staff.account.clone(),
            recorded_by_office: staff.role.is_office(),
            recorded_at: now,
        };
        if let Some(old) = &existing
            && old.entry() == record.entry()
        {
            return Ok(MarkOutcome {
                upn: req.upn.clone(),
                date: req.register.date,
                session: req.register.session,
                mark: old.clone(),
                kind,
                changed: false,
                explanation: resolved.explanation,
            });
        }
        let change = Change {
            kind,
            source,
            before: existing.as_ref().map(Mark::entry),
            after: Some(record.entry()),
            reason,
            at: now,
            account: staff.account.clone(),
            name: staff.name.clone(),
            position: staff.position.clone(),
        };
        w.put_mark(&key, &record, &change)?;
        Ok(MarkOutcome {
            upn: req.upn.clone(),
            date: req.register.date,
            session: req.register.session,
            mark: record,
            kind,
            changed: true,
            explanation: resolved.explanation,
        })
    }

    pub(super) fn mark_many(&self, ctx: &Ctx, marks: Vec<MarkRequest>) -> Result<Response> {
        let school = ctx.school()?;
        let outcomes = self.store.write(|w| {
            marks
                .iter()
                .map(|req| self.apply_mark(w, ctx, school, req, batch_source(req)))
                .collect::<Result<Vec<_>>>()
        })?;
        for (req, outcome) in marks.iter().zip(&outcomes) {
            if outcome.changed {
                self.notify(Event::saved(&req.register.group, outcome));
            }
        }
        Ok(Response::MarkedMany { outcomes })
    }

    /// Takes back the acting person's last change to a mark (see [`Request::Undo`]). While
    /// the register is open that is a mark like any other; after it closed, office staff may
    /// still take back their own last change, as an amendment.
    pub(super) fn undo(
        &self,
        ctx: &Ctx,
        group_name: &str,
        key: SessionKey,
        expect: Expect,
    ) -> Result<Response> {
        let staff = &ctx.staff;
        let school = ctx.school()?;
        let group = self.known_group(school, group_name)?;
        let (date, session, upn) = (key.date, key.session, key.upn.as_str());
        let (restored, message) = self.store.write(|w| {
            let (pupil, existing) = mark_as_seen(w, &key, expect)?;
            let history = w.history(&key)?;
            let Some(last) = history.last() else {
                return invalid(format!(
                    "{} has no mark for {date} {} to undo",
                    pupil.display_name(),
                    session.label()
                ));
            };
            if last.account != staff.account {
                return refused(format!(
                    "the last change to {}'s mark was made by {}: there is nothing of yours to undo",
                    pupil.display_name(),
                    last.name
                ));
            }
            let (clock, _) = self.register_clock(w, school, group_name, date, session, ctx)?;
            let closed = clock.is_closed();
            if staff.role == Role::Teacher {
                if !self.takes_register(w, group, &staff.account, date, session)? {
                    return refused(format!(
                        "you are not a tutor of {group_name}: only its tutors and office staff can change it"
                    ));
                }
                if closed {
                    return refused(
                        "the register has closed: undo is only possible while it is open; the office can amend the mark",
                    );
                }
            }
            // What was there before the last change: its entry, and who made it, when.
            let restored = match &last.before {
                None => None,
                Some(entry) => {
                    let earlier = history.len().checked_sub(2).map(|i| &history[i]);
                    let (by, at) = earlier.map_or(
                        (last.account.clone(), last.at),
                        |c| (c.account.clone(), c.at),
                    );
                    let office = w.staff(&by)?.is_some_and(|s| s.role.is_office());
                    Some(Mark {
                        code: entry.code,
                        arrived: entry.arrived,
                        minutes_late: entry.minutes_late,
                        note: entry.note.clone(),
                        group: existing
                            .as_ref()
                            .map_or(group_name.to_string(), |m| m.group.clone()),
                        recorded_by: by,
                        recorded_by_office: office,
                        recorded_at: at,
                    })
                }
            };
            let change = Change {
                source: None,
                kind: if closed {
                    ChangeKind::Amendment
                } else {
                    ChangeKind::Mark
                },
                before: existing.as_ref().map(Mark::entry),
                after: restored.as_ref().map(Mark::entry),
                reason: Some(if closed {
                    "undone by the person who made the change".into()
                } else {
                    "undone while the register was open".into()
                }),
                at: ctx.now,
                account: staff.account.clone(),
                name: staff.name.clone(),
                position: staff.position.clone(),
            };
            match &restored {
                Some(mark) => w.put_mark(&key, mark, &change)?,
                None => w.remove_mark(&key, &change)?,
            }
            let message = match (&existing, &restored) {
                (Some(now), Some(back)) => format!(
                    "{}: {} undone, {} put back",
                    pupil.display_name(),
                    now.code,
                    back.code
                ),
                (Some(now), None) => format!("{}: {} withdrawn", pupil.display_name(), now.code),
                _ => format!("{}: undone", pupil.display_name()),
            };
            Ok((restored, message))
        })?;
        self.notify(Event::now_stands(group_name, &key, restored.clone()));
        Ok(Response::Reverted {
            upn: upn.to_string(),
            mark: restored,
            message,
        })
    }

    /// Clears a mark back to blank (see [`Request::Clear`]), as a change in its history.
    pub(super) fn clear(
        &self,
        ctx: &Ctx,
        group_name: &str,
        key: SessionKey,
        reason: Option<String>,
        expect: Expect,
    ) -> Result<Response> {
        let (date, session, upn) = (key.date, key.session, key.upn.as_str());
        let staff = &ctx.staff;
        let school = ctx.school()?;
        let group = self.known_group(school, group_name)?;
        let reason = reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        if let Some(reason) = &reason {
            crate::domain::text::check_line("the reason", reason).map_err(ServiceError::Invalid)?;
        }
        let message = self.store.write(|w| {
            let (pupil, existing) = mark_as_seen(w, &key, expect)?;
            let Some(existing) = existing else {
                return invalid(format!(
                    "{} has no mark for {date} {} to clear",
                    pupil.display_name(),
                    session.label()
                ));
            };
            let (clock, _) = self.register_clock(w, school, group_name, date, session, ctx)?;
            let kind = check_clear(&ClearAttempt {
                role: staff.role,
                is_tutor: self.takes_register(w, group, &staff.account, date, session)?,
                group: group_name,
                clock,
                office_mark: existing.recorded_by_office,
                has_reason: reason.is_some(),
            })
            .map_err(ServiceError::Refused)?;
            let change = Change {
                kind,
                source: None,
                before: Some(existing.entry()),
                after: None,
                reason,
                at: ctx.now,
                account: staff.account.clone(),
                name: staff.name.clone(),
                position: staff.position.clone(),
            };
            w.remove_mark(&key, &change)?;
            Ok(format!(
                "{}: {} cleared, no mark now",
                pupil.display_name(),
                existing.code
            ))
        })?;
        self.notify(Event::now_stands(group_name, &key, None));
        Ok(Response::Reverted {
            upn: upn.to_string(),
            mark: None,
            message,
        })
    }

    pub(super) fn close(
        &self,
        ctx: &Ctx,
        group_name: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        let staff = &ctx.staff;
        let now = ctx.now;
        let school = ctx.school()?;
        let group = self.known_group(school, group_name)?;
        if let Err(why) = school.calendar.check_session(date, session) {
            return refused(format!(
                "{date} {} is not a school session ({why})",
                session.label()
            ));
        }
        let summary = self.store.write(|w| {
            let (clock, closed) =
                self.register_clock(w, school, group_name, date, session, ctx)?;
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
                if !self.takes_register(w, group, &staff.account, date, session)? {
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
            let mut codes: BTreeMap<Code, u32> = BTreeMap::new();
            for upn in w.roll(group_name, date)? {
                let key = SessionKey {
                    date,
                    session,
                    upn: upn.clone(),
                };
                let code = match w.mark(&key)? {
                    Some(m) => m.code,
                    None => {
                        let record = Mark {
                            code: Code::N,
                            arrived: None,
                            minutes_late: None,
                            note: None,
                            group: group_name.to_string(),
                            recorded_by: staff.account.clone(),
                            recorded_by_office: staff.role.is_office(),
                            recorded_at: now,
                        };
                        let change = Change {
                            kind: ChangeKind::Mark,
                            source: None,
                            before: None,
                            after: Some(record.entry()),
                            reason: Some("no mark when the register was closed".into()),
                            at: now,
                            account: staff.account.clone(),
                            name: staff.name.clone(),
                            position: staff.position.clone(),
                        };
                        w.put_mark(&key, &record, &change)?;
                        filled.push(upn);
                        Code::N
                    }
                };
                tally.add_code(code, date);
                *codes.entry(code).or_default() += 1;
            }
            w.close_register(
                group_name,
                date,
                session,
                &ClosedRegister {
                    closed_at: now,
                    closed_by: staff.account.clone(),
                    filled: filled.len() as u32,
                },
            )?;
            Ok(CloseSummary {
                register: RegisterId {
 group: group_name.to_string(),
 date,
 session,
 },
                filled,
                codes: codes.into_iter().collect(),
                tally,
            })
        })?;
        self.notify(Event::Closed(RegisterId {
            group: group_name.to_string(),
            date,
            session,
        }));
        Ok(Response::Closed(summary))
    }

    /// The day's cover changes, for both sessions, in the order they were made.
    pub(super) fn cover_log(&self, ctx: &Ctx, date: NaiveDate) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("the cover log is for office staff");
        }
        let r = self.store.read()?;
        let mut changes = Vec::new();
        for session in Session::BOTH {
            for (group, cover) in r.cover_log(date, session)? {
                changes.push(CoverChange {
                    session,
                    group,
                    cover,
                });
            }
        }
        Ok(Response::CoverLog { changes })
    }

    /// Assigns cover of a group's registers to a teacher (or takes it away), for a date and
    /// sessions: office staff only, each change logged with who arranged it.
    pub(super) fn assign_cover(
        &self,
        ctx: &Ctx,
        group_name: &str,
        date: NaiveDate,
        sessions: &[Session],
        account: Option<String>,
    ) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("only office staff arrange cover");
        }
        let school = ctx.school()?;
        self.known_group(school, group_name)?;
        if sessions.is_empty() {
            return invalid("give the session to cover: am, pm or both");
        }
        let message = self.store.write(|w| {
            let name = match &account {
                Some(a) => {
                    let Some(teacher) = w.staff(a)? else {
                        return Err(ServiceError::NotFound(format!(
                            "account `{a}` is not on rollcall's staff list: add them with `rollcall staff add` first"
                        )));
                    };
                    Some(teacher.name)
                }
                None => None,
            };
            for session in sessions {
                w.set_cover(
                    group_name,
                    date,
                    *session,
                    &crate::domain::marks::Cover {
                        account: account.clone(),
                        assigned_by: ctx.staff.account.clone(),
                        assigned_at: ctx.now,
                    },
                )?;
            }
            let when = format!(
                "{date} {}",
                sessions
                    .iter()
                    .map(|s| s.label())
                    .collect::<Vec<_>>()
                    .join(" and ")
            );
            Ok::<_, ServiceError>(match name {
                Some(name) => format!("{name} covers {group_name} {when}"),
                None => format!("no cover for {group_name} {when}: its tutors take it"),
            })
        })?;
        self.notify(Event::Reload);
        Ok(Response::Done { message })
    }
}

pub(super) fn conflict_message<T: Kind>(
    pupil: &Pupil,
    current: Option<&Mark>,
    tx: &Tables<T>,
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

/// The pupil and their mark, if it is still what the client saw (`expect`); a conflict naming
/// who changed it otherwise.
fn mark_as_seen(w: &Writer<'_>, key: &SessionKey, expect: Expect) -> Result<(Pupil, Option<Mark>)> {
    let pupil = w
        .pupil(&key.upn)?
        .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {}", key.upn)))?;
    let existing = w.mark(key)?;
    if !expect.holds(existing.as_ref().map(|m| m.code)) {
        return Err(ServiceError::Conflict(conflict_message(
            &pupil,
            existing.as_ref(),
            w,
        )?));
    }
    Ok((pupil, existing))
}

/// Refused unless the pupil is on the register's roll on its date.
fn on_roll(w: &Writer<'_>, pupil: &Pupil, req: &MarkRequest) -> Result<()> {
    match w.group_on(&req.upn, req.register.date)? {
        Some(g) if g == req.register.group => Ok(()),
        Some(g) => invalid(format!(
            "{} is not on {}'s roll on {} (their group is {g})",
            pupil.display_name(),
            req.register.group,
            req.register.date
        )),
        None => invalid(format!(
            "{} is not on roll on {}: no possible session",
            pupil.display_name(),
            req.register.date
        )),
    }
}

/// A mark's note and reason, trimmed (empty is none) and checked to print; a code that needs
/// a note is refused without one.
fn note_and_reason(req: &MarkRequest, code: &CodeInfo) -> Result<(Option<String>, Option<String>)> {
    let trimmed = |text: &Option<String>| {
        text.as_ref()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let (note, reason) = (trimmed(&req.note), trimmed(&req.reason));
    for (what, text) in [("the note", &note), ("the reason", &req.reason)] {
        if let Some(text) = text {
            crate::domain::text::check_line(what, text).map_err(ServiceError::Invalid)?;
        }
    }
    if code.needs_note && note.is_none() {
        return invalid(format!(
            "{} ({}) needs a note of the activity or circumstance",
            code.code, code.meaning
        ));
    }
    Ok((note, reason))
}

/// The source of a mark a `mark-batch` line asked for, if one did.
pub(super) fn batch_source(req: &MarkRequest) -> Option<Source> {
    req.batch.clone().map(|file| Source::Batch { file })
}

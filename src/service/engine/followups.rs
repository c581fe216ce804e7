//! The casework that follows a pupil over weeks: notices to improve and warning periods
//! (SPEC §8.2), part-time timetables (§8.4), medical evidence (§8.6), meetings, contracts and
//! plans (§8.10), each with the date it comes back on the desk; and suspensions counted from
//! the register (§8.5).

use super::casework::{known_pupil, pupil_on_roll};
use super::core::{Engine, Result, checked_note, invalid, refused};
use super::ctx::Ctx;
use crate::domain::casework::{Case, CaseBody, CaseStep, MeetingKind, NoticeKind, notice_ends};
use crate::domain::codes::{Code, StatClass};
use crate::domain::figures::compulsory_school_age;
use crate::domain::session::Session;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::month;
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl Engine {
    /// Opens a case for a pupil on roll on `on` (the day it is about), after `check` on the
    /// pupil's other cases in the same write; the message says what was recorded.
    #[allow(clippy::too_many_arguments)]
    fn open(
        &self,
        ctx: &Ctx,
        upn: &str,
        on: NaiveDate,
        body: CaseBody,
        note: &str,
        check: impl FnOnce(&[Case]) -> Result<()>,
        said: impl FnOnce(u32) -> String,
    ) -> Result<Response> {
        let id = self.store.write(|w| {
            pupil_on_roll(w, upn, on)?;
            check(&w.cases(Some(upn))?)?;
            Ok::<_, ServiceError>(w.open_case(upn, &body, note, ctx.now, &ctx.staff.account)?)
        })?;
        self.case_done(ctx, id, said(id))
    }

    pub(super) fn notice_issue(
        &self,
        ctx: &Ctx,
        upn: &str,
        notice: NoticeKind,
        date: NaiveDate,
        weeks: Option<u32>,
        note: &str,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let note = checked_note("the note", note, "say what the notice is for")?;
        not_after_today(ctx, date, "a notice is recorded once given")?;
        let pupil = known_pupil(&self.store.read()?, upn)?;
        if !compulsory_school_age(pupil.dob, date) {
            return refused(format!(
                "{} is not of compulsory school age on {date}: no notice applies",
                pupil.display_name()
            ));
        }
        let ends =
            notice_ends(notice, date, weeks, &school.calendar).map_err(ServiceError::Invalid)?;
        let body = CaseBody::Notice {
            notice,
            issued: date,
            ends,
        };
        self.open(
            ctx,
            upn,
            date,
            body,
            note,
            |_| Ok(()),
            |id| {
                format!(
                    "notice {id} recorded: its period ends {ends}, when it comes back to the desk"
                )
            },
        )
    }

    pub(super) fn notice_end(
        &self,
        ctx: &Ctx,
        id: u32,
        improved: bool,
        note: &str,
    ) -> Result<Response> {
        let note = checked_note("the note", note, "say what the period showed")?;
        self.step_with(ctx, id, note, |case| {
            if !matches!(case.body, CaseBody::Notice { .. }) {
                return invalid(format!("case {id} is not a notice"));
            }
            if case
                .steps
                .iter()
                .any(|s| matches!(s.step, CaseStep::Outcome { .. }))
            {
                return refused(format!("notice {id} has its outcome already"));
            }
            Ok(CaseStep::Outcome { improved })
        })?;
        self.case_done(
            ctx,
            id,
            format!(
                "notice {id} ended: {}",
                if improved { "improved" } else { "not improved" }
            ),
        )
    }

    pub(super) fn part_time(
        &self,
        ctx: &Ctx,
        upn: &str,
        from: NaiveDate,
        review: NaiveDate,
        la_told: Option<NaiveDate>,
        note: &str,
    ) -> Result<Response> {
        let note = checked_note(
            "the note",
            note,
            "say who agreed it (the parent) and what the timetable is",
        )?;
        if review <= from {
            return invalid(format!(
                "the review ({review}) must come after the start ({from}): a part-time timetable is time-limited"
            ));
        }
        school_day(ctx, review, "the review")?;
        school_day(ctx, from, "the first day")?;
        if let Some(told) = la_told {
            not_after_today(ctx, told, "record when the local authority was told")?;
        }
        let school = ctx.school()?;
        // C2 is a code for pupils of compulsory school age (SPEC §7.1, §8.4).
        let pupil = known_pupil(&self.store.read()?, upn)?;
        if !compulsory_school_age(pupil.dob, from) {
            return refused(format!(
                "{} is not of compulsory school age on {from}: a part-time timetable (C2) is \
                 for pupils who must attend full time",
                pupil.display_name()
            ));
        }
        let body = CaseBody::PartTime {
            from,
            review,
            la_told,
        };
        let running = |cases: &[Case]| {
            // One part-time timetable at a time: the running one is reviewed, not doubled.
            match cases.iter().find(|c| {
                matches!(c.body, CaseBody::PartTime { .. })
                    && c.standing(ctx.now.date(), &school.calendar).open
            }) {
                Some(c) => refused(format!(
                    "part-time timetable {} is running for this pupil: review it or end it",
                    c.id
                )),
                None => Ok(()),
            }
        };
        self.open(ctx, upn, from, body, note, running, |id| {
            let mut said = format!("part-time timetable {id} recorded: review {review}");
            if la_told.is_none() {
                said.push_str("; the local authority must be told");
            }
            said.push_str("; plan its sessions as C2 (a planned absence)");
            said
        })
    }

    pub(super) fn review(
        &self,
        ctx: &Ctx,
        id: u32,
        next: Option<NaiveDate>,
        note: &str,
    ) -> Result<Response> {
        let note = checked_note("the note", note, "say what the review found")?;
        self.step_with(ctx, id, note, |case| {
            if !matches!(
                case.body,
                CaseBody::PartTime { .. } | CaseBody::Meeting { .. }
            ) {
                return invalid(format!(
                    "case {id} has no review: reviews are for part-time timetables and meetings"
                ));
            }
            if case.next_review().is_none() {
                return refused(format!("case {id} has ended: nothing is left to review"));
            }
            let today = ctx.now.date();
            if let Some(next) = next {
                if next <= today {
                    return invalid(format!(
                        "the next review ({next}) must be after today ({today})"
                    ));
                }
                school_day(ctx, next, "the next review")?;
            }
            Ok(CaseStep::Reviewed { next })
        })?;
        let said = match next {
            Some(d) => format!("case {id} reviewed: next review {d}"),
            None => format!("case {id} reviewed and ended"),
        };
        self.case_done(ctx, id, said)
    }

    pub(super) fn close_case(&self, ctx: &Ctx, id: u32, note: &str) -> Result<Response> {
        let note = checked_note("the note", note, "say why the case is closed")?;
        let calendar = &ctx.school()?.calendar;
        let today = ctx.now.date();
        // A refused request whose days are recorded N still waits on the office.
        let untaken = {
            let r = self.store.read()?;
            let case = r
                .case(id)?
                .ok_or_else(|| ServiceError::NotFound(format!("no case {id}")))?;
            self.refused_days_unexplained(&r, &case, today, calendar)?
        };
        self.step_with(ctx, id, note, |case| {
            // A finished case keeps its outcome (paid, granted, received): closing is for
            // one still running.
            let standing = case.standing(today, calendar);
            if !standing.open && untaken == 0 {
                return refused(format!(
                    "case {id} is finished ({}): nothing is left to close",
                    standing.words
                ));
            }
            Ok(CaseStep::Closed { on: today })
        })?;
        self.case_done(ctx, id, format!("case {id} closed: {note}"))
    }

    pub(super) fn la_told(&self, ctx: &Ctx, id: u32, date: NaiveDate) -> Result<Response> {
        not_after_today(ctx, date, "record it once done")?;
        self.step_with(ctx, id, "local authority told", |case| {
            let CaseBody::PartTime { la_told, .. } = case.body else {
                return invalid(format!("case {id} is not a part-time timetable"));
            };
            let told = la_told.or(case.steps.iter().find_map(|s| match s.step {
                CaseStep::LaTold { on } => Some(on),
                _ => None,
            }));
            if let Some(on) = told {
                return refused(format!("the local authority was told of case {id} on {on}"));
            }
            Ok(CaseStep::LaTold { on: date })
        })?;
        self.case_done(
            ctx,
            id,
            format!("case {id}: local authority told on {date}"),
        )
    }

    pub(super) fn evidence_ask(
        &self,
        ctx: &Ctx,
        upn: &str,
        ill_from: NaiveDate,
        date: NaiveDate,
        note: &str,
    ) -> Result<Response> {
        let note = checked_note("the note", note, "say what was asked for, and of whom")?;
        not_after_today(ctx, date, "record a request once made")?;
        if ill_from > date {
            return invalid(format!(
                "the illness ({ill_from}) starts after the request ({date})"
            ));
        }
        let body = CaseBody::Evidence {
            ill_from,
            requested: date,
        };
        self.open(
            ctx,
            upn,
            ill_from,
            body,
            note,
            |_| Ok(()),
            |id| format!("evidence request {id} recorded"),
        )
    }

    pub(super) fn evidence_received(
        &self,
        ctx: &Ctx,
        id: u32,
        date: NaiveDate,
        note: &str,
    ) -> Result<Response> {
        let note = checked_note(
            "the note",
            note,
            "say what it was (a GP's note, an appointment card)",
        )?;
        not_after_today(ctx, date, "record it once received")?;
        self.step_with(ctx, id, note, |case| {
            let CaseBody::Evidence { requested, .. } = case.body else {
                return invalid(format!("case {id} is not an evidence request"));
            };
            if date < requested {
                return invalid(format!("{date} is before it was asked for ({requested})"));
            }
            if case
                .steps
                .iter()
                .any(|s| matches!(s.step, CaseStep::Received { .. }))
            {
                return refused(format!("the evidence for case {id} was received already"));
            }
            Ok(CaseStep::Received { on: date })
        })?;
        self.case_done(ctx, id, format!("case {id}: evidence received {date}"))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn meeting(
        &self,
        ctx: &Ctx,
        upn: &str,
        meeting: MeetingKind,
        date: NaiveDate,
        people: &str,
        actions: &str,
        review: NaiveDate,
    ) -> Result<Response> {
        let people = checked_note("who was there", people, "name the people present")?;
        let actions = checked_note("what was agreed", actions, "say what each agreed to do")?;
        not_after_today(ctx, date, "record it once held")?;
        if review <= date {
            return invalid(format!(
                "the review ({review}) must come after the {} ({date})",
                meeting.as_str()
            ));
        }
        school_day(ctx, review, "the review")?;
        let body = CaseBody::Meeting {
            meeting,
            held: date,
            people: people.to_string(),
            actions: actions.to_string(),
            review,
        };
        self.open(
            ctx,
            upn,
            date,
            body,
            "",
            |_| Ok(()),
            |id| format!("{} {id} recorded: review {review}", meeting.as_str()),
        )
    }

    /// A warning period's unauthorised absence, read from the register: it leads on at once,
    /// not when the period ends (seed 004).
    pub(super) fn warning_breaches(
        &self,
        r: &crate::store::Reader,
        case: &Case,
        on: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Session, Code)>> {
        let CaseBody::Notice {
            notice: NoticeKind::Warning,
            issued,
            ends,
        } = case.body
        else {
            return Ok(Vec::new());
        };
        if case
            .steps
            .iter()
            .any(|s| matches!(s.step, CaseStep::Outcome { .. }))
        {
            return Ok(Vec::new());
        }
        let Some(first) = issued.succ_opt() else {
            return Ok(Vec::new());
        };
        Ok(r.pupil_codes(&case.upn, first, ends.min(on))?
            .into_iter()
            .filter(|(d, _, c)| c.class_on(*d) == StatClass::Unauthorised)
            .collect())
    }

    /// Every pupil suspended this term, with their runs (SPEC §8.5): a day counts when every
    /// school session of it is `E`, pre-entered days included (a suspension is known ahead).
    pub(super) fn suspensions(&self, ctx: &Ctx, on: Option<NaiveDate>) -> Result<Response> {
        let school = ctx.school()?;
        let on = on.unwrap_or(ctx.now.date());
        let Some(term) = school.calendar.term_containing(on) else {
            return invalid(format!(
                "{on} is in no term of the school's calendar: give a date in a term"
            ));
        };
        let r = self.store.read()?;
        // The months' summaries say who has an `E` this term; only their marks are read.
        let mut suspended_ids = std::collections::BTreeSet::new();
        r.each_month(
            month::month_of(term.start),
            month::month_of(term.end),
            |pupil, _, bytes| {
                let header = month::header(bytes).map_err(|e| {
                    crate::store::StoreError::Corrupt(format!("a stored month ({})", e.0))
                })?;
                if header
                    .summary
                    .codes
                    .iter()
                    .any(|(c, n)| *c == Code::E && *n > 0)
                {
                    suspended_ids.insert(pupil);
                }
                Ok(true)
            },
        )?;
        let upns = r.upns()?;
        let mut by_pupil: BTreeMap<String, BTreeMap<NaiveDate, Vec<Code>>> = BTreeMap::new();
        for id in suspended_ids {
            let Some(upn) = upns.get(&id) else {
                continue;
            };
            for (date, _, code) in r.pupil_codes(upn, term.start, term.end)? {
                if code == Code::E {
                    by_pupil
                        .entry(upn.clone())
                        .or_default()
                        .entry(date)
                        .or_default()
                        .push(code);
                }
            }
        }
        let mut pupils = Vec::new();
        for (upn, days) in by_pupil {
            let whole = |d: NaiveDate| {
                let sessions = Session::BOTH
                    .into_iter()
                    .filter(|s| school.calendar.is_school_session(d, *s))
                    .count();
                days.get(&d).is_some_and(|codes| codes.len() >= sessions)
            };
            let mut runs: Vec<SuspensionRun> = Vec::new();
            let mut current: Vec<NaiveDate> = Vec::new();
            let mut days_this_term = 0;
            for d in school.calendar.school_days(term.start, term.end) {
                if whole(d) {
                    days_this_term += 1;
                    current.push(d);
                } else if !current.is_empty() {
                    runs.push(run_of(&std::mem::take(&mut current)));
                }
            }
            if !current.is_empty() {
                runs.push(run_of(&current));
            }
            if days_this_term == 0 {
                continue;
            }
            let name = r
                .pupil(&upn)?
                .map_or_else(|| upn.clone(), |p| p.display_name());
            pupils.push(Suspended {
                upn,
                name,
                days_this_term,
                runs,
            });
        }
        Ok(Response::Suspensions { pupils })
    }
}

fn run_of(days: &[NaiveDate]) -> SuspensionRun {
    SuspensionRun {
        from: days[0],
        to: days[days.len() - 1],
        days: days.len() as u32,
        sixth_day: days.get(5).copied(),
    }
}

/// A review is held on a school day: a date in a holiday, at a weekend or on a closure is
/// refused, naming the next school day.
fn school_day(ctx: &Ctx, date: NaiveDate, what: &str) -> Result<()> {
    let calendar = &ctx.school()?.calendar;
    // After the last configured term, a weekday of a later school year: next year's terms
    // may not be entered yet. The rest of the last term's own school year is not known to
    // be term (its summer holiday, or terms not entered): refused, saying so.
    // Schools start their year in September, whatever the register's year: August is the
    // summer holiday.
    let next_year = calendar.terms.last().and_then(|t| {
        let end = crate::domain::calendar::Calendar::academic_year_end(t.end);
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&end), 8, 31)
    });
    let in_summer = next_year
        .is_some_and(|end| calendar.terms.last().is_some_and(|t| date > t.end) && date <= end);
    if !in_summer && calendar.counts_as_school_day(date) {
        return Ok(());
    }
    if in_summer {
        return invalid(format!(
            "{what} ({date}) is after the last term in school.toml this school year: add the \
             rest of the year's terms to school.toml, or choose a day in term"
        ));
    }
    let next = date
        .pred_opt()
        .and_then(|d| calendar.add_school_days(d, 1))
        .map(|d| format!(": the next school day is {}", d.format("%a %d %b %Y")))
        .unwrap_or_default();
    invalid(format!("{what} ({date}) is not a school day{next}"))
}

fn not_after_today(ctx: &Ctx, date: NaiveDate, hint: &str) -> Result<()> {
    let today = ctx.now.date();
    if date > today {
        return invalid(format!("{date} is after today ({today}): {hint}"));
    }
    Ok(())
}

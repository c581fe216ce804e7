//! Planned absences: made for a pupil or a group (once, or every week), each kept whole with
//! the sessions it wrote, listed, and withdrawn as a whole (audited), in the app and the CLI.

use super::core::{Engine, Result, checked_note, invalid, refused};
use super::ctx::Ctx;
use crate::domain::School;
use crate::domain::codes::{CodeInfo, for_new_mark};
use crate::domain::desk::Plan;
use crate::domain::marks::{Change, Mark, SessionKey, Source};
use crate::domain::register::ChangeKind;
use crate::domain::session::Session;
use crate::domain::validity::{MarkFor, unfit};
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::Writer;
use chrono::NaiveDate;

impl Engine {
    pub(super) fn plan_absence(&self, ctx: &Ctx, plan: PlanRequest) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("only office staff pre-enter planned absences");
        }
        let school = ctx.school()?;
        let (code, sessions) = self.plan_sessions(school, &plan)?;
        let (summary, events) = self.store.write(|w| {
            let (summary, events) = self.plan_in(w, ctx, school, &plan, code, sessions)?;
            if plan.dry_run {
                // What it would do, said; nothing saved.
                w.discard();
                return Ok::<_, ServiceError>((summary, Vec::new()));
            }
            Ok((summary, events))
        })?;
        for event in events {
            self.notify(event);
        }
        Ok(Response::Planned(summary))
    }

    /// Writes a plan's sessions within a write the caller holds (a leave request granted
    /// plans its days in the same transaction as its decision): what was marked, what was
    /// left alone and why, and the events to send once it is committed.
    pub(super) fn plan_in(
        &self,
        w: &mut Writer<'_>,
        ctx: &Ctx,
        school: &School,
        plan: &PlanRequest,
        code: &'static CodeInfo,
        sessions: Vec<(NaiveDate, Session)>,
    ) -> Result<(PlanSummary, Vec<Event>)> {
        let id = w.next_plan_id()?;
        let mut summary = PlanSummary {
            marked: Vec::new(),
            skipped: Vec::new(),
            pupils: 0,
            id: None,
            dry_run: plan.dry_run,
        };
        let mut written = Vec::new();
        let mut pupils = std::collections::BTreeSet::new();
        let mut events = Vec::new();
        for (date, session) in sessions {
            // Whose sessions: the pupil, or everyone on the group's roll that day.
            let targets: Vec<(String, Option<String>)> = match &plan.group {
                Some(g) => w
                    .roll(g, date)?
                    .into_iter()
                    .map(|upn| (upn, Some(g.clone())))
                    .collect(),
                None => vec![(plan.upn.clone(), w.group_on(&plan.upn, date)?)],
            };
            for (upn, group) in targets {
                let whose = if plan.group.is_some() {
                    format!("{upn}: ")
                } else {
                    String::new()
                };
                let Some(group) = group else {
                    summary
                        .skipped
                        .push((date, session, format!("{whose}not on roll")));
                    continue;
                };
                let key = SessionKey {
                    date,
                    session,
                    upn: upn.clone(),
                };
                if let Some(existing) = w.mark(&key)? {
                    summary.skipped.push((
                        date,
                        session,
                        format!("{whose}already marked {}", existing.code),
                    ));
                    continue;
                }
                // A code that cannot fit this pupil on this date (SPEC §7) is left out for
                // them, and said.
                if let Some(pupil) = w.pupil(&upn)?
                    && let Some(why) = unfit(
                        code.code,
                        date,
                        MarkFor {
                            dob: pupil.dob,
                            on_roll: true,
                        },
                    )
                {
                    summary
                        .skipped
                        .push((date, session, format!("{whose}{why}")));
                    continue;
                }
                let (clock, _) = self.register_clock(w, school, &group, date, session, ctx)?;
                if clock.is_closed() {
                    summary.skipped.push((
                        date,
                        session,
                        format!("{whose}register closed: amend it instead"),
                    ));
                    continue;
                }
                let req = MarkRequest {
                    register: RegisterId {
                        group: group.clone(),
                        date,
                        session,
                    },
                    upn: upn.clone(),
                    code: code.code.to_string(),
                    note: plan.note.clone(),
                    expect: Expect::Blank,
                    ..MarkRequest::default()
                };
                let source = Some(Source::Plan { id });
                let outcome = self.apply_mark(w, ctx, school, &req, source)?;
                summary.marked.push((date, session));
                written.push(SessionKey {
                    date,
                    session,
                    upn: upn.clone(),
                });
                pupils.insert(upn);
                events.push(Event::saved(&group, &outcome));
            }
        }
        summary.pupils = pupils.len() as u32;
        if !plan.dry_run && !written.is_empty() {
            w.put_plan(&Plan {
                id,
                words: plan_words(plan),
                upn: plan.group.is_none().then(|| plan.upn.clone()),
                group: plan.group.clone(),
                code: code.code,
                at: ctx.now,
                account: ctx.staff.account.clone(),
                name: ctx.staff.name.clone(),
                sessions: written,
                withdrawn: None,
            })?;
            summary.id = Some(id);
        }
        Ok((summary, events))
    }

    /// The code a plan enters and the school sessions it covers, checked: an arrival code,
    /// a reversed range, an unknown pupil or group, or no session at all is refused.
    pub(super) fn plan_sessions(
        &self,
        school: &crate::domain::School,
        plan: &PlanRequest,
    ) -> Result<(
        &'static crate::domain::codes::CodeInfo,
        Vec<(NaiveDate, Session)>,
    )> {
        let code = for_new_mark(&plan.code).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        if code.code.is_arrival() {
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
        if let Some(group) = &plan.group {
            self.known_group(school, group)?;
        } else if self.store.read()?.pupil(&plan.upn)?.is_none() {
            return Err(ServiceError::NotFound(format!(
                "no pupil with UPN {}: nothing was planned",
                plan.upn
            )));
        }
        let sessions: Vec<(NaiveDate, Session)> = school
            .calendar
            .school_sessions(plan.from, plan.to)
            .filter(|s| *s >= (plan.from, plan.from_session) && *s <= (plan.to, plan.to_session))
            .filter(|(d, s)| plan.every.is_empty() || plan.every.iter().any(|w| w.matches(*d, *s)))
            .collect();
        if sessions.is_empty() {
            return invalid(format!(
                "no school session from {} {} to {} {}{}: nothing was planned",
                plan.from,
                plan.from_session.label(),
                plan.to,
                plan.to_session.label(),
                if plan.every.is_empty() {
                    ""
                } else {
                    " on the weekdays given"
                }
            ));
        }
        Ok((code, sessions))
    }

    /// The plans for a pupil or a group (every one when neither is given), newest first, each
    /// with how many of its sessions still hold its mark.
    pub(super) fn plans(
        &self,
        ctx: &Ctx,
        upn: Option<String>,
        group: Option<String>,
    ) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("planned absences are for office staff");
        }
        let r = self.store.read()?;
        let mut out = Vec::new();
        for plan in r.plans()?.into_iter().rev() {
            let mine = match (&upn, &group) {
                (Some(u), _) => {
                    plan.upn.as_ref() == Some(u) || plan.sessions.iter().any(|k| k.upn == *u)
                }
                (None, Some(g)) => plan.group.as_ref() == Some(g),
                (None, None) => true,
            };
            if !mine {
                continue;
            }
            let mut still = 0;
            for key in &plan.sessions {
                if r.mark(key)?.is_some_and(|m| holds(&plan, &m)) {
                    still += 1;
                }
            }
            let whose = match (&plan.group, &plan.upn) {
                (Some(g), _) => format!("all of {g}"),
                (None, Some(u)) => r.pupil(u)?.map_or(u.clone(), |p| p.display_name()),
                (None, None) => String::new(),
            };
            out.push(PlanInfo { plan, whose, still });
        }
        Ok(Response::Plans { plans: out })
    }

    /// Withdraws a plan as a whole: each of its sessions that has not begun and still holds
    /// its mark is cleared (an audited change with the reason); the rest are left, and said.
    pub(super) fn withdraw_plan(&self, ctx: &Ctx, id: u32, reason: &str) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("planned absences are withdrawn by office staff");
        }
        let reason = checked_note("the reason", reason, "say why the plan is withdrawn")?;
        let school = ctx.school()?;
        let (done, events) = self.store.write(|w| {
            let plan = w.plan(id)?.ok_or_else(|| {
                ServiceError::NotFound(format!("no planned absence {id} (see `rollcall plans`)"))
            })?;
            if let Some(was) = &plan.withdrawn {
                return refused(format!(
                    "planned absence {id} was withdrawn at {} by {}: {}",
                    was.at.format("%Y-%m-%d %H:%M"),
                    was.name,
                    was.reason
                ));
            }
            let mut done = PlanWithdrawn {
                id,
                cleared: 0,
                left: Vec::new(),
            };
            let mut events = Vec::new();
            for key in &plan.sessions {
                let current = w.mark(key)?;
                let why_left = match &current {
                    _ if school.has_begun(key.date, key.session, ctx.now) => {
                        Some("it has begun: change it in its register if it was wrong".into())
                    }
                    None => Some("no mark now".into()),
                    Some(m) if !holds(&plan, m) => Some(format!("changed since: now {}", m.code)),
                    Some(_) => None,
                };
                if let Some(why) = why_left {
                    done.left
                        .push((key.date, key.session, format!("{}: {why}", key.upn)));
                    continue;
                }
                let Some(mark) = current else { continue };
                let change = Change {
                    kind: ChangeKind::Mark,
                    source: Some(Source::Plan { id }),
                    before: Some(mark.entry()),
                    after: None,
                    reason: Some(format!("planned absence {id} withdrawn: {reason}")),
                    at: ctx.now,
                    account: ctx.staff.account.clone(),
                    name: ctx.staff.name.clone(),
                    position: ctx.staff.position.clone(),
                };
                w.remove_mark(key, &change)?;
                events.push(Event::now_stands(&mark.group, key, None));
                done.cleared += 1;
            }
            w.withdraw_plan(id, ctx.now, &ctx.staff.account, reason)?;
            Ok::<_, ServiceError>((done, events))
        })?;
        for event in events {
            self.notify(event);
        }
        Ok(Response::PlanWithdrawn(done))
    }
}

/// Whether a mark is still the one a plan wrote (not changed since).
fn holds(plan: &Plan, mark: &Mark) -> bool {
    mark.code == plan.code && mark.recorded_at == plan.at && mark.recorded_by == plan.account
}

/// A plan in words, as the list shows it.
fn plan_words(plan: &PlanRequest) -> String {
    let mut words = format!(
        "{} {} {} to {} {}",
        plan.code.trim().to_uppercase(),
        plan.from,
        plan.from_session.label(),
        plan.to,
        plan.to_session.label()
    );
    if !plan.every.is_empty() {
        let every: Vec<String> = plan.every.iter().map(|w| w.to_string()).collect();
        words.push_str(&format!(" every {}", every.join(" ")));
    }
    if let Some(note) = &plan.note {
        words.push_str(&format!(" note {note}"));
    }
    words
}

//! Leaving early and coming back: a pupil signed out (with why, when, and whether they come
//! back today; if not, perhaps the code for the sessions they miss) leaves the fire list and
//! is flagged in the next register, where `*` leaves them unmarked; signed back in, they are
//! on site again. The mark they had stays as it was: the register says where they were at
//! registration (SPEC §1.6).

use super::core::{Engine, Result, checked_note, invalid, refused};
use super::ctx::Ctx;
use super::desk::{Jot, office_only, write_desk};
use crate::domain::codes::{Code, for_new_mark};
use crate::domain::desk::{
    DeskKind, earliest_departure, on_site, out_at, unfit_for_missed_sessions,
};
use crate::domain::marks::{SessionKey, Source};
use crate::domain::session::Session;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use crate::store::{Reader, Writer};
use chrono::{NaiveDate, NaiveTime};

/// The last moment of a day: "by now", for whatever has been recorded.
fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
}

/// A pupil's name for a message, or their UPN if they are not known.
fn name_of(r: &Reader, upn: &str) -> Result<String> {
    Ok(r.pupil(upn)?.map_or(upn.to_string(), |p| p.display_name()))
}

impl Engine {
    pub(super) fn sign_out(&self, ctx: &Ctx, leaving: SignOutRequest) -> Result<Response> {
        office_only(ctx, "signing a pupil out")?;
        let upn = leaving.upn.as_str();
        let reason = checked_note("the reason", &leaving.reason, "say why they are leaving")?;
        let date = leaving.date.unwrap_or(ctx.now.date());
        let at = leaving.at.unwrap_or(ctx.now.time());
        let code = match leaving.code.as_deref() {
            Some(_) if leaving.back_today => {
                return invalid(
                    "a pupil back today misses no session: give a code only when they are not back",
                );
            }
            Some(text) => {
                let code = for_new_mark(text)
                    .map_err(|e| ServiceError::Invalid(e.to_string()))?
                    .code;
                if let Some(why) = unfit_for_missed_sessions(code) {
                    return invalid(why);
                }
                Some(code)
            }
            None => None,
        };
        self.check_leaving(ctx, upn, date, at)?;
        // The sign-out and the marks for the sessions missed save together or not at all.
        let (name, entered, events) = self.store.write(|w| {
            let name = write_desk(
                w,
                ctx,
                upn,
                Jot {
                    time: Some(at),
                    back_today: Some(leaving.back_today),
                    ..Jot::new(date, DeskKind::SignedOut, reason)
                },
            )?;
            let (entered, events) = match code {
                Some(code) => self.code_for_the_rest_of_the_day(w, ctx, upn, date, at, code)?,
                None => (0, Vec::new()),
            };
            Ok::<_, ServiceError>((name, entered, events))
        })?;
        self.notify(Event::Desk { date });
        for event in events {
            self.notify(event);
        }
        let mut message = format!(
            "{name} signed out at {}: {reason}; {}",
            at.format("%H:%M"),
            if leaving.back_today {
                "back today"
            } else {
                "not back today"
            }
        );
        if let Some(code) = code {
            message.push_str(&format!("; {code} entered for {entered} session(s) missed"));
        }
        Ok(Response::Done { message })
    }

    /// Only a pupil in the building can leave it: not in the future, marked on site in a
    /// session begun by then, in the room by then (arrived, or marked present), and not
    /// already out.
    fn check_leaving(&self, ctx: &Ctx, upn: &str, date: NaiveDate, at: NaiveTime) -> Result<()> {
        if date.and_time(at) > ctx.now {
            return invalid(format!(
                "a sign-out at {} on {date} has not happened yet",
                at.format("%H:%M")
            ));
        }
        let school = ctx.school()?;
        let r = self.store.read()?;
        // The pupil's own times (SPEC §1.7): a nursery's day may begin later.
        let plan = match r.group_on(upn, date)? {
            Some(group) => school.plan_for(&group, r.pupil(upn)?.map(|p| p.year)),
            None => &school.sessions,
        };
        if at < plan.am.opens_at {
            return invalid(format!(
                "{} is before the school day began ({})",
                at.format("%H:%M"),
                plan.am.opens_at.format("%H:%M")
            ));
        }
        let session = plan.session_at(at);
        let name = name_of(&r, upn)?;
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        let when = format!("{} {}", date.format("%a %d %b"), session.label());
        match r.mark(&key)? {
            Some(m) if on_site(m.code, m.arrived) => {
                let register_at = plan.times(session).register_at;
                let earliest = earliest_departure(m.arrived, m.recorded_at, date, register_at);
                if at < earliest {
                    return invalid(format!(
                        "{name} was {} at {}: they cannot have left at {}",
                        if m.arrived.is_some() {
                            "signed in"
                        } else {
                            "in the register"
                        },
                        earliest.format("%H:%M"),
                        at.format("%H:%M")
                    ));
                }
            }
            Some(m) => {
                return refused(format!(
                    "{name} is not on site {when}: marked {} ({})",
                    m.code,
                    m.code.info().meaning
                ));
            }
            None => {
                return refused(format!(
                    "{name} has no mark {when}: mark them present before signing them out"
                ));
            }
        }
        let entries = r.desk_entries(date, date)?;
        if let Some(out) = out_at(entries.iter().filter(|e| e.upn == upn), end_of_day()) {
            return refused(format!(
                "{name} is already signed out, at {} ({}): sign them back in first",
                out.time
                    .map_or(String::new(), |t| t.format("%H:%M").to_string()),
                out.note
            ));
        }
        Ok(())
    }

    /// The code for each session of the day not yet begun at `at` and still unmarked: a
    /// planned mark by the office, as `rollcall plan` enters one, in the sign-out's write.
    fn code_for_the_rest_of_the_day(
        &self,
        w: &mut Writer<'_>,
        ctx: &Ctx,
        upn: &str,
        date: NaiveDate,
        at: NaiveTime,
        code: Code,
    ) -> Result<(usize, Vec<Event>)> {
        let school = ctx.school()?;
        let mut entered = 0;
        let mut events = Vec::new();
        let Some(group) = w.group_on(upn, date)? else {
            return Ok((0, events));
        };
        let plan = school.plan_for(&group, w.pupil(upn)?.map(|p| p.year));
        for session in Session::BOTH {
            let begun = date.and_time(plan.times(session).opens_at) <= date.and_time(at);
            if begun || !school.calendar.is_school_session(date, session) {
                continue;
            }
            let key = SessionKey {
                date,
                session,
                upn: upn.to_string(),
            };
            if w.mark(&key)?.is_some() {
                continue;
            }
            let req = MarkRequest {
                register: RegisterId::new(group.clone(), date, session),
                upn: upn.to_string(),
                code: code.to_string(),
                expect: Expect::Blank,
                note: (code.info().needs_note).then(|| "signed out".to_string()),
                ..MarkRequest::default()
            };
            let outcome = self.apply_mark(w, ctx, school, &req, Some(Source::SignOut))?;
            events.push(Event::saved(&group, &outcome));
            entered += 1;
        }
        Ok((entered, events))
    }

    /// A pupil who signed out is back in school: on the fire list again from `at`.
    pub(super) fn sign_back_in(
        &self,
        ctx: &Ctx,
        upn: &str,
        date: Option<NaiveDate>,
        at: Option<NaiveTime>,
    ) -> Result<Response> {
        office_only(ctx, "signing a pupil back in")?;
        let date = date.unwrap_or(ctx.now.date());
        let at = at.unwrap_or(ctx.now.time());
        if date.and_time(at) > ctx.now {
            return invalid(format!(
                "a return at {} on {date} has not happened yet",
                at.format("%H:%M")
            ));
        }
        let (out, name) = {
            let r = self.store.read()?;
            let entries = r.desk_entries(date, date)?;
            let out = out_at(entries.iter().filter(|e| e.upn == upn), end_of_day()).cloned();
            (out, name_of(&r, upn)?)
        };
        let Some(out) = out else {
            return refused(format!(
                "{name} is not signed out on {date}: nothing to sign back in"
            ));
        };
        if let Some(left) = out.time
            && at < left
        {
            return invalid(format!(
                "{name} left at {}: they cannot be back at {}",
                left.format("%H:%M"),
                at.format("%H:%M")
            ));
        }
        let note = format!("back after: {}", out.note);
        let name = self.log_desk(
            ctx,
            upn,
            Jot {
                time: Some(at),
                ..Jot::new(date, DeskKind::SignedIn, &note)
            },
        )?;
        Ok(Response::Done {
            message: format!("{name} signed back in at {}", at.format("%H:%M")),
        })
    }
}

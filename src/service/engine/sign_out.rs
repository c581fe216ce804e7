//! Leaving early and coming back: a pupil signed out (with why, when, and whether they come
//! back today; if not, perhaps the code for the sessions they miss) leaves the fire list and
//! is flagged in the next register, where `*` leaves them unmarked; signed back in, they are
//! on site again. The mark they had stays as it was: the register says where they were at
//! registration (SPEC §1.6).

use super::core::{Engine, Result, checked_note, invalid, refused};
use super::ctx::Ctx;
use super::desk::{Jot, office_only};
use crate::domain::codes::for_new_mark;
use crate::domain::desk::{DeskKind, on_site, out_at};
use crate::domain::marks::{SessionKey, Source};
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use chrono::{NaiveDate, NaiveTime};

/// The last moment of a day: "by now", for whatever has been recorded.
fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
}

impl Engine {
    pub(super) fn sign_out(&self, ctx: &Ctx, leaving: SignOutRequest) -> Result<Response> {
        office_only(ctx, "signing a pupil out")?;
        let upn = leaving.upn.as_str();
        let reason = checked_note("the reason", &leaving.reason, "say why they are leaving")?;
        let date = leaving.date.unwrap_or(ctx.now.date());
        let at = leaving.at.unwrap_or(ctx.now.time());
        if date.and_time(at) > ctx.now {
            return invalid(format!(
                "a sign-out at {} on {date} has not happened yet",
                at.format("%H:%M")
            ));
        }
        let school = ctx.school()?;
        if at < school.sessions.am.opens_at {
            return invalid(format!(
                "{} is before the school day began ({})",
                at.format("%H:%M"),
                school.sessions.am.opens_at.format("%H:%M")
            ));
        }
        let code = match leaving.code.as_deref() {
            Some(_) if leaving.back_today => {
                return invalid(
                    "a pupil back today misses no session: give a code only when they are not back",
                );
            }
            Some(text) => {
                Some(for_new_mark(text).map_err(|e| ServiceError::Invalid(e.to_string()))?)
            }
            None => None,
        };
        // Only a pupil in the building can leave it: marked on site in a session begun by
        // then, arrived by then, and not already out.
        let session = school.sessions.session_at(at);
        {
            let r = self.store.read()?;
            let key = SessionKey {
                date,
                session,
                upn: upn.to_string(),
            };
            match r.mark(&key)? {
                Some(m) if on_site(m.code, m.arrived) => {
                    if let Some(arrived) = m.arrived
                        && arrived > at
                    {
                        return invalid(format!(
                            "{upn} arrived at {}: they cannot have left at {}",
                            arrived.format("%H:%M"),
                            at.format("%H:%M")
                        ));
                    }
                }
                Some(m) => {
                    return refused(format!(
                        "{upn} is not on site {} {}: marked {} ({})",
                        date.format("%a %d %b"),
                        session.label(),
                        m.code,
                        m.code.info().meaning
                    ));
                }
                None => {
                    return refused(format!(
                        "{upn} has no mark {} {}: mark them present before signing them out",
                        date.format("%a %d %b"),
                        session.label()
                    ));
                }
            }
            let entries = r.desk_entries(date, date)?;
            let theirs = entries.iter().filter(|e| e.upn == upn);
            if let Some(out) = out_at(theirs, end_of_day()) {
                return refused(format!(
                    "{upn} is already signed out, at {} ({}): sign them back in first",
                    out.time
                        .map_or(String::new(), |t| t.format("%H:%M").to_string()),
                    out.note
                ));
            }
        }
        let name = self.log_desk(
            ctx,
            upn,
            Jot {
                time: Some(at),
                back_today: Some(leaving.back_today),
                ..Jot::new(date, DeskKind::SignedOut, reason)
            },
        )?;
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
            let entered = self.code_for_the_rest_of_the_day(ctx, upn, date, at, code.code)?;
            message.push_str(&format!(
                "; {} entered for {entered} session(s) missed",
                code.code
            ));
        }
        Ok(Response::Done { message })
    }

    /// The code for each session of the day not yet begun at `at` and still unmarked: a
    /// planned mark by the office, as `rollcall plan` enters one.
    fn code_for_the_rest_of_the_day(
        &self,
        ctx: &Ctx,
        upn: &str,
        date: NaiveDate,
        at: NaiveTime,
        code: crate::domain::codes::Code,
    ) -> Result<usize> {
        let school = ctx.school()?;
        let (entered, events) = self.store.write(|w| {
            let mut entered = 0;
            let mut events = Vec::new();
            let Some(group) = w.group_on(upn, date)? else {
                return Ok::<_, ServiceError>((0, events));
            };
            for session in crate::domain::session::Session::BOTH {
                let begun =
                    date.and_time(school.sessions.times(session).opens_at) <= date.and_time(at);
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
        })?;
        for event in events {
            self.notify(event);
        }
        Ok(entered)
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
        let out = {
            let r = self.store.read()?;
            let entries = r.desk_entries(date, date)?;
            out_at(entries.iter().filter(|e| e.upn == upn), end_of_day()).cloned()
        };
        let Some(out) = out else {
            return refused(format!(
                "{upn} is not signed out on {date}: nothing to sign back in"
            ));
        };
        if let Some(left) = out.time
            && at < left
        {
            return invalid(format!(
                "{upn} left at {}: they cannot be back at {}",
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

//! What reaches the app from outside its keys: marks pushed by the server from other
//! terminals, and the clock crossing a boundary the screen shows.

use super::action::{Effect, Message, Outcome, Reply};
use super::register::set_row_mark;
use super::state::{App, Screen};
use crate::domain::register::RegisterClock;
use crate::domain::session::Phase;
use crate::service::protocol::Event;
use crate::service::protocol::{MarkHistory, MarkRequest, Request};
use chrono::NaiveDateTime;

pub fn on_event(app: &mut App, event: Event) {
    // A reminder is for the people it names, and says so at once, on any screen.
    if let Event::Reminder { accounts, text } = &event {
        if accounts.contains(&app.me.account) {
            app.message = Some(Message::error(format!("REMINDER: {text}")));
        }
        return;
    }
    // A pupil missing from a lesson is said at once on every office screen.
    if let Event::Lesson {
        missing: Some(words),
        ..
    } = &event
        && app.me.role.is_office()
    {
        app.message = Some(Message::error(format!("MISSING: {words} (f11)")));
    }
    // A mark on the register on screen is applied in place: no round trip.
    if let (
        Screen::Register(r),
        Event::Marked {
            register,
            upn,
            mark,
        },
    ) = (&mut app.screen, &event)
        && r.is(register)
        && let Some(view) = &mut r.view
        && view.rows.iter().any(|row| row.upn == *upn)
    {
        set_row_mark(view, upn, mark.clone());
        return;
    }
    let day = event.register().map(|r| r.date);
    let relevant = match (&app.screen, &event) {
        (_, Event::Reload) => true,
        (Screen::ClassList, Event::Marked { .. } | Event::Closed(_)) => app.home.date == day,
        (Screen::Register(r), Event::Marked { register, .. } | Event::Closed(register)) => {
            r.is(register)
        }
        (Screen::SignIn(_) | Screen::PupilSearch(_), Event::Marked { .. }) => {
            day == Some(app.now.date())
        }
        (Screen::NQueue(_), _) => true,
        (Screen::Alerts(_), _) => true,
        // The desk's day: today's marks and registers, and its own log.
        (Screen::Today(_) | Screen::OnSite(_), Event::Marked { .. } | Event::Closed(_)) => {
            day == Some(app.now.date())
        }
        (Screen::Today(_) | Screen::OnSite(_), Event::Desk { date }) => *date == app.now.date(),
        // Stages count the year to date: a mark moves them little, and reading every pupil's
        // year after each burst of a morning's marks would load the server for nothing
        // (refresh reads them when wanted).
        (Screen::Stages(_), Event::Desk { .. }) => true,
        (Screen::Pupil(p), Event::Marked { upn, .. }) => p.upn == *upn,
        // Lessons: the missing list, a lesson's register and the class list's lessons.
        (Screen::Missing(_), Event::Lesson { .. }) => true,
        (Screen::Lesson(s), Event::Lesson { date, .. }) => s.date == *date,
        (Screen::ClassList, Event::Lesson { date, .. }) => app.home.date == Some(*date),
        _ => false,
    };
    app.reload_pending |= relevant;
}

/// The phase of the register on screen, to notice the clock crossing a boundary.
fn register_phase(app: &App) -> Option<Phase> {
    let Screen::Register(r) = &app.screen else {
        return None;
    };
    let view = r.view.as_ref()?;
    Some(
        RegisterClock {
            date: view.date,
            session: view.session,
            times: view.times,
            now: app.now,
            locked: view.closed.is_some(),
        }
        .phase(),
    )
}

pub fn tick(app: &mut App, now: NaiveDateTime) -> Vec<Effect> {
    let phase_before = register_phase(app);
    let day_before = app.now.date();
    app.now = now;
    if now.date() != day_before && app.home.date == Some(day_before) {
        app.home.date = Some(now.date());
    }
    // Crossing register_at or closes_at changes what may be done: fetch it afresh.
    if register_phase(app) != phase_before || now.date() != day_before {
        return app.reload_current();
    }
    if matches!(app.screen, Screen::ClassList | Screen::Missing(_)) {
        // Statuses on the class list move with the clock too, and a missing pupil's minutes
        // reach the school's line for informing the parents.
        return app.reload_current();
    }
    Vec::new()
}

/// On reconnecting: asks for the current state of every mark whose reply was lost.
pub fn confirm_unconfirmed(app: &mut App) -> Vec<Effect> {
    std::mem::take(&mut app.unconfirmed)
        .into_iter()
        .map(|request| {
            Effect::new(
                Request::History {
                    upn: request.upn.clone(),
                    date: request.register.date,
                    session: request.register.session,
                },
                Reply::Confirmed {
                    request: Box::new(request),
                },
            )
        })
        .collect()
}

/// Says whether a mark whose reply was lost was saved after all.
pub fn confirmed(app: &mut App, request: MarkRequest, result: Outcome<MarkHistory>) {
    match result {
        Ok(history) => {
            let saved = history
                .current
                .as_ref()
                .is_some_and(|m| m.recorded_by == app.me.account && request.fits(m.code));
            if saved {
                app.info(format!(
                    "{}: the {} sent as the connection was lost was saved",
                    history.name, request.code
                ));
            } else {
                app.error_text(format!(
                    "{}: the {} sent as the connection was lost was NOT saved: mark it again",
                    history.name, request.code
                ));
            }
        }
        Err(e) => {
            app.error(&e);
            app.unconfirmed.push(request);
        }
    }
}

//! The single place the app's state changes: [`update`]. It routes each action to its
//! owner (the screen on show, the dialog open over it, the screen a reply is for), hands a
//! dialog's answer to the owner that asked, and carries out what the owner returns: the
//! requests to make, the dialog to show, the screen to go to.

use super::action::{Action, Effect, Go, Outcome, Reply};
use super::amendment::history_lines;
use super::modal::{self, Answer, Modal, Step};
use super::next::Next;
use super::register::{self, RegisterScreen};
use super::shared::Shared;
use super::state::{App, Ask, Screen};
use super::{
    alerts, casework, class_list, import, lesson, missing, n_queue, on_site, plan, pupil,
    pupil_search, push, reports, sign_in, stages, today, week,
};
use crate::keymap::KeyAction;
use crate::service::protocol::Response;
use crate::service::{ServiceError, expect_reply};
use std::convert::Infallible;

/// The single place the app's state changes. Pure: it returns the requests to make, each
/// with the [`Reply`] that says who handles its answer; the loop that makes them
/// (`tui::Driver`) is the same in the terminal and in tests.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => push::tick(app, now),
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Changed(event) => {
            push::on_event(app, event);
            Vec::new()
        }
        Action::Disconnected(why) => {
            app.shared.error(&ServiceError::Disconnected(why));
            Vec::new()
        }
        Action::Idle if std::mem::take(&mut app.reload_pending) => app.reload_current(),
        Action::Idle => Vec::new(),
        Action::Reconnected => {
            app.connection = Ok(());
            app.shared.info("connected again");
            let mut effects = push::confirm_unconfirmed(app);
            effects.extend(app.reload_current());
            effects
        }
        Action::Replied { reply, result } => {
            let next = on_reply(app, reply, result);
            follow(app, next)
        }
        Action::FileRead { path, text } => import::read(&mut app.shared, path, text),
        Action::Key(_) | Action::Char(_) | Action::Erase => {
            let next = match app.modal.take() {
                Some(dialog) => on_dialog_input(app, dialog, action),
                None => on_screen_input(app, action),
            };
            follow(app, next)
        }
    }
}

/// Carries out what a handler returned: its dialog, the screen it goes to, a reload.
fn follow(app: &mut App, next: Next<Ask>) -> Vec<Effect> {
    let mut effects = next.effects;
    if let Some(dialog) = next.dialog {
        app.modal = Some(dialog);
    }
    if let Some(go) = next.go {
        effects.extend(go_to(app, go));
    }
    if next.reload {
        effects.extend(app.reload_current());
    }
    effects
}

/// Shows a screen opened by its own key: what was behind the one before is forgotten.
fn show(app: &mut App, screen: Screen, effect: Effect) -> Next<Ask> {
    app.screen = screen;
    app.behind.clear();
    app.message = None;
    Next::effect(effect)
}

/// Opens the screen a handler asked for.
fn go_to(app: &mut App, go: Go) -> Vec<Effect> {
    match go {
        Go::Home => {
            app.screen = Screen::ClassList;
            app.behind.clear();
            app.reload_current()
        }
        Go::Back => {
            app.screen = app.behind.pop().unwrap_or(Screen::ClassList);
            app.reload_current()
        }
        Go::Register {
            group,
            date,
            session,
        } => {
            app.home.session = session;
            let r = RegisterScreen::new(group, date, session);
            let effect = register::load(&r);
            app.screen = Screen::Register(r);
            app.behind.clear();
            vec![effect]
        }
        Go::PupilYear { upn } => {
            let (screen, effect) = pupil::open(upn);
            // From one pupil to another, back still goes to the list the first came from.
            let before = std::mem::replace(&mut app.screen, Screen::Pupil(screen));
            if !matches!(before, Screen::Pupil(_)) {
                app.behind.push(before);
            }
            app.message = None;
            vec![effect]
        }
        Go::Lesson {
            class,
            date,
            period,
        } => {
            let (screen, effect) = lesson::open(class, date, period);
            app.screen = Screen::Lesson(screen);
            app.behind.clear();
            app.message = None;
            vec![effect]
        }
        Go::GroupWeek { group, date } => {
            let (screen, effect) = week::open(group, date);
            let before = std::mem::replace(&mut app.screen, Screen::Week(screen));
            app.behind.push(before);
            app.message = None;
            vec![effect]
        }
    }
}

/// Keys every screen shares, then the screen's own.
fn on_screen_input(app: &mut App, action: Action) -> Next<Ask> {
    if let Action::Key(key) = action {
        let opened = match key {
            KeyAction::Quit => {
                app.quit = true;
                return Next::none();
            }
            KeyAction::Help => return Next::dialog(Modal::help(app.section())),
            KeyAction::Refresh => return Next::effects(app.reload_current()),
            KeyAction::LateSignIn if !matches!(app.screen, Screen::SignIn(_)) => {
                Some(sign_in::open(&mut app.shared).map(|(s, e)| (Screen::SignIn(s), e)))
            }
            KeyAction::NQueue if !matches!(app.screen, Screen::NQueue(_)) => {
                Some(n_queue::open(&mut app.shared).map(|(s, e)| (Screen::NQueue(s), e)))
            }
            KeyAction::Alerts if !matches!(app.screen, Screen::Alerts(_)) => {
                Some(alerts::open(&mut app.shared).map(|(s, e)| (Screen::Alerts(s), e)))
            }
            KeyAction::TodayView if !matches!(app.screen, Screen::Today(_)) => {
                Some(today::open(&mut app.shared).map(|(s, e)| (Screen::Today(s), e)))
            }
            KeyAction::OnSiteView if !matches!(app.screen, Screen::OnSite(_)) => {
                let (s, e) = on_site::open();
                Some(Some((Screen::OnSite(s), e)))
            }
            KeyAction::ReportsView if !matches!(app.screen, Screen::Reports(_)) => {
                let (s, e) = reports::open(app.now.date());
                Some(Some((Screen::Reports(s), e)))
            }
            KeyAction::StagesView if !matches!(app.screen, Screen::Stages(_)) => {
                Some(stages::open(&mut app.shared).map(|(s, e)| (Screen::Stages(s), e)))
            }
            KeyAction::MissingView if !matches!(app.screen, Screen::Missing(_)) => {
                let Some((screen, effects)) = missing::open(&mut app.shared) else {
                    return Next::none();
                };
                app.screen = Screen::Missing(screen);
                app.behind.clear();
                app.message = None;
                return Next::effects(effects);
            }
            KeyAction::CaseworkView if !matches!(app.screen, Screen::Casework(_)) => {
                let Some((screen, effects)) = casework::open(&mut app.shared) else {
                    return Next::none();
                };
                app.screen = Screen::Casework(screen);
                app.behind.clear();
                app.message = None;
                return Next::effects(effects);
            }
            KeyAction::FindPupil => {
                let (s, e) = pupil_search::open(&app.shared);
                Some(Some((Screen::PupilSearch(s), e)))
            }
            KeyAction::ImportPupils => {
                return import::ask_for_file(&mut app.shared).map(Ask::Import);
            }
            _ => None,
        };
        match opened {
            Some(Some((screen, effect))) => return show(app, screen, effect),
            // Refused, and said why.
            Some(None) => return Next::none(),
            None => {}
        }
    }
    let shared = &mut app.shared;
    match &mut app.screen {
        Screen::ClassList => {
            class_list::on_input(&mut app.home, shared, action).map(Ask::ClassList)
        }
        Screen::Register(r) => register::on_input(r, shared, action).map(Ask::Register),
        Screen::SignIn(s) => sign_in::on_input(s, shared, action).map(Ask::SignIn),
        Screen::PupilSearch(s) => pupil_search::on_input(s, shared, action).map(never),
        Screen::NQueue(q) => n_queue::on_input(q, shared, action).map(Ask::NQueue),
        Screen::Alerts(s) => alerts::on_input(s, shared, action).map(Ask::Alerts),
        Screen::Today(s) => today::on_input(s, shared, action).map(Ask::Today),
        Screen::OnSite(s) => on_site::on_input(s, shared, action).map(Ask::OnSite),
        Screen::Reports(s) => reports::on_input(s, shared, action).map(never),
        Screen::Pupil(p) => pupil::on_input(p, shared, action).map(Ask::Pupil),
        Screen::Week(w) => week::on_input(w, shared, action).map(Ask::Week),
        Screen::Stages(s) => stages::on_input(s, shared, action).map(Ask::Stages),
        Screen::Casework(s) => casework::on_input(s, shared, action).map(Ask::Casework),
        Screen::Lesson(s) => lesson::on_input(s, shared, action).map(never),
        Screen::Missing(s) => missing::on_input(s, shared, action).map(Ask::Missing),
    }
}

/// A screen with no dialog has no question to lift.
fn never(never: Infallible) -> Ask {
    match never {}
}

/// Hands a key to the open dialog; an answer goes to the owner that asked.
fn on_dialog_input(app: &mut App, dialog: Modal<Ask>, action: Action) -> Next<Ask> {
    let help_lines = match &dialog {
        Modal::Help(help) => app.keymap.help(help.section).len(),
        _ => 0,
    };
    match modal::on_input(dialog, action, app.page(), help_lines) {
        Step::Open(dialog, said) => {
            if let Some(said) = said {
                app.message = Some(said);
            }
            Next::dialog(dialog)
        }
        Step::Closed(said) => {
            if let Some(said) = said {
                app.message = Some(said);
            }
            Next::none()
        }
        Step::Quit => {
            app.quit = true;
            Next::none()
        }
        Step::Answered {
            ask,
            answer,
            dialog,
        } => {
            let typing = matches!(answer, Answer::Typing(_));
            match answered(app, ask, answer) {
                Ok(mut next) => {
                    // A field answered as it is typed stays open.
                    if typing && next.dialog.is_none() {
                        next.dialog = Some(dialog);
                    } else if next.effects.iter().any(Effect::brings_back_its_dialog) {
                        app.retry = Some(dialog);
                    }
                    next
                }
                Err(why) => match dialog {
                    Modal::Input(input) => Next::dialog(Modal::Input(input.refused(why))),
                    other => {
                        app.shared.error_text(why);
                        Next::dialog(other)
                    }
                },
            }
        }
    }
}

/// The answer to a dialog, for the owner whose question it was. An answer for a screen no
/// longer on show is dropped.
fn answered(app: &mut App, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    fn lift<A>(result: Result<Next<A>, String>, f: fn(A) -> Ask) -> Result<Next<Ask>, String> {
        result.map(|next| next.map(f))
    }
    let shared = &mut app.shared;
    match (ask, &mut app.screen) {
        (Ask::ClassList(a), _) => lift(
            class_list::answered(&mut app.home, a, answer),
            Ask::ClassList,
        ),
        (Ask::Import(a), _) => lift(import::answered(shared, a, answer), Ask::Import),
        (Ask::NQueue(a), _) => lift(n_queue::answered(a, answer), Ask::NQueue),
        (Ask::Alerts(a), _) => lift(alerts::answered(a, answer), Ask::Alerts),
        (Ask::Today(a), _) => lift(today::answered(a, answer), Ask::Today),
        (Ask::OnSite(a), _) => lift(on_site::answered(shared, a, answer), Ask::OnSite),
        (Ask::Stages(a), _) => lift(stages::answered(a, answer), Ask::Stages),
        (Ask::Missing(a), _) => lift(missing::answered(a, answer), Ask::Missing),
        (Ask::Casework(a), _) => lift(
            casework::answered(a, answer, shared.now.date()),
            Ask::Casework,
        ),
        (Ask::Register(a), Screen::Register(r)) => {
            lift(register::answered(r, shared, a, answer), Ask::Register)
        }
        (Ask::SignIn(a), Screen::SignIn(s)) => {
            lift(sign_in::answered(s, shared, a, answer), Ask::SignIn)
        }
        (Ask::Pupil(a), Screen::Pupil(p)) => {
            lift(pupil::answered(p, a, answer, shared.now.date()), Ask::Pupil)
        }
        (Ask::Week(a), Screen::Week(w)) => lift(week::answered(w, a, answer), Ask::Week),
        _ => Ok(Next::none()),
    }
}

/// A screen's data arrived: given to the screen if it is still on show.
fn loaded<T>(
    app: &mut App,
    result: Outcome<T>,
    give: impl FnOnce(&mut Screen, &mut Shared, T),
) -> Next<Ask> {
    match result {
        Ok(value) => give(&mut app.screen, &mut app.shared, value),
        Err(e) => app.shared.error(&e),
    }
    Next::none()
}

fn register_on_show(screen: &mut Screen) -> Option<&mut RegisterScreen> {
    match screen {
        Screen::Register(r) => Some(r),
        _ => None,
    }
}

fn on_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Next<Ask> {
    match reply {
        Reply::Register
        | Reply::Marked { .. }
        | Reply::SignedIn { .. }
        | Reply::Confirmed { .. }
        | Reply::MarkedMany { .. }
        | Reply::Reverted { .. }
        | Reply::Cleared { .. }
        | Reply::Closed => on_mark_reply(app, reply, result),
        other => on_view_reply(app, other, result),
    }
}

/// A register's marks, saved, put back, cleared or closed.
fn on_mark_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Next<Ask> {
    let shared = &mut app.shared;
    let on_show = register_on_show(&mut app.screen);
    match reply {
        Reply::Register => loaded(
            app,
            expect_reply!(result, Response::Register(v) => v),
            |screen, shared, view| match screen {
                Screen::Register(r) => register::loaded(r, shared, view),
                _ => shared.connection = Ok(()),
            },
        ),
        Reply::Marked { undoing, request } => register::marked(
            on_show,
            shared,
            undoing,
            *request,
            expect_reply!(result, Response::Marked(o) => o),
        )
        .map(Ask::Register),
        Reply::SignedIn { name, request } => {
            let on_show = match &mut app.screen {
                Screen::SignIn(s) => Some(s),
                _ => None,
            };
            sign_in::signed_in(
                on_show,
                shared,
                name,
                *request,
                expect_reply!(result, Response::Marked(o) => o),
            );
            Next::none()
        }
        Reply::Confirmed { request } => {
            push::confirmed(
                app,
                *request,
                expect_reply!(result, Response::History(h) => h),
            );
            Next::none()
        }
        Reply::MarkedMany { what } => register::marked_many(
            on_show,
            shared,
            what,
            expect_reply!(result, Response::MarkedMany { outcomes } => outcomes),
        )
        .map(Ask::Register),
        Reply::Reverted { upn } => {
            register::undone(
                on_show,
                shared,
                &upn,
                expect_reply!(result, Response::Reverted { mark, message, .. } => (mark, message)),
            );
            Next::none()
        }
        Reply::Cleared { target } => register::cleared(
            on_show,
            shared,
            *target,
            expect_reply!(result, Response::Reverted { message, .. } => message),
        )
        .map(Ask::Register),
        Reply::Closed => register::closed(
            on_show,
            shared,
            expect_reply!(result, Response::Closed(s) => s),
        )
        .map(Ask::Register),
        _ => Next::none(),
    }
}

/// What a screen shows, fetched; and the replies that say what was done.
fn on_view_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Next<Ask> {
    let shared = &mut app.shared;
    match reply {
        Reply::ClassList => {
            match expect_reply!(result, Response::ClassList(l) => l) {
                Ok(list) => class_list::loaded(&mut app.home, shared, list),
                Err(e) => shared.error(&e),
            }
            Next::none()
        }
        Reply::Done => on_done(app, result),
        Reply::History => {
            match expect_reply!(result, Response::History(h) => h) {
                Ok(history) => {
                    if let Some(dialog) = &mut app.modal {
                        dialog.add_context(history_lines(&history));
                    }
                }
                Err(e) => shared.error(&e),
            }
            Next::none()
        }
        Reply::Pupils => loaded(
            app,
            expect_reply!(result, Response::Pupils { pupils } => pupils),
            |screen, _, pupils| match screen {
                Screen::SignIn(s) => s.finder.found(pupils),
                Screen::PupilSearch(s) => s.finder.found(pupils),
                _ => {}
            },
        ),
        Reply::NQueue => loaded(
            app,
            expect_reply!(result, Response::NQueue { items } => items),
            |screen, _, items| {
                if let Screen::NQueue(q) = screen {
                    n_queue::loaded(q, items);
                }
            },
        ),
        Reply::Alerts => loaded(
            app,
            expect_reply!(result, Response::Alerts { alerts } => alerts),
            |screen, _, list| {
                if let Screen::Alerts(s) = screen {
                    alerts::loaded(s, list);
                }
            },
        ),
        Reply::Today => loaded(
            app,
            expect_reply!(result, Response::Today(v) => v),
            |screen, _, view| {
                if let Screen::Today(s) = screen {
                    today::loaded(s, view);
                }
            },
        ),
        Reply::OnSite => loaded(
            app,
            expect_reply!(result, Response::OnSite(v) => v),
            |screen, _, view| {
                if let Screen::OnSite(s) = screen {
                    on_site::loaded(s, view);
                }
            },
        ),
        Reply::Report => loaded(
            app,
            expect_reply!(result, Response::Report { rows } => rows),
            |screen, _, rows| {
                if let Screen::Reports(s) = screen {
                    reports::loaded(s, rows);
                }
            },
        ),
        Reply::PupilYear => loaded(
            app,
            expect_reply!(result, Response::PupilYear(v) => *v),
            |screen, shared, view| {
                if let Screen::Pupil(p) = screen {
                    pupil::loaded(p, shared, view);
                }
            },
        ),
        Reply::GroupWeek => loaded(
            app,
            expect_reply!(result, Response::GroupWeek(v) => v),
            |screen, _, view| {
                if let Screen::Week(w) = screen {
                    week::loaded(w, view);
                }
            },
        ),
        Reply::Stages | Reply::Cases | Reply::Suspensions | Reply::CaseStepped => {
            on_casework_reply(app, reply, result)
        }
        Reply::Lessons
        | Reply::LessonRegister
        | Reply::LessonMarked
        | Reply::Missing
        | Reply::LessonsNotTaken
        | Reply::LessonsLate
        | Reply::LessonReminded => on_lesson_reply(app, reply, result),
        Reply::Planned => {
            plan::planned(shared, expect_reply!(result, Response::Planned(s) => s));
            Next::reload()
        }
        Reply::PlanWithdrawn => {
            plan::withdrawn(
                shared,
                expect_reply!(result, Response::PlanWithdrawn(w) => w),
            );
            Next::reload()
        }
        Reply::PlanPreview { request } => {
            let result = expect_reply!(result, Response::Planned(s) => s);
            match &app.screen {
                Screen::Week(_) => {
                    plan::previewed(shared, *request, result, week::Ask).map(Ask::Week)
                }
                _ => plan::previewed(shared, *request, result, pupil::Ask::Plan).map(Ask::Pupil),
            }
        }
        Reply::PlansToWithdraw => {
            let result = expect_reply!(result, Response::Plans { plans } => plans);
            match &app.screen {
                Screen::Week(_) => plan::choose(shared, result, week::Ask).map(Ask::Week),
                _ => plan::choose(shared, result, pupil::Ask::Plan).map(Ask::Pupil),
            }
        }
        Reply::PupilPreview { file, csv } => import::previewed(
            shared,
            file,
            *csv,
            expect_reply!(result, Response::Imported(s) => s),
        )
        .map(Ask::Import),
        Reply::Imported => {
            import::imported(shared, expect_reply!(result, Response::Imported(s) => s));
            Next::reload()
        }
        _ => Next::none(),
    }
}

/// Lesson registers' replies: the day's lessons for the class list, a lesson's register, its
/// marks saved, the missing pupils.
fn on_lesson_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Next<Ask> {
    use crate::service::protocol::LessonResponse as L;
    let result = expect_reply!(result, Response::Lesson(r) => *r);
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            app.shared.error(&e);
            // A refused mark: the register as it stands, with the cursor where it was.
            return if matches!(reply, Reply::LessonMarked) {
                Next::reload()
            } else {
                Next::none()
            };
        }
    };
    match (reply, result) {
        (Reply::Lessons, L::Day { lessons }) => class_list::lessons_loaded(&mut app.home, lessons),
        (Reply::LessonRegister, L::Register(register)) => {
            if let Screen::Lesson(s) = &mut app.screen {
                lesson::loaded(s, *register);
            }
        }
        (
            Reply::LessonMarked,
            L::Marked {
                pupils,
                afternoon_kept,
            },
        ) => {
            let on_show = match &mut app.screen {
                Screen::Lesson(s) => Some(s),
                _ => None,
            };
            lesson::marked(on_show, &mut app.shared, pupils, afternoon_kept);
        }
        (Reply::Missing, L::Missing { pupils }) => {
            if let Screen::Missing(s) = &mut app.screen {
                missing::loaded(s, pupils);
            }
        }
        (Reply::LessonsNotTaken, L::NotTaken { lessons }) => {
            if let Screen::Missing(s) = &mut app.screen {
                missing::not_taken_loaded(s, lessons);
            }
        }
        (Reply::LessonsLate, L::Late { arrivals }) => {
            if let Screen::Missing(s) = &mut app.screen {
                missing::late_loaded(s, arrivals);
            }
        }
        _ => {}
    }
    Next::none()
}

/// The stages' and casework's replies: their lists, and a step taken.
fn on_casework_reply(app: &mut App, reply: Reply, result: Outcome<Response>) -> Next<Ask> {
    let shared = &mut app.shared;
    match reply {
        Reply::Stages => loaded(
            app,
            expect_reply!(result, Response::Stages { pupils } => pupils),
            |screen, _, pupils| {
                if let Screen::Stages(s) = screen {
                    stages::loaded(s, pupils);
                }
            },
        ),
        Reply::Cases => loaded(
            app,
            expect_reply!(result, Response::Cases { cases } => cases),
            |screen, _, cases| {
                if let Screen::Casework(s) = screen {
                    casework::loaded(s, cases);
                }
            },
        ),
        Reply::Suspensions => loaded(
            app,
            expect_reply!(result, Response::Suspensions { pupils } => pupils),
            |screen, _, pupils| {
                if let Screen::Casework(s) = screen {
                    casework::suspensions_loaded(s, pupils);
                }
            },
        ),
        Reply::CaseStepped => {
            let retry = app.retry.take();
            match expect_reply!(result, Response::CaseDone { message, .. } => message) {
                Ok(message) => shared.info(message),
                // Refused by a rule: the dialog again, with what was typed and why.
                Err(e) => match retry {
                    Some(dialog) if !matches!(e, ServiceError::Disconnected(_)) => {
                        return Next::dialog(dialog.refused(e.to_string()));
                    }
                    _ => shared.error(&e),
                },
            }
            Next::reload()
        }
        _ => Next::none(),
    }
}

/// A sentence to say, then the screen reloaded; refused by a rule, the dialog that asked
/// (a first-day call), again with its words and why.
fn on_done(app: &mut App, result: Outcome<Response>) -> Next<Ask> {
    let retry = app.retry.take();
    match expect_reply!(result, Response::Done { message } => message) {
        Ok(message) => app.shared.info(message),
        Err(e) => match retry {
            Some(dialog) if !matches!(e, ServiceError::Disconnected(_)) => {
                return Next::dialog(dialog.refused(e.to_string()));
            }
            _ => app.shared.error(&e),
        },
    }
    Next::reload()
}

//! Casework on the desk: every case still running, those with something due first (a leave
//! request to decide, a notice's period ended, a review come, evidence to chase, a notice
//! unpaid), and pupils whose suspension reaches its sixth day. Enter records the case's next
//! step in a line of words, said in the dialog for each kind of case (SPEC §8).

use super::action::{Action, Effect, Go, Reply};
use super::modal::{Answer, InputState, Modal};
use super::nav::{ListTop, is_navigation, next_index};
use super::next::Next;
use super::shared::Shared;
use crate::domain::casework::{CaseBody, CaseStep, LeaveState};
use crate::keymap::KeyAction;
use crate::service::protocol::*;
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct CaseworkScreen {
    /// Due first, then the rest still running.
    pub cases: Vec<CaseView>,
    pub suspended: Vec<Suspended>,
    pub loaded: bool,
    pub cursor: usize,
    pub top: ListTop,
}

/// What the casework dialog asks: the next step on a case, in words.
#[derive(Clone, Debug)]
pub struct Ask {
    case: Box<CaseView>,
}

pub fn load() -> Vec<Effect> {
    vec![
        Effect::new(
            Request::Casework(CaseRequest::List {
                upn: None,
                open: true,
                due: false,
            }),
            Reply::Cases,
        ),
        Effect::new(
            Request::Casework(CaseRequest::Suspensions { on: None }),
            Reply::Suspensions,
        ),
    ]
}

pub fn open(shared: &mut Shared) -> Option<(CaseworkScreen, Vec<Effect>)> {
    if !shared.is_office() {
        shared.error_text("casework is for office staff");
        return None;
    }
    Some((CaseworkScreen::default(), load()))
}

pub fn loaded(s: &mut CaseworkScreen, mut cases: Vec<CaseView>) {
    // What is due of the office first, oldest first within each.
    cases.sort_by_key(|c| (c.due.is_none(), c.case.id));
    s.cursor = s.cursor.min(cases.len().saturating_sub(1));
    s.cases = cases;
    s.loaded = true;
}

pub fn suspensions_loaded(s: &mut CaseworkScreen, pupils: Vec<Suspended>) {
    s.suspended = pupils;
}

pub fn on_input(s: &mut CaseworkScreen, shared: &mut Shared, action: Action) -> Next<Ask> {
    let selected = s.cases.get(s.cursor).cloned();
    match action {
        Action::Key(KeyAction::Back) => Next::go(Go::Home),
        Action::Key(k) if is_navigation(k) => {
            s.cursor = next_index(s.cursor, s.cases.len(), k, shared.page());
            Next::none()
        }
        Action::Key(KeyAction::CaseStep) => {
            let Some(case) = selected else {
                return Next::none();
            };
            // The head decides leave: the office is told before typing a decision.
            if case.case.leave_state() == Some(LeaveState::Waiting)
                && shared.me.role != crate::domain::register::Role::Admin
            {
                shared.error_text(
                    "leave is decided by the head (an admin): this request waits for them",
                );
                return Next::none();
            }
            let (prompt, help) = step_words(&case);
            let mut context = vec![case.case.words(), format!("stands: {}", case.state)];
            if let Some(due) = &case.due {
                context.push(format!("due: {due}"));
            }
            context.push(help.into());
            Next::dialog(Modal::Input(InputState::new(
                Ask {
                    case: Box::new(case.clone()),
                },
                format!("{}: case {}", case.name, case.case.id),
                prompt,
                context,
            )))
        }
        Action::Key(KeyAction::PupilYear) => match selected {
            Some(c) => Next::go(Go::PupilYear { upn: c.case.upn }),
            None => Next::none(),
        },
        _ => Next::none(),
    }
}

/// The dialog's prompt and help for a case's next step.
fn step_words(case: &CaseView) -> (&'static str, &'static str) {
    match &case.case.body {
        CaseBody::Leave { .. } => (
            "decision: ",
            "`grant C why` (or the code that fits: M, J1, C1...), `refuse why`; after a \
             refusal, `taken` records the days' N as G. The head decides. `close why` for \
             a request entered twice.",
        ),
        CaseBody::Penalty { .. } => (
            "step: ",
            "`paid` (today) or `paid YYYY-MM-DD`: the framework's amount for that day; \
             `withdraw why`; `close why` (unpaid: referred to the local authority)",
        ),
        CaseBody::Notice { .. } => (
            "outcome: ",
            "`improved why` or `not improved why`; `close why`",
        ),
        CaseBody::PartTime { .. } => (
            "step: ",
            "`told` (the local authority, today, or `told YYYY-MM-DD`), `review YYYY-MM-DD \
             why` for the next review, `end why` when back full time",
        ),
        CaseBody::Evidence { .. } => (
            "received: ",
            "what it was (received today), or `YYYY-MM-DD what it was`; `close why` if it \
             never comes",
        ),
        CaseBody::Meeting { .. } => (
            "review: ",
            "`review YYYY-MM-DD what it found` for the next review, `end why` when complete",
        ),
    }
}

/// The words typed, as the case's next step; what is wrong with them, said, otherwise.
pub fn step_of(case: &CaseView, words: &str, today: NaiveDate) -> Result<CaseRequest, String> {
    let words = words.trim();
    let (first, rest) = words.split_once(char::is_whitespace).unwrap_or((words, ""));
    let rest = rest.trim().to_string();
    let first = first.to_lowercase();
    let id = case.case.id;
    let why = |what: &str| -> Result<String, String> {
        if rest.is_empty() {
            Err(format!("say why after `{what}`"))
        } else {
            Ok(rest.clone())
        }
    };
    let (_, help) = step_words(case);
    // A date given first, else today: a payment entered the day after it was made.
    let on = || -> Result<NaiveDate, String> {
        if rest.is_empty() {
            Ok(today)
        } else {
            rest.parse::<NaiveDate>()
                .map_err(|_| format!("`{rest}` is not a date (YYYY-MM-DD)"))
        }
    };
    if first == "close" {
        return Ok(CaseRequest::Close {
            id,
            note: why("close")?,
        });
    }
    match (&case.case.body, first.as_str()) {
        (CaseBody::Leave { .. }, "grant") => {
            let (code, note) = rest.split_once(char::is_whitespace).unwrap_or((&rest, ""));
            if code.is_empty() || note.trim().is_empty() {
                return Err("`grant CODE why`: the code granted (C, M...) and why".into());
            }
            Ok(CaseRequest::LeaveDecide {
                id,
                grant: Some(code.to_string()),
                note: note.trim().to_string(),
            })
        }
        (CaseBody::Leave { .. }, "refuse") => Ok(CaseRequest::LeaveDecide {
            id,
            grant: None,
            note: why("refuse")?,
        }),
        (CaseBody::Leave { .. }, "taken")
            if case.case.leave_state() == Some(LeaveState::Refused) =>
        {
            Ok(CaseRequest::LeaveTaken { id })
        }
        (CaseBody::Penalty { .. }, "paid") => Ok(CaseRequest::PenaltyPay { id, date: on()? }),
        (CaseBody::Penalty { .. }, "withdraw") => Ok(CaseRequest::PenaltyWithdraw {
            id,
            date: today,
            reason: why("withdraw")?,
        }),
        (CaseBody::Notice { .. }, "improved") => Ok(CaseRequest::NoticeEnd {
            id,
            improved: true,
            note: why("improved")?,
        }),
        (CaseBody::Notice { .. }, "not") => {
            let Some(note) = rest.strip_prefix("improved") else {
                return Err(format!("not understood: {help}"));
            };
            if note.trim().is_empty() {
                return Err("say why after `not improved`".into());
            }
            Ok(CaseRequest::NoticeEnd {
                id,
                improved: false,
                note: note.trim().to_string(),
            })
        }
        (CaseBody::PartTime { .. }, "told") => Ok(CaseRequest::LaTold { id, date: on()? }),
        (CaseBody::PartTime { .. } | CaseBody::Meeting { .. }, "review") => {
            let (date, note) = rest.split_once(char::is_whitespace).unwrap_or((&rest, ""));
            let next = date.parse::<NaiveDate>().map_err(|_| {
                format!("`{date}` is not a date (YYYY-MM-DD): `review YYYY-MM-DD why`")
            })?;
            if note.trim().is_empty() {
                return Err("say what the review found after its date".into());
            }
            Ok(CaseRequest::Review {
                id,
                next: Some(next),
                note: note.trim().to_string(),
            })
        }
        (CaseBody::PartTime { .. } | CaseBody::Meeting { .. }, "end") => Ok(CaseRequest::Review {
            id,
            next: None,
            note: why("end")?,
        }),
        (CaseBody::Evidence { .. }, _) => {
            // What it was, perhaps after `received` and a date.
            let text = words
                .strip_prefix("received")
                .or_else(|| words.strip_prefix("Received"))
                .unwrap_or(words)
                .trim();
            let (date, note) = match text.split_once(char::is_whitespace) {
                Some((d, note)) if d.parse::<NaiveDate>().is_ok() => {
                    (d.parse::<NaiveDate>().unwrap_or(today), note.trim())
                }
                _ => (today, text),
            };
            if note.is_empty() {
                return Err("say what was received (a GP's note, an appointment card)".into());
            }
            Ok(CaseRequest::EvidenceReceived {
                id,
                date,
                note: note.to_string(),
            })
        }
        _ => Err(format!("not understood: {help}")),
    }
}

/// The line typed: the step is sent, or what is wrong with it said in the dialog.
pub fn answered(ask: Ask, answer: Answer, today: NaiveDate) -> Result<Next<Ask>, String> {
    let Answer::Text(words) = answer else {
        return Ok(Next::none());
    };
    let step = step_of(&ask.case, &words, today)?;
    Ok(Next::effect(Effect::new(
        Request::Casework(step),
        Reply::CaseStepped,
    )))
}

/// The steps taken on a case, for the detail pane: the latest last.
pub fn detail(case: &CaseView) -> Vec<String> {
    let mut lines = vec![format!("{}: {}", case.name, case.case.words())];
    if let Some(due) = &case.due {
        lines.push(format!("due: {due}"));
    }
    lines.extend(case.case.history());
    if let Some(CaseStep::Granted { plan: Some(p), .. }) =
        case.case.steps.last().map(|s| s.step.clone())
    {
        lines.push(format!("planned absence {p}"));
    }
    lines
}

/// What a new case's words may be, for the dialog on a pupil's year.
pub const OPEN_HELP: [&str; 5] = [
    "leave FROM TO reason | penalty PARENT; grounds",
    "notice improve WEEKS grounds | notice warning grounds",
    "parttime REVIEW agreement | evidence ILL-FROM what asked",
    "meeting|contract|plan REVIEW people; agreed",
    "dates YYYY-MM-DD; dated today",
];

/// A pupil's new case from the words typed on their year (`OPEN_HELP`), dated today.
pub fn open_of(upn: &str, words: &str, today: NaiveDate) -> Result<CaseRequest, String> {
    let words = words.trim();
    let (first, rest) = words.split_once(char::is_whitespace).unwrap_or((words, ""));
    let rest = rest.trim();
    let date = |text: &str| {
        text.parse::<NaiveDate>()
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD)"))
    };
    let next = |text: &str| -> (String, String) {
        let (a, b) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        (a.to_string(), b.trim().to_string())
    };
    let needs = |text: String, what: &str| {
        if text.is_empty() {
            Err(format!("say {what}"))
        } else {
            Ok(text)
        }
    };
    let upn = upn.to_string();
    match first.to_lowercase().as_str() {
        "leave" => {
            let (from, rest) = next(rest);
            let (to, reason) = next(&rest);
            Ok(CaseRequest::LeaveAsk {
                upn,
                from: date(&from)?,
                to: date(&to)?,
                reason: needs(reason, "what the leave is for")?,
                asked: Some(today),
            })
        }
        "penalty" => {
            let (parent, note) = rest.split_once(';').unwrap_or((rest, ""));
            Ok(CaseRequest::PenaltyIssue {
                upn,
                parent: needs(
                    parent.trim().to_string(),
                    "the parent's name, then `;` and the grounds",
                )?,
                date: today,
                note: needs(note.trim().to_string(), "the grounds after `;`")?,
            })
        }
        "notice" => {
            let (kind, rest) = next(rest);
            let notice: crate::domain::casework::NoticeKind = kind.parse()?;
            let (weeks, note) = match notice {
                crate::domain::casework::NoticeKind::Improve => {
                    let (w, note) = next(&rest);
                    let weeks = w
                        .parse::<u32>()
                        .map_err(|_| format!("`{w}` is not a number of school weeks (3 to 6)"))?;
                    (Some(weeks), note)
                }
                crate::domain::casework::NoticeKind::Warning => (None, rest),
            };
            Ok(CaseRequest::NoticeIssue {
                upn,
                notice,
                date: today,
                weeks,
                note: needs(note, "the grounds")?,
            })
        }
        "parttime" => {
            let (review, note) = next(rest);
            Ok(CaseRequest::PartTime {
                upn,
                from: today,
                review: date(&review)?,
                la_told: None,
                note: needs(note, "who agreed it and what it is")?,
            })
        }
        "evidence" => {
            let (ill_from, note) = next(rest);
            Ok(CaseRequest::EvidenceAsk {
                upn,
                ill_from: date(&ill_from)?,
                date: today,
                note: needs(note, "what was asked for")?,
            })
        }
        kind @ ("meeting" | "contract" | "plan") => {
            let (review, rest) = next(rest);
            let (people, actions) = rest.split_once(';').unwrap_or((&rest, ""));
            Ok(CaseRequest::Meeting {
                upn,
                meeting: kind.parse()?,
                date: today,
                people: needs(
                    people.trim().to_string(),
                    "who was there, then `;` and what was agreed",
                )?,
                actions: needs(actions.trim().to_string(), "what was agreed after `;`")?,
                review: date(&review)?,
            })
        }
        _ => Err(format!(
            "`{first}` is not a case: leave, penalty, notice, parttime, evidence, meeting, contract or plan"
        )),
    }
}

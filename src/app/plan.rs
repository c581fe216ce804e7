//! Planned absences from the app, shared by the pupil's year and the group's week: a plan in
//! the words `rollcall plan` takes, shown before it is saved (what it will write and what it
//! leaves alone) and saved only on `y`; and a plan withdrawn as a whole, with a reason.
//! Each owner gives its own question for each step ([`PlanAsk`]).

use super::action::{Effect, Outcome, Reply};
use super::modal::{Answer, ConfirmState, InputState, Modal};
use super::next::Next;
use super::shared::Shared;
use crate::domain::desk::PlanLine;
use crate::service::protocol::{PlanInfo, PlanRequest, PlanSummary, PlanWithdrawn, Request};

/// The steps of planning and withdrawing, as an owner's question holds them.
#[derive(Clone, Debug)]
pub enum PlanAsk {
    /// The plan's words.
    Words,
    /// The plan previewed: save it?
    Confirm(Box<PlanRequest>),
    /// Which plan to withdraw, of these.
    Which(Vec<PlanInfo>),
    /// Why this plan is withdrawn.
    Why { id: u32 },
}

fn office_only(shared: &mut Shared) -> bool {
    if !shared.is_office() {
        shared.error_text("planned absences are entered by office staff");
    }
    shared.is_office()
}

/// Asks for a planned absence (office staff only); `whose` says for whom in the title.
pub fn dialog<A>(shared: &mut Shared, ask: impl Fn(PlanAsk) -> A, whose: String) -> Next<A> {
    if !office_only(shared) {
        return Next::none();
    }
    Next::dialog(Modal::Input(InputState::new(
        ask(PlanAsk::Words),
        format!("Plan an absence: {whose}"),
        "plan: ",
        vec![
            "CODE FROM [TO] [every DAY[:am|pm] ...] [note TEXT]".into(),
            "e.g. M 2026-11-24 2026-12-15 every tue:am note orthodontist".into(),
            "What it would write is shown first; nothing is saved until you say y.".into(),
        ],
    )))
}

/// Fetches the plans of a pupil (`upn`) or a group, to choose one to withdraw.
pub fn withdraw<A>(shared: &mut Shared, upn: Option<String>, group: Option<String>) -> Next<A> {
    if !office_only(shared) {
        return Next::none();
    }
    Next::effect(Effect::new(
        Request::Plans { upn, group },
        Reply::PlansToWithdraw,
    ))
}

/// An answer at one of the steps, for a pupil (`upn`) or every pupil of a group.
pub fn answered<A>(
    upn: Option<String>,
    group: Option<String>,
    step: PlanAsk,
    answer: Answer,
    ask: impl Fn(PlanAsk) -> A,
) -> Result<Next<A>, String> {
    match (step, answer) {
        (PlanAsk::Words, Answer::Text(text)) => {
            let line = PlanLine::parse(&text)?;
            let request = PlanRequest {
                upn: upn.unwrap_or_default(),
                group,
                every: line.every,
                from: line.from.0,
                from_session: line.from.1,
                to: line.to.0,
                to_session: line.to.1,
                code: line.code,
                note: line.note,
                dry_run: true,
            };
            Ok(Next::effect(Effect::new(
                Request::PlanAbsence(request.clone()),
                Reply::PlanPreview {
                    request: Box::new(request),
                },
            )))
        }
        (PlanAsk::Confirm(request), Answer::Yes) => {
            let request = PlanRequest {
                dry_run: false,
                ..*request
            };
            Ok(Next::effect(Effect::new(
                Request::PlanAbsence(request),
                Reply::Planned,
            )))
        }
        (PlanAsk::Which(plans), Answer::Text(text)) => {
            let id: u32 = text
                .trim()
                .trim_start_matches('#')
                .parse()
                .map_err(|_| format!("`{text}` is not a plan's number"))?;
            let Some(plan) = plans.iter().find(|p| p.plan.id == id) else {
                return Err(format!("plan {id} is not one of these"));
            };
            let title = format!("Withdraw plan {id}: {}", plan.plan.words);
            Ok(Next::dialog(Modal::Input(InputState::new(
                ask(PlanAsk::Why { id }),
                title,
                "reason: ",
                vec![
                    format!(
                        "{} of its {} sessions still hold it; those not yet begun are cleared.",
                        plan.still,
                        plan.plan.sessions.len()
                    ),
                    "Each becomes a change in the pupil's history with this reason.".into(),
                ],
            ))))
        }
        (PlanAsk::Why { id }, Answer::Text(reason)) => {
            if reason.is_empty() {
                return Err("say why the plan is withdrawn".into());
            }
            Ok(Next::effect(Effect::new(
                Request::WithdrawPlan { id, reason },
                Reply::PlanWithdrawn,
            )))
        }
        _ => Ok(Next::none()),
    }
}

/// What a plan would write, to confirm with `y`.
pub fn previewed<A>(
    shared: &mut Shared,
    request: PlanRequest,
    result: Outcome<PlanSummary>,
    ask: impl Fn(PlanAsk) -> A,
) -> Next<A> {
    let summary = match result {
        Ok(summary) => summary,
        Err(e) => {
            shared.error(&e);
            return Next::none();
        }
    };
    if summary.marked.is_empty() {
        let first = summary
            .skipped
            .first()
            .map_or(String::new(), |(d, s, why)| {
                format!(": {} {} {why}", d.format("%a %d %b"), s.label())
            });
        shared.error_text(format!("this plan would write no session{first}"));
        return Next::none();
    }
    let mut lines = vec![format!(
        "It writes {} session{}{}:",
        summary.marked.len(),
        if summary.marked.len() == 1 { "" } else { "s" },
        if summary.pupils > 1 {
            format!(" for {} pupils", summary.pupils)
        } else {
            String::new()
        }
    )];
    let mut days: Vec<String> = summary
        .marked
        .iter()
        .map(|(d, s)| format!("  {} {}", d.format("%a %d %b"), s.label()))
        .collect();
    days.dedup();
    lines.extend(days);
    if !summary.skipped.is_empty() {
        lines.push(format!("It leaves {} alone:", summary.skipped.len()));
        lines.extend(
            summary
                .skipped
                .iter()
                .map(|(d, s, why)| format!("  {} {} {why}", d.format("%a %d %b"), s.label())),
        );
    }
    let title = format!("Plan {} for {}?", request.code, whose(&request));
    Next::dialog(Modal::Confirm(
        ConfirmState::new(ask(PlanAsk::Confirm(Box::new(request))), title, lines)
            .deliberate("save", "leave it"),
    ))
}

fn whose(request: &PlanRequest) -> String {
    match &request.group {
        Some(g) => format!("all of {g}"),
        None => request.upn.clone(),
    }
}

/// The plans to choose one to withdraw from (those not yet withdrawn).
pub fn choose<A>(
    shared: &mut Shared,
    result: Outcome<Vec<PlanInfo>>,
    ask: impl Fn(PlanAsk) -> A,
) -> Next<A> {
    let plans: Vec<PlanInfo> = match result {
        Ok(plans) => plans
            .into_iter()
            .filter(|p| p.plan.withdrawn.is_none())
            .collect(),
        Err(e) => {
            shared.error(&e);
            return Next::none();
        }
    };
    if plans.is_empty() {
        shared.info("no planned absence to withdraw here");
        return Next::none();
    }
    let lines = plans
        .iter()
        .map(|p| {
            format!(
                "{:>3}  {}  {} ({} of {} as planned; by {} {})",
                p.plan.id,
                p.whose,
                p.plan.words,
                p.still,
                p.plan.sessions.len(),
                p.plan.name,
                p.plan.at.format("%d %b")
            )
        })
        .collect();
    Next::dialog(Modal::Input(InputState::new(
        ask(PlanAsk::Which(plans)),
        "Withdraw a planned absence",
        "plan number: ",
        lines,
    )))
}

/// A plan saved: how many sessions, and what was left alone; then the screen afresh.
pub fn planned(shared: &mut Shared, result: Outcome<PlanSummary>) {
    match result {
        Ok(summary) => {
            let mut text = format!("planned {} sessions", summary.marked.len());
            if summary.pupils > 1 {
                text.push_str(&format!(" for {} pupils", summary.pupils));
            }
            if let Some(id) = summary.id {
                text.push_str(&format!(" (plan {id})"));
            }
            if !summary.skipped.is_empty() {
                text.push_str(&format!("; {} left as they were", summary.skipped.len()));
            }
            shared.info(text);
        }
        Err(e) => shared.error(&e),
    }
}

/// A plan withdrawn: said; then the screen afresh.
pub fn withdrawn(shared: &mut Shared, result: Outcome<PlanWithdrawn>) {
    match result {
        Ok(w) => {
            let mut text = format!(
                "plan {} withdrawn: {} session{} cleared",
                w.id,
                w.cleared,
                if w.cleared == 1 { "" } else { "s" }
            );
            if !w.left.is_empty() {
                text.push_str(&format!(
                    "; {} left (begun, or changed since)",
                    w.left.len()
                ));
            }
            shared.info(text);
        }
        Err(e) => shared.error(&e),
    }
}

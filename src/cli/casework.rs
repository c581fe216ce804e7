//! Casework from the command line: leave of absence requests and decisions (`rollcall leave`),
//! penalty notices (`rollcall penalty`), and every case with where it stands (`rollcall
//! cases`). Each step is kept with who took it (SPEC §8.1, §8.3).

use super::error::CliResult;
use super::output::write_rows;
use super::values::{Format, parse_cli_date};
use crate::domain::casework::{CaseBody, CaseStep};
use crate::service::Client;
use crate::service::protocol::*;
use chrono::NaiveDate;
use clap::Subcommand;
use std::io::Write;

#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Leave of absence: a parent's request, the head's decision, absence after a refusal
    #[command(subcommand)]
    Leave(LeaveCommand),
    /// Penalty notices to a parent for a child: issue (the national framework's amount, no
    /// third within three years), pay, withdraw
    #[command(subcommand)]
    Penalty(PenaltyCommand),
    /// Every leave request and penalty notice, with where each stands (office)
    Cases {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: Option<String>,
        /// Only those waiting for someone: a request not decided, a notice not paid
        #[arg(long)]
        open: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum LeaveCommand {
    /// Record a parent's request for leave of absence (office)
    Request {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        to: NaiveDate,
        #[arg(long)]
        reason: String,
        /// When the parent asked (default today)
        #[arg(long, value_parser = parse_cli_date)]
        asked: Option<NaiveDate>,
    },
    /// The head's decision (admin): --grant --code C plans the code over the days (and
    /// amends any N already recorded on them); --refuse makes the absence unauthorised
    Decide {
        id: u32,
        #[arg(long, requires = "code", conflicts_with = "refuse")]
        grant: bool,
        #[arg(long, required_unless_present = "grant")]
        refuse: bool,
        /// The code granted: C, or the one that fits (M, J1, C1...)
        #[arg(long)]
        code: Option<String>,
        /// Why, as the letter to the parent will say
        #[arg(long)]
        note: String,
    },
    /// After a refusal: the request's days recorded N (absent, no reason) become G (office)
    Taken { id: u32 },
    /// Requests waiting for a decision
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum PenaltyCommand {
    /// Record a notice issued to a parent for a pupil (office)
    Issue {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long)]
        parent: String,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        /// Its grounds (the sessions, the warning before it)
        #[arg(long)]
        note: String,
    },
    /// Record a notice paid on a date: the amount is the framework's for that date
    Pay {
        id: u32,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
    },
    /// Record a notice withdrawn, with why
    Withdraw {
        id: u32,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        reason: String,
    },
    /// Every penalty notice, with what is owed and by when
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

impl CaseCommand {
    pub fn changes_something(&self) -> bool {
        !matches!(
            self,
            CaseCommand::Cases { .. }
                | CaseCommand::Leave(LeaveCommand::List { .. })
                | CaseCommand::Penalty(PenaltyCommand::List { .. })
        )
    }
}

pub(super) fn run(client: &mut Client, command: &CaseCommand, out: &mut impl Write) -> CliResult {
    let step = match command {
        CaseCommand::Cases { upn, open, format } => {
            let cases = client.cases(upn.clone(), *open)?;
            return write_cases(out, &cases, *format);
        }
        CaseCommand::Leave(LeaveCommand::List { format }) => {
            let cases: Vec<CaseView> = client
                .cases(None, true)?
                .into_iter()
                .filter(|c| matches!(c.case.body, CaseBody::Leave { .. }))
                .collect();
            return write_cases(out, &cases, *format);
        }
        CaseCommand::Penalty(PenaltyCommand::List { format }) => {
            let cases: Vec<CaseView> = client
                .cases(None, false)?
                .into_iter()
                .filter(|c| matches!(c.case.body, CaseBody::Penalty { .. }))
                .collect();
            return write_cases(out, &cases, *format);
        }
        CaseCommand::Leave(LeaveCommand::Request {
            upn,
            from,
            to,
            reason,
            asked,
        }) => CaseRequest::LeaveAsk {
            upn: upn.clone(),
            from: *from,
            to: *to,
            reason: reason.clone(),
            asked: *asked,
        },
        CaseCommand::Leave(LeaveCommand::Decide {
            id,
            grant,
            code,
            note,
            ..
        }) => CaseRequest::LeaveDecide {
            id: *id,
            grant: if *grant { code.clone() } else { None },
            note: note.clone(),
        },
        CaseCommand::Leave(LeaveCommand::Taken { id }) => CaseRequest::LeaveTaken { id: *id },
        CaseCommand::Penalty(PenaltyCommand::Issue {
            upn,
            parent,
            date,
            note,
        }) => CaseRequest::PenaltyIssue {
            upn: upn.clone(),
            parent: parent.clone(),
            date: *date,
            note: note.clone(),
        },
        CaseCommand::Penalty(PenaltyCommand::Pay { id, date }) => CaseRequest::PenaltyPay {
            id: *id,
            date: *date,
        },
        CaseCommand::Penalty(PenaltyCommand::Withdraw { id, date, reason }) => {
            CaseRequest::PenaltyWithdraw {
                id: *id,
                date: *date,
                reason: reason.clone(),
            }
        }
    };
    let (_, message) = client.case_step(step)?;
    writeln!(out, "{message}")?;
    Ok(())
}

/// What a case is, in a line: "leave 2026-12-07 to 2026-12-11: family wedding".
pub fn case_words(view: &CaseView) -> String {
    match &view.case.body {
        CaseBody::Leave {
            from, to, reason, ..
        } => format!("leave {from} to {to}: {reason}"),
        CaseBody::Penalty {
            parent,
            issued,
            second,
        } => format!(
            "penalty notice to {parent}, issued {issued}{}",
            if *second { " (second)" } else { "" }
        ),
    }
}

/// Each step in words, oldest first: who, when, what and why.
pub fn step_words(view: &CaseView) -> Vec<String> {
    let o = &view.case.opened;
    let mut lines = vec![format!(
        "{} opened by {} ({}){}",
        o.at.format("%Y-%m-%d %H:%M"),
        o.name,
        o.position,
        if o.note.is_empty() {
            String::new()
        } else {
            format!(": {}", o.note)
        }
    )];
    for s in &view.case.steps {
        let what = match &s.step {
            CaseStep::Granted { code, .. } => format!("granted as {code}"),
            CaseStep::Refused => "refused".into(),
            CaseStep::Taken { sessions } => format!("{sessions} sessions recorded as G"),
            CaseStep::Paid { on, .. } => format!("paid on {on}"),
            CaseStep::Withdrawn { on } => format!("withdrawn on {on}"),
        };
        lines.push(format!(
            "{} {what} by {} ({}): {}",
            s.at.format("%Y-%m-%d %H:%M"),
            s.name,
            s.position,
            s.note
        ));
    }
    lines
}

fn write_cases(out: &mut impl Write, cases: &[CaseView], format: Format) -> CliResult {
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            vec![
                c.case.id.to_string(),
                c.case.upn.clone(),
                c.name.clone(),
                case_words(c),
                c.state.clone(),
                step_words(c).join("; "),
            ]
        })
        .collect();
    write_rows(
        out,
        &["id", "upn", "name", "case", "stands", "steps"],
        &rows,
        format,
        || serde_json::to_value(cases).unwrap_or_default(),
    )
}

//! Casework from the command line: leave of absence requests and decisions (`rollcall leave`),
//! penalty notices (`rollcall penalty`), and every case with where it stands (`rollcall
//! cases`). Each step is kept with who took it (SPEC §8.1, §8.3).

use super::error::CliResult;
use super::output::write_rows;
use super::values::{Format, parse_cli_date};
use crate::domain::casework::{CaseBody, MeetingKind, NoticeKind};
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
    /// Notices to improve (3 to 6 school weeks) and local authority warnings (15 school days)
    #[command(subcommand)]
    Notice(NoticeCommand),
    /// Part-time timetables (C2): agreed, reviewed on a date, the local authority told
    #[command(subcommand, name = "parttime")]
    PartTime(PartTimeCommand),
    /// Medical evidence asked for against illness, and received
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Attendance meetings, contracts and individual plans, with their reviews
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Pupils suspended (E) this term: days so far, and each run's sixth day, from which
    /// full-time education must be provided elsewhere
    Suspensions {
        #[arg(long, value_parser = parse_cli_date)]
        on: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Close a case with why, whatever its kind: a notice unpaid and referred to the local
    /// authority, evidence never provided, a request entered twice (office, audited)
    CloseCase {
        id: u32,
        #[arg(long)]
        note: String,
    },
    /// Every case (leave, penalty notices, notices, part-time timetables, evidence,
    /// meetings), with where each stands and what is due (office)
    Cases {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: Option<String>,
        /// Only those still running: a request not decided, a notice not paid or ended...
        #[arg(long)]
        open: bool,
        /// Only those with something due of the office now: the desk's casework
        #[arg(long)]
        due: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum NoticeCommand {
    /// Record a notice given to the family (office): --notice improve --weeks 3..6, or
    /// --notice warning (15 school days)
    Issue {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_notice)]
        notice: NoticeKind,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        weeks: Option<u32>,
        #[arg(long)]
        note: String,
    },
    /// Record how the period ended
    End {
        id: u32,
        #[arg(
            long,
            conflicts_with = "not_improved",
            required_unless_present = "not_improved"
        )]
        improved: bool,
        #[arg(long)]
        not_improved: bool,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PartTimeCommand {
    /// Record a part-time timetable agreed with the parent (--note: with whom, and what)
    Start {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        review: NaiveDate,
        /// When the local authority was told, if it has been
        #[arg(long, value_parser = parse_cli_date)]
        la_told: Option<NaiveDate>,
        #[arg(long)]
        note: String,
    },
    /// Record a review: --next DATE for the next one, or --end (back full time)
    Review {
        id: u32,
        #[arg(long, value_parser = parse_cli_date, required_unless_present = "end")]
        next: Option<NaiveDate>,
        #[arg(long, conflicts_with = "next")]
        end: bool,
        #[arg(long)]
        note: String,
    },
    /// Record that the local authority was told
    Told {
        id: u32,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Record medical evidence asked of the family for illness since --ill-from
    Request {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_cli_date)]
        ill_from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        note: String,
    },
    /// Record the evidence received
    Received {
        id: u32,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Record a meeting held, a contract signed or a plan agreed (--kind), with who was
    /// there, what was agreed and when it is reviewed
    Record {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_meeting, default_value = "meeting")]
        kind: MeetingKind,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        people: String,
        #[arg(long)]
        actions: String,
        #[arg(long, value_parser = parse_cli_date)]
        review: NaiveDate,
    },
    /// Record a review: --next DATE for the next one, or --end
    Review {
        id: u32,
        #[arg(long, value_parser = parse_cli_date, required_unless_present = "end")]
        next: Option<NaiveDate>,
        #[arg(long, conflicts_with = "next")]
        end: bool,
        #[arg(long)]
        note: String,
    },
}

fn parse_notice(s: &str) -> Result<NoticeKind, String> {
    s.parse()
}

fn parse_meeting(s: &str) -> Result<MeetingKind, String> {
    s.parse()
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
    #[command(group(clap::ArgGroup::new("decision").required(true).args(["grant", "refuse"])))]
    Decide {
        id: u32,
        #[arg(long, requires = "code")]
        grant: bool,
        #[arg(long, conflicts_with = "code")]
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
                | CaseCommand::Suspensions { .. }
                | CaseCommand::Leave(LeaveCommand::List { .. })
                | CaseCommand::Penalty(PenaltyCommand::List { .. })
        )
    }
}

pub(super) fn run(client: &mut Client, command: &CaseCommand, out: &mut impl Write) -> CliResult {
    match command {
        CaseCommand::Cases {
            upn,
            open,
            due,
            format,
        } => {
            let cases = client.cases(upn.clone(), *open, *due)?;
            write_cases(out, &cases, *format)
        }
        CaseCommand::Suspensions { on, format } => {
            let pupils = client.suspensions(*on)?;
            write_suspensions(out, &pupils, *format)
        }
        // Requests still waiting; every notice, paid or not.
        CaseCommand::Leave(LeaveCommand::List { format }) => {
            let cases = client.cases(None, true, false)?;
            write_cases(
                out,
                &of_kind(cases, |b| matches!(b, CaseBody::Leave { .. })),
                *format,
            )
        }
        CaseCommand::Penalty(PenaltyCommand::List { format }) => {
            let cases = client.cases(None, false, false)?;
            write_cases(
                out,
                &of_kind(cases, |b| matches!(b, CaseBody::Penalty { .. })),
                *format,
            )
        }
        _ => {
            let Some(step) = leave_or_penalty(command).or_else(|| follow_up(command)) else {
                return Ok(());
            };
            let (_, message) = client.case_step(step)?;
            writeln!(out, "{message}")?;
            Ok(())
        }
    }
}

/// The step a leave or penalty command asks for (`None`: not one of those).
fn leave_or_penalty(command: &CaseCommand) -> Option<CaseRequest> {
    Some(match command {
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
        CaseCommand::CloseCase { id, note } => CaseRequest::Close {
            id: *id,
            note: note.clone(),
        },
        CaseCommand::Penalty(PenaltyCommand::Withdraw { id, date, reason }) => {
            CaseRequest::PenaltyWithdraw {
                id: *id,
                date: *date,
                reason: reason.clone(),
            }
        }
        _ => return None,
    })
}

/// The step a notice, part-time, evidence or meeting command asks for.
fn follow_up(command: &CaseCommand) -> Option<CaseRequest> {
    Some(match command {
        CaseCommand::Notice(NoticeCommand::Issue {
            upn,
            notice,
            date,
            weeks,
            note,
        }) => CaseRequest::NoticeIssue {
            upn: upn.clone(),
            notice: *notice,
            date: *date,
            weeks: *weeks,
            note: note.clone(),
        },
        CaseCommand::Notice(NoticeCommand::End {
            id, improved, note, ..
        }) => CaseRequest::NoticeEnd {
            id: *id,
            improved: *improved,
            note: note.clone(),
        },
        CaseCommand::PartTime(PartTimeCommand::Start {
            upn,
            from,
            review,
            la_told,
            note,
        }) => CaseRequest::PartTime {
            upn: upn.clone(),
            from: *from,
            review: *review,
            la_told: *la_told,
            note: note.clone(),
        },
        CaseCommand::PartTime(PartTimeCommand::Review { id, next, note, .. })
        | CaseCommand::Meeting(MeetingCommand::Review { id, next, note, .. }) => {
            CaseRequest::Review {
                id: *id,
                next: *next,
                note: note.clone(),
            }
        }
        CaseCommand::PartTime(PartTimeCommand::Told { id, date }) => CaseRequest::LaTold {
            id: *id,
            date: *date,
        },
        CaseCommand::Evidence(EvidenceCommand::Request {
            upn,
            ill_from,
            date,
            note,
        }) => CaseRequest::EvidenceAsk {
            upn: upn.clone(),
            ill_from: *ill_from,
            date: *date,
            note: note.clone(),
        },
        CaseCommand::Evidence(EvidenceCommand::Received { id, date, note }) => {
            CaseRequest::EvidenceReceived {
                id: *id,
                date: *date,
                note: note.clone(),
            }
        }
        CaseCommand::Meeting(MeetingCommand::Record {
            upn,
            kind,
            date,
            people,
            actions,
            review,
        }) => CaseRequest::Meeting {
            upn: upn.clone(),
            meeting: *kind,
            date: *date,
            people: people.clone(),
            actions: actions.clone(),
            review: *review,
        },
        _ => return None,
    })
}

fn of_kind(cases: Vec<CaseView>, kind: impl Fn(&CaseBody) -> bool) -> Vec<CaseView> {
    cases.into_iter().filter(|c| kind(&c.case.body)).collect()
}

fn write_cases(out: &mut impl Write, cases: &[CaseView], format: Format) -> CliResult {
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            vec![
                c.case.id.to_string(),
                c.case.upn.clone(),
                c.name.clone(),
                c.case.words(),
                c.state.clone(),
                c.due.clone().unwrap_or_default(),
                c.case.history().join("; "),
            ]
        })
        .collect();
    write_rows(
        out,
        &["id", "upn", "name", "case", "stands", "due", "steps"],
        &rows,
        format,
        || serde_json::to_value(cases).unwrap_or_default(),
    )
}

fn write_suspensions(out: &mut impl Write, pupils: &[Suspended], format: Format) -> CliResult {
    let rows: Vec<Vec<String>> = pupils
        .iter()
        .map(|p| {
            vec![
                p.upn.clone(),
                p.name.clone(),
                p.days_this_term.to_string(),
                p.runs
                    .iter()
                    .map(|r| {
                        let sixth = r
                            .sixth_day
                            .map(|d| format!(": full-time education elsewhere from {d}"))
                            .unwrap_or_default();
                        format!("{} to {} ({} days){sixth}", r.from, r.to, r.days)
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    write_rows(
        out,
        &["upn", "name", "days_this_term", "suspensions"],
        &rows,
        format,
        || serde_json::to_value(pupils).unwrap_or_default(),
    )
}

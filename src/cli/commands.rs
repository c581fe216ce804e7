//! Runs a command (everything but the app, the server, the demo and `check`): each family's
//! function, with today's date from whoever keeps the register.

use super::args::{AlertsCommand, Cli, Command, StaffCommand};
use super::error::CliResult;
use super::input::today;
use super::output::Printable;
use super::{alerts, batch, casework, desk, exchange, lessons, marks, report, school};
use crate::clock::Clock;
use crate::domain::people::Staff;
use crate::service::Client;
use crate::service::protocol::Request;
use std::io::Write;
use std::sync::Arc;

pub fn run_command(
    cli: &Cli,
    command: &Command,
    client: &mut Client,
    clock: &Arc<dyn Clock>,
) -> CliResult {
    let today = |client: &mut Client| today(client, clock);
    let out = &mut Printable::new(std::io::stdout().lock());
    match command {
        Command::Init { school } => school::init(client, school, out)?,
        Command::Staff(StaffCommand::Add {
            account,
            name,
            position,
            role,
        }) => {
            let staff = Staff {
                account: account.clone(),
                name: name.clone(),
                position: position.clone(),
                role: *role,
            };
            school::add_staff(client, staff, out)?
        }
        Command::Import(command) => exchange::import(client, command, out)?,
        Command::Mark(args) => {
            let today = today(client)?;
            marks::mark(client, args, today, out)?
        }
        Command::MarkBatch { file, reason } => {
            let today = today(client)?;
            batch::mark_batch(client, file, today, reason.as_deref(), out)?
        }
        Command::Close {
            group,
            session,
            date,
        } => {
            let date = match date {
                Some(d) => *d,
                None => today(client)?,
            };
            marks::close(client, group, date, *session, out)?
        }
        Command::Plan { .. } => plan(client, command, out)?,
        Command::Plans { upn, group } => marks::plans(client, upn, group, out)?,
        Command::PlanWithdraw { id, reason } => marks::withdraw_plan(client, *id, reason, out)?,
        Command::Clear { place, reason } => {
            let today = today(client)?;
            marks::clear(client, place, reason, today, out)?
        }
        Command::Cover {
            group,
            date,
            session,
            account,
            remove: _,
            list,
        } => {
            let date = match date {
                Some(d) => *d,
                None => today(client)?,
            };
            if *list {
                school::cover_list(client, date, out)?
            } else {
                let group = group.clone().unwrap_or_default();
                school::cover(client, group, date, session, account.clone(), out)?
            }
        }
        Command::Export(command) => exchange::export(client, command, out)?,
        Command::Report(args) => report::run(client, args, out)?,
        Command::Alerts {
            action:
                Some(AlertsCommand::Act {
                    upn,
                    threshold,
                    note,
                    date,
                    session,
                }),
            ..
        } => {
            let message = client.done(Request::ActOnAlert {
                upn: upn.clone(),
                kind: *threshold,
                session: date.zip(*session),
                note: note.clone(),
            })?;
            writeln!(out, "{message}")?;
        }
        Command::Alerts {
            on,
            format,
            action: None,
        } => {
            let list = client.alerts(*on)?;
            alerts::write_alerts(out, &list, *format)?;
        }
        Command::History { upn, date, session } => {
            let h = client.history(upn.clone(), *date, *session)?;
            marks::write_history(out, &h)?;
        }
        Command::Backup { file, csv } => school::backup(client, file, *csv, out)?,
        Command::Desk(desk) => desk::run(client, desk, out)?,
        Command::Case(case) => casework::run(client, case, out)?,
        Command::Lesson(lesson) => lessons::run_lesson(client, clock, lesson, out)?,
        Command::Lessons(list) => lessons::run_lessons(client, list, out)?,
        Command::Missing(missing) => lessons::run_missing(client, clock, missing, out)?,
        Command::Publish { database } => super::trust::publish(client, database, out)?,
        Command::Pack(args) => super::pack::run(client, args, out)?,
        Command::Stage(stage) => {
            let date = today(client)?;
            desk::run_stage(client, stage, date, out)?
        }
        // Handled before a client exists: they own the database file (demo, serve) or read
        // a copy, not the school's database (check).
        Command::Check { .. }
        | Command::Demo { .. }
        | Command::Serve { .. }
        | Command::Man
        | Command::Doctor
        | Command::Codes
        | Command::Trust(_)
        | Command::Completions { .. } => {
            let _ = cli;
        }
    }
    Ok(())
}

/// `rollcall plan`: a planned absence entered ahead.
fn plan(client: &mut Client, command: &Command, out: &mut impl Write) -> CliResult {
    let Command::Plan {
        upn,
        group,
        every,
        from,
        to,
        code,
        note,
        dry_run,
    } = command
    else {
        return Ok(());
    };
    let plan = marks::Plan {
        upn,
        group,
        every,
        from: *from,
        to: *to,
        code,
        note,
        dry_run: *dry_run,
    };
    marks::plan(client, plan, out)
}

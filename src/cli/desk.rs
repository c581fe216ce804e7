//! The desk from the command line: today's absences and calls, reminders, the fire list
//! (`rollcall onsite`, to print in an emergency without the app), sign-outs, and a pupil's
//! year as text.

use super::error::CliResult;
use super::output::{write_json, write_rows};
use super::values::{Format, parse_cli_date, parse_cli_time};
use crate::domain::session::Session;
use crate::domain::stats::round1;
use crate::service::Client;
use crate::service::protocol::*;
use chrono::{NaiveDate, NaiveTime};
use clap::Subcommand;
use std::io::Write;

#[derive(Subcommand, Debug)]
pub enum DeskCommand {
    /// Who is away or not yet marked this session, days in a row, calls made; and the
    /// registers still missing (office)
    Today {
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        #[arg(long)]
        session: Option<Session>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Only the absences without a reason (N), each with the first contact to message
        /// and the message (for a texting service): upn, pupil, contact, phone, message
        #[arg(long)]
        unexplained: bool,
        /// The message's template in the letters directory (with --unexplained): {forename},
        /// {name}, {date}, {session}
        #[arg(long, requires = "unexplained")]
        template: Option<String>,
        #[arg(long, value_name = "DIR", requires = "unexplained")]
        letters: Option<std::path::PathBuf>,
    },
    /// Record a first-day call to an absent pupil's family, with a note (office, audited)
    Contacted {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long)]
        note: String,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        /// The code the family's reason leads to (I for illness...): recorded for the
        /// session with the call, resolving its N
        #[arg(long)]
        code: Option<String>,
        #[arg(long, requires = "code")]
        session: Option<Session>,
    },
    /// Remind a group's tutor (or cover) to take a register: shown on their screen at once
    Remind {
        #[arg(long)]
        group: String,
        #[arg(long)]
        session: Session,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
    },
    /// The fire list: pupils on site this session by group, with counts, as plain text
    Onsite {
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        #[arg(long)]
        session: Option<Session>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Sign a pupil out early: the mark stays, the fire list changes (office, audited)
    SignOut {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long)]
        reason: String,
        /// When they left, HH:MM (default: now)
        #[arg(long, value_parser = parse_cli_time)]
        at: Option<NaiveTime>,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        /// They come back today (without it: not back today)
        #[arg(long, conflicts_with = "code")]
        back_today: bool,
        /// Not back today: the code for the sessions of the day they miss (M for a dentist)
        #[arg(long)]
        code: Option<String>,
    },
    /// A pupil who signed out is back in school: on the fire list again (office, audited)
    SignBackIn {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        /// When they came back, HH:MM (default: now)
        #[arg(long, value_parser = parse_cli_time)]
        at: Option<NaiveTime>,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
    },
    /// A pupil's school year, week by week, AM and PM, with the year's figures
    Pupil {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

impl DeskCommand {
    pub fn changes_something(&self) -> bool {
        matches!(
            self,
            DeskCommand::Contacted { .. }
                | DeskCommand::Remind { .. }
                | DeskCommand::SignOut { .. }
                | DeskCommand::SignBackIn { .. }
        )
    }
}

pub(super) fn run(client: &mut Client, command: &DeskCommand, out: &mut impl Write) -> CliResult {
    match command {
        DeskCommand::Today {
            date,
            session,
            format,
            unexplained: true,
            template,
            letters,
        } => {
            let view = client.today(*date, *session)?;
            super::letters::unexplained(
                &view,
                template.as_deref(),
                letters.as_deref(),
                *format,
                out,
            )
        }
        DeskCommand::Today {
            date,
            session,
            format,
            ..
        } => {
            let view = client.today(*date, *session)?;
            write_today(out, &view, *format)
        }
        DeskCommand::Contacted {
            upn,
            note,
            date,
            code,
            session,
        } => {
            let message = client.done(Request::Contacted {
                upn: upn.clone(),
                date: *date,
                note: note.clone(),
                code: code.clone(),
                session: *session,
            })?;
            writeln!(out, "{message}")?;
            Ok(())
        }
        DeskCommand::Remind {
            group,
            session,
            date,
        } => {
            let message = client.done(Request::Remind {
                group: group.clone(),
                date: *date,
                session: *session,
            })?;
            writeln!(out, "{message}")?;
            Ok(())
        }
        DeskCommand::Onsite {
            date,
            session,
            format,
        } => {
            let view = client.on_site(*date, *session)?;
            write_on_site(out, &view, *format)
        }
        DeskCommand::SignOut {
            upn,
            reason,
            at,
            date,
            back_today,
            code,
        } => {
            let message = client.done(Request::SignOut(SignOutRequest {
                upn: upn.clone(),
                date: *date,
                at: *at,
                reason: reason.clone(),
                back_today: *back_today,
                code: code.clone(),
            }))?;
            writeln!(out, "{message}")?;
            Ok(())
        }
        DeskCommand::SignBackIn { upn, at, date } => {
            let message = client.done(Request::SignBackIn {
                upn: upn.clone(),
                date: *date,
                at: *at,
            })?;
            writeln!(out, "{message}")?;
            Ok(())
        }
        DeskCommand::Pupil { upn, date, format } => {
            let year = client.pupil_year(upn.clone(), *date)?;
            write_pupil_year(out, &year, *format)
        }
    }
}

fn write_today(out: &mut impl Write, view: &TodayView, format: Format) -> CliResult {
    if format == Format::Json {
        return write_json(out, view);
    }
    if format == Format::Table {
        writeln!(
            out,
            "{} {}: {} away or not marked, {} registers missing",
            view.date.format("%a %d %b %Y"),
            view.session.label(),
            view.pupils.len(),
            view.missing.len()
        )?;
        if let Some(why) = &view.not_in_session {
            writeln!(out, "not a school session: {why}")?;
        }
    }
    let rows: Vec<Vec<String>> = view
        .pupils
        .iter()
        .map(|p| {
            vec![
                p.upn.clone(),
                p.name.clone(),
                p.group.clone(),
                p.code.map(|c| c.to_string()).unwrap_or_default(),
                p.days_in_a_row.to_string(),
                p.contacted
                    .iter()
                    .map(|c| format!("{} {}: {}", c.at.format("%H:%M"), c.name, c.note))
                    .collect::<Vec<_>>()
                    .join("; "),
                p.duties
                    .iter()
                    .map(|d| match &d.done {
                        Some(a) => format!("{} (done {})", d.words, a.at.format("%H:%M")),
                        None => d.words.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    write_rows(
        out,
        &[
            "upn",
            "name",
            "group",
            "code",
            "days_in_a_row",
            "contacted",
            "duties",
        ],
        &rows,
        format,
        || serde_json::Value::Null,
    )?;
    if format == Format::Table {
        for m in &view.missing {
            writeln!(
                out,
                "MISSING {} {}: {}/{} marked ({})",
                m.group,
                view.session.label(),
                m.marked,
                m.on_roll,
                m.takers.join(", ")
            )?;
        }
    }
    Ok(())
}

/// The fire list as text to print: a heading per group with its count, one pupil a line.
fn write_on_site(out: &mut impl Write, view: &OnSiteView, format: Format) -> CliResult {
    match format {
        Format::Json => write_json(out, view)?,
        Format::Csv => {
            let mut rows = Vec::new();
            for g in &view.groups {
                for (status, list) in [
                    ("on site", &g.pupils),
                    ("signed out", &g.signed_out),
                    ("not marked", &g.unmarked),
                ] {
                    for p in list {
                        rows.push(vec![
                            g.group.clone(),
                            p.upn.clone(),
                            p.name.clone(),
                            status.to_string(),
                            p.code.map(|c| c.to_string()).unwrap_or_default(),
                            p.left
                                .as_ref()
                                .map(|(t, why)| format!("{} {why}", t.format("%H:%M")))
                                .unwrap_or_default(),
                        ]);
                    }
                }
            }
            write_rows(
                out,
                &["group", "upn", "name", "status", "code", "left"],
                &rows,
                Format::Csv,
                || serde_json::Value::Null,
            )?;
        }
        Format::Table => {
            let total: usize = view.groups.iter().map(|g| g.pupils.len()).sum();
            writeln!(
                out,
                "ON SITE {} {} at {}: {total} pupils",
                view.date.format("%a %d %b %Y"),
                view.session.label(),
                view.now.format("%H:%M")
            )?;
            for g in &view.groups {
                writeln!(out)?;
                writeln!(out, "{} ({})", g.group, g.pupils.len())?;
                for p in &g.pupils {
                    writeln!(out, "  [ ] {}", p.name)?;
                }
                for p in &g.signed_out {
                    let (t, why) = p.left.clone().unwrap_or_default();
                    writeln!(
                        out,
                        "  signed out {}: {} ({why})",
                        t.format("%H:%M"),
                        p.name
                    )?;
                }
                if !g.unmarked.is_empty() {
                    let names: Vec<&str> = g.unmarked.iter().map(|p| p.name.as_str()).collect();
                    writeln!(out, "  NOT MARKED: {}", names.join("; "))?;
                }
            }
        }
    }
    Ok(())
}

fn write_pupil_year(out: &mut impl Write, year: &PupilYear, format: Format) -> CliResult {
    if format != Format::Table {
        return write_json(out, year);
    }
    writeln!(
        out,
        "{} ({}), year {}, {}: {} to {}",
        year.name,
        year.upn,
        year.year,
        year.group.as_deref().unwrap_or("not on roll"),
        year.from,
        year.to
    )?;
    writeln!(out, "week    Mon    Tue    Wed    Thu    Fri")?;
    for week in &year.weeks {
        let mut line = format!("{:<8}", week.monday.format("%d %b"));
        for day in &week.days {
            for (i, code) in day.codes.iter().enumerate() {
                let cell = match (code, day.closed) {
                    (Some(c), _) => c.to_string(),
                    (None, true) => "#".into(),
                    (None, false) => ".".into(),
                };
                line.push_str(&format!("{cell:<3}"));
                if i == 1 {
                    line.push(' ');
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    let t = &year.tally;
    writeln!(
        out,
        "year to date: {} possible, attendance {}, L {}, U {}{}",
        t.possible(),
        t.attendance_pct()
            .map_or("-".to_string(), |p| format!("{:.1}%", round1(p))),
        year.detail.late_count,
        year.detail.u_count,
        year.band
            .as_ref()
            .map(|b| format!(", band {b}"))
            .unwrap_or_default()
    )?;
    for at in &year.elsewhere {
        writeln!(out, "at another school: {}", at.line())?;
    }
    if !year.characteristics.is_empty() {
        writeln!(out, "characteristics: {}", year.characteristics)?;
    }
    if year.more_with_the_office {
        writeln!(out, "the office holds more about this pupil")?;
    }
    for c in &year.contacts {
        writeln!(out, "contact {}", c.line())?;
    }
    for line in &year.casework {
        writeln!(out, "case {}", line.trim_start())?;
    }
    writeln!(out, "# no school  . not marked")?;
    Ok(())
}

/// Stages of intervention from the command line: who is at which stage, recording what was
/// done, and drafting the stage's letter from the school's template.
#[derive(clap::Subcommand, Debug)]
pub enum StageCommand {
    /// Every pupil at a stage of the school's intervention: what is due, what was done
    Stages {
        #[arg(long, value_parser = parse_cli_date)]
        on: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Record a stage's action done for a pupil (a meeting held), with a note (office, audited)
    StageDone {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long)]
        stage: String,
        #[arg(long)]
        note: String,
        /// The stage is skipped, --note saying why: the pupil moves on to the next
        #[arg(long)]
        skip: bool,
    },
    /// Draft a pupil's letter for their stage (or --stage) from its template, as plain text
    /// Without --pupil, every pupil at --stage, one letter after another (a `--- page break
    /// ---` line between). --every-pupil --template FILE: a letter to every parent with their
    /// child's figures this term (or --from/--to). --case ID: a leave decision's or a penalty
    /// notice's letter
    Letter {
        #[arg(
            long = "pupil",
            value_name = "UPN",
            required_unless_present_any = ["stage", "every_pupil", "case"]
        )]
        upn: Option<String>,
        #[arg(long)]
        stage: Option<String>,
        /// A letter to the parents of every pupil on roll (--template names it)
        #[arg(long, requires = "template", conflicts_with_all = ["upn", "stage", "case"])]
        every_pupil: bool,
        /// The template's file name in the letters directory
        #[arg(long)]
        template: Option<String>,
        /// The figures' period for --every-pupil (default: this term to today)
        #[arg(long, value_parser = parse_cli_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = parse_cli_date)]
        to: Option<NaiveDate>,
        /// A case's letter: leave-granted.txt or leave-refused.txt for a decision,
        /// penalty.txt for a notice (or --template)
        #[arg(long, conflicts_with_all = ["upn", "stage"])]
        case: Option<u32>,
        /// Where the templates are (default: letters/ in the configuration directory, else
        /// `letters` in /etc/rollcall/client.toml)
        #[arg(long, value_name = "DIR")]
        letters: Option<std::path::PathBuf>,
    },
}

impl StageCommand {
    pub fn changes_something(&self) -> bool {
        matches!(self, StageCommand::StageDone { .. })
    }
}

pub(super) fn run_stage(
    client: &mut Client,
    command: &StageCommand,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    match command {
        StageCommand::Stages { on, format } => {
            let pupils = client.stages(*on)?;
            let rows: Vec<Vec<String>> = pupils
                .iter()
                .map(|p| {
                    vec![
                        p.upn.clone(),
                        p.name.clone(),
                        p.group.clone().unwrap_or_default(),
                        format!("{}. {}", p.number, p.stage.name),
                        p.stage.action.clone(),
                        p.why.clone(),
                        p.done
                            .iter()
                            .map(|d| {
                                format!(
                                    "{} {} ({}): {}",
                                    d.date,
                                    d.stage.as_deref().unwrap_or(""),
                                    d.name,
                                    d.note
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]
                })
                .collect();
            write_rows(
                out,
                &["upn", "name", "group", "stage", "due", "why", "done"],
                &rows,
                *format,
                || serde_json::to_value(&pupils).unwrap_or_default(),
            )
        }
        StageCommand::StageDone {
            upn,
            stage,
            note,
            skip,
        } => {
            let message = client.done(Request::StageDone {
                upn: upn.clone(),
                stage: stage.clone(),
                note: note.clone(),
                skipped: *skip,
            })?;
            writeln!(out, "{message}")?;
            Ok(())
        }
        StageCommand::Letter {
            every_pupil: true,
            template,
            from,
            to,
            letters,
            ..
        } => {
            let period = match (from, to) {
                (Some(f), Some(t)) => (*f, *t),
                _ => term_to_date(client, today, *from, *to)?,
            };
            super::letters::every_pupil(
                client,
                template.as_deref().unwrap_or_default(),
                period,
                letters.as_deref(),
                today,
                out,
            )
        }
        StageCommand::Letter {
            case: Some(id),
            template,
            letters,
            ..
        } => super::letters::case_letter(
            client,
            *id,
            template.as_deref(),
            letters.as_deref(),
            today,
            out,
        ),
        StageCommand::Letter {
            upn,
            stage,
            letters,
            ..
        } => super::letters::write_letters(
            client,
            upn.as_deref(),
            stage.as_deref(),
            letters.as_deref(),
            today,
            out,
        ),
    }
}

/// The period of a termly letter: this term (or the last one ended) up to today, unless
/// `--from` or `--to` says otherwise.
fn term_to_date(
    client: &mut Client,
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), super::error::CliError> {
    let terms = client.hello()?.terms;
    let term = terms
        .iter()
        .rev()
        .find(|(_, start, _)| *start <= today)
        .ok_or_else(|| {
            super::error::CliError::Failed(format!(
                "no term has begun by {today}: give --from and --to"
            ))
        })?;
    Ok((from.unwrap_or(term.1), to.unwrap_or(today.min(term.2))))
}

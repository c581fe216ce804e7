//! Lesson registers from the command line (SPEC §8.8): a lesson's register (`rollcall lesson
//! mark|close|show|remind`), the day's lessons, late arrivals and registers not taken
//! (`rollcall lessons ...`), and the pupils missing from lessons (`rollcall missing`).

use super::error::CliResult;
use super::output::{write_json, write_rows};
use super::values::{Format, parse_cli_date, parse_cli_time};
use crate::clock::Clock;
use crate::domain::lessons::{Expected, LessonCode, MissingOutcome};
use crate::service::Client;
use crate::service::protocol::*;
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use std::io::Write;
use std::sync::Arc;

/// Which lesson: a class, a date and a period.
#[derive(Args, Debug, Clone)]
pub struct LessonPlace {
    #[arg(long)]
    class: String,
    /// The day (default: today)
    #[arg(long, value_parser = parse_cli_date)]
    date: Option<NaiveDate>,
    #[arg(long)]
    period: String,
}

#[derive(Subcommand, Debug)]
pub enum LessonCommand {
    /// Mark a pupil in a lesson: / (present), L (late, with --arrived or now) or N (not in
    /// the lesson); a pupil known to be in school marked N is missing, and the attendance
    /// team is told at once
    Mark {
        #[command(flatten)]
        place: LessonPlace,
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_lesson_code)]
        code: LessonCode,
        #[arg(long, value_parser = parse_cli_time)]
        arrived: Option<NaiveTime>,
    },
    /// Everyone not yet marked (and not expected away) present
    AllPresent {
        #[command(flatten)]
        place: LessonPlace,
    },
    /// The register taken: blanks become N (pupils expected away keep their reason)
    Close {
        #[command(flatten)]
        place: LessonPlace,
    },
    /// A lesson's register: each pupil's lesson mark beside their statutory code
    Show {
        #[command(flatten)]
        place: LessonPlace,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Office: ask the teacher, on their screen, to take the register now
    Remind {
        #[command(flatten)]
        place: LessonPlace,
    },
}

#[derive(Subcommand, Debug)]
pub enum LessonsCommand {
    /// The day's lessons: a teacher's own, the current one first; office staff every one
    Today {
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        /// Office: only this teacher's (account)
        #[arg(long)]
        teacher: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// The day's late arrivals to lessons, with minutes: the same-day detention list (office)
    Late {
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Lesson registers not taken within the school's minutes of the start (office)
    NotTaken {
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum MissingCommand {
    /// A missing pupil found: say where
    Found {
        #[command(flatten)]
        who: MissingWho,
        /// Where they were found: "in the library"
        #[arg(long = "where", value_name = "PLACE")]
        place: String,
    },
    /// The parents of a missing pupil informed: say who and how
    Informed {
        #[command(flatten)]
        who: MissingWho,
        #[arg(long)]
        note: String,
    },
}

#[derive(Args, Debug, Clone)]
pub struct MissingWho {
    #[arg(long = "pupil", value_name = "UPN")]
    upn: String,
    #[arg(long)]
    period: String,
    #[arg(long, value_parser = parse_cli_date)]
    date: Option<NaiveDate>,
}

fn parse_lesson_code(s: &str) -> Result<LessonCode, String> {
    LessonCode::parse(s)
}

impl LessonCommand {
    pub fn changes_something(&self) -> bool {
        !matches!(self, LessonCommand::Show { .. })
    }
}

/// The day given, or today by the clock of whoever keeps the register.
fn day_or_today(
    client: &mut Client,
    clock: &Arc<dyn Clock>,
    date: Option<NaiveDate>,
) -> CliResult<NaiveDate> {
    match date {
        Some(d) => Ok(d),
        None => super::input::today(client, clock),
    }
}

pub(super) fn run_lesson(
    client: &mut Client,
    clock: &Arc<dyn Clock>,
    command: &LessonCommand,
    out: &mut impl Write,
) -> CliResult {
    let place = |client: &mut Client, p: &LessonPlace| -> CliResult<(String, NaiveDate, String)> {
        Ok((
            p.class.clone(),
            day_or_today(client, clock, p.date)?,
            p.period.clone(),
        ))
    };
    match command {
        LessonCommand::Mark {
            place: p,
            upn,
            code,
            arrived,
        } => {
            let (class, date, period) = place(client, p)?;
            let reply = client.lesson(LessonRequest::Mark {
                class,
                date,
                period,
                upn: upn.to_ascii_uppercase(),
                code: *code,
                arrived: *arrived,
            })?;
            write_marked(out, &reply)
        }
        LessonCommand::AllPresent { place: p } => {
            let (class, date, period) = place(client, p)?;
            let reply = client.lesson(LessonRequest::AllPresent {
                class,
                date,
                period,
            })?;
            write_marked(out, &reply)
        }
        LessonCommand::Close { place: p } => {
            let (class, date, period) = place(client, p)?;
            let reply = client.lesson(LessonRequest::Close {
                class: class.clone(),
                date,
                period: period.clone(),
            })?;
            writeln!(out, "{class} {period} {date}: register taken")?;
            write_marked(out, &reply)
        }
        LessonCommand::Remind { place: p } => {
            let (class, date, period) = place(client, p)?;
            if let LessonResponse::NotTaken { lessons } = client.lesson(LessonRequest::Remind {
                class,
                date,
                period,
            })? && let Some(l) = lessons.first()
            {
                writeln!(
                    out,
                    "{} reminded to take {} in {}",
                    l.teacher_name, l.class, l.period
                )?;
            }
            Ok(())
        }
        LessonCommand::Show { place: p, format } => {
            let (class, date, period) = place(client, p)?;
            let LessonResponse::Register(register) = client.lesson(LessonRequest::Register {
                class,
                date,
                period,
            })?
            else {
                return Ok(());
            };
            if *format == Format::Json {
                return write_json(out, &register);
            }
            if *format == Format::Table {
                let l = &register.lesson;
                writeln!(
                    out,
                    "{} {} · {} {}-{} · {} · {} · {}/{} marked{}",
                    l.class,
                    l.subject,
                    l.period,
                    l.start.format("%H:%M"),
                    l.end.format("%H:%M"),
                    l.teacher_name,
                    l.room,
                    l.marked,
                    l.pupils,
                    if l.taken.is_some() { " · taken" } else { "" }
                )?;
            }
            let rows: Vec<Vec<String>> = register.pupils.iter().map(pupil_cells).collect();
            write_rows(out, &PUPIL_HEADER, &rows, *format, || {
                serde_json::Value::Null
            })
        }
    }
}

const PUPIL_HEADER: [&str; 6] = ["upn", "name", "lesson", "statutory", "expected", "missing"];

fn pupil_cells(p: &LessonPupil) -> Vec<String> {
    let lesson = match &p.mark {
        Some(m) => match m.minutes_late {
            Some(min) => format!("{} ({min} min)", m.code.symbol()),
            None => m.code.symbol().to_string(),
        },
        None => String::new(),
    };
    let expected = match &p.expected {
        Some(Expected::Statutory(c)) => format!("{c}: {}", c.info().meaning),
        Some(Expected::SignedOut(t)) => format!("signed out {}", t.format("%H:%M")),
        None => String::new(),
    };
    vec![
        p.upn.clone(),
        p.name.clone(),
        lesson,
        p.statutory.map(|c| c.to_string()).unwrap_or_default(),
        expected,
        if p.missing { "MISSING" } else { "" }.to_string(),
    ]
}

fn write_marked(out: &mut impl Write, reply: &LessonResponse) -> CliResult {
    if let LessonResponse::Marked {
        pupils,
        afternoon_kept,
    } = reply
    {
        for p in pupils {
            let cells = pupil_cells(p);
            writeln!(
                out,
                "{} {}: {}{}",
                p.upn,
                p.name,
                if cells[2].is_empty() { "-" } else { &cells[2] },
                if p.missing {
                    " · MISSING: the attendance team has been told"
                } else {
                    ""
                }
            )?;
        }
        for kept in afternoon_kept {
            writeln!(out, "{kept}")?;
        }
    }
    Ok(())
}

pub(super) fn run_lessons(
    client: &mut Client,
    command: &LessonsCommand,
    out: &mut impl Write,
) -> CliResult {
    match command {
        LessonsCommand::Today {
            date,
            teacher,
            format,
        } => {
            let reply = client.lesson(LessonRequest::Day {
                date: *date,
                teacher: teacher.clone(),
            })?;
            if let LessonResponse::Day { lessons } = reply {
                write_lessons(out, &lessons, *format)?;
            }
        }
        LessonsCommand::NotTaken { date, format } => {
            let reply = client.lesson(LessonRequest::NotTaken { date: *date })?;
            if let LessonResponse::NotTaken { lessons } = reply {
                write_lessons(out, &lessons, *format)?;
            }
        }
        LessonsCommand::Late { date, format } => {
            let reply = client.lesson(LessonRequest::Late { date: *date })?;
            let LessonResponse::Late { arrivals } = reply else {
                return Ok(());
            };
            if *format == Format::Json {
                return write_json(out, &arrivals);
            }
            let rows: Vec<Vec<String>> = arrivals
                .iter()
                .map(|a| {
                    vec![
                        a.upn.clone(),
                        a.name.clone(),
                        a.period.clone(),
                        a.class.clone(),
                        a.arrived
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_default(),
                        a.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
                        a.teacher.clone(),
                    ]
                })
                .collect();
            write_rows(
                out,
                &[
                    "upn",
                    "name",
                    "period",
                    "class",
                    "arrived",
                    "minutes_late",
                    "teacher",
                ],
                &rows,
                *format,
                || serde_json::Value::Null,
            )?;
        }
    }
    Ok(())
}

fn write_lessons(out: &mut impl Write, lessons: &[LessonSlot], format: Format) -> CliResult {
    if format == Format::Json {
        return write_json(out, &lessons);
    }
    let rows: Vec<Vec<String>> = lessons
        .iter()
        .map(|l| {
            vec![
                l.period.clone(),
                l.start.format("%H:%M").to_string(),
                l.class.clone(),
                l.subject.clone(),
                l.teacher.clone(),
                l.room.clone(),
                format!("{}/{}", l.marked, l.pupils),
                if l.taken.is_some() { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    write_rows(
        out,
        &[
            "period", "start", "class", "subject", "teacher", "room", "marked", "taken",
        ],
        &rows,
        format,
        || serde_json::Value::Null,
    )
}

/// `rollcall missing [found|informed]`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MissingArgs {
    #[arg(long, value_parser = parse_cli_date)]
    date: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(subcommand)]
    action: Option<MissingCommand>,
}

impl MissingArgs {
    pub fn changes_something(&self) -> bool {
        self.action.is_some()
    }
}

pub(super) fn run_missing(
    client: &mut Client,
    clock: &Arc<dyn Clock>,
    args: &MissingArgs,
    out: &mut impl Write,
) -> CliResult {
    let (action, date, format) = (args.action.as_ref(), args.date, args.format);
    let resolve = |client: &mut Client, who: &MissingWho, outcome, note: &str| {
        let date = day_or_today(client, clock, who.date)?;
        CliResult::Ok(client.lesson(LessonRequest::Resolve {
            date,
            period: who.period.clone(),
            upn: who.upn.to_ascii_uppercase(),
            outcome,
            note: note.to_string(),
        })?)
    };
    let reply = match action {
        None => client.lesson(LessonRequest::Missing { date })?,
        Some(MissingCommand::Found { who, place }) => {
            resolve(client, who, MissingOutcome::Found, place)?
        }
        Some(MissingCommand::Informed { who, note }) => {
            resolve(client, who, MissingOutcome::ParentsInformed, note)?
        }
    };
    let LessonResponse::Missing { pupils } = reply else {
        return Ok(());
    };
    if format == Format::Json {
        return write_json(out, &pupils);
    }
    let rows: Vec<Vec<String>> = pupils
        .iter()
        .map(|p| {
            let status = if !p.open {
                "found".to_string()
            } else if p.inform_parents {
                "INFORM THE PARENTS".to_string()
            } else {
                "looking".to_string()
            };
            let done = p
                .actions
                .iter()
                .map(|a| format!("{} {}: {}", a.at.format("%H:%M"), a.name, a.note))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                p.upn.clone(),
                p.name.clone(),
                p.period.clone(),
                p.class.clone(),
                p.teacher.clone(),
                p.room.clone(),
                p.marked_at.format("%H:%M").to_string(),
                p.minutes.to_string(),
                status,
                done,
            ]
        })
        .collect();
    write_rows(
        out,
        &[
            "upn", "name", "period", "class", "teacher", "room", "marked", "minutes", "status",
            "done",
        ],
        &rows,
        format,
        || serde_json::Value::Null,
    )
}

/// `import timetable` and `import classes`: all or nothing, previewed with `--dry-run`.
pub(super) fn import(
    client: &mut Client,
    file: &std::path::Path,
    dry_run: bool,
    what: &str,
    out: &mut impl Write,
) -> CliResult {
    let csv = super::input::read_spreadsheet(file)?;
    let file = file.display().to_string();
    let request = if what == "timetable" {
        LessonRequest::ImportTimetable { file, csv, dry_run }
    } else {
        LessonRequest::ImportClasses { file, csv, dry_run }
    };
    if let LessonResponse::Imported(s) = client.lesson(request)? {
        let prefix = if s.dry_run {
            "dry run, nothing saved: "
        } else {
            ""
        };
        if what == "timetable" {
            writeln!(
                out,
                "{prefix}{} lessons of {} classes, taught by {} teachers",
                s.rows, s.classes, s.teachers
            )?;
        } else {
            writeln!(
                out,
                "{prefix}{} classes, {} places in them",
                s.classes, s.rows
            )?;
        }
        for note in &s.notes {
            writeln!(out, "note: {note}")?;
        }
    }
    Ok(())
}

//! The command line: scriptable access to everything, for tests, demos and office scripts.
//! Every error leaves with a message on stderr naming what and where, and a non-zero status.

use crate::clock::{Clock, FixedClock, RunningClock, SystemClock, parse_datetime};
use crate::domain::codes::{CODES, CodeGroup};
use crate::domain::people::Staff;
use crate::domain::register::Role;
use crate::domain::session::{Session, parse_hm};
use crate::domain::stats::round1;
use crate::service::import::parse_date;
use crate::service::protocol::*;
use crate::service::{Client, Engine, ServiceError};
use crate::store::Store;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "rollcall",
    version,
    about = "Take statutory attendance registers, by keyboard"
)]
pub struct Cli {
    /// Database file (default: rollcall.redb in the user's data directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Fix the clock at this local time, YYYY-MM-DDTHH:MM (tests, demos, catching up)
    #[arg(long, global = true, value_name = "YYYY-MM-DDTHH:MM", value_parser = parse_datetime)]
    pub now: Option<NaiveDateTime>,

    /// Start the clock at this local time and let it run (watch 9:00 and 9:30 pass in a demo)
    #[arg(long, global = true, value_name = "YYYY-MM-DDTHH:MM", value_parser = parse_datetime, conflicts_with = "now")]
    pub start_at: Option<NaiveDateTime>,

    /// Connect to `rollcall serve` on this socket instead of opening the database
    #[arg(long, global = true, value_name = "PATH")]
    pub socket: Option<PathBuf>,

    /// Key bindings to merge over the defaults (default: keymap.toml in the config directory)
    #[arg(long, global = true, value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    /// Open the app on a demo school (created on first use in the data directory)
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database, or update its school configuration
    Init {
        /// School configuration (see school.example.toml)
        #[arg(long, value_name = "FILE.toml")]
        school: PathBuf,
    },
    /// Staff records: who each operating-system account is
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Import pupils and their registration groups
    #[command(subcommand)]
    Import(ImportCommand),
    /// Record one mark
    Mark(MarkArgs),
    /// Record marks from a CSV file (or - for stdin), one durable save per line:
    /// group,session,date,upn,code[,arrived[,note[,reason]]]
    MarkBatch {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Close a register: blanks become N and it locks
    Close {
        #[arg(long)]
        group: String,
        #[arg(long)]
        session: Session,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
    },
    /// Pre-enter a planned absence over a range of sessions (office)
    Plan {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        /// First session, YYYY-MM-DD or YYYY-MM-DD:pm
        #[arg(long, value_parser = parse_session_at)]
        from: (NaiveDate, Session),
        /// Last session, YYYY-MM-DD (both sessions) or YYYY-MM-DD:am
        #[arg(long, value_parser = parse_session_at_end)]
        to: (NaiveDate, Session),
        #[arg(long)]
        code: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Export data
    #[command(subcommand)]
    Export(ExportCommand),
    /// Attendance figures over a date range
    Report {
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        to: NaiveDate,
        #[arg(long, value_enum)]
        by: ReportBy,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Thresholds reached (penalty notice, 10 days unauthorised, illness, unresolved N)
    Alerts {
        #[arg(long, value_parser = parse_cli_date)]
        on: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// The audit trail of one mark
    History {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        #[arg(long, value_parser = parse_cli_date)]
        date: NaiveDate,
        #[arg(long)]
        session: Session,
    },
    /// The national attendance codes and how each counts
    Codes,
    /// Own the database and serve terminals on a Unix socket (default: the database path + .sock)
    Serve {
        /// Group whose members may use the socket (besides the account running the server)
        #[arg(long)]
        group: Option<String>,
    },
    /// Create a realistic demo school, deterministic per seed
    Demo {
        #[arg(long, default_value_t = 180)]
        pupils: u32,
        /// School weeks of marks before today
        #[arg(long, default_value_t = 12)]
        weeks: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Replace an existing database file
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Add or update a member of staff
    Add {
        /// Operating-system account name
        #[arg(long)]
        account: String,
        #[arg(long)]
        name: String,
        /// Position, as the audit trail records it ("Class teacher", "Attendance officer")
        #[arg(long)]
        position: String,
        #[arg(long)]
        role: Role,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Pupils from CSV: upn,surname,forename,dob,year,group (all or nothing)
    Pupils {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// Date the memberships in this file start (default: today)
        #[arg(long, value_parser = parse_cli_date)]
        from: Option<NaiveDate>,
        /// End the membership of pupils on roll who are not in the file (leavers)
        #[arg(long)]
        end_missing: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Every session mark as CSV, one row per mark
    Marks {
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        to: NaiveDate,
        #[arg(long)]
        group: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct MarkArgs {
    #[arg(long)]
    group: String,
    #[arg(long)]
    session: Session,
    #[arg(long, value_parser = parse_cli_date)]
    date: Option<NaiveDate>,
    #[arg(long = "pupil", value_name = "UPN")]
    upn: String,
    #[arg(long)]
    code: String,
    /// Arrival time HH:MM: decides between present, L and U
    #[arg(long, value_parser = parse_cli_time)]
    arrived: Option<NaiveTime>,
    #[arg(long)]
    note: Option<String>,
    /// Why, for a change after the register closed (an amendment)
    #[arg(long)]
    reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

fn parse_cli_date(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

fn parse_cli_time(s: &str) -> Result<NaiveTime, String> {
    parse_hm(s).ok_or_else(|| format!("`{s}` is not a time HH:MM"))
}

fn parse_session_at_with(s: &str, default: Session) -> Result<(NaiveDate, Session), String> {
    match s.split_once(':') {
        Some((date, session)) => Ok((parse_cli_date(date)?, session.parse()?)),
        None => Ok((parse_cli_date(s)?, default)),
    }
}

fn parse_session_at(s: &str) -> Result<(NaiveDate, Session), String> {
    parse_session_at_with(s, Session::Am)
}

fn parse_session_at_end(s: &str) -> Result<(NaiveDate, Session), String> {
    parse_session_at_with(s, Session::Pm)
}

/// An error for the user: printed as `rollcall: MESSAGE`, exit status 1.
#[derive(Debug)]
pub struct CliError(pub String);

impl From<ServiceError> for CliError {
    fn from(e: ServiceError) -> Self {
        CliError(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError(e.to_string())
    }
}

type CliResult<T = ()> = Result<T, CliError>;

/// Where rollcall keeps its data and configuration.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "rollcall")
}

pub fn default_db_path() -> CliResult<PathBuf> {
    project_dirs()
        .map(|d| d.data_dir().join("rollcall.redb"))
        .ok_or_else(|| {
            CliError("cannot find a home directory for the database: pass --db PATH".into())
        })
}

pub fn demo_db_path() -> CliResult<PathBuf> {
    project_dirs()
        .map(|d| d.data_dir().join("demo.redb"))
        .ok_or_else(|| CliError("cannot find a home directory for the demo: pass --db PATH".into()))
}

pub fn make_clock(cli: &Cli) -> Arc<dyn Clock> {
    match (cli.now, cli.start_at) {
        (Some(t), _) => Arc::new(FixedClock(t)),
        (None, Some(t)) => Arc::new(RunningClock::starting_at(t)),
        (None, None) => Arc::new(SystemClock),
    }
}

/// Opens the database in this process (`server`: for `rollcall serve`). Only `init` and
/// `demo` may create one.
pub fn open_engine(
    path: &Path,
    clock: Arc<dyn Clock>,
    create: bool,
    server: bool,
) -> CliResult<Arc<Engine>> {
    if !create && !path.exists() {
        return Err(CliError(format!(
            "no database at {}: create one with `rollcall init --school FILE.toml` (or try `rollcall --demo`)",
            path.display()
        )));
    }
    let store = Store::open(path).map_err(|e| CliError(e.to_string()))?;
    Ok(Arc::new(Engine::new(store, clock, server)?))
}

fn read_file(path: &Path) -> CliResult<String> {
    std::fs::read_to_string(path).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// "Today" is the clock of whoever keeps the register: the server's, when there is one.
fn today(client: &mut Client, clock: &Arc<dyn Clock>) -> CliResult<NaiveDate> {
    if client.is_remote() {
        let (crate::clock::ClockInfo::Fixed(t) | crate::clock::ClockInfo::Running(t)) =
            client.hello()?.clock;
        Ok(t.date())
    } else {
        Ok(clock.now().date())
    }
}

/// Runs a command (everything but the app and the server).
pub fn run_command(
    cli: &Cli,
    command: &Command,
    client: &mut Client,
    clock: &Arc<dyn Clock>,
) -> CliResult {
    let today = |client: &mut Client| today(client, clock);
    let out = &mut std::io::stdout().lock();
    match command {
        Command::Init { school } => {
            let source = read_file(school)?;
            let message = client.done(Request::Init {
                file: school.display().to_string(),
                source,
            })?;
            writeln!(out, "{message}")?;
        }
        Command::Staff(StaffCommand::Add {
            account,
            name,
            position,
            role,
        }) => {
            let message = client.done(Request::StaffAdd {
                staff: Staff {
                    account: account.clone(),
                    name: name.clone(),
                    position: position.clone(),
                    role: *role,
                },
            })?;
            writeln!(out, "{message}")?;
        }
        Command::Import(ImportCommand::Pupils {
            file,
            from,
            end_missing,
        }) => {
            let csv = read_file(file)?;
            let s = client.import_pupils(file.display().to_string(), csv, *from, *end_missing)?;
            writeln!(
                out,
                "imported from {}: {} added, {} updated, {} moved group, {} unchanged",
                s.from.map(|d| d.to_string()).unwrap_or_default(),
                s.added,
                s.updated,
                s.moved,
                s.unchanged
            )?;
            if s.not_in_file > 0 {
                if *end_missing {
                    writeln!(
                        out,
                        "{} pupils not in the file left their group the day before",
                        s.ended
                    )?;
                } else {
                    writeln!(
                        out,
                        "{} pupils on roll are not in the file; their groups are unchanged (--end-missing ends them)",
                        s.not_in_file
                    )?;
                }
            }
        }
        Command::Mark(args) => {
            let date = match args.date {
                Some(d) => d,
                None => today(client)?,
            };
            let outcome = client.mark(MarkRequest {
                group: args.group.clone(),
                date,
                session: args.session,
                upn: args.upn.clone(),
                code: args.code.clone(),
                arrived: args.arrived,
                note: args.note.clone(),
                reason: args.reason.clone(),
                expect: None,
                replace_office_mark: false,
            })?;
            write_outcome(out, &outcome)?;
        }
        Command::MarkBatch { file } => {
            let today = today(client)?;
            mark_batch(client, file, today, out)?
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
            let s = client.close(group.clone(), date, *session)?;
            let codes: Vec<String> = s.codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
            writeln!(
                out,
                "closed {} {} {}: {}; {} blank{} became N; attendance {}",
                s.group,
                s.date,
                s.session.label(),
                codes.join(", "),
                s.filled.len(),
                if s.filled.len() == 1 { "" } else { "s" },
                pct(s.tally.attendance_pct())
            )?;
        }
        Command::Plan {
            upn,
            from,
            to,
            code,
            note,
        } => {
            let s = client.plan(PlanRequest {
                upn: upn.clone(),
                from: from.0,
                from_session: from.1,
                to: to.0,
                to_session: to.1,
                code: code.clone(),
                note: note.clone(),
            })?;
            writeln!(out, "{code} entered for {} sessions", s.marked.len())?;
            for (date, session, why) in &s.skipped {
                writeln!(out, "skipped {date} {}: {why}", session.label())?;
            }
        }
        Command::Export(ExportCommand::Marks { from, to, group }) => {
            let rows = client.export(*from, *to, group.clone())?;
            write_marks_csv(out, &rows)?;
        }
        Command::Report {
            from,
            to,
            by,
            format,
        } => {
            let rows = client.report(*from, *to, *by)?;
            write_report(out, *by, &rows, *format)?;
        }
        Command::Alerts { on, format } => {
            let alerts = client.alerts(*on)?;
            write_alerts(out, &alerts, *format)?;
        }
        Command::History { upn, date, session } => {
            let h = client.history(upn.clone(), *date, *session)?;
            write_history(out, &h)?;
        }
        Command::Codes => write_codes(out)?,
        Command::Demo { .. } | Command::Serve { .. } => {
            // Handled before a client exists: both own the database file directly.
            let _ = cli;
        }
    }
    Ok(())
}

fn write_outcome(out: &mut impl Write, o: &MarkOutcome) -> CliResult {
    let verb = match (o.changed, o.kind) {
        (false, _) => "unchanged",
        (true, crate::domain::register::ChangeKind::Amendment) => "amended",
        (true, _) => "saved",
    };
    let mut line = format!(
        "{verb} {} {} {} {}",
        o.date,
        o.session.label(),
        o.upn,
        o.mark.code
    );
    if let Some(a) = o.mark.arrived {
        line.push_str(&format!(" arrived {}", a.format("%H:%M")));
    }
    if let Some(m) = o.mark.minutes_late {
        line.push_str(&format!(" ({m} min late)"));
    }
    writeln!(out, "{line}")?;
    if let Some(why) = &o.explanation {
        writeln!(out, "note: {why}")?;
    }
    Ok(())
}

fn mark_batch(
    client: &mut Client,
    file: &Path,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).map_err(|e| CliError(format!("{}: {e}", file.display())))?,
        ))
    };
    let name = file.display().to_string();
    let mut failed = 0;
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        let number = index + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let result =
            batch_request(&line, today).and_then(|req| client.mark(req).map_err(CliError::from));
        match result {
            Ok(outcome) => {
                write_outcome(out, &outcome)?;
                // Reported only once durable: the engine has committed before replying.
                out.flush()?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("rollcall: {name}: line {number}: {}", e.0);
            }
        }
    }
    if failed > 0 {
        return Err(CliError(format!("{name}: {failed} line(s) not saved")));
    }
    Ok(())
}

fn batch_request(line: &str, today: NaiveDate) -> CliResult<MarkRequest> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() < 5 {
        return Err(CliError(format!(
            "{} fields; expected group,session,date,upn,code[,arrived[,note[,reason]]]",
            fields.len()
        )));
    }
    let optional = |i: usize| {
        fields
            .get(i)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
    };
    Ok(MarkRequest {
        group: fields[0].to_string(),
        session: fields[1].parse().map_err(CliError)?,
        date: if fields[2].is_empty() {
            today
        } else {
            parse_cli_date(fields[2]).map_err(CliError)?
        },
        upn: fields[3].to_string(),
        code: fields[4].to_string(),
        arrived: optional(5)
            .map(|a| parse_cli_time(&a))
            .transpose()
            .map_err(CliError)?,
        note: optional(6),
        reason: optional(7),
        expect: None,
        replace_office_mark: false,
    })
}

fn csv_error(e: csv::Error) -> CliError {
    CliError(format!("writing CSV: {e}"))
}

pub fn write_marks_csv(out: &mut impl Write, rows: &[ExportRow]) -> CliResult {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "date",
        "session",
        "upn",
        "surname",
        "forename",
        "group",
        "code",
        "arrived",
        "minutes_late",
        "recorded_by",
        "recorded_at",
    ])
    .map_err(csv_error)?;
    for r in rows {
        w.write_record([
            r.date.to_string(),
            r.session.to_string(),
            r.upn.clone(),
            r.surname.clone(),
            r.forename.clone(),
            r.group.clone(),
            r.code.clone(),
            r.arrived
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            r.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
            r.recorded_by.clone(),
            r.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ])
        .map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

fn pct(value: Option<f64>) -> String {
    value
        .map(|p| format!("{:.1}", round1(p)))
        .unwrap_or_default()
}

/// Left-aligned columns, two spaces apart.
fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> CliResult {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|s| s.to_string()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.clone()))?;
    }
    Ok(())
}

fn write_rows(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
    format: Format,
    json: serde_json::Value,
) -> CliResult {
    match format {
        Format::Table => write_table(out, header, rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header).map_err(csv_error)?;
            for row in rows {
                w.write_record(row).map_err(csv_error)?;
            }
            w.flush()?;
            Ok(())
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json).map_err(|e| CliError(e.to_string()))?;
            writeln!(out)?;
            Ok(())
        }
    }
}

fn write_report(
    out: &mut impl Write,
    by: ReportBy,
    rows: &[ReportRow],
    format: Format,
) -> CliResult {
    use serde_json::{Value, json};
    let key = match by {
        ReportBy::Pupil => "upn",
        ReportBy::Group => "group",
        ReportBy::Year => "year",
        ReportBy::School => "school",
    };
    let per_pupil = by == ReportBy::Pupil;
    let header = [
        key,
        if per_pupil { "name" } else { "pupils" },
        "possible",
        "present",
        "aea",
        "authorised",
        "unauthorised",
        "attendance_pct",
        "absence_pct",
        "pa",
        "sa",
        "band",
    ];
    let rounded = |p: Option<f64>| p.map(round1);
    let records: Vec<Vec<Value>> = rows
        .iter()
        .map(|r| {
            vec![
                json!(r.key),
                if per_pupil {
                    json!(r.label)
                } else {
                    json!(r.pupils)
                },
                json!(r.tally.possible()),
                json!(r.tally.present),
                json!(r.tally.aea),
                json!(r.tally.authorised),
                json!(r.tally.unauthorised),
                json!(rounded(r.attendance_pct)),
                json!(rounded(r.absence_pct)),
                // A pupil is PA or not; an aggregate counts its PA pupils.
                if per_pupil {
                    json!(r.pa > 0)
                } else {
                    json!(r.pa)
                },
                if per_pupil {
                    json!(r.sa > 0)
                } else {
                    json!(r.sa)
                },
                json!(r.band),
            ]
        })
        .collect();
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) if n.is_f64() => format!("{:.1}", n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let table: Vec<Vec<String>> = records
        .iter()
        .map(|r| r.iter().map(cell).collect())
        .collect();
    let json = Value::Array(
        records
            .into_iter()
            .map(|r| Value::Object(header.iter().map(|h| h.to_string()).zip(r).collect()))
            .collect(),
    );
    write_rows(out, &header, &table, format, json)
}

fn evidence_text(alert: &Alert) -> String {
    alert
        .evidence
        .iter()
        .map(|m| format!("{} {} {}", m.date, m.session.label(), m.code))
        .collect::<Vec<_>>()
        .join("; ")
}

fn write_alerts(out: &mut impl Write, alerts: &[Alert], format: Format) -> CliResult {
    let header = ["upn", "name", "group", "threshold", "summary", "evidence"];
    let rows: Vec<Vec<String>> = alerts
        .iter()
        .map(|a| {
            let evidence = if format == Format::Table && a.evidence.len() > 4 {
                let first: Vec<String> = a.evidence[..3]
                    .iter()
                    .map(|m| format!("{} {} {}", m.date, m.session.label(), m.code))
                    .collect();
                format!("{}; ... ({} sessions)", first.join("; "), a.evidence.len())
            } else {
                evidence_text(a)
            };
            vec![
                a.upn.clone(),
                a.name.clone(),
                a.group.clone().unwrap_or_default(),
                a.kind.as_str().to_string(),
                a.summary.clone(),
                evidence,
            ]
        })
        .collect();
    if format == Format::Table && alerts.is_empty() {
        writeln!(out, "no thresholds reached")?;
        return Ok(());
    }
    let json = serde_json::to_value(alerts).map_err(|e| CliError(e.to_string()))?;
    write_rows(out, &header, &rows, format, json)
}

fn write_history(out: &mut impl Write, h: &MarkHistory) -> CliResult {
    writeln!(
        out,
        "{} ({}) {} {}",
        h.name,
        h.upn,
        h.date,
        h.session.label()
    )?;
    match &h.current {
        Some(m) => writeln!(out, "now: {}", m.entry().describe())?,
        None => writeln!(out, "now: no mark")?,
    }
    for c in &h.changes {
        let before = c
            .before
            .as_ref()
            .map_or("(none)".to_string(), |e| e.describe());
        let after = c
            .after
            .as_ref()
            .map_or("(withdrawn)".to_string(), |e| e.describe());
        let kind = match c.kind {
            crate::domain::register::ChangeKind::Mark => "mark",
            crate::domain::register::ChangeKind::Amendment => "amendment",
        };
        write!(
            out,
            "{}  {kind:<9}  {before} -> {after}  by {} ({}, {})",
            c.at.format("%Y-%m-%d %H:%M"),
            c.name,
            c.position,
            c.account
        )?;
        if let Some(reason) = &c.reason {
            write!(out, "  reason: {reason}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_codes(out: &mut impl Write) -> CliResult {
    let mut group: Option<CodeGroup> = None;
    for info in CODES {
        if group != Some(info.group) {
            group = Some(info.group);
            writeln!(out, "\n{}", info.group.title())?;
        }
        let who = if info.is_withdrawn() {
            "old data only"
        } else if info.teacher_may_enter() {
            "teacher"
        } else {
            "office"
        };
        writeln!(
            out,
            "  {:<4} {:<64} {:<26} {}{}",
            info.code,
            info.meaning,
            info.class.describe(),
            who,
            if info.needs_note {
                ", needs a note"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

//! The command line: scriptable access to everything, for tests, demos and office scripts.
//! Every error leaves with a message on stderr naming what and where, and a non-zero status.

use crate::clock::{Clock, FixedClock, RunningClock, SystemClock, parse_datetime};
use crate::domain::codes::{CODES, CodeGroup};
use crate::domain::people::Staff;
use crate::domain::register::Role;
use crate::domain::session::{Session, parse_hm};
use crate::domain::stats::round1;
use crate::domain::thresholds::ThresholdKind;
use crate::service::protocol::*;
use crate::service::{Client, Engine, ServiceError};
use crate::store::{Access, Store};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, Parser, Subcommand, ValueEnum};

mod desk;
mod exchange;
mod progress;
mod report;
use std::io::Write;
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

    /// The account the school's server runs as, when it is not `rollcall` (a client sends
    /// nothing to a server run by any other account)
    #[arg(long, global = true, value_name = "ACCOUNT")]
    pub server_account: Option<String>,

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
        /// The reason for every line that gives none: a paper register entered after the
        /// close, each mark its own amendment ("Entered from the paper register")
        #[arg(long)]
        reason: Option<String>,
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
    /// Pre-enter a planned absence over a range of sessions, for a pupil or a whole group,
    /// perhaps as a weekly pattern (--every tue:am) until the last date (office)
    Plan {
        #[arg(
            long = "pupil",
            value_name = "UPN",
            required_unless_present = "group",
            conflicts_with = "group"
        )]
        upn: Option<String>,
        /// Every pupil on this group's roll on each date
        #[arg(long)]
        group: Option<String>,
        /// Only these sessions each week: mon..fri, with :am or :pm (repeatable: --every
        /// tue:am --every thu:am)
        #[arg(long, value_parser = parse_weekly)]
        every: Vec<crate::domain::desk::Weekly>,
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
    /// Clear a mark back to blank: kept in its history, with a reason after the close
    Clear {
        #[command(flatten)]
        place: MarkPlace,
        /// Why (needed once the register has closed: the change is an amendment)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Arrange cover: a teacher takes a group's registers for a date (office); --list shows
    /// the day's cover changes, who made them and when
    Cover {
        #[arg(long, required_unless_present = "list")]
        group: Option<String>,
        #[arg(long, value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        /// am, pm or both
        #[arg(long, default_value = "both")]
        session: String,
        /// The covering teacher's account
        #[arg(long, required_unless_present_any = ["remove", "list"], conflicts_with_all = ["remove", "list"])]
        account: Option<String>,
        /// Take the cover away: the group's tutors take its registers
        #[arg(long, conflicts_with = "list")]
        remove: bool,
        /// The day's cover changes, in order (the audit)
        #[arg(long)]
        list: bool,
    },
    /// Export data
    #[command(subcommand)]
    Export(ExportCommand),
    /// Attendance figures over a date range: rates, codes, lateness, absence by weekday
    Report(report::ReportArgs),
    /// Thresholds reached (penalty notice, 10 days unauthorised, missing education, illness,
    /// unresolved N, became PA or SA this week, often late), with what was done about each
    #[command(args_conflicts_with_subcommands = true)]
    Alerts {
        #[arg(long, value_parser = parse_cli_date)]
        on: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(subcommand)]
        action: Option<AlertsCommand>,
    },
    #[command(flatten)]
    Desk(desk::DeskCommand),
    #[command(flatten)]
    Stage(desk::StageCommand),
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
    /// A consistent copy of the database while it is in use (through the server when one
    /// runs; marking goes on), checked before it is reported (admins)
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Verify a copy: it opens, passes redb's whole-file check and every record reads
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
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
        /// School years of marks, this one included (1 to 10): instead of --weeks
        #[arg(long, conflicts_with = "weeks")]
        years: Option<u32>,
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
    /// Pupils and their attendance history from a Common Transfer File, all or nothing
    Ctf {
        #[arg(value_name = "FILE.xml")]
        file: PathBuf,
        /// Say what would change, and save nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Marks from another system, all or nothing: a CSV with date, session, upn and code
    /// columns in any order (as `export marks` writes; arrived, minutes_late, note and group
    /// are read when present). Withdrawn codes are taken for the dates they were in use.
    Marks {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// Say what would change, and save nothing
        #[arg(long)]
        dry_run: bool,
    },
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
        /// Say what would change, pupil by pupil, and save nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// Record what was done about a pupil's alert today (audited): it stays acted on until
    /// the threshold is reached again
    Act {
        #[arg(long = "pupil", value_name = "UPN")]
        upn: String,
        /// penalty_notice, continuous_unauthorised, missing_education, illness, unresolved_n,
        /// became_persistent_absence, became_severe_absence, persistent_lateness
        #[arg(long, value_parser = parse_threshold)]
        threshold: ThresholdKind,
        /// What was done: a call, a letter, a meeting
        #[arg(long)]
        note: String,
        /// For an unresolved N: the session's date (with --session)
        #[arg(long, value_parser = parse_cli_date, requires = "session")]
        date: Option<NaiveDate>,
        #[arg(long, requires = "date")]
        session: Option<Session>,
    },
}

fn parse_threshold(name: &str) -> Result<ThresholdKind, String> {
    ThresholdKind::parse(name).ok_or_else(|| {
        let all: Vec<&str> = ThresholdKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("`{name}` is not a threshold; one of: {}", all.join(", "))
    })
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// A Common Transfer File (XML) for a group's pupils or the pupils named: header, each
    /// pupil's details and their attendance per school year (see the README on its marks)
    Ctf {
        #[arg(long, conflicts_with = "upns")]
        group: Option<String>,
        #[arg(long = "pupil", value_name = "UPN")]
        upns: Vec<String>,
        /// The receiving school's local authority (3 digits)
        #[arg(long)]
        dest_la: String,
        /// The receiving school's establishment number (4 digits)
        #[arg(long)]
        dest_estab: String,
        /// Write the file here (default: standard output)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The DfE's daily shape, as CSV: one row per pupil, date and session, with the school's
    /// URN and LA, the pupil's details and dates on roll, the national code and minutes late
    Feed {
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        to: NaiveDate,
        /// Only marks made or changed since this time (a resend of what changed)
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM", value_parser = parse_datetime)]
        changed_since: Option<NaiveDateTime>,
    },
    /// The school census's attendance as CSV: per pupil of compulsory school age (5 to 15 on
    /// the previous 31 August), possible, authorised and unauthorised sessions, and absence
    /// sessions by reason (a column per absence code)
    Census {
        #[arg(long, value_parser = parse_cli_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_cli_date)]
        to: NaiveDate,
    },
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

/// Which mark: a pupil in a group's register for a session (today unless a date is given).
#[derive(Args, Debug)]
pub struct MarkPlace {
    #[arg(long)]
    group: String,
    #[arg(long)]
    session: Session,
    #[arg(long, value_parser = parse_cli_date)]
    date: Option<NaiveDate>,
    #[arg(long = "pupil", value_name = "UPN")]
    upn: String,
}

#[derive(Args, Debug)]
pub struct MarkArgs {
    #[command(flatten)]
    place: MarkPlace,
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

/// What a report is broken down by (the protocol's [`ReportBy`], as the command line spells it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    Pupil,
    Group,
    Year,
    School,
}

impl From<By> for ReportBy {
    fn from(by: By) -> Self {
        match by {
            By::Pupil => ReportBy::Pupil,
            By::Group => ReportBy::Group,
            By::Year => ReportBy::Year,
            By::School => ReportBy::School,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

fn parse_weekly(s: &str) -> Result<crate::domain::desk::Weekly, String> {
    crate::domain::desk::Weekly::parse(s)
}

fn parse_cli_date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse(s)
}

fn parse_cli_time(s: &str) -> Result<NaiveTime, String> {
    parse_hm(s).ok_or_else(|| format!("`{s}` is not a time HH:MM"))
}

fn parse_session_at_with(s: &str, default: Session) -> Result<(NaiveDate, Session), String> {
    crate::domain::dates::parse_session_at(s, default)
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
        // The reader went away (`rollcall stages | head`): what it wanted is printed, and
        // anything the command saved was saved before printing. Leave quietly, as Unix
        // tools do.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
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

/// Opens an existing database in this process (`server`: for `rollcall serve`). Only `init`
/// and `demo` create one ([`Store::create`]).
pub fn open_engine(
    path: &Path,
    clock: Arc<dyn Clock>,
    access: Access,
    server: bool,
) -> CliResult<Arc<Engine>> {
    let mut store = Store::open(path, access).map_err(|e| CliError(e.to_string()))?;
    if server {
        // A server's log is its standard error (the journal, under systemd).
        store.set_log(Box::new(|line| eprintln!("rollcall serve: {line}")));
    }
    Ok(Arc::new(Engine::new(store, clock, server)?))
}

impl Command {
    /// Whether the command changes anything: the others open the database read-only and
    /// write nothing, not even on opening.
    pub fn access(&self) -> Access {
        match self {
            Command::Export(_)
            | Command::Report(_)
            | Command::Alerts { action: None, .. }
            | Command::History { .. }
            | Command::Cover { list: true, .. }
            | Command::Codes
            | Command::Backup { .. } => Access::ReadOnly,
            Command::Desk(desk) if !desk.changes_something() => Access::ReadOnly,
            Command::Stage(stage) if !stage.changes_something() => Access::ReadOnly,
            _ => Access::ReadWrite,
        }
    }
}

fn read_file(path: &Path) -> CliResult<String> {
    crate::files::read_utf8(path).map_err(CliError)
}

/// A file saved by a spreadsheet, in whichever encoding it chose; how it was read, if not
/// plain UTF-8, is said on stderr.
fn read_spreadsheet(path: &Path) -> CliResult<String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CliError(format!("{name}: {e}")))?;
    let text = crate::files::spreadsheet(&name, &bytes).map_err(CliError)?;
    if let Some(note) = text.note {
        eprintln!("rollcall: {note}");
    }
    Ok(text.text)
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

/// Standard output as a terminal should receive it: every character that does not print as
/// itself (an escape sequence in a pupil's name from an old import) is shown as `�`. Works on
/// bytes as they are written, keeping a character split across two writes whole.
pub struct Printable<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Printable<W> {
    pub fn new(inner: W) -> Self {
        Printable {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut clean = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    clean.push_str(&crate::domain::text::printable(text));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    clean.push_str(&crate::domain::text::printable(
                        std::str::from_utf8(good).unwrap_or_default(),
                    ));
                    match e.error_len() {
                        Some(n) => {
                            clean.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        // A character cut in two: wait for the rest of it.
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        self.inner.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
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
    let out = &mut Printable::new(std::io::stdout().lock());
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
        Command::Import(command) => exchange::import(client, command, out)?,
        Command::Mark(args) => {
            let date = match args.place.date {
                Some(d) => d,
                None => today(client)?,
            };
            let outcome = client.mark(MarkRequest {
                group: args.place.group.clone(),
                date,
                session: args.place.session,
                upn: args.place.upn.clone(),
                code: args.code.clone(),
                arrived: args.arrived,
                note: args.note.clone(),
                reason: args.reason.clone(),
                expect: Expect::Anything,
                replace_office_mark: false,
            })?;
            write_outcome(out, &outcome)?;
        }
        Command::MarkBatch { file, reason } => {
            let today = today(client)?;
            mark_batch(client, file, today, reason.as_deref(), out)?
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
            group,
            every,
            from,
            to,
            code,
            note,
        } => {
            let s = client.plan(PlanRequest {
                upn: upn.clone().unwrap_or_default(),
                group: group.clone(),
                every: every.clone(),
                from: from.0,
                from_session: from.1,
                to: to.0,
                to_session: to.1,
                code: code.clone(),
                note: note.clone(),
            })?;
            match group {
                Some(g) => writeln!(
                    out,
                    "{code} entered for {} sessions of {} pupils in {g}",
                    s.marked.len(),
                    s.pupils
                )?,
                None => writeln!(out, "{code} entered for {} sessions", s.marked.len())?,
            }
            for (date, session, why) in &s.skipped {
                writeln!(out, "skipped {date} {}: {why}", session.label())?;
            }
        }
        Command::Clear { place, reason } => {
            let date = match place.date {
                Some(d) => d,
                None => today(client)?,
            };
            let message = client.clear(Request::Clear {
                group: place.group.clone(),
                date,
                session: place.session,
                upn: place.upn.clone(),
                reason: reason.clone(),
                expect: Expect::Anything,
            })?;
            writeln!(out, "{message}")?;
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
                let changes = client.cover_log(date)?;
                if changes.is_empty() {
                    writeln!(out, "no cover arranged for {date}")?;
                }
                for c in changes {
                    let who = c
                        .cover
                        .account
                        .as_deref()
                        .unwrap_or("(removed: its tutors)");
                    writeln!(
                        out,
                        "{date} {} {}: {who}, arranged by {} at {}",
                        c.session.label(),
                        c.group,
                        c.cover.assigned_by,
                        c.cover.assigned_at.format("%Y-%m-%d %H:%M")
                    )?;
                }
                return Ok(());
            }
            let group = group.clone().unwrap_or_default();
            let sessions = match session.trim().to_ascii_lowercase().as_str() {
                "both" => Session::BOTH.to_vec(),
                other => vec![other.parse::<Session>().map_err(CliError)?],
            };
            let message = client.done(Request::AssignCover {
                group,
                date,
                sessions,
                account: account.clone(),
            })?;
            writeln!(out, "{message}")?;
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
            let alerts = client.alerts(*on)?;
            write_alerts(out, &alerts, *format)?;
        }
        Command::History { upn, date, session } => {
            let h = client.history(upn.clone(), *date, *session)?;
            write_history(out, &h)?;
        }
        Command::Codes => write_codes(out)?,
        Command::Backup { file } => {
            let path = std::path::absolute(file)
                .map_err(|e| CliError(format!("{}: {e}", file.display())))?;
            let progress = progress::Progress::start(format!("backing up to {}", path.display()));
            let b = client.backup(path.display().to_string())?;
            drop(progress);
            writeln!(
                out,
                "backed up to {}: {} bytes, schema {}, {} pupils, {} staff, {} marks, {} changes; checked whole",
                b.path, b.bytes, b.schema, b.pupils, b.staff, b.marks, b.changes
            )?;
        }
        Command::Check { .. } => {
            // Handled before a client exists: it reads the copy, not the school's database.
            let _ = cli;
        }
        Command::Desk(desk) => desk::run(client, desk, out)?,
        Command::Stage(stage) => {
            let date = today(client)?;
            desk::run_stage(client, stage, date, out)?
        }
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

/// Marks from CSV lines `group,session,date,upn,code[,arrived[,note[,reason]]]`, read as a
/// stream (a line is saved before the next is read, so a script can watch), parsed with the
/// `csv` crate (quoted fields may hold commas). A bad line is named with its file and line and
/// the batch goes on; a summary says what was saved and what was not.
fn mark_batch(
    client: &mut Client,
    file: &Path,
    today: NaiveDate,
    reason: Option<&str>,
    out: &mut impl Write,
) -> CliResult {
    let input: Box<dyn std::io::Read> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(file).map_err(|e| CliError(format!("{}: {e}", file.display())))?,
        )
    };
    let name = if file.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let (mut saved, mut failed) = (0usize, Vec::<u64>::new());
    let mut fail = |line: u64, why: &str| {
        failed.push(line);
        eprintln!(
            "rollcall: {name}: line {line}: {}",
            crate::domain::text::printable(why)
        );
    };
    each_batch_line(input, today, |line, request| {
        let request = request.map(|mut req| {
            if req.reason.is_none() {
                req.reason = reason.map(str::to_string);
            }
            req
        });
        match request.and_then(|req| client.mark(req).map_err(CliError::from)) {
            Ok(outcome) => {
                saved += 1;
                write_outcome(out, &outcome)?;
                // Reported only once durable: the engine has committed before replying.
                out.flush()?;
            }
            Err(e) => fail(line, &e.0),
        }
        Ok(())
    })
    .or_else(|(line, e)| {
        // The stream itself cannot be read on (an I/O error): say where, and stop.
        fail(line, &e.0);
        Ok::<(), CliError>(())
    })?;
    let lines: Vec<String> = failed.iter().map(u64::to_string).collect();
    eprintln!(
        "rollcall: {name}: {saved} saved, {} not saved{}",
        failed.len(),
        if lines.is_empty() {
            String::new()
        } else {
            format!(
                " (line{} {})",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            )
        }
    );
    if !failed.is_empty() {
        return Err(CliError(format!(
            "{name}: {} line(s) not saved",
            failed.len()
        )));
    }
    Ok(())
}

/// Reads `mark-batch` lines from a stream, handing `each` every line's request (or what is
/// wrong with it) with its line number as an editor shows it. Stops with the line and error if
/// the stream itself fails, or `each` does.
pub fn each_batch_line(
    input: impl std::io::Read,
    today: NaiveDate,
    mut each: impl FnMut(u64, CliResult<MarkRequest>) -> CliResult,
) -> Result<(), (u64, CliError)> {
    let (lines, starts) = crate::files::RecordLines::new(input, Some(b'#'));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(lines);
    // Each record's line as an editor numbers it: blank and comment lines count.
    let line_of = |index: usize| starts.borrow().get(index).copied().unwrap_or(0);
    let mut record = csv::ByteRecord::new();
    let mut index = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err((line_of(index), CliError(e.to_string()))),
        }
        let line = line_of(index);
        index += 1;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let request = match batch_fields(&record, index == 1) {
            Ok(None) => continue,
            Ok(Some(fields)) => batch_request(&fields, today),
            Err(e) => Err(e),
        };
        each(line, request).map_err(|e| (line, e))?;
    }
}

/// A batch line's fields as text; `None` for a header line (`group,session,...` first).
fn batch_fields(record: &csv::ByteRecord, first: bool) -> CliResult<Option<Vec<String>>> {
    let mut fields = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        // A byte-order mark is where a spreadsheet says "UTF-8", not part of the group's name.
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        let text = std::str::from_utf8(field).map_err(|_| {
            CliError(format!(
                "field {} is not UTF-8 (Latin-1 or Windows-1252, as Excel saves \"CSV\"?): save the file as UTF-8",
                i + 1
            ))
        })?;
        fields.push(text.trim().to_string());
    }
    if first
        && fields
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("group"))
    {
        return Ok(None);
    }
    Ok(Some(fields))
}

fn batch_request(fields: &[String], today: NaiveDate) -> CliResult<MarkRequest> {
    if fields.len() < 5 || fields.len() > 8 {
        return Err(CliError(format!(
            "{} fields; expected group,session,date,upn,code[,arrived[,note[,reason]]] (quote a note or reason that holds a comma)",
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
        group: fields[0].clone(),
        session: fields[1].parse().map_err(CliError)?,
        date: if fields[2].is_empty() {
            today
        } else {
            parse_cli_date(&fields[2]).map_err(CliError)?
        },
        upn: fields[3].clone(),
        code: fields[4].clone(),
        arrived: optional(5)
            .map(|a| parse_cli_time(&a))
            .transpose()
            .map_err(CliError)?,
        note: optional(6),
        reason: optional(7),
        expect: Expect::Anything,
        replace_office_mark: false,
    })
}

fn csv_error(e: csv::Error) -> CliError {
    // A reader that went away (`| head`) ends the command as for any other output.
    if let csv::ErrorKind::Io(io) = e.kind()
        && io.kind() == std::io::ErrorKind::BrokenPipe
    {
        return CliError::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
    }
    CliError(format!("writing CSV: {e}"))
}

/// The columns of `export marks`.
pub const MARKS_HEADER: [&str; 11] = [
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
];

/// One row of `export marks`.
pub fn marks_record(r: &ExportRow) -> [String; 11] {
    [
        r.date.to_string(),
        r.session.to_string(),
        r.upn.clone(),
        r.surname.clone(),
        r.forename.clone(),
        r.group.clone(),
        r.code.to_string(),
        r.arrived
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        r.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
        r.recorded_by.clone(),
        r.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
    ]
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

/// A value as pretty JSON, with a final newline.
fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> CliResult {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| CliError(e.to_string()))?;
    writeln!(out)?;
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
        Format::Json => write_json(out, &json),
    }
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
    let header = [
        "upn",
        "name",
        "group",
        "threshold",
        "summary",
        "evidence",
        "acted",
    ];
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
                a.acted
                    .as_ref()
                    .map(|d| {
                        format!(
                            "{} by {} ({}): {}",
                            d.at.format("%Y-%m-%d %H:%M"),
                            d.name,
                            d.position,
                            d.note
                        )
                    })
                    .unwrap_or_default(),
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
    if let (Some(m), Some(note)) = (&h.current, &h.imported) {
        writeln!(
            out,
            "imported by {} at {}: {note}",
            m.recorded_by,
            m.recorded_at.format("%Y-%m-%d %H:%M")
        )?;
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

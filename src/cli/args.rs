//! The command line's shape: every command and its arguments, as clap reads them (the man
//! page and completions come from the same definitions).

use super::casework::CaseCommand;
use super::desk::{DeskCommand, StageCommand};
use super::report::ReportArgs;
use super::values::*;
use crate::clock::parse_datetime;
use crate::domain::desk::Weekly;
use crate::domain::register::Role;
use crate::domain::session::Session;
use crate::domain::thresholds::ThresholdKind;
use crate::store::Access;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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

    /// The server's socket: where `serve` listens; for everything else, the server to use
    /// instead of opening the database (default: /run/rollcall/rollcall.sock when it exists)
    #[arg(long, global = true, value_name = "PATH", env = "ROLLCALL_SOCKET")]
    pub socket: Option<PathBuf>,

    /// The account the school's server runs as, when it is not `rollcall` (a client sends
    /// nothing to a server run by any other account)
    #[arg(
        long,
        global = true,
        value_name = "ACCOUNT",
        env = "ROLLCALL_SERVER_ACCOUNT"
    )]
    pub server_account: Option<String>,

    /// Log more: -v one level more than usual (a server logs information, a command warnings),
    /// -vv two
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Log errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Key bindings to merge over the defaults (default: keymap.toml in the config directory)
    #[arg(long, global = true, value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    /// Open the app on a demo school (created on first use in the data directory)
    #[arg(long)]
    pub demo: bool,

    /// Open the trust's screen (read-only) on a trust's PostgreSQL database instead of a
    /// school: a postgresql:// URL or key=value string (`trust view` reads the PG* environment)
    #[arg(long, value_name = "URL", conflicts_with = "demo")]
    pub postgres: Option<String>,

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
        every: Vec<Weekly>,
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
        /// Say which sessions it would write and which it would leave, and save nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// The planned absences for a pupil or a group (every one without either), newest
    /// first, each with its number, who made it, and how many sessions still hold it (office)
    Plans {
        #[arg(long = "pupil", value_name = "UPN", conflicts_with = "group")]
        upn: Option<String>,
        #[arg(long)]
        group: Option<String>,
    },
    /// Withdraw a planned absence as a whole: its sessions not yet begun that still hold its
    /// mark are cleared, each an audited change with the reason (office)
    PlanWithdraw {
        /// The plan's number (`rollcall plans`)
        id: u32,
        #[arg(long)]
        reason: String,
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
    Report(ReportArgs),
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
    Desk(DeskCommand),
    #[command(flatten)]
    Stage(StageCommand),
    #[command(flatten)]
    Case(CaseCommand),
    /// A lesson's register (secondary schools): mark, all-present, close, show, remind
    #[command(subcommand)]
    Lesson(super::lessons::LessonCommand),
    /// The day's lessons, late arrivals to lessons, and lesson registers not taken
    #[command(subcommand)]
    Lessons(super::lessons::LessonsCommand),
    /// Pupils missing from lessons (office): known to be in school and not in a lesson, with
    /// the minutes since; `found` and `informed` record what the attendance team did
    Missing(super::lessons::MissingArgs),
    /// The termly pack for governors and trustees: the term's figures against the target
    /// and a year before, by year and characteristic, reasons, stages and patterns, as an
    /// HTML file that prints on A4 (office)
    Pack(super::pack::PackArgs),
    /// Publish the school's attendance to a trust's PostgreSQL database: only what changed
    /// since the last publish, in one transaction (admin)
    Publish {
        #[command(flatten)]
        database: super::trust::PostgresArg,
    },
    /// A trust's figures across its schools, from its PostgreSQL database
    #[command(subcommand)]
    Trust(super::trust::TrustCommand),
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
        /// Also write the pupils and every mark as plain CSV beside the copy
        /// (FILE.pupils.csv, FILE.groups.csv, FILE.marks.csv), readable without rollcall
        #[arg(long)]
        csv: bool,
    },
    /// Check what is often set up wrong (database, socket, group, server, clock, backups,
    /// locale) and say what to fix; exits 1 when something needs fixing
    Doctor,
    /// Print the manual page (roff: `rollcall man | man -l -`)
    Man,
    /// Print shell completions (bash, zsh or fish), for the shell's completion directory
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
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
        /// Where backups go (default: `backups` beside the database); give it the admins'
        /// group (chgrp, chmod 2750) so they can read what the server writes there
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
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
        /// A secondary school: years 7 to 11, five periods a day, a timetable, and lesson
        /// registers for the last two school weeks (one pupil missing from a lesson today)
        #[arg(long, conflicts_with = "years")]
        secondary: bool,
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
    /// The timetable (admin), all or nothing: class, weekday, period, teacher, room
    /// [, week A/B]
    Timetable {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// The teaching classes' pupils (admin), all or nothing: class, upn [, subject]
    Classes {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
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
        /// Another school's registers: its LA number (3 digits). Kept apart under that
        /// school, in none of this school's figures, and written back under it in a CTF
        #[arg(long, value_name = "LLL", requires_all = ["school_estab", "school_name"])]
        school_la: Option<String>,
        /// That school's establishment number (4 digits)
        #[arg(long, value_name = "EEEE", requires_all = ["school_la", "school_name"])]
        school_estab: Option<String>,
        /// That school's name
        #[arg(long, value_name = "NAME", requires_all = ["school_la", "school_estab"])]
        school_name: Option<String>,
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
        /// Write the file here, private to you (default: standard output); an existing file
        /// is refused
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With --out: replace a file that is there
        #[arg(long, requires = "out")]
        force: bool,
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
        /// Add the pupil's characteristics on each mark's date: sen (N, K, E), fsm, pp, lac,
        /// cin, cp, eal (Y or N)
        #[arg(long)]
        characteristics: bool,
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
    pub group: String,
    #[arg(long)]
    pub session: Session,
    #[arg(long, value_parser = parse_cli_date)]
    pub date: Option<NaiveDate>,
    #[arg(long = "pupil", value_name = "UPN")]
    pub upn: String,
}

#[derive(Args, Debug)]
pub struct MarkArgs {
    #[command(flatten)]
    pub place: MarkPlace,
    #[arg(long)]
    pub code: String,
    /// Arrival time HH:MM: decides between present, L and U
    #[arg(long, value_parser = parse_cli_time)]
    pub arrived: Option<NaiveTime>,
    #[arg(long)]
    pub note: Option<String>,
    /// Why, for a change after the register closed (an amendment)
    #[arg(long)]
    pub reason: Option<String>,
}

impl Command {
    /// Whether the command changes anything: the others open the database read-only and
    /// write nothing, not even on opening.
    pub fn access(&self) -> Access {
        match self {
            Command::Export(_)
            | Command::Report(_)
            | Command::Pack(_)
            | Command::Alerts { action: None, .. }
            | Command::History { .. }
            | Command::Cover { list: true, .. }
            | Command::Codes
            | Command::Plans { .. }
            | Command::Backup { .. } => Access::ReadOnly,
            Command::Desk(desk) if !desk.changes_something() => Access::ReadOnly,
            Command::Stage(stage) if !stage.changes_something() => Access::ReadOnly,
            Command::Case(case) if !case.changes_something() => Access::ReadOnly,
            Command::Lesson(lesson) if !lesson.changes_something() => Access::ReadOnly,
            Command::Missing(missing) if !missing.changes_something() => Access::ReadOnly,
            Command::Lessons(_) => Access::ReadOnly,
            _ => Access::ReadWrite,
        }
    }
}

/// The shells `rollcall completions` writes for.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

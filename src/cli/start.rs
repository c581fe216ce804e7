//! Starting rollcall: the command line read, the database or server found, and the app,
//! the server, the demo or a command run.

use super::args::{Cli, Command, CompletionShell};
use super::commands::run_command;
use super::connect::{db_path, remote_client, server_socket};
use super::error::{CliError, CliResult};
use super::paths::{demo_db_path, project_dirs};
use crate::clock::{Clock, FixedClock, RunningClock, SystemClock};
use crate::config::parse_school;
use crate::demo::{DemoOptions, build};
use crate::domain::text::printable;
use crate::server::{ServeOptions, default_socket, serve};
use crate::service::{Client, Engine, os_account};
use crate::store::{Access, Store};
use crate::{keymap, tui};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// The command line's definition with the release `--version` (and the manual) names.
fn command_with_version() -> clap::Command {
    use clap::CommandFactory;
    // Built once a process (a `&'static str` for clap).
    static VERSION: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    let version = VERSION.get_or_init(|| Box::leak(crate::service::release().into_boxed_str()));
    Cli::command().version(*version)
}

/// The program: reads the command line, runs it, and says how it ended. A reader that went
/// away (`| head`) ends it quietly and successfully, whatever the format.
pub fn main() -> ExitCode {
    use clap::FromArgMatches;
    let matches = command_with_version().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    super::log::start(&cli);
    // What the command line and environment left unsaid, from the machine's configuration.
    match super::client_config::load() {
        Ok(machine) => {
            // A database named with --db (or the demo's) is meant directly, as with the
            // system socket.
            if cli.db.is_none() && !cli.demo {
                cli.socket = cli.socket.take().or(machine.socket);
            }
            cli.server_account = cli.server_account.take().or(machine.server_account);
        }
        Err(e) => {
            eprintln!("rollcall: {}", printable(&e.message()));
            return ExitCode::FAILURE;
        }
    }
    match run(&cli) {
        Ok(()) | Err(CliError::ReaderGone) => ExitCode::SUCCESS,
        Err(CliError::Failed(message)) => {
            eprintln!("rollcall: {}", printable(&message));
            ExitCode::FAILURE
        }
    }
}

fn make_demo(path: &Path, options: &DemoOptions) -> Result<(), CliError> {
    let summary = build(path, options).map_err(CliError::Failed)?;
    println!(
        "demo school at {}: {}, {} groups, {} pupils, {} marks{}",
        path.display(),
        summary.school,
        summary.groups,
        summary.pupils,
        summary.marks,
        summary
            .from
            .map(|d| format!(" from {d}"))
            .unwrap_or_default()
    );
    // The letters its stages name, where the user keeps theirs (never over one there).
    if let Some(dir) = project_dirs().map(|d| d.config_dir().join("letters")) {
        match crate::demo::letters::write_missing(&dir) {
            Ok(written) if !written.is_empty() => {
                println!("letter templates for its stages in {}", dir.display())
            }
            Ok(_) => {}
            Err(e) => eprintln!(
                "rollcall: the demo's letter templates were not written to {} ({e}): give \
                 `rollcall letter` --letters DIR",
                dir.display()
            ),
        }
    }
    Ok(())
}

/// `rollcall` with no command: the app, through a server if there is one, else on the
/// configured database or (`--demo`) the demo school.
fn open_app(cli: &Cli, clock: Arc<dyn Clock>) -> Result<(), CliError> {
    can_show_the_app()?;
    let config_dir = project_dirs().map(|d| d.config_dir().to_path_buf());
    let (keymap, notices) = keymap::load(cli.keymap.as_deref(), config_dir.as_deref());
    // `--postgres`: the trust's screen, on the trust's database, not a school's.
    if let Some(url) = &cli.postgres {
        return super::trust::view(Some(url), None, None, 96.0, clock.now().date(), &keymap);
    }
    let db = db_path(cli)?;
    if let Some(socket) = server_socket(cli, &db) {
        let client = remote_client(cli, &socket, true)?;
        return tui::run(client, None, keymap, notices).map_err(CliError::Failed);
    }
    if cli.demo && !db.exists() {
        let options = DemoOptions {
            pupils: 180,
            weeks: 12,
            years: None,
            seed: 1,
            account: os_account(),
            now: clock.now(),
            progress: true,
            secondary: false,
        };
        make_demo(&db, &options)?;
    }
    let engine = open_engine(&db, clock.clone(), Access::ReadWrite, false)?;
    let client = Client::local(engine, os_account());
    tui::run(client, Some((clock, cli.now.is_some())), keymap, notices).map_err(CliError::Failed)
}

/// The commands that need neither the school's database nor its server: a health check, the
/// national codes, the manual, completions, and checking a copy. `None`: not one of them.
fn without_the_database(cli: &Cli, command: &Command) -> Option<Result<(), CliError>> {
    Some(match command {
        Command::Doctor => super::doctor::run(cli),
        // The national codes are the same for every school: no database needed.
        Command::Codes => {
            super::school::write_codes(&mut super::output::Printable::new(std::io::stdout().lock()))
        }
        Command::Man => print_manual(),
        Command::Completions { shell } => print_completions(*shell),
        Command::Check { file } => check_copy(file),
        // The trust's figures come from its own database, not a school's.
        Command::Trust(trust) => {
            let config_dir = project_dirs().map(|d| d.config_dir().to_path_buf());
            let (keymap, _) = keymap::load(cli.keymap.as_deref(), config_dir.as_deref());
            super::trust::run(trust, make_clock(cli).now().date(), &keymap)
        }
        _ => return None,
    })
}

/// The manual, from the same clap definitions as --help, so the two never disagree.
fn print_manual() -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command_with_version())
        .render(&mut out)
        .map_err(|e| CliError::Failed(format!("the manual page: {e}")))?;
    crate::cli::output::write_stdout(&out)
}

fn print_completions(shell: CompletionShell) -> Result<(), CliError> {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command_with_version(), "rollcall", &mut out);
    crate::cli::output::write_stdout(&out)
}

/// `rollcall check FILE`: the copy whole, and the schema it was written with.
fn check_copy(file: &Path) -> Result<(), CliError> {
    let c = crate::store::backup::check(file).map_err(|e| CliError::Failed(e.to_string()))?;
    let upgrade = if c.schema < crate::store::schema::SCHEMA_VERSION {
        format!(
            " (this rollcall's is {}: the first write upgrades it, keeping a copy)",
            crate::store::schema::SCHEMA_VERSION
        )
    } else {
        String::new()
    };
    println!(
        "{}: whole: schema {}{upgrade}, {} pupils, {} staff, {} marks in {} pupil-months, {} changes",
        file.display(),
        c.schema,
        c.pupils,
        c.staff,
        c.marks,
        c.months,
        c.changes
    );
    Ok(())
}

fn run(cli: &Cli) -> Result<(), CliError> {
    let clock = make_clock(cli);
    let Some(command) = &cli.command else {
        return open_app(cli, clock);
    };
    if let Some(done) = without_the_database(cli, command) {
        return done;
    }
    match command {
        Command::Demo {
            pupils,
            weeks,
            years,
            seed,
            replace,
            secondary,
        } => {
            let path = match &cli.db {
                Some(p) => p.clone(),
                None => demo_db_path()?,
            };
            if path.exists() {
                if !replace {
                    return Err(CliError::Failed(format!(
                        "{} already exists: pass --replace to rebuild it, or --db for another file",
                        path.display()
                    )));
                }
                std::fs::remove_file(&path)
                    .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
            }
            let options = DemoOptions {
                pupils: (*pupils).clamp(1, 5000),
                weeks: *weeks,
                years: years.map(|y| y.clamp(1, 10)),
                seed: *seed,
                account: os_account(),
                now: clock.now(),
                progress: true,
                secondary: *secondary,
            };
            make_demo(&path, &options)
        }
        Command::Serve { group, backup_dir } => {
            let db = db_path(cli)?;
            let mut engine = open_engine(&db, clock, Access::ReadWrite, true)?;
            if let (Some(dir), Some(e)) = (backup_dir, Arc::get_mut(&mut engine)) {
                e.set_backup_dir(std::path::absolute(dir).unwrap_or_else(|_| dir.clone()));
            }
            // What a killed rollcall left half-built beside the database or in the backups.
            let db_dir = db.parent().map(Path::to_path_buf).unwrap_or_default();
            let temp = std::env::temp_dir();
            for dir in [db_dir.as_path(), engine.backup_dir(), temp.as_path()] {
                for left in crate::store::clean_partial(dir) {
                    log::info!(
                        "removed {}, left by a process that was stopped",
                        left.display()
                    );
                }
            }
            let backups = engine.backup_dir().to_path_buf();
            log_stop_on_signal();
            let options = ServeOptions {
                socket: cli.socket.clone().unwrap_or_else(|| default_socket(&db)),
                group: group.clone(),
            };
            serve(engine, &options, || {
                log::info!(
                    "rollcall {} serving {} on {} (group {}, backups in {}, clock {})",
                    crate::service::release(),
                    db.display(),
                    options.socket.display(),
                    options
                        .group
                        .as_deref()
                        .unwrap_or("none: the socket is 0600"),
                    backups.display(),
                    if cli.now.is_some() || cli.start_at.is_some() {
                        "set by --now"
                    } else {
                        "the system's"
                    },
                );
            })
            .map_err(CliError::Failed)
        }
        command => {
            let db = db_path(cli)?;
            let socket = server_socket(cli, &db);
            if let Command::Init { school } = command {
                // Check the file before creating anything: a bad configuration saves nothing.
                let source = crate::files::read_utf8(school).map_err(CliError::Failed)?;
                parse_school(&school.display().to_string(), &source)
                    .map_err(|e| CliError::Failed(e.to_string()))?;
                // A new school's database is created whole, or not at all.
                if socket.is_none() && std::fs::symlink_metadata(&db).is_err() {
                    Store::create(&db, &source).map_err(|e| CliError::Failed(e.to_string()))?;
                }
            }
            let mut client = match socket {
                Some(socket) => remote_client(cli, &socket, false)?,
                None => {
                    let engine: Arc<Engine> =
                        open_engine(&db, clock.clone(), command.access(), false)?;
                    Client::local(engine, os_account())
                }
            };
            run_command(cli, command, &mut client, &clock)
        }
    }
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
    let mut store = Store::open(path, access).map_err(|e| CliError::Failed(e.to_string()))?;
    if server {
        // A server's log is its standard error (the journal, under systemd).
        store.set_log(Box::new(|line| log::error!("{line}")));
    }
    Ok(Arc::new(Engine::new(store, clock, server)?))
}

/// A server stopped by `systemctl stop` (SIGTERM), ctrl+c or a hang-up says so in its log and
/// ends: every mark it replied "saved" to is already on disk, and one in flight was never
/// acknowledged (its client looks once it is back).
fn log_stop_on_signal() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = match signal {
                SIGTERM => "SIGTERM",
                SIGINT => "SIGINT",
                _ => "SIGHUP",
            };
            log::info!("stopping on {name}: every saved mark is on disk");
            std::process::exit(0);
        }
    });
}

/// The app needs a terminal it can draw on: said before anything opens, with what to do,
/// rather than a terminal library's "No such device or address" or a screen of escapes.
fn can_show_the_app() -> Result<(), CliError> {
    use std::io::IsTerminal;
    let commands = "or use the commands (`rollcall --help`; `rollcall man`)";
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Err(CliError::Failed(format!(
            "this terminal (TERM=dumb) cannot show the app: set TERM to what it is \
             (xterm-256color, linux, vt100), {commands}"
        )));
    }
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(CliError::Failed(format!(
            "the app needs a terminal: over SSH, connect with `ssh -t` (`ssh -t \
             school-server rollcall`), {commands}"
        )));
    }
    Ok(())
}

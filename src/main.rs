use clap::Parser;
use rollcall::cli::{
    Cli, CliError, Command, default_db_path, demo_db_path, make_clock, open_engine, project_dirs,
    run_command,
};
use rollcall::clock::Clock;
use rollcall::config::parse_school;
use rollcall::demo::{DemoOptions, build};
use rollcall::service::{Client, os_account};
use rollcall::store::Store;
use rollcall::{keymap, tui};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("rollcall: {message}");
            ExitCode::FAILURE
        }
    }
}

fn make_demo(path: &Path, options: &DemoOptions) -> Result<(), CliError> {
    let store = Store::open(path).map_err(|e| CliError(e.to_string()))?;
    let summary = build(&store, options).map_err(CliError)?;
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
    Ok(())
}

/// `rollcall` with no command: the app, on the configured database or (`--demo`) the demo.
fn open_app(cli: &Cli, clock: Arc<dyn Clock>) -> Result<(), CliError> {
    let db = match (&cli.db, cli.demo) {
        (Some(path), _) => path.clone(),
        (None, true) => demo_db_path()?,
        (None, false) => default_db_path()?,
    };
    if cli.demo && !db.exists() {
        let options = DemoOptions {
            pupils: 180,
            weeks: 12,
            seed: 1,
            account: os_account(),
            now: clock.now(),
        };
        make_demo(&db, &options)?;
    }
    let engine = open_engine(&db, clock.clone(), false)?;
    let client = Client::local(engine, os_account());
    let config_dir = project_dirs().map(|d| d.config_dir().to_path_buf());
    let (keymap, notices) = keymap::load(cli.keymap.as_deref(), config_dir.as_deref());
    tui::run(client, clock, cli.now.is_some(), keymap, notices).map_err(CliError)
}

fn run(cli: &Cli) -> Result<(), CliError> {
    let clock = make_clock(cli);
    if let Some(Command::Demo {
        pupils,
        weeks,
        seed,
        replace,
    }) = &cli.command
    {
        let path = match &cli.db {
            Some(p) => p.clone(),
            None => demo_db_path()?,
        };
        if path.exists() {
            if !replace {
                return Err(CliError(format!(
                    "{} already exists: pass --replace to rebuild it, or --db for another file",
                    path.display()
                )));
            }
            std::fs::remove_file(&path)
                .map_err(|e| CliError(format!("{}: {e}", path.display())))?;
        }
        let options = DemoOptions {
            pupils: (*pupils).clamp(1, 5000),
            weeks: *weeks,
            seed: *seed,
            account: os_account(),
            now: clock.now(),
        };
        return make_demo(&path, &options);
    }
    let Some(command) = &cli.command else {
        return open_app(cli, clock);
    };
    let db = match &cli.db {
        Some(path) => path.clone(),
        None => default_db_path()?,
    };
    let create = match command {
        Command::Init { school } => {
            // Check the file before creating anything: a bad configuration saves nothing.
            let source = std::fs::read_to_string(school)
                .map_err(|e| CliError(format!("{}: {e}", school.display())))?;
            parse_school(&school.display().to_string(), &source)
                .map_err(|e| CliError(e.to_string()))?;
            true
        }
        _ => false,
    };
    let engine = open_engine(&db, clock.clone(), create)?;
    let mut client = Client::local(engine, os_account());
    run_command(cli, command, &mut client, &clock)
}

use clap::Parser;
use rollcall::cli::{
    Cli, CliError, Command, default_db_path, make_clock, open_engine, run_command,
};
use rollcall::service::{Client, os_account};
use std::process::ExitCode;

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

fn run(cli: &Cli) -> Result<(), CliError> {
    let clock = make_clock(cli);
    let Some(command) = &cli.command else {
        return Err(CliError(
            "the app is not built yet: use a subcommand (see --help)".into(),
        ));
    };
    let db = match &cli.db {
        Some(path) => path.clone(),
        None => default_db_path()?,
    };
    let create = matches!(command, Command::Init { .. });
    let engine = open_engine(&db, clock.clone(), create)?;
    let mut client = Client::local(engine, os_account());
    run_command(cli, command, &mut client, &clock)
}

//! Levelled logs on standard error (`log`, written by `env_logger`): what a server did, for
//! the journal. Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog
//! priority (`<4>`), which the journal reads as the line's level; elsewhere with
//! `rollcall serve:` (or `rollcall:`) and the level when it is not plain information.
//!
//! `serve` logs its start (release, database, socket, group, backups, clock), refused
//! connections, upgrades, backups, failing and recovering writes, and its stop; a command
//! logs warnings only (an upgrade). `-v` shows one level more, `-vv` two; `-q` errors only.
//! `RUST_LOG` (env_logger's own variable) overrides both.

use super::args::{Cli, Command};
use log::{Level, LevelFilter};
use std::io::Write;

pub fn start(cli: &Cli) {
    let serving = matches!(cli.command, Some(Command::Serve { .. }));
    let base = if serving { 3 } else { 2 };
    let level = if cli.quiet {
        1
    } else {
        base + usize::from(cli.verbose)
    };
    let filter = [
        LevelFilter::Off,
        LevelFilter::Error,
        LevelFilter::Warn,
        LevelFilter::Info,
        LevelFilter::Debug,
        LevelFilter::Trace,
    ][level.min(5)];
    let journal = std::env::var_os("JOURNAL_STREAM").is_some();
    let who = if serving {
        "rollcall serve"
    } else {
        "rollcall"
    };
    let _ = env_logger::Builder::new()
        .filter_level(filter)
        .parse_env("RUST_LOG")
        .format(move |out, record| {
            let message = record.args().to_string();
            let text = crate::domain::text::printable(&message);
            if journal {
                let priority = match record.level() {
                    Level::Error => 3,
                    Level::Warn => 4,
                    Level::Info => 6,
                    Level::Debug | Level::Trace => 7,
                };
                return writeln!(out, "<{priority}>{text}");
            }
            match record.level() {
                Level::Info => writeln!(out, "{who}: {text}"),
                level => writeln!(out, "{who}: {}: {text}", level.as_str().to_lowercase()),
            }
        })
        .try_init();
}

//! Finding what to talk to: the database a command means, the server to use if there is
//! one, and a client connected to it that has compared releases with it.

use super::args::Cli;
use super::error::CliError;
use super::paths::{default_db_path, demo_db_path};
use crate::server::default_socket;
use crate::service::Client;
use crate::service::remote::{Remote, Trust};
use std::path::{Path, PathBuf};

/// Where a school server's socket lives when it is installed as a system service.
const SYSTEM_SOCKET: &str = "/run/rollcall/rollcall.sock";

pub(super) fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    match (&cli.db, cli.demo) {
        (Some(path), _) => Ok(path.clone()),
        (None, true) => demo_db_path(),
        (None, false) => default_db_path(),
    }
}

/// The server to use, if one is configured (`--socket`, `ROLLCALL_SOCKET`, the system
/// socket) or running for this database (`DB.sock` answering).
pub(super) fn server_socket(cli: &Cli, db: &Path) -> Option<PathBuf> {
    if let Some(socket) = &cli.socket {
        return Some(socket.clone());
    }
    if let Some(socket) = std::env::var_os("ROLLCALL_SOCKET").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(socket));
    }
    if cli.db.is_none() && !cli.demo && Path::new(SYSTEM_SOCKET).exists() {
        return Some(PathBuf::from(SYSTEM_SOCKET));
    }
    let beside = default_socket(db);
    (beside.exists() && std::os::unix::net::UnixStream::connect(&beside).is_ok()).then_some(beside)
}

/// A client of the server at `socket`. A command says on standard error when the server runs
/// another release; the app (`for_app`) says it on its first screen instead.
pub(super) fn remote_client(cli: &Cli, socket: &Path, for_app: bool) -> Result<Client, CliError> {
    if cli.now.is_some() || cli.start_at.is_some() {
        return Err(CliError::Failed(format!(
            "the server at {} keeps the time: give --now to `rollcall serve`, not to its clients",
            socket.display()
        )));
    }
    let trust = Trust::standard(cli.server_account.clone());
    // Client and server compare releases on connecting: a difference is said, not refused
    // (the protocol keeps old fields readable), with what to do about it. A server closes a
    // connection whose account it refuses: then the command gets that refusal, with its
    // reason, on a connection of its own.
    let mut client = Client::new(Box::new(Remote::connect_trusting(socket, trust.clone())?));
    if for_app {
        // The app's own first request is its hello, and it says a difference on screen.
        return Ok(client);
    }
    match client.hello() {
        Ok(hello) => {
            if let Some(notice) = crate::service::release_differs(
                &hello.version,
                &format!("the server at {}", socket.display()),
            ) {
                eprintln!("rollcall: {notice}");
            }
            Ok(client)
        }
        Err(_) => Ok(Client::new(Box::new(Remote::connect_trusting(
            socket, trust,
        )?))),
    }
}

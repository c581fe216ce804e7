//! One interface to the rules, local or remote.
//!
//! A [`Client`] sends [`Request`]s through a [`Transport`]: straight to an in-process
//! [`Engine`] for single-user use, or over a Unix socket to `rollcall serve`. The CLI and the
//! app only ever hold a `Client`, so whether a server is involved changes nothing above here.

mod account;
pub mod archive;
pub mod characteristics;
mod client;
pub mod contacts;
pub mod ctf;
pub mod engine;
mod error;
pub mod guard;
pub mod import;
pub mod lesson_files;
pub mod protocol;
pub mod remote;
pub mod report_columns;
pub mod wire;

pub use account::os_account;
pub use client::{Client, Local, Notice, Transport};
pub use engine::{Engine, Sight};
pub(crate) use error::expect_reply;
pub use error::{Result, ServiceError};

/// The release, the commit it was built from, and the database schema it reads and writes
/// (a file of a later schema needs a later rollcall): what `--version` says and what client
/// and server compare on connecting.
pub fn release() -> String {
    format!(
        "{} (commit {}, database schema {})",
        env!("CARGO_PKG_VERSION"),
        env!("ROLLCALL_COMMIT"),
        crate::store::schema::SCHEMA_VERSION
    )
}

/// What a client says when the server it reached (`which`: "the server at PATH") runs another
/// release (`None`: the same). A server from before releases were compared says none.
pub fn release_differs(server: &str, which: &str) -> Option<String> {
    let mine = release();
    if server == mine {
        return None;
    }
    let theirs = if server.is_empty() {
        "an older rollcall (one that does not say its release)".to_string()
    } else {
        format!("rollcall {server}")
    };
    Some(format!(
        "{which} runs {theirs}; this is rollcall {mine}. Marks still work, but install the \
         same release on both (the school's technician: upgrade the package, then restart the \
         server: `systemctl restart rollcall`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_says_when_the_server_runs_another_release_and_what_to_do() {
        let socket = "the server at /run/rollcall/rollcall.sock";
        assert_eq!(release_differs(&release(), socket), None);
        let older = release_differs("", socket).unwrap();
        assert!(older.contains("an older rollcall"), "{older}");
        let other = release_differs("0.0.9 (commit abc, database schema 7)", socket).unwrap();
        assert!(other.contains("runs rollcall 0.0.9"), "{other}");
        assert!(other.contains(&release()), "{other}");
        assert!(other.contains("systemctl restart rollcall"), "{other}");
    }
}

//! What a command's failure is: a message for the person (exit status 1), or the reader of
//! its output gone away (`| head`: what it wanted was printed; leave quietly, status 0). The
//! broken pipe is decided here, once, for every way a command writes.

use crate::service::ServiceError;
use std::io::ErrorKind;

#[derive(Debug)]
pub enum CliError {
    /// Printed as `rollcall: MESSAGE`, exit status 1.
    Failed(String),
    /// Standard output was closed by its reader: anything the command saved was saved
    /// before printing; it ends quietly, as Unix tools do.
    ReaderGone,
}

pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// The message, as printed.
    pub fn message(&self) -> String {
        match self {
            CliError::Failed(message) => message.clone(),
            CliError::ReaderGone => "the reader of the output went away".into(),
        }
    }

    /// A failure to write output, `what` saying what was being written.
    pub fn writing(what: &str, e: &std::io::Error) -> CliError {
        match e.kind() {
            ErrorKind::BrokenPipe => CliError::ReaderGone,
            _ => CliError::Failed(format!("writing {what}: {e}")),
        }
    }
}

impl From<ServiceError> for CliError {
    fn from(e: ServiceError) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            ErrorKind::BrokenPipe => CliError::ReaderGone,
            _ => CliError::Failed(e.to_string()),
        }
    }
}

impl From<csv::Error> for CliError {
    fn from(e: csv::Error) -> Self {
        match e.kind() {
            csv::ErrorKind::Io(io) => CliError::writing("CSV", io),
            _ => CliError::Failed(format!("writing CSV: {e}")),
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(ErrorKind::BrokenPipe) => CliError::ReaderGone,
            _ => CliError::Failed(format!("writing JSON: {e}")),
        }
    }
}

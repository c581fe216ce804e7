//! What commands read besides their arguments: files, spreadsheets' CSV, and today's date.

use super::error::{CliError, CliResult};
use crate::clock::Clock;
use crate::service::Client;
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Arc;

/// A data file in UTF-8 (a transfer file).
pub fn read_file(path: &Path) -> CliResult<String> {
    crate::files::read_data_utf8(path).map_err(CliError::Failed)
}

/// A file saved by a spreadsheet, in whichever encoding it chose; how it was read, if not
/// plain UTF-8, is said on stderr.
pub fn read_spreadsheet(path: &Path) -> CliResult<String> {
    let name = path.display().to_string();
    let bytes =
        crate::files::read_bounded(path, crate::files::DATA_LIMIT).map_err(CliError::Failed)?;
    let text = crate::files::spreadsheet_owned(&name, bytes).map_err(CliError::Failed)?;
    if let Some(note) = text.note {
        eprintln!("rollcall: {note}");
    }
    Ok(text.text)
}

/// "Today" is the clock of whoever keeps the register: the server's, when there is one.
pub fn today(client: &mut Client, clock: &Arc<dyn Clock>) -> CliResult<NaiveDate> {
    if client.is_remote() {
        let (crate::clock::ClockInfo::Fixed(t) | crate::clock::ClockInfo::Running(t)) =
            client.hello()?.clock;
        Ok(t.date())
    } else {
        Ok(clock.now().date())
    }
}

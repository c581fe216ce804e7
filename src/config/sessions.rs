//! The `[sessions]` section: each session's opening, register and closing times, checked
//! against the 30-minute rule (SPEC §1).

use super::raw::{RawSessions, RawTimes};
use super::reader::{ConfigError, Reader};
use crate::domain::session::{SessionPlan, SessionTimes, TimingError};

pub(super) fn read_sessions(r: &mut Reader, raw: &RawSessions) -> Result<SessionPlan, ConfigError> {
    let mut times = |session: &str, raw: &RawTimes| -> Result<SessionTimes, ConfigError> {
        Ok(SessionTimes {
            opens_at: r.time(&format!("sessions.{session}.opens_at"), &raw.opens_at)?,
            register_at: r.time(&format!("sessions.{session}.register_at"), &raw.register_at)?,
            closes_at: r.time(&format!("sessions.{session}.closes_at"), &raw.closes_at)?,
        })
    };
    let sessions = SessionPlan {
        am: times("am", &raw.am)?,
        pm: times("pm", &raw.pm)?,
    };
    if let Err(TimingError::Field { field, message }) = sessions.validate() {
        let line = r.lines.get(&field).copied().unwrap_or(1);
        return Err(ConfigError {
            file: r.file.to_string(),
            line,
            message: format!("{field}: {message}"),
        });
    }
    Ok(sessions)
}

//! Sessions and the timing rules of a register (SPEC §1).
//!
//! Times are compared in whole minutes: a pupil who arrives in the minute of `register_at` is
//! present, one who arrives in the minute of `closes_at` is still late, and from the next minute
//! the arrival is `U`. The register is therefore open for late arrivals until `closes_at` has
//! passed, which is how the seed policies word it ("after 9:30 ... U").

use super::codes::Code;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest the register may stay open after it begins (DfE guidance, SPEC §1).
pub const MAX_OPEN_MINUTES: u32 = 30;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Session {
    #[default]
    Am,
    Pm,
}

impl Session {
    pub const BOTH: [Session; 2] = [Session::Am, Session::Pm];

    /// The present code for this session: `/` in the morning, `\` in the afternoon.
    pub fn present_code(self) -> Code {
        match self {
            Session::Am => Code::PresentAm,
            Session::Pm => Code::PresentPm,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Session::Am => "am",
            Session::Pm => "pm",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Session::Am => "AM",
            Session::Pm => "PM",
        }
    }

    pub fn index(self) -> u8 {
        match self {
            Session::Am => 0,
            Session::Pm => 1,
        }
    }

    pub fn from_index(index: u8) -> Option<Session> {
        match index {
            0 => Some(Session::Am),
            1 => Some(Session::Pm),
            _ => None,
        }
    }

    pub fn other(self) -> Session {
        match self {
            Session::Am => Session::Pm,
            Session::Pm => Session::Am,
        }
    }
}

impl fmt::Display for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Session {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "am" => Ok(Session::Am),
            "pm" => Ok(Session::Pm),
            other => Err(format!("`{other}` is not a session: use am or pm")),
        }
    }
}

/// The three times of one session's register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTimes {
    /// Teachers may start marking.
    pub opens_at: NaiveTime,
    /// The register begins: present now is `/` or `\`, later arrivals are late.
    pub register_at: NaiveTime,
    /// The register ends: later arrivals are `U`.
    pub closes_at: NaiveTime,
}

/// Where the clock stands relative to one session's register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Before `opens_at`: teachers cannot mark yet.
    BeforeOpen,
    /// From `opens_at` to `register_at` inclusive: arrivals are present.
    Open,
    /// After `register_at`, up to and including the minute of `closes_at`: arrivals are late.
    LateWindow,
    /// After `closes_at`: the teacher can no longer mark; arrivals are `U`.
    Closed,
}

/// What an arrival time means for the mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalMark {
    /// `/`, `\`, `L` or `U`.
    pub code: Code,
    /// Minutes after `register_at`, for `L` and `U`.
    pub minutes_late: Option<u32>,
}

fn minute_of_day(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Truncates a time to its minute, the resolution every register rule works in.
pub fn to_minute(t: NaiveTime) -> NaiveTime {
    NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).unwrap_or(t)
}

impl SessionTimes {
    /// Whether this session on `date` has opened by `now`: before then nothing has happened
    /// in it, so it counts in no figure and only planned absences can be entered for it.
    pub fn has_begun(&self, date: NaiveDate, now: NaiveDateTime) -> bool {
        date.and_time(self.opens_at) <= now
    }

    /// Minutes between the register beginning and it closing.
    pub fn open_minutes(&self) -> i64 {
        i64::from(minute_of_day(self.closes_at)) - i64::from(minute_of_day(self.register_at))
    }

    pub fn phase_at(&self, now: NaiveTime) -> Phase {
        let now = minute_of_day(now);
        if now < minute_of_day(self.opens_at) {
            Phase::BeforeOpen
        } else if now <= minute_of_day(self.register_at) {
            Phase::Open
        } else if now <= minute_of_day(self.closes_at) {
            Phase::LateWindow
        } else {
            Phase::Closed
        }
    }

    /// The mark an arrival at `arrived` earns: decided by the clock, never chosen.
    pub fn arrival_mark(&self, session: Session, arrived: NaiveTime) -> ArrivalMark {
        let arrived = minute_of_day(arrived);
        let register_at = minute_of_day(self.register_at);
        if arrived <= register_at {
            ArrivalMark {
                code: session.present_code(),
                minutes_late: None,
            }
        } else {
            let code = if arrived <= minute_of_day(self.closes_at) {
                Code::L
            } else {
                Code::U
            };
            ArrivalMark {
                code,
                minutes_late: Some(arrived - register_at),
            }
        }
    }

    /// Minutes late for an arrival time, if after the register began.
    pub fn minutes_late(&self, arrived: NaiveTime) -> Option<u32> {
        minute_of_day(arrived)
            .checked_sub(minute_of_day(self.register_at))
            .filter(|m| *m > 0)
    }
}

/// A school's two sessions, validated against the guidance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPlan {
    pub am: SessionTimes,
    pub pm: SessionTimes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimingError {
    #[error("{field}: {message}")]
    Field { field: String, message: String },
}

fn field_error(field: impl Into<String>, message: impl Into<String>) -> TimingError {
    TimingError::Field {
        field: field.into(),
        message: message.into(),
    }
}

impl SessionPlan {
    pub fn times(&self, session: Session) -> &SessionTimes {
        match session {
            Session::Am => &self.am,
            Session::Pm => &self.pm,
        }
    }

    /// The session a time of day belongs to: the afternoon once it opens, else the morning.
    pub fn session_at(&self, time: chrono::NaiveTime) -> Session {
        if time >= self.pm.opens_at {
            Session::Pm
        } else {
            Session::Am
        }
    }

    /// Whether a session has opened by `now` (see [`SessionTimes::has_begun`]).
    pub fn has_begun(&self, date: NaiveDate, session: Session, now: NaiveDateTime) -> bool {
        self.times(session).has_begun(date, now)
    }

    /// Checks the order of each session's times, that the register stays open the same time
    /// in both sessions, at most 30 minutes, and that the morning ends before the afternoon.
    pub fn validate(&self) -> Result<(), TimingError> {
        self.validate_as("sessions")
    }

    /// As [`SessionPlan::validate`], naming fields under `section` (`timings[0]`).
    pub fn validate_as(&self, section: &str) -> Result<(), TimingError> {
        for session in Session::BOTH {
            let t = self.times(session);
            let prefix = format!("{section}.{session}");
            if t.opens_at > t.register_at {
                return Err(field_error(
                    format!("{prefix}.opens_at"),
                    format!(
                        "{} is after register_at {}: teachers must be able to mark before the register begins",
                        hm(t.opens_at),
                        hm(t.register_at)
                    ),
                ));
            }
            if t.closes_at <= t.register_at {
                return Err(field_error(
                    format!("{prefix}.closes_at"),
                    format!(
                        "{} is not after register_at {}",
                        hm(t.closes_at),
                        hm(t.register_at)
                    ),
                ));
            }
            let open = t.open_minutes();
            if open > i64::from(MAX_OPEN_MINUTES) {
                return Err(field_error(
                    format!("{prefix}.closes_at"),
                    format!(
                        "the register stays open {open} minutes ({} to {}); the guidance allows at most {MAX_OPEN_MINUTES}",
                        hm(t.register_at),
                        hm(t.closes_at)
                    ),
                ));
            }
        }
        let (am, pm) = (self.am.open_minutes(), self.pm.open_minutes());
        if am != pm {
            return Err(field_error(
                format!("{section}.pm.closes_at"),
                format!(
                    "the register stays open {pm} minutes in the afternoon but {am} in the morning; \
                     the guidance requires the same time for every session"
                ),
            ));
        }
        if self.am.closes_at >= self.pm.opens_at {
            return Err(field_error(
                format!("{section}.pm.opens_at"),
                format!(
                    "{} is not after the morning register closes at {}",
                    hm(self.pm.opens_at),
                    hm(self.am.closes_at)
                ),
            ));
        }
        Ok(())
    }
}

/// Formats a time as `HH:MM`.
pub fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Parses `HH:MM` (also `H:MM`), the only time format rollcall accepts.
/// A time as people type it into a field: `9:10`, `09:10`, `9.10`, `910` or `0910`.
/// Configuration files keep to [`parse_hm`]; this is for people at a keyboard.
pub fn parse_typed_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (hours, minutes) = match s.find([':', '.']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        // Digits only: the last two are minutes.
        None if (3..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.split_at(s.len() - 2)
        }
        None => return None,
    };
    let digits = |t: &str, most: usize| {
        (!t.is_empty() && t.len() <= most && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let (h, m) = (digits(hours, 2)?, digits(minutes, 2)?);
    if minutes.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

pub fn parse_hm(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    NaiveTime::from_hms_opt(h, m, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveTime {
        parse_hm(s).unwrap()
    }

    #[test]
    fn times_are_read_as_people_type_them() {
        for typed in ["9:10", "09:10", "9.10", "910", "0910", " 09:10 "] {
            assert_eq!(parse_typed_time(typed), Some(t("09:10")), "{typed:?}");
        }
        assert_eq!(parse_typed_time("1305"), Some(t("13:05")));
        for wrong in [
            "", "9", "91", "9:1", "25:00", "9:60", "09100", "9:10am", "-9:10", "9..10", "９:10",
            "é1", "éé",
        ] {
            assert_eq!(parse_typed_time(wrong), None, "{wrong:?}");
        }
    }

    fn nine_to_half_past() -> SessionTimes {
        SessionTimes {
            opens_at: t("08:45"),
            register_at: t("09:00"),
            closes_at: t("09:30"),
        }
    }

    fn plan(am_close: &str, pm_close: &str) -> SessionPlan {
        SessionPlan {
            am: SessionTimes {
                opens_at: t("08:45"),
                register_at: t("09:00"),
                closes_at: t(am_close),
            },
            pm: SessionTimes {
                opens_at: t("13:00"),
                register_at: t("13:10"),
                closes_at: t(pm_close),
            },
        }
    }

    #[test]
    fn arrival_exactly_at_register_at_is_present() {
        let m = nine_to_half_past().arrival_mark(Session::Am, t("09:00"));
        assert_eq!(
            m,
            ArrivalMark {
                code: Code::PresentAm,
                minutes_late: None
            }
        );
        let m = nine_to_half_past().arrival_mark(Session::Pm, t("08:59"));
        assert_eq!(m.code, "\\");
    }

    #[test]
    fn arrival_one_minute_after_register_at_is_late_by_one_minute() {
        let m = nine_to_half_past().arrival_mark(Session::Am, t("09:01"));
        assert_eq!(
            m,
            ArrivalMark {
                code: Code::L,
                minutes_late: Some(1)
            }
        );
    }

    #[test]
    fn arrival_exactly_at_closes_at_is_still_late() {
        let m = nine_to_half_past().arrival_mark(Session::Am, t("09:30"));
        assert_eq!(
            m,
            ArrivalMark {
                code: Code::L,
                minutes_late: Some(30)
            }
        );
    }

    #[test]
    fn arrival_one_minute_after_closes_at_is_u() {
        let m = nine_to_half_past().arrival_mark(Session::Am, t("09:31"));
        assert_eq!(
            m,
            ArrivalMark {
                code: Code::U,
                minutes_late: Some(31)
            }
        );
    }

    #[test]
    fn seconds_do_not_move_a_boundary() {
        let times = nine_to_half_past();
        let just_before_close = NaiveTime::from_hms_opt(9, 30, 59).unwrap();
        assert_eq!(times.arrival_mark(Session::Am, just_before_close).code, "L");
        assert_eq!(times.phase_at(just_before_close), Phase::LateWindow);
    }

    #[test]
    fn phases_follow_the_three_times() {
        let times = nine_to_half_past();
        assert_eq!(times.phase_at(t("08:44")), Phase::BeforeOpen);
        assert_eq!(times.phase_at(t("08:45")), Phase::Open);
        assert_eq!(times.phase_at(t("09:00")), Phase::Open);
        assert_eq!(times.phase_at(t("09:01")), Phase::LateWindow);
        assert_eq!(times.phase_at(t("09:30")), Phase::LateWindow);
        assert_eq!(times.phase_at(t("09:31")), Phase::Closed);
    }

    #[test]
    fn a_thirty_minute_window_in_both_sessions_is_accepted() {
        assert_eq!(plan("09:30", "13:40").validate(), Ok(()));
    }

    #[test]
    fn a_window_of_31_minutes_is_refused_naming_the_field() {
        let err = plan("09:31", "13:41").validate().unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("sessions.am.closes_at:"), "{text}");
        assert!(text.contains("31 minutes"), "{text}");
    }

    #[test]
    fn windows_of_different_length_are_refused() {
        let err = plan("09:30", "13:35").validate().unwrap_err().to_string();
        assert!(err.starts_with("sessions.pm.closes_at:"), "{err}");
        assert!(err.contains("25 minutes in the afternoon but 30"), "{err}");
    }

    #[test]
    fn register_at_after_closes_at_is_refused() {
        let err = plan("08:59", "13:09").validate().unwrap_err().to_string();
        assert!(err.starts_with("sessions.am.closes_at:"), "{err}");
    }

    #[test]
    fn times_parse_only_as_hh_mm() {
        assert_eq!(parse_hm("9:05"), Some(t("09:05")));
        assert_eq!(parse_hm("24:00"), None);
        assert_eq!(parse_hm("09:5"), None);
        assert_eq!(parse_hm("0905"), None);
    }
}

//! The one place the program reads the time. Everything else is handed a [`Clock`], so tests and
//! demos fix it (`--now`) and the rules never read the system clock themselves.

use chrono::{Local, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};
use std::time::Instant;

pub trait Clock: Send + Sync {
    /// Local wall-clock time, to the second.
    fn now(&self) -> NaiveDateTime;

    /// How a client should reproduce this clock.
    fn describe(&self) -> ClockInfo;
}

/// A clock as it travels to a client: fixed, or running (with the server's reading, so the
/// client can correct for a skewed local clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockInfo {
    Fixed(NaiveDateTime),
    Running(NaiveDateTime),
}

fn to_second(t: NaiveDateTime) -> NaiveDateTime {
    t.with_nanosecond(0).unwrap_or(t)
}

/// The machine's local time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        to_second(Local::now().naive_local())
    }

    fn describe(&self) -> ClockInfo {
        ClockInfo::Running(self.now())
    }
}

/// A clock that never moves: `--now` for tests, demos and catching up after an outage.
pub struct FixedClock(pub NaiveDateTime);

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
    }

    fn describe(&self) -> ClockInfo {
        ClockInfo::Fixed(self.0)
    }
}

/// A clock that starts at a chosen time and runs: `--start-at`, to watch a register cross
/// 9:00 and 9:30 in a demo, or a client following a server's running clock.
pub struct RunningClock {
    start: NaiveDateTime,
    started: Instant,
}

impl RunningClock {
    pub fn starting_at(start: NaiveDateTime) -> Self {
        RunningClock {
            start,
            started: Instant::now(),
        }
    }
}

impl Clock for RunningClock {
    fn now(&self) -> NaiveDateTime {
        let elapsed = chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default();
        to_second(self.start + elapsed)
    }

    fn describe(&self) -> ClockInfo {
        ClockInfo::Running(self.now())
    }
}

/// A clock that moves only when told to: for tests that walk through a morning.
pub struct ManualClock(std::sync::Mutex<NaiveDateTime>);

impl ManualClock {
    pub fn new(t: NaiveDateTime) -> Self {
        ManualClock(std::sync::Mutex::new(t))
    }

    pub fn set(&self, t: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn describe(&self) -> ClockInfo {
        ClockInfo::Fixed(self.now())
    }
}

/// A client's copy of a server's clock.
pub fn follow(info: ClockInfo) -> Box<dyn Clock> {
    match info {
        ClockInfo::Fixed(t) => Box::new(FixedClock(t)),
        ClockInfo::Running(t) => Box::new(RunningClock::starting_at(t)),
    }
}

pub use crate::domain::dates::parse_datetime;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_parses_with_or_without_seconds() {
        let t = parse_datetime("2026-11-23T08:50").unwrap();
        assert_eq!(t.to_string(), "2026-11-23 08:50:00");
        assert!(parse_datetime("2026-11-23T08:50:30").is_ok());
        assert!(
            parse_datetime("23/11/2026")
                .unwrap_err()
                .contains("YYYY-MM-DDTHH:MM")
        );
    }

    #[test]
    fn a_fixed_clock_does_not_move_and_a_running_one_does_not_go_back() {
        let t = parse_datetime("2026-11-23T08:59").unwrap();
        assert_eq!(FixedClock(t).now(), t);
        assert!(RunningClock::starting_at(t).now() >= t);
    }
}

//! Figures from stored months: a month wholly inside the range asked for, and wholly past,
//! counts from its summary; any other month (the edges of the range, this month, a month
//! with pre-entered absences ahead) is read mark by mark. Reports, year-to-date figures and
//! the thresholds' first pass all count this way, so their cost follows pupils and months,
//! not every mark ever made.

use crate::domain::codes::Code;
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::service::error::ServiceError;
use crate::store::month::{self, MonthKey};
use chrono::{Days, NaiveDate, NaiveDateTime};

/// Which sessions count: from `from` up to the session `to` inclusive, and only sessions that
/// had begun by `now` (a planned absence ahead is in no figure yet).
#[derive(Clone, Copy)]
pub(super) struct Window<'a> {
    pub from: NaiveDate,
    pub to: (NaiveDate, Session),
    pub now: NaiveDateTime,
    /// Whose sessions have begun by `now`: the school's or any of its timings'.
    pub school: &'a crate::domain::School,
}

impl Window<'_> {
    pub fn months(&self) -> std::ops::RangeInclusive<MonthKey> {
        month::month_of(self.from)..=month::month_of(self.to.0)
    }

    /// Whether every session of the month counts: inside the range and in the past.
    fn whole(&self, m: MonthKey) -> bool {
        match (month::first_day(m), month::last_day(m)) {
            (Some(first), Some(last)) => {
                first >= self.from && last < self.to.0 && last < self.now.date()
            }
            _ => false,
        }
    }

    fn counts(&self, date: NaiveDate, session: Session) -> bool {
        date >= self.from
            && (date, session.index()) <= (self.to.0, self.to.1.index())
            && self.school.has_begun(date, session, self.now)
    }

    /// Calls `each(group id, code, sessions, date)` for what a stored month contributes:
    /// its summary when it counts whole (and names one group), else its marks one by one.
    pub fn visit(
        &self,
        m: MonthKey,
        bytes: &[u8],
        each: impl FnMut(u32, Code, u32, NaiveDate),
    ) -> Result<(), ServiceError> {
        let header = if self.whole(m) {
            Some(month::header(bytes).map_err(damaged)?)
        } else {
            None
        };
        self.visit_read(m, bytes, header.as_ref(), each)
    }

    /// [`Window::visit`] with the month's header already read by the caller (`None`: not
    /// read), so a pass that reads the header for its own sake does not read it twice.
    pub fn visit_read(
        &self,
        m: MonthKey,
        bytes: &[u8],
        header: Option<&month::Header>,
        mut each: impl FnMut(u32, Code, u32, NaiveDate),
    ) -> Result<(), ServiceError> {
        let first = month::first_day(m)
            .ok_or_else(|| ServiceError::Store(format!("month {m} is not a month")))?;
        if self.whole(m) {
            let read;
            let header = match header {
                Some(h) => h,
                None => {
                    read = month::header(bytes).map_err(damaged)?;
                    &read
                }
            };
            if !header.mixed_groups {
                for (code, n) in &header.summary.codes {
                    each(header.default_group, *code, *n, first);
                }
                return Ok(());
            }
        }
        let dates: Vec<NaiveDate> = (0..31u64).map(|d| first + Days::new(d)).collect();
        month::each_mark(bytes, |day, session, code, group, _| {
            let date = dates[usize::from(day - 1).min(30)];
            if self.counts(date, session) {
                each(group, code, 1, date);
            }
        })
        .map_err(damaged)
    }

    /// A month that counts whole, is in one group and keeps weekdays (format 2): its group
    /// and summary, for a report to add without reading its marks. `None`: read them.
    pub fn whole_summary(
        &self,
        m: MonthKey,
        bytes: &[u8],
    ) -> Result<Option<(u32, month::Summary)>, ServiceError> {
        if !self.whole(m) {
            return Ok(None);
        }
        let header = month::header(bytes).map_err(damaged)?;
        if header.mixed_groups || header.summary.weekdays.is_none() {
            return Ok(None);
        }
        Ok(Some((header.default_group, header.summary)))
    }

    /// Calls `each(group id, code, date, minutes late)` for every mark of a stored month
    /// inside the window: for figures a month's summary does not keep (weekdays).
    pub fn visit_marks(
        &self,
        m: MonthKey,
        bytes: &[u8],
        mut each: impl FnMut(u32, Code, NaiveDate, Option<u16>),
    ) -> Result<(), ServiceError> {
        let first = month::first_day(m)
            .ok_or_else(|| ServiceError::Store(format!("month {m} is not a month")))?;
        // The month's dates worked out once, not per mark.
        let dates: Vec<NaiveDate> = (0..31u64).map(|d| first + Days::new(d)).collect();
        month::each_mark(bytes, |day, session, code, group, minutes_late| {
            let date = dates[usize::from(day - 1).min(30)];
            if self.counts(date, session) {
                each(group, code, date, minutes_late);
            }
        })
        .map_err(damaged)
    }

    /// A pupil's figures over the window.
    pub fn tally(&self, r: &crate::store::Reader, pupil: u32) -> Result<Tally, ServiceError> {
        let mut tally = Tally::default();
        for m in self.months() {
            if let Some(bytes) = r.month_bytes(pupil, m)? {
                self.visit(m, &bytes, |_, code, n, date| {
                    tally.add_sessions(code, n, date)
                })?;
            }
        }
        Ok(tally)
    }
}

fn damaged(e: month::Damaged) -> ServiceError {
    ServiceError::Store(format!(
        "a stored month cannot be read ({}): restore the latest backup",
        e.0
    ))
}

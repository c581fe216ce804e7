//! The school calendar: which dates and sessions are school sessions, and counting in school
//! days and school weeks, which the thresholds of SPEC §4 are measured in.

use super::session::Session;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// An inclusive range of dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub half_terms: Vec<DateRange>,
}

/// Which sessions a planned closure covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClosureSessions {
    Am,
    Pm,
    Both,
}

impl ClosureSessions {
    pub fn covers(self, session: Session) -> bool {
        matches!(
            (self, session),
            (ClosureSessions::Both, _)
                | (ClosureSessions::Am, Session::Am)
                | (ClosureSessions::Pm, Session::Pm)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub date: NaiveDate,
    pub sessions: ClosureSessions,
    pub reason: String,
}

/// Why a session is not a school session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotInSession {
    NotASchoolWeekday,
    OutsideTerm,
    HalfTerm { term: String },
    Closure { reason: String },
}

impl std::fmt::Display for NotInSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotInSession::NotASchoolWeekday => f.write_str("not a school weekday"),
            NotInSession::OutsideTerm => f.write_str("outside the school's terms"),
            NotInSession::HalfTerm { term } => write!(f, "half term ({term})"),
            NotInSession::Closure { reason } => write!(f, "planned closure: {reason}"),
        }
    }
}

/// How far counting in school days may run past the configured terms, in calendar days, before
/// giving up: a guard against a calendar with no school days at all.
const COUNTING_LIMIT_DAYS: u64 = 3 * 366;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// School weekdays, Monday first.
    pub weekdays: [bool; 7],
    /// Sorted by start date, not overlapping.
    pub terms: Vec<Term>,
    pub closures: Vec<Closure>,
    /// School days counted once, so counting between two dates costs the same for a week
    /// or six years (the N queue, the thresholds).
    #[serde(skip)]
    pub counts: DayCounts,
}

/// Running counts of school days over the configured terms, built on first use.
#[derive(Default)]
pub struct DayCounts(std::sync::OnceLock<(NaiveDate, Vec<u32>)>);

impl Clone for DayCounts {
    fn clone(&self) -> Self {
        DayCounts::default()
    }
}

impl std::fmt::Debug for DayCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DayCounts")
    }
}

/// Counts are derived from the calendar: two calendars with the same terms are equal.
impl PartialEq for DayCounts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DayCounts {}

impl Calendar {
    fn is_weekday(&self, date: NaiveDate) -> bool {
        self.weekdays[date.weekday().num_days_from_monday() as usize]
    }

    pub fn term_containing(&self, date: NaiveDate) -> Option<&Term> {
        self.terms.iter().find(|t| t.start <= date && date <= t.end)
    }

    /// Whether a session is a register session, and if not, why.
    pub fn check_session(&self, date: NaiveDate, session: Session) -> Result<(), NotInSession> {
        if !self.is_weekday(date) {
            return Err(NotInSession::NotASchoolWeekday);
        }
        let term = self
            .term_containing(date)
            .ok_or(NotInSession::OutsideTerm)?;
        if term.half_terms.iter().any(|h| h.contains(date)) {
            return Err(NotInSession::HalfTerm {
                term: term.name.clone(),
            });
        }
        if let Some(closure) = self
            .closures
            .iter()
            .find(|c| c.date == date && c.sessions.covers(session))
        {
            return Err(NotInSession::Closure {
                reason: closure.reason.clone(),
            });
        }
        Ok(())
    }

    pub fn is_school_session(&self, date: NaiveDate, session: Session) -> bool {
        self.check_session(date, session).is_ok()
    }

    /// A school day has at least one register session (a half-day closure leaves the other).
    pub fn is_school_day(&self, date: NaiveDate) -> bool {
        Session::BOTH
            .iter()
            .any(|s| self.is_school_session(date, *s))
    }

    /// Days that count when a threshold runs past the configured terms: the school's weekdays.
    /// Next term's dates may not be entered yet; counting on school weekdays is the honest guess.
    pub fn counts_as_school_day(&self, date: NaiveDate) -> bool {
        match self.terms.last() {
            Some(last) if date > last.end => self.is_weekday(date),
            _ => self.is_school_day(date),
        }
    }

    /// School days from `from` to `to`, both inclusive.
    pub fn school_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = NaiveDate> + '_ {
        from.iter_days()
            .take_while(move |d| *d <= to)
            .filter(|d| self.is_school_day(*d))
    }

    /// School sessions from `from` to `to`, both inclusive, in order.
    pub fn school_sessions(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, Session)> + '_ {
        from.iter_days()
            .take_while(move |d| *d <= to)
            .flat_map(|d| Session::BOTH.map(|s| (d, s)))
            .filter(|(d, s)| self.is_school_session(*d, *s))
    }

    /// The `n`th school day after `date` (not counting `date` itself).
    pub fn add_school_days(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut counted = 0;
        let mut day = date;
        for _ in 0..COUNTING_LIMIT_DAYS {
            day = day.succ_opt()?;
            if self.counts_as_school_day(day) {
                counted += 1;
                if counted == n {
                    return Some(day);
                }
            }
        }
        None
    }

    /// School days after `after`, up to and including `upto`.
    pub fn school_days_between(&self, after: NaiveDate, upto: NaiveDate) -> u32 {
        if upto <= after {
            return 0;
        }
        self.counted_to(upto).saturating_sub(self.counted_to(after))
    }

    /// School days (as thresholds count them) from the first term to `date`, inclusive.
    fn counted_to(&self, date: NaiveDate) -> u32 {
        let (Some(first), Some(last)) = (self.terms.first(), self.terms.last()) else {
            // No terms, no school days.
            return 0;
        };
        let (start, counts) = self.counts.0.get_or_init(|| {
            let mut running = 0;
            let counts = first
                .start
                .iter_days()
                .take_while(|d| *d <= last.end)
                .map(|d| {
                    running += u32::from(self.is_school_day(d));
                    running
                })
                .collect();
            (first.start, counts)
        });
        if date < *start {
            return 0;
        }
        let index = (date - *start).num_days() as usize;
        match counts.get(index) {
            Some(n) => *n,
            // Past the configured terms, school weekdays count.
            None => {
                let total = counts.last().copied().unwrap_or(0);
                total + self.weekdays_to(date) - self.weekdays_to(last.end)
            }
        }
    }

    /// School weekdays from a fixed Monday long ago to `date`, inclusive: arithmetic, not a
    /// walk through the days.
    fn weekdays_to(&self, date: NaiveDate) -> u32 {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 5).expect("a Monday");
        let days = (date - epoch).num_days().max(-1) + 1;
        let per_week = self.weekdays.iter().filter(|w| **w).count() as i64;
        let (weeks, rest) = (days / 7, days % 7);
        let partial = self.weekdays[..rest as usize]
            .iter()
            .filter(|w| **w)
            .count() as i64;
        (weeks * per_week + partial).max(0) as u32
    }

    /// The first day of a rolling window of `weeks` school weeks that ends with the week
    /// containing `on`. A school week is a Monday-to-Sunday week with at least one school day,
    /// so holidays stretch the window instead of using it up.
    pub fn school_weeks_back(&self, on: NaiveDate, weeks: u32) -> NaiveDate {
        let first_term = self.terms.first().map(|t| t.start);
        let mut monday = on - Days::new(u64::from(on.weekday().num_days_from_monday()));
        let mut counted = 0;
        loop {
            let sunday = monday + Days::new(6);
            if self.school_days(monday, sunday.min(on)).next().is_some() {
                counted += 1;
                if counted == weeks {
                    return monday;
                }
            }
            match (monday.checked_sub_days(Days::new(7)), first_term) {
                (Some(previous), Some(first)) if previous + Days::new(6) >= first => {
                    monday = previous
                }
                _ => return monday,
            }
        }
    }

    /// The start of the school year (1 August) that `date` falls in: year-to-date figures and
    /// the yearly thresholds count from here.
    pub fn academic_year_start(date: NaiveDate) -> NaiveDate {
        let year = if date.month() >= 8 {
            date.year()
        } else {
            date.year() - 1
        };
        NaiveDate::from_ymd_opt(year, 8, 1).expect("1 August exists")
    }

    /// 31 July: the last day of the academic year `date` falls in.
    pub fn academic_year_end(date: NaiveDate) -> NaiveDate {
        let start = Self::academic_year_start(date);
        NaiveDate::from_ymd_opt(start.year() + 1, 7, 31).expect("31 July exists")
    }
}

/// Parses a weekday name as the configuration writes it (`mon` ... `sun`, or in full).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    match s.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Some(Weekday::Mon),
        "tue" | "tuesday" => Some(Weekday::Tue),
        "wed" | "wednesday" => Some(Weekday::Wed),
        "thu" | "thursday" => Some(Weekday::Thu),
        "fri" | "friday" => Some(Weekday::Fri),
        "sat" | "saturday" => Some(Weekday::Sat),
        "sun" | "sunday" => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The example school's calendar: autumn 2026 with half term 26-30 October, spring 2027,
    /// an INSET day on 27 November.
    pub fn example() -> Calendar {
        Calendar {
            weekdays: [true, true, true, true, true, false, false],
            terms: vec![
                Term {
                    name: "Autumn 2026".into(),
                    start: d("2026-09-01"),
                    end: d("2026-12-18"),
                    half_terms: vec![DateRange {
                        start: d("2026-10-26"),
                        end: d("2026-10-30"),
                    }],
                },
                Term {
                    name: "Spring 2027".into(),
                    start: d("2027-01-05"),
                    end: d("2027-03-26"),
                    half_terms: vec![DateRange {
                        start: d("2027-02-15"),
                        end: d("2027-02-19"),
                    }],
                },
            ],
            closures: vec![Closure {
                date: d("2026-11-27"),
                sessions: ClosureSessions::Both,
                reason: "INSET day".into(),
            }],
            counts: DayCounts::default(),
        }
    }

    #[test]
    fn counting_school_days_agrees_with_walking_the_days() {
        let cal = example();
        let walk = |after: NaiveDate, upto: NaiveDate| {
            after
                .iter_days()
                .skip(1)
                .take_while(|d| *d <= upto)
                .filter(|d| cal.counts_as_school_day(*d))
                .count() as u32
        };
        let start = d("2026-08-20");
        for a in 0..420u64 {
            for b in (a..600).step_by(7) {
                let (after, upto) = (start + Days::new(a), start + Days::new(b));
                assert_eq!(
                    cal.school_days_between(after, upto),
                    walk(after, upto),
                    "{after} to {upto}"
                );
            }
        }
    }

    #[test]
    fn weekends_half_terms_and_closures_are_not_school_sessions() {
        let cal = example();
        assert!(cal.is_school_session(d("2026-11-23"), Session::Am));
        assert_eq!(
            cal.check_session(d("2026-11-21"), Session::Am),
            Err(NotInSession::NotASchoolWeekday)
        );
        assert!(matches!(
            cal.check_session(d("2026-10-27"), Session::Pm),
            Err(NotInSession::HalfTerm { .. })
        ));
        assert!(matches!(
            cal.check_session(d("2026-11-27"), Session::Am),
            Err(NotInSession::Closure { .. })
        ));
        assert_eq!(
            cal.check_session(d("2026-12-21"), Session::Am),
            Err(NotInSession::OutsideTerm)
        );
    }

    #[test]
    fn a_half_day_closure_leaves_a_school_day_with_one_session() {
        let mut cal = example();
        cal.closures[0].sessions = ClosureSessions::Pm;
        assert!(cal.is_school_day(d("2026-11-27")));
        assert!(cal.is_school_session(d("2026-11-27"), Session::Am));
        assert!(!cal.is_school_session(d("2026-11-27"), Session::Pm));
    }

    #[test]
    fn school_days_skip_half_term() {
        let cal = example();
        // Friday before half term, then the week after it.
        assert_eq!(
            cal.add_school_days(d("2026-10-23"), 1),
            Some(d("2026-11-02"))
        );
        assert_eq!(
            cal.add_school_days(d("2026-10-23"), 5),
            Some(d("2026-11-06"))
        );
        assert_eq!(cal.school_days_between(d("2026-10-23"), d("2026-11-06")), 5);
    }

    #[test]
    fn counting_past_the_last_term_uses_school_weekdays() {
        let cal = example();
        assert_eq!(
            cal.add_school_days(d("2027-03-26"), 1),
            Some(d("2027-03-29"))
        );
    }

    #[test]
    fn ten_school_weeks_back_stretch_over_half_term() {
        let cal = example();
        // Friday 13 November 2026: weeks of 9 Nov and 2 Nov, half term (26 Oct) skipped, then
        // 19 Oct back to 31 Aug (school from Tuesday 1 September): eleven calendar weeks.
        assert_eq!(cal.school_weeks_back(d("2026-11-13"), 10), d("2026-08-31"));
        // Friday 18 December: 14 Dec back to 2 Nov is seven weeks, half term skipped, then
        // 19, 12 and 5 October.
        assert_eq!(cal.school_weeks_back(d("2026-12-18"), 10), d("2026-10-05"));
    }

    #[test]
    fn school_weeks_back_stops_at_the_first_term() {
        let cal = example();
        // Only eight school weeks exist up to Friday 23 October.
        assert_eq!(cal.school_weeks_back(d("2026-10-23"), 10), d("2026-08-31"));
    }

    #[test]
    fn school_weeks_back_spans_terms() {
        let cal = example();
        // Window ending in the week of 11 January 2027: two spring weeks, the Christmas holiday
        // skipped, seven autumn weeks back to 2 November, half term skipped, then 19 October.
        assert_eq!(cal.school_weeks_back(d("2027-01-15"), 10), d("2026-10-19"));
    }

    #[test]
    fn academic_year_starts_in_august() {
        assert_eq!(
            Calendar::academic_year_start(d("2026-11-23")),
            d("2026-08-01")
        );
        assert_eq!(
            Calendar::academic_year_start(d("2027-03-01")),
            d("2026-08-01")
        );
    }
}

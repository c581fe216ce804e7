//! What a report shows beside the SPEC §3 rates: counts by code, lateness, absence by
//! weekday, the period before, and who counts in the DfE's headline figures.

use super::codes::Code;
use super::codes::StatClass;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Possible and absent sessions on one day of the week.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekdayFigures {
    pub possible: u32,
    pub absent: u32,
}

/// Counts of a set of marks beyond their [`Tally`](super::stats::Tally): each code, lateness and weekdays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// Sessions by code, indexed by the code's place in [`Code::ALL`] (empty: none yet).
    /// An array, not a map: a report adds every mark of a year here.
    pub codes: Vec<u32>,
    /// `L` marks: arrived after the register began, before it closed.
    pub late_count: u32,
    /// Minutes late summed over the `L` marks that keep an arrival (for the mean).
    pub minutes_late_total: u32,
    pub minutes_late_marks: u32,
    /// `U` marks: arrived after the register closed.
    pub u_count: u32,
    /// Monday first.
    pub by_weekday: [WeekdayFigures; 7],
}

impl Detail {
    /// Counts one session's mark, classified on its date.
    pub fn add(&mut self, code: Code, date: NaiveDate, minutes_late: Option<u16>) {
        self.add_classified(
            code,
            code.class_on(date),
            date.weekday().num_days_from_monday() as usize,
            minutes_late,
        );
    }

    /// [`Detail::add`] with the mark's class and weekday (Monday 0) worked out once by the
    /// caller, for a mark counted in more than one total.
    pub fn add_classified(
        &mut self,
        code: Code,
        class: StatClass,
        weekday: usize,
        minutes_late: Option<u16>,
    ) {
        if self.codes.is_empty() {
            self.codes = vec![0; Code::ALL.len()];
        }
        self.codes[code as usize] += 1;
        match code {
            Code::L => {
                self.late_count += 1;
                if let Some(m) = minutes_late {
                    self.minutes_late_total += u32::from(m);
                    self.minutes_late_marks += 1;
                }
            }
            Code::U => self.u_count += 1,
            _ => {}
        }
        let day = &mut self.by_weekday[weekday.min(6)];
        day.possible += u32::from(class != StatClass::NotPossible);
        day.absent += u32::from(matches!(
            class,
            StatClass::Authorised | StatClass::Unauthorised
        ));
    }

    /// A whole month's worth at once, from its stored summary: sessions by code (each code's
    /// class fixed for the month), the `L` marks that keep an arrival and their minutes, and
    /// possible and absent sessions by weekday.
    pub fn add_summary(
        &mut self,
        codes: &[(Code, u32)],
        timed_lates: u32,
        minutes_late: u32,
        weekdays: &[WeekdayFigures; 7],
    ) {
        if self.codes.is_empty() {
            self.codes = vec![0; Code::ALL.len()];
        }
        for (code, n) in codes {
            self.codes[*code as usize] += n;
            match code {
                Code::L => self.late_count += n,
                Code::U => self.u_count += n,
                _ => {}
            }
        }
        self.minutes_late_total += minutes_late;
        self.minutes_late_marks += timed_lates;
        for (mine, theirs) in self.by_weekday.iter_mut().zip(weekdays) {
            mine.possible += theirs.possible;
            mine.absent += theirs.absent;
        }
    }

    pub fn merge(&mut self, other: &Detail) {
        if self.codes.is_empty() {
            self.codes = vec![0; Code::ALL.len()];
        }
        for (mine, theirs) in self.codes.iter_mut().zip(&other.codes) {
            *mine += theirs;
        }
        self.late_count += other.late_count;
        self.minutes_late_total += other.minutes_late_total;
        self.minutes_late_marks += other.minutes_late_marks;
        self.u_count += other.u_count;
        for (mine, theirs) in self.by_weekday.iter_mut().zip(&other.by_weekday) {
            mine.possible += theirs.possible;
            mine.absent += theirs.absent;
        }
    }

    /// Code (as written, `/` and `\` for present) → sessions, for codes with any.
    pub fn by_code(&self) -> BTreeMap<&'static str, u32> {
        Code::ALL
            .iter()
            .zip(&self.codes)
            .filter(|(_, n)| **n > 0)
            .map(|(code, n)| (code.as_str(), *n))
            .collect()
    }

    /// Mean minutes late of the `L` marks that keep an arrival time; `None` without any.
    pub fn minutes_late_mean(&self) -> Option<f64> {
        (self.minutes_late_marks > 0)
            .then(|| f64::from(self.minutes_late_total) / f64::from(self.minutes_late_marks))
    }

    /// Weekdays with possible sessions, by their short names (`mon`), Monday first.
    pub fn weekdays(&self) -> Vec<(&'static str, WeekdayFigures)> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        NAMES
            .iter()
            .zip(self.by_weekday)
            .filter(|(_, f)| f.possible > 0)
            .map(|(n, f)| (*n, f))
            .collect()
    }
}

/// The 31 August before `date`: the day the DfE measures ages on for the school year `date`
/// falls in (a date in September 2026 to August 2027 gives 31 August 2026).
pub fn previous_31_august(date: NaiveDate) -> NaiveDate {
    let this_year = NaiveDate::from_ymd_opt(date.year(), 8, 31).unwrap_or(date);
    if this_year < date {
        this_year
    } else {
        NaiveDate::from_ymd_opt(date.year() - 1, 8, 31).unwrap_or(date)
    }
}

/// Age in whole years on `on`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// Of compulsory school age for the school year of `date`, as DfE headline figures count:
/// 5 to 15 on the previous 31 August.
pub fn compulsory_school_age(dob: NaiveDate, date: NaiveDate) -> bool {
    (5..=15).contains(&age_on(dob, previous_31_august(date)))
}

/// The period of the same length that ends the day before `from`: what a report is set
/// beside.
pub fn period_before(from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let days = (to - from).num_days().max(0) as u64 + 1;
    let end = from.pred_opt()?;
    let start = from.checked_sub_days(Days::new(days))?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn compulsory_school_age_is_5_to_15_on_the_previous_31_august() {
        // The school year 2026/27: ages on 31 August 2026.
        let in_year = d(2026, 11, 23);
        assert_eq!(previous_31_august(in_year), d(2026, 8, 31));
        assert_eq!(previous_31_august(d(2027, 8, 31)), d(2026, 8, 31));
        assert_eq!(previous_31_august(d(2027, 9, 1)), d(2027, 8, 31));
        // Fifth birthday on 31 August 2026: 5 that day, so counted (Reception's oldest).
        assert!(compulsory_school_age(d(2021, 8, 31), in_year));
        // Fifth birthday on 1 September 2026: 4 on the day, not counted all year.
        assert!(!compulsory_school_age(d(2021, 9, 1), in_year));
        // 15 on 31 August (Year 11): counted; 16 on that day (Year 12): not.
        assert!(compulsory_school_age(d(2011, 1, 1), in_year));
        assert!(compulsory_school_age(d(2010, 9, 1), in_year));
        assert!(!compulsory_school_age(d(2010, 8, 31), in_year));
    }

    #[test]
    fn lateness_and_weekdays_count_each_mark_once() {
        let mut detail = Detail::default();
        let monday = d(2026, 11, 16);
        detail.add(Code::L, monday, Some(12));
        detail.add(Code::L, monday, Some(3));
        detail.add(Code::L, monday, None);
        detail.add(Code::U, d(2026, 11, 17), Some(45));
        detail.add(Code::PresentAm, d(2026, 11, 18), None);
        detail.add(Code::I, d(2026, 11, 20), None);
        detail.add(Code::Y1, d(2026, 11, 20), None);
        assert_eq!(detail.late_count, 3);
        assert_eq!(detail.u_count, 1);
        assert_eq!(detail.minutes_late_mean(), Some(7.5));
        assert_eq!(detail.by_code()["L"], 3);
        assert_eq!(detail.by_code()["/"], 1);
        let days = detail.weekdays();
        assert_eq!(
            days[0],
            (
                "mon",
                WeekdayFigures {
                    possible: 3,
                    absent: 0
                }
            )
        );
        assert_eq!(
            days[1],
            (
                "tue",
                WeekdayFigures {
                    possible: 1,
                    absent: 1
                }
            )
        );
        // Y is not possible: Friday has one possible session, absent (I).
        assert_eq!(
            days[3],
            (
                "fri",
                WeekdayFigures {
                    possible: 1,
                    absent: 1
                }
            )
        );
        let mut merged = Detail::default();
        merged.merge(&detail);
        merged.merge(&detail);
        assert_eq!(merged.late_count, 6);
        assert_eq!(merged.minutes_late_mean(), Some(7.5));
    }

    #[test]
    fn the_period_before_has_the_same_length() {
        assert_eq!(
            period_before(d(2026, 11, 2), d(2026, 11, 20)),
            Some((d(2026, 10, 14), d(2026, 11, 1)))
        );
    }
}

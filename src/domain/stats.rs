//! Attendance statistics (SPEC §3).
//!
//! Every rate is a ratio of session counts. Rates of a class, year group or school come from
//! summed counts ([`Tally::merge`]), never from averaging pupils' percentages, and the PA and SA
//! tests compare integers so that exactly 10% and exactly 50% are never lost to rounding.

use super::codes::{Code, StatClass};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Persistent absence: overall absence of at least this share of possible sessions.
pub const PERSISTENT_ABSENCE_PERCENT: u32 = 10;
/// Severe absence: overall absence of at least this share of possible sessions.
pub const SEVERE_ABSENCE_PERCENT: u32 = 50;
/// Days in a school year, for "days lost".
pub const SCHOOL_DAYS_PER_YEAR: u32 = 190;

/// Session counts by statistical class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub present: u32,
    pub aea: u32,
    pub authorised: u32,
    pub unauthorised: u32,
    pub not_possible: u32,
}

impl Tally {
    pub fn add_class(&mut self, class: StatClass) {
        match class {
            StatClass::Present => self.present += 1,
            StatClass::Aea => self.aea += 1,
            StatClass::Authorised => self.authorised += 1,
            StatClass::Unauthorised => self.unauthorised += 1,
            StatClass::NotPossible => self.not_possible += 1,
        }
    }

    /// Counts one stored mark, classified on its session date.
    pub fn add_code(&mut self, code: Code, date: NaiveDate) {
        self.add_sessions(code, 1, date);
    }

    /// Counts `n` sessions of one code (a month's summary), classified on `date`.
    pub fn add_sessions(&mut self, code: Code, n: u32, date: NaiveDate) {
        let slot = match code.class_on(date) {
            StatClass::Present => &mut self.present,
            StatClass::Aea => &mut self.aea,
            StatClass::Authorised => &mut self.authorised,
            StatClass::Unauthorised => &mut self.unauthorised,
            StatClass::NotPossible => &mut self.not_possible,
        };
        *slot += n;
    }

    /// Takes back one session counted in `class` (a mark withdrawn or replaced).
    pub fn remove_class(&mut self, class: StatClass) {
        let slot = match class {
            StatClass::Present => &mut self.present,
            StatClass::Aea => &mut self.aea,
            StatClass::Authorised => &mut self.authorised,
            StatClass::Unauthorised => &mut self.unauthorised,
            StatClass::NotPossible => &mut self.not_possible,
        };
        *slot = slot.saturating_sub(1);
    }

    pub fn merge(&mut self, other: &Tally) {
        self.present += other.present;
        self.aea += other.aea;
        self.authorised += other.authorised;
        self.unauthorised += other.unauthorised;
        self.not_possible += other.not_possible;
    }

    /// These figures without the sessions of `part` (a part of them, such as one week).
    pub fn without(&self, part: &Tally) -> Tally {
        Tally {
            present: self.present.saturating_sub(part.present),
            aea: self.aea.saturating_sub(part.aea),
            authorised: self.authorised.saturating_sub(part.authorised),
            unauthorised: self.unauthorised.saturating_sub(part.unauthorised),
            not_possible: self.not_possible.saturating_sub(part.not_possible),
        }
    }

    /// Marked sessions that were not "not possible".
    pub fn possible(&self) -> u32 {
        self.present + self.aea + self.authorised + self.unauthorised
    }

    pub fn attended(&self) -> u32 {
        self.present + self.aea
    }

    /// School days lost to absence: absent sessions over two (SPEC §3.6), as parents are told
    /// ("95% is 9.5 days lost a year").
    pub fn days_lost(&self) -> f64 {
        f64::from(self.absent()) / 2.0
    }

    pub fn absent(&self) -> u32 {
        self.authorised + self.unauthorised
    }

    fn pct(&self, numerator: u32) -> Option<f64> {
        let possible = self.possible();
        (possible > 0).then(|| f64::from(numerator) * 100.0 / f64::from(possible))
    }

    /// (present + AEA) / possible × 100; `None` with no possible sessions.
    pub fn attendance_pct(&self) -> Option<f64> {
        self.pct(self.attended())
    }

    pub fn absence_pct(&self) -> Option<f64> {
        self.pct(self.absent())
    }

    pub fn authorised_pct(&self) -> Option<f64> {
        self.pct(self.authorised)
    }

    pub fn unauthorised_pct(&self) -> Option<f64> {
        self.pct(self.unauthorised)
    }

    fn absent_at_least(&self, percent: u32) -> bool {
        let possible = self.possible();
        possible > 0 && u64::from(self.absent()) * 100 >= u64::from(possible) * u64::from(percent)
    }

    /// Overall absence of 10% or more of possible sessions.
    pub fn is_persistent_absence(&self) -> bool {
        self.absent_at_least(PERSISTENT_ABSENCE_PERCENT)
    }

    /// Overall absence of 50% or more of possible sessions.
    pub fn is_severe_absence(&self) -> bool {
        self.absent_at_least(SEVERE_ABSENCE_PERCENT)
    }

    /// "PA 4/30" (absent sessions of possible ones) once there are enough sessions for the
    /// rate to say something: a single absence in the first week is 50%, and no verdict.
    pub fn absence_flag(&self) -> Option<String> {
        if self.possible() < FLAG_AFTER_SESSIONS {
            return None;
        }
        let kind = if self.is_severe_absence() {
            "SA"
        } else if self.is_persistent_absence() {
            "PA"
        } else {
            return None;
        };
        Some(format!("{kind} {}/{}", self.absent(), self.possible()))
    }
}

/// Possible sessions a pupil has before a register flags persistent or severe absence: a
/// week of school. A display rule (*unverified* as policy): reports count every pupil, as the
/// DfE does.
pub const FLAG_AFTER_SESSIONS: u32 = 10;

/// Points of attendance a pupil must gain on the period before to count as improved, unless
/// the school says otherwise (SPEC §3.7).
pub fn default_improved_by_points() -> f64 {
    5.0
}

/// School days lost over a year at a given attendance rate: 95% of 190 days loses 9.5.
pub fn days_lost(attendance_pct: f64, school_days: u32) -> f64 {
    (100.0 - attendance_pct) * f64::from(school_days) / 100.0
}

/// An attendance band from the school's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub label: String,
    /// Lowest attendance percentage that reaches this band.
    pub min: f64,
}

/// The highest band whose minimum the rate reaches.
pub fn band_for(bands: &[Band], attendance_pct: f64) -> Option<&Band> {
    bands
        .iter()
        .filter(|b| attendance_pct >= b.min)
        .max_by(|a, b| a.min.total_cmp(&b.min))
}

/// `n` as a percentage of `of` (pupils persistently absent of all pupils); `None` of none.
pub fn share(n: u32, of: u32) -> Option<f64> {
    (of > 0).then(|| f64::from(n) * 100.0 / f64::from(of))
}

/// Rounds a percentage to one decimal place for display and export.
pub fn round1(pct: f64) -> f64 {
    (pct * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(present: u32, authorised: u32, unauthorised: u32) -> Tally {
        Tally {
            present,
            authorised,
            unauthorised,
            ..Tally::default()
        }
    }

    fn seed_002_bands() -> Vec<Band> {
        [
            ("A", 97.0),
            ("B", 95.0),
            ("C", 93.0),
            ("D", 90.0),
            ("E", 80.0),
            ("F", 50.0),
            ("G", 0.0),
        ]
        .into_iter()
        .map(|(name, min)| Band {
            name: name.into(),
            label: String::new(),
            min,
        })
        .collect()
    }

    #[test]
    fn flags_wait_for_a_week_of_sessions_and_carry_their_evidence() {
        // One N on the first morning: 100% absence, but no verdict yet.
        assert!(tally(0, 0, 1).is_severe_absence());
        assert_eq!(tally(0, 0, 1).absence_flag(), None);
        assert_eq!(tally(5, 2, 2).absence_flag(), None, "9 sessions");
        assert_eq!(tally(9, 1, 0).absence_flag().as_deref(), Some("PA 1/10"));
        assert_eq!(tally(5, 3, 2).absence_flag().as_deref(), Some("SA 5/10"));
        assert_eq!(tally(27, 1, 1).absence_flag(), None, "2/29 is 6.9%");
    }

    #[test]
    fn days_lost_match_the_spec() {
        assert_eq!(days_lost(95.0, SCHOOL_DAYS_PER_YEAR), 9.5);
        assert_eq!(days_lost(90.0, SCHOOL_DAYS_PER_YEAR), 19.0);
        assert_eq!(days_lost(85.0, SCHOOL_DAYS_PER_YEAR), 28.5);
        assert_eq!(days_lost(75.0, SCHOOL_DAYS_PER_YEAR), 47.5);
        // A pupil's own figures give the same: 380 sessions of a 190-day year at each rate.
        for (absent, lost) in [(19, 9.5), (38, 19.0), (57, 28.5), (95, 47.5)] {
            let year = Tally {
                present: 380 - absent,
                unauthorised: absent,
                ..Tally::default()
            };
            assert_eq!(year.days_lost(), lost, "{absent} sessions absent");
        }
    }

    #[test]
    fn ninety_five_percent_over_190_days_is_9_5_days_lost() {
        // 380 sessions, 19 missed: 95%.
        let t = tally(361, 19, 0);
        assert_eq!(t.possible(), 380);
        assert_eq!(t.attendance_pct(), Some(95.0));
        assert_eq!(days_lost(t.attendance_pct().unwrap(), 190), 9.5);
        assert_eq!(f64::from(t.absent()) / 2.0, 9.5);
    }

    #[test]
    fn persistent_absence_at_exactly_ten_percent() {
        let exactly = tally(342, 20, 18); // 38 of 380 sessions
        assert_eq!(exactly.absence_pct(), Some(10.0));
        assert!(exactly.is_persistent_absence());
        let just_under = tally(343, 20, 17);
        assert!(!just_under.is_persistent_absence());
    }

    #[test]
    fn severe_absence_at_exactly_fifty_percent() {
        let exactly = tally(5, 2, 3);
        assert_eq!(exactly.absence_pct(), Some(50.0));
        assert!(exactly.is_severe_absence());
        assert!(!tally(6, 2, 2).is_severe_absence());
    }

    #[test]
    fn not_possible_sessions_are_outside_both_numerator_and_denominator() {
        let mut t = Tally::default();
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for code in ["/", "\\", "D", "X", "Y1", "Y7", "Z", "#", "Q"] {
            t.add_code(Code::parse(code).unwrap(), date);
        }
        assert_eq!(t.possible(), 2);
        assert_eq!(t.attendance_pct(), Some(100.0));
        assert_eq!(t.not_possible, 7);
    }

    #[test]
    fn aea_counts_as_attendance() {
        let mut t = Tally::default();
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for code in ["V", "P", "N", "I"] {
            t.add_code(Code::parse(code).unwrap(), date);
        }
        assert_eq!(t.attendance_pct(), Some(50.0));
        assert_eq!(t.authorised_pct(), Some(25.0));
        assert_eq!(t.unauthorised_pct(), Some(25.0));
    }

    #[test]
    fn a_group_rate_sums_counts_and_differs_from_the_mean_of_pupil_rates() {
        // One pupil present 1 of 2 sessions (joined late), one present 10 of 10.
        let a = tally(1, 1, 0);
        let b = tally(10, 0, 0);
        let mean = (a.attendance_pct().unwrap() + b.attendance_pct().unwrap()) / 2.0;
        let mut group = Tally::default();
        group.merge(&a);
        group.merge(&b);
        assert_eq!(mean, 75.0);
        assert_eq!(group.possible(), 12);
        assert_eq!(round1(group.attendance_pct().unwrap()), 91.7);
    }

    #[test]
    fn a_pupil_with_no_possible_sessions_has_no_rate() {
        let t = Tally {
            not_possible: 4,
            ..Tally::default()
        };
        assert_eq!(t.attendance_pct(), None);
        assert!(!t.is_persistent_absence());
        assert!(!t.is_severe_absence());
    }

    #[test]
    fn bands_are_chosen_by_their_minimum() {
        let bands = seed_002_bands();
        assert_eq!(band_for(&bands, 100.0).unwrap().name, "A");
        assert_eq!(band_for(&bands, 97.0).unwrap().name, "A");
        assert_eq!(band_for(&bands, 96.9).unwrap().name, "B");
        assert_eq!(band_for(&bands, 95.0).unwrap().name, "B");
        assert_eq!(band_for(&bands, 90.0).unwrap().name, "D");
        assert_eq!(band_for(&bands, 49.9).unwrap().name, "G");
        assert!(band_for(&bands[..3], 50.0).is_none());
    }
}

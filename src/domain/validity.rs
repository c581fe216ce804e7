//! Which code fits which pupil and date (SPEC §7): a mark no register could hold is refused
//! wherever it comes in (a key, `mark`, `mark-batch`, an import, a transfer file), with the
//! rule in the message, and greyed in the picker with the same words.

use super::calendar::{Calendar, NotInSession};
use super::codes::{Code, StatClass};
use super::figures::{age_on, compulsory_school_age, previous_31_august};
use super::session::Session;
use chrono::{Datelike, NaiveDate};

/// The day the 2024 regulations' new codes came in.
pub fn codes_of_2024_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 8, 19).expect("valid constant date")
}

/// The codes introduced on 19 August 2024: none can carry an earlier date.
pub const INTRODUCED_2024: [Code; 12] = [
    Code::C1,
    Code::C2,
    Code::J1,
    Code::K,
    Code::Q,
    Code::Y1,
    Code::Y2,
    Code::Y3,
    Code::Y4,
    Code::Y5,
    Code::Y6,
    Code::Y7,
];

/// The youngest age (on the previous 31 August) at which study leave for public examinations
/// is given: Year 10. rollcall's reading of the guidance (study leave around public exams),
/// kept in one place.
pub const STUDY_LEAVE_FROM_AGE: i32 = 14;

/// From the first lockdown (23 March 2020) until April 2022 `X` also recorded a pupil of any
/// age kept away under the COVID rules (SPEC §2.4): in those years `X` says nothing of age.
pub fn covid_use_of_x(date: NaiveDate) -> bool {
    let from = NaiveDate::from_ymd_opt(2020, 3, 23).expect("valid constant date");
    let until = super::codes::withdrawn_since(Code::X02).map_or(from, |(d, _)| d);
    from <= date && date < until
}

/// What rollcall knows of the pupil a mark is for.
#[derive(Clone, Copy, Debug)]
pub struct MarkFor {
    pub dob: NaiveDate,
    /// On the school's roll on the date (in a registration group).
    pub on_roll: bool,
}

/// Why `code` cannot be this pupil's mark on `date`, in a sentence, if it cannot.
pub fn unfit(code: Code, date: NaiveDate, pupil: MarkFor) -> Option<String> {
    if date < pupil.dob {
        return Some(format!(
            "{date} is before the pupil was born ({}): no mark can be",
            pupil.dob
        ));
    }
    if INTRODUCED_2024.contains(&code) && date < codes_of_2024_from() {
        return Some(format!(
            "{code} came in on 19 August 2024, so it cannot be the mark of {date}"
        ));
    }
    let compulsory = compulsory_school_age(pupil.dob, date);
    match code {
        // X01 (a sub-code) kept X's first meaning through the COVID years.
        Code::X01 if compulsory => Some(format!(
            "X01 is for a pupil below or above compulsory school age; this pupil is {} on the 31 August before {date}",
            age_on(pupil.dob, previous_31_august(date))
        )),
        Code::X if compulsory && !covid_use_of_x(date) => Some(format!(
            "X is for a pupil below or above compulsory school age; this pupil is {} on the 31 August before {date}, of compulsory school age",
            age_on(pupil.dob, previous_31_august(date))
        )),
        Code::Z if pupil.on_roll => Some(format!(
            "Z is for a pupil not yet on the admission register; this pupil is on roll on {date}"
        )),
        Code::S if age_on(pupil.dob, previous_31_august(date)) < STUDY_LEAVE_FROM_AGE => {
            Some(format!(
                "S is study leave for public examinations (Year 10 and above); this pupil is {} on the 31 August before {date}",
                age_on(pupil.dob, previous_31_august(date))
            ))
        }
        _ => None,
    }
}

/// Why a mark from another system (an import of old registers, a transfer file) cannot be a
/// session's record, if it cannot (SPEC §7.3): a day that is not a school day (a weekend
/// always; inside the school's configured terms, a holiday, a half term, or a closure unless
/// the mark is `#`), a session that has not happened yet for a code that says the pupil was
/// there, and everything [`unfit`] refuses. `begun` says whether the session has begun by now.
pub fn unfit_record(
    calendar: &Calendar,
    code: Code,
    date: NaiveDate,
    session: Session,
    begun: bool,
    pupil: MarkFor,
) -> Option<String> {
    if !calendar.weekdays[date.weekday().num_days_from_monday() as usize] {
        return Some(format!(
            "{date} is a {}, not a school day",
            date.format("%A")
        ));
    }
    // Earlier years than the school's terms have no calendar here: weekends are all that
    // can be known.
    let configured = calendar.terms.first().is_some_and(|t| t.start <= date)
        && calendar.terms.last().is_some_and(|t| date <= t.end);
    if configured {
        match calendar.check_session(date, session) {
            Ok(()) => {}
            Err(NotInSession::Closure { .. }) if code == Code::Hash => {}
            Err(why) => {
                return Some(format!(
                    "{date} {} is not a school session ({why})",
                    session.label()
                ));
            }
        }
    }
    let attended = matches!(code.class_on(date), StatClass::Present | StatClass::Aea);
    if attended && !begun {
        return Some(format!(
            "{code} says the pupil was there, and {date} {} has not happened yet",
            session.label()
        ));
    }
    unfit(code, date, pupil)
}

/// Why a mark recorded at another school cannot be a session's record, if it cannot: that
/// school's calendar is not known here, so a weekend is all that rules a day out; then the
/// future and everything [`unfit`] refuses (`Z` aside: whether the pupil was on that school's
/// roll is not known here).
pub fn unfit_elsewhere(
    code: Code,
    date: NaiveDate,
    session: Session,
    begun: bool,
    dob: NaiveDate,
) -> Option<String> {
    if date.weekday().num_days_from_monday() >= 5 {
        return Some(format!(
            "{date} is a {}, not a school day",
            date.format("%A")
        ));
    }
    let attended = matches!(code.class_on(date), StatClass::Present | StatClass::Aea);
    if attended && !begun {
        return Some(format!(
            "{code} says the pupil was there, and {date} {} has not happened yet",
            session.label()
        ));
    }
    unfit(
        code,
        date,
        MarkFor {
            dob,
            on_roll: false,
        },
    )
}

/// Whether a `#` in a transfer file is the management systems' "no session here" rather than
/// a planned closure (SPEC §6.1): a `#` on a day with no school session at all (a weekend,
/// and for this school's own years a holiday or a half term). A `#` on a configured closure
/// day, or on any weekday of another school's year, is the code.
pub fn hash_is_no_session(calendar: Option<&Calendar>, date: NaiveDate, session: Session) -> bool {
    if date.weekday().num_days_from_monday() >= 5 {
        return true;
    }
    let Some(calendar) = calendar else {
        return false;
    };
    let configured = calendar.terms.first().is_some_and(|t| t.start <= date)
        && calendar.terms.last().is_some_and(|t| date <= t.end);
    if !configured {
        return !calendar.weekdays[date.weekday().num_days_from_monday() as usize];
    }
    match calendar.check_session(date, session) {
        Ok(()) | Err(NotInSession::Closure { .. }) => false,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn nine_year_old() -> MarkFor {
        MarkFor {
            dob: d("2017-05-01"),
            on_roll: true,
        }
    }

    #[test]
    fn x_and_z_fit_only_the_pupils_they_are_for() {
        let day = d("2026-11-23");
        assert!(unfit(Code::X, day, nine_year_old()).is_some_and(|w| w.contains("compulsory")));
        // In the COVID years X was for any pupil kept away; X01 never was.
        let then_nine = MarkFor {
            dob: d("2011-05-01"),
            on_roll: true,
        };
        assert_eq!(unfit(Code::X, d("2021-01-11"), then_nine), None);
        assert!(unfit(Code::X01, d("2021-01-11"), then_nine).is_some());
        assert!(unfit(Code::X, d("2022-04-01"), then_nine).is_some());
        // Four on the previous 31 August: below compulsory school age, X fits.
        let four = MarkFor {
            dob: d("2022-03-01"),
            on_roll: true,
        };
        assert_eq!(unfit(Code::X, day, four), None);
        assert!(unfit(Code::Z, day, nine_year_old()).is_some_and(|w| w.contains("on roll")));
        let prospective = MarkFor {
            on_roll: false,
            ..nine_year_old()
        };
        assert_eq!(unfit(Code::Z, day, prospective), None);
        assert!(unfit(Code::S, day, nine_year_old()).is_some_and(|w| w.contains("Year 10")));
        let fifteen = MarkFor {
            dob: d("2011-01-10"),
            on_roll: true,
        };
        assert_eq!(unfit(Code::S, day, fifteen), None);
    }

    #[test]
    fn the_2024_codes_and_birth_bound_the_dates() {
        let pupil = nine_year_old();
        assert!(unfit(Code::C2, d("2024-08-18"), pupil).is_some());
        assert_eq!(unfit(Code::C2, d("2024-08-19"), pupil), None);
        assert_eq!(unfit(Code::C, d("2024-08-18"), pupil), None);
        assert!(unfit(Code::PresentAm, d("2017-04-30"), pupil).is_some_and(|w| w.contains("born")));
    }

    #[test]
    fn another_schools_marks_are_checked_for_what_can_be_known_here() {
        let dob = d("2017-05-01");
        let saturday = d("2025-10-04");
        assert!(
            unfit_elsewhere(Code::PresentAm, saturday, Session::Am, true, dob)
                .is_some_and(|w| w.contains("Saturday"))
        );
        let monday = d("2025-10-06");
        assert_eq!(
            unfit_elsewhere(Code::PresentAm, monday, Session::Am, true, dob),
            None
        );
        assert!(unfit_elsewhere(Code::PresentAm, monday, Session::Am, false, dob).is_some());
        // Z is theirs to know.
        assert_eq!(
            unfit_elsewhere(Code::Z, monday, Session::Am, true, dob),
            None
        );
        assert!(unfit_elsewhere(Code::X, monday, Session::Am, true, dob).is_some());
        // A weekend `#` is no session, wherever it was written; a weekday's is the code.
        assert!(hash_is_no_session(None, saturday, Session::Pm));
        assert!(!hash_is_no_session(None, monday, Session::Pm));
    }
}

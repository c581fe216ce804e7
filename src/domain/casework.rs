//! Casework after an absence: leave of absence requests and the head's decision (SPEC §8.3),
//! and penalty notices per parent and per child under the national framework (SPEC §8.1).
//! A case is what was opened and every step taken on it since, each step kept with who took
//! it; its state is read from those steps, never stored beside them.

use super::codes::{Code, StatClass};
use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// What a case is about, as it was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseBody {
    /// A parent asked for leave of absence for these school days.
    Leave {
        from: NaiveDate,
        to: NaiveDate,
        reason: String,
        /// When the request was made (a letter may be entered days after it came).
        asked: NaiveDate,
    },
    /// A penalty notice issued to a parent for this child.
    Penalty {
        parent: String,
        issued: NaiveDate,
        /// The second within three years of another to the same parent for the same child.
        second: bool,
    },
}

/// A step taken on a case after it was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum CaseStep {
    /// Leave granted: the code planned over the days (`plan`: the planned absence written).
    Granted {
        code: Code,
        #[serde(default)]
        plan: Option<u32>,
    },
    /// Leave refused: absence on those days is unauthorised.
    Refused,
    /// After a refusal: the days' absences without a reason recorded as `G` (how many).
    Taken { sessions: u32 },
    /// A penalty notice paid, on a date, this many pence.
    Paid { on: NaiveDate, pence: u32 },
    /// A penalty notice withdrawn (it counts toward no later notice).
    Withdrawn { on: NaiveDate },
}

/// A step with who took it and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntry {
    pub step: CaseStep,
    pub note: String,
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

/// A case: what was opened, by whom, and every step since, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: u32,
    pub upn: String,
    pub body: CaseBody,
    pub opened: CaseEntryHead,
    pub steps: Vec<CaseEntry>,
}

/// Who opened a case, when, and what they wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntryHead {
    pub note: String,
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

/// Where a leave request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveState {
    Waiting,
    Granted(Code),
    Refused,
}

/// Where a penalty notice stands on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyState {
    /// Unpaid, within the 28 days to pay; `due_pence` is what paying today costs.
    Open {
        due_pence: u32,
        by: NaiveDate,
    },
    /// Unpaid after 28 days: the local authority considers prosecution.
    Unpaid,
    Paid {
        pence: u32,
    },
    Withdrawn,
}

/// A first notice: £160, or £80 if paid within 21 days (SPEC §8.1).
pub const PENALTY_PENCE: u32 = 16_000;
pub const PENALTY_REDUCED_PENCE: u32 = 8_000;
pub const PENALTY_REDUCED_DAYS: u64 = 21;
pub const PENALTY_PAY_DAYS: u64 = 28;
/// The window within which a parent may have at most two notices for the same child.
pub const PENALTY_YEARS: u32 = 3;

impl Case {
    pub fn leave_state(&self) -> Option<LeaveState> {
        let CaseBody::Leave { .. } = self.body else {
            return None;
        };
        let mut state = LeaveState::Waiting;
        for s in &self.steps {
            match s.step {
                CaseStep::Granted { code, .. } => state = LeaveState::Granted(code),
                CaseStep::Refused => state = LeaveState::Refused,
                _ => {}
            }
        }
        Some(state)
    }

    pub fn is_withdrawn(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.step, CaseStep::Withdrawn { .. }))
    }

    /// A penalty notice's state on `on`.
    pub fn penalty_state(&self, on: NaiveDate) -> Option<PenaltyState> {
        let CaseBody::Penalty { issued, second, .. } = self.body else {
            return None;
        };
        let mut state = None;
        for s in &self.steps {
            match s.step {
                CaseStep::Paid { pence, .. } => state = Some(PenaltyState::Paid { pence }),
                CaseStep::Withdrawn { .. } => state = Some(PenaltyState::Withdrawn),
                _ => {}
            }
        }
        Some(state.unwrap_or_else(|| {
            let by = issued + chrono::Days::new(PENALTY_PAY_DAYS);
            if on > by {
                PenaltyState::Unpaid
            } else {
                PenaltyState::Open {
                    due_pence: penalty_due(issued, second, on).unwrap_or(PENALTY_PENCE),
                    by,
                }
            }
        }))
    }
}

/// What paying a notice issued on `issued` costs on `paid`: £80 within 21 days for a first
/// notice, £160 after that or for a second; `None` after the 28 days to pay.
pub fn penalty_due(issued: NaiveDate, second: bool, paid: NaiveDate) -> Option<u32> {
    let days = (paid - issued).num_days();
    if days < 0 || days > PENALTY_PAY_DAYS as i64 {
        return None;
    }
    Some(if !second && days <= PENALTY_REDUCED_DAYS as i64 {
        PENALTY_REDUCED_PENCE
    } else {
        PENALTY_PENCE
    })
}

/// Whether a notice to a parent for a child may be issued on `on`, given the dates of the
/// earlier notices to the same parent for the same child that were not withdrawn: `Ok(false)`
/// for a first, `Ok(true)` for a second within three years, and the reason when it would be
/// the third within three years (SPEC §8.1). "Within three years" runs to the day before the
/// third anniversary: on the anniversary the earlier notice no longer counts.
pub fn penalty_allowed(earlier: &[NaiveDate], on: NaiveDate) -> Result<bool, String> {
    let within: Vec<NaiveDate> = earlier
        .iter()
        .copied()
        .filter(|d| *d <= on && on < *d + Months::new(12 * PENALTY_YEARS))
        .collect();
    match within.as_slice() {
        [] => Ok(false),
        [_] => Ok(true),
        [first, ..] => Err(format!(
            "this parent has had {} notices for this child within three years (the first on \
             {first}): a third is not allowed before {}; the local authority considers other \
             action (prosecution) instead",
            within.len(),
            within
                .iter()
                .map(|d| *d + Months::new(12 * PENALTY_YEARS))
                .min()
                .unwrap_or(on)
        )),
    }
}

/// Two names for a parent are the same parent when they differ only in case and spacing.
pub fn same_parent(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

/// Codes leave may be granted as: authorised absence a head grants (SPEC §8.3). Present,
/// late, unauthorised and administrative codes are not leave.
pub fn fits_granted_leave(code: Code, on: NaiveDate) -> Result<(), String> {
    if code.class_on(on) != StatClass::Authorised {
        return Err(format!(
            "{code} is not authorised absence: leave granted is C, or the code that fits (M, \
             R, J1, C1...)"
        ));
    }
    if matches!(code, Code::I | Code::E) {
        return Err(format!(
            "{code} is not leave of absence: illness and suspension are recorded as they \
             happen, not granted ahead"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_first_notice_is_80_pounds_within_21_days_and_160_until_28() {
        let issued = d("2026-10-01");
        assert_eq!(penalty_due(issued, false, d("2026-10-22")), Some(8_000));
        assert_eq!(penalty_due(issued, false, d("2026-10-23")), Some(16_000));
        assert_eq!(penalty_due(issued, false, d("2026-10-29")), Some(16_000));
        assert_eq!(penalty_due(issued, false, d("2026-10-30")), None);
        // A second has no reduction.
        assert_eq!(penalty_due(issued, true, d("2026-10-02")), Some(16_000));
        assert_eq!(penalty_due(issued, false, d("2026-09-30")), None);
    }

    #[test]
    fn no_third_notice_within_three_years_of_the_first() {
        assert_eq!(penalty_allowed(&[], d("2026-10-01")), Ok(false));
        assert_eq!(
            penalty_allowed(&[d("2024-10-01")], d("2026-10-01")),
            Ok(true)
        );
        let both = [d("2024-10-01"), d("2025-03-01")];
        let err = penalty_allowed(&both, d("2026-10-01")).unwrap_err();
        assert!(
            err.contains("2024-10-01") && err.contains("2027-10-01"),
            "{err}"
        );
        // The day before the third anniversary the first still counts; on it, it does not,
        // and the one left makes this a second.
        assert!(penalty_allowed(&both, d("2027-09-30")).is_err());
        assert_eq!(penalty_allowed(&both, d("2027-10-01")), Ok(true));
        // Three years after both: a first again.
        assert_eq!(penalty_allowed(&both, d("2028-03-01")), Ok(false));
    }

    #[test]
    fn parents_are_the_same_whatever_the_case_and_spacing() {
        assert!(same_parent("Mrs  Jo Adams", "mrs jo adams"));
        assert!(!same_parent("Jo Adams", "Sam Adams"));
    }

    #[test]
    fn leave_is_granted_only_as_authorised_absence() {
        let on = d("2026-10-01");
        assert!(fits_granted_leave(Code::C, on).is_ok());
        assert!(fits_granted_leave(Code::M, on).is_ok());
        assert!(fits_granted_leave(Code::G, on).is_err());
        assert!(fits_granted_leave(Code::PresentAm, on).is_err());
        assert!(fits_granted_leave(Code::I, on).is_err());
    }
}

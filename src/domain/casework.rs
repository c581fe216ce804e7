//! Casework after an absence: leave of absence requests and the head's decision (SPEC §8.3),
//! penalty notices per parent and per child under the national framework (SPEC §8.1), notices
//! to improve and warning periods (§8.2), part-time timetables (§8.4), medical evidence
//! (§8.6), and meetings, contracts and plans with their reviews (§8.10).
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
    /// A notice to improve, or a local authority's warning: a period to its end.
    Notice {
        notice: NoticeKind,
        issued: NaiveDate,
        /// The last school day of the period.
        ends: NaiveDate,
    },
    /// A part-time timetable (`C2`), agreed with the parent, reviewed on a date.
    PartTime {
        from: NaiveDate,
        review: NaiveDate,
        /// When the local authority was told (it must be).
        la_told: Option<NaiveDate>,
    },
    /// Medical evidence asked of the family for illness since `ill_from`.
    Evidence {
        ill_from: NaiveDate,
        requested: NaiveDate,
    },
    /// An attendance meeting held, a contract signed or an individual plan agreed.
    Meeting {
        meeting: MeetingKind,
        held: NaiveDate,
        /// Who was there.
        people: String,
        /// What was agreed.
        actions: String,
        review: NaiveDate,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A notice to improve: 3 to 6 school weeks in which attendance must improve.
    Improve,
    /// A local authority's warning: 15 school days in which any unauthorised absence leads on.
    Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Meeting,
    Contract,
    Plan,
}

impl std::str::FromStr for NoticeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "improve" => Ok(NoticeKind::Improve),
            "warning" => Ok(NoticeKind::Warning),
            _ => Err(format!(
                "`{s}` is not a notice: improve (a notice to improve) or warning (the local authority's)"
            )),
        }
    }
}

impl std::str::FromStr for MeetingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "meeting" => Ok(MeetingKind::Meeting),
            "contract" => Ok(MeetingKind::Contract),
            "plan" => Ok(MeetingKind::Plan),
            _ => Err(format!("`{s}` is not one of meeting, contract, plan")),
        }
    }
}

impl MeetingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Meeting => "attendance meeting",
            MeetingKind::Contract => "attendance contract",
            MeetingKind::Plan => "individual plan",
        }
    }
}

/// School days of a local authority's warning period (seed 004).
pub const WARNING_SCHOOL_DAYS: u32 = 15;
/// The shortest and longest improvement period of a notice to improve, in school weeks.
pub const IMPROVE_WEEKS: std::ops::RangeInclusive<u32> = 3..=6;
/// School days after which medical evidence asked for and not received is chased.
pub const EVIDENCE_CHASE_SCHOOL_DAYS: u32 = 5;

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
    /// A notice's period ended: whether attendance improved (a warning: whether there was
    /// no unauthorised absence in it).
    Outcome { improved: bool },
    /// A part-time timetable or a meeting's plan reviewed: the next review, or `None` when it
    /// ends (the pupil back full time, the plan complete).
    Reviewed { next: Option<NaiveDate> },
    /// The local authority told of a part-time timetable.
    LaTold { on: NaiveDate },
    /// Medical evidence received.
    Received { on: NaiveDate },
    /// Closed with why, whatever its kind: a notice unpaid and referred to the local
    /// authority, evidence never provided, a request entered twice.
    Closed { on: NaiveDate },
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

    /// The step that closed the case, if one did (a closed case takes no more).
    pub fn closed(&self) -> Option<&CaseEntry> {
        self.steps
            .iter()
            .find(|s| matches!(s.step, CaseStep::Closed { .. }))
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

/// Pounds and pence from pence: "£80", "£160.50".
pub fn pounds(pence: u32) -> String {
    if pence.is_multiple_of(100) {
        format!("£{}", pence / 100)
    } else {
        format!("£{}.{:02}", pence / 100, pence % 100)
    }
}

impl Case {
    /// The review date now standing for a part-time timetable or a meeting, or `None` once
    /// it has ended.
    pub fn next_review(&self) -> Option<NaiveDate> {
        let mut next = match self.body {
            CaseBody::PartTime { review, .. } | CaseBody::Meeting { review, .. } => Some(review),
            _ => return None,
        };
        for s in &self.steps {
            if let CaseStep::Reviewed { next: n } = s.step {
                next = n;
            }
        }
        next
    }

    fn step<T>(&self, pick: impl Fn(&CaseStep) -> Option<T>) -> Option<T> {
        self.steps.iter().rev().find_map(|s| pick(&s.step))
    }

    /// Where the case stands on `on`, in words, and what is due of whom, if anything: a
    /// request to decide, a notice's period ended, a review date come, evidence not received,
    /// a notice unpaid (SPEC §8).
    pub fn standing(&self, on: NaiveDate, calendar: &super::calendar::Calendar) -> Standing {
        if let Some(closed) = self.closed() {
            return Standing {
                words: format!("closed: {}", closed.note),
                open: false,
                due: None,
            };
        }
        let (words, due) = match &self.body {
            CaseBody::Leave { asked, from, .. } => {
                let taken: u32 = self
                    .steps
                    .iter()
                    .map(|s| match s.step {
                        CaseStep::Taken { sessions } => sessions,
                        _ => 0,
                    })
                    .sum();
                match self.leave_state() {
                    Some(LeaveState::Granted(code)) => (format!("granted as {code}"), None),
                    Some(LeaveState::Refused) if taken > 0 => (
                        format!("refused; {taken} sessions taken recorded as G"),
                        None,
                    ),
                    Some(LeaveState::Refused) => ("refused".into(), None),
                    _ => {
                        let ahead = (*from - *asked).num_days();
                        let when = if ahead >= 0 {
                            format!("asked {ahead} days ahead")
                        } else {
                            format!("asked {} days after it began", -ahead)
                        };
                        (
                            format!("waiting for a decision ({when})"),
                            Some("the head's decision".to_string()),
                        )
                    }
                }
            }
            CaseBody::Penalty { issued, second, .. } => match self.penalty_state(on) {
                Some(PenaltyState::Paid { pence }) => (format!("paid {}", pounds(pence)), None),
                Some(PenaltyState::Withdrawn) => ("withdrawn".into(), None),
                Some(PenaltyState::Unpaid) => (
                    "unpaid after 28 days".into(),
                    Some("for the local authority (prosecution)".into()),
                ),
                Some(PenaltyState::Open { due_pence, by }) => {
                    let reduced_until = *issued + chrono::Days::new(PENALTY_REDUCED_DAYS);
                    if !second && on <= reduced_until {
                        (
                            format!(
                                "{} if paid by {reduced_until}, then {} by {by}",
                                pounds(due_pence),
                                pounds(PENALTY_PENCE)
                            ),
                            None,
                        )
                    } else {
                        (format!("{} due by {by}", pounds(due_pence)), None)
                    }
                }
                None => (String::new(), None),
            },
            CaseBody::Notice { notice, ends, .. } => {
                let what = match notice {
                    NoticeKind::Improve => "notice to improve",
                    NoticeKind::Warning => "warning period",
                };
                match self.step(|s| match s {
                    CaseStep::Outcome { improved } => Some(*improved),
                    _ => None,
                }) {
                    Some(true) => (format!("{what} ended: improved"), None),
                    Some(false) => (format!("{what} ended: not improved"), None),
                    None if on > *ends => (
                        format!("{what} ended {ends}"),
                        Some("record the outcome (improved or not)".into()),
                    ),
                    None => (
                        format!(
                            "{what} to {ends} ({} school days left)",
                            calendar.school_days_between(on, *ends)
                        ),
                        None,
                    ),
                }
            }
            CaseBody::PartTime { la_told, .. } => {
                let told = la_told.or(self.step(|s| match s {
                    CaseStep::LaTold { on } => Some(*on),
                    _ => None,
                }));
                match self.next_review() {
                    None => ("part-time timetable ended: full time".into(), None),
                    Some(review) => {
                        let mut due = Vec::new();
                        if told.is_none() {
                            due.push("tell the local authority".to_string());
                        }
                        if review <= on {
                            due.push(format!("review (due {review})"));
                        }
                        (
                            format!(
                                "part-time (C2), review {review}{}",
                                told.map(|d| format!(", local authority told {d}"))
                                    .unwrap_or_default()
                            ),
                            (!due.is_empty()).then(|| due.join("; ")),
                        )
                    }
                }
            }
            CaseBody::Evidence { requested, .. } => match self.step(|s| match s {
                CaseStep::Received { on } => Some(*on),
                _ => None,
            }) {
                Some(on) => (format!("evidence received {on}"), None),
                None => {
                    let waited = calendar.school_days_between(*requested, on);
                    (
                        format!("evidence requested {requested}, not received"),
                        (waited >= EVIDENCE_CHASE_SCHOOL_DAYS).then(|| {
                            format!("chase the evidence ({waited} school days since asked)")
                        }),
                    )
                }
            },
            CaseBody::Meeting { meeting, .. } => match self.next_review() {
                None => (format!("{} complete", meeting.as_str()), None),
                Some(review) => (
                    format!("{}, review {review}", meeting.as_str()),
                    (review <= on)
                        .then(|| format!("review the {} (due {review})", meeting.as_str())),
                ),
            },
        };
        Standing {
            open: due.is_some() || self.waits(on),
            words,
            due,
        }
    }

    /// Waiting on someone outside the school, though nothing is due of the office yet.
    fn waits(&self, on: NaiveDate) -> bool {
        match &self.body {
            CaseBody::Penalty { .. } => {
                matches!(self.penalty_state(on), Some(PenaltyState::Open { .. }))
            }
            CaseBody::Notice { .. } => !self
                .steps
                .iter()
                .any(|s| matches!(s.step, CaseStep::Outcome { .. })),
            CaseBody::PartTime { .. } | CaseBody::Meeting { .. } => self.next_review().is_some(),
            CaseBody::Evidence { .. } => !self
                .steps
                .iter()
                .any(|s| matches!(s.step, CaseStep::Received { .. })),
            CaseBody::Leave { .. } => false,
        }
    }
}

impl Case {
    /// What the case is, in a line: "leave 2026-12-07 to 2026-12-11: family wedding".
    pub fn words(&self) -> String {
        match &self.body {
            CaseBody::Leave {
                from, to, reason, ..
            } => format!("leave {from} to {to}: {reason}"),
            CaseBody::Penalty {
                parent,
                issued,
                second,
            } => format!(
                "penalty notice to {parent}, issued {issued}{}",
                if *second { " (second)" } else { "" }
            ),
            CaseBody::Notice { notice, issued, .. } => match notice {
                NoticeKind::Improve => format!("notice to improve, issued {issued}"),
                NoticeKind::Warning => format!("local authority warning, issued {issued}"),
            },
            CaseBody::PartTime { from, .. } => format!("part-time timetable (C2) from {from}"),
            CaseBody::Evidence {
                ill_from,
                requested,
            } => format!("medical evidence for illness since {ill_from}, asked {requested}"),
            CaseBody::Meeting {
                meeting,
                held,
                people,
                actions,
                ..
            } => format!("{} {held} with {people}: {actions}", meeting.as_str()),
        }
    }

    /// Each step in words, oldest first: when, what, who and why.
    pub fn history(&self) -> Vec<String> {
        let o = &self.opened;
        let mut lines = vec![format!(
            "{} opened by {} ({}){}",
            o.at.format("%Y-%m-%d %H:%M"),
            o.name,
            o.position,
            if o.note.is_empty() {
                String::new()
            } else {
                format!(": {}", o.note)
            }
        )];
        for s in &self.steps {
            let what = match &s.step {
                CaseStep::Granted { code, .. } => format!("granted as {code}"),
                CaseStep::Refused => "refused".into(),
                CaseStep::Taken { sessions } => format!("{sessions} sessions recorded as G"),
                CaseStep::Paid { on, pence } => format!("paid {} on {on}", pounds(*pence)),
                CaseStep::Withdrawn { on } => format!("withdrawn on {on}"),
                CaseStep::Outcome { improved: true } => "ended: improved".into(),
                CaseStep::Outcome { improved: false } => "ended: not improved".into(),
                CaseStep::Reviewed { next: Some(d) } => format!("reviewed, next review {d}"),
                CaseStep::Reviewed { next: None } => "reviewed, ended".into(),
                CaseStep::LaTold { on } => format!("local authority told on {on}"),
                CaseStep::Received { on } => format!("received on {on}"),
                CaseStep::Closed { on } => format!("closed on {on}"),
            };
            lines.push(format!(
                "{} {what} by {} ({}): {}",
                s.at.format("%Y-%m-%d %H:%M"),
                s.name,
                s.position,
                s.note
            ));
        }
        lines
    }
}

/// Where a case stands: in words, whether it is still open, and what is due now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub words: String,
    pub open: bool,
    pub due: Option<String>,
}

/// The end of a notice's period: a notice to improve's `weeks` school weeks (3 to 6), or a
/// warning's 15 school days, counted from the day after it is issued.
pub fn notice_ends(
    notice: NoticeKind,
    issued: NaiveDate,
    weeks: Option<u32>,
    calendar: &super::calendar::Calendar,
) -> Result<NaiveDate, String> {
    let days = match (notice, weeks) {
        (NoticeKind::Warning, None) => WARNING_SCHOOL_DAYS,
        (NoticeKind::Warning, Some(_)) => {
            return Err(format!(
                "a warning period is {WARNING_SCHOOL_DAYS} school days: --weeks is for a notice to improve"
            ));
        }
        (NoticeKind::Improve, Some(w)) if IMPROVE_WEEKS.contains(&w) => w * 5,
        (NoticeKind::Improve, Some(w)) => {
            return Err(format!(
                "{w} school weeks: a notice to improve gives 3 to 6 school weeks"
            ));
        }
        (NoticeKind::Improve, None) => {
            return Err("a notice to improve needs its period: --weeks 3 to 6".into());
        }
    };
    calendar
        .add_school_days(issued, days)
        .ok_or_else(|| format!("the school calendar has no {days} school days after {issued}: add the next term to school.toml"))
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

/// Two names for a parent are the same parent when they differ only in case, spacing,
/// accents or how Unicode spells a letter ("Zoë" composed or with a combining mark, "Straße"
/// and "STRASSE"): the rule on a third notice errs toward asking, never toward a third.
pub fn same_parent(a: &str, b: &str) -> bool {
    // Letters and digits only: "Ms. Wood" and "Ms Wood", "O'Brien" and "OBrien",
    // "Zoë-Parker" and "Zoe Parker" are one parent.
    let norm = |s: &str| {
        deunicode::deunicode(s)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
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
    if code == Code::C2 {
        return Err(
            "C2 is a part-time timetable, agreed and reviewed (`parttime start`), not leave \
             a parent asks for"
                .into(),
        );
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
        // Composed and decomposed, and a sharp s written out.
        assert!(same_parent("Zo\u{eb} Brown", "Zoe\u{308} Brown"));
        assert!(same_parent("Stra\u{df}e Fox", "STRASSE FOX"));
        assert!(same_parent("Ms. Wood", "Ms Wood"));
        assert!(same_parent("Mr O'Brien.", "Mr OBrien"));
        assert!(same_parent("Zo\u{eb}-Parker", "Zoe Parker"));
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

//! Thresholds a school must act on (SPEC §4), each found with the sessions that triggered it.
//!
//! The national numbers live here as constants, in one place. Those a local authority's code of
//! conduct (or the school) may set differently are defaults of [`Thresholds`], which
//! school.toml's `[thresholds]` overrides (SPEC §4.10); missing education's 20 days is the
//! regulations' own and not configurable.

use super::calendar::Calendar;
use super::codes::{Code, StatClass};
use super::session::Session;
use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Unauthorised sessions within the rolling window that meet the penalty-notice threshold.
pub const PENALTY_SESSIONS: usize = 10;
/// Length of the penalty-notice window, in school weeks.
pub const PENALTY_SCHOOL_WEEKS: u32 = 10;
/// Continuous school days of unauthorised absence after which the local authority is told.
pub const CONTINUOUS_UNAUTHORISED_DAYS: usize = 10;
/// Continuous school days marked only `G`, `N` or `O` that are grounds for deletion as missing
/// education (reg 9(1)(i), 2024).
pub const MISSING_EDUCATION_DAYS: usize = 20;
/// School days of illness after which the local authority is told.
pub const ILLNESS_DAYS: u32 = 15;

/// Late arrivals (`L`, or `U`: after the close) within the lateness window that make a pupil
/// persistently late. Schools' policies name persistent lateness without a number; this is
/// the alert's, to be read beside the school's own.
pub const LATENESS_SESSIONS: usize = 5;
/// Length of the lateness window, in school weeks.
pub const LATENESS_SCHOOL_WEEKS: u32 = 4;

/// The reason recorded when an `N` past its deadline becomes `O`.
pub const OVERDUE_REASON: &str = "no reason established within 5 school days of the session";

/// School days within which an `N` must be resolved.
pub const N_RESOLVE_SCHOOL_DAYS: u32 = 5;

/// The thresholds as this school applies them: the national ones unless school.toml's
/// `[thresholds]` says otherwise (SPEC §4.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    pub penalty_sessions: usize,
    pub penalty_school_weeks: u32,
    pub continuous_unauthorised_days: usize,
    pub illness_days: u32,
    pub lateness_sessions: usize,
    pub lateness_school_weeks: u32,
    /// Attendance this year below which the local authority is told of a pupil with an
    /// EHC plan (seed 003; whole percent).
    pub ehcp_below_percent: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            penalty_sessions: PENALTY_SESSIONS,
            penalty_school_weeks: PENALTY_SCHOOL_WEEKS,
            continuous_unauthorised_days: CONTINUOUS_UNAUTHORISED_DAYS,
            illness_days: ILLNESS_DAYS,
            lateness_sessions: LATENESS_SESSIONS,
            lateness_school_weeks: LATENESS_SCHOOL_WEEKS,
            ehcp_below_percent: 90,
        }
    }
}

impl Thresholds {
    /// The fewest unauthorised sessions with which any threshold on them can be reached (a
    /// pupil with fewer in the period needs no closer look).
    pub fn fewest_unauthorised(&self) -> u32 {
        self.penalty_sessions.min(self.continuous_unauthorised_days) as u32
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdKind {
    PenaltyNotice,
    ContinuousUnauthorised,
    MissingEducation,
    Illness,
    UnresolvedN,
    /// Attendance fell below 90% this week (with at least 10 possible sessions).
    BecamePersistentAbsence,
    /// Attendance fell to 50% or below this week.
    BecameSevereAbsence,
    /// At least 5 late arrivals (`L` or `U`) in the last 4 school weeks.
    PersistentLateness,
    /// A child in need, on a protection plan or looked after, absent without a reason: the
    /// social worker is told on the first day (SPEC §8.7).
    TellSocialWorker,
    /// A looked-after child absent: the virtual school is told.
    TellVirtualSchool,
    /// A pupil with an EHC plan whose attendance this year is below the school's line: the
    /// local authority is told.
    EhcpAttendance,
    /// Late to lessons as often as to school makes "often late" (SPEC §8.8).
    LessonLateness,
}

impl ThresholdKind {
    /// Every kind, in the order stored ids are given: new kinds go at the end.
    pub const ALL: [ThresholdKind; 12] = [
        ThresholdKind::PenaltyNotice,
        ThresholdKind::ContinuousUnauthorised,
        ThresholdKind::MissingEducation,
        ThresholdKind::Illness,
        ThresholdKind::UnresolvedN,
        ThresholdKind::BecamePersistentAbsence,
        ThresholdKind::BecameSevereAbsence,
        ThresholdKind::PersistentLateness,
        ThresholdKind::TellSocialWorker,
        ThresholdKind::TellVirtualSchool,
        ThresholdKind::EhcpAttendance,
        ThresholdKind::LessonLateness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdKind::PenaltyNotice => "penalty_notice",
            ThresholdKind::ContinuousUnauthorised => "continuous_unauthorised",
            ThresholdKind::MissingEducation => "missing_education",
            ThresholdKind::Illness => "illness",
            ThresholdKind::UnresolvedN => "unresolved_n",
            ThresholdKind::BecamePersistentAbsence => "became_persistent_absence",
            ThresholdKind::BecameSevereAbsence => "became_severe_absence",
            ThresholdKind::PersistentLateness => "persistent_lateness",
            ThresholdKind::TellSocialWorker => "tell_social_worker",
            ThresholdKind::TellVirtualSchool => "tell_virtual_school",
            ThresholdKind::EhcpAttendance => "ehcp_attendance",
            ThresholdKind::LessonLateness => "lesson_lateness",
        }
    }

    /// Whether the threshold concerns pupils of compulsory school age only (SPEC §7.4): a
    /// penalty notice, the local authority's 10 days and missing education. Below it,
    /// absence is recorded and counted, but no such alert is due.
    pub fn compulsory_age_only(self) -> bool {
        matches!(
            self,
            ThresholdKind::PenaltyNotice
                | ThresholdKind::ContinuousUnauthorised
                | ThresholdKind::MissingEducation
        )
    }

    /// A few words for a list on screen.
    pub fn label(self) -> &'static str {
        match self {
            ThresholdKind::PenaltyNotice => "penalty notice",
            ThresholdKind::ContinuousUnauthorised => "10 days unauthorised",
            ThresholdKind::MissingEducation => "missing education",
            ThresholdKind::Illness => "15 days ill",
            ThresholdKind::UnresolvedN => "N unresolved",
            ThresholdKind::BecamePersistentAbsence => "became PA",
            ThresholdKind::BecameSevereAbsence => "became SA",
            ThresholdKind::PersistentLateness => "often late",
            ThresholdKind::TellSocialWorker => "tell social worker",
            ThresholdKind::TellVirtualSchool => "tell virtual school",
            ThresholdKind::EhcpAttendance => "EHC plan: attendance",
            ThresholdKind::LessonLateness => "often late to lessons",
        }
    }

    /// The kind a name (`penalty_notice`, or with spaces or dashes) stands for.
    pub fn parse(name: &str) -> Option<ThresholdKind> {
        let name = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn index(self) -> u8 {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as u8
    }

    pub fn from_index(index: u8) -> Option<ThresholdKind> {
        Self::ALL.get(usize::from(index)).copied()
    }

    /// Each unresolved `N` is its own alert; the others are one per pupil.
    pub fn per_session(self) -> bool {
        matches!(
            self,
            ThresholdKind::UnresolvedN
                | ThresholdKind::TellSocialWorker
                | ThresholdKind::TellVirtualSchool
        )
    }

    /// Alerts about what only the office may know of a pupil (a social worker, an EHC
    /// plan): never in a teacher's list.
    pub fn office_only(self) -> bool {
        matches!(
            self,
            ThresholdKind::TellSocialWorker
                | ThresholdKind::TellVirtualSchool
                | ThresholdKind::EhcpAttendance
        )
    }
}

/// Someone acted on an alert (a letter sent, a meeting held), with a note. It stays acted on
/// until the threshold is reached again by sessions after `through` alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActedOn {
    /// The last session of the alert's evidence when it was acted on.
    pub through: (NaiveDate, Session),
    pub note: String,
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

/// One session's mark, as the threshold rules read it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SessionMark {
    pub date: NaiveDate,
    pub session: Session,
    pub code: Code,
}

impl SessionMark {
    pub fn new(date: NaiveDate, session: Session, code: Code) -> Self {
        SessionMark {
            date,
            session,
            code,
        }
    }

    fn class(&self) -> StatClass {
        self.code.class_on(self.date)
    }
}

/// A threshold reached, with the sessions that reached it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: ThresholdKind,
    pub summary: String,
    pub evidence: Vec<SessionMark>,
}

/// 10 unauthorised sessions (the school's number) within the 10 school weeks (the school's)
/// ending with the week of `on`. `marks` must be sorted by date and session.
pub fn penalty_notice(
    marks: &[SessionMark],
    calendar: &Calendar,
    on: NaiveDate,
    limits: &Thresholds,
) -> Option<Hit> {
    let weeks = limits.penalty_school_weeks;
    let window_start = calendar.school_weeks_back(on, weeks);
    let evidence: Vec<SessionMark> = marks
        .iter()
        .filter(|m| m.date >= window_start && m.date <= on)
        .filter(|m| m.class() == StatClass::Unauthorised)
        .cloned()
        .collect();
    (evidence.len() >= limits.penalty_sessions).then(|| Hit {
        kind: ThresholdKind::PenaltyNotice,
        summary: format!(
            "{} unauthorised sessions in the {weeks} school weeks from {window_start} to {on}",
            evidence.len()
        ),
        evidence,
    })
}

/// Runs of at least 10 school days, from `from` to `on`, on which every register session was
/// marked as unauthorised absence: the local authority is told. A day with any other mark, or
/// not yet marked, ends a run.
pub fn continuous_unauthorised(
    marks: &[SessionMark],
    calendar: &Calendar,
    from: NaiveDate,
    on: NaiveDate,
    limits: &Thresholds,
) -> Vec<Hit> {
    runs_of_days(marks, calendar, from, on, |m| {
        m.class() == StatClass::Unauthorised
    })
    .into_iter()
    .filter(|run| run.days.len() >= limits.continuous_unauthorised_days)
    .map(|run| Hit {
        kind: ThresholdKind::ContinuousUnauthorised,
        summary: format!(
            "{} continuous school days of unauthorised absence ({} to {}): notify the local authority",
            run.days.len(),
            run.first(),
            run.last()
        ),
        evidence: run.evidence,
    })
    .collect()
}

/// Runs of at least 20 school days on which every session is `G`, `N` or `O`: the pupil has
/// not been seen and no reason is known, which (if they cannot be located) is the 2024 ground
/// for deletion as missing education. Any other code breaks a run, `U` included: a pupil
/// marked `U` arrived late and was seen in school.
pub fn missing_education(
    marks: &[SessionMark],
    calendar: &Calendar,
    from: NaiveDate,
    on: NaiveDate,
) -> Vec<Hit> {
    runs_of_days(marks, calendar, from, on, |m| {
        matches!(m.code, Code::G | Code::N | Code::O)
    })
    .into_iter()
    .filter(|run| run.days.len() >= MISSING_EDUCATION_DAYS)
    .map(|run| Hit {
        kind: ThresholdKind::MissingEducation,
        summary: format!(
            "{} continuous school days marked only G, N or O ({} to {}): if the pupil cannot be \
             located, grounds for deletion as missing education",
            run.days.len(),
            run.first(),
            run.last()
        ),
        evidence: run.evidence,
    })
    .collect()
}

/// Consecutive school days with every register session's mark passing `counts`.
struct Run {
    days: Vec<NaiveDate>,
    evidence: Vec<SessionMark>,
}

impl Run {
    fn first(&self) -> NaiveDate {
        self.days[0]
    }

    fn last(&self) -> NaiveDate {
        self.days[self.days.len() - 1]
    }
}

fn runs_of_days(
    marks: &[SessionMark],
    calendar: &Calendar,
    from: NaiveDate,
    on: NaiveDate,
    counts: impl Fn(&SessionMark) -> bool,
) -> Vec<Run> {
    let mut by_day: BTreeMap<NaiveDate, Vec<&SessionMark>> = BTreeMap::new();
    for m in marks.iter().filter(|m| m.date >= from && m.date <= on) {
        by_day.entry(m.date).or_default().push(m);
    }
    let mut runs = Vec::new();
    let mut current: Vec<NaiveDate> = Vec::new();
    let mut finish = |current: &mut Vec<NaiveDate>| {
        if !current.is_empty() {
            let days = std::mem::take(current);
            let evidence = days
                .iter()
                .flat_map(|d| by_day.get(d).into_iter().flatten())
                .map(|m| (*m).clone())
                .collect();
            runs.push(Run { days, evidence });
        }
    };
    for day in calendar.school_days(from, on) {
        let marked = by_day.get(&day).map(Vec::as_slice).unwrap_or(&[]);
        let every_session = Session::BOTH
            .into_iter()
            .filter(|s| calendar.is_school_session(day, *s))
            .all(|s| marked.iter().any(|m| m.session == s && counts(m)));
        if every_session {
            current.push(day);
        } else {
            finish(&mut current);
        }
    }
    finish(&mut current);
    runs
}

/// 5 or more late arrivals (`L`, `U`) in the 4 school weeks ending with the week of `on` (or
/// the school's numbers).
pub fn persistent_lateness(
    marks: &[SessionMark],
    calendar: &Calendar,
    on: NaiveDate,
    limits: &Thresholds,
) -> Option<Hit> {
    let weeks = limits.lateness_school_weeks;
    let window_start = calendar.school_weeks_back(on, weeks);
    let evidence: Vec<SessionMark> = marks
        .iter()
        .filter(|m| m.date >= window_start && m.date <= on)
        .filter(|m| matches!(m.code, Code::L | Code::U))
        .cloned()
        .collect();
    (evidence.len() >= limits.lateness_sessions).then(|| Hit {
        kind: ThresholdKind::PersistentLateness,
        summary: format!(
            "late {} times in the {weeks} school weeks from {window_start} to {on}",
            evidence.len()
        ),
        evidence,
    })
}

/// Late to lessons (`lates`: one per late arrival, dated and in its session) as often as the
/// school's lateness line in the same school weeks (SPEC §8.8).
pub fn lesson_lateness(
    lates: Vec<SessionMark>,
    window_start: NaiveDate,
    on: NaiveDate,
    limits: &Thresholds,
) -> Option<Hit> {
    let evidence: Vec<SessionMark> = lates
        .into_iter()
        .filter(|m| m.date >= window_start && m.date <= on)
        .collect();
    (evidence.len() >= limits.lateness_sessions).then(|| Hit {
        kind: ThresholdKind::LessonLateness,
        summary: format!(
            "late to lessons {} times in the {} school weeks from {window_start} to {on}",
            evidence.len(),
            limits.lateness_school_weeks
        ),
        evidence,
    })
}

/// Whether a hit still stands after someone acted on it: reached again by the sessions after
/// the ones it was acted on for.
pub fn reached_again(
    kind: ThresholdKind,
    evidence: &[SessionMark],
    acted: &ActedOn,
    limits: &Thresholds,
) -> bool {
    let after =
        |m: &SessionMark| (m.date, m.session.index()) > (acted.through.0, acted.through.1.index());
    match kind {
        // One alert per N: acting on it covers that session until it is resolved.
        ThresholdKind::UnresolvedN => evidence.iter().any(after),
        ThresholdKind::PenaltyNotice => {
            evidence.iter().filter(|m| after(m)).count() >= limits.penalty_sessions
        }
        ThresholdKind::PersistentLateness | ThresholdKind::LessonLateness => {
            evidence.iter().filter(|m| after(m)).count() >= limits.lateness_sessions
        }
        ThresholdKind::Illness => {
            evidence.iter().filter(|m| after(m)).count() as u32 >= limits.illness_days * 2
        }
        // A run is a new one when it starts after the acted-on one ended.
        ThresholdKind::ContinuousUnauthorised | ThresholdKind::MissingEducation => {
            evidence.first().is_some_and(after)
        }
        // Became PA or SA again: only after recovering, which is a new week's evidence.
        ThresholdKind::BecamePersistentAbsence | ThresholdKind::BecameSevereAbsence => {
            evidence.iter().any(after)
        }
        // Per session: a later absence is a new one to tell.
        ThresholdKind::TellSocialWorker
        | ThresholdKind::TellVirtualSchool
        | ThresholdKind::EhcpAttendance => evidence.iter().any(after),
    }
}

/// 15 school days (30 sessions) of illness from `from`, consecutive or not. The duty is for a
/// pupil *expected* to miss 15 days, so illness the office has pre-entered for sessions after
/// `on` (a planned operation, a hospital stay) counts too, up to `until`, and is named as such.
pub fn illness(
    marks: &[SessionMark],
    from: NaiveDate,
    on: NaiveDate,
    until: NaiveDate,
    limits: &Thresholds,
) -> Option<Hit> {
    let evidence: Vec<SessionMark> = marks
        .iter()
        .filter(|m| m.date >= from && m.date <= until && m.code == Code::I)
        .cloned()
        .collect();
    let sessions = evidence.len() as u32;
    let expected = evidence.iter().filter(|m| m.date > on).count();
    let ahead = if expected > 0 {
        format!(", {expected} of them pre-entered after {on}")
    } else {
        String::new()
    };
    (sessions >= limits.illness_days * 2).then(|| Hit {
        kind: ThresholdKind::Illness,
        summary: format!(
            "{} school days of illness ({sessions} sessions{ahead}) since {from}: notify the local authority",
            f64::from(sessions) / 2.0
        ),
        evidence,
    })
}

/// The last school day on which an `N` for a session on `date` may still be resolved.
pub fn n_deadline(calendar: &Calendar, date: NaiveDate) -> NaiveDate {
    calendar
        .add_school_days(date, N_RESOLVE_SCHOOL_DAYS)
        .unwrap_or(date + Days::new(7))
}

/// School days left on `on` before the deadline: 0 on the deadline itself, negative once past.
pub fn school_days_left(calendar: &Calendar, on: NaiveDate, deadline: NaiveDate) -> i64 {
    if on <= deadline {
        i64::from(calendar.school_days_between(on, deadline))
    } else {
        -i64::from(calendar.school_days_between(deadline, on))
    }
}

/// Every `N` still unresolved after its 5 school days, one hit each.
pub fn unresolved_n(marks: &[SessionMark], calendar: &Calendar, on: NaiveDate) -> Vec<Hit> {
    marks
        .iter()
        .filter(|m| m.code == Code::N && m.date <= on)
        .filter_map(|m| {
            let deadline = n_deadline(calendar, m.date);
            (on > deadline).then(|| Hit {
                kind: ThresholdKind::UnresolvedN,
                summary: format!(
                    "N for {} {} unresolved since its deadline {deadline}: establish a reason or record O",
                    m.date,
                    m.session.label()
                ),
                evidence: vec![m.clone()],
            })
        })
        .collect()
}

/// Who must be told today of a pupil's absence, by what is known of them (SPEC §8.7): the
/// social worker of a child in need, on a protection plan or looked after, absent without a
/// reason (`N`); the virtual school of a looked-after child absent for any reason. The alerts
/// and the Today desk both ask this, so they never disagree.
pub fn who_to_tell(
    c: &crate::domain::people::Characteristics,
    code: Code,
    on: NaiveDate,
) -> Vec<ThresholdKind> {
    let mut kinds = Vec::new();
    if (c.cin || c.cp || c.lac) && code == Code::N {
        kinds.push(ThresholdKind::TellSocialWorker);
    }
    if c.lac && code.class_on(on).is_absence() {
        kinds.push(ThresholdKind::TellVirtualSchool);
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{d, example};

    fn both(date: &str, code: &str) -> [SessionMark; 2] {
        [
            SessionMark::new(d(date), Session::Am, c(code)),
            SessionMark::new(d(date), Session::Pm, c(code)),
        ]
    }

    fn c(code: &str) -> Code {
        Code::parse(code).unwrap()
    }

    #[test]
    fn penalty_notice_window_spans_half_term() {
        let cal = example();
        // One U on Wednesday 2 September, nine more in the week of 9 November. On Friday 13
        // November the ten school weeks reach back to 31 August because half term is skipped;
        // ten calendar weeks would start on 7 September and miss the first one.
        let mut marks = vec![SessionMark::new(d("2026-09-02"), Session::Am, c("U"))];
        for (day, session) in [
            ("2026-11-09", Session::Am),
            ("2026-11-09", Session::Pm),
            ("2026-11-10", Session::Am),
            ("2026-11-10", Session::Pm),
            ("2026-11-11", Session::Am),
            ("2026-11-11", Session::Pm),
            ("2026-11-12", Session::Am),
            ("2026-11-12", Session::Pm),
            ("2026-11-13", Session::Am),
        ] {
            marks.push(SessionMark::new(d(day), session, c("G")));
        }
        let hit = penalty_notice(&marks, &cal, d("2026-11-13"), &Thresholds::default())
            .expect("threshold reached");
        assert_eq!(hit.evidence.len(), 10);
        assert_eq!(hit.evidence[0].date, d("2026-09-02"));
        assert!(hit.summary.contains("from 2026-08-31"), "{}", hit.summary);
        // A week later the September session has rolled out of the window.
        assert!(penalty_notice(&marks, &cal, d("2026-11-20"), &Thresholds::default()).is_none());
    }

    #[test]
    fn penalty_notice_counts_every_unauthorised_code_including_u_and_n() {
        let cal = example();
        let mut marks = Vec::new();
        for (i, code) in ["U", "N", "O", "G", "U"].iter().enumerate() {
            marks.extend(both(&format!("2026-11-{:02}", 16 + i), code));
        }
        assert_eq!(
            penalty_notice(&marks, &cal, d("2026-11-20"), &Thresholds::default())
                .unwrap()
                .evidence
                .len(),
            10
        );
        marks.pop();
        assert!(penalty_notice(&marks, &cal, d("2026-11-20"), &Thresholds::default()).is_none());
    }

    #[test]
    fn ten_continuous_school_days_of_unauthorised_absence_skip_weekends_and_closures() {
        let cal = example();
        let mut marks = Vec::new();
        // 16 November to 1 December: the INSET day (27th) and weekends are not school days.
        for day in cal.school_days(d("2026-11-16"), d("2026-11-30")) {
            marks.extend(both(&day.to_string(), "O"));
        }
        let hits = continuous_unauthorised(
            &marks,
            &cal,
            d("2026-09-01"),
            d("2026-11-30"),
            &Thresholds::default(),
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, ThresholdKind::ContinuousUnauthorised);
        assert!(
            hits[0].summary.starts_with("10 continuous"),
            "{}",
            hits[0].summary
        );
        assert_eq!(hits[0].evidence.len(), 20);
    }

    #[test]
    fn a_present_session_breaks_the_run() {
        let cal = example();
        let mut marks = Vec::new();
        for day in cal.school_days(d("2026-11-16"), d("2026-11-30")) {
            marks.extend(both(&day.to_string(), "O"));
        }
        marks
            .iter_mut()
            .find(|m| m.date == d("2026-11-20") && m.session == Session::Pm)
            .unwrap()
            .code = c("\\");
        assert!(
            continuous_unauthorised(
                &marks,
                &cal,
                d("2026-09-01"),
                d("2026-11-30"),
                &Thresholds::default()
            )
            .is_empty()
        );
    }

    #[test]
    fn nine_unauthorised_sessions_are_not_the_penalty_threshold_and_ten_are() {
        let cal = example();
        let days: Vec<_> = cal.school_days(d("2026-11-16"), d("2026-11-20")).collect();
        let marks: Vec<SessionMark> = days
            .iter()
            .flat_map(|day| both(&day.to_string(), "O"))
            .collect();
        assert!(
            penalty_notice(&marks[..9], &cal, d("2026-11-20"), &Thresholds::default()).is_none()
        );
        assert_eq!(
            penalty_notice(&marks[..10], &cal, d("2026-11-20"), &Thresholds::default())
                .unwrap()
                .evidence
                .len(),
            10
        );
    }

    /// Every school day from `from` marked `code`, for as many school days as `days`.
    fn school_days_marked(from: &str, days: usize, code: &str) -> Vec<SessionMark> {
        example()
            .school_days(d(from), d("2027-03-26"))
            .take(days)
            .flat_map(|day| both(&day.to_string(), code))
            .collect()
    }

    #[test]
    fn missing_education_is_twenty_school_days_of_g_n_or_o_across_half_term() {
        let cal = example();
        // From 12 October: half term (26-30 October) is not school days, so the run of 20
        // school days ends on 13 November.
        let mut marks = school_days_marked("2026-10-12", 20, "N");
        for (i, m) in marks.iter_mut().enumerate() {
            m.code = c(["G", "N", "O"][i % 3]);
        }
        let hits = missing_education(&marks, &cal, d("2026-09-01"), d("2026-11-13"));
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(
            hits[0].summary.starts_with("20 continuous"),
            "{}",
            hits[0].summary
        );
        assert!(
            hits[0].summary.contains("2026-10-12 to 2026-11-13"),
            "{}",
            hits[0].summary
        );
        // Nineteen days are not enough.
        let hits = missing_education(&marks[2..], &cal, d("2026-09-01"), d("2026-11-13"));
        assert!(hits.is_empty(), "{hits:?}");
    }

    #[test]
    fn u_counts_towards_the_penalty_notice_but_breaks_a_missing_education_run() {
        let cal = example();
        let mut marks = school_days_marked("2026-10-12", 20, "O");
        // A late arrival after the register closed, on day 10: the pupil was seen.
        marks[19].code = c("U");
        assert!(missing_education(&marks, &cal, d("2026-09-01"), d("2026-11-13")).is_empty());
        assert_eq!(
            continuous_unauthorised(
                &marks,
                &cal,
                d("2026-09-01"),
                d("2026-11-13"),
                &Thresholds::default()
            )
            .len(),
            1,
            "U is still unauthorised absence for the local authority's 10 days"
        );
        assert!(penalty_notice(&marks, &cal, d("2026-11-13"), &Thresholds::default()).is_some());
    }

    #[test]
    fn fifteen_days_of_illness_is_thirty_sessions() {
        let mut marks = Vec::new();
        for day in example().school_days(d("2026-09-01"), d("2026-09-21")) {
            marks.extend(both(&day.to_string(), "I"));
        }
        assert_eq!(marks.len(), 30);
        let year = (d("2026-08-01"), d("2027-07-31"));
        let hit = illness(
            &marks,
            year.0,
            d("2026-12-18"),
            year.1,
            &Thresholds::default(),
        )
        .unwrap();
        assert!(
            hit.summary
                .starts_with("15 school days of illness (30 sessions) since")
        );
        marks.pop();
        assert!(
            illness(
                &marks,
                year.0,
                d("2026-12-18"),
                year.1,
                &Thresholds::default()
            )
            .is_none()
        );
    }

    #[test]
    fn illness_the_office_has_pre_entered_counts_as_expected() {
        let mut marks = Vec::new();
        for day in example().school_days(d("2026-09-01"), d("2026-09-21")) {
            marks.extend(both(&day.to_string(), "I"));
        }
        // On 14 September, 10 of the 15 days are still ahead: the pupil is expected to miss 15.
        let on = d("2026-09-14");
        let hit = illness(
            &marks,
            d("2026-08-01"),
            on,
            d("2027-07-31"),
            &Thresholds::default(),
        )
        .unwrap();
        assert!(
            hit.summary
                .contains("(30 sessions, 10 of them pre-entered after 2026-09-14)"),
            "{}",
            hit.summary
        );
        // Pre-entered illness beyond the year's end is not this year's.
        assert!(
            illness(
                &marks,
                d("2026-08-01"),
                on,
                d("2026-09-18"),
                &Thresholds::default()
            )
            .is_none()
        );
    }

    #[test]
    fn n_deadline_counts_school_days_only() {
        let cal = example();
        // Friday 23 October, then half term: five school days run to Friday 6 November.
        assert_eq!(n_deadline(&cal, d("2026-10-23")), d("2026-11-06"));
        // Monday 23 November: the INSET day on Friday 27th does not count.
        assert_eq!(n_deadline(&cal, d("2026-11-23")), d("2026-12-01"));
        assert_eq!(school_days_left(&cal, d("2026-11-23"), d("2026-12-01")), 5);
        assert_eq!(school_days_left(&cal, d("2026-12-01"), d("2026-12-01")), 0);
        assert_eq!(school_days_left(&cal, d("2026-12-02"), d("2026-12-01")), -1);
    }

    #[test]
    fn an_n_is_overdue_the_school_day_after_its_deadline() {
        let cal = example();
        let marks = vec![SessionMark::new(d("2026-10-23"), Session::Am, c("N"))];
        assert!(unresolved_n(&marks, &cal, d("2026-11-06")).is_empty());
        let hits = unresolved_n(&marks, &cal, d("2026-11-09"));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].evidence, marks);
    }
}

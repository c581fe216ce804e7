//! Lesson registers (SPEC §8.8): a secondary school's periods, its timetable and the marks a
//! teacher takes in each lesson, beside (never instead of) the two statutory sessions. The
//! missing-pupil rule: a pupil the school knows is in (present at registration, or in an
//! earlier lesson today) who is not in a lesson is missing, unless a statutory code or a
//! sign-out says why.

use super::codes::Code;
use super::session::Session;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// One of the school day's periods (`[[periods]]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub name: String,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// How the school runs lesson registers (`[lessons]`, with `[[periods]]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonRules {
    /// The day's periods, in order, none overlapping.
    pub periods: Vec<Period>,
    /// A lesson register not taken this many minutes after the start is missing (10).
    pub register_within_minutes: u32,
    /// A missing pupil not found within this many minutes: inform the parents (15).
    pub inform_parents_after_minutes: u32,
    /// 1, or 2 for a week A/B timetable.
    pub rotation_weeks: u8,
    /// A Monday of week A (week 1), where the timetable rotates.
    pub week_one_begins: Option<NaiveDate>,
    /// The period whose lesson register is the statutory afternoon register, where the
    /// school takes it in a lesson (SPEC §8.8).
    pub pm_register_period: Option<String>,
}

impl Default for LessonRules {
    fn default() -> Self {
        LessonRules {
            periods: Vec::new(),
            register_within_minutes: 10,
            inform_parents_after_minutes: 15,
            rotation_weeks: 1,
            week_one_begins: None,
            pm_register_period: None,
        }
    }
}

impl LessonRules {
    /// Whether the statutory afternoon register is taken in this period's lessons.
    pub fn takes_afternoon_register(&self, period: &str) -> bool {
        self.pm_register_period.as_deref() == Some(period)
    }

    pub fn period(&self, name: &str) -> Option<&Period> {
        self.periods
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Which week of the rotation `date` is in: 1 (A) or 2 (B). Weeks count from the Monday
    /// of week one, before it as after it.
    pub fn week_of(&self, date: NaiveDate) -> u8 {
        let Some(first) = self.week_one_begins else {
            return 1;
        };
        if self.rotation_weeks <= 1 {
            return 1;
        }
        let monday = date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()));
        let weeks = (monday - first).num_days().div_euclid(7);
        (weeks.rem_euclid(i64::from(self.rotation_weeks)) + 1) as u8
    }

    /// The period under way at `time`, or the next to begin.
    pub fn current_or_next(&self, time: NaiveTime) -> Option<&Period> {
        self.periods
            .iter()
            .find(|p| time < p.end)
            .or(self.periods.last())
    }

    /// When a period's register is missing if not taken.
    pub fn register_due_by(&self, period: &Period) -> NaiveTime {
        period.start + chrono::Duration::minutes(i64::from(self.register_within_minutes))
    }
}

/// A lesson in the timetable: a class taught in a period on a weekday (in one week of a
/// rotation, or every week), by a teacher, in a room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// 1 (A) or 2 (B); `None`: every week.
    pub week: Option<u8>,
    pub weekday: Weekday,
    pub period: String,
    pub class: String,
    /// The teacher's account.
    pub teacher: String,
    pub room: String,
}

impl Slot {
    /// Whether the lesson is taught on `date`, in week `week` of the rotation.
    pub fn on(&self, date: NaiveDate, week: u8) -> bool {
        date.weekday() == self.weekday && self.week.is_none_or(|w| w == week)
    }
}

/// A teaching class: its subject and its pupils (UPNs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingClass {
    pub name: String,
    pub subject: String,
    pub pupils: Vec<String>,
}

/// What the attendance team did about a missing pupil.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingOutcome {
    /// Found, with where: "in the library".
    Found,
    /// The parents were told.
    ParentsInformed,
}

/// One entry in a missing pupil's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingAction {
    pub outcome: MissingOutcome,
    /// Where they were found, or who was told.
    pub note: String,
    pub account: String,
    pub name: String,
    pub at: NaiveDateTime,
}

/// A week of the rotation as people say it: A, B (or 1 when there is none).
pub fn week_name(week: u8, rotation_weeks: u8) -> String {
    if rotation_weeks <= 1 {
        return String::new();
    }
    ((b'A' + week.saturating_sub(1)) as char).to_string()
}

/// Parses a week as a timetable file writes it: A/B or 1/2 (empty: every week).
pub fn parse_week(text: &str, rotation_weeks: u8) -> Result<Option<u8>, String> {
    let t = text.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    let week = match t.as_str() {
        "A" | "1" => 1,
        "B" | "2" => 2,
        _ => return Err(format!("`{text}` is not a week (A or B)")),
    };
    if rotation_weeks <= 1 || week > rotation_weeks {
        return Err(format!(
            "week {t}: the school's timetable has one week (set [lessons] rotation_weeks = 2)"
        ));
    }
    Ok(Some(week))
}

/// What a teacher records in a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonCode {
    Present,
    Late,
    /// Not in the lesson, no reason known: `N`.
    Absent,
}

impl LessonCode {
    pub fn parse(text: &str) -> Result<LessonCode, String> {
        match text.trim() {
            "/" | "\\" | "P" | "p" => Ok(LessonCode::Present),
            "L" | "l" => Ok(LessonCode::Late),
            "N" | "n" => Ok(LessonCode::Absent),
            other => Err(format!(
                "`{other}` is not a lesson code: / (present), L (late) or N (not in the lesson); \
                 a reason for an absence is the statutory register's"
            )),
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            LessonCode::Present => "/",
            LessonCode::Late => "L",
            LessonCode::Absent => "N",
        }
    }

    pub fn index(self) -> u8 {
        match self {
            LessonCode::Present => 0,
            LessonCode::Late => 1,
            LessonCode::Absent => 2,
        }
    }

    pub fn from_index(i: u8) -> Option<LessonCode> {
        [LessonCode::Present, LessonCode::Late, LessonCode::Absent]
            .get(i as usize)
            .copied()
    }
}

/// A lesson mark as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonMark {
    pub class: String,
    pub code: LessonCode,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// Minutes late to a lesson arriving at `arrived` (none when on time).
pub fn minutes_late(period: &Period, arrived: NaiveTime) -> Option<u16> {
    let minutes = (arrived - period.start).num_minutes();
    (minutes > 0).then(|| minutes.min(i64::from(u16::MAX)) as u16)
}

/// Which statutory session a period lies in: the afternoon's from its register's opening.
pub fn session_of(period: &Period, pm_opens: NaiveTime) -> Session {
    if period.start >= pm_opens {
        Session::Pm
    } else {
        Session::Am
    }
}

/// Why a pupil not in a lesson is expected away, from what the school knows of the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// The statutory register explains it (ill, a dentist, a trip): its code.
    Statutory(Code),
    /// Signed out earlier today, at this time.
    SignedOut(NaiveTime),
}

/// Whether a pupil marked `N` in a lesson is missing (SPEC §8.8): the school knew they were
/// in (`known_in`: present or late at the session's registration, or present in an earlier
/// lesson today) and nothing explains the absence (`expected`: a statutory absence code for
/// the session, a sign-out).
pub fn is_missing(code: LessonCode, known_in: bool, expected: Option<&Expected>) -> bool {
    code == LessonCode::Absent && known_in && expected.is_none()
}

/// What the statutory mark says of a pupil for a lesson: on site (present, late, or a `U`
/// who arrived), away for a reason (any other code: ill, a dentist, a trip, approved
/// activity elsewhere), or nothing known yet (`N`, a `U` never seen, no mark).
pub fn statutory_says(code: Option<Code>, arrived: Option<NaiveTime>) -> (bool, Option<Expected>) {
    match code {
        None | Some(Code::N) => (false, None),
        Some(c) if super::desk::on_site(c, arrived) => (true, None),
        Some(Code::U) => (false, None),
        Some(c) => (false, Some(Expected::Statutory(c))),
    }
}

/// The weekday as a timetable file writes it: Mon..Fri, or Monday, or 1..5.
pub fn parse_weekday(text: &str) -> Result<Weekday, String> {
    let t = text.trim().to_ascii_lowercase();
    let day = match t.as_str() {
        "1" => Some(Weekday::Mon),
        "2" => Some(Weekday::Tue),
        "3" => Some(Weekday::Wed),
        "4" => Some(Weekday::Thu),
        "5" => Some(Weekday::Fri),
        "6" => Some(Weekday::Sat),
        "7" => Some(Weekday::Sun),
        _ => super::calendar::parse_weekday(&t),
    };
    day.ok_or_else(|| format!("`{text}` is not a weekday (Mon to Fri, or 1 to 5)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_two_week_timetable_alternates_from_week_one_before_and_after() {
        let rules = LessonRules {
            rotation_weeks: 2,
            week_one_begins: Some(d("2026-09-07")),
            ..LessonRules::default()
        };
        assert_eq!(rules.week_of(d("2026-09-07")), 1);
        assert_eq!(rules.week_of(d("2026-09-11")), 1);
        assert_eq!(rules.week_of(d("2026-09-14")), 2);
        assert_eq!(rules.week_of(d("2026-09-21")), 1);
        // The week before week one is week B.
        assert_eq!(rules.week_of(d("2026-09-04")), 2);
        assert_eq!(week_name(2, 2), "B");
        assert_eq!(parse_week("b", 2), Ok(Some(2)));
        assert!(parse_week("B", 1).is_err());
        assert!(parse_week("A", 1).is_err());
        assert_eq!(parse_week("", 1), Ok(None));
        assert!(parse_week("C", 2).is_err());
    }

    #[test]
    fn a_pupil_is_missing_only_when_known_in_and_not_explained() {
        let p = Period {
            name: "P3".into(),
            start: t("11:00"),
            end: t("12:00"),
        };
        assert_eq!(minutes_late(&p, t("11:00")), None);
        assert_eq!(minutes_late(&p, t("11:07")), Some(7));
        let (in_at_reg, why) = statutory_says(Some(Code::PresentAm), None);
        assert!(is_missing(LessonCode::Absent, in_at_reg, why.as_ref()));
        // At the dentist (M) this morning: expected away, not missing.
        let (in_at_reg, why) = statutory_says(Some(Code::M), None);
        assert!(!is_missing(LessonCode::Absent, in_at_reg, why.as_ref()));
        // Signed out: not missing.
        let out = Expected::SignedOut(t("10:30"));
        assert!(!is_missing(LessonCode::Absent, true, Some(&out)));
        // Not known to be in (N at registration, nothing earlier): absent, not missing.
        let (in_at_reg, why) = statutory_says(Some(Code::N), None);
        assert!(!is_missing(LessonCode::Absent, in_at_reg, why.as_ref()));
        assert!(!is_missing(LessonCode::Present, true, None));
    }
}

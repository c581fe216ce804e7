//! The office's desk as the screens show it: today's absences, the fire list, a pupil's year, a group's week, stages, alerts.

use crate::domain::codes::Code;
use crate::domain::people::YearGroup;
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::domain::thresholds::{ActedOn, SessionMark, ThresholdKind};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Alert {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub kind: ThresholdKind,
    pub summary: String,
    pub evidence: Vec<SessionMark>,
    /// What was done about it, while that still stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acted: Option<ActedOn>,
}

/// The office's view of a session: who is away or unmarked, and which registers are missing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayView {
    pub date: NaiveDate,
    pub session: Session,
    /// Why the session is not a school session, if it is not.
    pub not_in_session: Option<String>,
    pub pupils: Vec<AwayPupil>,
    pub missing: Vec<MissingRegister>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayPupil {
    pub upn: String,
    pub name: String,
    pub group: String,
    /// `None`: not marked yet.
    pub code: Option<Code>,
    /// School days in a row away, today included when marked away.
    pub days_in_a_row: u32,
    /// Calls made today, oldest first.
    pub contacted: Vec<crate::domain::desk::DeskEntry>,
    /// Who to call, in order.
    #[serde(default)]
    pub contacts: Vec<crate::domain::people::Contact>,
    /// Who must be told of this absence by what is known of the pupil (the social worker,
    /// the virtual school), each as the alerts raise it.
    #[serde(default)]
    pub duties: Vec<DutyToday>,
}

/// A duty the absence brings, and whether it was acted on today (in alerts).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DutyToday {
    pub kind: crate::domain::thresholds::ThresholdKind,
    /// "tell the social worker: Pat Lee 0161 496 0999".
    pub words: String,
    /// Acted on for today: who and when.
    pub done: Option<crate::domain::thresholds::ActedOn>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MissingRegister {
    pub group: String,
    /// Who takes it: the tutors by name, or the teacher covering it.
    pub takers: Vec<String>,
    pub marked: u32,
    pub on_roll: u32,
}

/// The fire list: pupils on site this session, by group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSiteView {
    pub date: NaiveDate,
    pub session: Session,
    pub now: NaiveDateTime,
    pub groups: Vec<OnSiteGroup>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSiteGroup {
    pub group: String,
    pub pupils: Vec<OnSitePupil>,
    /// Signed out earlier today: on the register, not in the building.
    pub signed_out: Vec<OnSitePupil>,
    /// Pupils on roll without a mark this session: not known either way.
    pub unmarked: Vec<OnSitePupil>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSitePupil {
    pub upn: String,
    pub name: String,
    pub code: Option<Code>,
    pub arrived: Option<NaiveTime>,
    /// For a pupil signed out: when, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<(NaiveTime, String)>,
}

/// A pupil's year: a row per school week, two cells per weekday.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilYear {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub year: YearGroup,
    /// Office staff's: a teacher is not given it.
    pub dob: Option<NaiveDate>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<WeekRow>,
    /// The year to date (to now).
    pub tally: Tally,
    pub detail: crate::domain::figures::Detail,
    pub band: Option<String>,
    /// Sessions of this school year recorded at other schools (a transfer file, an import
    /// of their registers): shown apart, in none of the figures above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elsewhere: Vec<AtAnotherSchool>,
    /// The pupil's casework, two lines a case (where it stands, then what it is), for
    /// office staff only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub casework: Vec<String>,
    /// Who the office calls, in order (office staff only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<crate::domain::people::Contact>,
    /// The pupil's characteristics in words today (office staff only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub characteristics: String,
    /// For a teacher: the office holds more about this pupil (never what).
    #[serde(default)]
    pub more_with_the_office: bool,
}

/// A pupil's sessions of one school year at another school.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AtAnotherSchool {
    pub school: crate::domain::people::OtherSchool,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub tally: Tally,
}

impl AtAnotherSchool {
    /// One line, the same on screen and on paper.
    pub fn line(&self) -> String {
        format!(
            "{} ({}/{}), {} to {}: {} possible, {} attended (not in this school's figures)",
            self.school.name,
            self.school.la,
            self.school.estab,
            self.from.format("%d %b"),
            self.to.format("%d %b"),
            self.tally.possible(),
            self.tally
                .attendance_pct()
                .map_or("-".to_string(), |p| format!("{p:.1}%"))
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekRow {
    pub monday: NaiveDate,
    /// Monday to Friday, AM then PM.
    pub days: [DayCells; 5],
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DayCells {
    /// Not a school day (weekend, holiday, half term, closure).
    pub closed: bool,
    pub codes: [Option<Code>; 2],
}

/// Weeks of attendance the weekly chart shows, this one included.
pub const CHART_WEEKS: usize = 12;

/// A group's week: its pupils' ten sessions, and the weekly chart.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupWeek {
    pub group: String,
    pub monday: NaiveDate,
    /// Monday to Friday: not a school day.
    pub closed: [bool; 5],
    pub pupils: Vec<WeekPupil>,
    /// Oldest first, ending with this week: the group's and the school's attendance.
    pub weekly: Vec<WeekFigures>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekPupil {
    pub upn: String,
    pub name: String,
    pub days: [[Option<Code>; 2]; 5],
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekFigures {
    pub monday: NaiveDate,
    pub group: Tally,
    pub school: Tally,
}

/// A pupil at a stage of the school's intervention.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilStage {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub stage: crate::domain::stages::Stage,
    /// Its place in the school's list, from 1.
    pub number: usize,
    /// What reached it.
    pub why: String,
    pub days_in_a_row: u32,
    pub year: Tally,
    /// Actions done this school year, at any stage, oldest first.
    pub done: Vec<crate::domain::desk::DeskEntry>,
}

/// A pupil leaving before the end of the day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOutRequest {
    pub upn: String,
    pub date: Option<NaiveDate>,
    /// When they left: now if not given.
    pub at: Option<NaiveTime>,
    pub reason: String,
    /// Whether the pupil is expected back today.
    #[serde(default)]
    pub back_today: bool,
    /// For a pupil not back today: the code for the sessions of the day they miss.
    #[serde(default)]
    pub code: Option<String>,
}

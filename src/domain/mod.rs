//! The rules of registration, as pure functions: no I/O, no clock reads (time is passed in).

pub mod calendar;
pub mod casework;
pub mod codes;
pub mod dates;
pub mod desk;
pub mod figures;
pub mod lessons;
pub mod marks;
pub mod patterns;
pub mod people;
pub mod register;
pub mod session;
pub mod stages;
pub mod stats;
pub mod text;
pub mod thresholds;
pub mod validity;

use calendar::Calendar;
use people::Group;
use serde::{Deserialize, Serialize};
use session::SessionPlan;
use stats::Band;

/// A school's validated configuration: everything the rules need to know about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    pub urn: Option<String>,
    pub la: Option<String>,
    pub estab: Option<String>,
    pub sessions: SessionPlan,
    pub calendar: Calendar,
    /// Sorted from the highest minimum down.
    pub bands: Vec<Band>,
    pub groups: Vec<Group>,
    /// The codes teachers may enter: present, late and `N` unless the school adds more (some
    /// let teachers enter `V` for a trip they lead).
    pub teacher_codes: Vec<codes::Code>,
    /// The school's stages of intervention, in the order a pupil moves through them.
    #[serde(default)]
    pub stages: Vec<stages::Stage>,
    /// Percentage points a pupil's attendance must rise by, on the period before, to be on
    /// the list of the improved (`[recognition] improved_by_points`; SPEC §3.7).
    #[serde(default = "stats::default_improved_by_points")]
    pub improved_by_points: f64,
    /// The thresholds the school acts on: the national ones unless `[thresholds]` sets its
    /// local authority's (SPEC §4.10).
    #[serde(default)]
    pub thresholds: thresholds::Thresholds,
    /// Times for some year groups or groups in place of the school's (`[[timings]]`, SPEC
    /// §1.7): an infant school's 8:40, a nursery's 8:45.
    #[serde(default)]
    pub timings: Vec<Timing>,
    /// Periods and lesson registers (`[[periods]]`, `[lessons]`; SPEC §8.8): none for a
    /// school that takes only the statutory registers.
    #[serde(default)]
    pub lessons: lessons::LessonRules,
}

/// Named session times for some year groups or registration groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub name: String,
    pub years: Vec<people::YearGroup>,
    pub groups: Vec<String>,
    pub sessions: SessionPlan,
}

impl School {
    /// The times a register follows: a timing naming its group, else one naming the year
    /// group of its pupils (`year`), else the school's (SPEC §1.7).
    pub fn plan_for(&self, group: &str, year: Option<people::YearGroup>) -> &SessionPlan {
        self.timings
            .iter()
            .find(|t| t.groups.iter().any(|g| g == group))
            .or_else(|| year.and_then(|y| self.timings.iter().find(|t| t.years.contains(&y))))
            .map_or(&self.sessions, |t| &t.sessions)
    }

    /// Whether finding a group's times needs its pupils' year: some timing is by year, and
    /// none names the group.
    pub fn needs_year(&self, group: &str) -> bool {
        self.timings.iter().any(|t| !t.years.is_empty())
            && !self
                .timings
                .iter()
                .any(|t| t.groups.iter().any(|g| g == group))
    }

    /// Whether a session has begun for anyone by `now`: the earliest of the school's and its
    /// timings' openings (figures count a session once any register of it may be marked).
    pub fn has_begun(
        &self,
        date: chrono::NaiveDate,
        session: session::Session,
        now: chrono::NaiveDateTime,
    ) -> bool {
        self.sessions.has_begun(date, session, now)
            || self
                .timings
                .iter()
                .any(|t| t.sessions.has_begun(date, session, now))
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}

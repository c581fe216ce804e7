//! The rules of registration, as pure functions: no I/O, no clock reads (time is passed in).

pub mod calendar;
pub mod casework;
pub mod codes;
pub mod dates;
pub mod desk;
pub mod figures;
pub mod marks;
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
}

impl School {
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}

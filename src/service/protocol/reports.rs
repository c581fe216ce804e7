//! Reports: what they are broken down by, the filters, and a row of figures.

use crate::domain::stats::Tally;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportBy {
    Pupil,
    Group,
    Year,
    School,
    /// One row for all pupils, then one per characteristic (office staff), as the DfE's
    /// tables break absence down by FSM and SEN status.
    Cohort,
}

/// Which pupils a report counts, and whether it is set beside the period before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Only pupils of compulsory school age (5 to 15 on the previous 31 August), as DfE
    /// headline figures count.
    #[serde(default)]
    pub compulsory_age: bool,
    /// Only persistently (or severely) absent pupils over the period.
    #[serde(default)]
    pub only: Option<AbsenceLevel>,
    /// Also count the period of the same length just before, row by row.
    #[serde(default)]
    pub compare: bool,
    /// Only the pupils with a characteristic on the period's last day (office staff).
    #[serde(default)]
    pub cohort: Option<Cohort>,
}

/// A characteristic the DfE's and a trust's figures are broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    /// SEN support or an EHC plan.
    Sen,
    Ehcp,
    Fsm,
    Pp,
    Lac,
    Cin,
    Cp,
    Eal,
}

impl Cohort {
    /// Every cohort, in the order a keypress steps through them.
    pub const ALL: [Cohort; 8] = [
        Cohort::Sen,
        Cohort::Ehcp,
        Cohort::Fsm,
        Cohort::Pp,
        Cohort::Lac,
        Cohort::Cin,
        Cohort::Cp,
        Cohort::Eal,
    ];

    /// As a heading says it.
    pub fn label(self) -> &'static str {
        match self {
            Cohort::Sen => "SEN",
            Cohort::Ehcp => "EHC plan",
            Cohort::Fsm => "FSM",
            Cohort::Pp => "PP",
            Cohort::Lac => "LAC",
            Cohort::Cin => "CIN",
            Cohort::Cp => "CP",
            Cohort::Eal => "EAL",
        }
    }

    pub fn holds(self, c: &crate::domain::people::Characteristics) -> bool {
        use crate::domain::people::Sen;
        match self {
            Cohort::Sen => c.sen != Sen::None,
            Cohort::Ehcp => c.sen == Sen::Ehcp,
            Cohort::Fsm => c.fsm,
            Cohort::Pp => c.pp,
            Cohort::Lac => c.lac,
            Cohort::Cin => c.cin,
            Cohort::Cp => c.cp,
            Cohort::Eal => c.eal,
        }
    }
}

/// Whether a pupil with these characteristics is in a cohort.
pub type InCohort = fn(&crate::domain::people::Characteristics) -> bool;

/// The rows of a report by cohort after "all": each a name and who is in it on the
/// period's last day. Not-FSM and no-SEN stand beside FSM and SEN as the DfE's tables set
/// them, so a gap can be read off.
pub const COHORT_ROWS: [(&str, InCohort); 10] = [
    ("fsm", |c| c.fsm),
    ("not fsm", |c| !c.fsm),
    ("sen support", |c| {
        c.sen == crate::domain::people::Sen::Support
    }),
    ("ehc plan", |c| c.sen == crate::domain::people::Sen::Ehcp),
    ("no sen", |c| c.sen == crate::domain::people::Sen::None),
    ("pp", |c| c.pp),
    ("lac", |c| c.lac),
    ("cin", |c| c.cin),
    ("cp", |c| c.cp),
    ("eal", |c| c.eal),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AbsenceLevel {
    /// Persistent absence: 10% or more (severe included).
    Pa,
    /// Severe absence: 50% or more.
    Sa,
    /// Full attendance: possible sessions and none missed (recognition).
    Full,
    /// Attendance up by at least the school's `improved_by_points` on the period before.
    Improved,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportRow {
    /// UPN, group name, year group or the school's name.
    pub key: String,
    /// Pupil's name, or the number of pupils for an aggregate.
    pub label: String,
    pub pupils: u32,
    pub tally: Tally,
    pub attendance_pct: Option<f64>,
    pub absence_pct: Option<f64>,
    /// For a pupil 1 or 0; for an aggregate, how many of its pupils.
    pub pa: u32,
    pub sa: u32,
    pub band: Option<String>,
    /// Counts by code, lateness and absence by weekday.
    #[serde(default)]
    pub detail: crate::domain::figures::Detail,
    /// The same key over the period before, when asked for.
    #[serde(default)]
    pub previous: Option<PreviousPeriod>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreviousPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub possible: u32,
    pub attendance_pct: Option<f64>,
}

//! A school's configuration as TOML spells it, each value with where it is in the file.
//! Unknown fields are errors (`deny_unknown_fields`), never ignored.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) school: RawSchool,
    pub(super) sessions: RawSessions,
    #[serde(default)]
    pub(super) terms: Vec<RawTerm>,
    #[serde(default)]
    pub(super) closures: Vec<RawClosure>,
    #[serde(default)]
    pub(super) bands: Vec<RawBand>,
    #[serde(default)]
    pub(super) groups: Vec<RawGroup>,
    pub(super) codes: Option<RawCodes>,
    #[serde(default)]
    pub(super) stages: Vec<RawStage>,
    pub(super) recognition: Option<RawRecognition>,
    pub(super) thresholds: Option<RawThresholds>,
    #[serde(default)]
    pub(super) timings: Vec<RawTiming>,
    #[serde(default)]
    pub(super) periods: Vec<RawPeriod>,
    pub(super) lessons: Option<RawLessons>,
}

/// A period of the school day (lesson registers).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPeriod {
    pub(super) name: Spanned<String>,
    pub(super) start: Spanned<String>,
    pub(super) end: Spanned<String>,
}

/// How lesson registers run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLessons {
    pub(super) register_within_minutes: Option<Spanned<i64>>,
    pub(super) inform_parents_after_minutes: Option<Spanned<i64>>,
    pub(super) rotation_weeks: Option<Spanned<i64>>,
    pub(super) week_one_begins: Option<Spanned<String>>,
    pub(super) pm_register_period: Option<Spanned<String>>,
}

/// A year group as written: `"R"`, `"2"`, or a bare number `2`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawYear {
    Text(String),
    Number(i64),
}

impl std::fmt::Display for RawYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawYear::Text(t) => f.write_str(t),
            RawYear::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Named times for some year groups or groups, in place of `[sessions]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTiming {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) years: Vec<Spanned<RawYear>>,
    #[serde(default)]
    pub(super) groups: Vec<Spanned<String>>,
    pub(super) am: Option<RawTimes>,
    pub(super) pm: Option<RawTimes>,
}

/// The thresholds a local authority (or the school) sets in place of the national ones.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThresholds {
    pub(super) penalty_sessions: Option<Spanned<i64>>,
    pub(super) penalty_school_weeks: Option<Spanned<i64>>,
    pub(super) continuous_unauthorised_days: Option<Spanned<i64>>,
    pub(super) illness_days: Option<Spanned<i64>>,
    pub(super) lateness_sessions: Option<Spanned<i64>>,
    pub(super) lateness_school_weeks: Option<Spanned<i64>>,
    pub(super) ehcp_below_percent: Option<Spanned<i64>>,
}

/// What the school recognises (`report --only full|improved`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecognition {
    pub(super) improved_by_points: Option<Spanned<f64>>,
}

/// A stage of intervention: triggers and the action due (see `domain::stages`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStage {
    pub(super) name: Spanned<String>,
    pub(super) action: Spanned<String>,
    pub(super) days_in_a_row: Option<Spanned<i64>>,
    pub(super) sessions: Option<Spanned<i64>>,
    pub(super) below_percent: Option<Spanned<f64>>,
    pub(super) unauthorised_sessions: Option<Spanned<i64>>,
    pub(super) within_school_days: Option<Spanned<i64>>,
    pub(super) last_year_below_percent: Option<Spanned<f64>>,
    pub(super) ill_days_without_evidence: Option<Spanned<i64>>,
    pub(super) letter: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCodes {
    /// The codes teachers may enter.
    pub(super) teacher: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchool {
    pub(super) name: Spanned<String>,
    pub(super) urn: Option<Spanned<String>>,
    pub(super) la: Option<Spanned<String>>,
    pub(super) estab: Option<Spanned<String>>,
    pub(super) weekdays: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSessions {
    pub(super) am: RawTimes,
    pub(super) pm: RawTimes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTimes {
    pub(super) opens_at: Spanned<String>,
    pub(super) register_at: Spanned<String>,
    pub(super) closes_at: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerm {
    pub(super) name: Spanned<String>,
    pub(super) start: Spanned<String>,
    pub(super) end: Spanned<String>,
    #[serde(default)]
    pub(super) half_terms: Vec<RawRange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRange {
    pub(super) start: Spanned<String>,
    pub(super) end: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClosure {
    pub(super) date: Spanned<String>,
    pub(super) sessions: Option<Spanned<String>>,
    pub(super) reason: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBand {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) label: String,
    pub(super) min: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) tutors: Vec<Spanned<String>>,
}

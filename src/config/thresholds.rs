//! `[thresholds]`: the thresholds a local authority's code of conduct (or the school) sets in
//! place of the national ones (SPEC §4.10). Each is optional; an absent one is the national.

use super::raw::RawThresholds;
use super::reader::{ConfigError, Reader};
use crate::domain::thresholds::Thresholds;
use toml::Spanned;

pub(super) fn read_thresholds(
    r: &Reader,
    raw: Option<&RawThresholds>,
) -> Result<Thresholds, ConfigError> {
    let mut limits = Thresholds::default();
    let Some(raw) = raw else {
        return Ok(limits);
    };
    // A school year has 39 school weeks and 195 school days: a window or a run longer than
    // that could never be reached, which is a mistake, not a policy.
    let count = |value: &Option<Spanned<i64>>, key: &str, most: i64, what: &str| match value {
        None => Ok(None),
        Some(v) if (1..=most).contains(v.get_ref()) => Ok(Some(*v.get_ref() as u32)),
        Some(v) => r.error(
            v.span().start,
            &format!("thresholds.{key}"),
            format!("{} is not a number of {what} from 1 to {most}", v.get_ref()),
        ),
    };
    if let Some(n) = count(&raw.penalty_sessions, "penalty_sessions", 380, "sessions")? {
        limits.penalty_sessions = n as usize;
    }
    if let Some(n) = count(
        &raw.penalty_school_weeks,
        "penalty_school_weeks",
        39,
        "school weeks",
    )? {
        limits.penalty_school_weeks = n;
    }
    if let Some(n) = count(
        &raw.continuous_unauthorised_days,
        "continuous_unauthorised_days",
        190,
        "school days",
    )? {
        limits.continuous_unauthorised_days = n as usize;
    }
    if let Some(n) = count(&raw.illness_days, "illness_days", 190, "school days")? {
        limits.illness_days = n;
    }
    if let Some(n) = count(&raw.lateness_sessions, "lateness_sessions", 380, "sessions")? {
        limits.lateness_sessions = n as usize;
    }
    if let Some(n) = count(
        &raw.lateness_school_weeks,
        "lateness_school_weeks",
        39,
        "school weeks",
    )? {
        limits.lateness_school_weeks = n;
    }
    if let Some(n) = count(
        &raw.ehcp_below_percent,
        "ehcp_below_percent",
        100,
        "percent",
    )? {
        limits.ehcp_below_percent = n;
    }
    // A school week has at most 10 sessions: more sessions than the window holds could
    // never be reached, which is a mistake, not a policy.
    for (sessions, weeks, key) in [
        (
            limits.penalty_sessions,
            limits.penalty_school_weeks,
            (&raw.penalty_sessions, "penalty_sessions"),
        ),
        (
            limits.lateness_sessions,
            limits.lateness_school_weeks,
            (&raw.lateness_sessions, "lateness_sessions"),
        ),
    ] {
        if sessions > weeks as usize * 10 {
            let offset = key.0.as_ref().map_or(0, |v| v.span().start);
            return r.error(
                offset,
                &format!("thresholds.{}", key.1),
                format!(
                    "{sessions} sessions can never be reached in {weeks} school week(s) of at \
                     most 10 sessions each"
                ),
            );
        }
    }
    Ok(limits)
}

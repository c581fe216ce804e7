//! `[[stages]]`: the school's stages of intervention, in the order a pupil moves through
//! them, each with its triggers, its action and its letter.

use super::raw::RawStage;
use super::reader::{ConfigError, Reader};
use crate::domain::stages::Stage;
use toml::Spanned;

pub(super) fn read_stages(r: &Reader, raw: &[RawStage]) -> Result<Vec<Stage>, ConfigError> {
    let mut stages = Vec::new();
    for (i, st) in raw.iter().enumerate() {
        let field = format!("stages[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &st.name)?;
        if stages.iter().any(|s: &Stage| s.name == name) {
            return r.error(
                st.name.span().start,
                &format!("{field}.name"),
                format!("stage `{name}` is defined twice"),
            );
        }
        let action = r.non_empty(&format!("{field}.action"), &st.action)?;
        let count = |value: &Option<Spanned<i64>>, key: &str| match value {
            None => Ok(None),
            Some(v) if (1..=400).contains(v.get_ref()) => Ok(Some(*v.get_ref() as u32)),
            Some(v) => r.error(
                v.span().start,
                &format!("{field}.{key}"),
                format!("{} is not a count from 1 to 400", v.get_ref()),
            ),
        };
        let days_in_a_row = count(&st.days_in_a_row, "days_in_a_row")?;
        let sessions = count(&st.sessions, "sessions")?;
        let percent = |value: &Option<Spanned<f64>>, key: &str| match value {
            None => Ok(None),
            Some(v) if (0.0..=100.0).contains(v.get_ref()) => Ok(Some(*v.get_ref())),
            Some(v) => r.error(
                v.span().start,
                &format!("{field}.{key}"),
                format!("{} is not a percentage from 0 to 100", v.get_ref()),
            ),
        };
        let below_percent = percent(&st.below_percent, "below_percent")?;
        let last_year_below_percent =
            percent(&st.last_year_below_percent, "last_year_below_percent")?;
        let unauthorised_sessions = count(&st.unauthorised_sessions, "unauthorised_sessions")?;
        let within_school_days = count(&st.within_school_days, "within_school_days")?;
        let ill_days_without_evidence =
            count(&st.ill_days_without_evidence, "ill_days_without_evidence")?;
        // A window counts sessions: without a count it would be a trigger that never fires.
        if let Some(w) = &st.within_school_days
            && sessions.is_none()
            && unauthorised_sessions.is_none()
        {
            return r.error(
                w.span().start,
                &format!("{field}.within_school_days"),
                "counts the sessions of `sessions` or `unauthorised_sessions`: give one of them"
                    .to_string(),
            );
        }
        if days_in_a_row.is_none()
            && sessions.is_none()
            && below_percent.is_none()
            && unauthorised_sessions.is_none()
            && last_year_below_percent.is_none()
            && ill_days_without_evidence.is_none()
        {
            return r.error(
                st.name.span().start,
                &field,
                format!(
                    "stage `{name}` has no trigger: give days_in_a_row, sessions, \
                     unauthorised_sessions, below_percent, last_year_below_percent or \
                     ill_days_without_evidence"
                ),
            );
        }
        let letter = match &st.letter {
            None => None,
            Some(l) => {
                let file = r.non_empty(&format!("{field}.letter"), l)?;
                // A file in the letters directory, not a path elsewhere.
                if file.contains(['/', '\\'])
                    || file.starts_with('.')
                    || file.chars().any(char::is_control)
                {
                    return r.error(
                        l.span().start,
                        &format!("{field}.letter"),
                        format!(
                            "`{file}` must be a file name in the letters directory, not a path"
                        ),
                    );
                }
                Some(file)
            }
        };
        stages.push(Stage {
            name,
            action,
            days_in_a_row,
            sessions,
            below_percent,
            unauthorised_sessions,
            within_school_days,
            last_year_below_percent,
            ill_days_without_evidence,
            letter,
        });
    }
    Ok(stages)
}

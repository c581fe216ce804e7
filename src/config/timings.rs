//! `[[timings]]`: session times for some year groups or registration groups in place of the
//! school's (an infant school's Reception to Year 2 at 8:40, its nursery at 8:45), each
//! checked by the same rules as `[sessions]`: at most 30 minutes open, the same in the
//! morning and the afternoon (SPEC §1.7).

use super::raw::{RawTimes, RawTiming};
use super::reader::{ConfigError, Reader};
use crate::domain::Timing;
use crate::domain::people::{Group, YearGroup};
use crate::domain::session::{SessionPlan, SessionTimes, TimingError};

pub(super) fn read_timings(
    r: &mut Reader,
    raw: &[RawTiming],
    school: &SessionPlan,
    groups: &[Group],
) -> Result<Vec<Timing>, ConfigError> {
    let mut timings: Vec<Timing> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let field = format!("timings[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &t.name)?;
        if timings.iter().any(|o| o.name == name) {
            return r.error(
                t.name.span().start,
                &format!("{field}.name"),
                format!("timing `{name}` is defined twice"),
            );
        }
        let mut years = Vec::new();
        for y in &t.years {
            let Some(year) = YearGroup::parse(&y.get_ref().to_string()) else {
                return r.error(
                    y.span().start,
                    &format!("{field}.years"),
                    format!("`{}` is not a year group (N1, N2, R, 1 to 14)", y.get_ref()),
                );
            };
            if years.contains(&year) {
                return r.error(
                    y.span().start,
                    &format!("{field}.years"),
                    format!("year {year} is listed twice"),
                );
            }
            if let Some(other) = timings.iter().find(|o| o.years.contains(&year)) {
                return r.error(
                    y.span().start,
                    &format!("{field}.years"),
                    format!("year {year} already has the times of `{}`", other.name),
                );
            }
            years.push(year);
        }
        let mut names = Vec::new();
        for g in &t.groups {
            let group = g.get_ref().trim();
            if !groups.iter().any(|known| known.name == group) {
                return r.error(
                    g.span().start,
                    &format!("{field}.groups"),
                    format!("`{group}` is not a group in [[groups]]"),
                );
            }
            if names.iter().any(|n| n == group) {
                return r.error(
                    g.span().start,
                    &format!("{field}.groups"),
                    format!("group {group} is listed twice"),
                );
            }
            if let Some(other) = timings.iter().find(|o| o.groups.iter().any(|n| n == group)) {
                return r.error(
                    g.span().start,
                    &format!("{field}.groups"),
                    format!("group {group} already has the times of `{}`", other.name),
                );
            }
            names.push(group.to_string());
        }
        if years.is_empty() && names.is_empty() {
            return r.error(
                t.name.span().start,
                &field,
                format!("timing `{name}` applies to nobody: give years = [...] or groups = [...]"),
            );
        }
        if t.am.is_none() && t.pm.is_none() {
            return r.error(
                t.name.span().start,
                &field,
                format!("timing `{name}` has no times: give [timings.am] or [timings.pm]"),
            );
        }
        let mut times = |session: &str, raw: &Option<RawTimes>, default: SessionTimes| {
            let Some(raw) = raw else {
                return Ok(default);
            };
            Ok::<_, ConfigError>(SessionTimes {
                opens_at: r.time(&format!("{field}.{session}.opens_at"), &raw.opens_at)?,
                register_at: r.time(&format!("{field}.{session}.register_at"), &raw.register_at)?,
                closes_at: r.time(&format!("{field}.{session}.closes_at"), &raw.closes_at)?,
            })
        };
        let sessions = SessionPlan {
            am: times("am", &t.am, school.am)?,
            pm: times("pm", &t.pm, school.pm)?,
        };
        if let Err(TimingError::Field {
            field: wrong,
            mut message,
        }) = sessions.validate_as(&field)
        {
            let field = wrong;
            // A session the timing does not set is the school's: say so, as the field is
            // not in the file.
            for (session, given) in [("am", &t.am), ("pm", &t.pm)] {
                if given.is_none() && field.contains(&format!(".{session}.")) {
                    message.push_str(&format!(
                        " (this timing does not set [timings.{session}]: it is the school's)"
                    ));
                }
            }
            // A session not given is the school's: its fields have no line here, so the
            // timing's own is named.
            let line = r
                .lines
                .get(&field)
                .copied()
                .unwrap_or_else(|| r.line_of(t.name.span().start));
            return Err(ConfigError {
                file: r.file.to_string(),
                line,
                message: format!("{field}: {message}"),
            });
        }
        timings.push(Timing {
            name,
            years,
            groups: names,
            sessions,
        });
    }
    Ok(timings)
}

//! A school's own stages of intervention (its attendance policy, as configuration): each
//! stage has triggers (days absent in a row, absent sessions this year, attendance below a
//! percentage) and the action due. A pupil moves one step at a time: they are at the first
//! stage whose trigger holds and whose earlier stages were all done (or skipped, with a
//! reason) this school year (SPEC §4.9).
//! Letters for a stage are drafted from the school's templates with the pupil's figures.

use super::stats::{FLAG_AFTER_SESSIONS, Tally, round1};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    /// What is due when a pupil reaches it: "phone the family", "attendance meeting".
    pub action: String,
    /// School days absent in a row, today included.
    pub days_in_a_row: Option<u32>,
    /// Absent sessions this school year (or within `within_school_days`).
    pub sessions: Option<u32>,
    /// Unauthorised absent sessions this school year (or within `within_school_days`): a
    /// local authority's penalty threshold ("10 sessions in 10 school weeks").
    #[serde(default)]
    pub unauthorised_sessions: Option<u32>,
    /// `sessions` and `unauthorised_sessions` count the last this many school days (today
    /// included) instead of the year: a rolling window ("6 sessions in 30 days").
    #[serde(default)]
    pub within_school_days: Option<u32>,
    /// Last school year's attendance below this percentage.
    #[serde(default)]
    pub last_year_below_percent: Option<f64>,
    /// Attendance this year below this percentage (once there are enough sessions for a
    /// rate to mean something).
    pub below_percent: Option<f64>,
    /// School days ill (`I`) in a row, with no medical evidence received for this illness
    /// (seed 002 asks after 3, seed 003 after 5; SPEC §8.6).
    #[serde(default)]
    pub ill_days_without_evidence: Option<u32>,
    /// A template in the letters directory, drafted for this stage.
    pub letter: Option<String>,
}

/// What the triggers look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub days_in_a_row: u32,
    /// The school year so far.
    pub year: Tally,
    /// The last N school days, for each window a stage counts over: (N, figures).
    pub windows: Vec<(u32, Tally)>,
    /// Last school year, where the pupil has one.
    pub last_year: Option<Tally>,
    /// School days ill in a row, counted only while no evidence for this illness has been
    /// received (0 once it has).
    pub ill_days_without_evidence: u32,
}

impl Facts {
    /// The figures a count is over: the stage's window, else the year.
    fn over(&self, within: Option<u32>) -> (Tally, String) {
        match within {
            Some(days) => (
                self.windows
                    .iter()
                    .find(|(n, _)| *n == days)
                    .map(|(_, t)| *t)
                    .unwrap_or_default(),
                format!("in the last {days} school days"),
            ),
            None => (self.year, "this year".to_string()),
        }
    }
}

impl Stage {
    /// Why the stage is reached, in words, or `None`.
    pub fn reached(&self, facts: &Facts) -> Option<String> {
        let mut why = Vec::new();
        if let Some(days) = self.days_in_a_row
            && facts.days_in_a_row >= days
        {
            let n = facts.days_in_a_row;
            why.push(format!(
                "{n} day{} absent in a row",
                if n == 1 { "" } else { "s" }
            ));
        }
        if let Some(days) = self.ill_days_without_evidence
            && facts.ill_days_without_evidence >= days
        {
            why.push(format!(
                "{} school days ill in a row, no medical evidence",
                facts.ill_days_without_evidence
            ));
        }
        let (counted, over) = facts.over(self.within_school_days);
        if let Some(sessions) = self.sessions
            && counted.absent() >= sessions
        {
            why.push(format!("{} sessions absent {over}", counted.absent()));
        }
        if let Some(sessions) = self.unauthorised_sessions
            && counted.unauthorised >= sessions
        {
            why.push(format!(
                "{} sessions unauthorised {over}",
                counted.unauthorised
            ));
        }
        if let Some(below) = self.last_year_below_percent
            && let Some(last) = facts.last_year
            && last.possible() >= FLAG_AFTER_SESSIONS
            && let Some(pct) = last.attendance_pct()
            && pct < below
        {
            why.push(format!("last year {:.1}% (below {below}%)", round1(pct)));
        }
        if let Some(below) = self.below_percent
            && facts.year.possible() >= FLAG_AFTER_SESSIONS
            && let Some(pct) = facts.year.attendance_pct()
            && pct < below
        {
            why.push(format!("attendance {:.1}% (below {below}%)", round1(pct)));
        }
        (!why.is_empty()).then(|| why.join(", "))
    }
}

/// The stage a pupil is due at (stages are listed in the order a pupil moves through them),
/// with its index and why: the first stage not done whose trigger holds, every stage before it
/// done or skipped (`done[i]`: stage `i` was done or skipped; for a stage counting days in a
/// row, within the present run of absence). A stage neither done nor reached blocks the ones
/// after it, so a pupil is never due two steps at once (SPEC §4.9).
pub fn current<'a>(
    stages: &'a [Stage],
    facts: &Facts,
    done: &[bool],
) -> Option<(usize, &'a Stage, String)> {
    for (i, stage) in stages.iter().enumerate() {
        if done.get(i).copied().unwrap_or(false) {
            continue;
        }
        return stage.reached(facts).map(|why| (i, stage, why));
    }
    None
}

/// Fills a letter template: `{name}` and the rest from `values`. A placeholder the template
/// names but no value has is an error naming it and its line (a letter never goes out with
/// a gap); `{{` and `}}` are literal braces.
pub fn fill(template: &str, values: &BTreeMap<&str, String>) -> Result<String, String> {
    // A template saved on Windows ends its lines with CR LF: read as text, not as a stray
    // control character at every line end.
    let template = template.replace("\r\n", "\n");
    let mut out = String::with_capacity(template.len() + 256);
    for (n, line) in template.split_inclusive('\n').enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            if tail.starts_with('}') {
                return Err(format!("line {}: a `}}` with no `{{` before it", n + 1));
            }
            let Some(end) = tail.find('}') else {
                return Err(format!("line {}: a `{{` that is not closed", n + 1));
            };
            let key = tail[1..end].trim();
            match values.get(key) {
                Some(value) => out.push_str(value),
                None => {
                    let known: Vec<&str> = values.keys().copied().collect();
                    return Err(format!(
                        "line {}: `{{{key}}}` is not something a letter can say; one of: {}",
                        n + 1,
                        known.join(", ")
                    ));
                }
            }
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, days: Option<u32>, sessions: Option<u32>, below: Option<f64>) -> Stage {
        Stage {
            name: name.into(),
            action: format!("do {name}"),
            days_in_a_row: days,
            sessions,
            below_percent: below,
            letter: None,
            unauthorised_sessions: None,
            within_school_days: None,
            last_year_below_percent: None,
            ill_days_without_evidence: None,
        }
    }

    /// Seed 003's ladder: day one and two a call, day three a home contact, week two or
    /// near 96.5% a meeting, more than 10 days or below 95% a contract.
    fn ladder() -> Vec<Stage> {
        vec![
            stage("call", Some(1), None, None),
            stage("home contact", Some(3), None, None),
            stage("meeting", Some(6), None, Some(96.5)),
            stage("contract", None, Some(21), Some(95.0)),
        ]
    }

    fn facts(days: u32, present: u32, absent: u32) -> Facts {
        Facts {
            days_in_a_row: days,
            year: Tally {
                present,
                unauthorised: absent,
                ..Tally::default()
            },
            ..Facts::default()
        }
    }

    #[test]
    fn a_pupil_moves_one_step_at_a_time_and_each_boundary_counts() {
        let stages = ladder();
        // The stages before each one done: its triggers alone decide, at each boundary.
        let name = |f: Facts| {
            (0..stages.len()).rev().find_map(|i| {
                let done: Vec<bool> = (0..stages.len()).map(|j| j < i).collect();
                current(&stages, &f, &done)
                    .filter(|(at, _, _)| *at == i)
                    .map(|(_, s, _)| s.name.clone())
            })
        };
        assert_eq!(name(facts(0, 100, 0)), None);
        assert_eq!(name(facts(1, 100, 2)).as_deref(), Some("call"));
        assert_eq!(name(facts(2, 100, 2)).as_deref(), Some("call"));
        assert_eq!(name(facts(3, 100, 2)).as_deref(), Some("home contact"));
        // 96.5% exactly is not below 96.5%; 192 of 200 (96%) is.
        assert_eq!(name(facts(0, 192, 8)).as_deref(), Some("meeting"));
        assert_eq!(name(facts(0, 386, 14)).as_deref(), None, "96.5% exactly");
        // 21 sessions absent reaches the contract, 20 does not (95.2% of 420).
        assert_eq!(name(facts(0, 400, 20)).as_deref(), Some("meeting"));
        assert_eq!(name(facts(0, 400, 21)).as_deref(), Some("contract"));
        let (_, _, why) = current(&stages, &facts(0, 400, 21), &[true, true, true]).unwrap();
        assert_eq!(why, "21 sessions absent this year");
        // A first week's single absence is no rate yet.
        assert_eq!(name(facts(0, 8, 1)), None);
        // Nothing done: three days away is the first call, not a home contact yet; the call
        // done, the home contact; a pupil present today with 96% waits for the steps before
        // the meeting to be done or skipped; the meeting done, the contract.
        let at = |f: Facts, done: &[bool]| current(&stages, &f, done).map(|(i, _, _)| i);
        assert_eq!(at(facts(3, 100, 2), &[]), Some(0));
        assert_eq!(at(facts(3, 100, 2), &[true]), Some(1));
        assert_eq!(at(facts(0, 192, 8), &[]), None);
        assert_eq!(
            at(facts(0, 192, 8), &[true]),
            None,
            "the home contact is neither done nor due"
        );
        assert_eq!(at(facts(0, 192, 8), &[true, true]), Some(2));
        assert_eq!(
            at(facts(0, 400, 21), &[true, true]),
            Some(2),
            "the meeting before the contract"
        );
        assert_eq!(at(facts(0, 400, 21), &[true, true, true]), Some(3));
        assert_eq!(
            at(facts(0, 400, 21), &[true, true, true, true]),
            None,
            "every step done"
        );
    }

    #[test]
    fn a_letter_is_filled_or_refused_with_the_line_of_the_gap() {
        let values: BTreeMap<&str, String> = [
            ("name", "Alice Adams".to_string()),
            ("attendance", "91.2".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            fill(
                "Dear parent of {name},\nattendance {attendance} {{not a field}}\n",
                &values
            )
            .unwrap(),
            "Dear parent of Alice Adams,\nattendance 91.2 {not a field}\n"
        );
        let err = fill("Hello\n{nmae}\n", &values).unwrap_err();
        assert!(
            err.starts_with("line 2: `{nmae}` is not something"),
            "{err}"
        );
        assert!(err.contains("attendance, name"), "{err}");
        assert!(fill("{name", &values).unwrap_err().contains("not closed"));
        assert!(fill("a } b", &values).unwrap_err().contains("no `{`"));
    }

    #[test]
    fn rolling_windows_and_last_year_trigger_at_their_boundaries() {
        let local = Stage {
            unauthorised_sessions: Some(10),
            within_school_days: Some(30),
            ..stage("penalty warning", None, None, None)
        };
        let last = Stage {
            last_year_below_percent: Some(90.0),
            ..stage("early help", None, None, None)
        };
        let window = |unauthorised| Facts {
            windows: vec![(
                30,
                Tally {
                    present: 50,
                    unauthorised,
                    ..Tally::default()
                },
            )],
            // The year has more: the window alone counts.
            year: Tally {
                present: 100,
                unauthorised: 40,
                ..Tally::default()
            },
            ..Facts::default()
        };
        assert_eq!(local.reached(&window(9)), None);
        assert_eq!(
            local.reached(&window(10)).as_deref(),
            Some("10 sessions unauthorised in the last 30 school days")
        );
        let year = |present, absent| Facts {
            last_year: Some(Tally {
                present,
                authorised: absent,
                ..Tally::default()
            }),
            ..Facts::default()
        };
        assert_eq!(
            last.reached(&year(90, 10)),
            None,
            "90% exactly is not below 90%"
        );
        assert_eq!(
            last.reached(&year(89, 11)).as_deref(),
            Some("last year 89.0% (below 90%)")
        );
        assert_eq!(last.reached(&Facts::default()), None, "no last year");
    }
}

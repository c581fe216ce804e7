//! The patterns a governors' pack shows beside the figures (SPEC §3.8): attendance week by
//! week, absence on the days next to a break against the rest ("absence around holidays"),
//! and repeated spells of illness. Pure: the marks are passed in, counted as every report
//! counts them (§3).

use super::codes::Code;
use super::session::Session;
use super::stats::Tally;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// One session's mark, as the patterns need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionMark {
    pub upn: String,
    pub date: NaiveDate,
    pub session: Session,
    pub code: Code,
}

/// Each week's figures, by its Monday, in order.
pub fn weekly(marks: &[SessionMark]) -> Vec<(NaiveDate, Tally)> {
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    for m in marks {
        let monday = m.date - Days::new(u64::from(m.date.weekday().num_days_from_monday()));
        weeks.entry(monday).or_default().add_code(m.code, m.date);
    }
    weeks.into_iter().collect()
}

/// Days further apart than this, with no school day between, have a break between them
/// (longer than a weekend: a half term, a holiday, a bank holiday Monday).
const BREAK_DAYS: i64 = 3;

/// The figures of the school days next to a break (the last before it and the first after
/// it, the period's first day, and its last when the period ends there: a term's last day,
/// not a term's today), and of every other day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AroundBreaks {
    pub next_to_break: Tally,
    pub other: Tally,
    /// The days counted next to a break.
    pub days: Vec<NaiveDate>,
}

pub fn around_breaks(marks: &[SessionMark], ends_at_a_break: bool) -> AroundBreaks {
    let school_days: BTreeSet<NaiveDate> = marks.iter().map(|m| m.date).collect();
    let days: Vec<NaiveDate> = school_days.iter().copied().collect();
    let mut edge = BTreeSet::new();
    if let Some(first) = days.first() {
        edge.insert(*first);
    }
    if let Some(last) = days.last().filter(|_| ends_at_a_break) {
        edge.insert(*last);
    }
    for pair in days.windows(2) {
        if (pair[1] - pair[0]).num_days() > BREAK_DAYS {
            edge.insert(pair[0]);
            edge.insert(pair[1]);
        }
    }
    let mut out = AroundBreaks::default();
    for m in marks {
        let tally = if edge.contains(&m.date) {
            &mut out.next_to_break
        } else {
            &mut out.other
        };
        tally.add_code(m.code, m.date);
    }
    out.days = edge.into_iter().collect();
    out
}

/// A pupil's illness in the period: how many separate spells (runs of `I` sessions, each
/// ended by a session with another code) and sessions in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Illness {
    pub upn: String,
    pub spells: u32,
    pub sessions: u32,
}

/// Pupils with at least `spells` separate spells of illness, most spells first.
pub fn repeated_illness(marks: &[SessionMark], spells: u32) -> Vec<Illness> {
    let mut by_pupil: BTreeMap<&str, Vec<(NaiveDate, u8, Code)>> = BTreeMap::new();
    for m in marks {
        by_pupil
            .entry(&m.upn)
            .or_default()
            .push((m.date, m.session.index(), m.code));
    }
    let mut out = Vec::new();
    for (upn, mut sessions) in by_pupil {
        sessions.sort();
        let (mut count, mut ill, mut in_spell) = (0, 0, false);
        for (_, _, code) in sessions {
            if code == Code::I {
                ill += 1;
                if !in_spell {
                    count += 1;
                }
                in_spell = true;
            } else {
                in_spell = false;
            }
        }
        if count >= spells {
            out.push(Illness {
                upn: upn.to_string(),
                spells: count,
                sessions: ill,
            });
        }
    }
    out.sort_by(|a, b| b.spells.cmp(&a.spells).then(a.upn.cmp(&b.upn)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(upn: &str, date: &str, session: Session, code: &str) -> SessionMark {
        SessionMark {
            upn: upn.into(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            session,
            code: Code::parse(code).unwrap(),
        }
    }

    /// A Friday before half term and the Monday after it are next to a break; the days in
    /// between a normal weekend are not.
    #[test]
    fn the_days_next_to_a_half_term_are_told_apart() {
        let mut marks = Vec::new();
        for date in [
            "2026-10-19",
            "2026-10-20",
            "2026-10-23",
            "2026-11-02",
            "2026-11-03",
        ] {
            marks.push(mark("A", date, Session::Am, "/"));
            marks.push(mark("B", date, Session::Am, "/"));
        }
        // Absent on the Friday before and the Monday after.
        marks[5] = mark("A", "2026-10-23", Session::Am, "O");
        marks[6] = mark("A", "2026-11-02", Session::Am, "G");
        let a = around_breaks(&marks, true);
        let days: Vec<String> = a.days.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            days,
            ["2026-10-19", "2026-10-23", "2026-11-02", "2026-11-03"]
        );
        assert_eq!(
            (a.next_to_break.absent(), a.next_to_break.possible()),
            (2, 8)
        );
        assert_eq!((a.other.absent(), a.other.possible()), (0, 2));
        // The term still going: its today is not next to a break.
        let a = around_breaks(&marks, false);
        assert_eq!(a.days.len(), 3);
        assert_eq!(a.other.possible(), 4);
    }

    /// Two spells of illness are two runs of I; a present session ends a spell; a pupil with
    /// fewer spells than asked is not listed.
    #[test]
    fn spells_of_illness_are_runs_of_i() {
        let marks = vec![
            mark("A", "2026-11-02", Session::Am, "I"),
            mark("A", "2026-11-02", Session::Pm, "I"),
            mark("A", "2026-11-03", Session::Am, "/"),
            mark("A", "2026-11-09", Session::Pm, "I"),
            mark("A", "2026-11-16", Session::Am, "\\"),
            mark("A", "2026-11-16", Session::Pm, "I"),
            mark("B", "2026-11-02", Session::Am, "I"),
        ];
        assert_eq!(
            repeated_illness(&marks, 3),
            [Illness {
                upn: "A".into(),
                spells: 3,
                sessions: 4
            }]
        );
        assert_eq!(repeated_illness(&marks, 1).len(), 2);
    }

    #[test]
    fn weeks_run_from_monday() {
        let marks = vec![
            mark("A", "2026-11-04", Session::Am, "/"),
            mark("A", "2026-11-08", Session::Am, "/"),
            mark("A", "2026-11-09", Session::Am, "O"),
        ];
        let weeks = weekly(&marks);
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[0].0.to_string(), "2026-11-02");
        assert_eq!(weeks[1].1.absent(), 1);
    }
}

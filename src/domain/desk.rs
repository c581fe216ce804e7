//! The office's day: who is away and how many days in a row, who has been called, who is on
//! site for a fire list, and who was signed out early.

use super::codes::Code;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// What the office wrote down about a pupil on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeskKind {
    /// First-day absence follow-up: the family was contacted (or tried).
    Contacted,
    /// Left school before the end of the day: the mark stays, the fire list changes.
    SignedOut,
    /// A stage of intervention's action done (a meeting held, a contract signed).
    StageDone,
    /// Back in school after signing out: on the fire list again.
    SignedIn,
}

impl DeskKind {
    pub fn index(self) -> u8 {
        match self {
            DeskKind::Contacted => 0,
            DeskKind::SignedOut => 1,
            DeskKind::StageDone => 2,
            DeskKind::SignedIn => 3,
        }
    }

    pub fn from_index(index: u8) -> Option<DeskKind> {
        match index {
            0 => Some(DeskKind::Contacted),
            1 => Some(DeskKind::SignedOut),
            2 => Some(DeskKind::StageDone),
            3 => Some(DeskKind::SignedIn),
            _ => None,
        }
    }
}

/// One entry in the desk log, with who made it as they were then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskEntry {
    pub date: NaiveDate,
    pub upn: String,
    pub kind: DeskKind,
    /// When it happened (a sign-out's time of leaving).
    pub time: Option<NaiveTime>,
    pub note: String,
    /// The stage, for a stage's action done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
    /// For a sign-out: whether the pupil is expected back today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_today: Option<bool>,
}

/// The sign-out a pupil is out on at `t` on their day, if they are out: the last sign-out at
/// or before `t` with no signing back in after it, by `t`. `entries` are the pupil's for the
/// day, in any order.
pub fn out_at<'a>(
    entries: impl IntoIterator<Item = &'a DeskEntry>,
    t: NaiveTime,
) -> Option<&'a DeskEntry> {
    let mut last: Option<&DeskEntry> = None;
    for e in entries {
        let (Some(time), true) = (
            e.time,
            matches!(e.kind, DeskKind::SignedOut | DeskKind::SignedIn),
        ) else {
            continue;
        };
        if time <= t && last.is_none_or(|l| l.time.is_none_or(|lt| (lt, l.at) <= (time, e.at))) {
            last = Some(e);
        }
    }
    last.filter(|e| e.kind == DeskKind::SignedOut)
}

/// Why `code` cannot stand for the sessions a pupil signed out will miss, if it cannot: a
/// code that says what happened at a session (present, late, absent without reason) waits
/// for the session, and `#` closes the school, not one pupil's day.
pub fn unfit_for_missed_sessions(code: Code) -> Option<String> {
    if code.is_observed() {
        return Some(format!(
            "{code} says what happened at a session, so it waits for the register; for the \
             sessions they will miss give a reason that is known now (M for an appointment, \
             I for illness, C for other leave), or none and the register decides"
        ));
    }
    if code == Code::Hash {
        return Some(
            "# is a planned closure of the school, not a pupil's absence: give the reason they \
             are missing the sessions (M, I, C...)"
                .into(),
        );
    }
    None
}

/// The earliest a pupil marked on site can have left: their arrival if it was recorded, else
/// the earlier of the register's start and when the mark was made (they were in the room
/// then).
pub fn earliest_departure(
    arrived: Option<NaiveTime>,
    marked_at: NaiveDateTime,
    date: NaiveDate,
    register_at: NaiveTime,
) -> NaiveTime {
    match arrived {
        Some(t) => t,
        None if marked_at.date() == date => marked_at.time().min(register_at),
        None => register_at,
    }
}

/// The moment a register asks "who is out?" for: as the session goes on, never before it
/// opens (a pupil out since the morning is out for the afternoon's register) and never past
/// its end (the afternoon's departures are not the morning's). `now` decides only on its own
/// day; a past day is seen as the session ended.
pub fn register_moment(
    plan: &super::session::SessionPlan,
    session: super::session::Session,
    date: NaiveDate,
    now: NaiveDateTime,
) -> NaiveTime {
    use super::session::Session;
    let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    let opens = plan.times(session).opens_at;
    let ends = match session {
        Session::Am => plan.pm.opens_at,
        Session::Pm => end_of_day,
    };
    if date == now.date() {
        now.time().clamp(opens, ends.max(opens))
    } else {
        ends
    }
}

/// Whether a mark puts a pupil on site: present, late, or arrived after the close (`U` with
/// an arrival time; a `U` without one was never seen).
pub fn on_site(code: Code, arrived: Option<NaiveTime>) -> bool {
    match code {
        Code::PresentAm | Code::PresentPm | Code::L => true,
        Code::U => arrived.is_some(),
        _ => false,
    }
}

/// School days in a row, ending today, on which the pupil was away: `away` gives, newest
/// first, whether each school day counted as away (`None`: a day with no mark ends the run).
pub fn days_in_a_row(away_newest_first: impl IntoIterator<Item = Option<bool>>) -> u32 {
    away_newest_first
        .into_iter()
        .take_while(|d| *d == Some(true))
        .count() as u32
}

/// A planned absence as kept: what was asked, by whom, every session it wrote, and its
/// withdrawal, so that it can be withdrawn as a whole (audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: u32,
    /// The plan in words: code, dates, weekly pattern, note.
    pub words: String,
    /// A pupil's plan, or a whole group's.
    pub upn: Option<String>,
    pub group: Option<String>,
    pub code: super::codes::Code,
    pub at: chrono::NaiveDateTime,
    pub account: String,
    pub name: String,
    /// Every session it wrote.
    pub sessions: Vec<super::marks::SessionKey>,
    pub withdrawn: Option<Withdrawal>,
}

/// A plan withdrawn: when, by whom, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub at: chrono::NaiveDateTime,
    pub account: String,
    pub name: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_absence_ends_at_the_first_day_in_school_or_unmarked() {
        assert_eq!(days_in_a_row([Some(true), Some(true), Some(false)]), 2);
        assert_eq!(days_in_a_row([Some(true), None, Some(true)]), 1);
        assert_eq!(days_in_a_row([Some(false)]), 0);
        assert_eq!(days_in_a_row(std::iter::empty()), 0);
    }

    #[test]
    fn the_fire_list_counts_everyone_in_the_building() {
        let t = NaiveTime::from_hms_opt(9, 40, 0);
        assert!(on_site(Code::PresentAm, None));
        assert!(on_site(Code::L, t));
        assert!(on_site(Code::U, t));
        assert!(!on_site(Code::U, None));
        assert!(!on_site(Code::B, None), "educated off site");
        assert!(!on_site(Code::N, None));
    }

    fn at(hm: &str) -> NaiveTime {
        NaiveTime::parse_from_str(hm, "%H:%M").unwrap()
    }

    fn entry(kind: DeskKind, hm: &str) -> DeskEntry {
        DeskEntry {
            upn: "A".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            kind,
            time: Some(at(hm)),
            note: hm.into(),
            stage: None,
            at: NaiveDate::from_ymd_opt(2026, 11, 23)
                .unwrap()
                .and_time(at(hm)),
            account: "office".into(),
            name: "Office".into(),
            position: String::new(),
            back_today: None,
        }
    }

    #[test]
    fn a_pupil_is_out_from_signing_out_until_signing_back_in() {
        let day = [
            entry(DeskKind::SignedIn, "12:30"),
            entry(DeskKind::SignedOut, "11:00"),
            entry(DeskKind::Contacted, "11:30"),
            entry(DeskKind::SignedOut, "14:00"),
        ];
        assert!(out_at(&day, at("10:59")).is_none());
        assert_eq!(out_at(&day, at("11:00")).unwrap().note, "11:00");
        assert_eq!(out_at(&day, at("12:29")).unwrap().note, "11:00");
        assert!(out_at(&day, at("12:30")).is_none(), "back in");
        assert_eq!(out_at(&day, at("23:00")).unwrap().note, "14:00");
    }

    #[test]
    fn a_register_asks_who_is_out_as_its_session_goes_on() {
        use crate::domain::session::{Session, SessionPlan, SessionTimes};
        let times = |o, r, c| SessionTimes {
            opens_at: at(o),
            register_at: at(r),
            closes_at: at(c),
        };
        let plan = SessionPlan {
            am: times("08:45", "09:00", "09:30"),
            pm: times("13:15", "13:20", "13:45"),
        };
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = |hm| day.and_time(at(hm));
        // Looked at in the morning, the afternoon's register counts from its opening.
        assert_eq!(
            register_moment(&plan, Session::Pm, day, now("11:30")),
            at("13:15")
        );
        assert_eq!(
            register_moment(&plan, Session::Pm, day, now("14:10")),
            at("14:10")
        );
        // The morning's register ends where the afternoon begins.
        assert_eq!(
            register_moment(&plan, Session::Am, day, now("15:00")),
            at("13:15")
        );
        // A past day is seen as each session ended.
        let later = now("09:00") + chrono::Duration::days(1);
        assert_eq!(register_moment(&plan, Session::Am, day, later), at("13:15"));
        assert_eq!(
            register_moment(&plan, Session::Pm, day, later),
            NaiveTime::from_hms_opt(23, 59, 59).unwrap()
        );
    }
}

/// A weekly pattern for a planned absence: a weekday, and one session of it or both
/// (`tue:am`, `wed:pm`, `fri`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weekly {
    pub weekday: chrono::Weekday,
    pub session: Option<super::session::Session>,
}

impl std::fmt::Display for Weekly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let day = self.weekday.to_string().to_lowercase();
        match self.session {
            Some(s) => write!(f, "{day}:{}", s.label().to_lowercase()),
            None => f.write_str(&day),
        }
    }
}

impl Weekly {
    /// Reads `wed:pm`, `Tuesday:am`, `fri` (both sessions).
    pub fn parse(text: &str) -> Result<Weekly, String> {
        let (day, session) = match text.trim().split_once(':') {
            Some((day, session)) => (day, Some(session)),
            None => (text.trim(), None),
        };
        let weekday = super::calendar::parse_weekday(day)
            .filter(|d| !matches!(d, chrono::Weekday::Sat | chrono::Weekday::Sun))
            .ok_or_else(|| {
                format!("`{text}`: `{day}` is not a school weekday (mon, tue, wed, thu or fri)")
            })?;
        let session = match session {
            None => None,
            Some(s) => Some(
                s.trim()
                    .parse::<super::session::Session>()
                    .map_err(|_| format!("`{text}`: `{s}` is not a session (am or pm)"))?,
            ),
        };
        Ok(Weekly { weekday, session })
    }

    pub fn matches(&self, date: NaiveDate, session: super::session::Session) -> bool {
        use chrono::Datelike;
        date.weekday() == self.weekday && self.session.is_none_or(|s| s == session)
    }
}

/// A planned absence as typed in the app, in the words of `rollcall plan`:
/// `CODE FROM[:am|pm] [TO[:am|pm]] [every DAY[:am|pm] ...] [note TEXT]` (`M 2026-11-24
/// 2026-12-15 every tue:am note orthodontist`). Without TO it is the FROM day (both
/// sessions, or the one given).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanLine {
    pub code: String,
    pub from: (NaiveDate, super::session::Session),
    pub to: (NaiveDate, super::session::Session),
    pub every: Vec<Weekly>,
    pub note: Option<String>,
}

impl PlanLine {
    pub fn parse(text: &str) -> Result<PlanLine, String> {
        use super::session::Session;
        let all: Vec<&str> = text.split_whitespace().collect();
        let (words, note) = match all.iter().position(|w| w.eq_ignore_ascii_case("note")) {
            Some(i) => (&all[..i], Some(all[i + 1..].join(" "))),
            None => (&all[..], None),
        };
        if note.as_deref() == Some("") {
            return Err("`note` needs the note: note part-time timetable".into());
        }
        let (plan, every) = match words.iter().position(|w| w.eq_ignore_ascii_case("every")) {
            Some(i) => (&words[..i], &words[i + 1..]),
            None => (words, &[][..]),
        };
        let (code, from, to) = match plan {
            [code, from] => (*code, *from, None),
            [code, from, to] => (*code, *from, Some(*to)),
            _ => {
                return Err(
                    "type the code and the dates: M 2026-11-24 2026-12-15 every tue:am".into(),
                );
            }
        };
        let from_at = super::dates::parse_session_at(from, Session::Am)?;
        let to_at = match to {
            Some(to) => super::dates::parse_session_at(to, Session::Pm)?,
            // One day: both sessions, or the one named.
            None if from.contains(':') => from_at,
            None => (from_at.0, Session::Pm),
        };
        if every.is_empty() && words.iter().any(|w| w.eq_ignore_ascii_case("every")) {
            return Err("`every` needs a weekday: every tue:am".into());
        }
        let every = every
            .iter()
            .map(|w| Weekly::parse(w))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PlanLine {
            code: code.to_string(),
            from: from_at,
            to: to_at,
            every,
            note,
        })
    }
}

#[cfg(test)]
mod weekly_tests {
    use super::*;
    use crate::domain::session::Session;

    #[test]
    fn a_weekly_pattern_names_a_weekday_and_perhaps_a_session() {
        let wed_pm = Weekly::parse("wed:pm").unwrap();
        let wednesday = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert!(wed_pm.matches(wednesday, Session::Pm));
        assert!(!wed_pm.matches(wednesday, Session::Am));
        assert!(!wed_pm.matches(wednesday.succ_opt().unwrap(), Session::Pm));
        let tuesday = Weekly::parse("Tuesday").unwrap();
        assert_eq!(tuesday.session, None);
        assert!(
            Weekly::parse("sat:am")
                .unwrap_err()
                .contains("not a school weekday")
        );
        assert!(
            Weekly::parse("wed:noon")
                .unwrap_err()
                .contains("not a session")
        );
        assert!(Weekly::parse("").is_err());
    }

    #[test]
    fn a_plan_line_reads_as_rollcall_plan_does() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let line = PlanLine::parse("M 2026-11-24 2026-12-15 every tue:am").unwrap();
        assert_eq!(line.code, "M");
        assert_eq!(line.from, (d("2026-11-24"), Session::Am));
        assert_eq!(line.to, (d("2026-12-15"), Session::Pm));
        assert_eq!(line.every, [Weekly::parse("tue:am").unwrap()]);
        let one = PlanLine::parse("C1 25/11/2026:pm").unwrap();
        assert_eq!(
            (one.from, one.to),
            (
                (d("2026-11-25"), Session::Pm),
                (d("2026-11-25"), Session::Pm)
            )
        );
        let day = PlanLine::parse("V 2026-11-25").unwrap();
        assert_eq!(day.to, (d("2026-11-25"), Session::Pm));
        let noted = PlanLine::parse("C2 2026-11-25 every wed:pm note part-time timetable").unwrap();
        assert_eq!(noted.note.as_deref(), Some("part-time timetable"));
        assert_eq!(noted.every.len(), 1);
        assert!(
            PlanLine::parse("C2 2026-11-25 note")
                .unwrap_err()
                .contains("needs the note")
        );
        assert!(
            PlanLine::parse("M")
                .unwrap_err()
                .contains("type the code and the dates")
        );
        assert!(
            PlanLine::parse("M 2026-13-01")
                .unwrap_err()
                .contains("not a date")
        );
        assert!(
            PlanLine::parse("M 2026-11-24 every")
                .unwrap_err()
                .contains("needs a weekday")
        );
        assert!(
            PlanLine::parse("M 2026-11-24 every sun")
                .unwrap_err()
                .contains("weekday")
        );
    }
}

/// A first-day call in words (issue 23): who was called (a contact's number as listed, or
/// `visit` for a home visit), what came of it (`reached`, `no answer`, `message`, `wrong
/// number`) and, when reached, the code the reason leads to and the reason:
/// `2 reached I ill with flu`, `1 no answer`, `visit reached M dentist`. Words that are none
/// of these are a note, as before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The note the desk log keeps: who, what came of it, why.
    pub note: String,
    /// The code the reason given leads to, to be recorded for the session.
    pub code: Option<super::codes::Code>,
}

pub fn parse_call(
    words: &str,
    contacts: &[crate::domain::people::Contact],
) -> Result<Call, String> {
    let words = words.trim();
    let mut rest: Vec<&str> = words.split_whitespace().collect();
    let who = match rest.first().copied() {
        Some(n) if n.parse::<usize>().is_ok() => {
            let n: usize = n.parse().unwrap_or(0);
            let Some(c) = contacts.iter().find(|c| usize::from(c.priority) == n) else {
                return Err(format!("no contact {n}: the contacts are listed above"));
            };
            if c.no_contact {
                return Err(format!("{} is not to be contacted", c.name));
            }
            rest.remove(0);
            format!("called {} ({})", c.name, c.relationship)
        }
        Some("visit") => {
            rest.remove(0);
            "home visit".to_string()
        }
        _ => {
            return Ok(Call {
                note: words.to_string(),
                code: None,
            });
        }
    };
    let joined = rest.join(" ");
    let (outcome, after) = [
        ("no answer", "no answer"),
        ("message", "message left"),
        ("wrong number", "wrong number"),
        ("not home", "nobody at home"),
        ("reached", "reached"),
    ]
    .into_iter()
    .find_map(|(word, said)| joined.strip_prefix(word).map(|after| (said, after.trim())))
    .ok_or_else(|| {
        "after who: reached CODE reason, no answer, message, wrong number (a visit: not home)"
            .to_string()
    })?;
    if outcome != "reached" {
        let note = if after.is_empty() {
            format!("{who}: {outcome}")
        } else {
            format!("{who}: {outcome}: {after}")
        };
        return Ok(Call { note, code: None });
    }
    let (code_word, reason) = after.split_once(' ').unwrap_or((after, ""));
    let code = super::codes::for_new_mark(code_word)
        .ok()
        .map(|info| info.code);
    let (code, reason) = match code {
        Some(code) if !reason.trim().is_empty() => (Some(code), reason.trim()),
        Some(code) => {
            return Err(format!("say what the family said after {code}"));
        }
        None => (None, after),
    };
    if reason.is_empty() {
        return Err("say what the family said".into());
    }
    let note = match code {
        Some(code) => format!("{who}: reached: {reason} ({code})"),
        None => format!("{who}: reached: {reason}"),
    };
    Ok(Call { note, code })
}

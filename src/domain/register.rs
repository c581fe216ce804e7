//! A register's lifecycle (not started → open → closed) and who may change a mark when.
//!
//! A register closes either when someone closes it (blanks become `N`, it locks) or when its
//! `closes_at` has passed. After that, any change is an amendment: office staff only, with a
//! reason, kept in the history beside the original entry (SPEC §5).

use super::calendar::NotInSession;
use super::codes::{Code, CodeInfo};
use super::session::{Phase, Session, SessionTimes, hm, to_minute};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Teacher,
    Office,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Office => "office",
            Role::Admin => "admin",
        }
    }

    /// Office and admin staff enter reason codes, amend and pre-enter.
    pub fn is_office(self) -> bool {
        matches!(self, Role::Office | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "teacher" => Ok(Role::Teacher),
            "office" => Ok(Role::Office),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "`{other}` is not a role: use teacher, office or admin"
            )),
        }
    }
}

/// One register (group, date, session) seen at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterClock {
    pub date: NaiveDate,
    pub session: Session,
    pub times: SessionTimes,
    pub now: NaiveDateTime,
    /// Someone closed it: blanks became `N` and it locked.
    pub locked: bool,
}

/// What the class list shows for a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterStatus {
    NotStarted,
    Open,
    LateWindow,
    Closed,
    Complete,
}

impl RegisterStatus {
    pub fn label(self) -> &'static str {
        match self {
            RegisterStatus::NotStarted => "not started",
            RegisterStatus::Open => "open",
            RegisterStatus::LateWindow => "late window",
            RegisterStatus::Closed => "closed",
            RegisterStatus::Complete => "complete",
        }
    }
}

impl RegisterClock {
    /// The phase of this register: registers of past days are over, future ones not open yet.
    pub fn phase(&self) -> Phase {
        let today = self.now.date();
        if self.date < today {
            Phase::Closed
        } else if self.date > today {
            Phase::BeforeOpen
        } else {
            self.times.phase_at(self.now.time())
        }
    }

    /// Closed by a person or by the clock: changes from now on are amendments.
    pub fn is_closed(&self) -> bool {
        self.locked || self.phase() == Phase::Closed
    }

    pub fn status(&self, marked: usize, on_roll: usize) -> RegisterStatus {
        if self.locked {
            return RegisterStatus::Closed;
        }
        if on_roll > 0 && marked >= on_roll {
            return RegisterStatus::Complete;
        }
        match self.phase() {
            Phase::BeforeOpen => RegisterStatus::NotStarted,
            Phase::Open => RegisterStatus::Open,
            Phase::LateWindow => RegisterStatus::LateWindow,
            Phase::Closed => RegisterStatus::Closed,
        }
    }

    /// Not complete once the register should have begun: the office chases these.
    pub fn is_missing(&self, marked: usize, on_roll: usize) -> bool {
        marked < on_roll && matches!(self.phase(), Phase::LateWindow | Phase::Closed)
    }

    /// Why `code` cannot be entered yet, if the session has not begun and the code says what
    /// happened at it (present, late, absent...). Planned absences can be entered ahead.
    pub fn too_soon_for(&self, code: Code) -> Option<String> {
        (self.phase() == Phase::BeforeOpen && code.is_observed()).then(|| {
            format!(
                "{} {} has not begun (it opens at {}): {code} says what happened at the \
                 session, so it waits until then; planned absences (M, C, V...) can be entered ahead",
                self.date,
                self.session.label(),
                hm(self.times.opens_at)
            )
        })
    }

    fn closed_reason(&self) -> String {
        if self.locked {
            "the register has been closed".to_string()
        } else if self.date < self.now.date() {
            format!(
                "the register for {} closed at {}",
                self.date,
                hm(self.times.closes_at)
            )
        } else {
            format!("the register closed at {}", hm(self.times.closes_at))
        }
    }
}

/// Who is attempting a change, and to what.
#[derive(Clone, Copy, Debug)]
pub struct MarkAttempt<'a> {
    pub role: Role,
    /// The person is a tutor of the register's group.
    pub is_tutor: bool,
    pub group: &'a str,
    pub code: &'static CodeInfo,
    pub clock: RegisterClock,
    pub school_session: &'a Result<(), NotInSession>,
    pub has_reason: bool,
    /// The codes this school lets teachers enter (its configuration).
    pub teacher_codes: &'a [Code],
}

/// How an allowed change is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// A mark while the register is open (or a pre-entry before it opens).
    Mark,
    /// A change after the register closed: needs a reason, audited.
    Amendment,
}

/// Decides whether a change is allowed; a refusal says why in words a member of staff can act on.
pub fn check_change(attempt: &MarkAttempt<'_>) -> Result<ChangeKind, String> {
    let clock = attempt.clock;
    let when = format!("{} {}", clock.date, clock.session.label());
    if let Err(why) = attempt.school_session
        && attempt.code.code != Code::Hash
    {
        return Err(format!("{when} is not a school session ({why})"));
    }
    if attempt.role == Role::Teacher {
        if !attempt.is_tutor {
            return Err(format!(
                "you are not a tutor of {}: only its tutors and office staff can mark it",
                attempt.group
            ));
        }
        if clock.date != clock.now.date() {
            return Err(format!(
                "teachers mark today's registers only ({when} is not today); the office can enter it"
            ));
        }
        if clock.is_closed() {
            return Err(format!(
                "{}: late arrivals sign in at the office, and changes are amendments made by office staff",
                clock.closed_reason()
            ));
        }
        if clock.phase() == Phase::BeforeOpen {
            return Err(format!(
                "the register opens at {}",
                hm(clock.times.opens_at)
            ));
        }
        if !attempt.teacher_codes.contains(&attempt.code.code) {
            let allowed: Vec<&str> = attempt.teacher_codes.iter().map(|c| c.as_str()).collect();
            return Err(format!(
                "only office staff enter {} ({}) at this school; teachers enter {}",
                attempt.code.code,
                attempt.code.meaning,
                allowed.join(" ")
            ));
        }
        return Ok(ChangeKind::Mark);
    }
    if clock.is_closed() {
        if !attempt.has_reason {
            return Err(format!(
                "{}: a change is an amendment and needs a reason",
                clock.closed_reason()
            ));
        }
        return Ok(ChangeKind::Amendment);
    }
    if let Some(why) = clock.too_soon_for(attempt.code.code) {
        return Err(why);
    }
    Ok(ChangeKind::Mark)
}

/// Who is clearing a mark back to blank, and whose mark it is.
#[derive(Clone, Copy, Debug)]
pub struct ClearAttempt<'a> {
    pub role: Role,
    pub is_tutor: bool,
    pub group: &'a str,
    pub clock: RegisterClock,
    /// The mark was entered by office staff.
    pub office_mark: bool,
    pub has_reason: bool,
}

/// Decides whether a mark may be cleared to blank. Clearing is a change like any other, kept
/// in the history: a teacher may clear a mark of their own register while it is open (not the
/// office's); office staff may clear any, with a reason once the register has closed.
pub fn check_clear(attempt: &ClearAttempt<'_>) -> Result<ChangeKind, String> {
    let clock = attempt.clock;
    if attempt.role == Role::Teacher {
        if !attempt.is_tutor {
            return Err(format!(
                "you are not a tutor of {}: only its tutors and office staff can change it",
                attempt.group
            ));
        }
        if clock.date != clock.now.date() || clock.is_closed() || clock.phase() == Phase::BeforeOpen
        {
            return Err(
                "teachers clear marks only while today's register is open; the office can clear others"
                    .into(),
            );
        }
        if attempt.office_mark {
            return Err("the office entered this mark: only office staff can clear it".into());
        }
        return Ok(ChangeKind::Mark);
    }
    if clock.is_closed() {
        if !attempt.has_reason {
            return Err(format!(
                "{}: clearing a mark is an amendment and needs a reason",
                clock.closed_reason()
            ));
        }
        return Ok(ChangeKind::Amendment);
    }
    Ok(ChangeKind::Mark)
}

/// A code as it will be stored, after the clock has had its say.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedCode {
    pub code: &'static CodeInfo,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u32>,
    /// Why the stored code differs from the one asked for.
    pub explanation: Option<String>,
}

/// Turns a requested code into the code to store. Present, `L` and `U` are derived from the
/// arrival time and the session's times, so an `L` after the close cannot exist; an `L` or `U`
/// with no arrival time given arrived now (`now_today` is the time if the session is today).
pub fn resolve_code(
    requested: &'static CodeInfo,
    session: Session,
    times: &SessionTimes,
    arrived: Option<NaiveTime>,
    now_today: Option<NaiveTime>,
) -> Result<ResolvedCode, String> {
    if !requested.code.is_arrival() {
        if arrived.is_some() {
            return Err(format!(
                "an arrival time goes with a present, L or U mark, not with {}",
                requested.code
            ));
        }
        return Ok(ResolvedCode {
            code: requested,
            arrived: None,
            minutes_late: None,
            explanation: None,
        });
    }
    let arrival = match (arrived, requested.code) {
        (Some(t), _) => Some(to_minute(t)),
        (None, Code::L | Code::U) => Some(to_minute(now_today.ok_or_else(|| {
            format!(
                "give the arrival time (HH:MM) for {} on a day other than today",
                requested.code
            )
        })?)),
        (None, _) => None,
    };
    if let (Some(a), Some(now)) = (arrival, now_today)
        && a > to_minute(now)
    {
        return Err(format!(
            "the arrival time {} is later than the time now ({})",
            hm(a),
            hm(now)
        ));
    }
    let Some(arrival) = arrival else {
        let present = session.present_code();
        return Ok(ResolvedCode {
            code: present.info(),
            arrived: None,
            minutes_late: None,
            explanation: (present != requested.code)
                .then(|| format!("the {} present code is {present}", session.label())),
        });
    };
    let mark = times.arrival_mark(session, arrival);
    let code = mark.code.info();
    let explanation = (mark.code != requested.code).then(|| match mark.code {
        Code::U => format!(
            "arrived {}, after the register closed at {}: recorded as U (unauthorised absence)",
            hm(arrival),
            hm(times.closes_at)
        ),
        Code::L => format!(
            "arrived {}, after the register began at {}: recorded as L, {} minutes late",
            hm(arrival),
            hm(times.register_at),
            mark.minutes_late.unwrap_or(0)
        ),
        present => format!(
            "arrived {}, by the time the register began at {}: recorded as present ({present})",
            hm(arrival),
            hm(times.register_at)
        ),
    });
    let late = mark.minutes_late.is_some();
    Ok(ResolvedCode {
        code,
        arrived: late.then_some(arrival),
        minutes_late: mark.minutes_late,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::lookup;
    use crate::domain::session::parse_hm;

    fn clock(date: &str, now: &str, locked: bool) -> RegisterClock {
        RegisterClock {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            session: Session::Am,
            times: SessionTimes {
                opens_at: parse_hm("08:45").unwrap(),
                register_at: parse_hm("09:00").unwrap(),
                closes_at: parse_hm("09:30").unwrap(),
            },
            now: NaiveDateTime::parse_from_str(now, "%Y-%m-%dT%H:%M").unwrap(),
            locked,
        }
    }

    fn attempt(
        role: Role,
        is_tutor: bool,
        code: &str,
        clock: RegisterClock,
        reason: bool,
    ) -> Result<ChangeKind, String> {
        check_change(&MarkAttempt {
            role,
            is_tutor,
            group: "3B",
            code: lookup(code).unwrap(),
            clock,
            school_session: &Ok(()),
            has_reason: reason,
            teacher_codes: &crate::domain::codes::default_teacher_codes(),
        })
    }

    #[test]
    fn status_moves_with_the_clock_and_the_close() {
        let c = clock("2026-11-23", "2026-11-23T08:30", false);
        assert_eq!(c.status(0, 30), RegisterStatus::NotStarted);
        assert_eq!(
            clock("2026-11-23", "2026-11-23T08:50", false).status(3, 30),
            RegisterStatus::Open
        );
        assert_eq!(
            clock("2026-11-23", "2026-11-23T09:10", false).status(3, 30),
            RegisterStatus::LateWindow
        );
        assert_eq!(
            clock("2026-11-23", "2026-11-23T09:31", false).status(3, 30),
            RegisterStatus::Closed
        );
        assert_eq!(
            clock("2026-11-23", "2026-11-23T09:10", false).status(30, 30),
            RegisterStatus::Complete
        );
        assert_eq!(
            clock("2026-11-23", "2026-11-23T09:10", true).status(30, 30),
            RegisterStatus::Closed
        );
    }

    #[test]
    fn missing_registers_are_incomplete_after_register_at() {
        assert!(!clock("2026-11-23", "2026-11-23T09:00", false).is_missing(29, 30));
        assert!(clock("2026-11-23", "2026-11-23T09:01", false).is_missing(29, 30));
        assert!(!clock("2026-11-23", "2026-11-23T09:01", false).is_missing(30, 30));
    }

    #[test]
    fn a_teacher_marks_their_own_group_while_the_register_is_open() {
        let open = clock("2026-11-23", "2026-11-23T08:50", false);
        assert_eq!(
            attempt(Role::Teacher, true, "/", open, false),
            Ok(ChangeKind::Mark)
        );
        let err = attempt(Role::Teacher, false, "/", open, false).unwrap_err();
        assert!(err.contains("not a tutor of 3B"), "{err}");
        let err = attempt(Role::Teacher, true, "M", open, false).unwrap_err();
        assert!(err.contains("only office staff"), "{err}");
        let early = clock("2026-11-23", "2026-11-23T08:40", false);
        assert!(
            attempt(Role::Teacher, true, "/", early, false)
                .unwrap_err()
                .contains("opens at 08:45")
        );
    }

    #[test]
    fn a_teacher_cannot_change_a_closed_register_even_with_a_reason() {
        let after = clock("2026-11-23", "2026-11-23T09:31", false);
        let err = attempt(Role::Teacher, true, "L", after, true).unwrap_err();
        assert!(err.contains("closed at 09:30"), "{err}");
        let locked = clock("2026-11-23", "2026-11-23T09:10", true);
        assert!(attempt(Role::Teacher, true, "/", locked, true).is_err());
        let yesterday = clock("2026-11-20", "2026-11-23T08:50", false);
        assert!(
            attempt(Role::Teacher, true, "/", yesterday, true)
                .unwrap_err()
                .contains("today's registers only")
        );
    }

    #[test]
    fn office_changes_after_close_are_amendments_that_need_a_reason() {
        let after = clock("2026-11-23", "2026-11-23T10:00", false);
        let err = attempt(Role::Office, false, "M", after, false).unwrap_err();
        assert!(err.contains("needs a reason"), "{err}");
        assert_eq!(
            attempt(Role::Office, false, "M", after, true),
            Ok(ChangeKind::Amendment)
        );
        let future = clock("2026-11-30", "2026-11-23T10:00", false);
        assert_eq!(
            attempt(Role::Office, false, "M", future, false),
            Ok(ChangeKind::Mark)
        );
    }

    #[test]
    fn what_happened_at_a_session_waits_for_it_to_begin() {
        // Tomorrow, and today before the register opens: planned absences yes, presence no.
        for not_yet in [
            clock("2026-11-24", "2026-11-23T10:00", false),
            clock("2026-11-23", "2026-11-23T08:44", false),
        ] {
            for code in ["/", "\\", "L", "U", "N", "O"] {
                let err = attempt(Role::Office, false, code, not_yet, true).unwrap_err();
                assert!(
                    err.contains("has not begun (it opens at 08:45)"),
                    "{code}: {err}"
                );
            }
            for code in ["M", "C", "V", "G", "#", "I", "E"] {
                assert!(
                    attempt(Role::Office, false, code, not_yet, false).is_ok(),
                    "{code}"
                );
            }
        }
        let opened = clock("2026-11-23", "2026-11-23T08:45", false);
        assert_eq!(
            attempt(Role::Office, false, "/", opened, false),
            Ok(ChangeKind::Mark)
        );
    }

    #[test]
    fn clearing_a_mark_is_a_change_with_the_same_limits() {
        let clear = |role, is_tutor, clock, office_mark, has_reason| {
            check_clear(&ClearAttempt {
                role,
                is_tutor,
                group: "3B",
                clock,
                office_mark,
                has_reason,
            })
        };
        let open = clock("2026-11-23", "2026-11-23T08:50", false);
        let after = clock("2026-11-23", "2026-11-23T09:31", false);
        let future = clock("2026-11-24", "2026-11-23T09:31", false);
        assert_eq!(
            clear(Role::Teacher, true, open, false, false),
            Ok(ChangeKind::Mark)
        );
        assert!(clear(Role::Teacher, false, open, false, false).is_err());
        assert!(
            clear(Role::Teacher, true, open, true, false)
                .unwrap_err()
                .contains("only office staff")
        );
        assert!(clear(Role::Teacher, true, after, false, true).is_err());
        assert!(clear(Role::Teacher, true, future, false, true).is_err());
        assert!(
            clear(Role::Office, false, after, true, false)
                .unwrap_err()
                .contains("needs a reason")
        );
        assert_eq!(
            clear(Role::Office, false, after, true, true),
            Ok(ChangeKind::Amendment)
        );
        assert_eq!(
            clear(Role::Office, false, future, true, false),
            Ok(ChangeKind::Mark)
        );
    }

    #[test]
    fn only_hash_may_be_entered_on_a_closure() {
        let closure = Err(NotInSession::Closure {
            reason: "INSET day".into(),
        });
        let c = clock("2026-11-23", "2026-11-23T08:50", false);
        let mut a = MarkAttempt {
            role: Role::Office,
            is_tutor: false,
            group: "3B",
            code: lookup("/").unwrap(),
            clock: c,
            school_session: &closure,
            has_reason: false,
            teacher_codes: &[],
        };
        assert!(check_change(&a).unwrap_err().contains("INSET day"));
        a.code = lookup("#").unwrap();
        assert_eq!(check_change(&a), Ok(ChangeKind::Mark));
    }

    fn resolve(
        code: &str,
        session: Session,
        arrived: Option<&str>,
        now: Option<&str>,
    ) -> Result<ResolvedCode, String> {
        let times = clock("2026-11-23", "2026-11-23T08:50", false).times;
        resolve_code(
            lookup(code).unwrap(),
            session,
            &times,
            arrived.map(|a| parse_hm(a).unwrap()),
            now.map(|n| parse_hm(n).unwrap()),
        )
    }

    #[test]
    fn late_without_a_time_arrived_now() {
        let r = resolve("L", Session::Am, None, Some("09:12")).unwrap();
        assert_eq!((r.code.code.as_str(), r.minutes_late), ("L", Some(12)));
        assert_eq!(r.arrived, parse_hm("09:12"));
        assert_eq!(r.explanation, None);
    }

    #[test]
    fn an_l_arriving_after_the_close_becomes_u_and_says_so() {
        let r = resolve("L", Session::Am, Some("09:41"), Some("10:00")).unwrap();
        assert_eq!((r.code.code.as_str(), r.minutes_late), ("U", Some(41)));
        let why = r.explanation.unwrap();
        assert!(
            why.contains("after the register closed at 09:30: recorded as U"),
            "{why}"
        );
    }

    #[test]
    fn an_l_before_the_register_began_is_present() {
        let r = resolve("L", Session::Pm, None, Some("08:58")).unwrap();
        assert_eq!(r.code.code, "\\");
        assert!(r.explanation.unwrap().contains("recorded as present"));
    }

    #[test]
    fn present_is_the_session_s_own_code() {
        assert_eq!(
            resolve("/", Session::Pm, None, Some("13:00"))
                .unwrap()
                .code
                .code,
            "\\"
        );
        assert_eq!(
            resolve("/", Session::Am, None, None).unwrap().explanation,
            None
        );
    }

    #[test]
    fn arrivals_in_the_future_or_on_other_days_without_a_time_are_refused() {
        assert!(
            resolve("L", Session::Am, Some("09:20"), Some("09:10"))
                .unwrap_err()
                .contains("later than the time now")
        );
        assert!(
            resolve("U", Session::Am, None, None)
                .unwrap_err()
                .contains("give the arrival time")
        );
        assert!(resolve("M", Session::Am, Some("09:20"), None).is_err());
    }
}

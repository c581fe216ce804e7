//! The demo's school days, session by session as a school lives them: teachers mark at
//! registration, lates arrive before the close, the office signs in those after it, gives
//! yesterday's `N` a reason the next morning, and turns those nobody chased into `O` once
//! their five school days are up.

use super::names::{ABSENCE_CODES, OFFICE, REASONS};
use super::people::DemoPupil;
use super::rng::Rng;
use super::sender::{Demo, DemoError};
use crate::domain::School;
use crate::domain::codes::Code;
use crate::domain::people::YearGroup;
use crate::domain::register::RegisterClock;
use crate::domain::session::{Phase, Session, SessionTimes, hm};
use crate::domain::thresholds::{OVERDUE_REASON, n_deadline};
use crate::service::protocol::{Expect, MarkRequest, RegisterId};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// One walk through the demo's sessions.
pub(super) struct Walk<'a> {
    pub(super) school: &'a School,
    pub(super) groups: &'a [(String, String, YearGroup)],
    /// The pupils on roll this school year, each with their group.
    pub(super) pupils: Vec<DemoPupil>,
    pub(super) now: NaiveDateTime,
    /// The pupil whose week's holiday was not granted, and its days.
    pub(super) holiday_pupil: usize,
    pub(super) holiday_days: Vec<NaiveDate>,
    /// From this date the office has not yet chased every `N`.
    pub(super) recent: NaiveDate,
    /// `N` marks waiting for the office, who gives reasons the next school day, with the
    /// pupil's share of unauthorised absence.
    waiting: Vec<(MarkRequest, f64)>,
    /// `N` nobody chased: `O` once their deadline passes.
    unchased: Vec<MarkRequest>,
}

/// A session's marks, by when they are saved.
#[derive(Default)]
struct SessionMarks {
    on_time: Vec<(String, MarkRequest)>,
    late: Vec<(String, MarkRequest)>,
    after_close: Vec<(String, MarkRequest)>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(
        school: &'a School,
        groups: &'a [(String, String, YearGroup)],
        pupils: Vec<DemoPupil>,
        now: NaiveDateTime,
        holiday: (usize, Vec<NaiveDate>),
        recent: NaiveDate,
    ) -> Walk<'a> {
        Walk {
            school,
            groups,
            pupils,
            now,
            holiday_pupil: holiday.0,
            holiday_days: holiday.1,
            recent,
            waiting: Vec::new(),
            unchased: Vec::new(),
        }
    }

    /// One session: the morning's chasing, the marks, and at the end of a week the overdue
    /// `N` become `O`. A session not yet open is left alone.
    pub(super) fn session(
        &mut self,
        demo: &mut Demo,
        rng: &mut Rng,
        date: NaiveDate,
        session: Session,
    ) -> Result<(), DemoError> {
        let times = *self.school.sessions.times(session);
        let phase = RegisterClock {
            date,
            session,
            times,
            now: self.now,
            locked: false,
        }
        .phase();
        if phase == Phase::BeforeOpen {
            return Ok(());
        }
        if session == Session::Am && !self.waiting.is_empty() {
            self.chase(demo, rng, date)?;
        }
        let marks = self.marks(rng, date, session, phase, times);
        self.save(demo, date, times, marks)?;
        let end_of_week =
            NaiveDateTime::new(date, NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default());
        if session == Session::Pm && date.weekday() == Weekday::Fri && end_of_week <= self.now {
            demo.at(end_of_week);
            self.overdue_to_o(demo, date)?;
        }
        Ok(())
    }

    /// The morning after: yesterday's `N` get their reasons from the office.
    fn chase(&mut self, demo: &mut Demo, rng: &mut Rng, date: NaiveDate) -> Result<(), DemoError> {
        let at = NaiveDateTime::new(date, NaiveTime::from_hms_opt(10, 5, 0).unwrap_or_default());
        if at > self.now {
            return Ok(());
        }
        demo.at(at);
        let mut amendments = Vec::new();
        for (mut request, unauthorised) in std::mem::take(&mut self.waiting) {
            let recent = request.register.date >= self.recent;
            let chased = recent || rng.chance(0.99);
            if !chased || (recent && !rng.chance(0.3)) {
                self.unchased.push(request);
                continue;
            }
            let code = if rng.chance(unauthorised) {
                *rng.pick(&[Code::O, Code::G, Code::O])
            } else {
                *rng.pick(&ABSENCE_CODES)
            };
            request.code = code.to_string();
            request.expect = Expect::Code(Code::N);
            request.reason = Some(rng.pick(&REASONS).to_string());
            amendments.push((OFFICE.0.to_string(), request));
        }
        demo.marks(amendments)
    }

    /// Each pupil's mark for a session, by the pupil's habit. Today the session under way is
    /// half taken in other classes and not started in the demo user's; a finished session is
    /// complete except in one class (a missing register).
    fn marks(
        &mut self,
        rng: &mut Rng,
        date: NaiveDate,
        session: Session,
        phase: Phase,
        times: SessionTimes,
    ) -> SessionMarks {
        let today = self.now.date();
        let mut out = SessionMarks::default();
        for (gi, (group, tutor, _)) in self.groups.iter().enumerate() {
            let today_fraction = match (date == today, phase) {
                (false, _) => 1.0,
                (true, Phase::Closed) if gi == self.groups.len() - 1 => 0.6,
                (true, Phase::Closed) => 1.0,
                (true, _) if gi == 0 => 0.0,
                (true, _) => 0.5,
            };
            for (index, (pupil, _, habit)) in self
                .pupils
                .iter()
                .enumerate()
                .filter(|(_, (_, g, _))| *g == gi)
            {
                if !rng.chance(today_fraction) {
                    continue;
                }
                let request = MarkRequest {
                    register: RegisterId::new(group.clone(), date, session),
                    upn: pupil.upn.clone(),
                    code: session.present_code().to_string(),
                    expect: Expect::Blank,
                    ..MarkRequest::default()
                };
                let with =
                    |code: Code, arrived: Option<NaiveTime>, request: MarkRequest| MarkRequest {
                        code: code.to_string(),
                        arrived,
                        ..request
                    };
                if index == self.holiday_pupil && self.holiday_days.contains(&date) {
                    // A holiday not granted: the office records it.
                    out.on_time
                        .push((OFFICE.0.to_string(), with(Code::G, None, request)));
                } else if rng.chance(habit.absent) {
                    let n = with(Code::N, None, request);
                    if date < today {
                        self.waiting.push((n.clone(), habit.unauthorised));
                    }
                    out.on_time.push((tutor.clone(), n));
                } else if rng.chance(habit.after_close) {
                    let m = times.open_minutes() + 1 + rng.below(40) as i64;
                    let t = times.register_at + chrono::Duration::minutes(m);
                    let u = MarkRequest {
                        reason: Some(format!("signed in late at the office, arrived {}", hm(t))),
                        ..with(Code::U, Some(t), request)
                    };
                    out.after_close.push((OFFICE.0.to_string(), u));
                } else if rng.chance(habit.late) {
                    let m = 1 + rng.below(times.open_minutes() as u64 - 1) as i64;
                    let t = times.register_at + chrono::Duration::minutes(m);
                    out.late
                        .push((tutor.clone(), with(Code::L, Some(t), request)));
                } else {
                    out.on_time.push((tutor.clone(), request));
                }
            }
        }
        out
    }

    /// At registration; the lates just before the close; the office after it.
    fn save(
        &self,
        demo: &mut Demo,
        date: NaiveDate,
        times: SessionTimes,
        marks: SessionMarks,
    ) -> Result<(), DemoError> {
        let clock_at = |t: NaiveTime| NaiveDateTime::new(date, t).min(self.now);
        demo.at(clock_at(times.register_at - chrono::Duration::minutes(3)));
        demo.marks(marks.on_time)?;
        let before_close = clock_at(times.closes_at - chrono::Duration::minutes(1));
        demo.at(before_close);
        demo.marks(
            marks
                .late
                .into_iter()
                .filter(|(_, m)| {
                    m.arrived
                        .is_some_and(|t| NaiveDateTime::new(date, t) <= before_close)
                })
                .collect(),
        )?;
        let signed_in = NaiveDateTime::new(date, times.closes_at + chrono::Duration::minutes(45));
        if signed_in <= self.now {
            demo.at(signed_in);
            demo.marks(marks.after_close)?;
        }
        Ok(())
    }

    /// SPEC §4: an `N` nobody gave a reason for within 5 school days becomes `O`.
    fn overdue_to_o(&mut self, demo: &mut Demo, date: NaiveDate) -> Result<(), DemoError> {
        let calendar = &self.school.calendar;
        let (overdue, still): (Vec<MarkRequest>, Vec<MarkRequest>) =
            std::mem::take(&mut self.unchased)
                .into_iter()
                .partition(|n| n_deadline(calendar, n.register.date) < date);
        self.unchased = still;
        demo.marks(
            overdue
                .into_iter()
                .map(|n| {
                    (
                        OFFICE.0.to_string(),
                        MarkRequest {
                            code: Code::O.to_string(),
                            expect: Expect::Code(Code::N),
                            reason: Some(OVERDUE_REASON.into()),
                            ..n
                        },
                    )
                })
                .collect(),
        )
    }
}

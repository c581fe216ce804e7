//! What the app shows: the class list, a register, a pupil search, the `N` queue and one
//! mark's history.

use super::core::{Engine, Result};
use super::ctx::Ctx;
use super::figures::Window;
use crate::domain::calendar::Calendar;
use crate::domain::desk::{out_at, register_moment};
use crate::domain::marks::{Mark, SessionKey};
use crate::domain::people::{Pupil, Staff};
use crate::domain::register::{MarkAttempt, check_change};
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::domain::thresholds;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use chrono::NaiveDate;
use std::collections::HashMap;

impl Engine {
    pub(super) fn hello(&self, ctx: &Ctx) -> Result<Response> {
        let school = ctx.school()?;
        Ok(Response::Hello(Hello {
            me: ctx.staff.clone(),
            school: school.name.clone(),
            teacher_codes: school.teacher_codes.clone(),
            clock: self.clock.describe(),
            server: self.server,
            version: crate::service::release(),
            terms: school
                .calendar
                .terms
                .iter()
                .map(|t| (t.name.clone(), t.start, t.end))
                .collect(),
        }))
    }

    pub(super) fn history(
        &self,
        ctx: &Ctx,
        upn: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        let r = self.store.read()?;
        self.reach(&r, ctx, date)?.require_pupil(&r, upn, date)?;
        let pupil = r
            .pupil(upn)?
            .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
        let key = SessionKey {
            date,
            session,
            upn: upn.to_string(),
        };
        let current = r.mark(&key)?;
        let changes = r.history(&key)?;
        // Each change says where it came from. A mark imported before changes did (schema 6)
        // is known by its time in the import log, and only then.
        let mut imported = changes
            .iter()
            .rev()
            .find_map(|c| c.source.as_ref().filter(|s| s.is_import()))
            .map(|s| s.to_string());
        if imported.is_none()
            && let Some(m) = &current
            && r.legacy_imports_until()?
                .is_some_and(|until| m.recorded_at <= until)
        {
            imported = r.import_note(m.recorded_at, &m.recorded_by)?;
        }
        Ok(Response::History(MarkHistory {
            upn: upn.to_string(),
            name: pupil.display_name(),
            date,
            session,
            current,
            changes,
            imported,
        }))
    }

    pub(super) fn class_list(&self, ctx: &Ctx, date: Option<NaiveDate>) -> Result<Response> {
        let staff = &ctx.staff;
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let r = self.store.read()?;
        let all_staff: HashMap<String, Staff> = r
            .all_staff()?
            .into_iter()
            .map(|s| (s.account.clone(), s))
            .collect();
        let day_marks: [HashMap<String, Mark>; 2] = r
            .marks_on_day(date)?
            .map(|marks| marks.into_iter().collect());
        let mut groups = Vec::new();
        for group in &school.groups {
            let roll = r.roll(&group.name, date)?;
            // Who covers either register of the day, by name.
            let mut cover = None;
            let mut covers = false;
            for session in Session::BOTH {
                if let Some(c) = r.cover(&group.name, date, session)?
                    && let Some(account) = c.account
                {
                    covers |= account == staff.account;
                    cover = Some(
                        all_staff
                            .get(&account)
                            .map_or(account.clone(), |s| s.name.clone()),
                    );
                }
            }
            let mut sessions = Vec::with_capacity(2);
            let plan = self.group_plan(&r, school, &group.name, date)?;
            for session in Session::BOTH {
                let marks = &day_marks[session.index() as usize];
                let mut tally = Tally::default();
                let mut marked = 0;
                let times = plan.times(session);
                let opened = date.and_time(times.opens_at);
                let mut taken = false;
                for upn in &roll {
                    if let Some(m) = marks.get(upn) {
                        marked += 1;
                        tally.add_code(m.code, date);
                        taken |= m.recorded_at >= opened;
                    }
                }
                let (clock, _) =
                    self.register_clock(&r, school, &group.name, date, session, ctx)?;
                let in_session = school.calendar.is_school_session(date, session);
                sessions.push(SessionSummary {
                    status: clock.status(marked, roll.len()),
                    marked: marked as u32,
                    on_roll: roll.len() as u32,
                    missing: in_session && clock.is_missing(marked, roll.len()),
                    tally,
                    started: taken && times.has_begun(date, ctx.now),
                });
            }
            let sessions: [SessionSummary; 2] = sessions
                .try_into()
                .map_err(|_| ServiceError::Store("two sessions expected".into()))?;
            // The groups this teacher covers today first, then their own, then the rest.
            let rank = if covers {
                0
            } else if group.is_tutor(&staff.account) {
                1
            } else {
                2
            };
            groups.push((
                rank,
                GroupRow {
                    name: group.name.clone(),
                    tutors: group
                        .tutors
                        .iter()
                        .map(|t| all_staff.get(t).map_or(t.clone(), |s| s.name.clone()))
                        .collect(),
                    mine: group.is_tutor(&staff.account) || covers,
                    cover,
                    sessions,
                },
            ));
        }
        // Stable: within a rank, configuration order.
        groups.sort_by_key(|(rank, _)| *rank);
        let groups: Vec<GroupRow> = groups.into_iter().map(|(_, g)| g).collect();
        let not_in_session = Session::BOTH.map(|s| {
            school
                .calendar
                .check_session(date, s)
                .err()
                .map(|e| e.to_string())
        });
        Ok(Response::ClassList(ClassList {
            date,
            now: ctx.now,
            not_in_session,
            times: [school.sessions.am, school.sessions.pm],
            groups,
        }))
    }

    pub(super) fn register(
        &self,
        ctx: &Ctx,
        group_name: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Response> {
        let staff = &ctx.staff;
        let school = ctx.school()?;
        let group = self.known_group(school, group_name)?;
        let r = self.store.read()?;
        self.reach(&r, ctx, date)?.require_group(group_name, date)?;
        let (clock, closed) = self.register_clock(&r, school, group_name, date, session, ctx)?;
        let year_start = Calendar::academic_year_start(date);
        let term_start = school
            .calendar
            .term_containing(date)
            .map_or(year_start, |t| t.start);
        let mut rows = Vec::new();
        let mut term_tally = Tally::default();
        let desk = r.desk_entries(date, date)?;
        let moment = register_moment(
            self.group_plan(&r, school, group_name, date)?,
            session,
            date,
            ctx.now,
        );
        for upn in r.roll(group_name, date)? {
            let Some(pupil) = r.pupil(&upn)? else {
                continue;
            };
            let key = SessionKey {
                date,
                session,
                upn: upn.clone(),
            };
            let joined = r
                .memberships(&upn)?
                .into_iter()
                .rev()
                .find(|m| m.covers(date))
                .map_or(term_start, |m| m.start);
            // Figures run to this session, and never past now: a planned absence counts
            // once its session has begun, the same as in `report`.
            let (ytd, term) = match r.pupil_id(&upn)? {
                Some(pupil) => {
                    let window = |from| Window {
                        from,
                        to: (date, session),
                        now: ctx.now,
                        school,
                    };
                    (
                        window(year_start).tally(&r, pupil)?,
                        window(term_start.max(joined)).tally(&r, pupil)?,
                    )
                }
                None => (Tally::default(), Tally::default()),
            };
            term_tally.merge(&term);
            let fits = crate::domain::validity::MarkFor {
                dob: pupil.dob,
                on_roll: true,
            };
            let unfit = crate::domain::codes::current_codes()
                .filter_map(|info| {
                    crate::domain::validity::unfit(info.code, date, fits)
                        .map(|why| (info.code, why))
                })
                .collect();
            rows.push(RegisterRow {
                unfit,
                surname: pupil.surname,
                forename: pupil.forename,
                dob: Some(pupil.dob),
                year: pupil.year,
                mark: r.mark(&key)?,
                ytd,
                out: out_at(desk.iter().filter(|e| e.upn == upn), moment).and_then(|e| {
                    Some(SignedOut {
                        left: e.time?,
                        // Why a pupil left is the office's; a teacher sees that they did.
                        reason: if staff.role.is_office() {
                            e.note.clone()
                        } else {
                            "signed out".into()
                        },
                        back_today: e.back_today.unwrap_or(false),
                    })
                }),
                upn,
            });
        }
        // A teacher's register gives a date of birth only to tell two of one name apart.
        if !staff.role.is_office() {
            let mut names: HashMap<(String, String), usize> = HashMap::new();
            for row in &rows {
                *names
                    .entry((row.surname.clone(), row.forename.clone()))
                    .or_default() += 1;
            }
            for row in &mut rows {
                if names[&(row.surname.clone(), row.forename.clone())] < 2 {
                    row.dob = None;
                }
            }
        }
        rows.sort_by_key(|row| {
            (
                row.surname.to_lowercase(),
                row.forename.to_lowercase(),
                row.upn.clone(),
            )
        });
        let session_check = school.calendar.check_session(date, session);
        let can_mark = check_change(&MarkAttempt {
            role: staff.role,
            is_tutor: self.takes_register(&r, group, &staff.account, date, session)?,
            group: group_name,
            code: session.present_code().info(),
            clock,
            school_session: &session_check,
            has_reason: false,
            teacher_codes: &school.teacher_codes,
        })
        .map(|_| ());
        Ok(Response::Register(RegisterView {
            group: group_name.to_string(),
            tutors: group.tutors.clone(),
            date,
            session,
            times: clock.times,
            now: ctx.now,
            closed,
            not_in_session: session_check.err().map(|e| e.to_string()),
            rows,
            term_tally,
            can_mark,
        }))
    }

    pub(super) fn find_pupils(
        &self,
        ctx: &Ctx,
        query: &str,
        date: Option<NaiveDate>,
    ) -> Result<Response> {
        let date = date.unwrap_or(ctx.now.date());
        let r = self.store.read()?;
        // A teacher finds the pupils of their groups, with what a register shows of them.
        let reach = self.reach(&r, ctx, date)?;
        let needle = query.trim().to_lowercase();
        let mut found: Vec<Pupil> = r
            .pupils()?
            .into_iter()
            .filter(|p| {
                // A UPN's start, or a name as every list finds one (`chow m`).
                needle.is_empty()
                    || p.upn.to_lowercase().starts_with(&needle)
                    || crate::domain::people::name_matches(&needle, &p.surname, &p.forename)
            })
            .collect();
        found.sort_by_cached_key(Pupil::sort_key);
        let mut pupils = Vec::new();
        for p in found.into_iter().take(200) {
            let group = r.group_on(&p.upn, date)?;
            if !reach.is_school() && !group.as_ref().is_some_and(|g| reach.group(g)) {
                continue;
            }
            let mark = |session| {
                r.mark(&SessionKey {
                    date,
                    session,
                    upn: p.upn.clone(),
                })
            };
            let marks = [mark(Session::Am)?, mark(Session::Pm)?];
            let times = ctx.school.as_ref().map(|school| match &group {
                Some(g) => *school.plan_for(g, Some(p.year)),
                None => school.sessions,
            });
            pupils.push(PupilHit {
                times,
                upn: p.upn,
                surname: p.surname,
                forename: p.forename,
                year: p.year,
                dob: reach.is_school().then_some(p.dob),
                group,
                marks,
            });
        }
        Ok(Response::Pupils { pupils })
    }

    pub(super) fn n_queue(&self, ctx: &Ctx, on: Option<NaiveDate>) -> Result<Response> {
        super::access::office_reads(ctx, "the N queue")?;
        let school = ctx.school()?;
        let on = on.unwrap_or(ctx.now.date());
        let r = self.store.read()?;
        let mut items = Vec::new();
        for key in r.pending_n()? {
            let Some(mark) = r.mark(&key)? else { continue };
            let name = r
                .pupil(&key.upn)?
                .map(|p| p.display_name())
                .unwrap_or_default();
            let deadline = thresholds::n_deadline(&school.calendar, key.date);
            items.push(NItem {
                days_left: thresholds::school_days_left(&school.calendar, on, deadline),
                date: key.date,
                session: key.session,
                upn: key.upn,
                name,
                group: mark.group,
                deadline,
                recorded_by: mark.recorded_by,
            });
        }
        Ok(Response::NQueue { items })
    }
}

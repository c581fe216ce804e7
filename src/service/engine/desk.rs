//! The office's desk: today's absences and first-day calls, reminders for missing registers,
//! the fire list and early sign-outs, and a pupil's year at a glance.

use super::core::{Engine, Result, checked_note, refused};
use super::ctx::Ctx;
use super::figures::Window;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::Code;
use crate::domain::desk::{DeskEntry, DeskKind, days_in_a_row, on_site, out_at};
use crate::domain::figures::Detail;
use crate::domain::marks::Mark;
use crate::domain::session::Session;
use crate::domain::stats::{Tally, band_for};
use crate::domain::thresholds::ThresholdKind;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use std::collections::{BTreeMap, HashMap};

/// The duties an absence brings today (the alerts' own rule), each with what was done about
/// it today.
fn duties_today(
    r: &crate::store::Reader,
    actions: &crate::store::Actions,
    upn: &str,
    code: Code,
    date: NaiveDate,
) -> Result<Vec<DutyToday>> {
    let traits = r.characteristics(upn, date)?;
    let kinds = crate::domain::thresholds::who_to_tell(&traits, code, date);
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let id = r.pupil_id(upn)?;
    Ok(kinds
        .into_iter()
        .map(|kind| {
            let words = match kind {
                ThresholdKind::TellSocialWorker if !traits.social_worker.is_empty() => {
                    format!("tell the social worker: {}", traits.social_worker)
                }
                ThresholdKind::TellSocialWorker => "tell the social worker".to_string(),
                _ => "tell the virtual school".to_string(),
            };
            let done = id
                .and_then(|id| actions.get(&(id, kind)))
                .and_then(|acts| acts.iter().rev().find(|a| a.through.0 == date))
                .cloned();
            DutyToday { kind, words, done }
        })
        .collect())
}

/// How far back a run of absence is followed: beyond it the count says "at least".
pub(super) const RUN_LOOKBACK_DAYS: u64 = 70;

impl Engine {
    /// The session a request means when it names none: the one under way, or next, by the
    /// clock (another day: its morning).
    pub(super) fn session_now(school: &School, ctx: &Ctx, date: NaiveDate) -> Session {
        if date == ctx.now.date() {
            school.sessions.session_at(ctx.now.time())
        } else {
            Session::Am
        }
    }

    pub(super) fn today(
        &self,
        ctx: &Ctx,
        date: Option<NaiveDate>,
        session: Option<Session>,
    ) -> Result<Response> {
        office_only(ctx, "today's absences")?;
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let session = session.unwrap_or_else(|| Self::session_now(school, ctx, date));
        let not_in_session = school
            .calendar
            .check_session(date, session)
            .err()
            .map(|e| e.to_string());
        let mut view = TodayView {
            date,
            session,
            not_in_session,
            pupils: Vec::new(),
            missing: Vec::new(),
        };
        if view.not_in_session.is_some() {
            return Ok(Response::Today(view));
        }
        // The missing registers are the class list's, so both screens agree.
        if let Response::ClassList(list) = self.class_list(ctx, Some(date))? {
            for g in list.groups {
                let s = &g.sessions[session.index() as usize];
                if s.missing {
                    view.missing.push(MissingRegister {
                        takers: g.cover.map_or(g.tutors, |c| vec![c]),
                        group: g.name,
                        marked: s.marked,
                        on_roll: s.on_roll,
                    });
                }
            }
        }
        let r = self.store.read()?;
        let marks: HashMap<String, Mark> = r.marks_on(date, session)?.into_iter().collect();
        let mut calls: HashMap<String, Vec<DeskEntry>> = HashMap::new();
        for entry in r.desk_entries(date, date)? {
            if entry.kind == DeskKind::Contacted {
                calls.entry(entry.upn.clone()).or_default().push(entry);
            }
        }
        let actions = r.alert_actions()?;
        for group in &school.groups {
            for upn in r.roll(&group.name, date)? {
                // Away: an absence, and not seen (a U with an arrival time came in late).
                let mark = marks.get(&upn);
                let code = mark.map(|m| m.code);
                if mark.is_some_and(|m| {
                    !m.code.class_on(date).is_absence() || on_site(m.code, m.arrived)
                }) {
                    continue;
                }
                let Some(pupil) = r.pupil(&upn)? else {
                    continue;
                };
                let days_in_a_row = days_away(&r, school, &upn, date, session, code.is_none())?;
                let duties = match code {
                    Some(code) => duties_today(&r, &actions, &upn, code, date)?,
                    None => Vec::new(),
                };
                view.pupils.push(AwayPupil {
                    name: pupil.display_name(),
                    group: group.name.clone(),
                    code,
                    days_in_a_row,
                    contacted: calls.remove(&upn).unwrap_or_default(),
                    contacts: r.contacts(&upn)?,
                    duties,
                    upn,
                });
            }
        }
        Ok(Response::Today(view))
    }

    pub(super) fn contacted(
        &self,
        ctx: &Ctx,
        upn: &str,
        date: Option<NaiveDate>,
        note: &str,
        code: Option<&str>,
        session: Option<Session>,
    ) -> Result<Response> {
        office_only(ctx, "recording a call")?;
        let note = checked_note("the note", note, "say who was called and what they said")?;
        let date = date.unwrap_or(ctx.now.date());
        let Some(code) = code else {
            let name = self.log_desk(ctx, upn, Jot::new(date, DeskKind::Contacted, note))?;
            return Ok(Response::Done {
                message: format!("{name}: contact recorded: {note}"),
            });
        };
        // The call and the mark its reason leads to, in one step.
        let school = ctx.school()?;
        let session = session.unwrap_or_else(|| Self::session_now(school, ctx, date));
        let (message, event) = self.store.write(|w| {
            let name = write_desk(w, ctx, upn, Jot::new(date, DeskKind::Contacted, note))?;
            let key = crate::domain::marks::SessionKey {
                date,
                session,
                upn: upn.to_string(),
            };
            let existing = w.mark(&key)?;
            if let Some(m) = &existing
                && !m.code.class_on(date).is_absence()
            {
                return refused(format!(
                    "{name} is marked {} {}: the call is not recorded over a mark that says \
                     they are in; record it without a code",
                    m.code,
                    session.label()
                ));
            }
            let Some(group) = w.group_on(upn, date)? else {
                return refused(format!("{name} is not on roll on {date}"));
            };
            let req = MarkRequest {
                register: RegisterId {
                    group: group.clone(),
                    date,
                    session,
                },
                upn: upn.to_string(),
                code: code.to_string(),
                note: Some(note.to_string()),
                reason: Some(format!("first-day call: {note}")),
                expect: Expect::Anything,
                ..MarkRequest::default()
            };
            let outcome = self.apply_mark(w, ctx, school, &req, None)?;
            Ok::<_, ServiceError>((
                format!(
                    "{name}: call recorded, {} {} is {}",
                    date.format("%a %d %b"),
                    session.label(),
                    outcome.mark.code
                ),
                Event::saved(&group, &outcome),
            ))
        })?;
        self.notify(event);
        // The family reached: the first-day call stage the pupil is due at is done with it.
        let mut message = message;
        if let Response::Stages { pupils } = self.stages(ctx, Some(date))?
            && let Some(due) = pupils
                .iter()
                .find(|p| p.upn == upn && p.stage.days_in_a_row.is_some())
            && !due
                .done
                .iter()
                .any(|d| d.date == date && d.stage.as_deref() == Some(due.stage.name.as_str()))
        {
            self.stage_done(ctx, upn, &due.stage.name, note, false)?;
            message.push_str(&format!("; stage `{}` done", due.stage.name));
        }
        Ok(Response::Done { message })
    }

    pub(super) fn remind(
        &self,
        ctx: &Ctx,
        group: &str,
        date: Option<NaiveDate>,
        session: Session,
    ) -> Result<Response> {
        office_only(ctx, "reminding a tutor")?;
        let school = ctx.school()?;
        let group = self.known_group(school, group)?;
        let date = date.unwrap_or(ctx.now.date());
        if let Err(why) = school.calendar.check_session(date, session) {
            return refused(format!(
                "no reminder for {} {} {}: {why}",
                group.name,
                date.format("%a %d %b"),
                session.label()
            ));
        }
        let r = self.store.read()?;
        let mut accounts = group.tutors.clone();
        if let Some(cover) = r.cover(&group.name, date, session)?
            && let Some(account) = cover.account
        {
            accounts = vec![account];
        }
        let names: Vec<String> = accounts
            .iter()
            .map(|a| {
                r.staff(a)
                    .ok()
                    .flatten()
                    .map_or(a.clone(), |s| s.name.clone())
            })
            .collect();
        if accounts.is_empty() {
            return refused(format!("{} has no tutor to remind", group.name));
        }
        self.notify(Event::Reminder {
            accounts,
            text: format!(
                "{} ({}) asks: please take {}'s {} register for {}",
                ctx.staff.name,
                ctx.staff.position,
                group.name,
                session.label(),
                date.format("%a %d %b")
            ),
        });
        Ok(Response::Done {
            message: format!(
                "reminder sent to {} for {} {}",
                names.join(", "),
                group.name,
                session.label()
            ),
        })
    }

    pub(super) fn on_site(
        &self,
        ctx: &Ctx,
        date: Option<NaiveDate>,
        session: Option<Session>,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let session = session.unwrap_or_else(|| Self::session_now(school, ctx, date));
        // The fire list is everyone's, for now; another day's or session's is the record of
        // every group's register, which is the office's.
        if !ctx.staff.role.is_office()
            && (date != ctx.now.date() || session != Self::session_now(school, ctx, date))
        {
            return super::core::refused(
                "a teacher sees who is on site now; other days and sessions are the office's",
            );
        }
        let r = self.store.read()?;
        let marks: HashMap<String, Mark> = r.marks_on(date, session)?.into_iter().collect();
        // Out now: signed out and not back (for a past day, as the day ended).
        let cutoff = if date == ctx.now.date() {
            ctx.now.time()
        } else {
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
        };
        let entries = r.desk_entries(date, date)?;
        let mut left: HashMap<String, (NaiveTime, String)> = HashMap::new();
        for upn in entries
            .iter()
            .map(|e| e.upn.clone())
            .collect::<std::collections::BTreeSet<_>>()
        {
            if let Some(out) = out_at(entries.iter().filter(|e| e.upn == upn), cutoff)
                && let Some(time) = out.time
            {
                // Why a pupil left is the office's to know; the fire list needs only that they
                // did, and when.
                let why = if ctx.staff.role.is_office() {
                    out.note.clone()
                } else {
                    "signed out".to_string()
                };
                left.insert(upn, (time, why));
            }
        }
        let mut groups = Vec::new();
        for group in &school.groups {
            let mut g = OnSiteGroup {
                group: group.name.clone(),
                pupils: Vec::new(),
                signed_out: Vec::new(),
                unmarked: Vec::new(),
            };
            // A to Z within the group, as a register reads (the roll is kept by UPN).
            let mut roll = Vec::new();
            for upn in r.roll(&group.name, date)? {
                roll.extend(r.pupil(&upn)?);
            }
            roll.sort_by_cached_key(|p| p.sort_key());
            for pupil in roll {
                let upn = pupil.upn.clone();
                let mark = marks.get(&upn);
                let row = OnSitePupil {
                    name: pupil.display_name(),
                    code: mark.map(|m| m.code),
                    arrived: mark.and_then(|m| m.arrived),
                    left: left.get(&upn).cloned(),
                    upn,
                };
                // Signed out and not back: known to be off site, whatever this session's mark
                // (none yet in the afternoon, or the code given on leaving).
                match mark {
                    _ if row.left.is_some() => g.signed_out.push(row),
                    None => g.unmarked.push(row),
                    Some(m) if on_site(m.code, m.arrived) => g.pupils.push(row),
                    Some(_) => {}
                }
            }
            groups.push(g);
        }
        Ok(Response::OnSite(OnSiteView {
            date,
            session,
            now: ctx.now,
            groups,
        }))
    }

    /// Appends to the desk log, as the acting person now; the pupil's name for the reply.
    pub(super) fn log_desk(&self, ctx: &Ctx, upn: &str, jot: Jot<'_>) -> Result<String> {
        let date = jot.date;
        self.store
            .write(|w| write_desk(w, ctx, upn, jot))
            .inspect(|_| self.notify(Event::Desk { date }))
    }

    pub(super) fn pupil_year(
        &self,
        ctx: &Ctx,
        upn: &str,
        date: Option<NaiveDate>,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let r = self.store.read()?;
        let pupil = r
            .pupil(upn)?
            .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
        self.reach(&r, ctx, date)?.require_pupil(&r, upn, date)?;
        let from = Calendar::academic_year_start(date);
        let to = Calendar::academic_year_end(date);
        let mut cells: HashMap<(NaiveDate, Session), Code> = HashMap::new();
        for (d, s, c) in r.pupil_codes(upn, from, to)? {
            cells.insert((d, s), c);
        }
        // From the week of the year's first school day to the week of its last: half terms
        // and closures inside are shown, the summer holiday is not.
        let mut school_days = school.calendar.school_days(from, to);
        let first = school_days.next().unwrap_or(from);
        let last = school_days.last().unwrap_or(first);
        let mut weeks = Vec::new();
        let mut monday = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
        while monday <= last {
            let days: [DayCells; 5] = std::array::from_fn(|i| {
                let day = monday + Days::new(i as u64);
                let in_year = day >= from && day <= to;
                DayCells {
                    closed: !in_year || !school.calendar.is_school_day(day),
                    codes: Session::BOTH.map(|s| cells.get(&(day, s)).copied()),
                }
            });
            weeks.push(WeekRow { monday, days });
            monday = monday + Days::new(7);
            debug_assert_eq!(monday.weekday(), Weekday::Mon);
        }
        let (mut tally, mut detail) = (Tally::default(), Detail::default());
        if let Some(id) = r.pupil_id(upn)? {
            let window = Window {
                from,
                to: (to, Session::Pm),
                now: ctx.now,
                school,
            };
            for m in window.months() {
                if let Some(bytes) = r.month_bytes(id, m)? {
                    window.visit_marks(m, &bytes, |_, code, day, minutes| {
                        tally.add_code(code, day);
                        detail.add(code, day, minutes);
                    })?;
                }
            }
        }
        let band = tally
            .attendance_pct()
            .and_then(|pct| band_for(&school.bands, pct))
            .map(|b| b.name.clone());
        // Another school's sessions this year, school by school in the order first met.
        let mut elsewhere: Vec<AtAnotherSchool> = Vec::new();
        for m in r.marks_elsewhere(upn, from, to)? {
            match elsewhere.iter_mut().find(|e| e.school == m.school) {
                Some(e) => {
                    e.to = m.date;
                    e.tally.add_code(m.code, m.date);
                }
                None => {
                    let mut tally = Tally::default();
                    tally.add_code(m.code, m.date);
                    elsewhere.push(AtAnotherSchool {
                        school: m.school,
                        from: m.date,
                        to: m.date,
                        tally,
                    });
                }
            }
        }
        let traits = r.characteristics(upn, ctx.now.date())?;
        let mut casework = Vec::new();
        if ctx.staff.role.is_office() {
            for case in r.cases(Some(upn))? {
                let standing = case.standing(ctx.now.date(), &school.calendar);
                // Where it stands first: a narrow side panel cuts the end of a line.
                casework.push(format!(
                    "{}: {}{}",
                    case.id,
                    standing.words,
                    standing
                        .due
                        .map(|d| format!("; due: {d}"))
                        .unwrap_or_default()
                ));
                casework.push(format!("  {}", case.words()));
            }
        }
        Ok(Response::PupilYear(Box::new(PupilYear {
            upn: upn.to_string(),
            name: pupil.display_name(),
            group: r.group_on(upn, date)?,
            year: pupil.year,
            dob: ctx.staff.role.is_office().then_some(pupil.dob),
            from,
            to,
            weeks,
            tally,
            detail,
            band,
            elsewhere,
            casework,
            contacts: if ctx.staff.role.is_office() {
                r.contacts(upn)?
            } else {
                Vec::new()
            },
            characteristics: if ctx.staff.role.is_office() {
                traits.words()
            } else {
                String::new()
            },
            more_with_the_office: !ctx.staff.role.is_office() && traits.marks_care(),
        })))
    }
}

impl Engine {
    pub(super) fn group_week(
        &self,
        ctx: &Ctx,
        group: &str,
        date: Option<NaiveDate>,
    ) -> Result<Response> {
        let school = ctx.school()?;
        let group = self.known_group(school, group)?;
        let date = date.unwrap_or(ctx.now.date());
        let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
        let friday = monday + Days::new(4);
        let r = self.store.read()?;
        self.reach(&r, ctx, date)?
            .require_group(&group.name, date)?;
        // The grid: everyone on the roll at some point in the week.
        let mut upns: Vec<String> = Vec::new();
        for day in 0..5 {
            for upn in r.roll(&group.name, monday + Days::new(day))? {
                if !upns.contains(&upn) {
                    upns.push(upn);
                }
            }
        }
        let mut pupils = Vec::new();
        for upn in upns {
            let Some(pupil) = r.pupil(&upn)? else {
                continue;
            };
            let mut days = [[None; 2]; 5];
            let mut tally = Tally::default();
            for (d, s, code) in r.pupil_codes(&upn, monday, friday)? {
                let i = d.weekday().num_days_from_monday() as usize;
                if i < 5 {
                    days[i][s.index() as usize] = Some(code);
                    if school.has_begun(d, s, ctx.now) {
                        tally.add_code(code, d);
                    }
                }
            }
            pupils.push(WeekPupil {
                name: pupil.display_name(),
                upn,
                days,
                tally,
            });
        }
        pupils.sort_by(|a, b| a.name.cmp(&b.name));
        // The chart: each week's sessions, the group's (marks made in it) and the school's.
        let first = monday - Days::new(7 * (CHART_WEEKS as u64 - 1));
        let window = Window {
            from: first,
            to: (friday, Session::Pm),
            now: ctx.now,
            school,
        };
        let group_id = r.find_group_id(&group.name)?;
        let mut weekly: Vec<WeekFigures> = (0..CHART_WEEKS as u64)
            .map(|w| WeekFigures {
                monday: first + Days::new(7 * w),
                group: Tally::default(),
                school: Tally::default(),
            })
            .collect();
        let (from_month, to_month) = (*window.months().start(), *window.months().end());
        r.each_month(from_month, to_month, |_, m, bytes| {
            window
                .visit_marks(m, bytes, |g, code, d, _| {
                    let week = ((d - first).num_days() / 7) as usize;
                    if let Some(w) = weekly.get_mut(week) {
                        w.school.add_code(code, d);
                        if Some(g) == group_id {
                            w.group.add_code(code, d);
                        }
                    }
                })
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            Ok(true)
        })?;
        Ok(Response::GroupWeek(GroupWeek {
            group: group.name.clone(),
            monday,
            closed: std::array::from_fn(|i| {
                !school.calendar.is_school_day(monday + Days::new(i as u64))
            }),
            pupils,
            weekly,
        }))
    }
}

/// School days in a row a pupil has been away up to `date` (this session included when
/// marked; from the day before when `today_unmarked`).
pub(super) fn days_away(
    r: &crate::store::Reader,
    school: &School,
    upn: &str,
    date: NaiveDate,
    session: Session,
    today_unmarked: bool,
) -> Result<u32> {
    days_where(r, school, upn, (date, session), today_unmarked, |c, d| {
        c.class_on(d).is_absence()
    })
}

/// School days in a row up to `date` on which every mark passes `counts` (this session
/// included when marked; from the day before when `today_unmarked`).
pub(super) fn days_where(
    r: &crate::store::Reader,
    school: &School,
    upn: &str,
    (date, session): (NaiveDate, Session),
    today_unmarked: bool,
    counts: impl Fn(Code, NaiveDate) -> bool,
) -> Result<u32> {
    let from = date
        .checked_sub_days(Days::new(RUN_LOOKBACK_DAYS))
        .unwrap_or(date);
    // Month by month back from today, stopping at the month where the run ends: most runs
    // end this month, so most pupils cost one month read, not the whole look-back.
    let mut by_day: BTreeMap<NaiveDate, Vec<Code>> = BTreeMap::new();
    let mut month_start = date.with_day(1).unwrap_or(date);
    loop {
        let start = month_start.max(from);
        for (d, s, c) in r.pupil_codes(upn, start, date.min(last_of_month(start)))? {
            // Today counts up to this session only.
            if d < date || s.index() <= session.index() {
                by_day.entry(d).or_default().push(c);
            }
        }
        let days: Vec<NaiveDate> = school.calendar.school_days(start, date).collect();
        let run = days_in_a_row(
            days.iter()
                .rev()
                .skip(usize::from(today_unmarked))
                .map(|d| {
                    by_day
                        .get(d)
                        .map(|codes| codes.iter().all(|c| counts(*c, *d)))
                }),
        );
        let whole = run as usize + usize::from(today_unmarked) >= days.len();
        match month_start.checked_sub_months(chrono::Months::new(1)) {
            Some(earlier) if whole && start > from => month_start = earlier,
            _ => return Ok(run),
        }
    }
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(day)
}

pub(super) fn office_only(ctx: &Ctx, what: &str) -> Result<()> {
    if ctx.staff.role.is_office() {
        Ok(())
    } else {
        refused(format!("{what} is for office staff"))
    }
}

/// What an entry of the desk log says, before who and when are added.
pub(super) struct Jot<'a> {
    pub(super) date: NaiveDate,
    pub(super) kind: DeskKind,
    pub(super) time: Option<NaiveTime>,
    pub(super) note: &'a str,
    pub(super) stage: Option<&'a str>,
    pub(super) back_today: Option<bool>,
}

impl<'a> Jot<'a> {
    pub(super) fn new(date: NaiveDate, kind: DeskKind, note: &'a str) -> Jot<'a> {
        Jot {
            date,
            kind,
            time: None,
            note,
            stage: None,
            back_today: None,
        }
    }
}

/// Writes a desk entry as the acting person now, inside a write of the caller's (so that what
/// goes with it, a sign-out's marks, saves with it or not at all); the pupil's name.
pub(super) fn write_desk(
    w: &mut crate::store::Writer<'_>,
    ctx: &Ctx,
    upn: &str,
    jot: Jot<'_>,
) -> Result<String> {
    let entry = DeskEntry {
        date: jot.date,
        upn: upn.to_string(),
        kind: jot.kind,
        time: jot.time,
        note: jot.note.to_string(),
        stage: jot.stage.map(str::to_string),
        at: ctx.now,
        account: ctx.staff.account.clone(),
        name: ctx.staff.name.clone(),
        position: ctx.staff.position.clone(),
        back_today: jot.back_today,
    };
    let pupil = w
        .pupil(upn)?
        .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
    let id = w
        .pupil_id(upn)?
        .ok_or_else(|| ServiceError::NotFound(format!("no pupil with UPN {upn}")))?;
    w.put_desk_entry(id, &entry)?;
    Ok(pupil.display_name())
}

//! Thresholds reached (SPEC §4), with the sessions that reached them, and what staff did about
//! each: an alert acted on stays so until the threshold is reached again.

use super::core::{Engine, Result, refused};
use super::ctx::Ctx;
use super::figures::Window;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::{Code, StatClass};
use crate::domain::figures::compulsory_school_age;
use crate::domain::marks::SessionKey;
use crate::domain::people::Pupil;
use crate::domain::session::Session;
use crate::domain::stats::Tally;
use crate::domain::thresholds::{self, Hit, SessionMark, ThresholdKind};
use crate::service::protocol::*;
use crate::store::{Kind, Tables, month};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;

impl Engine {
    pub(super) fn alerts(&self, ctx: &Ctx, on: Option<NaiveDate>) -> Result<Response> {
        let school = ctx.school()?;
        let r = self.store.read()?;
        let at = AsOf {
            on: on.unwrap_or(ctx.now.date()),
            now: ctx.now,
        };
        let mut alerts = alerts_on(&r, school, at)?;
        // What only the office may know of a pupil (a social worker, an EHC plan) is never
        // in a teacher's list.
        if !ctx.staff.role.is_office() {
            alerts.retain(|a| !a.kind.office_only());
        }
        // A teacher sees the alerts of their own groups' pupils.
        let reach = self.reach(&r, ctx, at.on)?;
        if !reach.is_school() {
            let mut theirs = Vec::new();
            for alert in alerts {
                if reach.pupil(&r, &alert.upn, at.on)? {
                    theirs.push(alert);
                }
            }
            alerts = theirs;
        }
        Ok(Response::Alerts { alerts })
    }

    /// Records that someone acted on a pupil's alert today (office staff).
    pub(super) fn act_on_alert(
        &self,
        ctx: &Ctx,
        upn: &str,
        kind: ThresholdKind,
        session: Option<(NaiveDate, Session)>,
        note: &str,
    ) -> Result<Response> {
        if !ctx.staff.role.is_office() {
            return refused("only office staff act on alerts");
        }
        let note = super::core::checked_note(
            "the note",
            note,
            "say what was done (a call, a letter, a meeting)",
        )?;
        let school = ctx.school()?;
        let alerts = {
            let r = self.store.read()?;
            let today = AsOf {
                on: ctx.now.date(),
                now: ctx.now,
            };
            alerts_on(&r, school, today)?
        };
        let found = alerts
            .iter()
            .filter(|a| a.upn == upn && a.kind == kind)
            .find(|a| match session {
                Some((date, s)) => a.evidence.iter().any(|m| m.date == date && m.session == s),
                None => true,
            });
        let Some(alert) = found else {
            return refused(format!(
                "{upn} has no {} alert today{}: `rollcall alerts` lists every one",
                kind.as_str(),
                session
                    .map(|(d, s)| format!(" for {d} {}", s.label()))
                    .unwrap_or_default()
            ));
        };
        let Some(last) = alert.evidence.last() else {
            return refused("this alert has no sessions to act on");
        };
        let through = (last.date, last.session);
        let name = alert.name.clone();
        self.store.write(|w| {
            let pupil = w.pupil_id(upn)?.ok_or_else(|| {
                crate::service::error::ServiceError::Invalid(format!("no pupil with UPN {upn}"))
            })?;
            w.put_alert_action(pupil, kind, through, note, ctx.now, &ctx.staff.account)?;
            Ok::<_, crate::service::error::ServiceError>(())
        })?;
        Ok(Response::Done {
            message: format!("{} for {name} marked as acted on: {note}", kind.label()),
        })
    }
}

/// The day alerts are asked about, and the clock: a past day is read as it stood at its end
/// (SPEC §4: a mark recorded later was not known then).
#[derive(Clone, Copy)]
struct AsOf {
    on: NaiveDate,
    now: NaiveDateTime,
}

impl AsOf {
    fn past(self) -> bool {
        self.on < self.now.date()
    }

    fn known_by(self) -> NaiveDateTime {
        self.on
            .and_hms_opt(23, 59, 59)
            .unwrap_or(self.now)
            .min(self.now)
    }

    /// A pupil's codes from `from` to `to` as they stood then.
    fn codes<T: Kind>(
        self,
        r: &Tables<T>,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Session, Code)>> {
        Ok(if self.past() {
            r.pupil_codes_known_by(upn, from, to, self.known_by())?
        } else {
            r.pupil_codes(upn, from, to)?
        })
    }
}

/// The dates an alert scan reads.
#[derive(Clone, Copy)]
struct Span {
    year_start: NaiveDate,
    year_end: NaiveDate,
    /// The earliest date any threshold looks back to (the year, or the penalty window).
    from: NaiveDate,
    lateness_start: NaiveDate,
}

/// What the months' summaries say each pupil may have reached, before their marks are read.
struct Candidates {
    limits: thresholds::Thresholds,
    unauthorised: HashMap<u32, u32>,
    ill: HashMap<u32, u32>,
    late: HashMap<u32, u32>,
}

impl Candidates {
    fn may_have_reached(&self, pupil: u32) -> bool {
        self.unauthorised.get(&pupil).copied().unwrap_or(0) >= self.limits.fewest_unauthorised()
            || self.ill.get(&pupil).copied().unwrap_or(0) >= self.limits.illness_days * 2
    }

    fn may_be_often_late(&self, pupil: u32) -> bool {
        self.late.get(&pupil).copied().unwrap_or(0) >= self.limits.lateness_sessions as u32
    }
}

/// Every alert on a day, each with what was done about it if that still stands.
fn alerts_on<T: Kind>(r: &Tables<T>, school: &School, at: AsOf) -> Result<Vec<Alert>> {
    let on = at.on;
    let calendar = &school.calendar;
    let year_start = Calendar::academic_year_start(on);
    let window_start = calendar.school_weeks_back(on, school.thresholds.penalty_school_weeks);
    let span = Span {
        year_start,
        year_end: Calendar::academic_year_end(on),
        from: year_start.min(window_start),
        lateness_start: calendar.school_weeks_back(on, school.thresholds.lateness_school_weeks),
    };
    let mut pupils = r.pupils()?;
    pupils.sort_by_cached_key(Pupil::sort_key);
    // On a past date, a pupil whose marks changed since is read mark by mark whatever the
    // summaries say.
    let changed_since = if at.past() {
        r.pupils_changed_after(at.known_by())?
    } else {
        Default::default()
    };
    // Today's crossings count the year to date in the same pass (a past day's are read as
    // known then, pupil by pupil, in `crossings`).
    let mut year_to_date = YearToDate::new(school, at);
    let candidates = candidates(r, school, at, span, &mut year_to_date)?;
    let ids: HashMap<String, u32> = r.upns()?.into_iter().map(|(id, upn)| (upn, id)).collect();
    let mut alerts = Vec::new();
    for pupil in &pupils {
        let id = ids.get(&pupil.upn).copied();
        let changed = id.is_some_and(|id| changed_since.contains(&id));
        let whole_year = changed || id.is_some_and(|id| candidates.may_have_reached(id));
        if !whole_year && !id.is_some_and(|id| candidates.may_be_often_late(id)) {
            continue;
        }
        alerts.extend(pupil_alerts(
            r, school, at, span, pupil, whole_year, changed,
        )?);
    }
    alerts.extend(crossings(r, school, at, &pupils, &ids, year_to_date)?);
    alerts.extend(pending_n_alerts(
        r,
        school,
        at,
        span,
        &pupils,
        &ids,
        &changed_since,
    )?);
    alerts.extend(duty_alerts(r, school, at, &ids)?);
    alerts.extend(super::missing::lesson_lateness_alerts(
        r,
        school,
        span.lateness_start,
        on,
    )?);
    with_actions(r, &mut alerts, &ids, at.known_by(), &school.thresholds)?;
    Ok(alerts)
}

/// The duties a pupil's characteristics bring (SPEC §8.7): a child in need, on a protection
/// plan or looked after, absent without a reason on the day (tell the social worker); a
/// looked-after child absent (tell the virtual school); a pupil with an EHC plan whose
/// attendance this year is below the school's line (tell the local authority). Read only for
/// the pupils with characteristics recorded.
fn duty_alerts<T: Kind>(
    r: &Tables<T>,
    school: &School,
    at: AsOf,
    ids: &HashMap<String, u32>,
) -> Result<Vec<Alert>> {
    let on = at.on;
    let traits = r.all_characteristics(on)?;
    let mut alerts = Vec::new();
    for (upn, id) in ids {
        let Some(c) = traits.get(id) else {
            continue;
        };
        let watched = c.cin || c.cp || c.lac;
        if !watched && c.sen != crate::domain::people::Sen::Ehcp {
            continue;
        }
        let Some(pupil) = r.pupil(upn)? else {
            continue;
        };
        let group = r.group_on(upn, on)?;
        let alert = |kind, summary: String, evidence: Vec<SessionMark>| Alert {
            upn: upn.clone(),
            name: pupil.display_name(),
            group: group.clone(),
            kind,
            summary,
            evidence,
            acted: None,
        };
        let today: Vec<SessionMark> = r
            .pupil_codes(upn, on, on)?
            .into_iter()
            .filter(|(d, s, _)| school.has_begun(*d, *s, at.now))
            .map(|(d, s, code)| SessionMark::new(d, s, code))
            .collect();
        // Each session's duties (the desk asks the same question), gathered by kind.
        let tell = |kind| -> Vec<SessionMark> {
            today
                .iter()
                .filter(|m| thresholds::who_to_tell(c, m.code, m.date).contains(&kind))
                .cloned()
                .collect()
        };
        let unexplained = tell(ThresholdKind::TellSocialWorker);
        if !unexplained.is_empty() {
            let worker = if c.social_worker.is_empty() {
                String::new()
            } else {
                format!(": {}", c.social_worker)
            };
            alerts.push(alert(
                ThresholdKind::TellSocialWorker,
                format!("absent without a reason on {on}: tell the social worker today{worker}"),
                unexplained,
            ));
        }
        let absent = tell(ThresholdKind::TellVirtualSchool);
        if !absent.is_empty() {
            alerts.push(alert(
                ThresholdKind::TellVirtualSchool,
                format!("looked after and absent on {on}: tell the virtual school"),
                absent,
            ));
        }
        if c.sen == crate::domain::people::Sen::Ehcp {
            let mut tally = Tally::default();
            let mut absences = Vec::new();
            for (d, s, code) in r.pupil_codes(upn, Calendar::academic_year_start(on), on)? {
                if !school.has_begun(d, s, at.now) {
                    continue;
                }
                tally.add_code(code, d);
                if code.class_on(d).is_absence() {
                    absences.push(SessionMark::new(d, s, code));
                }
            }
            let line = f64::from(school.thresholds.ehcp_below_percent);
            if tally.possible() >= crate::domain::stats::FLAG_AFTER_SESSIONS
                && let Some(pct) = tally.attendance_pct()
                && pct < line
            {
                alerts.push(alert(
                    ThresholdKind::EhcpAttendance,
                    format!(
                        "EHC plan, attendance {:.1}% this year (below {line}%): tell the local authority",
                        crate::domain::stats::round1(pct)
                    ),
                    absences,
                ));
            }
        }
    }
    alerts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(alerts)
}

/// First pass, from the months' summaries: who has enough unauthorised sessions, illness or
/// lateness to have reached any threshold. Only they are read mark by mark. Today, the year
/// to date is counted in the same pass.
fn candidates<T: Kind>(
    r: &Tables<T>,
    school: &School,
    at: AsOf,
    span: Span,
    year_to_date: &mut YearToDate,
) -> Result<Candidates> {
    let on_month = month::month_of(at.on);
    let year_month = month::month_of(span.year_start);
    let lateness_month = month::month_of(span.lateness_start);
    let mut found = Candidates {
        limits: school.thresholds,
        unauthorised: HashMap::new(),
        ill: HashMap::new(),
        late: HashMap::new(),
    };
    let counting = (!at.past()).then(|| year_to_date.window(school));
    r.each_month(
        month::month_of(span.from),
        month::month_of(span.year_end),
        |pupil, m, bytes| {
            let header = month::header(bytes).map_err(|e| {
                crate::store::StoreError::Corrupt(format!("a stored month ({})", e.0))
            })?;
            let first = month::first_day(m).unwrap_or(span.from);
            for &(code, n) in &header.summary.codes {
                if m <= on_month && code.class_on(first) == StatClass::Unauthorised {
                    *found.unauthorised.entry(pupil).or_default() += n;
                }
                if code == Code::I && m >= year_month {
                    *found.ill.entry(pupil).or_default() += n;
                }
                if matches!(code, Code::L | Code::U) && m >= lateness_month && m <= on_month {
                    *found.late.entry(pupil).or_default() += n;
                }
            }
            if let Some(window) = &counting
                && window.months().contains(&m)
            {
                year_to_date
                    .add_month(pupil, |each| {
                        window
                            .visit_read(m, bytes, Some(&header), |_, code, n, date| {
                                each(code, n, date)
                            })
                            .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()).into())
                    })
                    .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            }
            Ok(true)
        },
    )?;
    Ok(found)
}

fn alert_of(pupil: &Pupil, group: &Option<String>, hit: Hit) -> Alert {
    Alert {
        upn: pupil.upn.clone(),
        name: pupil.display_name(),
        group: group.clone(),
        kind: hit.kind,
        summary: hit.summary,
        evidence: hit.evidence,
        acted: None,
    }
}

/// One pupil's alerts, from their marks: lateness alone (`whole_year` false) or every
/// threshold that counts the year.
fn pupil_alerts<T: Kind>(
    r: &Tables<T>,
    school: &School,
    at: AsOf,
    span: Span,
    pupil: &Pupil,
    whole_year: bool,
    changed: bool,
) -> Result<Vec<Alert>> {
    let (on, calendar, limits) = (at.on, &school.calendar, &school.thresholds);
    // Lateness alone needs only its four weeks, not the year: many pupils come late now and
    // then, few are absent enough for the other thresholds.
    let (read_from, read_to) = if whole_year {
        (span.from, span.year_end)
    } else {
        (span.lateness_start, on)
    };
    // Marks after `on` are pre-entries: only the illness threshold looks ahead.
    let marks: Vec<SessionMark> = at
        .codes(r, &pupil.upn, read_from, read_to)?
        .into_iter()
        .map(|(date, session, code)| SessionMark::new(date, session, code))
        .collect();
    if marks.is_empty() {
        return Ok(Vec::new());
    }
    // What had happened by `on` (and by now: a pre-entry is not yet an absence).
    let (so_far, _) = marks.split_at(
        marks.partition_point(|m| m.date <= on && school.has_begun(m.date, m.session, at.now)),
    );
    let mut hits = Vec::new();
    hits.extend(thresholds::persistent_lateness(
        so_far, calendar, on, limits,
    ));
    if whole_year {
        hits.extend(thresholds::penalty_notice(so_far, calendar, on, limits));
        hits.extend(thresholds::continuous_unauthorised(
            so_far,
            calendar,
            span.year_start,
            on,
            limits,
        ));
        hits.extend(thresholds::missing_education(
            so_far,
            calendar,
            span.year_start,
            on,
        ));
        hits.extend(thresholds::illness(
            &marks,
            span.year_start,
            on,
            span.year_end,
            limits,
        ));
        if changed {
            // Its N then, not its N now: the index of pending N holds only today's.
            hits.extend(thresholds::unresolved_n(so_far, calendar, on));
        }
    }
    // Penalty notices, the local authority's 10 days and missing education concern pupils
    // of compulsory school age only (SPEC §7.4).
    let compulsory = compulsory_school_age(pupil.dob, on);
    hits.retain(|hit| compulsory || !hit.kind.compulsory_age_only());
    let group = r.group_on(&pupil.upn, on)?;
    Ok(hits
        .into_iter()
        .map(|hit| alert_of(pupil, &group, hit))
        .collect())
}

/// Unresolved `N` come from their own index, however old.
fn pending_n_alerts<T: Kind>(
    r: &Tables<T>,
    school: &School,
    at: AsOf,
    span: Span,
    pupils: &[Pupil],
    ids: &HashMap<String, u32>,
    changed_since: &std::collections::HashSet<u32>,
) -> Result<Vec<Alert>> {
    let on = at.on;
    let pending: Vec<SessionKey> = r
        .pending_n()?
        .into_iter()
        .filter(|k| k.date <= on)
        .collect();
    let by_upn: HashMap<&str, &Pupil> = pupils.iter().map(|p| (p.upn.as_str(), p)).collect();
    let mut alerts = Vec::new();
    for key in pending {
        let mark = SessionMark::new(key.date, key.session, Code::N);
        let hits = thresholds::unresolved_n(std::slice::from_ref(&mark), &school.calendar, on);
        if hits.is_empty() {
            continue; // still within its 5 days: the mark itself need not be read
        }
        let stored = r.mark(&key)?;
        if at.past() {
            let changed = ids
                .get(&key.upn)
                .is_some_and(|id| changed_since.contains(id));
            let recorded_later = stored
                .as_ref()
                .is_none_or(|m| m.recorded_at > at.known_by());
            if (changed && key.date >= span.from) || recorded_later {
                continue;
            }
        }
        for hit in hits {
            let pupil = by_upn.get(key.upn.as_str());
            alerts.push(Alert {
                upn: key.upn.clone(),
                name: pupil.map(|p| p.display_name()).unwrap_or_default(),
                group: stored.as_ref().map(|m| m.group.clone()),
                kind: hit.kind,
                summary: hit.summary,
                evidence: hit.evidence,
                acted: None,
            });
        }
    }
    Ok(alerts)
}

/// What staff did about each alert, as it stood at `known_by`.
fn with_actions<T: Kind>(
    r: &Tables<T>,
    alerts: &mut [Alert],
    ids: &HashMap<String, u32>,
    known_by: NaiveDateTime,
    limits: &thresholds::Thresholds,
) -> Result<()> {
    let actions = r.alert_actions()?;
    for a in alerts {
        let Some(done) = ids.get(&a.upn).and_then(|id| actions.get(&(*id, a.kind))) else {
            continue;
        };
        // Actions made by then, latest first.
        let mut standing = done.iter().rev().filter(|d| d.at <= known_by);
        a.acted = if a.kind.per_session() {
            standing
                .find(|d| a.evidence.iter().any(|m| (m.date, m.session) == d.through))
                .cloned()
        } else {
            standing
                .next()
                .filter(|d| !thresholds::reached_again(a.kind, &a.evidence, d, limits))
                .cloned()
        };
    }
    Ok(())
}

/// Pupils whose attendance this school year crossed into persistent (below 90%) or severe
/// (50% or below) absence during the week of `on`: the year to `on` against the year to the
/// end of the week before, each with at least 10 possible sessions. The evidence is the
/// week's absences.
fn crossings<T: Kind>(
    r: &Tables<T>,
    school: &School,
    at: AsOf,
    pupils: &[Pupil],
    ids: &HashMap<String, u32>,
    mut counted: YearToDate,
) -> Result<Vec<Alert>> {
    let AsOf { on, now } = at;
    let week_start = counted.week_start;
    if at.past() {
        // As recorded by then: pupil by pupil (a question about the past, asked rarely).
        for pupil in pupils {
            let Some(id) = ids.get(&pupil.upn) else {
                continue;
            };
            for (date, session, code) in at.codes(r, &pupil.upn, counted.year_start, on)? {
                if school.has_begun(date, session, now) {
                    counted.add(*id, code, 1, date);
                }
            }
        }
    }
    let YearToDate { year, week, .. } = counted;
    let mut out = Vec::new();
    for pupil in pupils {
        let Some(id) = ids.get(&pupil.upn) else {
            continue;
        };
        let (Some(now_tally), Some(this_week)) = (year.get(id), week.get(id)) else {
            continue;
        };
        let before = now_tally.without(this_week);
        let enough = |t: &Tally| t.possible() >= crate::domain::stats::FLAG_AFTER_SESSIONS;
        let crossed = |is: fn(&Tally) -> bool| {
            enough(now_tally) && is(now_tally) && !(enough(&before) && is(&before))
        };
        // Severe absence is also persistent: the graver one is the alert.
        let (kind, line) = if crossed(Tally::is_severe_absence) {
            (
                ThresholdKind::BecameSevereAbsence,
                "severe absence (50% or more)",
            )
        } else if crossed(Tally::is_persistent_absence) {
            (
                ThresholdKind::BecamePersistentAbsence,
                "persistent absence (10% or more)",
            )
        } else {
            continue;
        };
        // The week's absences as they stood then, among sessions that had begun.
        let evidence: Vec<SessionMark> = at
            .codes(r, &pupil.upn, week_start, on)?
            .into_iter()
            .filter(|(date, session, _)| school.has_begun(*date, *session, now))
            .map(|(date, session, code)| SessionMark::new(date, session, code))
            .filter(|m| {
                matches!(
                    m.code.class_on(m.date),
                    StatClass::Authorised | StatClass::Unauthorised
                )
            })
            .collect();
        out.push(Alert {
            upn: pupil.upn.clone(),
            name: pupil.display_name(),
            group: r.group_on(&pupil.upn, on)?,
            kind,
            summary: format!(
                "attendance {:.1}% this school year ({} of {} sessions): crossed into {line} in the week from {week_start}",
                now_tally.attendance_pct().unwrap_or(0.0),
                now_tally.attended(),
                now_tally.possible()
            ),
            evidence,
            acted: None,
        });
    }
    Ok(out)
}

/// Each pupil's figures this school year to the day asked about, and those of its week.
struct YearToDate {
    year_start: NaiveDate,
    week_start: NaiveDate,
    at: AsOf,
    year: HashMap<u32, Tally>,
    week: HashMap<u32, Tally>,
}

impl YearToDate {
    fn new(school: &School, at: AsOf) -> YearToDate {
        let year_start = Calendar::academic_year_start(at.on);
        YearToDate {
            year_start,
            week_start: school.calendar.school_weeks_back(at.on, 1).max(year_start),
            at,
            year: HashMap::new(),
            week: HashMap::new(),
        }
    }

    /// The sessions that count, as the months' summaries and marks are read.
    fn window<'a>(&self, school: &'a School) -> Window<'a> {
        Window {
            from: self.year_start,
            to: (self.at.on, Session::Pm),
            now: self.at.now,
            school,
        }
    }

    /// A pupil's month, counted into a tally of its own first (one map lookup a month, not
    /// one a mark).
    fn add_month(
        &mut self,
        pupil: u32,
        visit: impl FnOnce(&mut dyn FnMut(Code, u32, NaiveDate)) -> Result<()>,
    ) -> Result<()> {
        let (mut year, mut week) = (Tally::default(), Tally::default());
        let week_start = self.week_start;
        visit(&mut |code, n, date| {
            year.add_sessions(code, n, date);
            if date >= week_start {
                week.add_sessions(code, n, date);
            }
        })?;
        self.year.entry(pupil).or_default().merge(&year);
        if week != Tally::default() {
            self.week.entry(pupil).or_default().merge(&week);
        }
        Ok(())
    }

    fn add(&mut self, pupil: u32, code: Code, n: u32, date: NaiveDate) {
        self.year
            .entry(pupil)
            .or_default()
            .add_sessions(code, n, date);
        if date >= self.week_start {
            self.week
                .entry(pupil)
                .or_default()
                .add_sessions(code, n, date);
        }
    }
}

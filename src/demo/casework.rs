//! The demo school's casework (SPEC §8), so the casework view (f12) shows a policy in motion:
//! leave requests waiting, granted and refused; a penalty notice within its 21 days; a notice
//! to improve running; a part-time timetable whose review has come, its afternoons planned
//! `C2`; medical evidence to chase;
//! a contract to review next week. Each is recorded on the day it happened, by the office (or
//! the head, who decides leave).

use super::names::OFFICE;
use super::sender::{Demo, DemoError};
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::casework::{MeetingKind, NoticeKind};
use crate::domain::desk::Weekly;
use crate::domain::session::Session;
use crate::service::protocol::{
    CaseRequest, PlanRequest, ReportBy, ReportFilter, Request, Response,
};
use chrono::{Days, NaiveDate, NaiveDateTime, Weekday};

pub(super) fn open_cases(
    demo: &Demo,
    school: &School,
    head: &str,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let today = now.date();
    let calendar = &school.calendar;
    let (parent, upns) = furthest_behind(demo, today)?;
    if upns.len() < 9 {
        return Ok(());
    }
    // School days back from today, and ahead of it: a case needs its dates in the calendar.
    let back = |days: u64| school_day_back(calendar, today, days);
    // Real school days only: near the end of the year the calendar runs out.
    let ahead = |days: u32| school_day_ahead(calendar, today, days);
    let at = |date: NaiveDate| date.and_hms_opt(10, 30, 0).unwrap_or(now).min(now);
    let step = |who: &str, when: NaiveDate, request: CaseRequest| {
        demo.at(at(when));
        let result = demo.call(who, Request::Casework(request));
        demo.at(now);
        result
    };
    let (Some(two_weeks_ago), Some(three_weeks_ago), Some(a_week_ago)) =
        (back(10), back(15), back(6))
    else {
        return Ok(());
    };
    step(
        OFFICE.0,
        two_weeks_ago,
        CaseRequest::PenaltyIssue {
            upn: upns[0].clone(),
            parent,
            date: two_weeks_ago,
            note: "10 unauthorised sessions within 10 school weeks, after a warning letter".into(),
        },
    )?;
    step(
        OFFICE.0,
        two_weeks_ago,
        CaseRequest::NoticeIssue {
            upn: upns[1].clone(),
            notice: NoticeKind::Improve,
            date: two_weeks_ago,
            weeks: Some(4),
            note: "attendance below 90% this term: 4 school weeks to improve".into(),
        },
    )?;
    step(
        OFFICE.0,
        three_weeks_ago,
        CaseRequest::PartTime {
            upn: upns[2].clone(),
            from: three_weeks_ago,
            review: today,
            la_told: Some(three_weeks_ago),
            note: "mornings only for three weeks after illness, agreed with the parent".into(),
        },
    )?;
    // Its afternoons are C2 from tomorrow until a fortnight on, as the office planned them.
    if let (Some(first), Some(last)) = (ahead(1), ahead(10)) {
        demo.at(now);
        demo.call(
            OFFICE.0,
            Request::PlanAbsence(PlanRequest {
                upn: upns[2].clone(),
                group: None,
                every: [
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ]
                .into_iter()
                .map(|weekday| Weekly {
                    weekday,
                    session: Some(Session::Pm),
                })
                .collect(),
                from: first,
                from_session: Session::Am,
                to: last,
                to_session: Session::Pm,
                code: "C2".into(),
                note: Some("part-time timetable: mornings only, agreed with the parent".into()),
                dry_run: false,
            }),
        )?;
    }
    step(
        OFFICE.0,
        a_week_ago,
        CaseRequest::EvidenceAsk {
            upn: upns[3].clone(),
            ill_from: a_week_ago,
            date: a_week_ago,
            note: "asked the parent for a GP's note or appointment card".into(),
        },
    )?;
    if let Some(review) = ahead(5) {
        step(
            OFFICE.0,
            two_weeks_ago,
            CaseRequest::Meeting {
                upn: upns[4].clone(),
                meeting: MeetingKind::Contract,
                date: two_weeks_ago,
                people: "parent, class teacher, attendance officer".into(),
                actions: "school: breakfast club place; family: in by 8:50 every day".into(),
                review,
            },
        )?;
    }
    leave_requests(demo, calendar, head, &upns[5..8], now)
}

/// The school day `days` school days after `today`, within the configured terms.
fn school_day_ahead(calendar: &Calendar, today: NaiveDate, days: u32) -> Option<NaiveDate> {
    let first = today.succ_opt()?;
    let last = today.checked_add_days(Days::new(u64::from(days) * 3 + 30))?;
    calendar
        .school_days(first, last)
        .nth((days as usize).checked_sub(1)?)
}

/// The school day `days` school days before `today`.
fn school_day_back(calendar: &Calendar, today: NaiveDate, days: u64) -> Option<NaiveDate> {
    let from = today.checked_sub_days(Days::new(days * 3))?;
    let school_days: Vec<NaiveDate> = calendar.school_days(from, today).collect();
    school_days.iter().rev().nth(days as usize).copied()
}

/// The pupils of compulsory school age furthest behind this year (at most 9), and a name for
/// the first one's parent.
fn furthest_behind(demo: &Demo, today: NaiveDate) -> Result<(String, Vec<String>), DemoError> {
    let mut rows = match demo
        .engine
        .handle(
            OFFICE.0,
            Request::Report {
                from: Calendar::academic_year_start(today),
                to: today,
                by: ReportBy::Pupil,
                filter: ReportFilter {
                    compulsory_age: true,
                    ..Default::default()
                },
            },
        )
        .map_err(|e| DemoError(e.to_string()))?
    {
        Response::Report { rows } => rows,
        _ => Vec::new(),
    };
    rows.retain(|r| r.attendance_pct.is_some());
    rows.sort_by(|a, b| {
        a.attendance_pct
            .unwrap_or(100.0)
            .total_cmp(&b.attendance_pct.unwrap_or(100.0))
    });
    let parent = rows
        .first()
        .and_then(|r| r.label.split(',').next())
        .map(|surname| format!("Ms {}", surname.trim()))
        .unwrap_or_else(|| "the parent".into());
    let upns: Vec<String> = rows.into_iter().map(|r| r.key).take(9).collect();
    Ok((parent, upns))
}

/// Leave requests asked today for next week: one waiting for the head, one granted, one
/// refused.
fn leave_requests(
    demo: &Demo,
    calendar: &Calendar,
    head: &str,
    upns: &[String],
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let today = now.date();
    let step = |who: &str, request: CaseRequest| {
        demo.at(now);
        demo.call(who, Request::Casework(request))
    };
    // Leave: one waiting for the head, one granted, one refused.
    let (Some(from), Some(to)) = (
        school_day_ahead(calendar, today, 5),
        school_day_ahead(calendar, today, 6),
    ) else {
        return Ok(());
    };
    for (i, upn) in upns.iter().enumerate() {
        step(
            OFFICE.0,
            CaseRequest::LeaveAsk {
                upn: upn.clone(),
                from,
                to,
                reason: ["family wedding abroad", "grandparent's funeral", "holiday"][i].into(),
                asked: Some(today),
            },
        )?;
    }
    let ids = match demo
        .engine
        .handle(
            OFFICE.0,
            Request::Casework(CaseRequest::List {
                upn: None,
                open: true,
                due: false,
            }),
        )
        .map_err(|e| DemoError(e.to_string()))?
    {
        Response::Cases { cases } => cases
            .into_iter()
            .filter(|c| c.due.as_deref() == Some("the head's decision"))
            .map(|c| c.case.id)
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    if let [_, granted, refused] = ids[..] {
        step(
            head,
            CaseRequest::LeaveDecide {
                id: granted,
                grant: Some("C".into()),
                note: "bereavement: exceptional circumstances".into(),
            },
        )?;
        step(
            head,
            CaseRequest::LeaveDecide {
                id: refused,
                grant: None,
                note: "a holiday in term time is not exceptional".into(),
            },
        )?;
    }
    Ok(())
}

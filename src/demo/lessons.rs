//! A secondary demo's lessons (`rollcall demo --secondary`, SPEC §8.8): five periods, a class
//! per tutor group and subject, a timetable where each group's subjects turn through the week
//! (every class its own teacher, so nobody is in two places), and lesson registers for the
//! last two school weeks and today's finished periods, taken by each teacher at the start of
//! the lesson: present, a few late, the rare pupil who registered and is not there (one of
//! them still missing today, for the attendance team to find).

use super::rng::Rng;
use super::sender::{Demo, DemoError};
use crate::domain::School;
use crate::domain::lessons::{LessonCode, parse_weekday};
use crate::domain::people::YearGroup;
use crate::service::protocol::{LessonMarkEntry, LessonRequest, LessonResponse, Request, Response};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The demo's periods: name, start, end.
pub(super) const PERIODS: [(&str, &str, &str); 5] = [
    ("P1", "09:30", "10:25"),
    ("P2", "10:25", "11:20"),
    ("P3", "11:40", "12:35"),
    ("P4", "13:45", "14:40"),
    ("P5", "14:40", "15:35"),
];

const SUBJECTS: [(&str, &str); 5] = [
    ("Ma", "Maths"),
    ("En", "English"),
    ("Sc", "Science"),
    ("Hu", "Humanities"),
    ("PE", "PE"),
];

const WEEKDAYS: [&str; 5] = ["Mon", "Tue", "Wed", "Thu", "Fri"];

/// School days of lesson registers before today.
const DAYS: usize = 10;

fn subject_teacher(subject: usize, group: usize, groups: usize, me: &str) -> String {
    // The demo's user teaches their own group's Maths; every other class has its own teacher.
    if subject == 0 && group == 0 {
        me.to_string()
    } else {
        format!("teach{:03}", subject * groups + group)
    }
}

/// Teachers, classes and the timetable imported as an admin would, then the registers taken.
pub(super) fn take_lessons(
    demo: &mut Demo,
    school: &School,
    groups: &[(String, String, YearGroup)],
    me: &str,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let g = groups.len();
    for (s, (_, subject)) in SUBJECTS.iter().enumerate() {
        for (i, (group, _, _)) in groups.iter().enumerate() {
            let account = subject_teacher(s, i, g, me);
            if account == me {
                continue;
            }
            demo.call(
                me,
                Request::StaffAdd {
                    staff: crate::domain::people::Staff {
                        account,
                        name: format!("{subject} teacher {group}"),
                        position: format!("Teacher of {subject}"),
                        role: crate::domain::register::Role::Teacher,
                    },
                },
            )?;
        }
    }
    // Classes: each tutor group's pupils in each subject.
    let mut classes = String::from("class,upn,subject\n");
    let roll = roll_by_group(demo, me, groups, now.date())?;
    for (i, (group, _, _)) in groups.iter().enumerate() {
        for (code, subject) in SUBJECTS {
            for upn in &roll[i] {
                classes.push_str(&format!("{group}/{code},{upn},{subject}\n"));
            }
        }
    }
    let import = |request| demo.call(me, Request::Lesson(request));
    import(LessonRequest::ImportClasses {
        file: "demo classes".into(),
        csv: classes,
        dry_run: false,
    })?;
    let mut timetable = String::from("class,weekday,period,teacher,room\n");
    for (d, day) in WEEKDAYS.iter().enumerate() {
        for (p, (period, _, _)) in PERIODS.iter().enumerate() {
            for (i, (group, _, _)) in groups.iter().enumerate() {
                let s = (i + d + p) % SUBJECTS.len();
                timetable.push_str(&format!(
                    "{group}/{},{day},{period},{},R{}{}\n",
                    SUBJECTS[s].0,
                    subject_teacher(s, i, g, me),
                    s + 1,
                    i + 1
                ));
            }
        }
    }
    import(LessonRequest::ImportTimetable {
        file: "demo timetable".into(),
        csv: timetable,
        dry_run: false,
    })?;
    let today = now.date();
    let days: Vec<NaiveDate> = {
        let from = school.calendar.school_weeks_back(today, 3);
        let mut all: Vec<NaiveDate> = school.calendar.school_days(from, today).collect();
        all.retain(|d| *d < today);
        let keep = all.len().saturating_sub(DAYS);
        all.split_off(keep)
    };
    let mut rng = Rng(0x01E5_50A5);
    let mut missing_today = false;
    for date in days.into_iter().chain([today]) {
        for (period, start, end) in PERIODS {
            let (Some(start), Some(end)) = (hm(start), hm(end)) else {
                continue;
            };
            // Today: only the lessons already over.
            if date == today && end > now.time() {
                continue;
            }
            for (i, (group, _, _)) in groups.iter().enumerate() {
                let weekday = parse_weekday(&chrono::Datelike::weekday(&date).to_string())
                    .map(|w| w.num_days_from_monday() as usize)
                    .unwrap_or(0);
                let p = PERIODS.iter().position(|x| x.0 == period).unwrap_or(0);
                let s = (i + weekday + p) % SUBJECTS.len();
                let class = format!("{group}/{}", SUBJECTS[s].0);
                let teacher = subject_teacher(s, i, g, me);
                // Make one pupil missing today, in the last lesson over.
                let force_missing = date == today && !missing_today;
                let took = take_one(
                    demo,
                    &teacher,
                    (&class, date, period, start),
                    &mut rng,
                    force_missing,
                )?;
                missing_today |= took;
            }
        }
    }
    demo.at(now);
    Ok(())
}

fn hm(t: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(t, "%H:%M").ok()
}

/// Each group's pupils on roll today, by the class list's own read.
fn roll_by_group(
    demo: &Demo,
    me: &str,
    groups: &[(String, String, YearGroup)],
    today: NaiveDate,
) -> Result<Vec<Vec<String>>, DemoError> {
    let mut out = Vec::new();
    for (group, _, _) in groups {
        let reply = demo
            .engine
            .handle(
                me,
                Request::Register(crate::service::protocol::RegisterId::new(
                    group.clone(),
                    today,
                    crate::domain::session::Session::Am,
                )),
            )
            .map_err(|e| DemoError(e.to_string()))?;
        let upns = match reply {
            Response::Register(view) => view.rows.into_iter().map(|r| r.upn).collect(),
            _ => Vec::new(),
        };
        out.push(upns);
    }
    Ok(out)
}

/// One lesson's register, taken by its teacher six minutes in: each pupil in school present
/// (a few late), one in a hundred not there; pupils away at registration `N`; those expected
/// away left to their reason; then closed. Says whether it made a pupil missing.
fn take_one(
    demo: &mut Demo,
    teacher: &str,
    (class, date, period, start): (&str, NaiveDate, &str, NaiveTime),
    rng: &mut Rng,
    force_missing: bool,
) -> Result<bool, DemoError> {
    demo.at(date.and_time(start + Duration::minutes(6)));
    let reply = demo
        .engine
        .handle(
            teacher,
            Request::Lesson(LessonRequest::Register {
                class: class.into(),
                date,
                period: period.into(),
            }),
        )
        .map_err(|e| DemoError(format!("{class} {period} {date}: {e}")))?;
    let Response::Lesson(reply) = reply else {
        return Ok(false);
    };
    let LessonResponse::Register(register) = *reply else {
        return Ok(false);
    };
    let mut marks = Vec::new();
    let mut made_missing = false;
    for p in &register.pupils {
        if p.expected.is_some() {
            continue;
        }
        let registered_in = p
            .statutory
            .is_some_and(|c| crate::domain::desk::on_site(c, None));
        let roll = rng.below(100);
        let (code, arrived) = if !registered_in {
            (LessonCode::Absent, None)
        } else if (force_missing && !made_missing) || roll == 0 {
            made_missing = true;
            (LessonCode::Absent, None)
        } else if roll < 4 {
            let late = Duration::minutes(1 + rng.below(5) as i64);
            (LessonCode::Late, Some(start + late))
        } else {
            (LessonCode::Present, None)
        };
        marks.push(LessonMarkEntry {
            upn: p.upn.clone(),
            code,
            arrived,
        });
    }
    demo.marks += marks.len();
    let call = |request| {
        demo.engine
            .handle(teacher, Request::Lesson(request))
            .map(|_| ())
            .map_err(|e| DemoError(format!("{class} {period} {date}: {e}")))
    };
    if !marks.is_empty() {
        call(LessonRequest::MarkMany {
            class: class.into(),
            date,
            period: period.into(),
            marks,
        })?;
    }
    call(LessonRequest::Close {
        class: class.into(),
        date,
        period: period.into(),
    })?;
    Ok(made_missing && force_missing)
}

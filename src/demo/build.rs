//! Building the demo school, phase by phase: its configuration, staff and pupils, the school
//! days up to now, and the absences planned ahead.

use super::cohorts::{Cohorts, school_year_of};
use super::names::OFFICE;
use super::people::{DemoPupil, add_staff, import_pupils, make_pupils};
use super::rng::Rng;
use super::school_file::{demo_groups, school_toml, ymd};
use super::sender::{Demo, DemoError};
use super::sessions::Walk;
use crate::clock::ManualClock;
use crate::config::parse_school;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::Code;
use crate::domain::people::YearGroup;
use crate::domain::session::Session;
use crate::service::Engine;
use crate::service::protocol::{Expect, MarkRequest, RegisterId, Request};
use crate::store::Store;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use std::sync::Arc;

pub struct DemoOptions {
    pub pupils: u32,
    /// School weeks of marks before today (when `years` is not given).
    pub weeks: u32,
    /// School years of marks, this one included: the scale a school keeps (six).
    pub years: Option<u32>,
    pub seed: u64,
    /// Operating-system account of whoever runs the demo: admin, and tutor of the first group.
    pub account: String,
    pub now: NaiveDateTime,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
    /// A secondary school: years 7 to 11, five periods a day, a timetable and lesson
    /// registers for the last two school weeks (SPEC §8.8).
    pub secondary: bool,
}

pub struct DemoSummary {
    pub school: String,
    pub groups: usize,
    pub pupils: usize,
    pub marks: usize,
    pub from: Option<NaiveDate>,
}

/// Builds the demo school in a new database at `path`, through the engine: the same requests,
/// rules and accounts as a school's own marks (teachers mark their groups at registration,
/// the office signs late arrivals in and gives reasons the next day), a session's marks saved
/// together as a group commit saves marks that arrive together. A half-built school is
/// removed.
pub fn build(path: &std::path::Path, options: &DemoOptions) -> Result<DemoSummary, String> {
    let result = build_school(path, options).map_err(|e| e.0);
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

fn build_school(path: &std::path::Path, options: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let today = options.now.date();
    let groups = demo_groups(options.pupils, &options.account, options.secondary);
    let pairs: Vec<(String, String)> = groups
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let year_start = Calendar::academic_year_start(today);
    let first_year = year_start.year() - options.years.unwrap_or(1).max(1) as i32 + 1;
    let source = school_toml(&pairs, today, first_year, options.secondary);
    let school: School =
        parse_school("demo school", &source).map_err(|e| DemoError(e.to_string()))?;
    let store = Store::create(path, &source)?;
    store.begin_bulk();
    // Set up as of now (pupils' birth dates are checked against it); marks then walk the
    // clock through the school years.
    let clock = Arc::new(ManualClock::new(options.now));
    let engine = Engine::new(store, clock.clone(), false).map_err(|e| DemoError(e.to_string()))?;
    let mut demo = Demo {
        engine: &engine,
        clock: &clock,
        marks: 0,
    };
    let mut rng = Rng(options.seed ^ 0x0005_EED0_F0DD_BA11);
    let calendar = &school.calendar;
    let admin = options.account.as_str();
    demo.call(
        admin,
        Request::Init {
            file: "demo school".into(),
            source: source.clone(),
        },
    )?;
    add_staff(&demo, admin, &groups, &mut rng)?;

    // Marks run back the chosen number of school years, or of school weeks, from yesterday.
    let yesterday = today.pred_opt().unwrap_or(today);
    let mut first_day = match options.years {
        Some(_) => ymd(first_year, 9, 1),
        None => calendar.school_weeks_back(yesterday, options.weeks.max(1)),
    };
    // Keep to this school year when it has begun, so year-to-date figures cover the demo.
    if options.years.is_none() && calendar.school_days(year_start, yesterday).count() >= 5 {
        first_day = first_day.max(year_start);
    }
    let from = calendar.school_days(first_day, yesterday).next();
    // A week's holiday not granted, four school weeks ago: a penalty-notice case.
    let holiday_week = calendar.school_weeks_back(yesterday, 4);
    let holiday_days: Vec<NaiveDate> = calendar.school_days(holiday_week, today).take(5).collect();
    let roll_start = from.unwrap_or(today).min(year_start);
    // Over several years the children move up each September (`cohorts`); over one, the
    // pupils of this year are on roll throughout.
    let cohorts = options.years.filter(|y| *y > 1).map(|_| {
        Cohorts::new(
            options.pupils,
            &groups,
            first_year,
            year_start.year(),
            &mut rng,
        )
    });
    let pupils = match &cohorts {
        Some(c) => c.on_roll(school_year_of(roll_start)),
        None => make_pupils(options.pupils, &groups, year_start, &mut rng),
    };
    import_pupils(&demo, admin, &pupils, &groups, roll_start, false)?;

    let sessions: Vec<(NaiveDate, Session)> = match from {
        Some(from) => calendar.school_sessions(from, today).collect(),
        None => Vec::new(),
    };
    let progress = progress_bar(options.progress, sessions.len() as u64);
    let recent = calendar.school_weeks_back(yesterday, 1);
    let mut school_year = school_year_of(roll_start);
    let mut walk = Walk::new(
        &school,
        &groups,
        pupils,
        options.now,
        (15, holiday_days),
        recent,
    );
    for (date, session) in sessions {
        if let Some(cohorts) = &cohorts
            && school_year_of(date) != school_year
        {
            // September: the new list, leavers ended the day before.
            school_year = school_year_of(date);
            let list = cohorts.on_roll(school_year);
            let september = ymd(school_year, 9, 1);
            demo.at(september.and_hms_opt(7, 0, 0).unwrap_or_default());
            import_pupils(&demo, admin, &list, &groups, september, true)?;
            walk.pupils = list;
        }
        progress.set_message(format!("{date} {}", session.label()));
        walk.session(&mut demo, &mut rng, date, session)?;
        progress.inc(1);
    }
    progress.finish_and_clear();

    plan_ahead(&mut demo, &school, &groups, &walk.pupils, options.now)?;
    super::ladder::work_the_ladder(&demo, today)?;
    super::casework::open_cases(&demo, &school, &options.account, options.now)?;
    if options.secondary {
        super::lessons::take_lessons(&mut demo, &school, &groups, &options.account, options.now)?;
    }
    let pupils = walk.pupils;
    let marks = demo.marks;
    engine.store().end_bulk()?;
    Ok(DemoSummary {
        school: school.name.clone(),
        groups: groups.len(),
        pupils: pupils.len(),
        marks,
        from,
    })
}

/// The office has pre-entered a dentist appointment in the demo user's class this
/// afternoon, and a planned absence next week.
fn plan_ahead(
    demo: &mut Demo,
    school: &School,
    groups: &[(String, String, YearGroup)],
    pupils: &[DemoPupil],
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let today = now.date();
    let calendar = &school.calendar;
    demo.at(now);
    let Some((pupil, _, _)) = pupils.iter().find(|(_, g, _)| *g == 0) else {
        return Ok(());
    };
    let pm_not_open = now.time() < school.sessions.pm.opens_at;
    let mut planned = Vec::new();
    for (date, session) in [(today, Session::Pm)]
        .into_iter()
        .filter(|_| pm_not_open)
        .chain(calendar.school_sessions(today + Days::new(7), today + Days::new(8)))
        .filter(|(d, s)| calendar.is_school_session(*d, *s))
    {
        let code = if date == today { Code::M } else { Code::C };
        planned.push((
            OFFICE.0.to_string(),
            MarkRequest {
                register: RegisterId::new(groups[0].0.clone(), date, session),
                upn: pupil.upn.clone(),
                code: code.to_string(),
                note: (code == Code::C).then(|| "Grandparent's funeral".to_string()),
                expect: Expect::Blank,
                ..MarkRequest::default()
            },
        ));
    }
    demo.marks(planned)
}

/// A progress bar on stderr, drawn only on a terminal (indicatif hides it otherwise).
fn progress_bar(show: bool, sessions: u64) -> indicatif::ProgressBar {
    if !show || sessions < 50 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(sessions);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>14} [{bar:40}] {pos}/{len} sessions, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

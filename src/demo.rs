//! A realistic demo school: groups, staff, pupils and weeks of marks with lates, `N`s waiting
//! for a reason, a few persistently absent pupils and one severely absent. Deterministic for a
//! seed and a clock, so a demo and its screenshots can be reproduced.
//!
//! Built through the engine, with the requests, rules and accounts of a school's own marks;
//! `--years 6 --pupils 2000` builds the scale a school keeps (4.6 million marks) in minutes,
//! the store flushing once at the end instead of at every commit.

use crate::config::parse_school;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::Code;
use crate::domain::people::{Pupil, Staff, YearGroup};
use crate::domain::register::{RegisterClock, Role};
use crate::domain::session::{Phase, Session};
use crate::service::protocol::{Expect, MarkRequest, RegisterId};
use crate::store::{Store, StoreError};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use std::fmt::Write as _;

/// SplitMix64: small, fast and deterministic, which is all demo data needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "Ahmed",
    "Ali",
    "Allen",
    "Atkinson",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Bennett",
    "Brown",
    "Campbell",
    "Carter",
    "Chowdhury",
    "Clarke",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Kowalski",
    "Lee",
    "Lewis",
    "Martin",
    "Mensah",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "Owen",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Rahman",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
];

const FORENAMES: &[&str] = &[
    "Aaliyah", "Adam", "Alfie", "Amara", "Amelia", "Archie", "Arlo", "Ava", "Ayaan", "Ella",
    "Elsie", "Ethan", "Evie", "Finley", "Freddie", "Grace", "Hamza", "Harry", "Isabella", "Isla",
    "Ivy", "Jack", "Jacob", "Leo", "Lily", "Luca", "Maryam", "Maya", "Mia", "Mohammed", "Muhammad",
    "Noah", "Nora", "Olivia", "Oscar", "Poppy", "Priya", "Reuben", "Rosie", "Ruby", "Sofia",
    "Theo", "Thomas", "Willow", "Yusuf", "Zara", "Zoe",
];

const GROUP_NAMES: &[&str] = &[
    "Oak", "Ash", "Elm", "Birch", "Willow", "Hazel", "Rowan", "Maple", "Cedar", "Holly", "Larch",
    "Pine",
];

const TEACHERS: &[(&str, &str)] = &[
    ("jpatel", "Jay Patel"),
    ("mokafor", "Mary Okafor"),
    ("rhughes", "Rhys Hughes"),
    ("lgreen", "Laura Green"),
    ("skowalski", "Stefan Kowalski"),
    ("abegum", "Amina Begum"),
    ("dcampbell", "Dan Campbell"),
    ("hwright", "Helen Wright"),
    ("tmensah", "Tom Mensah"),
    ("ejones", "Eve Jones"),
    ("pshah", "Priya Shah"),
    ("cowen", "Chris Owen"),
];

const OFFICE: (&str, &str) = ("office", "Sam Reed");

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
}

pub struct DemoSummary {
    pub school: String,
    pub groups: usize,
    pub pupils: usize,
    pub marks: usize,
    pub from: Option<NaiveDate>,
}

/// The weekday on or after `date`.
fn weekday_on_or_after(date: NaiveDate) -> NaiveDate {
    date.iter_days()
        .find(|d| d.weekday().num_days_from_monday() < 5)
        .unwrap_or(date)
}

fn weekday_on_or_before(date: NaiveDate) -> NaiveDate {
    let mut d = date;
    while d.weekday().num_days_from_monday() >= 5 {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// Monday to Friday of the week containing `date`.
fn week_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
    (monday, monday + Days::new(4))
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// Terms of an English school year starting in September of `year`.
fn terms_toml(out: &mut String, year: i32) {
    let terms = [
        (
            "Autumn",
            ymd(year, 9, 3),
            ymd(year, 12, 18),
            ymd(year, 10, 28),
        ),
        (
            "Spring",
            ymd(year + 1, 1, 5),
            ymd(year + 1, 3, 27),
            ymd(year + 1, 2, 16),
        ),
        (
            "Summer",
            ymd(year + 1, 4, 13),
            ymd(year + 1, 7, 21),
            ymd(year + 1, 5, 28),
        ),
    ];
    for (name, start, end, half) in terms {
        let (start, end) = (weekday_on_or_after(start), weekday_on_or_before(end));
        let (hs, he) = week_of(half);
        let label = if name == "Autumn" { year } else { year + 1 };
        let _ = write!(
            out,
            "[[terms]]\nname = \"{name} {label}\"\nstart = \"{start}\"\nend = \"{end}\"\nhalf_terms = [{{ start = \"{hs}\", end = \"{he}\" }}]\n\n"
        );
    }
}

/// The demo school's configuration, as a file a school would write: terms for the school
/// years from `first_year` (the September it starts) to this one.
fn school_toml(groups: &[(String, String)], today: NaiveDate, first_year: i32) -> String {
    let year = Calendar::academic_year_start(today).year();
    let mut t = String::from(
        "# rollcall demo school (generated by `rollcall demo`)\n\n[school]\nname = \"Rollcall Demo Primary School\"\nurn = \"999999\"\nla = \"999\"\nestab = \"2999\"\n\n\
         [sessions.am]\nopens_at = \"08:45\"\nregister_at = \"09:00\"\ncloses_at = \"09:30\"\n\n\
         [sessions.pm]\nopens_at = \"13:00\"\nregister_at = \"13:15\"\ncloses_at = \"13:45\"\n\n",
    );
    for y in first_year.min(year - 1)..=year {
        terms_toml(&mut t, y);
    }
    // An INSET day on the Friday before each autumn half term.
    for y in first_year.min(year - 1)..=year {
        let (half_monday, _) = week_of(ymd(y, 10, 28));
        let inset = half_monday - Days::new(3);
        let _ = write!(
            t,
            "[[closures]]\ndate = \"{inset}\"\nsessions = \"both\"\nreason = \"INSET day\"\n\n"
        );
    }
    for (name, label, min) in [
        ("A", "Excellent", 97.0),
        ("B", "Good", 95.0),
        ("C", "Below expected", 93.0),
        ("D", "At risk", 90.0),
        ("E", "Persistently absent", 80.0),
        ("F", "Intervention", 50.0),
        ("G", "Severely absent", 0.0),
    ] {
        let _ = write!(
            t,
            "[[bands]]\nname = \"{name}\"\nlabel = \"{label}\"\nmin = {min:.1}\n\n"
        );
    }
    for (name, tutor) in groups {
        let _ = write!(
            t,
            "[[groups]]\nname = \"{name}\"\ntutors = [\"{tutor}\"]\n\n"
        );
    }
    // Stages of intervention as seed 003 acts (a school writes its own).
    t.push_str(
        "[[stages]]\nname = \"First-day call\"\naction = \"Phone the family\"\ndays_in_a_row = 1\n\n\
         [[stages]]\nname = \"Home contact\"\naction = \"Home visit or call\"\ndays_in_a_row = 3\n\n\
         [[stages]]\nname = \"Attendance meeting\"\naction = \"Meeting with parents\"\ndays_in_a_row = 6\n\
         below_percent = 96.5\nletter = \"meeting.txt\"\n\n\
         [[stages]]\nname = \"Attendance contract\"\naction = \"Contract with the family\"\nsessions = 21\n\
         below_percent = 95.0\nletter = \"contract.txt\"\n\n",
    );
    t
}

/// How often a pupil is away, late or arrives after the close.
#[derive(Clone, Copy)]
struct Habit {
    absent: f64,
    late: f64,
    after_close: f64,
    /// Share of absences that stay unauthorised (no reason, or a holiday not granted).
    unauthorised: f64,
}

/// Why the demo could not be built, in words.
struct DemoError(String);

impl From<StoreError> for DemoError {
    fn from(e: StoreError) -> Self {
        DemoError(e.to_string())
    }
}

impl From<&str> for DemoError {
    fn from(e: &str) -> Self {
        DemoError(e.to_string())
    }
}

/// Pupils per registration group.
const GROUP_SIZE: u32 = 30;

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

/// The groups: the first few named for trees, then numbered; tutors by account.
fn demo_groups(options: &DemoOptions) -> Vec<(String, String, YearGroup)> {
    let count = options.pupils.div_ceil(GROUP_SIZE).max(1) as usize;
    let years = [
        YearGroup::Reception,
        YearGroup::Year(1),
        YearGroup::Year(2),
        YearGroup::Year(3),
        YearGroup::Year(4),
        YearGroup::Year(5),
        YearGroup::Year(6),
    ];
    (0..count)
        .map(|i| {
            let base = GROUP_NAMES[i % GROUP_NAMES.len()];
            let name = match i / GROUP_NAMES.len() {
                0 => base.to_string(),
                n => format!("{base} {}", n + 1),
            };
            let tutor = if i == 0 {
                options.account.clone()
            } else {
                teacher_account(i)
            };
            (name, tutor, years[i % years.len()])
        })
        .collect()
}

/// The account of the tutor of group `i`: the named teachers first, then numbered ones.
fn teacher_account(i: usize) -> String {
    match TEACHERS.get(i - 1) {
        Some((account, _)) => (*account).to_string(),
        None => format!("teacher{i}"),
    }
}

/// Sends requests as an account, failing on any refusal (the demo's marks follow the rules).
struct Demo<'a> {
    engine: &'a crate::service::Engine,
    clock: &'a crate::clock::ManualClock,
    marks: usize,
}

impl Demo<'_> {
    fn at(&self, when: NaiveDateTime) {
        self.clock.set(when);
    }

    fn call(
        &self,
        account: &str,
        request: crate::service::protocol::Request,
    ) -> Result<(), DemoError> {
        self.engine
            .handle(account, request)
            .map(|_| ())
            .map_err(|e| DemoError(e.to_string()))
    }

    /// Marks saved together, each by its own account.
    fn marks(&mut self, marks: Vec<(String, MarkRequest)>) -> Result<(), DemoError> {
        if marks.is_empty() {
            return Ok(());
        }
        let described: Vec<String> = marks
            .iter()
            .map(|(a, m)| {
                format!(
                    "{a}: {} {} {} {}",
                    m.register.date,
                    m.register.session.label(),
                    m.upn,
                    m.code
                )
            })
            .collect();
        let outcomes = self
            .engine
            .mark_as(marks)
            .map_err(|e| DemoError(e.to_string()))?;
        for (outcome, what) in outcomes.into_iter().zip(described) {
            match outcome {
                Ok(o) => self.marks += usize::from(o.changed),
                Err(e) => return Err(DemoError(format!("{what}: {e}"))),
            }
        }
        Ok(())
    }
}

fn build_school(path: &std::path::Path, options: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let today = options.now.date();
    let groups = demo_groups(options);
    let pairs: Vec<(String, String)> = groups
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let year_start = Calendar::academic_year_start(today);
    let first_year = year_start.year() - options.years.unwrap_or(1).max(1) as i32 + 1;
    let source = school_toml(&pairs, today, first_year);
    let school: School =
        parse_school("demo school", &source).map_err(|e| DemoError(e.to_string()))?;
    let store = Store::create(path, &source)?;
    store.begin_bulk();
    // Set up as of now (pupils' birth dates are checked against it); marks then walk the
    // clock through the school years.
    let clock = std::sync::Arc::new(crate::clock::ManualClock::new(options.now));
    let engine = crate::service::Engine::new(store, clock.clone(), false)
        .map_err(|e| DemoError(e.to_string()))?;
    let mut demo = Demo {
        engine: &engine,
        clock: &clock,
        marks: 0,
    };
    let mut rng = Rng(options.seed ^ 0x0005_EED0_F0DD_BA11);
    let calendar = &school.calendar;
    let admin = options.account.as_str();
    use crate::service::protocol::Request;
    demo.call(
        admin,
        Request::Init {
            file: "demo school".into(),
            source: source.clone(),
        },
    )?;
    let mut staff = vec![
        Staff {
            account: options.account.clone(),
            name: format!("{} (demo)", options.account),
            position: "Headteacher and class teacher".into(),
            role: Role::Admin,
        },
        Staff {
            account: OFFICE.0.into(),
            name: OFFICE.1.into(),
            position: "Attendance officer".into(),
            role: Role::Office,
        },
    ];
    for (i, (_, tutor, _)) in groups.iter().enumerate().skip(1) {
        if staff.iter().any(|s| s.account == *tutor) {
            continue;
        }
        let name = match TEACHERS.get(i - 1) {
            Some((_, name)) => (*name).to_string(),
            None => format!("{} {}", rng.pick(FORENAMES), rng.pick(SURNAMES)),
        };
        staff.push(Staff {
            account: tutor.clone(),
            name,
            position: "Class teacher".into(),
            role: Role::Teacher,
        });
    }
    for s in &staff {
        demo.call(admin, Request::StaffAdd { staff: s.clone() })?;
    }

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
    let holiday_pupil = 15;
    let roll_start = from.unwrap_or(today).min(year_start);

    let mut pupils: Vec<(Pupil, usize, Habit)> = Vec::new();
    for i in 0..options.pupils as usize {
        let g = i % groups.len();
        let year = groups[g].2;
        let age_years = match year {
            YearGroup::Year(n) => i32::from(n) + 5,
            _ => 5,
        };
        let born_year = year_start.year() - age_years;
        let dob = ymd(born_year, 9, 1) + Days::new(rng.below(365));
        pupils.push((
            Pupil {
                upn: crate::domain::people::upn_with_check_letter(&format!(
                    "{:012}",
                    999_000_000_000u64 + i as u64
                )),
                surname: rng.pick(SURNAMES).to_string(),
                forename: rng.pick(FORENAMES).to_string(),
                dob,
                year,
                sex: Some(if rng.below(2) == 0 {
                    crate::domain::people::Sex::F
                } else {
                    crate::domain::people::Sex::M
                }),
            },
            g,
            habit(i),
        ));
    }
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for (pupil, g, _) in &pupils {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{}",
            pupil.upn, pupil.surname, pupil.forename, pupil.dob, pupil.year, groups[*g].0
        );
    }
    demo.call(
        admin,
        Request::ImportPupils {
            file: "demo pupils".into(),
            csv,
            from: Some(roll_start),
            end_missing: false,
            dry_run: false,
        },
    )?;

    let sessions: Vec<(NaiveDate, Session)> = match from {
        Some(from) => calendar.school_sessions(from, today).collect(),
        None => Vec::new(),
    };
    let progress = progress_bar(options.progress, sessions.len() as u64);
    let recent = calendar.school_weeks_back(yesterday, 1);
    // N marks waiting for the office, who gives reasons the next school day; those nobody
    // chased become O at the end of the week once their five school days are up, as the
    // office does from the N queue.
    let mut waiting: Vec<(MarkRequest, f64)> = Vec::new();
    let mut unchased: Vec<MarkRequest> = Vec::new();
    for (date, session) in sessions {
        let times = *school.sessions.times(session);
        let clock_at = |t: NaiveTime| NaiveDateTime::new(date, t).min(options.now);
        let phase = RegisterClock {
            date,
            session,
            times,
            now: options.now,
            locked: false,
        }
        .phase();
        if phase == Phase::BeforeOpen {
            continue;
        }
        progress.set_message(format!("{date} {}", session.label()));
        // The morning after: yesterday's N get their reasons from the office.
        if session == Session::Am && !waiting.is_empty() {
            let at =
                NaiveDateTime::new(date, NaiveTime::from_hms_opt(10, 5, 0).unwrap_or_default());
            if at <= options.now {
                demo.at(at);
                let mut amendments = Vec::new();
                for (mut request, unauthorised) in std::mem::take(&mut waiting) {
                    let chased = request.register.date >= recent || rng.chance(0.99);
                    if !chased || (request.register.date >= recent && !rng.chance(0.3)) {
                        unchased.push(request);
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
                demo.marks(amendments)?;
            }
        }
        let mut on_time = Vec::new();
        let mut late = Vec::new();
        let mut after_close = Vec::new();
        for (gi, (group, tutor, _)) in groups.iter().enumerate() {
            // Today: the session under way is half taken in other classes and not started in
            // the demo user's; a finished session is complete except in one class (missing).
            let today_fraction = match (date == today, phase) {
                (false, _) => 1.0,
                (true, Phase::Closed) if gi == groups.len() - 1 => 0.6,
                (true, Phase::Closed) => 1.0,
                (true, _) if gi == 0 => 0.0,
                (true, _) => 0.5,
            };
            for (index, (pupil, _, habit)) in
                pupils.iter().enumerate().filter(|(_, (_, g, _))| *g == gi)
            {
                if !rng.chance(today_fraction) {
                    continue;
                }
                let request = MarkRequest {
                    register: RegisterId {
                        group: group.clone(),
                        date,
                        session,
                    },
                    upn: pupil.upn.clone(),
                    code: session.present_code().to_string(),
                    expect: Expect::Blank,
                    ..MarkRequest::default()
                };
                if index == holiday_pupil && holiday_days.contains(&date) {
                    // A holiday not granted: the office records it.
                    on_time.push((
                        OFFICE.0.to_string(),
                        MarkRequest {
                            code: Code::G.to_string(),
                            ..request
                        },
                    ));
                } else if rng.chance(habit.absent) {
                    let n = MarkRequest {
                        code: Code::N.to_string(),
                        ..request
                    };
                    if date < today {
                        waiting.push((n.clone(), habit.unauthorised));
                    }
                    on_time.push((tutor.clone(), n));
                } else if rng.chance(habit.after_close) {
                    let m = times.open_minutes() + 1 + rng.below(40) as i64;
                    let t = times.register_at + chrono::Duration::minutes(m);
                    after_close.push((
                        OFFICE.0.to_string(),
                        MarkRequest {
                            code: Code::U.to_string(),
                            arrived: Some(t),
                            reason: Some(format!(
                                "signed in late at the office, arrived {}",
                                crate::domain::session::hm(t)
                            )),
                            ..request
                        },
                    ));
                } else if rng.chance(habit.late) {
                    let m = 1 + rng.below(times.open_minutes() as u64 - 1) as i64;
                    let t = times.register_at + chrono::Duration::minutes(m);
                    late.push((
                        tutor.clone(),
                        MarkRequest {
                            code: Code::L.to_string(),
                            arrived: Some(t),
                            ..request
                        },
                    ));
                } else {
                    on_time.push((tutor.clone(), request));
                }
            }
        }
        // At registration; the lates just before the close; the office after it.
        demo.at(clock_at(times.register_at - chrono::Duration::minutes(3)));
        demo.marks(on_time)?;
        let before_close = clock_at(times.closes_at - chrono::Duration::minutes(1));
        demo.at(before_close);
        demo.marks(
            late.into_iter()
                .filter(|(_, m)| {
                    m.arrived
                        .is_some_and(|t| NaiveDateTime::new(date, t) <= before_close)
                })
                .collect(),
        )?;
        let signed_in = NaiveDateTime::new(date, times.closes_at + chrono::Duration::minutes(45));
        if signed_in <= options.now {
            demo.at(signed_in);
            demo.marks(after_close)?;
        }
        let end_of_week =
            NaiveDateTime::new(date, NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default());
        if session == Session::Pm
            && date.weekday() == chrono::Weekday::Fri
            && end_of_week <= options.now
        {
            demo.at(end_of_week);
            let (overdue, still): (Vec<MarkRequest>, Vec<MarkRequest>) =
                std::mem::take(&mut unchased).into_iter().partition(|n| {
                    crate::domain::thresholds::n_deadline(calendar, n.register.date) < date
                });
            unchased = still;
            demo.marks(
                overdue
                    .into_iter()
                    .map(|n| {
                        (
                            OFFICE.0.to_string(),
                            MarkRequest {
                                code: Code::O.to_string(),
                                expect: Expect::Code(Code::N),
                                reason: Some(crate::domain::thresholds::OVERDUE_REASON.into()),
                                ..n
                            },
                        )
                    })
                    .collect(),
            )?;
        }
        progress.inc(1);
    }
    progress.finish_and_clear();

    // The office has pre-entered a dentist appointment in the demo user's class this
    // afternoon, and a planned absence next week.
    demo.at(options.now);
    if let Some((pupil, _, _)) = pupils.iter().find(|(_, g, _)| *g == 0) {
        let pm_not_open = options.now.time() < school.sessions.pm.opens_at;
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
                    register: RegisterId {
                        group: groups[0].0.clone(),
                        date,
                        session,
                    },
                    upn: pupil.upn.clone(),
                    code: code.to_string(),
                    note: (code == Code::C).then(|| "Grandparent's funeral".to_string()),
                    expect: Expect::Blank,
                    ..MarkRequest::default()
                },
            ));
        }
        demo.marks(planned)?;
    }
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

/// How pupil `i` attends: most well, a few persistently absent, one severely.
fn habit(i: usize) -> Habit {
    if i == 7 {
        Habit {
            absent: 0.55,
            late: 0.05,
            after_close: 0.02,
            unauthorised: 0.7,
        }
    } else if i % 23 == 11 {
        Habit {
            absent: 0.13,
            late: 0.06,
            after_close: 0.01,
            unauthorised: 0.3,
        }
    } else if i % 9 == 4 {
        Habit {
            absent: 0.03,
            late: 0.12,
            after_close: 0.01,
            unauthorised: 0.2,
        }
    } else {
        Habit {
            absent: 0.025,
            late: 0.02,
            after_close: 0.002,
            unauthorised: 0.15,
        }
    }
}

const REASONS: [&str; 4] = [
    "Parent phoned",
    "Note from parent",
    "Parent emailed the office",
    "Letter from the clinic",
];

const ABSENCE_CODES: [Code; 10] = [
    Code::I,
    Code::I,
    Code::I,
    Code::I,
    Code::M,
    Code::I,
    Code::R,
    Code::E,
    Code::I,
    Code::M,
];

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

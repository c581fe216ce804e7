//! A realistic demo school: groups, staff, pupils and weeks of marks with lates, `N`s waiting
//! for a reason, a few persistently absent pupils and one severely absent. Deterministic for a
//! seed and a clock, so a demo and its screenshots can be reproduced.
//!
//! Marks are written straight to the store in one transaction (tens of thousands of historical
//! marks; one durable commit each would take minutes), shaped exactly as the engine writes them.

use crate::config::parse_school;
use crate::domain::School;
use crate::domain::calendar::Calendar;
use crate::domain::codes::lookup;
use crate::domain::people::{Pupil, Staff, YearGroup};
use crate::domain::register::{ChangeKind, RegisterClock, Role};
use crate::domain::session::{Phase, Session};
use crate::store::{
    ChangeRecord, ClosedRegister, MarkRecord, Membership, SessionKey, Store, StoreError,
};
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
    pub weeks: u32,
    pub seed: u64,
    /// Operating-system account of whoever runs the demo: admin, and tutor of the first group.
    pub account: String,
    pub now: NaiveDateTime,
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

/// The demo school's configuration, as a file a school would write.
fn school_toml(groups: &[(String, String)], today: NaiveDate) -> String {
    let year = Calendar::academic_year_start(today).year();
    let mut t = String::from(
        "# rollcall demo school (generated by `rollcall demo`)\n\n[school]\nname = \"Rollcall Demo Primary School\"\nurn = \"999999\"\nla = \"999\"\nestab = \"2999\"\n\n\
         [sessions.am]\nopens_at = \"08:45\"\nregister_at = \"09:00\"\ncloses_at = \"09:30\"\n\n\
         [sessions.pm]\nopens_at = \"13:00\"\nregister_at = \"13:15\"\ncloses_at = \"13:45\"\n\n",
    );
    terms_toml(&mut t, year - 1);
    terms_toml(&mut t, year);
    // An INSET day on the Friday before the autumn half term.
    let (half_monday, _) = week_of(ymd(year, 10, 28));
    let inset = half_monday - Days::new(3);
    let _ = write!(
        t,
        "[[closures]]\ndate = \"{inset}\"\nsessions = \"both\"\nreason = \"INSET day\"\n\n"
    );
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

pub fn build(store: &Store, options: &DemoOptions) -> Result<DemoSummary, String> {
    let err = |e: StoreError| e.to_string();
    let mut rng = Rng(options.seed ^ 0x0005_EED0_F0DD_BA11);
    let today = options.now.date();
    let group_count = options
        .pupils
        .div_ceil(28)
        .clamp(1, GROUP_NAMES.len() as u32) as usize;
    let years = [
        YearGroup::Reception,
        YearGroup::Year(1),
        YearGroup::Year(2),
        YearGroup::Year(3),
        YearGroup::Year(4),
        YearGroup::Year(5),
        YearGroup::Year(6),
    ];
    let groups: Vec<(String, String, YearGroup)> = (0..group_count)
        .map(|i| {
            let tutor = if i == 0 {
                options.account.clone()
            } else {
                TEACHERS[i % TEACHERS.len()].0.to_string()
            };
            (GROUP_NAMES[i].to_string(), tutor, years[i % years.len()])
        })
        .collect();
    let pairs: Vec<(String, String)> = groups
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let source = school_toml(&pairs, today);
    let school: School = parse_school("demo school", &source).map_err(|e| e.to_string())?;
    let calendar = &school.calendar;

    let tx = store.write().map_err(err)?;
    tx.set_school_source(&source).map_err(err)?;
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
    for (account, name) in TEACHERS {
        if *account != options.account {
            staff.push(Staff {
                account: (*account).into(),
                name: (*name).into(),
                position: "Class teacher".into(),
                role: Role::Teacher,
            });
        }
    }
    for s in &staff {
        tx.put_staff(s.clone()).map_err(err)?;
    }
    let who = |account: &str| staff.iter().find(|s| s.account == account).cloned();
    let office = who(OFFICE.0).ok_or("office staff missing")?;

    // Marks run back the chosen number of school weeks from yesterday.
    let yesterday = today.pred_opt().unwrap_or(today);
    let mut first_day = calendar.school_weeks_back(yesterday, options.weeks.max(1));
    // Keep to this school year when it has begun, so year-to-date figures cover the demo.
    let year_start = Calendar::academic_year_start(today);
    if calendar.school_days(year_start, yesterday).count() >= 5 {
        first_day = first_day.max(year_start);
    }
    let from = calendar.school_days(first_day, yesterday).next();
    // A week's holiday not granted, four school weeks ago: a penalty-notice case.
    let holiday_week = calendar.school_weeks_back(yesterday, 4);
    let holiday_days: Vec<NaiveDate> = calendar.school_days(holiday_week, today).take(5).collect();
    let holiday_pupil = 15;
    let roll_start = from
        .unwrap_or(today)
        .min(Calendar::academic_year_start(today));

    let mut pupils: Vec<(Pupil, usize, Habit)> = Vec::new();
    for i in 0..options.pupils as usize {
        let g = i % group_count;
        let year = groups[g].2;
        let age_years = match year {
            YearGroup::Year(n) => i32::from(n) + 5,
            _ => 5,
        };
        let born_year = Calendar::academic_year_start(today).year() - age_years;
        let dob = ymd(born_year, 9, 1) + Days::new(rng.below(365));
        let habit = if i == 7 {
            // One severely absent pupil.
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
        };
        pupils.push((
            Pupil {
                upn: format!(
                    "{}{:012}",
                    (b'A' + (i % 26) as u8) as char,
                    999_000_000_000u64 + i as u64
                ),
                surname: rng.pick(SURNAMES).to_string(),
                forename: rng.pick(FORENAMES).to_string(),
                dob,
                year,
            },
            g,
            habit,
        ));
    }
    for (pupil, g, _) in &pupils {
        tx.put_pupil(pupil.clone()).map_err(err)?;
        tx.put_membership(
            &pupil.upn,
            Membership {
                group: groups[*g].0.clone(),
                start: roll_start,
                end: None,
            },
        )
        .map_err(err)?;
    }

    let unauthorised_codes = ["O", "G", "O"];
    let reasons = [
        "Parent phoned",
        "Note from parent",
        "Parent emailed the office",
        "Letter from the clinic",
    ];
    let absence_codes = ["I", "I", "I", "I", "M", "I", "R", "E", "I", "M"];
    let mut marks = 0usize;
    let recent = calendar.school_weeks_back(yesterday, 1);
    let sessions: Vec<(NaiveDate, Session)> = match from {
        Some(from) => calendar.school_sessions(from, today).collect(),
        None => Vec::new(),
    };
    for (date, session) in sessions {
        let times = *school.sessions.times(session);
        let clock = RegisterClock {
            date,
            session,
            times,
            now: options.now,
            locked: false,
        };
        let phase = clock.phase();
        if phase == Phase::BeforeOpen {
            continue;
        }
        for (gi, (group, tutor, _)) in groups.iter().enumerate() {
            // Today: the session under way is half taken in other classes and not started in
            // the demo user's; a finished session is complete except in one class (missing).
            let today_fraction = match (date == today, phase) {
                (false, _) => 1.0,
                (true, Phase::Closed) if gi == group_count - 1 => 0.6,
                (true, Phase::Closed) => 1.0,
                (true, _) if gi == 0 => 0.0,
                (true, _) => 0.5,
            };
            let teacher = who(tutor).ok_or("tutor missing")?;
            let at = NaiveDateTime::new(date, times.register_at);
            let mut filled = 0;
            for (index, (pupil, _, habit)) in
                pupils.iter().enumerate().filter(|(_, (_, g, _))| *g == gi)
            {
                if !rng.chance(today_fraction) {
                    continue;
                }
                let key = SessionKey {
                    date,
                    session,
                    upn: pupil.upn.clone(),
                };
                let on_holiday = index == holiday_pupil && holiday_days.contains(&date);
                let (code, arrived, late) = if on_holiday {
                    ("G", None, None)
                } else if rng.chance(habit.absent) {
                    ("N", None, None)
                } else if rng.chance(habit.after_close) {
                    let m = times.open_minutes() as u32 + 1 + rng.below(40) as u32;
                    let t = times.register_at + chrono::Duration::minutes(i64::from(m));
                    ("U", Some(t), Some(m as u16))
                } else if rng.chance(habit.late) {
                    let m = 1 + rng.below(times.open_minutes() as u64) as u32;
                    let t = times.register_at + chrono::Duration::minutes(i64::from(m));
                    ("L", Some(t), Some(m as u16))
                } else {
                    (session.present_code(), None, None)
                };
                let (recorder, recorded_at) = if code == "U" {
                    (
                        &office,
                        NaiveDateTime::new(date, arrived.unwrap_or(times.closes_at)),
                    )
                } else if let (Some(t), "L") = (arrived, code) {
                    (&teacher, NaiveDateTime::new(date, t))
                } else {
                    (
                        &teacher,
                        at - chrono::Duration::minutes(rng.below(12) as i64),
                    )
                };
                let record = MarkRecord {
                    code: code.into(),
                    arrived,
                    minutes_late: late,
                    note: None,
                    group: group.clone(),
                    recorded_by: recorder.account.clone(),
                    recorded_by_office: recorder.role.is_office(),
                    recorded_at,
                };
                let change = ChangeRecord {
                    kind: ChangeKind::Mark,
                    before: None,
                    after: Some(record.entry()),
                    reason: None,
                    at: recorded_at,
                    account: recorder.account.clone(),
                    name: recorder.name.clone(),
                    position: recorder.position.clone(),
                };
                tx.put_mark(&key, record.clone(), change).map_err(err)?;
                marks += 1;
                filled += 1;
                // Older Ns got a reason from the office; this week's are still waiting.
                // A few old ones were never chased: the N queue shows them overdue.
                let chased = date >= recent || rng.chance(0.99);
                if code == "N" && chased && (date < recent || rng.chance(0.3)) && date < today {
                    let reason_code = if rng.chance(habit.unauthorised) {
                        *rng.pick(&unauthorised_codes)
                    } else {
                        *rng.pick(&absence_codes)
                    };
                    let at = NaiveDateTime::new(
                        date + Days::new(1),
                        NaiveTime::from_hms_opt(10, 5, 0).unwrap_or_default(),
                    );
                    let amended = MarkRecord {
                        code: reason_code.into(),
                        recorded_by: office.account.clone(),
                        recorded_by_office: true,
                        recorded_at: at,
                        ..record.clone()
                    };
                    let change = ChangeRecord {
                        kind: ChangeKind::Amendment,
                        before: Some(record.entry()),
                        after: Some(amended.entry()),
                        reason: Some(rng.pick(&reasons).to_string()),
                        at,
                        account: office.account.clone(),
                        name: office.name.clone(),
                        position: office.position.clone(),
                    };
                    tx.put_mark(&key, amended, change).map_err(err)?;
                }
            }
            if (date < today || phase == Phase::Closed) && filled > 0 && today_fraction >= 1.0 {
                tx.close_register(
                    group,
                    date,
                    session,
                    ClosedRegister {
                        closed_at: NaiveDateTime::new(date, times.closes_at),
                        closed_by: teacher.account.clone(),
                        filled: 0,
                    },
                )
                .map_err(err)?;
            }
        }
    }

    // The office has pre-entered a dentist appointment in the demo user's class this
    // afternoon, and a planned absence next week.
    if let Some((pupil, _, _)) = pupils.iter().find(|(_, g, _)| *g == 0) {
        let pm_not_open = options.now.time() < school.sessions.pm.opens_at;
        for (date, session) in [(today, Session::Pm)]
            .into_iter()
            .filter(|_| pm_not_open)
            .chain(calendar.school_sessions(today + Days::new(7), today + Days::new(8)))
            .filter(|(d, s)| calendar.is_school_session(*d, *s))
        {
            let key = SessionKey {
                date,
                session,
                upn: pupil.upn.clone(),
            };
            let at =
                NaiveDateTime::new(today, NaiveTime::from_hms_opt(8, 15, 0).unwrap_or_default());
            let code = if date == today { "M" } else { "C" };
            let record = MarkRecord {
                code: code.into(),
                arrived: None,
                minutes_late: None,
                note: (code == "C").then(|| "Grandparent's funeral".to_string()),
                group: groups[0].0.clone(),
                recorded_by: office.account.clone(),
                recorded_by_office: true,
                recorded_at: at.min(options.now),
            };
            if lookup(code).is_some() && tx.mark(&key).map_err(err)?.is_none() {
                let change = ChangeRecord {
                    kind: ChangeKind::Mark,
                    before: None,
                    after: Some(record.entry()),
                    reason: None,
                    at: record.recorded_at,
                    account: office.account.clone(),
                    name: office.name.clone(),
                    position: office.position.clone(),
                };
                tx.put_mark(&key, record, change).map_err(err)?;
                marks += 1;
            }
        }
    }
    tx.commit().map_err(err)?;
    Ok(DemoSummary {
        school: school.name.clone(),
        groups: group_count,
        pupils: pupils.len(),
        marks,
        from,
    })
}

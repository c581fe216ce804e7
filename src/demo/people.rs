//! The demo's people: its staff (the demo user as head and tutor of the first group, the
//! office, a teacher per group) and its pupils, each with a habit of attending.

use super::names::{FORENAMES, OFFICE, SURNAMES, TEACHERS};
use super::rng::Rng;
use super::sender::{Demo, DemoError};
use crate::domain::people::{Pupil, Sex, Staff, YearGroup, upn_with_check_letter};
use crate::domain::register::Role;
use crate::service::protocol::Request;
use chrono::{Datelike, Days, NaiveDate};
use std::fmt::Write as _;

/// How often a pupil is away, late or arrives after the close.
#[derive(Clone, Copy)]
pub(super) struct Habit {
    pub(super) absent: f64,
    pub(super) late: f64,
    pub(super) after_close: f64,
    /// Share of absences that stay unauthorised (no reason, or a holiday not granted).
    pub(super) unauthorised: f64,
}

/// A pupil of the demo, the index of their group and how they attend.
pub(super) type DemoPupil = (Pupil, usize, Habit);

/// The staff: the demo user, the office, and each group's tutor; added by the demo user.
pub(super) fn add_staff(
    demo: &Demo,
    account: &str,
    groups: &[(String, String, YearGroup)],
    rng: &mut Rng,
) -> Result<(), DemoError> {
    let mut staff = vec![
        Staff {
            account: account.to_string(),
            name: format!("{account} (demo)"),
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
        demo.call(account, Request::StaffAdd { staff: s.clone() })?;
    }
    Ok(())
}

/// `count` pupils, spread over the groups in turn, of the age their year group has this
/// school year (from `year_start`).
pub(super) fn make_pupils(
    count: u32,
    groups: &[(String, String, YearGroup)],
    year_start: NaiveDate,
    rng: &mut Rng,
) -> Vec<DemoPupil> {
    let mut pupils = Vec::new();
    for i in 0..count as usize {
        let g = i % groups.len();
        let year = groups[g].2;
        let age_years = match year {
            YearGroup::Year(n) => i32::from(n) + 5,
            _ => 5,
        };
        let born_year = year_start.year() - age_years;
        let dob = NaiveDate::from_ymd_opt(born_year, 9, 1).unwrap_or_default()
            + Days::new(rng.below(365));
        pupils.push((
            Pupil {
                upn: upn_with_check_letter(&format!("{:012}", 999_000_000_000u64 + i as u64)),
                surname: rng.pick(SURNAMES).to_string(),
                forename: rng.pick(FORENAMES).to_string(),
                dob,
                year,
                sex: Some(if rng.below(2) == 0 { Sex::F } else { Sex::M }),
            },
            g,
            habit(i),
        ));
    }
    pupils
}

/// The pupils imported as a school imports its list, on roll from `roll_start`.
pub(super) fn import_pupils(
    demo: &Demo,
    account: &str,
    pupils: &[DemoPupil],
    groups: &[(String, String, YearGroup)],
    roll_start: NaiveDate,
    end_missing: bool,
) -> Result<(), DemoError> {
    // Two contacts a pupil, from the pupil's place in the list (no draw from the seed, so
    // the marks are as they were): a parent, then another parent or a grandparent. The
    // numbers are Ofcom's, kept for drama: they reach nobody.
    let mut csv = String::from(
        "upn,surname,forename,dob,year,group,contact1_name,contact1_relationship,contact1_phone,\
         contact1_pr,contact2_name,contact2_relationship,contact2_phone,contact2_pr,sen,fsm,pp,\
         eal,cin,lac,social_worker\n",
    );
    for (i, (pupil, g, _)) in pupils.iter().enumerate() {
        let parent = FORENAMES[(i * 7 + 3) % FORENAMES.len()];
        let other = FORENAMES[(i * 11 + 5) % FORENAMES.len()];
        // The demo's names are any child's, so the relationships say no more than parent.
        let first = "Parent";
        let (second, second_pr) = if i % 5 == 4 {
            ("Grandparent", "N")
        } else {
            ("Parent", "Y")
        };
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{parent} {},{first},07700 900{:03},Y,{other} {},{second},0161 496 0{:03},{second_pr},{}",
            pupil.upn,
            pupil.surname,
            pupil.forename,
            pupil.dob,
            pupil.year,
            groups[*g].0,
            pupil.surname,
            i % 1000,
            pupil.surname,
            (i * 3) % 1000,
            characteristics(i)
        );
    }
    demo.call(
        account,
        Request::ImportPupils {
            file: "demo pupils".into(),
            csv,
            from: Some(roll_start),
            end_missing,
            dry_run: false,
        },
    )
}

/// Pupil `i`'s characteristics as the list's columns write them (sen, fsm, pp, eal, cin,
/// lac, social_worker), in about the proportions of an English primary school: a fifth
/// eligible for free meals, one in eight with SEN support, a few with EHC plans, a child in
/// need and a looked-after child among 180 (no draw from the seed: the marks stay).
fn characteristics(i: usize) -> String {
    let sen = match i % 40 {
        0 => "E",
        n if n % 8 == 3 => "K",
        _ => "N",
    };
    let fsm = i % 5 == 1;
    let pp = fsm || i % 17 == 2;
    let eal = i % 6 == 4;
    let cin = i % 90 == 13;
    let lac = i % 90 == 47;
    let yn = |b: bool| if b { "Y" } else { "N" };
    let worker = if cin || lac {
        "Alex Morgan 0161 496 0777"
    } else {
        ""
    };
    format!(
        "{sen},{},{},{},{},{},{worker}",
        yn(fsm),
        yn(pp),
        yn(eal),
        yn(cin),
        yn(lac)
    )
}

/// How pupil `i` attends: most well, a few persistently absent, one severely.
pub(super) fn habit(i: usize) -> Habit {
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

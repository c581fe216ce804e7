//! Shared fixtures: the example school with staff and pupils, at a time the test controls.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use rollcall::clock::ManualClock;
use rollcall::domain::people::Staff;
use rollcall::domain::register::Role;
use rollcall::service::protocol::{MarkRequest, Request};
use rollcall::service::{Client, Engine};
use rollcall::store::Store;
use std::sync::Arc;

pub const EXAMPLE: &str = include_str!("../../school.example.toml");

pub fn at(s: &str) -> NaiveDateTime {
    rollcall::clock::parse_datetime(s).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A shape-valid UPN, distinct per number.
pub fn upn(i: usize) -> String {
    format!("A{:012}", 100_000_000_000u64 + i as u64)
}

/// Pupils 0-4 in Oak (tutor jpatel), 5-7 in Ash (tutors mokafor, lgreen), from 1 September.
pub const PUPILS_CSV: &str = "upn,surname,forename,dob,year,group
A100000000000,Adams,Alice,2019-01-10,2,Oak
A100000000001,Brown,Ben,2019-02-11,2,Oak
A100000000002,Cole,Cara,2019-03-12,2,Oak
A100000000003,Dean,Dan,2019-04-13,2,Oak
A100000000004,Evans,Eve,2019-05-14,2,Oak
A100000000005,Fox,Finn,2018-06-15,3,Ash
A100000000006,Gray,Gus,2018-07-16,3,Ash
A100000000007,Hill,Hana,2018-08-17,3,Ash
";

pub struct TestSchool {
    pub dir: tempfile::TempDir,
    pub engine: Arc<Engine>,
    pub clock: Arc<ManualClock>,
}

impl TestSchool {
    pub fn new(now: &str) -> TestSchool {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("school.redb")).unwrap();
        let clock = Arc::new(ManualClock::new(at(now)));
        let engine = Arc::new(Engine::new(store, clock.clone(), false).unwrap());
        let school = TestSchool { dir, engine, clock };
        let mut head = school.client("head");
        head.done(Request::Init {
            file: "school.toml".into(),
            source: EXAMPLE.into(),
        })
        .unwrap();
        for (account, name, position, role) in [
            ("head", "Hilary Head", "Headteacher", Role::Admin),
            ("jpatel", "Jay Patel", "Class teacher", Role::Teacher),
            ("mokafor", "Mary Okafor", "Class teacher", Role::Teacher),
            ("office", "Sam Reed", "Attendance officer", Role::Office),
        ] {
            head.done(Request::StaffAdd {
                staff: Staff {
                    account: account.into(),
                    name: name.into(),
                    position: position.into(),
                    role,
                },
            })
            .unwrap();
        }
        head.import_pupils(
            "pupils.csv".into(),
            PUPILS_CSV.into(),
            Some(d("2026-09-01")),
            false,
        )
        .unwrap();
        school
    }

    pub fn client(&self, account: &str) -> Client {
        Client::local(self.engine.clone(), account.to_string())
    }

    pub fn set_now(&self, now: &str) {
        self.clock.set(at(now));
    }
}

/// A mark request for today's session in a group.
pub fn mark(group: &str, date: &str, session: &str, upn: &str, code: &str) -> MarkRequest {
    MarkRequest {
        group: group.into(),
        date: d(date),
        session: session.parse().unwrap(),
        upn: upn.into(),
        code: code.into(),
        ..MarkRequest::default()
    }
}

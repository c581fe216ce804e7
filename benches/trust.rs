//! A trust's schools published into one PostgreSQL (issue 25): `SCHOOLS` demo schools
//! (default 20) of `PUPILS` pupils (default 300) with a school year of marks each, each given a
//! URN of its own, published in turn into a fresh database; then a day's marks changed at
//! each and published again (what a school's run every few minutes costs); then the trust
//! report over the year, by school and by year group.
//!
//! Needs a PostgreSQL server: `ROLLCALL_TEST_POSTGRES` (a role that may create databases, as
//! the tests use; `.ci/run` sets one up). Without it the bench says so and stops.
//! `cargo bench --bench trust` prints each row beside its goal.

use rollcall::clock::ManualClock;
use rollcall::demo::{DemoOptions, build};
use rollcall::service::protocol::{MarkRequest, RegisterId, Request};
use rollcall::service::{Client, Engine};
use rollcall::store::{Access, Store};
use rollcall::trust::connect::Target;
use rollcall::trust::publish::publish;
use rollcall::trust::report::{TrustBy, trust_report};
use std::sync::Arc;
use std::time::Instant;

/// A school's run with a day's changes: seconds, well under a publish every few minutes.
const GOAL_DAY_S: f64 = 2.0;
/// The trust report over a year, the trust's schools together.
const GOAL_REPORT_S: f64 = 5.0;

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let Ok(admin) = std::env::var("ROLLCALL_TEST_POSTGRES") else {
        println!("trust: no PostgreSQL (set ROLLCALL_TEST_POSTGRES): not measured");
        return;
    };
    let schools = env_number("SCHOOLS", 20);
    let pupils = env_number("PUPILS", 300);
    let name = format!("rc_bench_trust_{}", std::process::id());
    let mut pg = postgres::Client::connect(&admin, postgres::NoTls).expect("the server");
    pg.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a database");
    let url = format!("{}/{name}", admin.rsplit_once('/').expect("a URL").0);
    let target = Target::new(Some(&url)).expect("the target");
    let dir = tempfile::tempdir().expect("a scratch directory");
    let now = chrono::NaiveDateTime::parse_from_str("2027-07-16T16:00", "%Y-%m-%dT%H:%M")
        .expect("a time");
    let (mut first, mut again, mut sessions) = (Vec::new(), Vec::new(), 0u64);
    for i in 0..schools {
        let path = dir.path().join(format!("school{i}.redb"));
        let options = DemoOptions {
            pupils,
            weeks: 0,
            years: Some(1),
            seed: u64::from(i) + 1,
            account: "bench".into(),
            now,
            progress: false,
            secondary: false,
        };
        build(&path, &options).expect("a demo school");
        let store = Store::open(&path, Access::ReadWrite).expect("the school");
        let (source, changes) = {
            let r = store.read().expect("a read");
            let source = r
                .school_source()
                .expect("its configuration")
                .expect("a configuration");
            // Thirty pupils' mornings today, as an office's morning changes them.
            let mut changes = Vec::new();
            for group in r.group_names().expect("the groups").into_values() {
                for upn in r.roll(&group, now.date()).expect("a roll") {
                    if changes.len() < 30 {
                        changes.push((group.clone(), upn));
                    }
                }
            }
            (source, changes)
        };
        let clock = Arc::new(ManualClock::new(now));
        let engine = Arc::new(Engine::new(store, clock, false).expect("an engine"));
        let mut head = Client::local(engine, "bench".into());
        head.done(Request::Init {
            file: "school.toml".into(),
            source: source.replace("urn = \"999999\"", &format!("urn = \"{}\"", 100_000 + i)),
        })
        .expect("its URN");
        let started = Instant::now();
        let done = publish(&mut head, &target).expect("published");
        first.push(started.elapsed().as_secs_f64());
        sessions += done.sessions;
        // The day's marks changed, then published.
        for (group, upn) in changes {
            let _ = head.mark(MarkRequest {
                register: RegisterId::new(
                    &group,
                    now.date(),
                    rollcall::domain::session::Session::Am,
                ),
                upn,
                code: "I".into(),
                arrived: None,
                note: None,
                reason: Some("bench".into()),
                expect: Default::default(),
                replace_office_mark: false,
                batch: None,
            });
        }
        let started = Instant::now();
        publish(&mut head, &target).expect("published again");
        again.push(started.elapsed().as_secs_f64());
    }
    let year_from = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date");
    let report = |by| {
        let started = Instant::now();
        let rows = trust_report(&mut pg_for(&url), year_from, now.date(), by).expect("the report");
        (started.elapsed().as_secs_f64(), rows.len())
    };
    let (by_school, rows) = report(TrustBy::School);
    let (by_year, _) = report(TrustBy::Year);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let verdict = |s: f64, goal: f64| if s <= goal { "ok" } else { "OVER GOAL" };
    println!(
        "trust: {schools} schools x {pupils} pupils, a school year each: {sessions} sessions published"
    );
    println!(
        "  first publish (everything) a school: mean {:.2} s, max {:.2} s",
        mean(&first),
        max(&first)
    );
    println!(
        "  a day's changes published: mean {:.3} s, max {:.3} s (goal: at most {GOAL_DAY_S} s) {}",
        mean(&again),
        max(&again),
        verdict(max(&again), GOAL_DAY_S)
    );
    println!(
        "  trust report over the year by school ({rows} rows): {by_school:.3} s; by year: {by_year:.3} s (goal: at most {GOAL_REPORT_S} s) {}",
        verdict(by_school.max(by_year), GOAL_REPORT_S)
    );
    let _ = pg.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

fn pg_for(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("the trust's database")
}

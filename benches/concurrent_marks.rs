//! Forty teachers at 8:45: 40 clients, each taking a 30-pupil register at the same moment
//! through `rollcall serve`'s socket, every mark a durable round trip.
//!
//! `cargo bench --bench concurrent_marks` prints marks per second and the p50 / p99 round
//! trip; figures are recorded in docs/PERFORMANCE.md (target: p99 under 20 ms on 2 cores).
//! `ROUNDS=n` sets how many mornings to run (default 5).

use rollcall::clock::FixedClock;
use rollcall::server::{ServeOptions, serve};
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{MarkRequest, Request};
use rollcall::service::remote::Remote;
use rollcall::service::{Client, Engine, os_account};
use rollcall::store::Store;
use std::fmt::Write as _;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CLIENTS: usize = 40;
const PUPILS: usize = 30;

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.redb");
    let socket = dir.path().join("school.sock");
    let me = os_account();

    // A school of 40 groups of 30, the bench's account as admin.
    let mut config = include_str!("../school.example.toml").to_string();
    let groups_at = config.find("[[groups]]").unwrap();
    config.truncate(groups_at);
    for g in 0..CLIENTS {
        writeln!(
            config,
            "[[groups]]\nname = \"G{g:02}\"\ntutors = [\"{me}\"]\n"
        )
        .unwrap();
    }
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for g in 0..CLIENTS {
        for p in 0..PUPILS {
            writeln!(
                csv,
                "{},Pupil{p:02},G{g:02},2015-01-01,6,G{g:02}",
                rollcall::domain::people::upn_with_check_letter(&format!("{:012}", g * 100 + p))
            )
            .unwrap();
        }
    }
    let clock = Arc::new(FixedClock(
        rollcall::clock::parse_datetime("2026-11-20T15:00").unwrap(),
    ));
    let engine = Arc::new(Engine::new(Store::create(&db, &config).unwrap(), clock, true).unwrap());
    let mut admin = Client::local(engine.clone(), me.clone());
    admin
        .done(Request::Init {
            file: "bench.toml".into(),
            source: config,
        })
        .unwrap();
    admin
        .done(Request::StaffAdd {
            staff: rollcall::domain::people::Staff {
                account: me.clone(),
                name: "Bench".into(),
                position: "Admin".into(),
                role: rollcall::domain::register::Role::Admin,
            },
        })
        .unwrap();
    admin
        .import_pupils(
            "bench.csv".into(),
            csv,
            Some(rollcall::domain::dates::parse("2026-09-01").unwrap()),
            false,
        )
        .unwrap();

    let options = ServeOptions {
        socket: socket.clone(),
        group: None,
    };
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let server_engine = engine.clone();
    std::thread::spawn(move || {
        serve(server_engine, &options, move || ready_tx.send(()).unwrap()).unwrap()
    });
    ready_rx.recv().unwrap();

    // Future school sessions: registers not yet open, so each mark is a plain pre-entry.
    let days = [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
    ];
    let mornings: Vec<(String, &str)> = days
        .iter()
        .flat_map(|d| [(d.to_string(), "am"), (d.to_string(), "pm")])
        .take(rounds)
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut total_marks = 0usize;
    let mut total_time = Duration::ZERO;
    for (date, session) in &mornings {
        let barrier = Arc::new(Barrier::new(CLIENTS));
        let start = Instant::now();
        let handles: Vec<_> = (0..CLIENTS)
            .map(|g| {
                let barrier = barrier.clone();
                let socket = socket.clone();
                let (date, session) = (date.clone(), session.to_string());
                std::thread::spawn(move || {
                    let mut client = Client::new(Box::new(Remote::connect(&socket).unwrap()));
                    barrier.wait();
                    let mut times = Vec::with_capacity(PUPILS);
                    for p in 0..PUPILS {
                        let request = MarkRequest {
                            register: RegisterId {
                                group: format!("G{g:02}"),
                                date: rollcall::domain::dates::parse(&date).unwrap(),
                                session: session.parse().unwrap(),
                            },
                            upn: rollcall::domain::people::upn_with_check_letter(&format!(
                                "{:012}",
                                g * 100 + p
                            )),
                            code: "M".into(),
                            expect: rollcall::service::protocol::Expect::Blank,
                            ..MarkRequest::default()
                        };
                        let t = Instant::now();
                        client.mark(request).unwrap();
                        times.push(t.elapsed());
                    }
                    times
                })
            })
            .collect();
        for h in handles {
            latencies.extend(h.join().unwrap());
        }
        total_time += start.elapsed();
        total_marks += CLIENTS * PUPILS;
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "concurrent_marks: {CLIENTS} clients x {PUPILS} pupils x {} rounds = {total_marks} marks",
        mornings.len()
    );
    println!(
        "  throughput: {:.0} marks/s",
        total_marks as f64 / total_time.as_secs_f64()
    );
    println!(
        "  round trip: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap())
    );
    // Every mark stored exactly once.
    let rows = admin
        .export(
            rollcall::domain::dates::parse("2026-11-01").unwrap(),
            rollcall::domain::dates::parse("2026-12-31").unwrap(),
            None,
        )
        .unwrap();
    assert_eq!(rows.len(), total_marks);
}

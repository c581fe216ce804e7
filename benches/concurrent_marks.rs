//! Forty teachers at 8:45: 40 clients, each taking a 30-pupil register at the same moment
//! through `rollcall serve`'s socket, every mark a durable round trip.
//!
//! Each teacher is an operating-system account of its own in a process of its own, as in a
//! school (the server takes at most 32 connections an account): run as root, the bench makes
//! the accounts `rcbench00`-`rcbench39` (group `rcbench`) if they are missing. Without root it
//! runs 32 clients as its own account and says so.
//!
//! `cargo bench --bench concurrent_marks` prints marks per second and the p50 / p90 / p99 /
//! max round trip beside the goal (p99 under 20 ms on 2 cores). `ROUNDS=n` sets how many mornings to run (default 5, at most 8).

use rollcall::clock::ManualClock;
use rollcall::server::{ServeOptions, serve};
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{MarkRequest, Request};
use rollcall::service::remote::Remote;
use rollcall::service::{Client, Engine, os_account};
use rollcall::store::Store;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 40;
const PUPILS: usize = 30;
const GOAL_P99_MS: f64 = 20.0;

fn upn(g: usize, p: usize) -> String {
    rollcall::domain::people::upn_with_check_letter(&format!("{:012}", g * 100 + p))
}

/// One teacher: connects, waits for the word, marks their 30 pupils, prints each round trip
/// in microseconds.
fn teacher(socket: &str, g: usize, date: &str, session: &str) {
    let mut client = Client::new(Box::new(
        Remote::connect(std::path::Path::new(socket)).unwrap(),
    ));
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut go = String::new();
    std::io::stdin().lock().read_line(&mut go).unwrap();
    let mut out = String::new();
    for p in 0..PUPILS {
        let request = MarkRequest {
            register: RegisterId {
                group: format!("G{g:02}"),
                date: rollcall::domain::dates::parse(date).unwrap(),
                session: session.parse().unwrap(),
            },
            upn: upn(g, p),
            code: "/".into(),
            expect: rollcall::service::protocol::Expect::Blank,
            ..MarkRequest::default()
        };
        let t = Instant::now();
        client.mark(request).unwrap();
        writeln!(out, "{}", t.elapsed().as_micros()).unwrap();
    }
    print!("{out}");
}

/// A teacher's account name, and the uid and gid to run as (`None`: the bench's own).
type Teacher = (String, Option<(u32, u32)>);

/// The accounts the teachers run as: their own when run as root, else the bench's.
fn accounts() -> (Vec<Teacher>, Option<String>) {
    if !nix::unistd::geteuid().is_root() {
        let me = os_account();
        return (vec![(me, None); 32], None);
    }
    let group = "rcbench";
    if nix::unistd::Group::from_name(group).unwrap().is_none() {
        Command::new("groupadd")
            .args(["--system", group])
            .status()
            .unwrap();
    }
    let gid = nix::unistd::Group::from_name(group)
        .unwrap()
        .unwrap()
        .gid
        .as_raw();
    let mut out = Vec::new();
    for g in 0..CLIENTS {
        let name = format!("rcbench{g:02}");
        if nix::unistd::User::from_name(&name).unwrap().is_none() {
            Command::new("useradd")
                .args([
                    "--no-create-home",
                    "--no-user-group",
                    "--gid",
                    group,
                    "--shell",
                    "/usr/sbin/nologin",
                    &name,
                ])
                .status()
                .unwrap();
        }
        let uid = nix::unistd::User::from_name(&name)
            .unwrap()
            .unwrap()
            .uid
            .as_raw();
        out.push((name, Some((uid, gid))));
    }
    (out, Some(group.to_string()))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--teacher") {
        let g: usize = args[at + 2].parse().unwrap();
        teacher(&args[at + 1], g, &args[at + 3], &args[at + 4]);
        return;
    }
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let (teachers, group) = accounts();
    let clients = teachers.len();
    let dir = tempfile::tempdir().unwrap();
    // The teachers' accounts reach the socket through the directory.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o711),
    )
    .unwrap();
    let db = dir.path().join("school.redb");
    let socket = dir.path().join("school.sock");
    let me = os_account();

    // A school of a group of 30 for each teacher, the bench's account as admin.
    let mut config = include_str!("../school.example.toml").to_string();
    let groups_at = config.find("[[groups]]").unwrap();
    config.truncate(groups_at);
    for (g, (account, _)) in teachers.iter().enumerate() {
        writeln!(
            config,
            "[[groups]]\nname = \"G{g:02}\"\ntutors = [\"{account}\"]\n"
        )
        .unwrap();
    }
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for g in 0..clients {
        for p in 0..PUPILS {
            writeln!(
                csv,
                "{},Pupil{p:02},G{g:02},2015-01-01,6,G{g:02}",
                upn(g, p)
            )
            .unwrap();
        }
    }
    // The clock moves to 8:45 on each morning: teachers mark only today's registers.
    let clock = Arc::new(ManualClock::new(
        rollcall::clock::parse_datetime("2026-11-20T15:00").unwrap(),
    ));
    let engine =
        Arc::new(Engine::new(Store::create(&db, &config).unwrap(), clock.clone(), true).unwrap());
    let mut admin = Client::local(engine.clone(), me.clone());
    admin
        .done(Request::Init {
            file: "bench.toml".into(),
            source: config,
        })
        .unwrap();
    let mut staff = vec![(me.clone(), rollcall::domain::register::Role::Admin)];
    for (account, _) in &teachers {
        if *account != me {
            staff.push((account.clone(), rollcall::domain::register::Role::Teacher));
        }
    }
    for (account, role) in staff {
        admin
            .done(Request::StaffAdd {
                staff: rollcall::domain::people::Staff {
                    account: account.clone(),
                    name: account,
                    position: "Bench".into(),
                    role,
                },
            })
            .unwrap();
    }
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
        group,
    };
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let server_engine = engine.clone();
    std::thread::spawn(move || {
        serve(server_engine, &options, move || ready_tx.send(()).unwrap()).unwrap()
    });
    ready_rx.recv().unwrap();

    // A school morning each round, marked at 8:45 before the register begins.
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
    let mornings: Vec<(&str, &str)> = days.iter().map(|d| (*d, "am")).take(rounds).collect();
    let me_exe = std::env::current_exe().unwrap();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut total_marks = 0usize;
    let mut total_time = Duration::ZERO;
    for (date, session) in &mornings {
        clock.set(rollcall::clock::parse_datetime(&format!("{date}T08:45")).unwrap());
        // Every teacher connected and waiting, then all told to start at once.
        let mut children: Vec<_> = teachers
            .iter()
            .enumerate()
            .map(|(g, (_, ids))| {
                let mut c = Command::new(&me_exe);
                c.args([
                    "--teacher",
                    socket.to_str().unwrap(),
                    &g.to_string(),
                    date,
                    session,
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped());
                if let Some((uid, gid)) = ids {
                    c.uid(*uid).gid(*gid);
                }
                c.spawn().unwrap()
            })
            .collect();
        let mut readers: Vec<_> = children
            .iter_mut()
            .map(|c| std::io::BufReader::new(c.stdout.take().unwrap()))
            .collect();
        for r in &mut readers {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            assert_eq!(line.trim(), "ready");
        }
        let start = Instant::now();
        for c in &mut children {
            writeln!(c.stdin.as_mut().unwrap(), "go").unwrap();
        }
        for (c, r) in children.iter_mut().zip(readers) {
            for line in r.lines() {
                latencies.push(Duration::from_micros(line.unwrap().trim().parse().unwrap()));
            }
            assert!(c.wait().unwrap().success());
        }
        total_time += start.elapsed();
        total_marks += clients * PUPILS;
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "concurrent_marks: {clients} clients{} x {PUPILS} pupils x {} rounds = {total_marks} marks",
        if clients < CLIENTS {
            " (not root: one account, at most 32 connections)"
        } else {
            ", each its own account and process"
        },
        mornings.len()
    );
    println!(
        "  throughput: {:.0} marks/s",
        total_marks as f64 / total_time.as_secs_f64()
    );
    let p99 = ms(pct(0.99));
    println!(
        "  round trip: p50 {:.2} ms, p90 {:.2} ms, p99 {p99:.2} ms, max {:.2} ms{}",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(*latencies.last().unwrap()),
        if p99 > GOAL_P99_MS {
            format!("  OVER GOAL (p99 at most {GOAL_P99_MS} ms)")
        } else {
            format!("  (goal: p99 at most {GOAL_P99_MS} ms)")
        }
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

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
//!
//! Then a secondary's period 3 (issue 24): sixty teachers, each marking a 30-pupil lesson
//! register at the start of the period through the same socket (`rcbench00`-`rcbench59` when
//! run as root), every lesson mark a durable round trip that also decides who is missing.

use rollcall::clock::ManualClock;
use rollcall::domain::lessons::LessonCode;
use rollcall::server::{ServeOptions, serve};
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{LessonRequest, MarkRequest, Request};
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
/// Teachers marking a lesson at the start of a period in a secondary of 1,800 pupils.
const LESSON_CLIENTS: usize = 60;
const PUPILS: usize = 30;
const GOAL_P99_MS: f64 = 20.0;

fn upn(g: usize, p: usize) -> String {
    rollcall::domain::people::upn_with_check_letter(&format!("{:012}", g * 100 + p))
}

/// One teacher: connects, waits for the word, marks their 30 pupils, prints each round trip
/// in microseconds.
fn teacher(socket: &str, g: usize, date: &str, session: &str) {
    let lesson = session == "P3";
    let mut client = Client::new(Box::new(
        Remote::connect(std::path::Path::new(socket)).unwrap(),
    ));
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut go = String::new();
    std::io::stdin().lock().read_line(&mut go).unwrap();
    let mut out = String::new();
    for p in 0..PUPILS {
        if lesson {
            let request = Request::Lesson(LessonRequest::Mark {
                class: format!("C{g:02}"),
                date: rollcall::domain::dates::parse(date).unwrap(),
                period: "P3".into(),
                upn: upn(g, p),
                code: LessonCode::Present,
                arrived: None,
            });
            let t = Instant::now();
            client.call(request).unwrap();
            writeln!(out, "{}", t.elapsed().as_micros()).unwrap();
            continue;
        }
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
    for g in 0..LESSON_CLIENTS {
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
    let (everyone, group) = accounts();
    // Forty tutors at 8:45; all sixty teach in period 3.
    let teachers: Vec<Teacher> = everyone.iter().take(CLIENTS).cloned().collect();
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
    for (g, (account, _)) in everyone.iter().enumerate() {
        writeln!(
            config,
            "[[groups]]\nname = \"G{g:02}\"\ntutors = [\"{account}\"]\n"
        )
        .unwrap();
    }
    config.push_str(
        "[[periods]]\nname = \"P1\"\nstart = \"09:40\"\nend = \"10:40\"\n\n\
         [[periods]]\nname = \"P2\"\nstart = \"10:40\"\nend = \"11:40\"\n\n\
         [[periods]]\nname = \"P3\"\nstart = \"12:00\"\nend = \"13:00\"\n\n",
    );
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for g in 0..everyone.len() {
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
    for (account, _) in &everyone {
        if *account != me && !staff.iter().any(|(a, _)| a == account) {
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
        let (took, mut times) = round(&me_exe, &socket, &teachers, date, session);
        latencies.append(&mut times);
        total_time += took;
        total_marks += clients * PUPILS;
    }
    report(
        &format!(
            "concurrent_marks: {clients} clients{} x {PUPILS} pupils x {} rounds = {total_marks} marks",
            if clients < CLIENTS {
                " (not root: one account, at most 32 connections)"
            } else {
                ", each its own account and process"
            },
            mornings.len()
        ),
        latencies,
        total_marks,
        total_time,
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
    period_three(&mut admin, &clock, &me_exe, &socket, &everyone);
}

/// A secondary's period 3: a class of 30 for each teacher, the timetable, and every teacher
/// marking their lesson at the start of the period at once.
fn period_three(
    admin: &mut Client,
    clock: &ManualClock,
    me_exe: &std::path::Path,
    socket: &std::path::Path,
    teachers: &[Teacher],
) {
    let mut classes = String::from("class,upn,subject\n");
    let mut timetable = String::from("class,weekday,period,teacher,room\n");
    for (g, (account, ids)) in teachers.iter().enumerate() {
        for p in 0..PUPILS {
            writeln!(classes, "C{g:02},{},Maths", upn(g, p)).unwrap();
        }
        // Not root, one account would teach in every room at once: the timetable names a
        // teacher a class, and the bench's account marks as the admin it is.
        let teacher = if ids.is_some() {
            account.clone()
        } else {
            let name = format!("benchteacher{g:02}");
            admin
                .done(Request::StaffAdd {
                    staff: rollcall::domain::people::Staff {
                        account: name.clone(),
                        name: name.clone(),
                        position: "Bench".into(),
                        role: rollcall::domain::register::Role::Teacher,
                    },
                })
                .unwrap();
            name
        };
        writeln!(timetable, "C{g:02},Mon,P3,{teacher},R{g:02}").unwrap();
    }
    for request in [
        LessonRequest::ImportClasses {
            file: "bench classes".into(),
            csv: classes,
            dry_run: false,
        },
        LessonRequest::ImportTimetable {
            file: "bench timetable".into(),
            csv: timetable,
            dry_run: false,
        },
    ] {
        admin.lesson(request).unwrap();
    }
    clock.set(rollcall::clock::parse_datetime("2026-12-07T12:01").unwrap());
    let (took, latencies) = round(me_exe, socket, teachers, "2026-12-07", "P3");
    let marks = teachers.len() * PUPILS;
    report(
        &format!(
            "lesson_marks: {} teachers x {PUPILS} pupils in period 3 = {marks} lesson marks{}",
            teachers.len(),
            if teachers.len() < LESSON_CLIENTS {
                " (not root: one account, at most 32 connections)"
            } else {
                ", each its own account and process"
            }
        ),
        latencies,
        marks,
        took,
    );
    // Every lesson mark stored exactly once.
    let rollcall::service::protocol::LessonResponse::Report { rows } = admin
        .lesson(LessonRequest::Report {
            from: rollcall::domain::dates::parse("2026-12-07").unwrap(),
            to: rollcall::domain::dates::parse("2026-12-07").unwrap(),
            by: rollcall::service::protocol::LessonReportBy::Class,
        })
        .unwrap()
    else {
        panic!("no lesson report");
    };
    assert_eq!(
        rows.iter().map(|r| r.lessons as usize).sum::<usize>(),
        marks
    );
}

/// Throughput and the round trips' percentiles beside the goal.
fn report(title: &str, mut latencies: Vec<Duration>, marks: usize, time: Duration) {
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{title}");
    println!(
        "  throughput: {:.0} marks/s",
        marks as f64 / time.as_secs_f64()
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
}

/// One round: every teacher connected and waiting, all told to start at once, each marking
/// their 30 pupils; how long it took and every round trip.
fn round(
    me_exe: &std::path::Path,
    socket: &std::path::Path,
    teachers: &[Teacher],
    date: &str,
    session: &str,
) -> (Duration, Vec<Duration>) {
    let mut latencies = Vec::new();
    // Every teacher connected and waiting, then all told to start at once.
    let mut children: Vec<_> = teachers
        .iter()
        .enumerate()
        .map(|(g, (_, ids))| {
            let mut c = Command::new(me_exe);
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
    (start.elapsed(), latencies)
}

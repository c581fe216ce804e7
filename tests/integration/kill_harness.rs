//! The kill -9 harness: a server killed while four clients mark, and `mark-batch` processes
//! killed while they save, at moments a seeded generator chooses. After every kill the file is
//! opened read-write (redb's whole-file check), and at the end every mark anyone was told was
//! saved is there and every mark told "not saved" is not.
//!
//! Ignored in a plain `cargo test` (it takes about half a minute); `.ci/run` runs it:
//! `cargo test --test integration -- --ignored kill_harness`. `KILLS=n` sets the kills of each
//! kind (default 60, so 120 in all).

use crate::common::cli::{BIN, Cli};
use crate::common::*;
use crate::server::me;
use rollcall::service::ServiceError;
use rollcall::service::protocol::Expect;
use rollcall::store::{Access, Store};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn kills() -> usize {
    std::env::var("KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(60)
}

/// A small, seeded generator: the same moments every run.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// Every school session from 23 November to 31 March that a mark can be pre-entered for.
fn sessions() -> Vec<(String, &'static str)> {
    let school = rollcall::config::parse_school("school.toml", EXAMPLE).unwrap();
    school
        .calendar
        .school_sessions(d("2026-11-23"), d("2027-03-26"))
        .map(|(date, session)| (date.to_string(), session.as_str()))
        .collect()
}

/// Opens the file read-write, checking every page, and closes it: a clean reopen.
fn reopens_clean(db: &Path) {
    let store = Store::open(db, Access::ReadWrite)
        .unwrap_or_else(|e| panic!("the file did not reopen cleanly after a kill: {e}"));
    drop(store);
}

#[test]
#[ignore = "half a minute of kill -9; run by .ci/run with --ignored"]
fn kill_harness_server_and_mark_batch() {
    let (server_kills, acked_server, settled) = server_kills(kills());
    let (batch_kills, acked_batch) = batch_kills(kills());
    eprintln!(
        "kill harness: {server_kills} server kills ({acked_server} marks acknowledged, {settled} settled by looking after a lost reply), {batch_kills} mark-batch kills ({acked_batch} marks acknowledged); every acknowledged mark present, every reopen clean"
    );
}

/// (pupil, session index, told saved, settled by looking after a lost reply)
type Outcome = (usize, usize, bool, bool);

/// Kills a server `rounds` times while four clients pre-enter marks.
fn server_kills(rounds: usize) -> (usize, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let socket = dir.path().join("s.sock");
    let now = "2026-11-20T15:00";
    let mut server = Some(ServerProcess::start(&db, &socket, now, None));
    let sessions = sessions();
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (outcomes, stop, socket, sessions) = (
                outcomes.clone(),
                stop.clone(),
                socket.clone(),
                sessions.clone(),
            );
            std::thread::spawn(move || {
                let mut client = rollcall::service::Client::new(Box::new(
                    rollcall::service::remote::Remote::connect(&socket).unwrap(),
                ));
                // Worker w marks pupils w and w + 4 (Oak 0-4, Ash 5-7) through the sessions.
                for (i, (date, session)) in sessions.iter().enumerate() {
                    for pupil in [w, w + 4] {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let group = if pupil < 5 { "Oak" } else { "Ash" };
                        let mut m = mark(group, date, session, &upn(pupil), "M");
                        m.expect = Expect::Blank;
                        let outcome = match client.mark(m) {
                            Ok(o) => (
                                true,
                                o.explanation
                                    .is_some_and(|e| e.contains("checked after reconnecting")),
                            ),
                            Err(ServiceError::Disconnected(why)) => {
                                std::thread::sleep(Duration::from_millis(10));
                                (false, why.contains("checked after reconnecting"))
                            }
                            Err(e) => panic!("{e}"),
                        };
                        outcomes
                            .lock()
                            .unwrap()
                            .push((pupil, i, outcome.0, outcome.1));
                    }
                }
            })
        })
        .collect();
    let mut moments = Moments(0x0009_1111);
    for _ in 0..rounds {
        std::thread::sleep(Duration::from_millis(15 + moments.next_ms(60)));
        server.take().unwrap().kill();
        reopens_clean(&db);
        server = Some(ServerProcess::start(&db, &socket, now, None));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let mut client = server.as_ref().unwrap().client();
    let rows = client
        .export(d("2026-11-01"), d("2027-03-31"), None)
        .unwrap();
    let outcomes = outcomes.lock().unwrap().clone();
    for (pupil, i, told_saved, _) in &outcomes {
        let (date, session) = &sessions[*i];
        let stored = rows.iter().any(|r| {
            r.date.to_string() == *date && r.session.as_str() == *session && r.upn == upn(*pupil)
        });
        assert_eq!(
            stored, *told_saved,
            "pupil {pupil} {date} {session}: told saved = {told_saved}"
        );
    }
    let acked = outcomes.iter().filter(|o| o.2).count();
    assert_eq!(rows.len(), acked, "nothing stored that nobody was told of");
    (rounds, acked, outcomes.iter().filter(|o| o.3).count())
}

/// Kills `rounds` mark-batch processes part way through their lines.
fn batch_kills(rounds: usize) -> (usize, usize) {
    let cli = Cli::new();
    cli.school();
    let sessions = sessions();
    let mut acked: Vec<String> = Vec::new();
    let mut moments = Moments(0x00ba_7c11);
    let mut next = 0;
    for _ in 0..rounds {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&cli.db)
            .args(["--now", "2026-11-20T16:00", "mark-batch", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines: Vec<String> = (next..next + 40)
            .map(|k| {
                let (date, session) = &sessions[(k / 8) % sessions.len()];
                let pupil = k % 8;
                let group = if pupil < 5 { "Oak" } else { "Ash" };
                format!("{group},{session},{date},{},I\n", upn(pupil))
            })
            .collect();
        next += 40;
        let feeder = std::thread::spawn(move || {
            for line in lines {
                if stdin.write_all(line.as_bytes()).is_err() {
                    return;
                }
            }
        });
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.starts_with("saved "))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(5 + moments.next_ms(120)));
        let _ = child.kill();
        let _ = child.wait();
        let _ = feeder.join();
        acked.extend(reader.join().unwrap());
        reopens_clean(&cli.db);
    }
    let export = cli.ok(
        "2027-04-01T12:00",
        &[
            "export",
            "marks",
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-31",
        ],
    );
    let stored: Vec<String> = export
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("saved {} {} {} {}", f[0], f[1].to_uppercase(), f[2], f[6])
        })
        .collect();
    for line in &acked {
        assert!(stored.contains(line), "told saved but missing: {line}");
    }
    (rounds, acked.len())
}

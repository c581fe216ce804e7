//! What issue 20 pins by counting, not by timing (timings live in `benches/`): a CLI mark
//! commits once, opening a file reads what is proportional to the school and not to its
//! history, and an import's memory grows with its file only by the file itself.
//! The counts come from strace (`.ci/run` installs it); without it these stand down and say so.

use crate::common::cli::{BIN, Cli};
use std::path::Path;
use std::process::Command;

/// strace is required where `ROLLCALL_E2E` is set; elsewhere a test without it stands down.
fn strace_available(test: &str) -> bool {
    let found = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("ROLLCALL_E2E").is_none(),
            "ROLLCALL_E2E is set but strace is not installed"
        );
        eprintln!("strace not installed: {test} stands down (.ci/run installs it)");
    }
    found
}

/// What a command did: (syncs, bytes read with pread64).
fn traced(cli: &Cli, now: &str, args: &[&str]) -> (usize, u64) {
    let log = cli.dir.path().join("trace");
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=fsync,fdatasync,pread64", "-o"])
        .arg(&log)
        .arg(BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", now])
        .args(args)
        .env("HOME", cli.dir.path())
        .output()
        .unwrap();
    let _ = out;
    let text = std::fs::read_to_string(&log).unwrap();
    let syncs = text
        .lines()
        .filter(|l| l.contains("fsync(") || l.contains("fdatasync("))
        .count();
    let read = text
        .lines()
        .filter(|l| l.contains("pread64("))
        .filter_map(|l| {
            l.rsplit_once("= ")
                .and_then(|(_, n)| n.trim().parse::<u64>().ok())
        })
        .sum();
    (syncs, read)
}

const MARK: [&str; 9] = [
    "mark",
    "--group",
    "Oak",
    "--session",
    "am",
    "--pupil",
    "A100000000016",
    "--code",
    "/",
];

/// A mark from the command line is one commit: beyond redb's syncs for opening and closing
/// the file (as a command refused before writing makes them), two: redb's for the first write
/// to an opened file, and the mark's commit (no whole-file check, no second commit: 10 in all
/// before issue 20, 7 now).
#[test]
#[cfg_attr(
    not(rollcall_strace),
    ignore = "needs strace (apt-get install strace; .ci/run installs it)"
)]
fn a_cli_mark_commits_once() {
    if !strace_available("a_cli_mark_commits_once") {
        return;
    }
    let cli = Cli::new();
    cli.school();
    // Opened for writing and refused before any write: redb's open and close alone.
    let mut refused = MARK;
    refused[6] = "A100000000809";
    let (baseline, _) = traced(&cli, "2026-11-23T09:00", &refused);
    let (syncs, _) = traced(&cli, "2026-11-23T09:00", &MARK);
    assert!(
        syncs <= baseline + 2,
        "a mark syncs {syncs}, opening and closing {baseline}"
    );
}

/// Opening a school's file for writing reads what is proportional to the school, not to its
/// history: the same mark on a school with ten times the weeks of marks reads about as much.
#[test]
#[cfg_attr(
    not(rollcall_strace),
    ignore = "needs strace (apt-get install strace; .ci/run installs it)"
)]
fn opening_reads_a_bounded_number_of_pages_whatever_the_history() {
    if !strace_available("opening_reads_a_bounded_number_of_pages") {
        return;
    }
    let read = |history: &[&str]| {
        let cli = Cli::new();
        let mut args = vec!["demo", "--pupils", "60", "--replace", "--seed", "3"];
        args.extend(history);
        cli.ok("2026-12-02T08:50", &args);
        let upn = cli
            .ok(
                "2026-12-02T08:50",
                &[
                    "export",
                    "marks",
                    "--from",
                    "2026-12-01",
                    "--to",
                    "2026-12-01",
                ],
            )
            .lines()
            .nth(1)
            .map(|l| l.split(',').nth(2).unwrap().to_string())
            .unwrap();
        let group = cli
            .ok(
                "2026-12-02T08:50",
                &[
                    "export",
                    "marks",
                    "--from",
                    "2026-12-01",
                    "--to",
                    "2026-12-01",
                ],
            )
            .lines()
            .nth(1)
            .map(|l| l.split(',').nth(5).unwrap().to_string())
            .unwrap();
        let file = std::fs::metadata(&cli.db).unwrap().len();
        let (_, read) = traced(
            &cli,
            "2026-12-02T08:50",
            &[
                "mark",
                "--group",
                &group,
                "--session",
                "pm",
                "--pupil",
                &upn,
                "--code",
                "M",
            ],
        );
        (read, file)
    };
    let (short, short_file) = read(&["--weeks", "2"]);
    let (long, long_file) = read(&["--years", "3"]);
    eprintln!(
        "a mark read {short} bytes of {short_file} (2 weeks), {long} of {long_file} (3 years)"
    );
    assert!(
        long_file > 3 * short_file,
        "{short_file} → {long_file} bytes"
    );
    assert!(
        long < short + short / 2,
        "a mark read {short} bytes after 2 weeks and {long} after 3 years"
    );
}

/// Peak memory of a command, from the kernel's account of the child.
fn peak_kb(cli: &Cli, args: &[&str], file: &Path) -> u64 {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&cli.db)
        .args(["--now", "2026-12-02T15:00"])
        .args(args)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill; the pid is our child's.
    let mut usage: nix::libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { nix::libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let _ = child.try_wait();
    assert!(nix::libc::WIFEXITED(status) && nix::libc::WEXITSTATUS(status) == 0);
    usage.ru_maxrss as u64
}

/// An import's memory grows with its file by about the file itself (it is read whole, as a
/// spreadsheet's encoding needs), not by a copy of every row.
#[test]
fn an_imports_memory_grows_only_by_its_file() {
    let cli = Cli::new();
    cli.ok(
        "2026-12-02T08:50",
        &[
            "demo",
            "--pupils",
            "300",
            "--weeks",
            "12",
            "--replace",
            "--seed",
            "5",
        ],
    );
    let export = |from: &str, name: &str| {
        let csv = cli.ok(
            "2026-12-02T15:00",
            &["export", "marks", "--from", from, "--to", "2026-12-01"],
        );
        let path = cli.file(name, &csv);
        (path, csv.len() as u64)
    };
    let (small, small_bytes) = export("2026-11-23", "small.csv");
    let (big, big_bytes) = export("2026-09-01", "big.csv");
    assert!(big_bytes > 5 * small_bytes);
    let small_kb = peak_kb(&cli, &["import", "marks", "--dry-run"], &small);
    let big_kb = peak_kb(&cli, &["import", "marks", "--dry-run"], &big);
    let grew = big_kb.saturating_sub(small_kb) * 1024;
    let file_grew = big_bytes - small_bytes;
    eprintln!(
        "import: {small_bytes} B file, peak {small_kb} KB; {big_bytes} B file, peak {big_kb} KB"
    );
    assert!(
        grew < 3 * file_grew,
        "memory grew {grew} bytes for a file {file_grew} bytes larger ({small_kb} → {big_kb} KB)"
    );
}

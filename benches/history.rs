//! Six years of a 2,000-pupil school: every row of the goals in docs/PERFORMANCE.md that a
//! school's size and history can move, on schools of one and six school years (three too with
//! `YEARS=1,3,6`): the size of the database; start to first frame (warm and cold); a register
//! opened; a keystroke to its frame; a saved mark against a raw 4 KiB write + fdatasync in the
//! same loop; a CLI mark (time, syncs, bytes read); every report and desk request; the memory
//! of export, import and backup; the app's memory; the bytes a marking key sends to the
//! terminal. Each figure is printed beside its goal, and at the end every row with its
//! one-year and six-year figures, their ratio, and `OVER GOAL` where it misses. Forty
//! teachers at once is `benches/concurrent_marks.rs`.
//!
//! `cargo bench --bench history` builds the schools with `rollcall demo` (through the engine,
//! about a minute for six years) into `target/bench-history/` and keeps them for the next run
//! (one per schema version); `YEARS=1,6` chooses the schools, `RUNS=n` the runs per timing
//! (median; default 5), `BENCH_KEYS=1` prints every key's bytes, `ROWS=requests` measures only the
//! report and desk requests (seconds, not minutes). Each memory figure is
//! measured in a fresh process (this benchmark runs itself again with `ROLLCALL_BENCH_ONE`).
//! Figures go in docs/PERFORMANCE.md.

use rollcall::app::Action;
use rollcall::clock::ManualClock;
use rollcall::domain::session::Session;
use rollcall::keymap::{Key, Keymap};
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{CaseRequest, MarkRequest, ReportBy, Request, Response};
use rollcall::service::{Client, Engine, os_account};
use rollcall::store::{Access, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

const PUPILS: u32 = 2000;
/// The end of a summer term: every school year of the demo is whole.
const NOW: &str = "2026-07-16T09:10";
/// The afternoon of that day: no register has been taken yet.
const AFTERNOON: &str = "2026-07-16T13:20";
const YEAR_FROM: &str = "2025-09-01";
const YEAR_TO: &str = "2026-07-31";
const BIN: &str = env!("CARGO_BIN_EXE_rollcall");

fn at(s: &str) -> chrono::NaiveDateTime {
    rollcall::clock::parse_datetime(s).unwrap()
}

fn date(s: &str) -> chrono::NaiveDate {
    rollcall::domain::dates::parse(s).unwrap()
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-history");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The school of `years` years at this build's schema, built on first use.
fn school(years: u32) -> (PathBuf, u64) {
    let schema = rollcall::store::schema::SCHEMA_VERSION;
    let path = data_dir().join(format!("y{years}-schema{schema}.redb"));
    let marks_file = path.with_extension("marks");
    if !path.exists() || !marks_file.exists() {
        let _ = std::fs::remove_file(&path);
        eprintln!("building the {years}-year school at {} ...", path.display());
        let started = Instant::now();
        let summary = rollcall::demo::build(
            &path,
            &rollcall::demo::DemoOptions {
                pupils: PUPILS,
                weeks: 0,
                years: Some(years),
                seed: 1,
                account: os_account(),
                now: at(NOW),
                progress: true,
                secondary: false,
            },
        )
        .unwrap();
        eprintln!(
            "  {} marks in {:.0} s",
            summary.marks,
            started.elapsed().as_secs_f64()
        );
        std::fs::write(&marks_file, summary.marks.to_string()).unwrap();
    }
    let marks = std::fs::read_to_string(&marks_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (path, marks)
}

fn engine(path: &Path, access: Access, now: &str) -> (Arc<Engine>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(at(now)));
    let store = Store::open(path, access).unwrap();
    (
        Arc::new(Engine::new(store, clock.clone(), false).unwrap()),
        clock,
    )
}

/// Bytes this process has written with write/pwrite (Linux `wchar`): what rollcall writes,
/// page by page, whatever the filesystem adds for its own bookkeeping.
fn written() -> u64 {
    io_counter("wchar:")
}

/// Bytes this process caused the disk to write (Linux `write_bytes`): rollcall's pages plus
/// the filesystem's journal and metadata for them.
fn written_to_disk() -> u64 {
    io_counter("write_bytes:")
}

fn io_counter(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}

/// Median milliseconds of `runs()` calls.
fn time_ms(mut f: impl FnMut()) -> f64 {
    f(); // warm
    median(
        (0..runs())
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn call(engine: &Engine, request: Request) -> Response {
    engine.handle(&os_account(), request).unwrap()
}

/// Which way a goal points.
#[derive(Clone, Copy)]
enum Goal {
    /// At most this.
    AtMost(f64),
    /// No goal of its own: shown for the growth from one year to six.
    None,
}

/// One measured figure.
struct Figure {
    name: String,
    value: f64,
    unit: &'static str,
    goal: Goal,
}

/// The figures of one school, printed as they are measured.
#[derive(Default)]
struct Figures(Vec<Figure>);

impl Figures {
    fn rec(&mut self, name: &str, value: f64, unit: &'static str, goal: Goal, note: &str) {
        let verdict = match goal {
            Goal::AtMost(g) if value > g => format!("  OVER GOAL (at most {g} {unit})"),
            Goal::AtMost(g) => format!("  (goal: at most {g} {unit})"),
            Goal::None => String::new(),
        };
        println!("{name}: {value:.2} {unit}{verdict}{note}");
        self.0.push(Figure {
            name: name.to_string(),
            value,
            unit,
            goal,
        });
    }
}

fn main() {
    if let Ok(which) = std::env::var("ROLLCALL_BENCH_ONE") {
        let db = PathBuf::from(std::env::var("ROLLCALL_BENCH_DB").unwrap());
        match which.as_str() {
            "app_memory" => app_memory(&db),
            "first_frame" => first_frame(&db),
            // For a profiler: the marking loop alone, on the copy it is given.
            "marking" => marking(&db, &mut Figures::default()),
            other => panic!("no measurement {other}"),
        }
        return;
    }
    let years: Vec<u32> = std::env::var("YEARS")
        .unwrap_or_else(|_| "1,6".into())
        .split(',')
        .filter_map(|y| y.trim().parse().ok())
        .collect();
    println!(
        "rollcall {} (schema {}), {} pupils, now {NOW}; medians of {} runs",
        env!("CARGO_PKG_VERSION"),
        rollcall::store::schema::SCHEMA_VERSION,
        PUPILS,
        runs()
    );
    let mut all: Vec<(u32, Figures)> = Vec::new();
    for y in years {
        let (path, marks) = school(y);
        println!("\n== {y} school year(s): {marks} marks");
        all.push((y, measure(&path, marks)));
    }
    summary(&all);
}

/// Every row, its figure for the first and the last school measured, their ratio, and the
/// rows past their goal.
fn summary(all: &[(u32, Figures)]) {
    let (Some((y0, first)), Some((y1, last))) = (all.first(), all.last()) else {
        return;
    };
    println!("\n== every row: {y0} year(s) → {y1} year(s)");
    let mut over = 0;
    for f in &first.0 {
        let Some(l) = last.0.iter().find(|l| l.name == f.name) else {
            continue;
        };
        let ratio = if f.value > 0.0 {
            l.value / f.value
        } else {
            1.0
        };
        let worst = f.value.max(l.value);
        let (goal, verdict) = match f.goal {
            Goal::AtMost(g) if worst > g => {
                over += 1;
                (format!("≤ {g}"), "OVER GOAL")
            }
            Goal::AtMost(g) => (format!("≤ {g}"), "ok"),
            Goal::None => (String::new(), ""),
        };
        println!(
            "{:<58} {:>10.2} → {:>10.2} {:<6} ×{ratio:<5.2} {goal:<10} {verdict}",
            f.name, f.value, l.value, f.unit
        );
    }
    println!("{over} row(s) over their goal");
}

fn measure(path: &Path, marks: u64) -> Figures {
    let mut fig = Figures::default();
    // Size: bytes per pupil-year, a pupil-year being 380 sessions.
    let size = std::fs::metadata(path).unwrap().len();
    let pupil_years = marks as f64 / 380.0;
    fig.rec(
        "database per pupil-year",
        size as f64 / pupil_years / 1024.0,
        "KB",
        Goal::AtMost(4.0),
        &format!(" ({:.1} MB)", size as f64 / 1e6),
    );

    // Read-only work writes nothing: open, report, close.
    {
        let modified = std::fs::metadata(path).unwrap().modified().unwrap();
        let before = written_to_disk() + written();
        let (e, _) = engine(path, Access::ReadOnly, NOW);
        call(
            &e,
            Request::Report {
                from: date(YEAR_FROM),
                to: date(YEAR_TO),
                by: ReportBy::School,
                filter: Default::default(),
            },
        );
        drop(e);
        let after = written_to_disk() + written();
        let unchanged = std::fs::metadata(path).unwrap().modified().unwrap() == modified;
        fig.rec(
            "bytes written by a read-only report",
            (after - before) as f64,
            "B",
            Goal::AtMost(0.0),
            if unchanged {
                ", file unchanged"
            } else {
                ", file MODIFIED"
            },
        );
    }

    // Timings, on a read-only open as the CLI and the app read.
    let (e, _) = engine(path, Access::ReadOnly, NOW);
    let requests: Vec<(&str, Request)> = vec![
        (
            "report --by pupil, a school year",
            Request::Report {
                from: date(YEAR_FROM),
                to: date(YEAR_TO),
                by: ReportBy::Pupil,
                filter: Default::default(),
            },
        ),
        (
            "report --by school, a school year",
            Request::Report {
                from: date(YEAR_FROM),
                to: date(YEAR_TO),
                by: ReportBy::School,
                filter: Default::default(),
            },
        ),
        ("alerts", Request::Alerts { on: None }),
        ("N queue", Request::NQueue { on: None }),
        (
            "today (the desk)",
            Request::Today {
                date: None,
                session: None,
            },
        ),
        (
            "on site (the fire list)",
            Request::OnSite {
                date: None,
                session: None,
            },
        ),
        ("stages of intervention", Request::Stages { on: None }),
        (
            "the class list (67 groups)",
            Request::ClassList { date: None },
        ),
        (
            "casework due (cases --due)",
            Request::Casework(CaseRequest::List {
                upn: None,
                open: true,
                due: true,
            }),
        ),
        (
            "suspensions this term",
            Request::Casework(CaseRequest::Suspensions { on: None }),
        ),
        (
            "a register opened (30 pupils, year-to-date figures)",
            Request::Register(RegisterId {
                group: "Oak".into(),
                date: date("2026-07-16"),
                session: Session::Am,
            }),
        ),
    ];
    for (name, request) in requests {
        let ms = time_ms(|| {
            call(&e, request.clone());
        });
        fig.rec(name, ms, "ms", Goal::AtMost(20.0), "");
    }
    drop(e);
    // `ROWS=requests`: only the rows above, for a change that moves no other.
    if std::env::var("ROWS").is_ok_and(|rows| rows == "requests") {
        return fig;
    }

    // A year's CLI report as a table, printed: the printing is part of it.
    let (_, seconds) = child_peak(
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(path)
            .args([
                "--now", NOW, "report", "--from", YEAR_FROM, "--to", YEAR_TO, "--by", "pupil",
            ])
            .stdout(std::process::Stdio::null()),
    );
    fig.rec(
        "`rollcall report --by pupil` (process, printed)",
        seconds * 1000.0,
        "ms",
        Goal::None,
        "",
    );

    // Export of a school year, in a process of its own: its peak memory and time.
    let exported = data_dir().join("year-export.csv");
    let (mb, seconds) = child_peak(
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(path)
            .args([
                "--now", NOW, "export", "marks", "--from", YEAR_FROM, "--to", YEAR_TO,
            ])
            .stdout(std::fs::File::create(&exported).unwrap()),
    );
    fig.rec(
        "export marks, a school year: peak memory",
        mb,
        "MB",
        Goal::AtMost(40.0),
        &format!(", {seconds:.1} s"),
    );

    // The app, as the office, viewing every register: its memory at the end.
    let (mb, _) = child_peak(
        std::process::Command::new(std::env::current_exe().unwrap())
            .env("ROLLCALL_BENCH_ONE", "app_memory")
            .env("ROLLCALL_BENCH_DB", path),
    );
    fig.rec(
        "app after viewing 67 registers",
        mb,
        "MB",
        Goal::AtMost(40.0),
        "",
    );

    // On a copy: start to first frame, CLI marks, import, backup, marking.
    let copy = data_dir().join("marking-copy.redb");
    let _ = std::fs::remove_file(&copy);
    std::fs::copy(path, &copy).unwrap();
    first_frames(&copy, &mut fig);
    cli_marks(&copy, &mut fig);
    let (mb, seconds) = child_peak(
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(&copy)
            .args(["--now", NOW, "import", "marks"])
            .arg(&exported)
            .stdout(std::process::Stdio::null()),
    );
    fig.rec(
        "import marks, a school year (each already there): peak memory",
        mb,
        "MB",
        Goal::AtMost(150.0),
        &format!(", {seconds:.1} s"),
    );
    fig.rec(
        "import marks, a school year: time",
        seconds,
        "s",
        Goal::AtMost(5.0),
        "",
    );
    let _ = std::fs::remove_dir_all(data_dir().join("backups"));
    let (mb, seconds) = child_peak(
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(&copy)
            .args(["--now", NOW, "backup", "bench.redb"])
            .stdout(std::process::Stdio::null()),
    );
    fig.rec(
        "backup, checked: peak memory",
        mb,
        "MB",
        Goal::None,
        &format!(", {seconds:.1} s"),
    );
    let _ = std::fs::remove_dir_all(data_dir().join("backups"));
    marking(&copy, &mut fig);
    let _ = std::fs::remove_file(&copy);
    let _ = std::fs::remove_file(&exported);
    fig
}

/// Evicts a file from the page cache, so the next open reads it from the disk.
fn evict(path: &Path) {
    let file = std::fs::File::open(path).unwrap();
    let _ = nix::fcntl::posix_fadvise(
        &file,
        0,
        0,
        nix::fcntl::PosixFadviseAdvice::POSIX_FADV_DONTNEED,
    );
}

/// Start to first frame: a fresh process opens the file for writing, as the app does on a
/// school without a server, and draws its first screen. Warm (the file in the page cache) and
/// cold (evicted first).
fn first_frames(db: &Path, fig: &mut Figures) {
    let run = |cold: bool| -> (f64, f64) {
        if cold {
            evict(db);
        }
        let started = Instant::now();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("ROLLCALL_BENCH_ONE", "first_frame")
            .env("ROLLCALL_BENCH_DB", db)
            .output()
            .unwrap();
        let whole = started.elapsed().as_secs_f64() * 1000.0;
        let inside: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        (inside, whole)
    };
    run(false);
    for cold in [false, true] {
        let runs: Vec<(f64, f64)> = (0..runs()).map(|_| run(cold)).collect();
        let inside = median(runs.iter().map(|r| r.0).collect());
        let whole = median(runs.iter().map(|r| r.1).collect());
        fig.rec(
            &format!(
                "start to first frame, {} (in the process)",
                if cold { "cold" } else { "warm" }
            ),
            inside,
            "ms",
            if cold { Goal::None } else { Goal::AtMost(10.0) },
            &format!(", {whole:.1} ms with the process's own start"),
        );
    }
}

/// The app's start, timed from inside: open for writing, the engine, the first screen drawn.
fn first_frame(db: &Path) {
    let started = Instant::now();
    let phases = std::env::var_os("BENCH_PHASES").is_some();
    let phase = |what: &str| {
        if phases {
            eprintln!("{what}: {:.2} ms", started.elapsed().as_secs_f64() * 1000.0);
        }
    };
    let clock = Arc::new(ManualClock::new(at(NOW)));
    let store = Store::open(db, Access::ReadWrite).unwrap();
    phase("store open");
    let e = Arc::new(Engine::new(store, clock, false).unwrap());
    phase("engine");
    let mut client = Client::local(e, os_account());
    let hello = client.hello().unwrap();
    phase("hello");
    let mut driver =
        rollcall::tui::Driver::new(client, hello, at(NOW), Keymap::defaults(), Vec::new());
    phase("driver (the class list loaded)");
    driver.dispatch(Action::Resize(80, 24));
    let backend = ratatui::backend::TestBackend::new(80, 24);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    driver
        .render(&mut terminal, rollcall::ui::Theme::plain())
        .unwrap();
    phase("first frame");
    println!("{}", started.elapsed().as_secs_f64() * 1000.0);
}

/// A mark from the command line, one process each: its time, and (under strace, where there
/// is one) its syncs and the bytes it reads.
fn cli_marks(db: &Path, fig: &mut Figures) {
    let r = Store::open(db, Access::ReadOnly).unwrap();
    let pupils: Vec<String> = r
        .read()
        .unwrap()
        .roll("Ash", date("2026-07-16"))
        .unwrap()
        .into_iter()
        .take(runs() + 2)
        .collect();
    drop(r);
    let mark = |upn: &str| {
        let mut c = std::process::Command::new(BIN);
        c.arg("--db").arg(db).args([
            "--now",
            AFTERNOON,
            "mark",
            "--group",
            "Ash",
            "--session",
            "pm",
            "--pupil",
            upn,
            "--code",
            "\\",
        ]);
        c
    };
    let times: Vec<f64> = pupils
        .iter()
        .take(runs())
        .map(|upn| {
            let started = Instant::now();
            let out = mark(upn).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    fig.rec(
        "a CLI mark (`rollcall mark`, the whole process)",
        median(times),
        "ms",
        Goal::None,
        "",
    );
    let Some(upn) = pupils.last() else { return };
    // (syncs, bytes read) of a mark under strace, or None without strace.
    let trace = |upn: &str| -> Option<(usize, u64)> {
        let log = data_dir().join("mark.strace");
        std::process::Command::new("strace")
            .args(["-f", "-e", "trace=fsync,fdatasync,pread64", "-o"])
            .arg(&log)
            .arg(BIN)
            .args(mark(upn).get_args())
            .output()
            .ok()?;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let _ = std::fs::remove_file(&log);
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
        Some((syncs, read))
    };
    // A mark refused after the open (no such pupil): redb's syncs for opening and closing.
    let (Some((syncs, read)), Some((baseline, _))) = (trace(upn), trace("A100000000809")) else {
        println!("(no strace here: syncs and bytes read per CLI mark not measured)");
        return;
    };
    fig.rec("a CLI mark: syncs in all", syncs as f64, "", Goal::None, "");
    fig.rec(
        "a CLI mark: syncs beyond redb's open and close",
        (syncs - baseline) as f64,
        "",
        Goal::AtMost(2.0),
        &format!(" (a mark refused after the open: {baseline})"),
    );
    fig.rec(
        "a CLI mark: bytes read from the database",
        read as f64 / 1024.0,
        "KB",
        Goal::None,
        "",
    );
}

/// Runs a process to its end: its peak resident memory (MB) and its time.
fn child_peak(command: &mut std::process::Command) -> (f64, f64) {
    let start = Instant::now();
    let mut child = command.spawn().unwrap();
    let pid = child.id() as i32;
    // wait4 gives this child's own resource use, whatever ran before it.
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill; the pid is our child's.
    let mut usage: nix::libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { nix::libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let _ = child.try_wait();
    assert!(
        nix::libc::WIFEXITED(status) && nix::libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    (
        usage.ru_maxrss as f64 / 1024.0,
        start.elapsed().as_secs_f64(),
    )
}

/// The app as office staff: every group's register opened and left, as an office browses.
fn app_memory(db: &Path) {
    let (e, _) = engine(db, Access::ReadWrite, NOW);
    let mut client = Client::local(e, os_account());
    let hello = client.hello().unwrap();
    let mut driver =
        rollcall::tui::Driver::new(client, hello, at(NOW), Keymap::defaults(), Vec::new());
    driver.dispatch(Action::Resize(80, 24));
    let key = |d: &mut rollcall::tui::Driver, name: &str| {
        d.key(&Key::parse(name).unwrap(), false);
        d.idle();
    };
    let groups = driver.app.home.data.as_ref().unwrap().groups.len();
    for _ in 0..groups {
        key(&mut driver, "enter");
        key(&mut driver, "esc");
        key(&mut driver, "down");
    }
}

/// Counts what the terminal is sent.
#[derive(Clone, Default)]
struct Counter(Arc<std::sync::atomic::AtomicU64>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .fetch_add(buf.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn marking(copy: &Path, fig: &mut Figures) {
    let (e, clock) = engine(copy, Access::ReadWrite, AFTERNOON);
    let r = e.store().read().unwrap();
    let groups: Vec<String> =
        rollcall::config::parse_school("demo", &r.school_source().unwrap().unwrap())
            .unwrap()
            .groups
            .iter()
            .map(|g| g.name.clone())
            .collect();
    // 1200 marks, one request each (forty registers of thirty), as their tutors; after each,
    // a raw 4 KiB write and fdatasync beside the database, in the same loop (the floor a
    // durable mark is compared with).
    let raw_path = copy.with_extension("raw");
    let raw = std::fs::File::create(&raw_path).unwrap();
    let page = vec![7u8; 4096];
    // What limits the ratio, measured in the same loop: the same 8 pages written apart and
    // synced once, and a redb commit of one small value in a file of its own.
    let pages_path = copy.with_extension("pages");
    let pages = std::fs::File::create(&pages_path).unwrap();
    let floor_path = copy.with_extension("floor.redb");
    let floor = redb::Database::create(&floor_path).unwrap();
    const FLOOR: redb::TableDefinition<u32, u32> = redb::TableDefinition::new("floor");
    let (mut pages_ms, mut floor_ms) = (Vec::new(), Vec::new());
    let mut mark_ms = Vec::new();
    let mut raw_ms = Vec::new();
    let mut per_mark = Vec::new();
    let disk_before = written_to_disk();
    let mut count = 0;
    for group in groups.iter().skip(1).take(40) {
        let view = match call(
            &e,
            Request::Register(RegisterId {
                group: group.clone(),
                date: date("2026-07-16"),
                session: Session::Pm,
            }),
        ) {
            Response::Register(v) => v,
            _ => unreachable!(),
        };
        let tutor = rollcall::config::parse_school("demo", &r.school_source().unwrap().unwrap())
            .unwrap()
            .group(group)
            .unwrap()
            .tutors[0]
            .clone();
        for row in view.rows.iter().take(30) {
            let before = written();
            let started = Instant::now();
            e.handle(
                &tutor,
                Request::Mark(MarkRequest {
                    register: RegisterId {
                        group: group.clone(),
                        date: date("2026-07-16"),
                        session: Session::Pm,
                    },
                    upn: row.upn.clone(),
                    code: "\\".into(),
                    ..MarkRequest::default()
                }),
            )
            .unwrap();
            mark_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            per_mark.push((written() - before) as f64 / 4096.0);
            let started = Instant::now();
            std::os::unix::fs::FileExt::write_at(&raw, &page, (count % 64) * 4096).unwrap();
            raw.sync_data().unwrap();
            raw_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            for p in 0..8u64 {
                std::os::unix::fs::FileExt::write_at(&pages, &page, (p * 64 + count % 64) * 4096)
                    .unwrap();
            }
            pages.sync_data().unwrap();
            pages_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let tx = floor.begin_write().unwrap();
            tx.open_table(FLOOR)
                .unwrap()
                .insert(count as u32, 1)
                .unwrap();
            tx.commit().unwrap();
            floor_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            count += 1;
        }
    }
    let _ = std::fs::remove_file(&raw_path);
    let _ = std::fs::remove_file(&pages_path);
    drop(floor);
    let _ = std::fs::remove_file(&floor_path);
    let (m, w) = (median(mark_ms), median(raw_ms));
    fig.rec("a saved mark (engine, durable)", m, "ms", Goal::None, "");
    fig.rec(
        "a saved mark against a raw 4 KiB write + fdatasync",
        m / w,
        "×",
        Goal::AtMost(1.2),
        &format!(" ({m:.2} ms against {w:.2} ms)"),
    );
    let (p, f) = (median(pages_ms), median(floor_ms));
    fig.rec(
        "a saved mark against 8 pages written apart + fdatasync",
        m / p,
        "×",
        Goal::None,
        &format!(" ({p:.2} ms for the pages)"),
    );
    fig.rec(
        "a saved mark against a bare redb commit of one value",
        m / f,
        "×",
        Goal::None,
        &format!(" ({f:.2} ms for the commit)"),
    );
    // The marks' own pages (the comparisons in the loop write too).
    let total_pages = per_mark.iter().sum::<f64>().round() as u64;
    let disk_pages = (written_to_disk() - disk_before) / 4096;
    fig.rec(
        "pages written per saved mark",
        median(per_mark),
        "pages",
        Goal::AtMost(10.0),
        &format!(
            " + fsync; {total_pages} pages for {count} marks ({disk_pages} reached the disk in the loop, the comparisons' writes and the journal included)"
        ),
    );
    drop(r);

    // Bytes to the terminal per key: the office's register of the first group, this
    // afternoon, swept with the present key, then moved through with down.
    clock.set(at(AFTERNOON));
    let mut client = Client::local(e.clone(), os_account());
    let hello = client.hello().unwrap();
    let mut driver =
        rollcall::tui::Driver::new(client, hello, at(AFTERNOON), Keymap::defaults(), Vec::new());
    driver.dispatch(Action::Resize(80, 24));
    let counter = Counter::default();
    let backend = ratatui::backend::CrosstermBackend::new(counter.clone());
    let mut terminal = ratatui::Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    let theme = rollcall::ui::Theme::from_env();
    // The afternoon's register, the first group's (the bench's account is its tutor).
    if driver.app.home.session != Session::Pm {
        driver.key(&Key::parse("tab").unwrap(), false);
    }
    driver.key(&Key::parse("enter").unwrap(), false);
    driver.idle();
    assert!(
        matches!(&driver.app.screen, rollcall::app::Screen::Register(r) if r.session == Session::Pm),
        "the afternoon register is open"
    );
    driver.render(&mut terminal, theme).unwrap();
    // (bytes, whether the list moved) for each key.
    let mut keys: Vec<(f64, bool)> = Vec::new();
    let mut frame_ms = Vec::new();
    let top = |d: &rollcall::tui::Driver| match &d.app.screen {
        rollcall::app::Screen::Register(r) => r.top.get(),
        _ => 0,
    };
    for name in std::iter::repeat_n("space", 30).chain(std::iter::repeat_n("up", 30)) {
        let before = counter.0.load(std::sync::atomic::Ordering::Relaxed);
        let top_before = top(&driver);
        let started = Instant::now();
        driver.key(&Key::parse(name).unwrap(), false);
        driver.idle();
        driver.render(&mut terminal, theme).unwrap();
        frame_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(
            driver.app.modal.is_none(),
            "{name} opened a dialog: {:?}",
            driver.app.message
        );
        let bytes = (counter.0.load(std::sync::atomic::Ordering::Relaxed) - before) as f64;
        keys.push((bytes, top(&driver) != top_before));
        if std::env::var_os("BENCH_KEYS").is_some() {
            eprintln!(
                "{name}: {bytes} B, {:?}",
                driver.app.message.as_ref().map(|m| &m.text)
            );
        }
    }
    let still: Vec<f64> = keys
        .iter()
        .filter(|(_, moved)| !moved)
        .map(|(b, _)| *b)
        .collect();
    let moved: Vec<f64> = keys
        .iter()
        .filter(|(_, moved)| *moved)
        .map(|(b, _)| *b)
        .collect();
    let over = still.iter().filter(|s| **s > 300.0).count();
    fig.rec(
        "a keystroke to its frame (a mark saved, the screen drawn)",
        // The 30 presses of `space` each save a mark; the 30 of `up` after them do not.
        median(frame_ms[..30].to_vec()),
        "ms",
        Goal::AtMost(16.0),
        &format!(
            ", slowest {:.1} ms",
            frame_ms.iter().cloned().fold(0.0, f64::max)
        ),
    );
    fig.rec(
        "terminal bytes for a key that leaves the list where it is (max)",
        still.iter().cloned().fold(0.0, f64::max),
        "B",
        Goal::AtMost(300.0),
        &format!(
            " ({} such keys: median {:.0} B, {over} over 300 B; {} keys moved the list: median {:.0} B)",
            still.len(),
            median(still.clone()),
            moved.len(),
            if moved.is_empty() { 0.0 } else { median(moved) }
        ),
    );
}

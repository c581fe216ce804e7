//! Six years of a 2,000-pupil school (issue 11's table): the size of the database, the pages a
//! mark writes, what a read-only command writes, report, alerts and N queue times, export and
//! app memory, and the bytes a marking key sends to the terminal; each on schools of one,
//! three and six school years to show the growth.
//!
//! `cargo bench --bench history` builds the schools with `rollcall demo` (through the engine,
//! about a minute for six years) into `target/bench-history/` and keeps them for the next run
//! (one per schema version); `YEARS=1,6` chooses the schools, `RUNS=n` the runs per timing
//! (median; default 5), `BENCH_KEYS=1` prints every key's bytes. Each memory figure is
//! measured in a fresh process (this benchmark runs itself again with `ROLLCALL_BENCH_ONE`).
//! Figures go in docs/PERFORMANCE.md.

use rollcall::app::Action;
use rollcall::clock::ManualClock;
use rollcall::domain::session::Session;
use rollcall::keymap::{Key, Keymap};
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{MarkRequest, ReportBy, Request, Response};
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

fn main() {
    if let Ok(which) = std::env::var("ROLLCALL_BENCH_ONE") {
        let db = PathBuf::from(std::env::var("ROLLCALL_BENCH_DB").unwrap());
        match which.as_str() {
            "app_memory" => app_memory(&db),
            other => panic!("no measurement {other}"),
        }
        return;
    }
    let years: Vec<u32> = std::env::var("YEARS")
        .unwrap_or_else(|_| "1,3,6".into())
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
    for y in years {
        let (path, marks) = school(y);
        println!("\n== {y} school year(s): {marks} marks");
        measure(&path, marks);
    }
}

fn measure(path: &Path, marks: u64) {
    // Size: bytes per pupil-year, a pupil-year being 380 sessions.
    let size = std::fs::metadata(path).unwrap().len();
    let pupil_years = marks as f64 / 380.0;
    println!(
        "database: {:.1} MB, {:.1} KB per pupil-year",
        size as f64 / 1e6,
        size as f64 / pupil_years / 1024.0
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
        println!(
            "read-only report: {} bytes written, file {}",
            after - before,
            if unchanged { "unchanged" } else { "MODIFIED" }
        );
    }

    // Timings, on a read-only open as the CLI and the app read.
    let (e, _) = engine(path, Access::ReadOnly, NOW);
    for by in [ReportBy::Pupil, ReportBy::School] {
        let ms = time_ms(|| {
            call(
                &e,
                Request::Report {
                    from: date(YEAR_FROM),
                    to: date(YEAR_TO),
                    by,
                    filter: Default::default(),
                },
            );
        });
        println!(
            "report --by {by:?}, a school year: {ms:.1} ms ({:.2} µs per mark of the year)",
            ms * 1000.0 / (PUPILS as f64 * 380.0)
        );
    }
    let ms = time_ms(|| {
        call(&e, Request::Alerts { on: None });
    });
    println!("alerts: {ms:.1} ms");
    let ms = time_ms(|| {
        call(&e, Request::NQueue { on: None });
    });
    let waiting = match call(&e, Request::NQueue { on: None }) {
        Response::NQueue { items } => items.len(),
        _ => 0,
    };
    println!("N queue: {ms:.1} ms ({waiting} waiting)");
    let ms = time_ms(|| {
        call(
            &e,
            Request::Register(RegisterId {
                group: "Oak".into(),
                date: date("2026-07-16"),
                session: Session::Am,
            }),
        );
    });
    println!("a 30-pupil register with year-to-date figures: {ms:.2} ms");
    let ms = time_ms(|| {
        call(&e, Request::ClassList { date: None });
    });
    println!("the class list (67 groups): {ms:.2} ms");
    drop(e);

    // Export of a school year, in a process of its own: its peak memory.
    let (mb, seconds) = child_peak(
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(path)
            .args([
                "--now", NOW, "export", "marks", "--from", YEAR_FROM, "--to", YEAR_TO,
            ])
            .stdout(std::process::Stdio::null()),
    );
    println!("export marks, a school year: peak {mb:.0} MB, {seconds:.1} s");

    // The app, as the office, viewing every register: its memory at the end.
    let (mb, _) = child_peak(
        std::process::Command::new(std::env::current_exe().unwrap())
            .env("ROLLCALL_BENCH_ONE", "app_memory")
            .env("ROLLCALL_BENCH_DB", path),
    );
    println!("app after viewing 67 registers: peak {mb:.0} MB");

    // Marking, on a copy: pages written per mark, and bytes to the terminal per key.
    let copy = data_dir().join("marking-copy.redb");
    std::fs::copy(path, &copy).unwrap();
    marking(&copy);
    let _ = std::fs::remove_file(&copy);
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

fn marking(copy: &Path) {
    let (e, clock) = engine(copy, Access::ReadWrite, AFTERNOON);
    let r = e.store().read().unwrap();
    let groups: Vec<String> =
        rollcall::config::parse_school("demo", &r.school_source().unwrap().unwrap())
            .unwrap()
            .groups
            .iter()
            .map(|g| g.name.clone())
            .collect();
    // 1200 marks, one request each (forty registers of thirty), as their tutors.
    let mut per_mark = Vec::new();
    let total_before = written();
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
            per_mark.push((written() - before) as f64 / 4096.0);
            count += 1;
        }
    }
    let total_pages = (written() - total_before) / 4096;
    let disk_pages = (written_to_disk() - disk_before) / 4096;
    println!(
        "saving one mark: median {:.1} pages ({:.0} KB) + fsync; {total_pages} pages for {count} marks ({disk_pages} pages reached the disk, the filesystem's journal included)",
        median(per_mark.clone()),
        median(per_mark) * 4.0
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
    let top = |d: &rollcall::tui::Driver| match &d.app.screen {
        rollcall::app::Screen::Register(r) => r.top.get(),
        _ => 0,
    };
    for name in std::iter::repeat_n("space", 30).chain(std::iter::repeat_n("up", 30)) {
        let before = counter.0.load(std::sync::atomic::Ordering::Relaxed);
        let top_before = top(&driver);
        driver.key(&Key::parse(name).unwrap(), false);
        driver.idle();
        driver.render(&mut terminal, theme).unwrap();
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
    println!(
        "terminal bytes per key (30 marks down the register, 30 moves back up): {} keys left the list where it was: median {:.0} B, max {:.0} B, {over} over 300 B; {} moved it: median {:.0} B",
        still.len(),
        median(still.clone()),
        still.iter().cloned().fold(0.0, f64::max),
        moved.len(),
        if moved.is_empty() { 0.0 } else { median(moved) },
    );
}

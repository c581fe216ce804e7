//! Shared fixtures: the example school with staff and pupils, at a time the test controls.

pub mod accounts;
pub mod cli;
pub mod tmux;

use chrono::{NaiveDate, NaiveDateTime};
use rollcall::app::Screen;
use rollcall::clock::ManualClock;
use rollcall::domain::people::Staff;
use rollcall::domain::register::Role;
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{MarkRequest, Request};
use rollcall::service::{Client, Engine};
use rollcall::store::Store;
use std::sync::Arc;

pub const EXAMPLE: &str = include_str!("../../../school.example.toml");

pub fn at(s: &str) -> NaiveDateTime {
    rollcall::clock::parse_datetime(s).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A valid UPN (check letter and all), distinct per number and in the same order: every one
/// starts with A, the check letter of the first twelve digits from `100000000000 + 100 i`
/// that give it.
pub fn upn(i: usize) -> String {
    (100_000_000_000u64 + 100 * i as u64..)
        .map(|n| format!("{n:012}"))
        .find(|rest| rollcall::domain::people::upn_check_letter(rest) == Some('A'))
        .map(|rest| format!("A{rest}"))
        .unwrap()
}

/// Pupils 0-4 in Oak (tutor jpatel), 5-7 in Ash (tutors mokafor, lgreen), from 1 September.
pub const PUPILS_CSV: &str = "upn,surname,forename,dob,year,group
A100000000016,Adams,Alice,2019-01-10,2,Oak
A100000000126,Brown,Ben,2019-02-11,2,Oak
A100000000207,Cole,Cara,2019-03-12,2,Oak
A100000000317,Dean,Dan,2019-04-13,2,Oak
A100000000400,Evans,Eve,2019-05-14,2,Oak
A100000000508,Fox,Finn,2018-06-15,3,Ash
A100000000618,Gray,Gus,2018-07-16,3,Ash
A100000000701,Hill,Hana,2018-08-17,3,Ash
";

pub struct TestSchool {
    /// Holds the database's directory until the school is dropped (none for a given file).
    _dir: Option<tempfile::TempDir>,
    pub engine: Arc<Engine>,
    pub clock: Arc<ManualClock>,
}

impl TestSchool {
    pub fn new(now: &str) -> TestSchool {
        let dir = tempfile::tempdir().unwrap();
        let mut school = TestSchool::in_file(&dir.path().join("school.redb"), now);
        school._dir = Some(dir);
        school
    }

    /// The example school, its staff and pupils, in a new database at `path`.
    pub fn in_file(path: &std::path::Path, now: &str) -> TestSchool {
        let store = Store::create(path, EXAMPLE).unwrap();
        let clock = Arc::new(ManualClock::new(at(now)));
        let engine = Arc::new(Engine::new(store, clock.clone(), false).unwrap());
        let school = TestSchool {
            _dir: None,
            engine,
            clock,
        };
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

    /// An existing database, opened (and so migrated) as the program opens it.
    pub fn open_file(path: &std::path::Path, now: &str) -> TestSchool {
        let store = Store::open(path, rollcall::store::Access::ReadWrite).unwrap();
        let clock = Arc::new(ManualClock::new(at(now)));
        let engine = Arc::new(Engine::new(store, clock.clone(), false).unwrap());
        TestSchool {
            _dir: None,
            engine,
            clock,
        }
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
        register: RegisterId {
            group: group.into(),
            date: d(date),
            session: session.parse().unwrap(),
        },
        upn: upn.into(),
        code: code.into(),
        ..MarkRequest::default()
    }
}

/// The app driven as a person drives it, through the same loop as the terminal
/// (`tui::Driver`): key names in, screen text out. `h.app` and `h.client` are the driver's.
pub struct Harness {
    pub driver: rollcall::tui::Driver,
    pub theme: rollcall::ui::Theme,
}

impl std::ops::Deref for Harness {
    type Target = rollcall::tui::Driver;
    fn deref(&self) -> &Self::Target {
        &self.driver
    }
}

impl std::ops::DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.driver
    }
}

impl Harness {
    pub fn new(school: &TestSchool, account: &str) -> Harness {
        Harness::with_keymap(
            school,
            account,
            rollcall::keymap::Keymap::defaults(),
            Vec::new(),
        )
    }

    pub fn with_keymap(
        school: &TestSchool,
        account: &str,
        keymap: rollcall::keymap::Keymap,
        notices: Vec<String>,
    ) -> Harness {
        let mut client = school.client(account);
        let hello = client.hello().unwrap();
        let now = rollcall::clock::Clock::now(school.clock.as_ref());
        Harness {
            driver: rollcall::tui::Driver::new(client, hello, now, keymap, notices),
            theme: rollcall::ui::Theme::plain(),
        }
    }

    /// Presses keys given by name, separated by spaces: `"k L p N A"`, `"ctrl+z"`, `"space"`.
    /// `"text:dentist"` types the text one character at a time.
    pub fn press(&mut self, keys: &str) {
        for name in keys.split(' ').filter(|k| !k.is_empty()) {
            if let Some(text) = name.strip_prefix("text:") {
                for c in text.chars() {
                    self.key(&c.to_string());
                }
                continue;
            }
            self.key(name);
        }
    }

    /// Types text, spaces included.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let name = if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            };
            self.key(&name);
        }
    }

    fn key(&mut self, name: &str) {
        let key = rollcall::keymap::Key::parse(name).unwrap();
        self.driver.key(&key, name == "backspace");
    }

    /// One action, then what the terminal loop does once no input is waiting.
    pub fn act(&mut self, action: rollcall::app::Action) {
        self.driver.dispatch(action);
        self.driver.idle();
    }

    /// The screen as text, `width` × `height`.
    pub fn screen_at(&self, width: u16, height: u16) -> String {
        let backend = ratatui::backend::TestBackend::new(width, height);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        self.driver.render(&mut terminal, self.theme).unwrap();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..height {
            let mut line = String::new();
            let mut covered = 0;
            for x in 0..width {
                // A wide character's second column is part of it, as on a terminal.
                if covered > 0 {
                    covered -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                covered = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    pub fn screen(&self) -> String {
        self.screen_at(80, 24)
    }

    pub fn message(&self) -> String {
        self.app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }
}

/// Compares a screen with its reviewed snapshot, `tests/integration/snapshots/NAME.snap`
/// (insta: `cargo insta review`, or `INSTA_UPDATE=always`, after a deliberate change).
pub fn assert_snapshot(name: &str, actual: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, actual);
    });
}

/// A `rollcall serve` process on a database in `dir`, killed when dropped.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub socket: std::path::PathBuf,
}

impl ServerProcess {
    /// Starts the server binary and waits until its socket answers.
    pub fn start(
        db: &std::path::Path,
        socket: &std::path::Path,
        now: &str,
        group: Option<&str>,
    ) -> ServerProcess {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rollcall"));
        command
            .arg("--db")
            .arg(db)
            .arg("--socket")
            .arg(socket)
            .args(["--now", now, "serve"]);
        if let Some(group) = group {
            command.args(["--group", group]);
        }
        let child = command.stderr(std::process::Stdio::null()).spawn().unwrap();
        let started = std::time::Instant::now();
        while std::os::unix::net::UnixStream::connect(socket).is_err() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "the server did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        ServerProcess {
            child,
            socket: socket.to_path_buf(),
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn client(&self) -> Client {
        Client::new(Box::new(
            rollcall::service::remote::Remote::connect(&self.socket).unwrap(),
        ))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A database with the example school, this process's account as admin and the 8 pupils,
/// built in-process (before a server takes the file).
pub fn school_database(dir: &std::path::Path, admin: &str) -> std::path::PathBuf {
    let (db, mut head) = new_school_file(dir, admin, EXAMPLE.to_string());
    head.import_pupils(
        "pupils.csv".into(),
        PUPILS_CSV.into(),
        Some(d("2026-09-01")),
        false,
    )
    .unwrap();
    db
}

/// `school.redb` in `dir` with the school in `source` and `admin` as its admin, and a client
/// acting as that admin (in-process: no server has the file yet).
fn new_school_file(
    dir: &std::path::Path,
    admin: &str,
    source: String,
) -> (std::path::PathBuf, Client) {
    let db = dir.join("school.redb");
    let store = Store::create(&db, &source).unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-09-01T08:00")));
    let engine = Arc::new(Engine::new(store, clock, false).unwrap());
    let mut head = Client::local(engine, admin.to_string());
    head.done(Request::Init {
        file: "school.toml".into(),
        source,
    })
    .unwrap();
    head.done(Request::StaffAdd {
        staff: Staff {
            account: admin.into(),
            name: "Ann Admin".into(),
            position: "Headteacher".into(),
            role: Role::Admin,
        },
    })
    .unwrap();
    (db, head)
}

/// A school of `groups` (name, tutor accounts), `per_group` pupils in each from 1 September,
/// and `staff` (account, role), with `admin` as its admin: built in-process before a server
/// takes the file. The example school's calendar and session times.
pub fn school_with_groups(
    dir: &std::path::Path,
    admin: &str,
    groups: &[(String, Vec<String>)],
    staff: &[(String, Role)],
    per_group: usize,
) -> std::path::PathBuf {
    let mut source = EXAMPLE[..EXAMPLE.find("[[groups]]").unwrap()].to_string();
    for (name, tutors) in groups {
        let tutors: Vec<String> = tutors.iter().map(|t| format!("{t:?}")).collect();
        source.push_str(&format!(
            "[[groups]]\nname = {name:?}\ntutors = [{}]\n\n",
            tutors.join(", ")
        ));
    }
    let (db, mut head) = new_school_file(dir, admin, source);
    for (account, role) in staff.iter().cloned() {
        head.done(Request::StaffAdd {
            staff: Staff {
                name: format!("Staff {account}"),
                position: format!("{role:?}"),
                account,
                role,
            },
        })
        .unwrap();
    }
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for (g, (name, _)) in groups.iter().enumerate() {
        for p in 0..per_group {
            let i = g * per_group + p;
            csv.push_str(&format!("{},Pupil{i},P,2015-03-01,6,{name}\n", upn(i)));
        }
    }
    head.import_pupils("pupils.csv".into(), csv, Some(d("2026-09-01")), false)
        .unwrap();
    db
}

/// Thirty surnames, in register order, for a class that is typed and swept like a real one.
pub const THIRTY: [&str; 30] = [
    "Ahmed",
    "Ali",
    "Bailey",
    "Begum",
    "Brown",
    "Carter",
    "Chowdhury",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hughes",
    "Hussain",
    "Jones",
    "Khan",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Price",
    "Rahman",
    "Roberts",
    "Singh",
    "Smith",
    "Taylor",
    "Walker",
    "Wright",
];

/// Elm, tutor rhughes, with a class of thirty.
pub fn thirty_in_elm(school: &TestSchool) {
    let mut head = school.client("head");
    head.done(Request::StaffAdd {
        staff: Staff {
            account: "rhughes".into(),
            name: "Rhys Hughes".into(),
            position: "Class teacher".into(),
            role: Role::Teacher,
        },
    })
    .unwrap();
    let mut csv = String::from("upn,surname,forename,dob,year,group\n");
    for (i, surname) in THIRTY.iter().enumerate() {
        csv.push_str(&format!(
            "{},{surname},Pupil{i},2017-03-01,4,Elm\n",
            upn(100 + i)
        ));
    }
    head.import_pupils("elm.csv".into(), csv, Some(d("2026-09-01")), false)
        .unwrap();
}

pub fn register(h: &Harness) -> &rollcall::app::RegisterScreen {
    match &h.app.screen {
        Screen::Register(r) => r,
        _ => panic!("not on a register"),
    }
}

pub fn code_of(h: &Harness, surname: &str) -> Option<String> {
    let r = register(h);
    let row = r
        .view
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|row| row.surname == surname)
        .unwrap();
    row.mark.as_ref().map(|m| m.code.to_string())
}

/// Raises this test process's soft limit on open files to its hard limit (at most 8,192) and
/// returns it: a test that holds a thousand connections must not take the descriptors the
/// tests running beside it need, whatever the user's default soft limit (1,024 on Debian).
pub fn raise_open_files_limit() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return 1024;
    };
    let wanted = hard.min(8192).max(soft);
    if wanted > soft && setrlimit(Resource::RLIMIT_NOFILE, wanted, hard).is_ok() {
        return wanted;
    }
    soft
}

//! Shared fixtures: the example school with staff and pupils, at a time the test controls.
#![allow(dead_code)]

pub mod accounts;
pub mod tmux;

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

/// The app driven as a person drives it: key names in, screen text out.
pub struct Harness {
    pub app: rollcall::app::App,
    pub client: Client,
    pub theme: rollcall::ui::Theme,
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
        let mut app = rollcall::app::App::new(hello, now, keymap, notices);
        for effect in app.start() {
            let action = rollcall::app::run_effect(&mut client, effect);
            rollcall::app::settle(&mut app, &mut client, action);
        }
        Harness {
            app,
            client,
            theme: rollcall::ui::Theme { color: false },
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
        let backspace = name == "backspace";
        if let Some(action) = self.app.key_action(&key, backspace) {
            rollcall::app::settle(&mut self.app, &mut self.client, action);
        }
    }

    /// One action, then what the terminal loop does once no input is waiting.
    pub fn act(&mut self, action: rollcall::app::Action) {
        rollcall::app::settle(&mut self.app, &mut self.client, action);
        rollcall::app::settle(&mut self.app, &mut self.client, rollcall::app::Action::Idle);
    }

    /// The screen as text, `width` × `height`.
    pub fn screen_at(&self, width: u16, height: u16) -> String {
        let backend = ratatui::backend::TestBackend::new(width, height);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        rollcall::ui::render(&mut terminal, &self.app, self.theme).unwrap();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..height {
            let mut line = String::new();
            for x in 0..width {
                line.push_str(buffer[(x, y)].symbol());
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

/// Compares text with `tests/snapshots/NAME.txt`; `UPDATE_SNAPSHOTS=1` rewrites the file.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{name} differs from {}:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
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
    let store = Store::open(&db).unwrap();
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

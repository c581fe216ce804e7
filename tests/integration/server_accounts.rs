//! Identity and roles with real operating-system accounts: forty teachers, each a separate
//! `rollcall` process running as their own account, take their 30-pupil registers at the same
//! moment through one server, which knows each by the socket's peer credentials alone.
//! Needs root to create the accounts (CI runs as root); elsewhere it stands down.

use crate::common::accounts::{Account, SharedDir, ensure_user, root_or_stand_down};
use crate::common::*;
use rollcall::domain::marks::SessionKey;
use rollcall::domain::register::Role;
use rollcall::domain::session::Session;
use rollcall::store::{Access, Store};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};

/// Every account here is in this group, which the server's socket is shared with.
const GROUP: &str = "rctest";
const TODAY: &str = "2026-11-23";
/// Five minutes after the morning register opens (08:45 in the example school).
const REGISTRATION: &str = "2026-11-23T08:50";

fn me() -> String {
    rollcall::service::os_account()
}

/// `rollcall --socket S ARGS` run as `account`, with `input` on stdin.
fn spawn_as<S: AsRef<std::ffi::OsStr>>(
    shared: &SharedDir,
    account: &Account,
    args: &[S],
) -> std::process::Child {
    Command::new(&shared.bin)
        .arg("--socket")
        .arg(shared.path().join("rollcall.sock"))
        .args(args)
        .uid(account.uid)
        .gid(account.gid)
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run_as<S: AsRef<std::ffi::OsStr>>(shared: &SharedDir, account: &Account, args: &[S]) -> Output {
    spawn_as(shared, account, args).wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn group_name(g: usize) -> String {
    format!("G{:02}", g + 1)
}

#[test]
#[cfg_attr(
    not(rollcall_root),
    ignore = "needs root (local accounts, small disks): .ci/run runs it as root"
)]
fn forty_teachers_take_their_registers_at_once_and_each_mark_is_theirs() {
    if !root_or_stand_down("the forty-teachers test") {
        return;
    }
    const GROUPS: usize = 40;
    const PUPILS: usize = 30;
    let tutors: Vec<Account> = (1..=GROUPS)
        .map(|i| ensure_user(&format!("rct{i:02}"), GROUP))
        .collect();
    let shared = SharedDir::new();
    let groups: Vec<(String, Vec<String>)> = tutors
        .iter()
        .enumerate()
        .map(|(g, t)| (group_name(g), vec![t.name.clone()]))
        .collect();
    let staff: Vec<(String, Role)> = tutors
        .iter()
        .map(|t| (t.name.clone(), Role::Teacher))
        .collect();
    let db = school_with_groups(shared.path(), &me(), &groups, &staff, PUPILS);
    let mut server = ServerProcess::start(
        &db,
        &shared.path().join("rollcall.sock"),
        REGISTRATION,
        Some(GROUP),
    );

    // All forty processes connect first; then every register arrives at once.
    let mut children: Vec<_> = tutors
        .iter()
        .map(|t| spawn_as(&shared, t, &["mark-batch", "-"]))
        .collect();
    for (g, child) in children.iter_mut().enumerate() {
        let mut input = String::new();
        for p in 0..PUPILS {
            input.push_str(&format!(
                "{},am,,{},/\n",
                group_name(g),
                upn(g * PUPILS + p)
            ));
        }
        // Dropping stdin ends the batch.
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    for (g, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}: {}", tutors[g].name, stderr(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let saved = stdout.lines().filter(|l| !l.starts_with("note:")).count();
        assert_eq!(
            saved, PUPILS,
            "{} was told {saved} marks were saved",
            tutors[g].name
        );
    }
    server.kill();

    // Read the file itself: exactly 1200 marks, each once, each by its own tutor.
    let store = Store::open(&db, Access::ReadOnly).unwrap();
    let tx = store.read().unwrap();
    let marks = tx.marks_on(d(TODAY), Session::Am).unwrap();
    assert_eq!(marks.len(), GROUPS * PUPILS);
    for (g, tutor) in tutors.iter().enumerate() {
        for p in 0..PUPILS {
            let key = SessionKey {
                date: d(TODAY),
                session: Session::Am,
                upn: upn(g * PUPILS + p),
            };
            let mark = tx.mark(&key).unwrap().expect("every mark stored");
            assert_eq!(mark.recorded_by, tutor.name, "{key:?}");
            assert_eq!(mark.group, group_name(g));
            let history = tx.history(&key).unwrap();
            assert_eq!(history.len(), 1, "{key:?} was written once: {history:?}");
            assert_eq!(history[0].account, tutor.name);
        }
    }
}

#[test]
#[cfg_attr(
    not(rollcall_root),
    ignore = "needs root (local accounts, small disks): .ci/run runs it as root"
)]
fn the_server_refuses_what_an_account_may_not_do() {
    if !root_or_stand_down("the permission test") {
        return;
    }
    let oak = ensure_user("rctoak", GROUP);
    let ash = ensure_user("rctash", GROUP);
    let office = ensure_user("rctoffice", GROUP);
    // In the socket's group, so it can connect, but on nobody's staff list.
    let stranger = ensure_user("rctstranger", GROUP);
    let shared = SharedDir::new();
    let groups = vec![
        ("Oak".to_string(), vec![oak.name.clone()]),
        ("Ash".to_string(), vec![ash.name.clone()]),
    ];
    let staff = vec![
        (oak.name.clone(), Role::Teacher),
        (ash.name.clone(), Role::Teacher),
        (office.name.clone(), Role::Office),
    ];
    let db = school_with_groups(shared.path(), &me(), &groups, &staff, 3);
    let _server = ServerProcess::start(
        &db,
        &shared.path().join("rollcall.sock"),
        REGISTRATION,
        Some(GROUP),
    );
    let oak_pupil = upn(0);
    let ash_pupil = upn(3);
    let mark = |group: &str, pupil: &str, extra: &[&str]| {
        let mut args = vec![
            "mark",
            "--group",
            group,
            "--session",
            "am",
            "--pupil",
            pupil,
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };

    // Their own group, while the register is open: saved, under their own name.
    let out = run_as(&shared, &oak, &mark("Oak", &oak_pupil, &["--code", "/"]));
    assert!(out.status.success(), "{}", stderr(&out));

    // Another tutor's group: refused, with the reason.
    let out = run_as(&shared, &oak, &mark("Ash", &ash_pupil, &["--code", "/"]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a tutor of Ash"),
        "{}",
        stderr(&out)
    );

    // A closed register: the tutor cannot amend it, even with a reason; the office can.
    let out = run_as(
        &shared,
        &oak,
        &["close", "--group", "Oak", "--session", "am"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let amend = mark(
        "Oak",
        &oak_pupil,
        &["--code", "M", "--reason", "medical letter arrived"],
    );
    let out = run_as(&shared, &oak, &amend);
    assert!(!out.status.success(), "a teacher amended a closed register");
    assert!(stderr(&out).contains("closed"), "{}", stderr(&out));
    let out = run_as(&shared, &office, &amend);
    assert!(out.status.success(), "{}", stderr(&out));

    // An account the school has not added: refused, and told what the admin must run.
    let out = run_as(&shared, &stranger, &["alerts"]);
    assert!(!out.status.success());
    let why = stderr(&out);
    assert!(why.contains("rctstranger"), "{why}");
    assert!(
        why.contains("rollcall staff add --account rctstranger"),
        "{why}"
    );

    // An account outside the socket's group cannot connect at all, and is told why.
    let outsider = ensure_user("rctoutside", "rctother");
    let out = run_as(&shared, &outsider, &["alerts"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!(
            "your account is not in {GROUP}, the group the server's socket belongs to; \
             ask the school's admin to add it (`sudo usermod -aG {GROUP} rctoutside`)"
        )),
        "{}",
        stderr(&out)
    );

    // Admin work is the admin's: a teacher cannot import pupils or add staff.
    let out = run_as(
        &shared,
        &oak,
        &[
            "staff",
            "add",
            "--account",
            "rctoak",
            "--name",
            "Me",
            "--position",
            "Head",
            "--role",
            "admin",
        ],
    );
    assert!(!out.status.success(), "a teacher made themself admin");
    assert!(stderr(&out).contains("admin"), "{}", stderr(&out));

    // What was stored: the tutor's mark, then the office's audited amendment.
    drop(_server);
    let store = Store::open(&db, Access::ReadOnly).unwrap();
    let tx = store.read().unwrap();
    let key = SessionKey {
        date: d(TODAY),
        session: Session::Am,
        upn: oak_pupil,
    };
    let history = tx.history(&key).unwrap();
    let who: Vec<&str> = history.iter().map(|h| h.account.as_str()).collect();
    assert_eq!(who, ["rctoak", "rctoffice"]);
    assert_eq!(history[1].reason.as_deref(), Some("medical letter arrived"));
    assert!(
        tx.mark(&SessionKey {
            date: d(TODAY),
            session: Session::Am,
            upn: ash_pupil,
        })
        .unwrap()
        .is_none(),
        "the refused mark left nothing"
    );
}

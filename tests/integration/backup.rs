//! Backups of a database in use: a copy taken while 40 clients mark holds every mark
//! acknowledged before it began and reads whole; `rollcall check` tells a whole copy from a
//! damaged one; through a real server with the CLI.

use crate::common::*;
use rollcall::domain::marks::SessionKey;
use rollcall::domain::register::Role;
use rollcall::store::{Access, Store};
use std::sync::{Arc, Mutex};

/// Ten school days before the clock: every thread marks its own pupil on each.
const DAYS: [&str; 10] = [
    "2026-11-09",
    "2026-11-10",
    "2026-11-11",
    "2026-11-12",
    "2026-11-13",
    "2026-11-16",
    "2026-11-17",
    "2026-11-18",
    "2026-11-19",
    "2026-11-20",
];

#[test]
fn a_backup_taken_while_40_clients_mark_holds_every_mark_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let groups: Vec<(String, Vec<String>)> = (0..4)
        .map(|g| (format!("G{g}"), vec!["head".to_string()]))
        .collect();
    let db = school_with_groups(
        dir.path(),
        "head",
        &groups,
        &[("office".to_string(), Role::Office)],
        10,
    );
    let school = TestSchool::open_file(&db, "2026-11-23T12:00");
    // Every acknowledged mark, in the order acknowledged.
    let acknowledged: Arc<Mutex<Vec<(SessionKey, String)>>> = Arc::default();
    let threads: Vec<_> = (0..40)
        .map(|pupil| {
            let mut client = school.client("office");
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                for day in DAYS {
                    for (session, code) in [("am", "/"), ("pm", "\\")] {
                        let group = format!("G{}", pupil / 10);
                        let mut req = mark(&group, day, session, &upn(pupil), code);
                        req.reason = Some("entered from the paper register".into());
                        client.mark(req).unwrap();
                        acknowledged.lock().unwrap().push((
                            SessionKey {
                                date: d(day),
                                session: session.parse().unwrap(),
                                upn: upn(pupil),
                            },
                            code.to_string(),
                        ));
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 200 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let before = acknowledged.lock().unwrap().clone();
    let copy = dir.path().join("backup.redb");
    let summary = school
        .client("head")
        .backup(copy.display().to_string(), false)
        .unwrap();
    let during = acknowledged.lock().unwrap().len();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(acknowledged.lock().unwrap().len(), 800);
    assert!(
        during < 800,
        "the backup finished before marking did: it ran alongside ({during} marks then)"
    );
    // The copy reads whole, and holds every mark acknowledged before the backup began.
    let checked = rollcall::store::backup::check(&copy).unwrap();
    assert_eq!(checked.marks, summary.marks);
    assert!(checked.marks >= before.len() as u64);
    assert!(checked.marks <= 800);
    let store = Store::open(&copy, Access::ReadOnly).unwrap();
    let r = store.read().unwrap();
    for (key, code) in &before {
        let m = r
            .mark(key)
            .unwrap()
            .unwrap_or_else(|| panic!("{key:?} missing"));
        assert_eq!(m.code.to_string(), *code);
    }
    assert_eq!(r.pupils().unwrap().len(), 40);
    // A backup never replaces a file, and is an admin's.
    let err = school
        .client("head")
        .backup(copy.display().to_string(), false)
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    let err = school
        .client("office")
        .backup(dir.path().join("other.redb").display().to_string(), false)
        .unwrap_err();
    assert!(err.to_string().contains("admin"), "{err}");
    // A bare name goes into the backup directory beside the database; a relative path is
    // neither.
    let named = school
        .client("head")
        .backup("relative.redb".into(), false)
        .unwrap();
    assert!(
        named.path.ends_with("/backups/relative.redb"),
        "{}",
        named.path
    );
    let err = school
        .client("head")
        .backup("sub/relative.redb".into(), false)
        .unwrap_err();
    assert!(err.to_string().contains("give a file name"), "{err}");
}

#[test]
fn backup_and_check_through_a_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let me = crate::server::me();
    let db = school_database(dir.path(), &me);
    let socket = dir.path().join("s.sock");
    let server = ServerProcess::start(&db, &socket, "2026-11-23T09:00", None);
    let mut client = server.client();
    client
        .mark(mark("Oak", "2026-11-23", "am", &upn(0), "/"))
        .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rollcall"))
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .arg("--socket")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    // A name goes into the server's backup directory, beside the database.
    let out = run(&["backup", "nightly.redb"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("8 pupils"), "{said}");
    assert!(said.contains("checked whole"), "{said}");
    let copy = dir.path().join("backups/nightly.redb");
    assert!(said.contains(&copy.display().to_string()), "{said}");
    // Readable by the directory's group, no one else.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // Anywhere else is refused: the server writes as its own account.
    let out = run(&["backup", "/etc/rollcall-test/b.redb"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only into its backup directory"), "{err}");
    assert!(!std::path::Path::new("/etc/rollcall-test").exists());
    // A link planted at a backup's name is neither followed nor replaced.
    let target = dir.path().join("elsewhere.redb");
    let planted = dir.path().join("backups/planted.redb");
    std::os::unix::fs::symlink(&target, &planted).unwrap();
    let out = run(&["backup", "planted.redb"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert!(
        std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!target.exists());
    let out = run(&["check", copy.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!(
            "whole: schema {}, 8 pupils",
            rollcall::store::schema::SCHEMA_VERSION
        )),
        "{said}"
    );
    assert!(said.contains("1 marks"), "{said}");
    // A damaged copy is named as such, and the check writes nothing to it.
    let bytes = std::fs::read(&copy).unwrap();
    let cut = dir.path().join("cut.redb");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = run(&["check", cut.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cut.redb") && err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&cut).unwrap().len(), bytes.len() / 2);
    drop(server);
}

/// What a killed backup or check left half-built (`.NAME.new-PID` of a process that is gone) is
/// removed when the server next starts; a live process's is left alone.
#[test]
fn half_built_copies_of_stopped_processes_are_removed_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &crate::server::me());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let dead = backups.join(".nightly.redb.new-999999999");
    let beside = dir.path().join(".school.redb.new-999999999");
    let live = backups.join(format!(".other.redb.new-{}", std::process::id()));
    for f in [&dead, &beside, &live] {
        std::fs::write(f, b"half a copy").unwrap();
    }
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), "2026-11-23T09:00", None);
    assert!(!dead.exists() && !beside.exists(), "left behind");
    assert!(live.exists(), "a live process's file was removed");
    drop(server);
}

/// A backup copies every table of the schema, entry for entry: plans, other schools' marks
/// and where changes came from included (a list written by hand had stopped at schema 5).
#[test]
fn a_backup_copies_every_table_entry_for_entry() {
    use rollcall::service::protocol::*;
    let dir = tempfile::tempdir().unwrap();
    let school = TestSchool::in_file(&dir.path().join("school.redb"), "2026-11-23T09:00");
    let mut head = school.client("head");
    // Something in every table that schema 6 added: a plan, a batch's source, another
    // school's marks.
    head.call(Request::PlanAbsence(PlanRequest {
        upn: upn(0),
        group: None,
        every: Vec::new(),
        from: d("2026-11-24"),
        from_session: rollcall::domain::session::Session::Am,
        to: d("2026-11-24"),
        to_session: rollcall::domain::session::Session::Pm,
        code: "M".into(),
        note: None,
        dry_run: false,
    }))
    .unwrap();
    let mut batch = mark("Oak", "2026-11-23", "am", &upn(1), "/");
    batch.batch = Some("marks.csv".into());
    head.mark(batch).unwrap();
    head.import_marks(
        "elsewhere.csv".into(),
        "date,session,upn,code\n2026-10-05,am,A100000000016,/\n".into(),
        false,
        Some(rollcall::domain::people::OtherSchool {
            la: "999".into(),
            estab: "2999".into(),
            name: "Elsewhere".into(),
        }),
    )
    .unwrap();
    let copy = dir.path().join("copy.redb");
    head.backup(copy.display().to_string(), false).unwrap();
    let counts = |path: &std::path::Path| {
        let db = redb::ReadOnlyDatabase::open(path).unwrap();
        let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
        let mut out = std::collections::BTreeMap::new();
        for table in tx.list_tables().unwrap() {
            let name = redb::TableHandle::name(&table).to_string();
            let opened = tx.open_untyped_table(table).unwrap();
            out.insert(name, redb::ReadableTableMetadata::len(&opened).unwrap());
        }
        out
    };
    drop(head);
    drop(school);
    let source = counts(&dir.path().join("school.redb"));
    let copied = counts(&copy);
    for table in ["plans", "first_sources", "external_marks", "other_schools"] {
        assert!(source[table] > 0, "{table} is empty in the source");
    }
    assert_eq!(copied, source);
}

/// Issue 21, item 6: a backup can carry a plain CSV archive beside it (pupils as `import
/// pupils` reads them, their groups with dates, every mark), each file 0640 like the copy, and
/// the archive reads back into rollcall as the same pupils and marks.
#[test]
fn a_backup_with_its_csv_archive_reads_back_as_the_same_pupils_and_marks() {
    let cli = crate::common::cli::Cli::new();
    cli.ok(
        "2026-12-02T08:50",
        &["demo", "--pupils", "24", "--weeks", "3", "--replace"],
    );
    let said = cli.ok("2026-12-02T10:00", &["backup", "tonight.redb", "--csv"]);
    let dir = cli.db.parent().unwrap().join("backups");
    for name in [
        "tonight.redb",
        "tonight.pupils.csv",
        "tonight.groups.csv",
        "tonight.marks.csv",
    ] {
        let path = dir.join(name);
        assert!(
            said.contains(&path.display().to_string()) || name.ends_with(".redb"),
            "{said}"
        );
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o640, "{name}");
    }
    let marks = dir.join("tonight.marks.csv");
    let exported = cli.ok(
        "2026-12-02T10:00",
        &[
            "export",
            "marks",
            "--from",
            "1990-01-01",
            "--to",
            "2100-12-31",
        ],
    );
    let archived = std::fs::read_to_string(&marks).unwrap();
    assert_eq!(archived.lines().count(), exported.lines().count());
    let again = cli.ok(
        "2026-12-02T10:00",
        &["import", "marks", marks.to_str().unwrap(), "--dry-run"],
    );
    let rows = exported.lines().count() - 1;
    assert!(
        again.contains(&format!(
            "{rows} rows: 0 new, 0 replacing another mark, {rows} already so"
        )),
        "{again}"
    );
    let pupils = cli.ok(
        "2026-12-02T10:00",
        &[
            "import",
            "pupils",
            dir.join("tonight.pupils.csv").to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(
        pupils.contains("0 added, 0 updated, 0 moved group, 24 unchanged"),
        "{pupils}"
    );
    // Never over a file already there.
    let out = cli.run("2026-12-02T10:00", &["backup", "tonight.redb", "--csv"]);
    assert!(!out.status.success());
}

/// Issue 21, item 6: the server's own account (the nightly timer) may take a backup though it
/// is on no staff list; another account off the list may not.
#[test]
fn the_servers_own_account_takes_the_nightly_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), "head");
    let store = Store::open(&db, Access::ReadWrite).unwrap();
    let clock = Arc::new(rollcall::clock::ManualClock::new(at("2026-11-23T19:00")));
    let mut engine = rollcall::service::engine::Engine::new(store, clock, true).unwrap();
    engine.set_backup_dir(dir.path().join("backups"));
    std::fs::create_dir(dir.path().join("backups")).unwrap();
    let me = rollcall::service::os_account();
    let request = |path: &str| rollcall::service::protocol::Request::Backup {
        path: path.into(),
        archive: true,
    };
    let reply = engine.handle(&me, request("nightly.redb"));
    assert!(
        matches!(reply, Ok(rollcall::service::protocol::Response::Backup(ref b)) if b.archive.len() == 3),
        "{reply:?}"
    );
    let refused = engine.handle("nobody-on-the-list", request("other.redb"));
    assert!(refused.is_err(), "{refused:?}");
}

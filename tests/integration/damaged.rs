//! Damaged, wrong and unwritable database files: each is refused with a message that says what
//! is wrong and what to do, and nothing is written to it. A full disk (a small tmpfs, as root)
//! refuses marks while it is full and saves them again, by itself, once there is room.

use crate::common::accounts::root_or_stand_down;
use crate::common::cli::{BIN, Cli, history_args, oak_am_mark};
use crate::common::*;
use rollcall::domain::session::Session;
use rollcall::store::{Access, Store};
use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2026-11-23T10:00";

/// A school with a morning's marks and an amendment, on disk.
fn school_with_history() -> Cli {
    let cli = Cli::new();
    cli.school();
    for (upn, code) in [
        ("A100000000016", "/"),
        ("A100000000126", "N"),
        ("A100000000207", "L"),
    ] {
        cli.ok("2026-11-23T09:10", &oak_am_mark(upn, code));
    }
    cli.ok(
        NOW,
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--pupil",
            "A100000000126",
            "--code",
            "M",
            "--reason",
            "dentist",
        ],
    );
    cli
}

/// Changes the history table holds for [`school_with_history`]: the first marks are their own
/// history; the N and its amendment to M are two entries.
const CHANGES_KEPT: u64 = 2;

const EXPORT: &[&str] = &[
    "export",
    "marks",
    "--from",
    "2026-11-23",
    "--to",
    "2026-11-23",
];
const MARK: &[&str] = &[
    "mark",
    "--group",
    "Oak",
    "--session",
    "am",
    "--pupil",
    "A100000000317",
    "--code",
    "N",
];

/// Runs a reading and a writing command on a damaged file: both fail with a message containing
/// `says`, and the file is byte for byte what it was.
fn refused_untouched(cli: &Cli, says: &str) {
    let before = std::fs::read(&cli.db).unwrap();
    for args in [EXPORT, MARK] {
        let stderr = cli.fails(NOW, args);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            stderr.contains("restore") || stderr.contains("init"),
            "says what to do: {stderr}"
        );
        assert!(
            std::fs::read(&cli.db).unwrap() == before,
            "{args:?} wrote to it"
        );
    }
}

#[test]
fn a_truncated_file_is_refused_and_left_as_it_is() {
    let cli = school_with_history();
    let bytes = std::fs::read(&cli.db).unwrap();
    std::fs::write(&cli.db, &bytes[..bytes.len() / 3]).unwrap();
    refused_untouched(&cli, "truncated");
}

#[test]
fn a_zeroed_header_and_a_file_of_another_kind_are_not_rollcall_databases() {
    let cli = school_with_history();
    let mut bytes = std::fs::read(&cli.db).unwrap();
    bytes[..4096].fill(0);
    std::fs::write(&cli.db, &bytes).unwrap();
    refused_untouched(&cli, "not a rollcall database");
    std::fs::write(&cli.db, "upn,surname,forename\nA1,Adams,Alice\n").unwrap();
    refused_untouched(&cli, "not a rollcall database");
}

#[test]
fn an_empty_file_is_never_turned_into_a_new_database() {
    let cli = Cli::new();
    std::fs::write(&cli.db, "").unwrap();
    refused_untouched(&cli, "the file is empty (0 bytes)");
    assert_eq!(std::fs::metadata(&cli.db).unwrap().len(), 0);
}

#[test]
fn bit_flips_in_stored_records_are_refused_for_writing_and_never_crash_a_read() {
    let cli = school_with_history();
    let original = std::fs::read(&cli.db).unwrap();
    // Every byte of every page that holds a pupil's name: flipping any of them is damage to
    // live data, which a write must refuse before it writes.
    let name = b"Cole";
    let places: Vec<usize> = original
        .windows(name.len())
        .enumerate()
        .filter(|(_, w)| *w == name)
        .map(|(i, _)| i)
        .collect();
    assert!(!places.is_empty());
    for (n, at) in places.iter().enumerate() {
        let mut bytes = original.clone();
        bytes[*at] ^= 1 << (n % 8);
        std::fs::write(&cli.db, &bytes).unwrap();
        let stderr = cli.fails(NOW, MARK);
        assert!(stderr.contains("damaged"), "{stderr}");
        assert!(std::fs::read(&cli.db).unwrap() == bytes, "the mark wrote");
        // A read may succeed or say the file is damaged; it never crashes or writes.
        let out = cli.run(NOW, EXPORT);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        assert!(std::fs::read(&cli.db).unwrap() == bytes, "the export wrote");
    }
}

#[test]
fn a_lost_table_is_never_recreated_empty_over_the_history() {
    let cli = school_with_history();
    let history = |cli: &Cli| cli.run(NOW, &history_args("A100000000126", "2026-11-23", "am"));
    assert!(history(&cli).status.success());
    {
        // What one flipped bit in the table directory did: the months of marks gone.
        let db = redb::Database::open(&cli.db).unwrap();
        let tx = db.begin_write().unwrap();
        let months = tx
            .list_tables()
            .unwrap()
            .find(|t| redb::TableHandle::name(t) == "months")
            .unwrap();
        tx.delete_table(months).unwrap();
        tx.commit().unwrap();
    }
    let stderr = cli.fails(NOW, MARK);
    assert!(stderr.contains("table `months` is missing"), "{stderr}");
    assert!(stderr.contains("restore the latest backup"), "{stderr}");
    // The history is still all there: nothing was written over it.
    let stderr = cli.fails(NOW, EXPORT);
    assert!(stderr.contains("table `months` is missing"), "{stderr}");
    let db = redb::Database::open(&cli.db).unwrap();
    let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
    let changes = tx
        .list_tables()
        .unwrap()
        .find(|t| redb::TableHandle::name(t) == "changes")
        .unwrap();
    let changes = tx.open_untyped_table(changes).unwrap();
    assert_eq!(
        redb::ReadableTableMetadata::len(&changes).unwrap(),
        CHANGES_KEPT
    );
}

#[test]
fn a_damaged_schema_version_is_not_mistaken_for_a_newer_rollcall() {
    let cli = school_with_history();
    Store::open(&cli.db, Access::ReadWrite)
        .unwrap()
        .force_schema_version(0x0100_0001)
        .unwrap();
    refused_untouched(&cli, "the schema version is damaged");
}

#[test]
fn a_database_others_can_read_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let cli = school_with_history();
    std::fs::set_permissions(&cli.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    cli.ok(NOW, &[MARK, &["--reason", "late note from home"]].concat());
    let mode = std::fs::metadata(&cli.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    // `touch` then `init`: the new database is private too.
    let fresh = Cli::new();
    std::fs::write(&fresh.db, "").unwrap();
    std::fs::set_permissions(&fresh.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stderr = fresh.fails(NOW, EXPORT);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn a_database_in_a_directory_out_of_reach_is_named_as_such() {
    use std::os::unix::fs::PermissionsExt;
    let cli = school_with_history();
    let dir = cli.dir.path().join("locked");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(&cli.db, dir.join("school.redb")).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut command = Command::new(BIN);
    command
        .arg("--db")
        .arg(dir.join("school.redb"))
        .args(["--now", NOW])
        .args(EXPORT);
    if nix::unistd::geteuid().is_root() {
        // Root enters any directory: try as an account that cannot.
        use std::os::unix::process::CommandExt;
        let other = crate::common::accounts::ensure_user("rcdmg1", "rcdmg");
        command.uid(other.uid).gid(other.gid);
        std::fs::set_permissions(cli.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    } else {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let out = command.output().unwrap();
    let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("permission denied: this account cannot reach the file"),
        "{stderr}"
    );
    assert!(!stderr.contains("create one with"), "{stderr}");
}

/// A tmpfs of `size` mounted for one test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "mount tmpfs");
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk is full.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0xAAu8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = vec![0xAAu8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
#[cfg_attr(
    not(rollcall_root),
    ignore = "needs root (local accounts, small disks): .ci/run runs it as root"
)]
fn init_on_a_full_disk_leaves_no_file_behind() {
    if !root_or_stand_down("init_on_a_full_disk_leaves_no_file_behind") {
        return;
    }
    let disk = Tmpfs::mount("4m");
    let config = disk.path().join("school.toml");
    std::fs::write(&config, EXAMPLE).unwrap();
    disk.fill();
    let db = disk.path().join("school.redb");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["--now", NOW, "init", "--school"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let left: Vec<String> = std::fs::read_dir(disk.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "filler" && n != "school.toml")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?} ({stderr})");
}

#[test]
#[cfg_attr(
    not(rollcall_root),
    ignore = "needs root (local accounts, small disks): .ci/run runs it as root"
)]
fn a_full_disk_refuses_marks_says_so_and_saves_again_once_there_is_room() {
    if !root_or_stand_down("a_full_disk_refuses_marks") {
        return;
    }
    let disk = Tmpfs::mount("8m");
    let db = disk.path().join("school.redb");
    let (engine, clock, log) = {
        let mut store = Store::create(&db, EXAMPLE).unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let lines = log.clone();
        store.set_log(Box::new(move |line| {
            lines.lock().unwrap().push(line.to_string())
        }));
        let clock = std::sync::Arc::new(rollcall::clock::ManualClock::new(at("2026-09-01T08:00")));
        let engine = std::sync::Arc::new(
            rollcall::service::Engine::new(store, clock.clone(), true).unwrap(),
        );
        (engine, clock, log)
    };
    let me = rollcall::service::os_account();
    let mut head = rollcall::service::Client::local(engine.clone(), me.clone());
    head.done(rollcall::service::protocol::Request::StaffAdd {
        staff: rollcall::domain::people::Staff {
            account: me.clone(),
            name: "Ann Admin".into(),
            position: "Head".into(),
            role: rollcall::domain::register::Role::Admin,
        },
    })
    .unwrap();
    head.import_pupils("p.csv".into(), PUPILS_CSV.into(), None, false)
        .unwrap();
    clock.set(at("2026-11-23T08:55"));
    head.mark(mark("Oak", "2026-11-23", "am", &upn(0), "/"))
        .unwrap();

    let filler = disk.fill();
    // The file has some room of its own: marks go on until a commit needs the disk.
    let mut refused = 0;
    let mut saved_am = 1;
    for pupil in 1..5 {
        match head.mark(mark("Oak", "2026-11-23", "am", &upn(pupil), "/")) {
            Ok(_) => saved_am += 1,
            Err(e) => {
                refused += 1;
                let text = e.to_string();
                assert!(text.contains("nothing"), "{text}");
            }
        }
    }
    let days = [
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-12-01",
        "2026-12-02",
    ];
    'planned: for day in days {
        for session in ["am", "pm"] {
            for pupil in 0..8 {
                let group = if pupil < 5 { "Oak" } else { "Ash" };
                let mut planned = mark(group, day, session, &upn(pupil), "M");
                planned.expect = rollcall::service::protocol::Expect::Blank;
                if let Err(e) = head.mark(planned) {
                    refused += 1;
                    assert!(e.to_string().contains("nothing"), "{e}");
                    break 'planned;
                }
            }
        }
    }
    assert!(refused > 0, "a full disk refused nothing");
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("changes are refused until the database can be written again")),
        "{:?}",
        log.lock().unwrap()
    );
    std::fs::remove_file(filler).unwrap();
    // Room again: the next mark is saved with no restart.
    head.mark(mark("Oak", "2026-11-23", "pm", &upn(0), "M"))
        .unwrap();
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("saving marks again")),
        "{:?}",
        log.lock().unwrap()
    );
    // One line when writing stopped and one when it started again, however many were refused.
    let lines = log.lock().unwrap().clone();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("changes are refused"))
            .count(),
        1,
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    let r = engine.store().read().unwrap();
    let am = r.marks_on(d("2026-11-23"), Session::Am).unwrap();
    assert_eq!(am.len(), saved_am, "acknowledged marks only, each once");
    assert_eq!(r.marks_on(d("2026-11-23"), Session::Pm).unwrap().len(), 1);
}

#[test]
#[cfg_attr(
    not(rollcall_root),
    ignore = "needs root (local accounts, small disks): .ci/run runs it as root"
)]
fn a_read_only_file_system_refuses_changes_by_name_and_still_answers_reads() {
    if !root_or_stand_down("a_read_only_file_system") {
        return;
    }
    let cli = school_with_history();
    let disk = Tmpfs::mount("16m");
    let db = disk.path().join("school.redb");
    std::fs::copy(&cli.db, &db).unwrap();
    let status = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(disk.path())
        .status()
        .unwrap();
    assert!(status.success());
    let run = |args: &[&str]| {
        Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["--now", NOW])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(MARK);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    let out = run(EXPORT);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
}

#[test]
fn a_damaged_record_is_named_by_what_it_holds() {
    let cli = school_with_history();
    let mut bytes = std::fs::read(&cli.db).unwrap();
    // The byte before a pupil's surname is its length: make it run past the record.
    let at = bytes
        .windows(4)
        .position(|w| w == b"Cole")
        .expect("Cole's record");
    bytes[at - 1] = 0x7f;
    std::fs::write(&cli.db, &bytes).unwrap();
    let out = cli.run(NOW, &history_args(&upn(2), "2026-11-23", "am"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("the pupil record of {} cannot be read", upn(2))),
        "{stderr}"
    );
    assert!(stderr.contains("restore the latest backup"), "{stderr}");
}

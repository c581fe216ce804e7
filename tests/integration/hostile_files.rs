//! Files made to hurt (issue 19): transfer files nested, widened and stuffed past any real
//! one, names no person has, damaged databases that made redb panic, and "files" that are
//! devices or FIFOs. Each is refused with a message naming what and where; nothing is saved;
//! nothing crashes, and a server that meets one goes on serving.

use crate::common::cli::{BIN, Cli};
use crate::common::*;
use rollcall::service::protocol::*;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-27T16:00";

/// A transfer file for one pupil whose `Surname` is `surname` and whose `Attendance` holds
/// `attendance` (raw XML).
fn ctf_with(upn: &str, surname: &str, attendance: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CTfile><Header>\
         <DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>\
         <DateTime>2026-11-20T10:00:00</DateTime><DocumentQualifier>partial</DocumentQualifier>\
         <SupplierID>SIMS</SupplierID><SourceSchool><LEA>999</LEA><Estab>2999</Estab>\
         <SchoolName>Elsewhere Academy</SchoolName><AcademicYear>2026</AcademicYear>\
         </SourceSchool><DestSchool><LEA>356</LEA><Estab>2003</Estab></DestSchool></Header>\
         <CTFpupilData><Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname>\
         <Forename>Alice</Forename><DOB>2019-01-10</DOB><Sex>F</Sex>\
         <Attendance>{attendance}</Attendance></Pupil></CTFpupilData></CTfile>"
    )
}

fn admin_school() -> Cli {
    let cli = Cli::new();
    cli.school();
    cli
}

#[test]
fn transfer_files_nested_widened_or_stuffed_past_any_real_one_are_refused_by_element() {
    let cli = admin_school();
    let deep = format!("{}{}", "<x>".repeat(50_000), "</x>".repeat(50_000));
    let long_text = "9".repeat(70 * 1024);
    let wide = "<e/>".repeat(2_000_001);
    for (name, xml, says) in [
        (
            "deep.xml",
            ctf_with("A100000000016", "Adams", &deep),
            "nest more than 24 deep at CTfile/CTFpupilData/Pupil/Attendance/x/x",
        ),
        (
            "long.xml",
            ctf_with(
                "A100000000016",
                "Adams",
                &format!("<YearData><Year>{long_text}</Year></YearData>"),
            ),
            "CTfile/CTFpupilData/Pupil/Attendance/YearData/Year holds more than 64 KB of text",
        ),
        (
            "wide.xml",
            ctf_with("A100000000016", "Adams", &wide),
            "more than 2000000 elements",
        ),
    ] {
        let file = cli.file(name, &xml);
        for dry in [true, false] {
            let mut args = vec!["import", "ctf", file.to_str().unwrap()];
            if dry {
                args.push("--dry-run");
            }
            let err = cli.fails(NOW, &args);
            assert!(
                err.contains(says),
                "{name}: {says}\n{}",
                &err[..err.len().min(600)]
            );
        }
    }
}

#[test]
fn names_in_a_transfer_file_follow_the_rules_every_door_keeps() {
    let cli = admin_school();
    let long = "A".repeat(65_535);
    for (surname, says) in [
        (
            long.as_str(),
            "Surname: it is 65535 characters long; at most 200",
        ),
        (
            "Adams&#27;[2J",
            "Surname: it has a character that does not print (U+001B",
        ),
        (
            "Ad&#10;ams",
            "Surname: it has a character that does not print (U+000A",
        ),
        (
            "&#8238;smadA",
            "Surname: it has a character that does not print (U+202E",
        ),
        ("", "Surname is empty"),
    ] {
        let file = cli.file("names.xml", &ctf_with("A100000000809", surname, ""));
        let err = cli.fails(NOW, &["import", "ctf", file.to_str().unwrap()]);
        assert!(err.contains(says), "{says}\n{}", &err[..err.len().min(400)]);
    }
    // One UPN, two children: within a file, and against a pupil already on roll.
    let twice = ctf_with("A100000000809", "Ivy", "").replace(
        "</CTFpupilData>",
        "<Pupil><UPN>A100000000809</UPN><Surname>Ives</Surname><Forename>Ida</Forename>\
         <DOB>2019-02-01</DOB><Sex>F</Sex></Pupil></CTFpupilData>",
    );
    let file = cli.file("twice.xml", &twice);
    let err = cli.fails(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        err.contains("Pupil[2] (A100000000809): the UPN is also Pupil[1]'s"),
        "{err}"
    );
    let other = cli.file("other.xml", &ctf_with("A100000000016", "Adamson", ""));
    let err = cli.fails(NOW, &["import", "ctf", other.to_str().unwrap()]);
    assert!(
        err.contains("the file names Adamson, Alice (born 2019-01-10); rollcall has Adams, Alice"),
        "{err}"
    );
}

/// A server that meets a hostile transfer file answers it and goes on serving everyone.
#[test]
fn a_hostile_transfer_file_sent_to_the_server_is_refused_and_the_server_lives() {
    let dir = tempfile::tempdir().unwrap();
    let me = rollcall::service::os_account();
    let db = school_database(dir.path(), &me);
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), "2026-11-23T09:00", None);
    let mut admin = server.client();
    let deep = format!("{}{}", "<x>".repeat(50_000), "</x>".repeat(50_000));
    for dry_run in [true, false] {
        let err = admin
            .import_ctf(
                "deep.xml".into(),
                ctf_with("A100000000016", "Adams", &deep),
                dry_run,
            )
            .unwrap_err();
        assert!(err.to_string().contains("nest more than 24 deep"), "{err}");
    }
    let mut other = server.client();
    assert!(other.hello().is_ok(), "still serving");
    assert!(matches!(
        other.call(Request::OnSite {
            date: None,
            session: None
        }),
        Ok(Response::OnSite(_))
    ));
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/damaged")
        .join(name)
}

/// Every command, `check` and `serve` included, names a damaged file and exits 1: never a
/// panic (101), never a write. The two files are bit flips that once made redb panic inside.
#[test]
fn damaged_databases_that_made_redb_panic_are_named_damaged_by_every_command() {
    for name in ["seed149.redb", "seed648.redb"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("school.redb");
        std::fs::copy(fixture(name), &db).unwrap();
        let before = std::fs::read(&db).unwrap();
        let socket = dir.path().join("s.sock");
        let commands: Vec<Vec<&str>> = vec![
            vec![
                "export",
                "marks",
                "--from",
                "2026-11-01",
                "--to",
                "2026-12-31",
            ],
            vec![
                "report",
                "--from",
                "2026-09-01",
                "--to",
                "2026-12-02",
                "--by",
                "pupil",
            ],
            vec![
                "mark",
                "--group",
                "Oak",
                "--session",
                "am",
                "--pupil",
                "A100000000016",
                "--code",
                "N",
            ],
            vec!["check", db.to_str().unwrap()],
            vec!["--socket", socket.to_str().unwrap(), "serve"],
        ];
        for args in commands {
            let out = Command::new(BIN)
                .arg("--db")
                .arg(&db)
                .args(["--now", "2026-12-02T10:00"])
                .args(&args)
                .env("HOME", dir.path())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {args:?}: {stderr}");
            assert!(stderr.contains("damaged"), "{name} {args:?}: {stderr}");
            // Said once (issue 21, item 9: `check` said "database damaged: … is damaged").
            assert_eq!(
                stderr.matches("damaged").count(),
                1,
                "{name} {args:?}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{name} {args:?}: {stderr}");
            assert!(
                std::fs::read(&db).unwrap() == before,
                "{name} {args:?} wrote"
            );
        }
    }
}

/// Random damage over many seeds: flipped bits, scribbled runs and zeroed pages, each file
/// read, checked and written to. Never a panic, never exit 101.
#[test]
fn random_damage_over_many_seeds_never_crashes_a_command() {
    let cli = Cli::new();
    cli.ok(
        "2026-12-02T08:50",
        &[
            "demo",
            "--pupils",
            "40",
            "--weeks",
            "2",
            "--replace",
            "--seed",
            "7",
        ],
    );
    let original = std::fs::read(&cli.db).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |below: usize| {
        // xorshift: the same damage on every run, no crate needed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let pages = original.len() / 4096;
    for seed in 0..60 {
        let mut bytes = original.clone();
        match seed % 3 {
            0 => {
                for _ in 0..1 + next(6) {
                    let at = next(bytes.len());
                    bytes[at] ^= 1 << next(8);
                }
            }
            1 => {
                let at = next(pages) * 4096 + next(4096 - 64);
                for k in 0..1 + next(32) {
                    bytes[at + k] = next(256) as u8;
                }
            }
            _ => {
                let page = next(pages);
                bytes[page * 4096..(page + 1) * 4096].fill(0);
            }
        }
        std::fs::write(&cli.db, &bytes).unwrap();
        for args in [
            vec![
                "export",
                "marks",
                "--from",
                "2026-11-01",
                "--to",
                "2026-12-31",
            ],
            vec!["check", cli.db.to_str().unwrap()],
            vec![
                "mark",
                "--group",
                "Oak",
                "--session",
                "am",
                "--pupil",
                "A",
                "--code",
                "N",
            ],
        ] {
            let out = cli.run("2026-12-02T10:00", &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
                "seed {seed} {args:?}: {:?} {stderr}",
                out.status
            );
        }
    }
}

/// A settings file or template that is a device, a FIFO or huge is refused at once by name.
#[test]
fn devices_fifos_and_huge_files_are_refused_without_reading_them() {
    let cli = admin_school();
    let fifo = cli.dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let huge = cli.dir.path().join("huge.toml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(5 << 20)
        .unwrap();
    let started = std::time::Instant::now();
    for (path, says) in [
        (
            "/dev/zero",
            "is a device, FIFO or socket, not a regular file",
        ),
        (
            fifo.to_str().unwrap(),
            "is a device, FIFO or socket, not a regular file",
        ),
        (
            cli.dir.path().to_str().unwrap(),
            "is a directory, not a regular file",
        ),
    ] {
        for args in [
            vec!["init", "--school", path],
            vec!["import", "ctf", path],
            vec!["import", "pupils", path],
            vec!["check", path],
        ] {
            let err = cli.fails(NOW, &args);
            assert!(err.contains(says), "{args:?}: {err}");
        }
    }
    let err = cli.fails(NOW, &["init", "--school", huge.to_str().unwrap()]);
    assert!(
        err.contains("is 5242880 bytes, more than the 4 MB"),
        "{err}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "something hung"
    );
}

/// Issue 19, items 6 and 9: `--out` never clobbers (unless `--force`) and writes a file
/// private to its writer; a database readable by others is made private by any command its
/// owner runs, a read included.
#[test]
fn files_with_pupil_data_are_private_and_never_clobbered() {
    use std::os::unix::fs::PermissionsExt;
    let cli = admin_school();
    crate::exchange::give_sexes(&cli);
    let out = cli.dir.path().join("oak.xml");
    std::fs::write(&out, "the school's own notes").unwrap();
    let args = |force: bool| {
        let mut a = vec![
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
            "--out",
        ];
        a.push(out.to_str().unwrap());
        if force {
            a.push("--force");
        }
        a
    };
    let err = cli.fails(NOW, &args(false));
    assert!(
        err.contains("already exists: give another name (or --force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the school's own notes"
    );
    cli.ok(NOW, &args(true));
    assert!(std::fs::read_to_string(&out).unwrap().contains("<CTfile>"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), 0o600);
    // A planted link is not written through.
    let link = cli.dir.path().join("link.xml");
    let target = cli.dir.path().join("target.xml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut a = args(false);
    *a.last_mut().unwrap() = link.to_str().unwrap();
    let err = cli.fails(NOW, &a);
    assert!(err.contains("already exists"), "{err}");
    assert!(!target.exists());
    // The database, made readable by all, is private again after a read.
    std::fs::set_permissions(&cli.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    cli.ok(
        NOW,
        &[
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    );
    assert_eq!(mode(&cli.db), 0o600);
}

/// Issue 19, item 9: a quote opened in a `mark-batch` line and never closed takes the next
/// lines into one field; each is reported and counted as not saved.
#[test]
fn an_unclosed_quote_in_a_batch_is_named_with_every_line_it_took() {
    let cli = admin_school();
    let batch = cli.file(
        "batch.csv",
        "Oak,am,2026-11-23,A100000000016,M,,\"dentist\n\
         Oak,am,2026-11-23,A100000000126,/\n\
         Oak,am,2026-11-23,A100000000207,/\n",
    );
    let out = cli.run("2026-11-23T09:10", &["mark-batch", batch.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("line 1: a quote opened on this line is not closed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2: taken into the unclosed quote of line 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3: taken into the unclosed quote of line 1"),
        "{stderr}"
    );
    assert!(stderr.contains("0 saved, 3 not saved"), "{stderr}");
}

/// Issue 19, item 9: a stage's letter must be a plain file name: a NUL (or any control
/// character) in it is refused with the field, as a path is.
#[test]
fn a_stage_letter_named_with_a_nul_is_refused() {
    let cli = Cli::new();
    let source = format!(
        "{}{}",
        crate::common::EXAMPLE,
        crate::desk::STAGES.replace("letter = \"home.txt\"", "letter = \"home\\u0000.txt\"")
    );
    let config = cli.file("school.toml", &source);
    let err = cli.fails(NOW, &["init", "--school", config.to_str().unwrap()]);
    assert!(err.contains("stages[1].letter"), "{err}");
    assert!(err.contains("does not print (U+0000"), "{err}");
    assert!(!cli.db.exists());
}

/// Issue 19, item 2: a name stored before the limits (65,535 characters, a newline) cannot
/// make a report panic or split its rows; every output neutralises it.
#[test]
fn a_name_stored_before_the_limits_breaks_no_report() {
    let cli = admin_school();
    cli.ok(
        "2026-11-23T09:10",
        &[
            "mark",
            "--group",
            "Oak",
            "--session",
            "am",
            "--pupil",
            "A100000000016",
            "--code",
            "/",
        ],
    );
    {
        let store =
            rollcall::store::Store::open(&cli.db, rollcall::store::Access::ReadWrite).unwrap();
        store
            .write(|w| {
                let mut p = w.pupil("A100000000016")?.unwrap();
                p.surname = format!("{}\nInjected,row", "A".repeat(65_535));
                w.put_pupil(&p)?;
                Ok::<_, rollcall::store::StoreError>(())
            })
            .unwrap();
    }
    for args in [
        vec![
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "pupil",
        ],
        vec![
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--by",
            "pupil",
            "--format",
            "csv",
        ],
        vec![
            "export",
            "marks",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    ] {
        let out = cli.ok(NOW, &args);
        assert!(!out.contains("\nInjected,row"), "{args:?}: a row was split");
    }
}

/// Issue 19, round two (a helper's attack): `check`'s copy lives in a fresh private directory
/// (0700; the copy 0600 whatever the umask), is gone afterwards, and a file that is not redb's
/// is named without being copied.
#[test]
fn checks_copy_is_private_and_a_file_not_redbs_is_not_copied() {
    use std::os::unix::fs::PermissionsExt;
    let cli = admin_school();
    let tmp = tempfile::tempdir().unwrap();
    // Watch the temporary directory while a check runs: every entry it makes is private.
    let mut child = Command::new(BIN)
        .args(["check", cli.db.to_str().unwrap()])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        for entry in std::fs::read_dir(tmp.path()).unwrap().flatten() {
            if let Ok(meta) = std::fs::symlink_metadata(entry.path()) {
                seen.push((meta.is_dir(), meta.permissions().mode() & 0o777));
            }
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(
        seen.iter().all(|(dir, mode)| !dir || *mode == 0o700),
        "{seen:?}"
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "left behind"
    );
    // A large file that is not a database: named at once, nothing copied.
    let big = cli.dir.path().join("big.redb");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let out = Command::new(BIN)
        .args(["check", big.to_str().unwrap()])
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a rollcall database (no redb header)"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// A transfer file of many years of endless marks is refused quickly, with a bounded list of
/// problems, before the write lock: `AttendanceMarks` holds a school year at most, a pupil 20
/// years, a file 20,000 pupils; a date of birth in the future and a year that is not one are
/// named.
#[test]
fn a_transfer_file_of_endless_years_is_refused_quickly_and_briefly() {
    let cli = admin_school();
    let year = |start: &str, marks: &str| {
        format!(
            "<YearData><Year>2026</Year><LEA>999</LEA><Estab>2999</Estab>\
             <SchoolName>Elsewhere</SchoolName><SessionsPossible>0</SessionsPossible>\
             <SessionsAuthorised>0</SessionsAuthorised><SessionsAttended>0</SessionsAttended>\
             <SessionsUnauthorised>0</SessionsUnauthorised><AttendSessions>\
             <AttendanceStartDate>{start}</AttendanceStartDate>\
             <AttendanceMarks>{marks}</AttendanceMarks></AttendSessions></YearData>"
        )
    };
    let long = "/".repeat(50_000);
    let years: String = (0..30).map(|_| year("2027-01-01", &long)).collect();
    let file = cli.file("endless.xml", &ctf_with("A100000000809", "Ivy", &years));
    let started = std::time::Instant::now();
    let err = cli.fails(NOW, &["import", "ctf", file.to_str().unwrap(), "--dry-run"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        err.contains("50000 sessions, more than a school year holds (732)"),
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(
        err.contains("more than 20 YearData"),
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(err.lines().count() < 120, "{} lines", err.lines().count());
    // Born in the future; a year that is not one.
    let odd = ctf_with("A100000000809", "Ivy", &year("2025-09-01", "/"))
        .replace("<DOB>2019-01-10</DOB>", "<DOB>2100-12-31</DOB>")
        .replace("<Year>2026</Year>", "<Year>notayear</Year>");
    let file = cli.file("odd.xml", &odd);
    let err = cli.fails(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(
        err.contains("YearData[1]/Year: `notayear` is not a year"),
        "{err}"
    );
    let fixed = odd
        .replace("<Year>notayear</Year>", "<Year>2025</Year>")
        .replace("<SessionsPossible>0<", "<SessionsPossible>1<")
        .replace("<SessionsAttended>0<", "<SessionsAttended>1<");
    let file = cli.file("odd.xml", &fixed);
    let err = cli.fails(NOW, &["import", "ctf", file.to_str().unwrap()]);
    assert!(err.contains("born 2100-12-31"), "{err}");
}

/// `mark-batch` refuses a device; a line longer than 64 KB stops the reading at that line.
#[test]
fn mark_batch_reads_no_device_and_no_endless_line() {
    let cli = admin_school();
    let err = cli.fails("2026-11-23T09:10", &["mark-batch", "/dev/zero"]);
    assert!(err.contains("not a regular file"), "{err}");
    let endless = cli.file(
        "endless.csv",
        &format!("Oak,am,2026-11-23,{}\n", "x".repeat(100_000)),
    );
    let err = cli.fails(
        "2026-11-23T09:10",
        &["mark-batch", endless.to_str().unwrap()],
    );
    assert!(err.contains("line 1 is longer than 64 KB"), "{err}");
}

/// Backup names are letters, digits, `-`, `_` and `.`; `--force` replaces a file, never a
/// device or a FIFO.
#[test]
fn backup_names_are_plain_and_force_replaces_only_files() {
    let cli = admin_school();
    for name in ["a b;rm -rf.redb", "école.redb", "x\\y", " "] {
        let err = cli.fails(NOW, &["backup", name]);
        assert!(err.contains("is not a backup's file name"), "{name}: {err}");
    }
    crate::exchange::give_sexes(&cli);
    let fifo = cli.dir.path().join("fifo.xml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let err = cli.fails(
        NOW,
        &[
            "export",
            "ctf",
            "--group",
            "Oak",
            "--dest-la",
            "357",
            "--dest-estab",
            "4001",
            "--out",
            fifo.to_str().unwrap(),
            "--force",
        ],
    );
    assert!(err.contains("is not a plain file"), "{err}");
}

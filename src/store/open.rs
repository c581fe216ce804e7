//! Opening a database file safely: only `init` creates one (atomically), a file that is not a
//! whole rollcall database is refused with what is wrong and what to do, and the file is kept
//! private to the account that runs rollcall.

use super::error::{Result, StoreError};
use super::migrate::{MIGRATIONS, tables_of};
use super::schema::{self, META, SCHEMA_KEY, SCHEMA_VERSION};
use redb::{Database, DatabaseError, ReadOnlyDatabase, ReadableDatabase, StorageError};
use std::io::ErrorKind;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// How a command uses the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reports, exports, history: nothing is written, not even by opening.
    ReadOnly,
    /// Marks and setup: the whole file is checked before anything is written to it.
    ReadWrite,
}

/// An open database.
pub(super) enum Handle {
    Write(Database),
    Read(ReadOnlyDatabase),
}

/// The page cache: small, as this runs on old laptops, and the working set is small.
/// The database's page cache: a thousandth of the machine's memory, between 4 and 16 MiB.
/// A school's working set is small (this month's marks for every pupil are a few hundred
/// KB), so the cache is for the pages a morning touches, not for the file.
fn cache_bytes() -> usize {
    const MIB: usize = 1024 * 1024;
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        })
        .map_or(0, |kb| kb * 1024);
    (total / 1024).clamp(4 * MIB, 16 * MIB)
}

/// What to do when a database cannot be used as it is.
const RESTORE: &str =
    "restore the latest backup (`rollcall check FILE` tells whether a copy is whole)";

fn fail(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Whether `path` is a database rollcall can try to open, in words when it is not.
pub(super) fn check_file(path: &Path) -> Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => StoreError::Missing {
            path: path.to_path_buf(),
        },
        ErrorKind::PermissionDenied => fail(
            path,
            "permission denied: this account cannot reach the file (check the directories above it, or use the school's server with --socket)",
        ),
        _ => fail(path, e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(fail(path, "is not a file"));
    }
    if meta.len() == 0 {
        return Err(fail(
            path,
            format!(
                "the file is empty (0 bytes): it is not a rollcall database. If it should hold one, {RESTORE}; to start a new school, remove it and run `rollcall init`"
            ),
        ));
    }
    Ok(meta)
}

/// The database's file is the school's records of children: nobody but the account running
/// rollcall may read it. A file of ours is made private; someone else's that others can read is
/// refused.
fn keep_private(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let mode = meta.mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    if meta.uid() == nix::unistd::geteuid().as_raw() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
            fail(
                path,
                format!("cannot make the file private (chmod 600): {e}"),
            )
        })?;
        return Ok(());
    }
    Err(fail(
        path,
        format!(
            "other accounts can read this file (mode {mode:04o}) and it is not this account's: ask its owner to run `chmod 600` on it"
        ),
    ))
}

/// Turns redb's reasons for not opening a file into what a member of staff can act on.
fn open_error(path: &Path, error: DatabaseError) -> StoreError {
    match error {
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::InUse {
                path: path.to_path_buf(),
            }
        }
        DatabaseError::RepairAborted => fail(
            path,
            format!("the file was not closed cleanly and could not be recovered: {RESTORE}"),
        ),
        DatabaseError::UpgradeRequired(v) => fail(
            path,
            format!("written in an old redb format ({v}) this build cannot read"),
        ),
        DatabaseError::Storage(StorageError::Io(e)) => io_error(path, &e),
        DatabaseError::Storage(StorageError::Corrupted(why)) => fail(
            path,
            format!("the database is damaged ({why}); nothing was written to it: {RESTORE}"),
        ),
        other => fail(
            path,
            format!("{other}; nothing was written to it: {RESTORE}"),
        ),
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    match e.kind() {
        ErrorKind::UnexpectedEof => fail(
            path,
            format!(
                "the file is truncated (shorter than its own header says); nothing was written to it: {RESTORE}"
            ),
        ),
        ErrorKind::InvalidData => fail(
            path,
            format!(
                "not a rollcall database (not a redb file); nothing was written to it. If it should hold one, {RESTORE}"
            ),
        ),
        ErrorKind::PermissionDenied => fail(
            path,
            "permission denied: this account may not write the file (read-only commands still work)",
        ),
        _ => fail(path, e.to_string()),
    }
}

/// Opens an existing database. Read-write opens verify every page first (redb's integrity
/// check), so a damaged file is refused before anything is written to it.
/// `keep_copy`: before an upgrade, keep the file as it was beside it (not for a scratch copy).
pub(super) fn open(path: &Path, access: Access, keep_copy: bool) -> Result<Handle> {
    let meta = check_file(path)?;
    let read_only = || {
        Database::builder()
            .set_cache_size(cache_bytes())
            .open_read_only(path)
    };
    let read_write = || {
        keep_private(path, &meta)?;
        // No whole-file integrity check here: it read every page of years of marks on every
        // open. redb repairs a file not closed cleanly by itself; the people tables' seal is
        // checked below (`seal.rs`); `rollcall check` runs the whole-file check.
        Database::builder()
            .set_cache_size(cache_bytes())
            .open(path)
            .map_err(|e| open_error(path, e))
    };
    // A read makes its own file private too (pupil data is nobody else's); another account's
    // file it can only read.
    let read_only_privately = || {
        if meta.uid() == nix::unistd::geteuid().as_raw() {
            keep_private(path, &meta)?;
        }
        Ok::<_, StoreError>(read_only())
    };
    let handle = match access {
        Access::ReadWrite => {
            // The integrity check commits: look at the schema read-only first, so that a file
            // that is whole but not a current rollcall database is refused untouched.
            match read_only() {
                Ok(db) => {
                    let version = inspect(&db, path)?;
                    if version == 0 {
                        return Err(not_ours(path));
                    }
                    // The seal is checked before the file is opened for writing: opening it so
                    // already writes its header.
                    if version == SCHEMA_VERSION {
                        verify_seal(&db, path)?;
                    } else if version < SCHEMA_VERSION && keep_copy {
                        // An upgrade is one-way (an older rollcall refuses the file after it):
                        // the file as it was is kept beside it first, and the upgrade said.
                        let copy = keep_before_upgrade(path, version)?;
                        log::warn!(
                            "upgrading {} from schema {version} to {SCHEMA_VERSION}; \
                             the file as it was is kept at {}",
                            path.display(),
                            copy.display()
                        );
                    }
                }
                Err(DatabaseError::RepairAborted) => {}
                Err(e) => return Err(open_error(path, e)),
            }
            Handle::Write(read_write()?)
        }
        Access::ReadOnly => match read_only_privately()? {
            Ok(db) => Handle::Read(db),
            // Left unclean by a crash (kill -9, a power cut): recover it first, which is the
            // one write a read-only command makes, then read.
            Err(DatabaseError::RepairAborted) => {
                drop(read_write()?);
                Handle::Read(read_only().map_err(|e| open_error(path, e))?)
            }
            Err(e) => return Err(open_error(path, e)),
        },
    };
    Ok(handle)
}

/// Reads the schema version: a missing one is a new file (0).
/// Copies a file about to be upgraded to `NAME.schemaN.redb` beside it (private, synced, never
/// over an earlier copy: `NAME.schemaN-2.redb` and on), while only read-only handles are open.
fn keep_before_upgrade(path: &Path, version: u32) -> Result<std::path::PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let dir = path.parent().unwrap_or(Path::new("."));
    for n in 1..100 {
        let name = if n == 1 {
            format!("{stem}.schema{version}.redb")
        } else {
            format!("{stem}.schema{version}-{n}.redb")
        };
        let copy = dir.join(name);
        let mut to = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&copy)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(fail(
                    path,
                    format!(
                        "needs upgrading, and a copy of it as it was could not be made at {} ({e}): nothing was changed; free space there, or upgrade a copy",
                        copy.display()
                    ),
                ));
            }
        };
        let copied = std::fs::File::open(path)
            .and_then(|mut from| std::io::copy(&mut from, &mut to))
            .and_then(|_| to.sync_all());
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&copy);
            return Err(fail(
                path,
                format!(
                    "needs upgrading, and the copy of it as it was failed ({e}): nothing was changed"
                ),
            ));
        }
        return Ok(copy);
    }
    Err(fail(
        path,
        "needs upgrading, and 99 copies from earlier upgrades are beside it: move them away",
    ))
}

/// The schema a file was written with, read without changing it (0: not rollcall's).
pub fn file_schema(path: &Path) -> Result<u32> {
    let db = Database::builder()
        .set_cache_size(cache_bytes())
        .open_read_only(path)
        .map_err(|e| open_error(path, e))?;
    schema_version(&db, path)
}

fn schema_version(db: &impl ReadableDatabase, path: &Path) -> Result<u32> {
    let tx = db.begin_read()?;
    let meta = match tx.open_table(META) {
        Ok(table) => table,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let Some(value) = meta.get(SCHEMA_KEY)? else {
        return Ok(0);
    };
    let bytes: [u8; 4] = value.value().try_into().map_err(|_| {
        fail(
            path,
            format!("the schema version is damaged (not 4 bytes): {RESTORE}"),
        )
    })?;
    let found = u32::from_be_bytes(bytes);
    // A newer rollcall adds versions one at a time; a wild number is damage, not the future.
    if found > SCHEMA_VERSION + 100 {
        return Err(fail(
            path,
            format!("the schema version is damaged (reads {found}): {RESTORE}"),
        ));
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// redb stopped inside the file (a panic on a page it did not expect): the file is damaged.
pub(super) fn damaged_inside(path: &Path, why: &str) -> StoreError {
    fail(
        path,
        format!(
            "the database is damaged (redb stopped reading it: {why}); nothing was written to it: {RESTORE}"
        ),
    )
}

fn not_ours(path: &Path) -> StoreError {
    fail(
        path,
        format!("not a rollcall database (no schema); if it should hold one, {RESTORE}"),
    )
}

/// The schema version of a database, after checking that every table of that version is
/// there; 0 for a redb file that is not a rollcall database.
fn inspect(db: &impl ReadableDatabase, path: &Path) -> Result<u32> {
    let found = schema_version(db, path)?;
    if found > 0 {
        check_tables(db, path, tables_of(found))?;
    }
    Ok(found)
}

/// Brings a database to this build's schema and checks that it is whole: the version is ours
/// and every table is there. A missing table is damage: it is never created again over lost
/// data. Whether an older one with data was migrated.
pub(super) fn prepare(handle: &Handle, path: &Path) -> Result<bool> {
    let found = match handle {
        Handle::Write(db) => schema_version(db, path)?,
        Handle::Read(db) => schema_version(db, path)?,
    };
    if found == 0 && matches!(handle, Handle::Read(_)) {
        return Err(not_ours(path));
    }
    if found < SCHEMA_VERSION {
        let Handle::Write(db) = handle else {
            // A damaged file is said to be damaged, not merely old: what can be read of it
            // without writing is read first.
            if let Handle::Read(db) = handle {
                check_tables(db, path, tables_of(found))?;
                verify_seal(db, path)?;
            }
            return Err(fail(
                path,
                "was written by an older rollcall and needs upgrading: run any command that writes (for example `rollcall staff add` for yourself) once",
            ));
        };
        if found > 0 {
            check_tables(db, path, tables_of(found))?;
        }
        let tx = db.begin_write()?;
        for migration in &MIGRATIONS[found as usize..] {
            migration(&tx)?;
        }
        tx.open_table(META)?
            .insert(SCHEMA_KEY, SCHEMA_VERSION.to_be_bytes().as_slice())?;
        // The migration rewrote the sealed tables: seal them as they now are.
        super::seal::reseal(&tx)?;
        tx.commit()?;
    }
    match handle {
        Handle::Write(db) => check_tables(db, path, schema::TABLES)?,
        Handle::Read(db) => check_tables(db, path, schema::TABLES)?,
    }
    Ok(found > 0 && found < SCHEMA_VERSION)
}

/// Opened for writing: the people tables must match their seal (or get one, the first time a
/// file from before seals is opened), so that a file changed outside rollcall or damaged is
/// refused before anything is written to it. Reads only the tables that describe the school.
pub(super) fn check_seal(handle: &Handle) -> Result<()> {
    let Handle::Write(db) = handle else {
        return Ok(());
    };
    // The seal was checked on the read-only look before this open: here only a file from
    // before seals is sealed, as it is.
    if super::seal::stored(&db.begin_read()?)?.is_some() {
        return Ok(());
    }
    let tx = db.begin_write()?;
    super::seal::reseal(&tx)?;
    tx.commit()?;
    Ok(())
}

/// The seal checked on a file opened for reading only (before it is opened for writing).
fn verify_seal(db: &impl ReadableDatabase, path: &Path) -> Result<()> {
    super::seal::verify(&db.begin_read()?).map_err(|e| fail(path, format!("{e}: {RESTORE}")))
}

/// redb's whole-file check: every page's checksum, and a repair if one is off. For
/// `rollcall check` and a backup's check, on a scratch copy (a repair lands on the copy).
pub(super) fn check_whole_file(path: &Path) -> Result<()> {
    Database::builder()
        .set_cache_size(cache_bytes())
        .set_check_integrity_on_open(true)
        .open(path)
        .map(drop)
        .map_err(|e| open_error(path, e))
}

/// After a migration the old tables' pages are free but still in the file: give them back.
pub(super) fn compact(handle: &mut Handle, path: &Path) -> Result<()> {
    if let Handle::Write(db) = handle {
        db.compact()
            .map_err(|e| fail(path, format!("compacting after the upgrade: {e}")))?;
    }
    Ok(())
}

fn check_tables(db: &impl ReadableDatabase, path: &Path, expected: &[&str]) -> Result<()> {
    let tx = db.begin_read()?;
    let present: Vec<String> = tx
        .list_tables()?
        .map(|t| redb::TableHandle::name(&t).to_string())
        .collect();
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|name| !present.iter().any(|p| p == name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(fail(
        path,
        format!(
            "the database is damaged: table{} {} missing; nothing was written to it: {RESTORE}",
            if missing.len() == 1 { "" } else { "s" },
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
                + if missing.len() == 1 { " is" } else { " are" }
        ),
    ))
}

/// Creates a new database at `path` holding `school_source`, all at once: it is built in a
/// temporary file beside `path` and renamed into place only when complete, so a failed `init`
/// (a full disk, a power cut) leaves no file behind.
/// The hidden name a new database is built under beside `name`, by this process: a kill
/// leaves it behind, and [`clean_partial`] removes it once that process is gone.
fn building_name(name: &str) -> String {
    format!(".{name}.new-{}", std::process::id())
}

/// Removes what a killed rollcall left while building a database or a backup in `dir`
/// (`.NAME.new-PID` whose process is gone); the names removed.
pub fn clean_partial(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.rsplit_once(".new-"))
            .and_then(|(_, pid)| pid.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let made = meta.modified().unwrap_or(std::time::SystemTime::UNIX_EPOCH);
        if creator_alive(pid, made) {
            continue;
        }
        // A check's private directory goes whole; a link is removed, never followed.
        let gone = if meta.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        if gone.is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// Whether the process that made a file at `made` is still running: not gone, not a zombie
/// (killed, not yet reaped), and not a later process that was given the same number.
fn creator_alive(pid: i32, made: std::time::SystemTime) -> bool {
    if pid == std::process::id() as i32 {
        return true;
    }
    let proc = Path::new("/proc").join(pid.to_string());
    if Path::new("/proc/self").exists() {
        let Ok(meta) = std::fs::metadata(&proc) else {
            return false;
        };
        // The state follows the command's name in parentheses: Z or X is a dead process.
        if let Ok(stat) = std::fs::read_to_string(proc.join("stat"))
            && let Some((_, after)) = stat.rsplit_once(')')
            && matches!(after.trim_start().chars().next(), Some('Z' | 'X'))
        {
            return false;
        }
        // /proc/PID dates from the process's start: a process started after the file was
        // made did not make it.
        if let Ok(started) = meta.modified()
            && started > made + std::time::Duration::from_secs(2)
        {
            return false;
        }
        return true;
    }
    // Signal 0 asks only whether the process is there (another account's says EPERM).
    !matches!(
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
        Err(nix::errno::Errno::ESRCH)
    )
}

/// Creates a new database at `path` (mode `mode`), refusing anything already there, a link
/// included (a link planted at the name is never followed or replaced).
pub(super) fn create_new(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&Database) -> Result<()>,
) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(fail(
            path,
            "already exists: give a new name (a file is never overwritten)",
        ));
    }
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    create_private_dir(&dir)
        .map_err(|e| fail(&dir, format!("cannot create the directory: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rollcall.redb".into());
    let temp = dir.join(building_name(&name));
    let _ = std::fs::remove_file(&temp);
    let built = (|| -> Result<()> {
        create_file(&temp, mode).map_err(|e| fail(path, format!("cannot create: {e}")))?;
        let db = Database::builder()
            .set_cache_size(cache_bytes())
            .create(&temp)
            .map_err(|e| open_error(path, e))?;
        let handle = Handle::Write(db);
        prepare(&handle, path)?;
        if let Handle::Write(db) = &handle {
            write(db)?;
        }
        drop(handle);
        std::fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| fail(path, e.to_string()))?;
        // A link, not a rename: it fails if anything took the name meanwhile.
        std::fs::hard_link(&temp, path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                fail(
                    path,
                    "already exists: give a new name (a file is never overwritten)",
                )
            } else {
                fail(path, e.to_string())
            }
        })?;
        std::fs::remove_file(&temp).map_err(|e| fail(path, e.to_string()))?;
        std::fs::File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| fail(path, e.to_string()))
    })();
    if built.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    built
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

fn create_file(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    // The umask may have taken bits the caller asked for (a group's read).
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

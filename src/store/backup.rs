//! Backups: a consistent copy of a database in use, and a check that a copy reads whole.
//!
//! A copy is taken inside one read transaction, so it is the database as of one commit while
//! marking goes on in others. Every table is copied entry by entry as the bytes it holds,
//! under its own types' names and orderings ([`Raw`]), so nothing is decoded, changed or lost
//! on the way; the copy is built beside its destination and renamed into place whole.

use super::error::{Result, StoreError};
use super::handle::Store;
use super::month::Month;
use super::open::{self, Access, Handle};
use super::raw::Raw;
use super::schema::*;
use redb::{
    Key, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, TableHandle, Value,
    WriteTransaction,
};
use std::path::Path;

/// Copies one table's entries as bytes; how many.
fn copy<K: Key + 'static, V: Value + 'static>(
    table: TableDefinition<K, V>,
    from: &ReadTransaction,
    to: &WriteTransaction,
) -> Result<u64> {
    let raw: TableDefinition<Raw<K>, Raw<V>> = TableDefinition::new(table.name());
    let source = from.open_table(raw)?;
    let mut target = to.open_table(raw)?;
    let mut n = 0;
    for entry in source.iter()? {
        let (k, v) = entry?;
        target.insert(k.value(), v.value())?;
        n += 1;
    }
    Ok(n)
}

/// Copies each table it is shown, entry by entry as bytes.
struct Copier<'a> {
    from: &'a ReadTransaction,
    to: &'a WriteTransaction,
    entries: u64,
}

impl VisitTable for Copier<'_> {
    fn table<K: Key + 'static, V: Value + 'static>(
        &mut self,
        table: TableDefinition<K, V>,
    ) -> Result<()> {
        self.entries += copy(table, self.from, self.to)?;
        Ok(())
    }
}

/// What a backup or a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contents {
    pub schema: u32,
    pub pupils: u64,
    pub staff: u64,
    /// Pupil-months of marks, and the marks in them.
    pub months: u64,
    pub marks: u64,
    pub changes: u64,
    pub entries: u64,
}

impl Store {
    /// A consistent copy of this database at `dest` (which must not exist), as of one commit,
    /// while others go on writing.
    pub fn backup_to(&self, dest: &Path) -> Result<Contents> {
        let snapshot = {
            let guard = self.handle()?;
            match guard.as_ref() {
                Some(Handle::Write(db)) => db.begin_read()?,
                Some(Handle::Read(db)) => db.begin_read()?,
                None => return Err(StoreError::Io("the database is not open".into())),
            }
        };
        let mut entries = 0;
        // Readable by the backup directory's group (the admins') and no one else.
        open::create_new(dest, 0o640, |db| {
            let w = db.begin_write()?;
            // Every table of the schema: a table added later is copied without a word here.
            let mut copier = Copier {
                from: &snapshot,
                to: &w,
                entries: 0,
            };
            each_table(&mut copier)?;
            entries = copier.entries;
            w.commit()?;
            Ok(())
        })?;
        drop(snapshot);
        let mut contents = check(dest)?;
        contents.entries = entries;
        Ok(contents)
    }
}

/// Checks a copy: redb's whole-file integrity check (run on a scratch copy, so the file itself
/// is never written), then every record read and decoded. A copy that passes can be restored.
pub fn check(path: &Path) -> Result<Contents> {
    let (mut source, meta) = crate::files::open_regular(path)
        .map_err(|e| StoreError::Io(format!("cannot be read: {e}")))?;
    let size = meta.len();
    // A file that is not redb's is named at once, not copied first (a sparse file of
    // gigabytes would fill the disk).
    {
        use std::io::Read;
        let mut magic = [0u8; 9];
        let read = source.read(&mut magic).unwrap_or(0);
        if read < magic.len() || magic != REDB_MAGIC {
            return Err(StoreError::Corrupt(format!(
                "{}: not a rollcall database (no redb header)",
                path.display()
            )));
        }
        use std::io::Seek;
        source
            .seek(std::io::SeekFrom::Start(0))
            .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
    }
    let scratch = Scratch::new()?;
    // The copy can fail on either side: say which, so a full temporary directory is not
    // taken for a damaged database.
    let copied = scratch
        .create()
        .and_then(|mut to| std::io::copy(&mut source, &mut to).and_then(|_| to.sync_all()));
    if let Err(e) = copied {
        return Err(StoreError::Io(format!(
            "cannot check {}: the check works on a copy ({} MB) in {}, and writing it failed ({e}); \
             nothing is wrong with the file itself as far as this says: free space there, or set \
             TMPDIR to a directory with room",
            path.display(),
            size.div_ceil(1 << 20),
            std::env::temp_dir().display()
        )));
    }
    // Errors name the copy asked about, not the scratch file.
    // Said once: an error that already names the file and its damage keeps its words.
    let named = |e: StoreError| {
        let said = e.to_string().replace(
            &scratch.path().display().to_string(),
            &path.display().to_string(),
        );
        match e {
            StoreError::Open { .. } => StoreError::Open {
                path: path.to_path_buf(),
                message: said
                    .strip_prefix(&format!("{}: ", path.display()))
                    .unwrap_or(&said)
                    .to_string(),
            },
            _ => StoreError::Corrupt(said),
        }
    };
    // redb may panic on a damaged page: contained, and reported as damage to this file.
    crate::contain::catching(|| read_through(&scratch.path()))
        .unwrap_or_else(|why| Err(super::open::damaged_inside(&scratch.path(), &why)))
        .map_err(named)
}

/// Opens a scratch copy read-write (redb's integrity check runs, and any repair lands on the
/// copy), then reads and decodes every record.
fn read_through(scratch: &Path) -> Result<Contents> {
    open::check_whole_file(scratch)?;
    // The file's own schema, before opening the copy upgrades it.
    let schema = open::file_schema(scratch)?;
    {
        let checked = Store::open_scratch(scratch)?;
        drop(checked);
    }
    let store = Store::open(scratch, Access::ReadOnly)?;
    let r = store.read()?;
    let mut contents = Contents {
        schema,
        pupils: r.pupils()?.len() as u64,
        staff: r.all_staff()?.len() as u64,
        ..Contents::default()
    };
    r.each_month(0, u32::MAX, |_, m, bytes| {
        let month = Month::decode(m, bytes)
            .map_err(|e| StoreError::Corrupt(format!("a month of marks ({m}): {}", e.0)))?;
        contents.months += 1;
        contents.marks += month.slots.len() as u64;
        Ok(true)
    })?;
    contents.changes = r.count_changes()?;
    Ok(contents)
}

/// The first bytes of every redb file.
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// A scratch copy in a directory of its own in the system's temporary directory: made fresh
/// (never one already there, which another account could have planted), private (0700, the
/// copy 0600, whatever the umask), named as a database being built is (`.NAME.new-PID`) so
/// that what a killed check left is removed by the next check or server start; removed when
/// dropped.
struct Scratch {
    dir: std::path::PathBuf,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        if base.as_os_str().is_empty() {
            return Err(StoreError::Io("no temporary directory to check in".into()));
        }
        let _ = open::clean_partial(&base);
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        for _ in 0..100 {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = base.join(format!(".rollcall-check-{n}.new-{}", std::process::id()));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(Scratch { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(StoreError::Io(format!(
                        "cannot make a private directory in {} for the check's copy: {e}",
                        base.display()
                    )));
                }
            }
        }
        Err(StoreError::Io(format!(
            "cannot make a private directory in {} for the check's copy",
            base.display()
        )))
    }

    fn path(&self) -> std::path::PathBuf {
        self.dir.join("copy.redb")
    }

    /// The copy, created afresh and private.
    fn create(&self) -> std::io::Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(self.path())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

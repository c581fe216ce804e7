//! The database handle: opening and creating the file, a consistent read, a write that
//! commits durably or saves nothing, and reopening after a failed write.

use super::error::{Result, StoreError};
use super::open::{self, Access, Handle};
use super::schema::{META, Reader, SCHEMA_KEY, SCHOOL_KEY, Tables, Writer};
use redb::ReadableDatabase;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// Where a line for the log goes (a server's log; nowhere in a command).
pub type Log = Box<dyn Fn(&str) + Send + Sync>;

pub struct Store {
    path: PathBuf,
    access: Access,
    /// `None` after a write failed: the next use opens the file afresh (a failed commit leaves
    /// redb refusing every later write until the database is reopened).
    db: RwLock<Option<Handle>>,
    log: Option<Log>,
    /// Commits skip the fsync until [`Store::end_bulk`] (building a demo school: thousands of
    /// commits nobody is waiting on). Never set for marks people make.
    bulk: std::sync::atomic::AtomicBool,
    /// Set from a failed write until one succeeds: the log says each once, not every attempt
    /// while a disk stays full.
    failing: std::sync::atomic::AtomicBool,
}

impl Drop for Store {
    /// redb commits as it closes a file; on a damaged file that can panic inside it, after
    /// the command's own work: contained, so the command ends as its work did.
    fn drop(&mut self) {
        let handle = self.db.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        let _ = crate::contain::catching(move || drop(handle));
    }
}

impl Store {
    /// Opens an existing database, for reading only or for reading and writing, checks that it
    /// is whole and brings it to this build's schema. Only [`Store::create`] makes a new one.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        Store::open_keeping(path, access, true)
    }

    /// [`Store::open`] of a scratch copy, which is upgraded without a copy kept of it.
    pub(super) fn open_scratch(path: &Path) -> Result<Store> {
        Store::open_keeping(path, Access::ReadWrite, false)
    }

    fn open_keeping(path: &Path, access: Access, keep_copy: bool) -> Result<Store> {
        // redb panics on some damaged pages rather than returning an error: contained here,
        // so every command names the file as damaged instead of crashing.
        let handle = crate::contain::catching(|| {
            let mut handle = open::open(path, access, keep_copy)?;
            if open::prepare(&handle, path)? {
                open::compact(&mut handle, path)?;
            }
            open::check_seal(&handle)?;
            Ok(handle)
        })
        .unwrap_or_else(|why| Err(open::damaged_inside(path, &why)))?;
        Ok(Store {
            path: path.to_path_buf(),
            access,
            db: RwLock::new(Some(handle)),
            log: None,
            bulk: std::sync::atomic::AtomicBool::new(false),
            failing: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// From now on commits are not flushed to disk one by one: for building a database in
    /// bulk, where a crash part way means starting again. [`Store::end_bulk`] makes it all
    /// durable.
    pub fn begin_bulk(&self) {
        self.bulk.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Makes everything written in bulk durable with one flushed commit, then gives back the
    /// pages the bulk commits freed (they could not be reused before a durable commit).
    pub fn end_bulk(&self) -> Result<()> {
        self.bulk.store(false, std::sync::atomic::Ordering::SeqCst);
        self.write(|_| Ok::<_, StoreError>(()))?;
        let mut slot = self.db.write().unwrap_or_else(|p| p.into_inner());
        if let Some(handle) = slot.as_mut() {
            open::compact(handle, &self.path)?;
        }
        Ok(())
    }

    /// Creates a new database holding a school's configuration, atomically: a failure leaves
    /// no file behind. Refused if the file exists.
    pub fn create(path: &Path, school_source: &str) -> Result<Store> {
        open::create_new(path, 0o600, |db| {
            let tx = db.begin_write()?;
            tx.open_table(META)?
                .insert(SCHOOL_KEY, school_source.as_bytes())?;
            super::seal::reseal(&tx)?;
            tx.commit()?;
            Ok(())
        })?;
        Store::open(path, Access::ReadWrite)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lines about the database's health (a write failing, writing again) go to `log`.
    pub fn set_log(&mut self, log: Log) {
        self.log = Some(log);
    }

    fn say(&self, line: &str) {
        if let Some(log) = &self.log {
            log(line);
        }
    }

    pub(super) fn handle(&self) -> Result<std::sync::RwLockReadGuard<'_, Option<Handle>>> {
        let guard = self.db.read().unwrap_or_else(|p| p.into_inner());
        if guard.is_some() {
            return Ok(guard);
        }
        drop(guard);
        self.reopen()?;
        Ok(self.db.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Opens the file afresh after a failed write, once it can be (checked whole first).
    fn reopen(&self) -> Result<()> {
        let mut slot = self.db.write().unwrap_or_else(|p| p.into_inner());
        if slot.is_some() {
            return Ok(());
        }
        let handle = open::open(&self.path, self.access, true).map_err(|e| {
            StoreError::Io(format!(
                "the database cannot be written yet ({e}): nothing of this change was saved"
            ))
        })?;
        open::prepare(&handle, &self.path)?;
        *slot = Some(handle);
        Ok(())
    }

    /// After a write failed with an I/O error, drops the database so that the next use opens
    /// it again: redb refuses every write after one failed commit until then.
    fn write_failed(&self, e: &StoreError) {
        if !matches!(e, StoreError::Io(_)) {
            return;
        }
        let mut slot = self.db.write().unwrap_or_else(|p| p.into_inner());
        slot.take();
        if !self.failing.swap(true, std::sync::atomic::Ordering::SeqCst) {
            self.say(&format!(
                "{}: {e}; changes are refused until the database can be written again",
                self.path.display()
            ));
        }
    }

    /// A consistent read of the database as it is now.
    pub fn read(&self) -> Result<Reader> {
        let guard = self.handle()?;
        let tx = match guard.as_ref() {
            Some(Handle::Write(db)) => db.begin_read()?,
            Some(Handle::Read(db)) => db.begin_read()?,
            None => return Err(StoreError::Io("the database is not open".into())),
        };
        Tables::open_read(&tx)
    }

    /// Runs `work` in one write transaction and commits it: durable, all or nothing. An error
    /// from `work` saves nothing; so does [`Writer::discard`].
    pub fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let outcome = self.try_write(work);
        match &outcome {
            Err(Attempt::Store(e)) => self.write_failed(e),
            Ok(_)
                if self
                    .failing
                    .swap(false, std::sync::atomic::Ordering::SeqCst) =>
            {
                self.say(&format!(
                    "{}: written again after the failed writes; saving marks again",
                    self.path.display()
                ));
            }
            _ => {}
        }
        outcome.map_err(|e| match e {
            Attempt::Store(e) => E::from(e),
            Attempt::Work(e) => e,
        })
    }

    fn try_write<T, E>(
        &self,
        work: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, Attempt<E>> {
        let guard = self.handle()?;
        let db = match guard.as_ref() {
            Some(Handle::Write(db)) => db,
            _ => {
                return Err(Attempt::Store(StoreError::ReadOnly(format!(
                    "{} was opened read-only: this command does not change anything",
                    self.path.display()
                ))));
            }
        };
        let mut tx = db.begin_write().map_err(StoreError::from)?;
        if self.bulk.load(std::sync::atomic::Ordering::SeqCst) {
            tx.set_durability(redb::Durability::None)
                .map_err(|e| StoreError::Database(e.to_string()))?;
        }
        let (out, keep, people) = {
            let mut writer = Tables::open_write(&tx)?;
            let out = work(&mut writer).map_err(Attempt::Work)?;
            (out, !writer.kind.discard, writer.kind.people_changed)
        };
        if keep && people {
            super::seal::reseal(&tx)?;
        }
        if keep {
            tx.commit().map_err(StoreError::from)?;
        } else {
            tx.abort().map_err(StoreError::from)?;
        }
        Ok(out)
    }

    /// For tests of the schema check: writes a raw schema version.
    #[doc(hidden)]
    pub fn force_schema_version(&self, version: u32) -> Result<()> {
        let guard = self.handle()?;
        let Some(Handle::Write(db)) = guard.as_ref() else {
            return Err(StoreError::ReadOnly("read-only".into()));
        };
        let tx = db.begin_write()?;
        tx.open_table(META)?
            .insert(SCHEMA_KEY, version.to_be_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
    }
}

/// A write that failed in the store, or in the work done inside it.
enum Attempt<E> {
    Store(StoreError),
    Work(E),
}

impl<E> From<StoreError> for Attempt<E> {
    fn from(e: StoreError) -> Self {
        Attempt::Store(e)
    }
}

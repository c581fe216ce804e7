//! The store: the only code that touches redb.
//!
//! Keys are designed for a 2000-pupil school with six years of history (about 4.6 million
//! session marks): a day's marks, a date range, a pupil's year to date and a group's roll are
//! all range reads on a key prefix, never full scans. The tables and their keys are in
//! [`schema`]; what is stored in them, row by row, in `rows` (private: the rest of the program
//! sees the domain's types).
//!
//! A transaction opens each table once, when it begins ([`Tables`]), and every read is written
//! once for both kinds of transaction. Every write commits with redb's default immediate
//! durability: when a write returns, the data is on disk and survives `kill -9` and power loss.

mod actions;
pub mod backup;
mod desk;
mod keys;
mod migrate;
pub mod month;
mod open;
mod rows;
pub mod schema;
mod v2;

pub use actions::Actions;
pub use open::Access;

use crate::domain::marks::{Change, ClosedRegister, Cover, Mark, Membership, SessionKey};
use crate::domain::people::{Pupil, Staff};
use crate::domain::session::Session;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use keys::{after, date_of, day, session_of};
use month::{Month, MonthKey, Slot, month_of};
use open::Handle;
use redb::{Key, ReadOnlyTable, ReadableDatabase, ReadableTable, Table, Value};
use rows::{
    Bin, ChangeRow, ClosedRow, CoverRow, MembershipRow, PupilRow, StaffRow, StaffVersionRow,
    decoded,
};
use schema::*;
use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "no database at {path}: create one with `rollcall init --school FILE.toml` (or try `rollcall --demo`)"
    )]
    Missing { path: PathBuf },
    #[error(
        "{path} is open in another rollcall process (a `rollcall serve`?); connect to that server with --socket, or stop it first"
    )]
    InUse { path: PathBuf },
    #[error(
        "{path} was written by a newer rollcall (schema {found}; this build knows up to {supported}): upgrade rollcall to open it"
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database damaged: {0}")]
    Corrupt(String),
    /// Writing failed (a full disk, a failing disk): nothing of the change was saved.
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    ReadOnly(String),
    #[error("database error: {0}")]
    Database(String),
}

/// redb's errors, sorted into what they mean for the person: damage, a failed write, or other.
fn from_storage(e: redb::StorageError) -> StoreError {
    match e {
        redb::StorageError::Corrupted(why) => StoreError::Corrupt(format!(
            "{why}: restore the latest backup (`rollcall check FILE` tells whether a copy is whole)"
        )),
        redb::StorageError::Io(e) => StoreError::Io(format!(
            "could not write the database: {e}: nothing of this change was saved"
        )),
        redb::StorageError::PreviousIo => StoreError::Io(
            "the database could not be written a moment ago (a full or failing disk?): nothing of this change was saved"
                .into(),
        ),
        other => StoreError::Database(other.to_string()),
    }
}

impl From<redb::StorageError> for StoreError {
    fn from(e: redb::StorageError) -> Self {
        from_storage(e)
    }
}

impl From<redb::TransactionError> for StoreError {
    fn from(e: redb::TransactionError) -> Self {
        match e {
            redb::TransactionError::Storage(s) => from_storage(s),
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<redb::TableError> for StoreError {
    fn from(e: redb::TableError) -> Self {
        match e {
            redb::TableError::Storage(s) => from_storage(s),
            redb::TableError::TableDoesNotExist(name) => StoreError::Corrupt(format!(
                "table `{name}` is missing: restore the latest backup"
            )),
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<redb::CommitError> for StoreError {
    fn from(e: redb::CommitError) -> Self {
        match e {
            redb::CommitError::Storage(s) => from_storage(s),
            other => StoreError::Database(other.to_string()),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

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
}

impl Store {
    /// Opens an existing database, for reading only or for reading and writing, checks that it
    /// is whole and brings it to this build's schema. Only [`Store::create`] makes a new one.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        let mut handle = open::open(path, access)?;
        if open::prepare(&handle, path)? {
            open::compact(&mut handle, path)?;
        }
        Ok(Store {
            path: path.to_path_buf(),
            access,
            db: RwLock::new(Some(handle)),
            log: None,
            bulk: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// From now on commits are not flushed to disk one by one: for building a database in
    /// bulk, where a crash part way means starting again. [`Store::end_bulk`] makes it all
    /// durable.
    pub fn begin_bulk(&self) {
        self.bulk.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Makes everything written in bulk durable with one flushed commit.
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
        open::create_new(path, |db| {
            let tx = db.begin_write()?;
            tx.open_table(META)?
                .insert(SCHOOL_KEY, school_source.as_bytes())?;
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

    fn handle(&self) -> Result<std::sync::RwLockReadGuard<'_, Option<Handle>>> {
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
        let handle = open::open(&self.path, self.access).map_err(|e| {
            StoreError::Io(format!(
                "the database cannot be written yet ({e}): nothing of this change was saved"
            ))
        })?;
        open::prepare(&handle, &self.path)?;
        *slot = Some(handle);
        self.say(&format!(
            "{}: opened again after the failed write; saving marks again",
            self.path.display()
        ));
        Ok(())
    }

    /// After a write failed with an I/O error, drops the database so that the next use opens
    /// it again: redb refuses every write after one failed commit until then.
    fn write_failed(&self, e: &StoreError) {
        if !matches!(e, StoreError::Io(_)) {
            return;
        }
        let mut slot = self.db.write().unwrap_or_else(|p| p.into_inner());
        if slot.take().is_some() {
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
        Ok(Tables {
            meta: tx.open_table(META)?,
            staff: tx.open_table(STAFF)?,
            staff_versions: tx.open_table(STAFF_VERSIONS)?,
            pupils: tx.open_table(PUPILS)?,
            pupil_ids: tx.open_table(PUPIL_IDS)?,
            groups: tx.open_table(GROUPS)?,
            group_names: tx.open_table(GROUP_NAMES)?,
            memberships: tx.open_table(MEMBERSHIPS)?,
            rolls: tx.open_table(ROLLS)?,
            months: tx.open_table(MONTHS)?,
            history: tx.open_table(HISTORY)?,
            reasons: tx.open_table(REASONS)?,
            reason_texts: tx.open_table(REASON_TEXTS)?,
            registers: tx.open_table(REGISTERS)?,
            pending_n: tx.open_table(PENDING_N)?,
            cover: tx.open_table(COVER)?,
            cover_log: tx.open_table(COVER_LOG)?,
            alert_actions: tx.open_table(ALERT_ACTIONS)?,
            desk_log: tx.open_table(DESK_LOG)?,
            kind: ReadOnly,
        })
    }

    /// Runs `work` in one write transaction and commits it: durable, all or nothing. An error
    /// from `work` saves nothing; so does [`Writer::discard`].
    pub fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let outcome = self.try_write(work);
        if let Err(Attempt::Store(e)) = &outcome {
            self.write_failed(e);
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
        let (out, keep) = {
            let open = |e: redb::TableError| StoreError::from(e);
            let mut writer = Tables {
                meta: tx.open_table(META).map_err(open)?,
                staff: tx.open_table(STAFF).map_err(open)?,
                staff_versions: tx.open_table(STAFF_VERSIONS).map_err(open)?,
                pupils: tx.open_table(PUPILS).map_err(open)?,
                pupil_ids: tx.open_table(PUPIL_IDS).map_err(open)?,
                groups: tx.open_table(GROUPS).map_err(open)?,
                group_names: tx.open_table(GROUP_NAMES).map_err(open)?,
                memberships: tx.open_table(MEMBERSHIPS).map_err(open)?,
                rolls: tx.open_table(ROLLS).map_err(open)?,
                months: tx.open_table(MONTHS).map_err(open)?,
                history: tx.open_table(HISTORY).map_err(open)?,
                reasons: tx.open_table(REASONS).map_err(open)?,
                reason_texts: tx.open_table(REASON_TEXTS).map_err(open)?,
                registers: tx.open_table(REGISTERS).map_err(open)?,
                pending_n: tx.open_table(PENDING_N).map_err(open)?,
                cover: tx.open_table(COVER).map_err(open)?,
                cover_log: tx.open_table(COVER_LOG).map_err(open)?,
                alert_actions: tx.open_table(ALERT_ACTIONS).map_err(open)?,
                desk_log: tx.open_table(DESK_LOG).map_err(open)?,
                kind: Writable::default(),
            };
            let out = work(&mut writer).map_err(Attempt::Work)?;
            (out, !writer.kind.discard)
        };
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

/// What a transaction's open tables are: read-only, or writable within a write transaction.
pub trait Kind {
    type Table<K: Key + 'static, V: Value + 'static>: ReadableTable<K, V>;
}

/// A read transaction's tables.
pub struct ReadOnly;

impl Kind for ReadOnly {
    type Table<K: Key + 'static, V: Value + 'static> = ReadOnlyTable<K, V>;
}

/// A write transaction's tables, which also read what the transaction has written.
pub struct Writable<'t> {
    discard: bool,
    lifetime: PhantomData<&'t ()>,
}

impl<'t> Kind for Writable<'t> {
    type Table<K: Key + 'static, V: Value + 'static> = Table<'t, K, V>;
}

/// Every table, opened once for one transaction.
pub struct Tables<T: Kind> {
    meta: T::Table<&'static str, &'static [u8]>,
    staff: T::Table<&'static str, Bin<StaffRow>>,
    staff_versions: T::Table<u32, Bin<StaffVersionRow>>,
    pupils: T::Table<&'static str, Bin<PupilRow>>,
    pupil_ids: T::Table<u32, &'static str>,
    groups: T::Table<&'static str, u32>,
    group_names: T::Table<u32, &'static str>,
    memberships: T::Table<(&'static str, i32), Bin<MembershipRow>>,
    rolls: T::Table<(&'static str, &'static str, i32), i32>,
    months: T::Table<(u32, u32), &'static [u8]>,
    history: T::Table<(u32, i32, u8, u16), Bin<ChangeRow>>,
    reasons: T::Table<&'static str, u32>,
    reason_texts: T::Table<u32, &'static str>,
    registers: T::Table<(&'static str, i32, u8), Bin<ClosedRow>>,
    pending_n: T::Table<(i32, u8, u32), ()>,
    cover: T::Table<(&'static str, i32, u8), Bin<CoverRow>>,
    cover_log: T::Table<(i32, u8, &'static str, u32), Bin<CoverRow>>,
    alert_actions: T::Table<(u32, u8, u16), Bin<actions::ActionRow>>,
    desk_log: T::Table<(i32, u32, u8, u16), Bin<desk::DeskRow>>,
    kind: T,
}

/// A consistent read of the database.
pub type Reader = Tables<ReadOnly>;
/// A write transaction in progress (see [`Store::write`]).
pub type Writer<'t> = Tables<Writable<'t>>;

impl Default for Writable<'_> {
    fn default() -> Self {
        Writable {
            discard: false,
            lifetime: PhantomData,
        }
    }
}

/// "the mark of A123… on 2026-11-23 AM", for errors about a damaged record.
fn describe(key: &SessionKey) -> String {
    format!(
        "the mark of {} on {} {}",
        key.upn,
        key.date,
        key.session.label()
    )
}

/// Reads, written once for both kinds of transaction.
impl<T: Kind> Tables<T> {
    pub fn school_source(&self) -> Result<Option<String>> {
        let value = self.meta.get(SCHOOL_KEY)?;
        value
            .map(|v| {
                String::from_utf8(v.value().to_vec())
                    .map_err(|_| StoreError::Corrupt("school configuration is not UTF-8".into()))
            })
            .transpose()
    }

    pub fn staff(&self, account: &str) -> Result<Option<Staff>> {
        let value = self.staff.get(account)?;
        value
            .map(|v| {
                decoded(
                    v.value(),
                    |r| Ok(staff_of(account, r)),
                    || format!("the staff record of `{account}`"),
                )
            })
            .transpose()
    }

    /// What an import made at `at` by `account` came from ("812 marks from old.csv").
    pub fn import_note(&self, at: NaiveDateTime, account: &str) -> Result<Option<String>> {
        let key = format!("import:{}:{account}", at.format("%Y-%m-%dT%H:%M:%S"));
        Ok(self
            .meta
            .get(key.as_str())?
            .map(|v| String::from_utf8_lossy(v.value()).into_owned()))
    }

    /// How many changes the history holds, each read and decoded (a backup's check).
    pub fn count_changes(&self) -> Result<u64> {
        let mut n = 0;
        for entry in self.history.iter()? {
            let (key, value) = entry?;
            if let Err(e) = value.value() {
                let (pupil, day, session, seq) = key.value();
                return Err(StoreError::Corrupt(format!(
                    "change {seq} of pupil {pupil} on day {day} session {session}: {}",
                    e.0
                )));
            }
            n += 1;
        }
        Ok(n)
    }

    pub fn all_staff(&self) -> Result<Vec<Staff>> {
        let mut out = Vec::new();
        for entry in self.staff.iter()? {
            let (key, value) = entry?;
            let account = key.value();
            out.push(decoded(
                value.value(),
                |r| Ok(staff_of(account, r)),
                || format!("the staff record of `{account}`"),
            )?);
        }
        Ok(out)
    }

    /// A member of staff as they were when a version was written.
    fn version(&self, id: u32) -> Result<StaffVersionRow> {
        let value = self.staff_versions.get(id)?.ok_or_else(|| {
            StoreError::Corrupt(format!(
                "staff version {id} is missing: restore the latest backup"
            ))
        })?;
        decoded(value.value(), Ok, || format!("staff version {id}"))
    }

    fn pupil_row(&self, upn: &str) -> Result<Option<PupilRow>> {
        let value = self.pupils.get(upn)?;
        value
            .map(|v| decoded(v.value(), Ok, || format!("the pupil record of {upn}")))
            .transpose()
    }

    pub fn pupil(&self, upn: &str) -> Result<Option<Pupil>> {
        Ok(self.pupil_row(upn)?.map(|r| r.pupil(upn)))
    }

    pub fn pupils(&self) -> Result<Vec<Pupil>> {
        let mut out = Vec::new();
        for entry in self.pupils.iter()? {
            let (key, value) = entry?;
            let upn = key.value();
            out.push(decoded(
                value.value(),
                |r: PupilRow| Ok(r.pupil(upn)),
                || format!("the pupil record of {upn}"),
            )?);
        }
        Ok(out)
    }

    /// The number a pupil's marks are kept under.
    pub fn pupil_id(&self, upn: &str) -> Result<Option<u32>> {
        Ok(self.pupil_row(upn)?.map(|r| r.id))
    }

    /// Every pupil's UPN by id.
    pub fn upns(&self) -> Result<HashMap<u32, String>> {
        let mut out = HashMap::new();
        for entry in self.pupil_ids.iter()? {
            let (id, upn) = entry?;
            out.insert(id.value(), upn.value().to_string());
        }
        Ok(out)
    }

    /// A pupil's group memberships, earliest first.
    pub fn memberships(&self, upn: &str) -> Result<Vec<Membership>> {
        let mut out = Vec::new();
        for entry in self.memberships.range((upn, i32::MIN)..=(upn, i32::MAX))? {
            out.push(decoded(
                entry?.1.value(),
                |r| Ok(Membership::from(r)),
                || format!("a group membership of {upn}"),
            )?);
        }
        Ok(out)
    }

    pub fn group_on(&self, upn: &str, date: NaiveDate) -> Result<Option<String>> {
        Ok(self
            .memberships(upn)?
            .into_iter()
            .rev()
            .find(|m| m.covers(date))
            .map(|m| m.group))
    }

    /// The pupils on a group's roll on a date.
    pub fn roll(&self, group: &str, date: NaiveDate) -> Result<Vec<String>> {
        let today = day(date);
        let upper = after(group);
        let mut out: Vec<String> = Vec::new();
        for entry in self
            .rolls
            .range((group, "", i32::MIN)..(upper.as_str(), "", i32::MIN))?
        {
            let (key, end) = entry?;
            let (_, upn, start) = key.value();
            if start <= today && today <= end.value() && out.last().is_none_or(|u| u != upn) {
                out.push(upn.to_string());
            }
        }
        Ok(out)
    }

    fn group_name(&self, id: u32) -> Result<String> {
        self.group_names
            .get(id)?
            .map(|v| v.value().to_string())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("group {id} is missing: restore the latest backup"))
            })
    }

    fn reason_text(&self, id: u32) -> Result<String> {
        self.reason_texts
            .get(id)?
            .map(|v| v.value().to_string())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("reason {id} is missing: restore the latest backup"))
            })
    }

    /// A pupil's marks for a month, if any.
    pub fn month(&self, pupil: u32, month: MonthKey) -> Result<Option<Month>> {
        let value = self.months.get((month, pupil))?;
        value
            .map(|v| {
                Month::decode(month, v.value()).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "the marks of pupil {pupil} for {} cannot be read ({}): restore the latest backup (`rollcall check FILE` tells whether a copy is whole)",
                        month::first_day(month).map_or(month.to_string(), |d| d.format("%B %Y").to_string()),
                        e.0
                    ))
                })
            })
            .transpose()
    }

    /// A pupil's month as stored, to read its summary without its marks (`month::header`).
    pub fn month_bytes(&self, pupil: u32, month: MonthKey) -> Result<Option<Vec<u8>>> {
        Ok(self.months.get((month, pupil))?.map(|v| v.value().to_vec()))
    }

    /// Every group's name by id.
    /// A group's id, if any mark has been made in it.
    pub fn find_group_id(&self, name: &str) -> Result<Option<u32>> {
        Ok(self.groups.get(name)?.map(|v| v.value()))
    }

    pub fn group_names(&self) -> Result<HashMap<u32, String>> {
        let mut out = HashMap::new();
        for entry in self.group_names.iter()? {
            let (id, name) = entry?;
            out.insert(id.value(), name.value().to_string());
        }
        Ok(out)
    }

    /// Calls `visit` with each stored month from `from` to `to` inclusive, month by month and
    /// pupil by pupil within a month, until it says to stop: the raw month, to read its
    /// summary alone (`month::header`) or its marks (`Month::decode`).
    pub fn each_month(
        &self,
        from: MonthKey,
        to: MonthKey,
        mut visit: impl FnMut(u32, MonthKey, &[u8]) -> Result<bool>,
    ) -> Result<()> {
        for entry in self.months.range((from, 0u32)..=(to, u32::MAX))? {
            let (key, value) = entry?;
            let (month, pupil) = key.value();
            if !visit(pupil, month, value.value())? {
                break;
            }
        }
        Ok(())
    }

    pub fn mark(&self, key: &SessionKey) -> Result<Option<Mark>> {
        let Some(pupil) = self.pupil_id(&key.upn)? else {
            return Ok(None);
        };
        let Some(month) = self.month(pupil, month_of(key.date))? else {
            return Ok(None);
        };
        month
            .get(key.date.day() as u8, key.session)
            .map(|slot| self.mark_of(slot, &mut Names::default()))
            .transpose()
    }

    /// A slot as the program sees a mark: who by account, the group by name.
    fn mark_of(&self, slot: &Slot, names: &mut Names) -> Result<Mark> {
        let group = names.group(self, slot.group)?;
        let by = names.version(self, slot.staff)?;
        Ok(Mark {
            code: slot.code,
            arrived: slot.arrived,
            minutes_late: slot.minutes_late,
            note: slot.note.clone(),
            group,
            recorded_by: by.account.clone(),
            recorded_by_office: rows::role_of(by.role).is_office() != slot.office_differs,
            recorded_at: slot.recorded_at,
        })
    }

    /// Every mark of one session of one day, by UPN.
    pub fn marks_on(&self, date: NaiveDate, session: Session) -> Result<Vec<(String, Mark)>> {
        let upns = self.upns()?;
        let mut names = Names::default();
        let month = month_of(date);
        let day = date.day() as u8;
        let mut out = Vec::new();
        self.each_month(month, month, |pupil, _, bytes| {
            let decoded =
                Month::decode(month, bytes).map_err(|e| damaged_month(pupil, month, &e))?;
            if let Some(slot) = decoded.get(day, session) {
                let upn = upns.get(&pupil).cloned().unwrap_or_default();
                out.push((upn, self.mark_of(slot, &mut names)?));
            }
            Ok(true)
        })?;
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Calls `visit` for every mark from `from` to `to` inclusive, in date, session and UPN
    /// order, starting after `after` if given, until `visit` says to stop (`false`). Holds one
    /// month of marks at a time.
    pub fn each_mark_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        after: Option<&SessionKey>,
        mut visit: impl FnMut(SessionKey, Mark) -> Result<bool>,
    ) -> Result<()> {
        let upns = self.upns()?;
        // Pupils in UPN order, by id: a month's marks sort on small numbers, and a UPN is
        // only copied for a mark that is visited.
        let mut by_upn: Vec<(&String, u32)> = upns.iter().map(|(id, upn)| (upn, *id)).collect();
        by_upn.sort();
        let rank: HashMap<u32, u32> = by_upn
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i as u32))
            .collect();
        let mut names = Names::default();
        let start = after.map_or(from, |a| a.date.max(from));
        for month in month_of(start)..=month_of(to) {
            let Some(first) = month::first_day(month) else {
                continue;
            };
            let mut rows: Vec<(NaiveDate, u8, u32, u32, Slot)> = Vec::new();
            self.each_month(month, month, |pupil, _, bytes| {
                let decoded =
                    Month::decode(month, bytes).map_err(|e| damaged_month(pupil, month, &e))?;
                for slot in decoded.slots {
                    let date = first + chrono::Days::new(u64::from(slot.day - 1));
                    if date < from || date > to {
                        continue;
                    }
                    let order = rank.get(&pupil).copied().unwrap_or(u32::MAX);
                    rows.push((date, slot.session.index(), order, pupil, slot));
                }
                Ok(true)
            })?;
            rows.sort_unstable_by_key(|(date, session, order, _, _)| (*date, *session, *order));
            for (date, _, _, pupil, slot) in rows {
                let key = SessionKey {
                    date,
                    session: slot.session,
                    upn: upns.get(&pupil).cloned().unwrap_or_default(),
                };
                if after.is_some_and(|a| key <= *a) {
                    continue;
                }
                let mark = self.mark_of(&slot, &mut names)?;
                if !visit(key, mark)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// A pupil's codes from `from` to `to` inclusive, in session order.
    pub fn pupil_codes(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Session, crate::domain::codes::Code)>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        Ok(self
            .slots_between(pupil, from, to)?
            .into_iter()
            .map(|(date, slot)| (date, slot.session, slot.code))
            .collect())
    }

    /// A pupil's stored marks from `from` to `to` inclusive, with their dates.
    fn slots_between(
        &self,
        pupil: u32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Slot)>> {
        let mut out = Vec::new();
        for month in month_of(from)..=month_of(to) {
            let (Some(marks), Some(first)) = (self.month(pupil, month)?, month::first_day(month))
            else {
                continue;
            };
            for slot in marks.slots {
                let date = first + chrono::Days::new(u64::from(slot.day - 1));
                if date >= from && date <= to {
                    out.push((date, slot));
                }
            }
        }
        Ok(out)
    }

    /// A pupil's codes from `from` to `to` as they stood at `known_by`: a mark recorded later
    /// was not known then, and a mark changed later had its earlier code. Thresholds "on" a
    /// past date read this (SPEC 4).
    pub fn pupil_codes_known_by(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
        known_by: NaiveDateTime,
    ) -> Result<Vec<(NaiveDate, Session, crate::domain::codes::Code)>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        // Each changed session's code at `known_by`: the last change made by then decides
        // (None: no mark yet, or withdrawn).
        let mut changed: BTreeMap<(i32, u8), Option<crate::domain::codes::Code>> = BTreeMap::new();
        for entry in self
            .history
            .range((pupil, day(from), 0u8, 0u16)..=(pupil, day(to), u8::MAX, u16::MAX))?
        {
            let entry = entry?;
            let (_, d, s, _) = entry.0.value();
            let row: ChangeRow = decoded(entry.1.value(), Ok, || {
                format!("the history of {upn} on {}", date_of(d).unwrap_or(from))
            })?;
            let known = changed.entry((d, s)).or_insert(None);
            if row.at <= known_by {
                *known = row
                    .after
                    .map(|e| e.into_entry().map(|e| e.code))
                    .transpose()?;
            }
        }
        let mut out = Vec::new();
        for (date, slot) in self.slots_between(pupil, from, to)? {
            let code = match changed.remove(&(day(date), slot.session.index())) {
                Some(code) => code,
                None => (slot.recorded_at <= known_by).then_some(slot.code),
            };
            if let Some(code) = code {
                out.push((date, slot.session, code));
            }
        }
        // Sessions whose mark was withdrawn since, but stood at `known_by`.
        for ((d, s), code) in changed {
            if let Some(code) = code {
                out.push((date_of(d)?, session_of(s)?, code));
            }
        }
        out.sort_by_key(|(date, session, _)| (*date, session.index()));
        Ok(out)
    }

    /// The audit trail of one mark, oldest first. A mark made once and never changed is its
    /// own history: who made it and when are in the mark.
    pub fn history(&self, key: &SessionKey) -> Result<Vec<Change>> {
        let Some(pupil) = self.pupil_id(&key.upn)? else {
            return Ok(Vec::new());
        };
        let (d, s) = (day(key.date), key.session.index());
        let mut out = Vec::new();
        let mut names = Names::default();
        for entry in self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
        {
            let row: ChangeRow = decoded(entry?.1.value(), Ok, || {
                format!("the history of {}", describe(key))
            })?;
            let by = names.version(self, row.staff)?.clone();
            let reason = row.reason.map(|id| self.reason_text(id)).transpose()?;
            out.push(row.into_change(&by, reason)?);
        }
        if out.is_empty()
            && let Some(month) = self.month(pupil, month_of(key.date))?
            && let Some(slot) = month.get(key.date.day() as u8, key.session)
        {
            let by = names.version(self, slot.staff)?.clone();
            out.push(first_change(slot).into_change(&by, None)?);
        }
        Ok(out)
    }

    pub fn closed_register(
        &self,
        group: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Option<ClosedRegister>> {
        let value = self.registers.get((group, day(date), session.index()))?;
        value
            .map(|v| {
                decoded(
                    v.value(),
                    |r| Ok(ClosedRegister::from(r)),
                    || format!("the closing of {group} {date} {}", session.label()),
                )
            })
            .transpose()
    }

    /// Who covers a register, if anyone.
    pub fn cover(&self, group: &str, date: NaiveDate, session: Session) -> Result<Option<Cover>> {
        let value = self.cover.get((group, day(date), session.index()))?;
        let cover = value
            .map(|v| {
                decoded(
                    v.value(),
                    |r| Ok(Cover::from(r)),
                    || format!("the cover of {group} {date} {}", session.label()),
                )
            })
            .transpose()?;
        Ok(cover.filter(|c| c.account.is_some()))
    }

    /// Every cover change for a session, in order: the audit of who arranged what.
    pub fn cover_log(&self, date: NaiveDate, session: Session) -> Result<Vec<(String, Cover)>> {
        let (d, s) = (day(date), session.index());
        let mut out = Vec::new();
        for entry in self
            .cover_log
            .range((d, s, "", 0u32)..(d, s + 1, "", 0u32))?
        {
            let (key, value) = entry?;
            let group = key.value().2.to_string();
            let cover = decoded(
                value.value(),
                |r| Ok(Cover::from(r)),
                || format!("a cover change of {group} {date} {}", session.label()),
            )?;
            out.push((group, cover));
        }
        Ok(out)
    }

    /// Every unresolved `N`, oldest first.
    /// Ids of pupils with a change to any mark made after `after`: their marks today are not
    /// what they were then. Reads the whole history table (changes are few beside marks).
    pub fn pupils_changed_after(
        &self,
        after: NaiveDateTime,
    ) -> Result<std::collections::HashSet<u32>> {
        let mut out = std::collections::HashSet::new();
        for entry in self.history.iter()? {
            let entry = entry?;
            let (pupil, ..) = entry.0.value();
            if out.contains(&pupil) {
                continue;
            }
            let row: ChangeRow = decoded(entry.1.value(), Ok, || {
                format!("a change to the marks of pupil {pupil}")
            })?;
            if row.at > after {
                out.insert(pupil);
            }
        }
        Ok(out)
    }

    pub fn pending_n(&self) -> Result<Vec<SessionKey>> {
        let upns = self.upns()?;
        let mut out = Vec::new();
        for entry in self.pending_n.iter()? {
            let (key, _) = entry?;
            let (d, s, pupil) = key.value();
            out.push(SessionKey {
                date: date_of(d)?,
                session: session_of(s)?,
                upn: upns.get(&pupil).cloned().ok_or_else(|| {
                    StoreError::Corrupt(format!("pupil {pupil} of an N is missing"))
                })?,
            });
        }
        Ok(out)
    }
}

/// Writes, inside [`Store::write`].
impl Writer<'_> {
    /// Saves nothing of this transaction when the work returns.
    /// Notes an import of marks in the log kept in `meta` (`import:TIME:ACCOUNT` → file and
    /// count): what the marks it made (recorded by that account at that time) came from.
    pub fn log_import(
        &mut self,
        file: &str,
        at: NaiveDateTime,
        account: &str,
        marks: u32,
    ) -> Result<()> {
        let key = format!("import:{}:{account}", at.format("%Y-%m-%dT%H:%M:%S"));
        let value = format!("{marks} marks from {file}");
        self.meta.insert(key.as_str(), value.as_bytes())?;
        Ok(())
    }

    pub fn discard(&mut self) {
        self.kind.discard = true;
    }

    pub fn set_school_source(&mut self, source: &str) -> Result<()> {
        self.meta.insert(SCHOOL_KEY, source.as_bytes())?;
        Ok(())
    }

    /// Adds a member of staff or changes them; a change of name, position or role starts a
    /// new version, so what they did before keeps the name they had.
    pub fn put_staff(&mut self, staff: &Staff) -> Result<()> {
        let row = StaffVersionRow::of(staff);
        let current = self.staff_row(&staff.account)?;
        if let Some(current) = &current
            && self.version(current.version)? == row
        {
            return Ok(());
        }
        let version = self.add_version(&row)?;
        self.staff.insert(
            staff.account.as_str(),
            Ok(StaffRow {
                version,
                name: staff.name.clone(),
                position: staff.position.clone(),
                role: rows::role_row(staff.role),
            }),
        )?;
        Ok(())
    }

    fn staff_row(&self, account: &str) -> Result<Option<StaffRow>> {
        let value = self.staff.get(account)?;
        value
            .map(|v| decoded(v.value(), Ok, || format!("the staff record of `{account}`")))
            .transpose()
    }

    fn add_version(&mut self, row: &StaffVersionRow) -> Result<u32> {
        let id = next_id(self.staff_versions.last()?.map(|(k, _)| k.value()));
        self.staff_versions.insert(id, Ok(row.clone()))?;
        Ok(id)
    }

    /// The version a change was made by: the account's current one when the name and
    /// position match (always, for changes made now), else one written for them.
    fn version_for(&mut self, account: &str, name: &str, position: &str) -> Result<u32> {
        let current = self.staff_row(account)?;
        if let Some(row) = &current
            && row.name == name
            && row.position == position
        {
            return Ok(row.version);
        }
        let role = current.map_or(rows::RoleRow::Teacher, |r| r.role);
        self.add_version(&StaffVersionRow {
            account: account.to_string(),
            name: name.to_string(),
            position: position.to_string(),
            role,
        })
    }

    /// The account's current version, for a mark put back by an undo.
    fn current_version(&mut self, account: &str) -> Result<u32> {
        match self.staff_row(account)? {
            Some(row) => Ok(row.version),
            None => self.version_for(account, account, ""),
        }
    }

    pub fn put_pupil(&mut self, pupil: &Pupil) -> Result<()> {
        let id = match self.pupil_row(&pupil.upn)? {
            Some(row) => row.id,
            None => {
                let id = next_id(self.pupil_ids.last()?.map(|(k, _)| k.value()));
                self.pupil_ids.insert(id, pupil.upn.as_str())?;
                id
            }
        };
        self.pupils
            .insert(pupil.upn.as_str(), Ok(PupilRow::of(id, pupil)))?;
        Ok(())
    }

    fn group_id(&mut self, name: &str) -> Result<u32> {
        if let Some(id) = self.groups.get(name)? {
            return Ok(id.value());
        }
        let id = next_id(self.group_names.last()?.map(|(k, _)| k.value()));
        self.groups.insert(name, id)?;
        self.group_names.insert(id, name)?;
        Ok(id)
    }

    /// Adds or rewrites one membership (keyed by pupil and start date), keeping the group's
    /// roll in step. Memberships are ended, never deleted: history stays on the roll it was on.
    pub fn put_membership(&mut self, upn: &str, membership: &Membership) -> Result<()> {
        let start = day(membership.start);
        let end = membership.end.map_or(OPEN_END, day);
        self.rolls
            .insert((membership.group.as_str(), upn, start), end)?;
        self.memberships
            .insert((upn, start), Ok(MembershipRow::from(membership)))?;
        Ok(())
    }

    fn known_pupil(&self, key: &SessionKey) -> Result<u32> {
        self.pupil_id(&key.upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {}", describe(key))))
    }

    /// Records a mark and its change, in this transaction: the pupil's month is rewritten
    /// with its summary; the change goes to the history unless the mark is its own (a first
    /// mark, made as it says).
    pub fn put_mark(&mut self, key: &SessionKey, mark: &Mark, change: &Change) -> Result<()> {
        let pupil = self.known_pupil(key)?;
        let by = self.version_for(&change.account, &change.name, &change.position)?;
        let staff = if mark.recorded_by == change.account {
            by
        } else {
            self.current_version(&mark.recorded_by)?
        };
        let office = rows::role_of(self.version(staff)?.role).is_office();
        let group = self.group_id(&mark.group)?;
        let slot = Slot {
            day: key.date.day() as u8,
            session: key.session,
            code: mark.code,
            staff,
            recorded_at: mark.recorded_at,
            arrived: mark.arrived,
            minutes_late: mark.minutes_late,
            note: mark.note.clone(),
            group,
            office_differs: office != mark.recorded_by_office,
        };
        let (d, s) = (day(key.date), key.session.index());
        let month_key = month_of(key.date);
        let mut month = self.month(pupil, month_key)?.unwrap_or_default();
        let previous = month.get(slot.day, key.session).cloned();
        let first_and_only = previous.is_none()
            && !self.has_history(pupil, d, s)?
            && change.kind == crate::domain::register::ChangeKind::Mark
            && change.before.is_none()
            && change.reason.is_none()
            && change.after.as_ref() == Some(&mark.entry())
            && change.at == mark.recorded_at
            && by == staff;
        if !first_and_only {
            let reason = self.reason_id(change.reason.as_deref())?;
            self.record_change(
                pupil,
                d,
                s,
                previous.as_ref(),
                ChangeRow::of(change, by, reason),
            )?;
        }
        month.put(slot);
        self.months
            .insert((month_key, pupil), month.encode(month_key).as_slice())?;
        if mark.code == crate::domain::codes::Code::N {
            self.pending_n.insert((d, s, pupil), ())?;
        } else {
            self.pending_n.remove((d, s, pupil))?;
        }
        Ok(())
    }

    /// Withdraws a mark (undo, clear); the history keeps what it was and this change.
    pub fn remove_mark(&mut self, key: &SessionKey, change: &Change) -> Result<()> {
        let pupil = self.known_pupil(key)?;
        let by = self.version_for(&change.account, &change.name, &change.position)?;
        let (d, s) = (day(key.date), key.session.index());
        let month_key = month_of(key.date);
        let mut month = self.month(pupil, month_key)?.unwrap_or_default();
        let previous = month.get(key.date.day() as u8, key.session).cloned();
        let reason = self.reason_id(change.reason.as_deref())?;
        self.record_change(
            pupil,
            d,
            s,
            previous.as_ref(),
            ChangeRow::of(change, by, reason),
        )?;
        if month.remove(key.date.day() as u8, key.session) {
            if month.slots.is_empty() {
                self.months.remove((month_key, pupil))?;
            } else {
                self.months
                    .insert((month_key, pupil), month.encode(month_key).as_slice())?;
            }
        }
        self.pending_n.remove((d, s, pupil))?;
        Ok(())
    }

    /// A reason's id, the text written once the first time it is given.
    fn reason_id(&mut self, text: Option<&str>) -> Result<Option<u32>> {
        let Some(text) = text else {
            return Ok(None);
        };
        if let Some(id) = self.reasons.get(text)? {
            return Ok(Some(id.value()));
        }
        let id = next_id(self.reason_texts.last()?.map(|(k, _)| k.value()));
        self.reasons.insert(text, id)?;
        self.reason_texts.insert(id, text)?;
        Ok(Some(id))
    }

    fn has_history(&self, pupil: u32, d: i32, s: u8) -> Result<bool> {
        Ok(self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
            .next()
            .is_some())
    }

    /// Appends a change to a mark's history. A mark that was its own history until now (a
    /// first mark) has that first change written out first, so the history reads whole.
    fn record_change(
        &mut self,
        pupil: u32,
        d: i32,
        s: u8,
        previous: Option<&Slot>,
        change: ChangeRow,
    ) -> Result<()> {
        let last = self
            .history
            .range((pupil, d, s, 0u16)..=(pupil, d, s, u16::MAX))?
            .next_back()
            .transpose()?
            .map(|(k, _)| k.value().3);
        let next = match (last, previous) {
            (Some(last), _) => last.checked_add(1).ok_or_else(|| {
                StoreError::Database("a mark has been changed 65,535 times".into())
            })?,
            (None, Some(first)) => {
                self.history
                    .insert((pupil, d, s, 0), Ok(first_change(first)))?;
                1
            }
            (None, None) => 0,
        };
        self.history.insert((pupil, d, s, next), Ok(change))?;
        Ok(())
    }

    /// Assigns (or, `account` `None`, takes away) cover of a register, and logs it.
    pub fn set_cover(
        &mut self,
        group: &str,
        date: NaiveDate,
        session: Session,
        cover: &Cover,
    ) -> Result<()> {
        let (d, s) = (day(date), session.index());
        let row = CoverRow::from(cover);
        let next = match self
            .cover_log
            .range((d, s, group, 0u32)..=(d, s, group, u32::MAX))?
            .next_back()
        {
            Some(last) => last?.0.value().3 + 1,
            None => 0,
        };
        self.cover_log
            .insert((d, s, group, next), Ok(row.clone()))?;
        self.cover.insert((group, d, s), Ok(row))?;
        Ok(())
    }

    pub fn close_register(
        &mut self,
        group: &str,
        date: NaiveDate,
        session: Session,
        closed: &ClosedRegister,
    ) -> Result<()> {
        self.registers.insert(
            (group, day(date), session.index()),
            Ok(ClosedRow::from(closed)),
        )?;
        Ok(())
    }
}

/// Who made a mark and the group it was made in, looked up once for many marks.
#[derive(Default)]
struct Names {
    versions: HashMap<u32, StaffVersionRow>,
    groups: HashMap<u32, String>,
}

impl Names {
    fn version<T: Kind>(&mut self, tables: &Tables<T>, id: u32) -> Result<&StaffVersionRow> {
        match self.versions.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => Ok(e.insert(tables.version(id)?)),
        }
    }

    fn group<T: Kind>(&mut self, tables: &Tables<T>, id: u32) -> Result<String> {
        if let Some(name) = self.groups.get(&id) {
            return Ok(name.clone());
        }
        let name = tables.group_name(id)?;
        self.groups.insert(id, name.clone());
        Ok(name)
    }
}

fn staff_of(account: &str, row: StaffRow) -> Staff {
    Staff {
        account: account.to_string(),
        name: row.name,
        position: row.position,
        role: rows::role_of(row.role),
    }
}

/// The change a first mark stands for: made as it says, by whom and when it says.
fn first_change(slot: &Slot) -> ChangeRow {
    ChangeRow {
        amendment: false,
        before: None,
        after: Some(rows::EntryRow {
            code: slot.code as u8,
            arrived: slot.arrived,
            minutes_late: slot.minutes_late,
            note: slot.note.clone(),
        }),
        reason: None,
        at: slot.recorded_at,
        staff: slot.staff,
    }
}

/// The id after the last one given.
fn next_id(last: Option<u32>) -> u32 {
    last.map_or(0, |l| l + 1)
}

fn damaged_month(pupil: u32, month: MonthKey, e: &month::Damaged) -> StoreError {
    StoreError::Corrupt(format!(
        "the marks of pupil {pupil} for {} cannot be read ({}): restore the latest backup (`rollcall check FILE` tells whether a copy is whole)",
        month::first_day(month).map_or(month.to_string(), |d| d.format("%B %Y").to_string()),
        e.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::Code;
    use crate::domain::people::YearGroup;
    use crate::domain::register::{ChangeKind, Role};
    use chrono::NaiveDateTime;
    use std::os::unix::fs::PermissionsExt;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn mark(code: &str) -> Mark {
        Mark {
            code: Code::parse(code).unwrap(),
            arrived: None,
            minutes_late: None,
            note: None,
            group: "Oak".into(),
            recorded_by: "jpatel".into(),
            recorded_by_office: false,
            recorded_at: at("2026-11-23T08:50"),
        }
    }

    fn change(code: &str) -> Change {
        Change {
            kind: ChangeKind::Mark,
            before: None,
            after: Some(mark(code).entry()),
            reason: None,
            at: at("2026-11-23T08:50"),
            account: "jpatel".into(),
            name: "J Patel".into(),
            position: "Class teacher".into(),
        }
    }

    /// Pupils A and B, and the staff member who marks, as the engine sees to before marking.
    fn people(tx: &mut Writer<'_>) -> Result<()> {
        for upn in ["A", "B"] {
            tx.put_pupil(&Pupil {
                upn: upn.into(),
                surname: format!("Pupil {upn}"),
                forename: "P".into(),
                dob: d("2019-05-01"),
                year: YearGroup::Year(2),
                sex: None,
            })?;
        }
        tx.put_staff(&Staff {
            account: "jpatel".into(),
            name: "J Patel".into(),
            position: "Class teacher".into(),
            role: Role::Teacher,
        })
    }

    fn key(date: &str, session: Session, upn: &str) -> SessionKey {
        SessionKey {
            date: d(date),
            session,
            upn: upn.into(),
        }
    }

    #[test]
    fn the_database_file_is_private_to_its_owner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/school.redb");
        Store::create(&path, "").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("school.redb");
        Store::create(&path, "")
            .unwrap()
            .force_schema_version(SCHEMA_VERSION + 1)
            .unwrap();
        let err = Store::open(&path, Access::ReadWrite)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("newer rollcall"), "{err}");
        assert!(
            err.contains(&format!("schema {}", SCHEMA_VERSION + 1)),
            "{err}"
        );
    }

    #[test]
    fn a_second_open_of_the_same_file_says_it_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("school.redb");
        let _first = Store::create(&path, "").unwrap();
        let err = Store::open(&path, Access::ReadWrite).err().unwrap();
        assert!(matches!(err, StoreError::InUse { .. }), "{err}");
    }

    #[test]
    fn marks_are_read_back_by_session_by_pupil_and_by_range() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
        store
            .write(|tx| {
                people(tx)?;
                for (date, upn, code) in [
                    ("2026-11-20", "A", "/"),
                    ("2026-11-23", "A", "N"),
                    ("2026-11-23", "B", "L"),
                    ("2026-11-24", "A", "/"),
                ] {
                    tx.put_mark(&key(date, Session::Am, upn), &mark(code), &change(code))?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let r = store.read().unwrap();
        let day: Vec<_> = r.marks_on(d("2026-11-23"), Session::Am).unwrap();
        assert_eq!(
            day.iter()
                .map(|(u, m)| (u.as_str(), m.code.as_str()))
                .collect::<Vec<_>>(),
            [("A", "N"), ("B", "L")]
        );
        assert!(r.marks_on(d("2026-11-23"), Session::Pm).unwrap().is_empty());
        let codes = r
            .pupil_codes("A", d("2026-11-21"), d("2026-11-24"))
            .unwrap();
        assert_eq!(codes.len(), 2);
        let mut seen = 0;
        r.each_mark_between(d("2026-11-20"), d("2026-11-23"), None, |_, _| {
            seen += 1;
            Ok(true)
        })
        .unwrap();
        assert_eq!(seen, 3);
        assert_eq!(
            r.pending_n().unwrap(),
            [key("2026-11-23", Session::Am, "A")]
        );
    }

    #[test]
    fn history_is_appended_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
        let k = key("2026-11-23", Session::Am, "A");
        let mut amended = change("M");
        amended.kind = ChangeKind::Amendment;
        amended.before = Some(mark("N").entry());
        amended.reason = Some("Dentist letter".into());
        store
            .write(|tx| {
                people(tx)?;
                tx.put_mark(&k, &mark("N"), &change("N"))?;
                tx.put_mark(&k, &mark("M"), &amended)
            })
            .unwrap();
        let r = store.read().unwrap();
        let history = r.history(&k).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].after.as_ref().unwrap().code, "N");
        assert_eq!(history[1].before.as_ref().unwrap().code, "N");
        assert_eq!(history[1].reason.as_deref(), Some("Dentist letter"));
        assert!(r.pending_n().unwrap().is_empty(), "N resolved");
    }

    #[test]
    fn a_first_mark_is_its_own_history_and_a_renamed_teacher_keeps_the_old_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
        let k = key("2026-11-23", Session::Am, "A");
        store
            .write(|tx| {
                people(tx)?;
                tx.put_mark(&k, &mark("/"), &change("/"))
            })
            .unwrap();
        let stored = |store: &Store| {
            redb::ReadableTableMetadata::len(&store.read().unwrap().history).unwrap()
        };
        assert_eq!(stored(&store), 0, "the mark says it all");
        let history = store.read().unwrap().history(&k).unwrap();
        assert_eq!(history, [change("/")]);
        // The teacher's name changes; then the office amends the mark.
        let mut amended = change("M");
        amended.kind = ChangeKind::Amendment;
        amended.before = Some(mark("/").entry());
        amended.reason = Some("Dentist letter".into());
        amended.account = "office".into();
        amended.name = "S Reed".into();
        amended.position = "Attendance officer".into();
        let mut m = mark("M");
        m.recorded_by = "office".into();
        m.recorded_by_office = true;
        store
            .write(|tx| {
                tx.put_staff(&Staff {
                    account: "jpatel".into(),
                    name: "J Patel-Okoro".into(),
                    position: "Class teacher".into(),
                    role: Role::Teacher,
                })?;
                tx.put_mark(&k, &m, &amended)
            })
            .unwrap();
        assert_eq!(stored(&store), 2, "the first mark, then the amendment");
        let r = store.read().unwrap();
        let history = r.history(&k).unwrap();
        assert_eq!(history[0].name, "J Patel", "as they were when they marked");
        assert_eq!(history[1], amended);
        let now = r.mark(&k).unwrap().unwrap();
        assert_eq!((now.code, now.recorded_by_office), (Code::M, true));
    }

    #[test]
    fn a_roll_holds_only_the_pupils_whose_membership_covers_the_date() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
        let member = |group: &str, start: &str, end: Option<&str>| Membership {
            group: group.into(),
            start: d(start),
            end: end.map(d),
        };
        store
            .write(|tx| {
                tx.put_membership("A", &member("Oak", "2026-09-01", None))?;
                tx.put_membership("B", &member("Oak", "2026-11-02", None))?;
                tx.put_membership("C", &member("Oak", "2026-09-01", Some("2026-10-23")))?;
                tx.put_membership("C", &member("Oaks", "2026-11-02", None))?;
                tx.put_pupil(&Pupil {
                    upn: "A".into(),
                    surname: "Ahmed".into(),
                    forename: "Sara".into(),
                    dob: d("2019-05-01"),
                    year: YearGroup::Year(2),
                    sex: None,
                })?;
                tx.put_staff(&Staff {
                    account: "jpatel".into(),
                    name: "J Patel".into(),
                    position: "Class teacher".into(),
                    role: Role::Teacher,
                })
            })
            .unwrap();
        let r = store.read().unwrap();
        assert_eq!(r.roll("Oak", d("2026-10-05")).unwrap(), ["A", "C"]);
        assert_eq!(r.roll("Oak", d("2026-11-23")).unwrap(), ["A", "B"]);
        assert_eq!(r.roll("Oaks", d("2026-11-23")).unwrap(), ["C"]);
        assert_eq!(
            r.group_on("C", d("2026-11-23")).unwrap().as_deref(),
            Some("Oaks")
        );
        assert_eq!(r.pupil("A").unwrap().unwrap().surname, "Ahmed");
        assert_eq!(r.staff("jpatel").unwrap().unwrap().role, Role::Teacher);
    }
}

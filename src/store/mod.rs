//! The store: the only code that touches redb.
//!
//! Keys are designed for a 2000-pupil school with six years of history (about 4.6 million
//! session marks): a day's marks, a date range, a pupil's year to date and a group's roll are
//! all range reads on a key prefix, never full scans.
//!
//! | table         | key                          | value            | read as                     |
//! |---------------|------------------------------|------------------|-----------------------------|
//! | `marks`       | (date, session, upn)         | [`MarkRecord`]   | a session, a date range     |
//! | `pupil_marks` | (upn, date, session)         | code             | a pupil's figures           |
//! | `history`     | (date, session, upn, seq)    | [`ChangeRecord`] | one mark's audit trail      |
//! | `pending_n`   | (date, session, upn)         | ()               | the `N` queue, oldest first |
//! | `rolls`       | (group, upn, start)          | end              | a group's pupils on a date  |
//! | `memberships` | (upn, start)                 | [`Membership`]   | a pupil's groups            |
//! | `registers`   | (group, date, session)       | [`ClosedRegister`]| whether a register is closed|
//!
//! Every write commits with redb's default immediate durability: when a write returns, the
//! data is on disk and survives `kill -9` and power loss.

pub mod records;

use crate::domain::people::{Pupil, Staff};
use crate::domain::session::Session;
use chrono::{Datelike, NaiveDate};
pub use records::{ChangeRecord, ClosedRegister, MarkEntry, MarkRecord, Membership, SessionKey};
use redb::{
    Database, Key, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, TypeName,
    Value, WriteTransaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// The schema this build writes. Older databases are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Open { path: PathBuf, message: String },
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
    #[error("database error: {0}")]
    Database(String),
}

macro_rules! database_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Database(e.to_string())
            }
        }
    )*};
}
database_errors!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A record type kept in a table, with the stable name redb checks on every open.
pub trait Record: Serialize + DeserializeOwned + Debug + 'static {
    const NAME: &'static str;
}

impl Record for Staff {
    const NAME: &'static str = "rollcall::Staff";
}
impl Record for Pupil {
    const NAME: &'static str = "rollcall::Pupil";
}
impl Record for Membership {
    const NAME: &'static str = "rollcall::Membership";
}
impl Record for MarkRecord {
    const NAME: &'static str = "rollcall::MarkRecord";
}
impl Record for ChangeRecord {
    const NAME: &'static str = "rollcall::ChangeRecord";
}
impl Record for ClosedRegister {
    const NAME: &'static str = "rollcall::ClosedRegister";
}

/// A value that could not be decoded: a damaged file, never a panic.
#[derive(Debug, Clone)]
pub struct Undecodable(String);

/// A redb value holding a [`Record`], decoded fallibly.
#[derive(Debug)]
pub struct Bin<T>(PhantomData<T>);

impl<T: Record> Value for Bin<T> {
    type SelfType<'a>
        = Result<T, Undecodable>
    where
        Self: 'a;
    type AsBytes<'a>
        = Vec<u8>
    where
        Self: 'a;

    fn fixed_width() -> Option<usize> {
        None
    }

    fn from_bytes<'a>(data: &'a [u8]) -> Self::SelfType<'a>
    where
        Self: 'a,
    {
        postcard::from_bytes(data).map_err(|e| Undecodable(format!("{}: {e}", T::NAME)))
    }

    fn as_bytes<'a, 'b: 'a>(value: &'a Self::SelfType<'b>) -> Vec<u8>
    where
        Self: 'b,
    {
        // Encoding plain structs into a Vec cannot fail; an undecodable value is never written.
        value
            .as_ref()
            .ok()
            .and_then(|v| postcard::to_allocvec(v).ok())
            .unwrap_or_default()
    }

    fn type_name() -> TypeName {
        TypeName::new(T::NAME)
    }
}

fn decoded<T>(value: Result<T, Undecodable>) -> Result<T> {
    value.map_err(|e| StoreError::Corrupt(e.0))
}

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const STAFF: TableDefinition<&str, Bin<Staff>> = TableDefinition::new("staff");
const PUPILS: TableDefinition<&str, Bin<Pupil>> = TableDefinition::new("pupils");
const MEMBERSHIPS: TableDefinition<(&str, i32), Bin<Membership>> =
    TableDefinition::new("memberships");
/// (group, upn, start) → last day (`OPEN_END` while still a member).
const ROLLS: TableDefinition<(&str, &str, i32), i32> = TableDefinition::new("rolls");
const MARKS: TableDefinition<(i32, u8, &str), Bin<MarkRecord>> = TableDefinition::new("marks");
const PUPIL_MARKS: TableDefinition<(&str, i32, u8), &str> = TableDefinition::new("pupil_marks");
const HISTORY: TableDefinition<(i32, u8, &str, u32), Bin<ChangeRecord>> =
    TableDefinition::new("history");
const REGISTERS: TableDefinition<(&str, i32, u8), Bin<ClosedRegister>> =
    TableDefinition::new("registers");
const PENDING_N: TableDefinition<(i32, u8, &str), ()> = TableDefinition::new("pending_n");

const OPEN_END: i32 = i32::MAX;
const SCHEMA_KEY: &str = "schema_version";
const SCHOOL_KEY: &str = "school_toml";

fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn date_of(day: i32) -> Result<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
        .ok_or_else(|| StoreError::Corrupt(format!("day number {day} is not a date")))
}

fn session_of(index: u8) -> Result<Session> {
    Session::from_index(index).ok_or_else(|| StoreError::Corrupt(format!("session {index}")))
}

/// The smallest string greater than every string starting with `prefix`... for the prefixes
/// used here (whole names): `prefix` followed by NUL sorts after `prefix` and before any
/// longer name, so `(prefix, ..)..(after(prefix), ..)` covers exactly that prefix.
fn after(name: &str) -> String {
    format!("{name}\0")
}

/// Migrations, in order: entry `i` brings a database from version `i` to `i + 1`.
const MIGRATIONS: &[fn(&WriteTransaction) -> Result<()>] = &[create_tables_v1];

fn create_tables_v1(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(META)?;
    tx.open_table(STAFF)?;
    tx.open_table(PUPILS)?;
    tx.open_table(MEMBERSHIPS)?;
    tx.open_table(ROLLS)?;
    tx.open_table(MARKS)?;
    tx.open_table(PUPIL_MARKS)?;
    tx.open_table(HISTORY)?;
    tx.open_table(REGISTERS)?;
    tx.open_table(PENDING_N)?;
    Ok(())
}

pub struct Store {
    db: Database,
    path: PathBuf,
}

impl Store {
    /// Opens the database, creating it (readable by its owner only) if it does not exist, and
    /// migrating it to this build's schema.
    pub fn open(path: &Path) -> Result<Store> {
        let open_error = |message: String| StoreError::Open {
            path: path.to_path_buf(),
            message,
        };
        if !path.exists() {
            create_private_file(path).map_err(|e| open_error(format!("cannot create: {e}")))?;
        }
        let db = Database::builder()
            // Small cache: this runs on old laptops, and the working set is small.
            .set_cache_size(64 * 1024 * 1024)
            .create(path)
            .map_err(|e| match e {
                redb::DatabaseError::DatabaseAlreadyOpen => StoreError::InUse {
                    path: path.to_path_buf(),
                },
                other => open_error(other.to_string()),
            })?;
        let store = Store {
            db,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self) -> Result<()> {
        let tx = self.db.begin_write()?;
        let found = {
            let meta = tx.open_table(META)?;
            let value = meta.get(SCHEMA_KEY)?;
            match value {
                Some(v) => {
                    let bytes: [u8; 4] = v
                        .value()
                        .try_into()
                        .map_err(|_| StoreError::Corrupt("schema version is not 4 bytes".into()))?;
                    u32::from_be_bytes(bytes)
                }
                None => 0,
            }
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        for migration in &MIGRATIONS[found as usize..] {
            migration(&tx)?;
        }
        tx.open_table(META)?
            .insert(SCHEMA_KEY, SCHEMA_VERSION.to_be_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
    }

    pub fn read(&self) -> Result<Tx<ReadTransaction>> {
        Ok(Tx(self.db.begin_read()?))
    }

    pub fn write(&self) -> Result<Tx<WriteTransaction>> {
        Ok(Tx(self.db.begin_write()?))
    }

    /// For tests of the schema check: writes a raw schema version.
    #[doc(hidden)]
    pub fn force_schema_version(&self, version: u32) -> Result<()> {
        let tx = self.db.begin_write()?;
        tx.open_table(META)?
            .insert(SCHEMA_KEY, version.to_be_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
    }
}

fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    Ok(())
}

/// A transaction: read-only, or a write transaction that also reads its own writes.
pub struct Tx<T>(T);

/// A write transaction, named so that callers need not know redb's types.
pub type WriteTx = Tx<WriteTransaction>;

/// Both kinds of transaction open tables for reading; the read methods are written once.
pub trait Tables {
    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_>;
}

impl Tables for ReadTransaction {
    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_> {
        Ok(self.open_table(def)?)
    }
}

impl Tables for WriteTransaction {
    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_> {
        Ok(self.open_table(def)?)
    }
}

impl<T: Tables> Tx<T> {
    pub fn school_source(&self) -> Result<Option<String>> {
        let meta = self.0.table(META)?;
        let value = meta.get(SCHOOL_KEY)?;
        value
            .map(|v| {
                String::from_utf8(v.value().to_vec())
                    .map_err(|_| StoreError::Corrupt("school configuration is not UTF-8".into()))
            })
            .transpose()
    }

    pub fn staff(&self, account: &str) -> Result<Option<Staff>> {
        let table = self.0.table(STAFF)?;
        let value = table.get(account)?;
        value.map(|v| decoded(v.value())).transpose()
    }

    pub fn all_staff(&self) -> Result<Vec<Staff>> {
        let table = self.0.table(STAFF)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            out.push(decoded(entry?.1.value())?);
        }
        Ok(out)
    }

    pub fn pupil(&self, upn: &str) -> Result<Option<Pupil>> {
        let table = self.0.table(PUPILS)?;
        let value = table.get(upn)?;
        value.map(|v| decoded(v.value())).transpose()
    }

    pub fn pupils(&self) -> Result<Vec<Pupil>> {
        let table = self.0.table(PUPILS)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            out.push(decoded(entry?.1.value())?);
        }
        Ok(out)
    }

    /// A pupil's group memberships, earliest first.
    pub fn memberships(&self, upn: &str) -> Result<Vec<Membership>> {
        let table = self.0.table(MEMBERSHIPS)?;
        let mut out = Vec::new();
        for entry in table.range((upn, i32::MIN)..=(upn, i32::MAX))? {
            out.push(decoded(entry?.1.value())?);
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
        let table = self.0.table(ROLLS)?;
        let today = day(date);
        let upper = after(group);
        let mut out: Vec<String> = Vec::new();
        for entry in table.range((group, "", i32::MIN)..(upper.as_str(), "", i32::MIN))? {
            let (key, end) = entry?;
            let (_, upn, start) = key.value();
            if start <= today && today <= end.value() && out.last().is_none_or(|u| u != upn) {
                out.push(upn.to_string());
            }
        }
        Ok(out)
    }

    pub fn mark(&self, key: &SessionKey) -> Result<Option<MarkRecord>> {
        let table = self.0.table(MARKS)?;
        let value = table.get((day(key.date), key.session.index(), key.upn.as_str()))?;
        value.map(|v| decoded(v.value())).transpose()
    }

    /// Every mark of one session of one day, by UPN.
    pub fn marks_on(&self, date: NaiveDate, session: Session) -> Result<Vec<(String, MarkRecord)>> {
        let table = self.0.table(MARKS)?;
        let (d, s) = (day(date), session.index());
        let mut out = Vec::new();
        for entry in table.range((d, s, "")..(d, s + 1, ""))? {
            let (key, value) = entry?;
            out.push((key.value().2.to_string(), decoded(value.value())?));
        }
        Ok(out)
    }

    /// Calls `visit` for every mark from `from` to `to` inclusive, in date order.
    pub fn each_mark_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut visit: impl FnMut(SessionKey, MarkRecord) -> Result<()>,
    ) -> Result<()> {
        let table = self.0.table(MARKS)?;
        for entry in table.range((day(from), 0u8, "")..(day(to) + 1, 0u8, ""))? {
            let (key, value) = entry?;
            let (d, s, upn) = key.value();
            let key = SessionKey {
                date: date_of(d)?,
                session: session_of(s)?,
                upn: upn.to_string(),
            };
            visit(key, decoded(value.value())?)?;
        }
        Ok(())
    }

    /// A pupil's codes from `from` to `to` inclusive, in session order.
    pub fn pupil_codes(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Session, String)>> {
        let table = self.0.table(PUPIL_MARKS)?;
        let mut out = Vec::new();
        for entry in table.range((upn, day(from), 0u8)..(upn, day(to) + 1, 0u8))? {
            let (key, code) = entry?;
            let (_, d, s) = key.value();
            out.push((date_of(d)?, session_of(s)?, code.value().to_string()));
        }
        Ok(out)
    }

    /// The audit trail of one mark, oldest first.
    pub fn history(&self, key: &SessionKey) -> Result<Vec<ChangeRecord>> {
        let table = self.0.table(HISTORY)?;
        let (d, s, upn) = (day(key.date), key.session.index(), key.upn.as_str());
        let mut out = Vec::new();
        for entry in table.range((d, s, upn, 0u32)..=(d, s, upn, u32::MAX))? {
            out.push(decoded(entry?.1.value())?);
        }
        Ok(out)
    }

    pub fn closed_register(
        &self,
        group: &str,
        date: NaiveDate,
        session: Session,
    ) -> Result<Option<ClosedRegister>> {
        let table = self.0.table(REGISTERS)?;
        let value = table.get((group, day(date), session.index()))?;
        value.map(|v| decoded(v.value())).transpose()
    }

    /// Every unresolved `N`, oldest first.
    pub fn pending_n(&self) -> Result<Vec<SessionKey>> {
        let table = self.0.table(PENDING_N)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (key, _) = entry?;
            let (d, s, upn) = key.value();
            out.push(SessionKey {
                date: date_of(d)?,
                session: session_of(s)?,
                upn: upn.to_string(),
            });
        }
        Ok(out)
    }
}

impl Tx<WriteTransaction> {
    /// Makes every write of this transaction durable: on disk when this returns.
    pub fn commit(self) -> Result<()> {
        self.0.commit()?;
        Ok(())
    }

    pub fn set_school_source(&self, source: &str) -> Result<()> {
        self.0
            .open_table(META)?
            .insert(SCHOOL_KEY, source.as_bytes())?;
        Ok(())
    }

    pub fn put_staff(&self, staff: Staff) -> Result<()> {
        let account = staff.account.clone();
        self.0
            .open_table(STAFF)?
            .insert(account.as_str(), Ok(staff))?;
        Ok(())
    }

    pub fn put_pupil(&self, pupil: Pupil) -> Result<()> {
        let upn = pupil.upn.clone();
        self.0.open_table(PUPILS)?.insert(upn.as_str(), Ok(pupil))?;
        Ok(())
    }

    /// Adds or rewrites one membership (keyed by pupil and start date), keeping the group's
    /// roll in step. Memberships are ended, never deleted: history stays on the roll it was on.
    pub fn put_membership(&self, upn: &str, membership: Membership) -> Result<()> {
        let start = day(membership.start);
        let end = membership.end.map_or(OPEN_END, day);
        self.0
            .open_table(ROLLS)?
            .insert((membership.group.as_str(), upn, start), end)?;
        self.0
            .open_table(MEMBERSHIPS)?
            .insert((upn, start), Ok(membership))?;
        Ok(())
    }

    /// Records a mark and appends its change to the history, in this transaction.
    pub fn put_mark(&self, key: &SessionKey, mark: MarkRecord, change: ChangeRecord) -> Result<()> {
        let (d, s, upn) = (day(key.date), key.session.index(), key.upn.as_str());
        {
            let mut pending = self.0.open_table(PENDING_N)?;
            if mark.code == "N" {
                pending.insert((d, s, upn), ())?;
            } else {
                pending.remove((d, s, upn))?;
            }
        }
        self.0
            .open_table(PUPIL_MARKS)?
            .insert((upn, d, s), mark.code.as_str())?;
        self.0.open_table(MARKS)?.insert((d, s, upn), Ok(mark))?;
        self.append_history(key, change)
    }

    /// Withdraws a mark (undo while the register is open); the history keeps both entries.
    pub fn remove_mark(&self, key: &SessionKey, change: ChangeRecord) -> Result<()> {
        let (d, s, upn) = (day(key.date), key.session.index(), key.upn.as_str());
        self.0.open_table(PENDING_N)?.remove((d, s, upn))?;
        self.0.open_table(PUPIL_MARKS)?.remove((upn, d, s))?;
        self.0.open_table(MARKS)?.remove((d, s, upn))?;
        self.append_history(key, change)
    }

    fn append_history(&self, key: &SessionKey, change: ChangeRecord) -> Result<()> {
        let (d, s, upn) = (day(key.date), key.session.index(), key.upn.as_str());
        let mut history = self.0.open_table(HISTORY)?;
        let next = match history
            .range((d, s, upn, 0u32)..=(d, s, upn, u32::MAX))?
            .next_back()
        {
            Some(last) => last?.0.value().3 + 1,
            None => 0,
        };
        history.insert((d, s, upn, next), Ok(change))?;
        Ok(())
    }

    pub fn close_register(
        &self,
        group: &str,
        date: NaiveDate,
        session: Session,
        closed: ClosedRegister,
    ) -> Result<()> {
        self.0
            .open_table(REGISTERS)?
            .insert((group, day(date), session.index()), Ok(closed))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn mark(code: &str) -> MarkRecord {
        MarkRecord {
            code: code.into(),
            arrived: None,
            minutes_late: None,
            note: None,
            group: "Oak".into(),
            recorded_by: "jpatel".into(),
            recorded_by_office: false,
            recorded_at: at("2026-11-23T08:50"),
        }
    }

    fn change(code: &str) -> ChangeRecord {
        ChangeRecord {
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
        Store::open(&path).unwrap();
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
        Store::open(&path)
            .unwrap()
            .force_schema_version(SCHEMA_VERSION + 1)
            .unwrap();
        let err = Store::open(&path).err().unwrap().to_string();
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
        let _first = Store::open(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::InUse { .. }), "{err}");
    }

    #[test]
    fn marks_are_read_back_by_session_by_pupil_and_by_range() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let tx = store.write().unwrap();
        for (date, upn, code) in [
            ("2026-11-20", "A", "/"),
            ("2026-11-23", "A", "N"),
            ("2026-11-23", "B", "L"),
            ("2026-11-24", "A", "/"),
        ] {
            tx.put_mark(&key(date, Session::Am, upn), mark(code), change(code))
                .unwrap();
        }
        tx.commit().unwrap();
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
        r.each_mark_between(d("2026-11-20"), d("2026-11-23"), |_, _| {
            seen += 1;
            Ok(())
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
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let k = key("2026-11-23", Session::Am, "A");
        let tx = store.write().unwrap();
        tx.put_mark(&k, mark("N"), change("N")).unwrap();
        let mut amended = change("M");
        amended.kind = ChangeKind::Amendment;
        amended.before = Some(mark("N").entry());
        amended.reason = Some("Dentist letter".into());
        tx.put_mark(&k, mark("M"), amended).unwrap();
        tx.commit().unwrap();
        let r = store.read().unwrap();
        let history = r.history(&k).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].after.as_ref().unwrap().code, "N");
        assert_eq!(history[1].before.as_ref().unwrap().code, "N");
        assert_eq!(history[1].reason.as_deref(), Some("Dentist letter"));
        assert!(r.pending_n().unwrap().is_empty(), "N resolved");
    }

    #[test]
    fn a_roll_holds_only_the_pupils_whose_membership_covers_the_date() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let tx = store.write().unwrap();
        let member = |group: &str, start: &str, end: Option<&str>| Membership {
            group: group.into(),
            start: d(start),
            end: end.map(d),
        };
        tx.put_membership("A", member("Oak", "2026-09-01", None))
            .unwrap();
        tx.put_membership("B", member("Oak", "2026-11-02", None))
            .unwrap();
        tx.put_membership("C", member("Oak", "2026-09-01", Some("2026-10-23")))
            .unwrap();
        tx.put_membership("C", member("Oaks", "2026-11-02", None))
            .unwrap();
        tx.put_pupil(Pupil {
            upn: "A".into(),
            surname: "Ahmed".into(),
            forename: "Sara".into(),
            dob: d("2019-05-01"),
            year: YearGroup::Year(2),
        })
        .unwrap();
        tx.put_staff(Staff {
            account: "jpatel".into(),
            name: "J Patel".into(),
            position: "Class teacher".into(),
            role: Role::Teacher,
        })
        .unwrap();
        tx.commit().unwrap();
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

//! The seal on the tables that describe the school (configuration, staff, pupils, groups,
//! memberships, rolls, other schools): a hash of every entry as stored, kept in `meta`,
//! renewed in the same transaction as any change to them, and checked when the file is
//! opened for writing.
//!
//! redb's whole-file integrity check read every page of six years of marks on every open
//! (issue 20); it belongs to `rollcall check`, a backup's check, and a file not closed cleanly
//! (which redb repairs anyway). The seal keeps what it bought where it matters most: a file
//! whose people were changed outside rollcall, or damaged (a flipped bit in a name), is refused
//! before anything is written to it. Checking it reads the people tables' bytes as stored
//! (nothing decoded): a few thousand entries a school year. Marks and their history are
//! checked as they are read.
//!
//! The hash is FNV-1a (64 bits, a word at a time): a few lines, stable across Rust versions
//! (the standard hasher is not promised to be), and meant to catch damage, not an attacker who
//! can rewrite the file anyway. A file sealed by another version of the hash fails its check:
//! the hash is part of the schema (sealed first in schema 6's files by this release).

use super::error::{Result, StoreError};
use super::raw::Raw;
use super::schema::*;
use redb::{
    Key, ReadTransaction, ReadableTable, TableDefinition, TableHandle, Value, WriteTransaction,
};

/// A 64-bit fingerprint of stored bytes (FNV-1a, as the seal): what a trust database was sent
/// is remembered by it (`published`), to send only what changed since.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.bytes(bytes);
    h.0
}

/// The key of the seal in `meta`.
pub const SEAL_KEY: &str = "people_seal";

struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn word(&mut self, word: u64) {
        self.0 ^= word;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    /// FNV-1a taken eight bytes at a time (the open is timed in milliseconds): the length
    /// first, so that entries cannot run into each other.
    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.word(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        for b in words.remainder() {
            self.word(u64::from(*b));
        }
    }
}

/// Feeds every entry of a table, keys and values as stored, in key order.
fn feed<K: Key + 'static, V: Value + 'static>(
    hash: &mut Fnv,
    name: &str,
    table: &impl ReadableTable<Raw<K>, Raw<V>>,
) -> Result<()> {
    hash.bytes(name.as_bytes());
    for entry in table.iter()? {
        let (k, v) = entry?;
        let key: &[u8] = k.value();
        if name == META.name() && key == SEAL_KEY.as_bytes() {
            continue;
        }
        hash.bytes(key);
        hash.bytes(v.value());
    }
    Ok(())
}

/// The bytes of a table: its keys' and values' own types' names and order, read as bytes.
fn raw<K: Key + 'static, V: Value + 'static>(name: &str) -> TableDefinition<'_, Raw<K>, Raw<V>> {
    TableDefinition::new(name)
}

/// A transaction the sealed tables can be read from as bytes.
trait Source {
    fn feed<K: Key + 'static, V: Value + 'static>(
        &self,
        table: TableDefinition<K, V>,
        hash: &mut Fnv,
    ) -> Result<()>;
}

impl Source for ReadTransaction {
    fn feed<K: Key + 'static, V: Value + 'static>(
        &self,
        table: TableDefinition<K, V>,
        hash: &mut Fnv,
    ) -> Result<()> {
        feed(
            hash,
            table.name(),
            &self.open_table(raw::<K, V>(table.name()))?,
        )
    }
}

impl Source for WriteTransaction {
    fn feed<K: Key + 'static, V: Value + 'static>(
        &self,
        table: TableDefinition<K, V>,
        hash: &mut Fnv,
    ) -> Result<()> {
        feed(
            hash,
            table.name(),
            &self.open_table(raw::<K, V>(table.name()))?,
        )
    }
}

/// The seal the sealed tables would have now.
fn seal_of(tx: &impl Source) -> Result<u64> {
    let mut h = Fnv::new();
    tx.feed(META, &mut h)?;
    tx.feed(STAFF, &mut h)?;
    tx.feed(STAFF_VERSIONS, &mut h)?;
    tx.feed(PUPILS, &mut h)?;
    tx.feed(PUPIL_IDS, &mut h)?;
    tx.feed(GROUPS, &mut h)?;
    tx.feed(GROUP_NAMES, &mut h)?;
    tx.feed(MEMBERSHIPS, &mut h)?;
    tx.feed(ROLLS, &mut h)?;
    tx.feed(OTHER_SCHOOLS, &mut h)?;
    Ok(h.0)
}

/// The seal last written, if the file has one yet.
pub(super) fn stored(tx: &ReadTransaction) -> Result<Option<u64>> {
    let meta = tx.open_table(META)?;
    Ok(meta.get(SEAL_KEY)?.and_then(|v| {
        let bytes: [u8; 8] = v.value().try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }))
}

/// Refuses tables whose seal does not match: changed outside rollcall, or damaged. A file
/// without a seal yet (from before seals) passes: it is sealed at its first write.
pub(super) fn verify(tx: &ReadTransaction) -> Result<()> {
    match stored(tx)? {
        Some(seal) if seal != seal_of(tx)? => Err(StoreError::Corrupt(
            "the database is damaged: its pupils, staff, groups or configuration do not \
             match their seal (changed outside rollcall, or a damaged disk); nothing was \
             written to it"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Writes the seal for the tables as this transaction leaves them (no table of it may be
/// open: the typed ones are closed by then).
pub(super) fn reseal(tx: &WriteTransaction) -> Result<()> {
    let seal = seal_of(tx)?.to_le_bytes();
    tx.open_table(META)?.insert(SEAL_KEY, seal.as_slice())?;
    Ok(())
}

impl Writer<'_> {
    /// Notes that this transaction changes the sealed tables: the seal is renewed as it
    /// commits.
    pub(super) fn people_changed(&mut self) {
        self.kind.people_changed = true;
    }
}

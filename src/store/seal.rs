//! The seal on the tables that describe the school (configuration, staff, pupils, groups,
//! memberships, rolls, other schools): a hash of every entry, kept in `meta`, renewed in the
//! same transaction as any change to them, and checked when the file is opened for writing.
//!
//! redb's whole-file integrity check read every page of six years of marks on every open
//! (issue 20); it belongs to `rollcall check`, a backup's check, and a file not closed cleanly
//! (which redb repairs anyway). The seal keeps what it bought where it matters most: a file
//! whose people were changed outside rollcall, or damaged (a flipped bit in a name), is refused
//! before anything is written to it, and checking it reads only what is proportional to the
//! school, never to its history. Marks and their history are checked as they are read.
//!
//! The hash is FNV-1a (64 bits): a few lines, stable across Rust versions (the standard
//! hasher is not promised to be), and meant to catch damage, not an attacker who can rewrite
//! the file anyway.

use super::error::{Result, StoreError};
use super::schema::{Kind, Tables, Writer};
use redb::{Key, ReadableTable, Value};

/// The key of the seal in `meta`.
pub const SEAL_KEY: &str = "people_seal";

struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        // The length first, so that entries cannot run into each other.
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Feeds every entry of a table, keys and values as stored, in key order.
fn feed<K: Key + 'static, V: Value + 'static>(
    hash: &mut Fnv,
    name: &str,
    table: &impl ReadableTable<K, V>,
    skip: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    hash.bytes(name.as_bytes());
    for entry in table.iter()? {
        let (k, v) = entry?;
        let key = k.value();
        let key = K::as_bytes(&key);
        if skip(key.as_ref()) {
            continue;
        }
        let value = v.value();
        hash.bytes(key.as_ref());
        hash.bytes(V::as_bytes(&value).as_ref());
    }
    Ok(())
}

impl<T: Kind> Tables<T> {
    /// The seal the tables would have now.
    pub(super) fn people_seal(&self) -> Result<u64> {
        let mut h = Fnv::new();
        feed(&mut h, "meta", &self.meta, |k| k == SEAL_KEY.as_bytes())?;
        let none = |_: &[u8]| false;
        feed(&mut h, "staff", &self.staff, none)?;
        feed(&mut h, "staff_versions", &self.staff_versions, none)?;
        feed(&mut h, "pupils", &self.pupils, none)?;
        feed(&mut h, "pupil_ids", &self.pupil_ids, none)?;
        feed(&mut h, "groups", &self.groups, none)?;
        feed(&mut h, "group_names", &self.group_names, none)?;
        feed(&mut h, "memberships", &self.memberships, none)?;
        feed(&mut h, "rolls", &self.rolls, none)?;
        feed(&mut h, "other_schools", &self.other_schools, none)?;
        Ok(h.0)
    }

    /// The seal last written, if the file has one yet.
    pub(super) fn stored_seal(&self) -> Result<Option<u64>> {
        Ok(self.meta.get(SEAL_KEY)?.and_then(|v| {
            let bytes: [u8; 8] = v.value().try_into().ok()?;
            Some(u64::from_le_bytes(bytes))
        }))
    }

    /// Refuses tables whose seal does not match: changed outside rollcall, or damaged.
    pub(super) fn check_seal(&self) -> Result<()> {
        match self.stored_seal()? {
            Some(stored) if stored != self.people_seal()? => Err(StoreError::Corrupt(
                "the database is damaged: its pupils, staff, groups or configuration do not \
                 match their seal (changed outside rollcall, or a damaged disk); nothing was \
                 written to it"
                    .into(),
            )),
            _ => Ok(()),
        }
    }
}

impl Writer<'_> {
    /// Notes that this transaction changes the sealed tables: the seal is renewed as it
    /// commits.
    pub(super) fn people_changed(&mut self) {
        self.kind.people_changed = true;
    }

    /// Writes the seal for the tables as they now are.
    pub(super) fn reseal(&mut self) -> Result<()> {
        let seal = self.people_seal()?.to_le_bytes();
        self.meta.insert(SEAL_KEY, seal.as_slice())?;
        Ok(())
    }
}

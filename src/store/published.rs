//! What each trust database was last sent (`rollcall publish`, table `published`): a hash of
//! every pupil-month and every pupil's details as published, so the next run sends only what
//! changed since; and the token the database was given, so a database that lost or never had
//! this school's rows (restored, recreated) is sent everything again.

use super::error::Result;
use super::schema::{Kind, Tables, Writer};
use redb::ReadableTable;
use std::collections::BTreeMap;

/// What a database was sent: (month, pupil id) → the hash of what it holds.
pub type Sent = BTreeMap<(u32, u32), u64>;

/// The month key under which a pupil's details are hashed.
pub const DETAILS: u32 = u32::MAX;

impl<T: Kind> Tables<T> {
    /// What database `db` was sent: (month, pupil id) → hash; and its token, if any.
    pub fn published(&self, db: u32) -> Result<(Sent, Option<u64>)> {
        let mut sent = BTreeMap::new();
        let mut token = None;
        for entry in self
            .published
            .range((db, 0u32, 0u32)..=(db, u32::MAX, u32::MAX))?
        {
            let (key, hash) = entry?;
            let (_, month, pupil) = key.value();
            if (month, pupil) == (DETAILS, u32::MAX) {
                token = Some(hash.value());
            } else {
                sent.insert((month, pupil), hash.value());
            }
        }
        Ok((sent, token))
    }
}

impl Writer<'_> {
    /// Records a publish committed in database `db`: each (month, pupil id) with the hash
    /// sent, or `None` for one removed there; `everything` when the whole school was sent
    /// (what was recorded before is forgotten first).
    pub fn put_published(
        &mut self,
        db: u32,
        token: u64,
        everything: bool,
        sent: &[((u32, u32), Option<u64>)],
    ) -> Result<()> {
        if everything {
            let keys: Vec<(u32, u32)> = self
                .published
                .range((db, 0u32, 0u32)..=(db, u32::MAX, u32::MAX))?
                .map(|e| e.map(|(k, _)| (k.value().1, k.value().2)))
                .collect::<std::result::Result<_, _>>()?;
            for (month, pupil) in keys {
                self.published.remove((db, month, pupil))?;
            }
        }
        for ((month, pupil), hash) in sent {
            match hash {
                Some(h) => self.published.insert((db, *month, *pupil), *h)?,
                None => self.published.remove((db, *month, *pupil))?,
            };
        }
        self.published.insert((db, DETAILS, u32::MAX), token)?;
        Ok(())
    }
}

//! Where each first mark of a pupil-month came from, when not a key (an import, a batch, a
//! transfer file, a plan, a sign-out): a few bytes a pupil-month instead of a history row a
//! mark. A mark made once and never changed is its own history; this says where it came
//! from. When it is first changed, its history is written out and its source goes with it
//! (`change_sources`), as any later change's does.
//!
//! Value: (sessions u64 little-endian, source text id u32 little-endian) pairs; a session's
//! bit is (day - 1) × 2 + session, as in a month's map.

use super::error::{Result, StoreError};
use super::schema::{Kind, Tables, Writer};
use crate::domain::marks::Source;
use crate::domain::session::Session;
use redb::ReadableTable;

/// A session's bit in a month.
pub(super) fn bit(day: u8, session: Session) -> u64 {
    1u64 << ((u32::from(day.max(1)) - 1) * 2 + u32::from(session.index()))
}

fn decode(bytes: &[u8]) -> Result<Vec<(u64, u32)>> {
    if !bytes.len().is_multiple_of(12) {
        return Err(StoreError::Corrupt(
            "where first marks came from cannot be read: restore the latest backup".into(),
        ));
    }
    Ok(bytes
        .chunks_exact(12)
        .map(|c| {
            let map = u64::from_le_bytes(c[..8].try_into().unwrap_or_default());
            let id = u32::from_le_bytes(c[8..].try_into().unwrap_or_default());
            (map, id)
        })
        .collect())
}

fn encode(entries: &[(u64, u32)]) -> Vec<u8> {
    entries
        .iter()
        .flat_map(|(map, id)| map.to_le_bytes().into_iter().chain(id.to_le_bytes()))
        .collect()
}

impl<T: Kind> Tables<T> {
    /// The source text id a first mark came with, if not a key.
    pub(super) fn first_source_id(&self, pupil: u32, month: u32, bit: u64) -> Result<Option<u32>> {
        let Some(value) = self.first_sources.get((month, pupil))? else {
            return Ok(None);
        };
        Ok(decode(value.value())?
            .into_iter()
            .find(|(map, _)| map & bit != 0)
            .map(|(_, id)| id))
    }

    /// Where a first mark came from, if not a key.
    pub(super) fn first_source(&self, pupil: u32, month: u32, bit: u64) -> Result<Option<Source>> {
        let Some(id) = self.first_source_id(pupil, month, bit)? else {
            return Ok(None);
        };
        let text = self.reason_text(id)?;
        Source::from_text(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("`{text}` is not where a change came from")))
    }
}

impl Writer<'_> {
    /// Records where a first mark came from (`None`: a key), in place of what was there.
    pub(super) fn set_first_source(
        &mut self,
        pupil: u32,
        month: u32,
        bit: u64,
        id: Option<u32>,
    ) -> Result<()> {
        let mut entries = match self.first_sources.get((month, pupil))? {
            Some(value) => decode(value.value())?,
            None if id.is_none() => return Ok(()),
            None => Vec::new(),
        };
        for (map, _) in &mut entries {
            *map &= !bit;
        }
        if let Some(id) = id {
            match entries.iter_mut().find(|(_, e)| *e == id) {
                Some((map, _)) => *map |= bit,
                None => entries.push((bit, id)),
            }
        }
        entries.retain(|(map, _)| *map != 0);
        if entries.is_empty() {
            self.first_sources.remove((month, pupil))?;
        } else {
            self.first_sources
                .insert((month, pupil), encode(&entries).as_slice())?;
        }
        Ok(())
    }

    /// Where a first mark came from, taken away as its history is written out.
    pub(super) fn take_first_source(
        &mut self,
        pupil: u32,
        month: u32,
        bit: u64,
    ) -> Result<Option<u32>> {
        let id = self.first_source_id(pupil, month, bit)?;
        if id.is_some() {
            self.set_first_source(pupil, month, bit, None)?;
        }
        Ok(id)
    }
}

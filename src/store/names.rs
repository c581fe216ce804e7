//! Who made a mark and the group it was made in, looked up once for many marks.

use super::error::Result;
use super::rows::StaffVersionRow;
use super::schema::{Kind, Tables};
use std::collections::HashMap;

/// Who made a mark and the group it was made in, looked up once for many marks.
#[derive(Default)]
pub(super) struct Names {
    versions: HashMap<u32, StaffVersionRow>,
    groups: HashMap<u32, String>,
}

impl Names {
    pub(super) fn version<T: Kind>(
        &mut self,
        tables: &Tables<T>,
        id: u32,
    ) -> Result<&StaffVersionRow> {
        match self.versions.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => Ok(e.insert(tables.version(id)?)),
        }
    }

    pub(super) fn group<T: Kind>(&mut self, tables: &Tables<T>, id: u32) -> Result<String> {
        if let Some(name) = self.groups.get(&id) {
            return Ok(name.clone());
        }
        let name = tables.group_name(id)?;
        self.groups.insert(id, name.clone());
        Ok(name)
    }
}

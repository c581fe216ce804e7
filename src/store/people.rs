//! Staff and pupils: who an account is (and was: every change of name, position or role is a
//! new version, so what someone did keeps the name they had), pupils and their ids, and the
//! groups they belong to, with each group's roll kept in step.

use super::error::{Result, StoreError};
use super::keys::{after, day, next_id};
use super::rows::{self, decoded};
use super::rows::{MembershipRow, PupilRow, StaffRow, StaffVersionRow};
use super::schema::OPEN_END;
use super::schema::{Kind, Tables, Writer};
use crate::domain::marks::Membership;
use crate::domain::people::{Pupil, Staff};
use chrono::NaiveDate;
use redb::ReadableTable;
use std::collections::HashMap;

impl<T: Kind> Tables<T> {
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
    pub(super) fn version(&self, id: u32) -> Result<StaffVersionRow> {
        let value = self.staff_versions.get(id)?.ok_or_else(|| {
            StoreError::Corrupt(format!(
                "staff version {id} is missing: restore the latest backup"
            ))
        })?;
        decoded(value.value(), Ok, || format!("staff version {id}"))
    }

    pub(super) fn pupil_row(&self, upn: &str) -> Result<Option<PupilRow>> {
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

    pub(super) fn group_name(&self, id: u32) -> Result<String> {
        self.group_names
            .get(id)?
            .map(|v| v.value().to_string())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("group {id} is missing: restore the latest backup"))
            })
    }

    /// A group's id, if any mark has been made in it.
    pub fn find_group_id(&self, name: &str) -> Result<Option<u32>> {
        Ok(self.groups.get(name)?.map(|v| v.value()))
    }

    /// Every group's name by id.
    pub fn group_names(&self) -> Result<HashMap<u32, String>> {
        let mut out = HashMap::new();
        for entry in self.group_names.iter()? {
            let (id, name) = entry?;
            out.insert(id.value(), name.value().to_string());
        }
        Ok(out)
    }
}

impl Writer<'_> {
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
        self.people_changed();
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

    pub(super) fn staff_row(&self, account: &str) -> Result<Option<StaffRow>> {
        let value = self.staff.get(account)?;
        value
            .map(|v| decoded(v.value(), Ok, || format!("the staff record of `{account}`")))
            .transpose()
    }

    pub(super) fn add_version(&mut self, row: &StaffVersionRow) -> Result<u32> {
        let id = next_id(self.staff_versions.last()?.map(|(k, _)| k.value()));
        self.people_changed();
        self.staff_versions.insert(id, Ok(row.clone()))?;
        Ok(id)
    }

    /// The version a change was made by: the account's current one when the name and
    /// position match (always, for changes made now), else one written for them.
    pub(super) fn version_for(&mut self, account: &str, name: &str, position: &str) -> Result<u32> {
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
    pub(super) fn current_version(&mut self, account: &str) -> Result<u32> {
        match self.staff_row(account)? {
            Some(row) => Ok(row.version),
            None => self.version_for(account, account, ""),
        }
    }

    pub fn put_pupil(&mut self, pupil: &Pupil) -> Result<()> {
        self.people_changed();
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

    pub(super) fn group_id(&mut self, name: &str) -> Result<u32> {
        if let Some(id) = self.groups.get(name)? {
            return Ok(id.value());
        }
        let id = next_id(self.group_names.last()?.map(|(k, _)| k.value()));
        self.people_changed();
        self.groups.insert(name, id)?;
        self.group_names.insert(id, name)?;
        Ok(id)
    }

    /// Adds or rewrites one membership (keyed by pupil and start date), keeping the group's
    /// roll in step. Memberships are ended, never deleted: history stays on the roll it was on.
    pub fn put_membership(&mut self, upn: &str, membership: &Membership) -> Result<()> {
        let start = day(membership.start);
        let end = membership.end.map_or(OPEN_END, day);
        self.people_changed();
        self.rolls
            .insert((membership.group.as_str(), upn, start), end)?;
        self.memberships
            .insert((upn, start), Ok(MembershipRow::from(membership)))?;
        Ok(())
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

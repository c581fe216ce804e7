//! Pupils' contacts (table `contacts`): as the latest pupil list with contact columns gave
//! them, replaced whole by the next such list (a list without contact columns leaves them);
//! and their characteristics (table `characteristics`), each change dated.

use super::error::{Result, StoreError};
use super::rows::{ContactRow, ContactsRow, TraitRow, TraitsRow, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::people::{Characteristics, Contact, Sen};
use chrono::NaiveDate;
use redb::ReadableTable;

impl<T: Kind> Tables<T> {
    /// A pupil's contacts, in the order they are called (none for an unknown pupil).
    pub fn contacts(&self, upn: &str) -> Result<Vec<Contact>> {
        let Some(id) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        let Some(value) = self.contacts.get(id)? else {
            return Ok(Vec::new());
        };
        let row: ContactsRow = decoded(value.value(), Ok, || format!("the contacts of {upn}"))?;
        Ok(row
            .contacts
            .into_iter()
            .map(|c| Contact {
                name: c.name,
                relationship: c.relationship,
                phone: c.phone,
                email: c.email,
                priority: c.priority,
                parental_responsibility: c.parental_responsibility,
                no_contact: c.no_contact,
            })
            .collect())
    }
}

impl Writer<'_> {
    /// Sets a pupil's contacts, replacing what was there.
    pub fn put_contacts(&mut self, upn: &str, contacts: &[Contact]) -> Result<()> {
        let id = self
            .pupil_id(upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
        let row = ContactsRow {
            contacts: contacts
                .iter()
                .map(|c| ContactRow {
                    name: c.name.clone(),
                    relationship: c.relationship.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                    priority: c.priority,
                    parental_responsibility: c.parental_responsibility,
                    no_contact: c.no_contact,
                })
                .collect(),
        };
        self.contacts.insert(id, Ok(row))?;
        Ok(())
    }
}

fn traits_of(t: TraitRow) -> Characteristics {
    Characteristics {
        sen: match t.sen {
            1 => Sen::Support,
            2 => Sen::Ehcp,
            _ => Sen::None,
        },
        fsm: t.fsm,
        pp: t.pp,
        lac: t.lac,
        cin: t.cin,
        cp: t.cp,
        young_carer: t.young_carer,
        eal: t.eal,
        social_worker: t.social_worker,
    }
}

fn trait_row(c: Characteristics) -> TraitRow {
    TraitRow {
        sen: match c.sen {
            Sen::None => 0,
            Sen::Support => 1,
            Sen::Ehcp => 2,
        },
        fsm: c.fsm,
        pp: c.pp,
        lac: c.lac,
        cin: c.cin,
        cp: c.cp,
        young_carer: c.young_carer,
        eal: c.eal,
        social_worker: c.social_worker,
    }
}

impl<T: Kind> Tables<T> {
    /// A pupil's characteristics on `date`: the latest change on or before it (none known:
    /// nothing recorded).
    pub fn characteristics(&self, upn: &str, date: NaiveDate) -> Result<Characteristics> {
        Ok(self
            .characteristics_history(upn)?
            .into_iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, c)| c)
            .unwrap_or_default())
    }

    /// Every pupil with characteristics recorded, as they stood on `date`, by pupil id.
    pub fn all_characteristics(
        &self,
        date: NaiveDate,
    ) -> Result<std::collections::HashMap<u32, Characteristics>> {
        let mut out = std::collections::HashMap::new();
        for entry in self.characteristics.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            let row: TraitsRow = decoded(value.value(), Ok, || {
                format!("the characteristics of pupil {id}")
            })?;
            if let Some((_, t)) = row
                .entries
                .into_iter()
                .rev()
                .find(|(from, _)| *from <= date)
            {
                out.insert(id, traits_of(t));
            }
        }
        Ok(out)
    }

    /// Every change of a pupil's characteristics, oldest first.
    pub fn characteristics_history(&self, upn: &str) -> Result<Vec<(NaiveDate, Characteristics)>> {
        let Some(id) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        let Some(value) = self.characteristics.get(id)? else {
            return Ok(Vec::new());
        };
        let row: TraitsRow = decoded(value.value(), Ok, || {
            format!("the characteristics of {upn}")
        })?;
        Ok(row
            .entries
            .into_iter()
            .map(|(from, t)| (from, traits_of(t)))
            .collect())
    }
}

impl Writer<'_> {
    /// Records a pupil's characteristics from `from` on, beside the earlier ones; a change
    /// on the same day replaces that day's.
    pub fn put_characteristics(
        &mut self,
        upn: &str,
        from: NaiveDate,
        c: &Characteristics,
    ) -> Result<()> {
        let id = self
            .pupil_id(upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
        let mut history = self.characteristics_history(upn)?;
        history.retain(|(d, _)| *d != from);
        history.push((from, c.clone()));
        history.sort_by_key(|(d, _)| *d);
        let row = TraitsRow {
            entries: history
                .into_iter()
                .map(|(d, c)| (d, trait_row(c)))
                .collect(),
        };
        self.characteristics.insert(id, Ok(row))?;
        Ok(())
    }
}

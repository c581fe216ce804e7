//! Pupils' contacts (table `contacts`): as the latest pupil list with contact columns gave
//! them, replaced whole by the next such list (a list without contact columns leaves them).

use super::error::{Result, StoreError};
use super::rows::{ContactRow, ContactsRow, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::people::Contact;
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

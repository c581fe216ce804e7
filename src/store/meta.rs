//! The school's own entries in `meta`: its configuration, and the log of imports of marks.

use super::error::{Result, StoreError};
use super::schema::SCHOOL_KEY;
use super::schema::{Kind, Tables, Writer};
use chrono::NaiveDateTime;
use redb::ReadableTable;

impl<T: Kind> Tables<T> {
    /// The time of the last import before changes said where they came from (schema 6):
    /// marks made until then are known as imported only by the import log.
    pub fn legacy_imports_until(&self) -> Result<Option<NaiveDateTime>> {
        Ok(self
            .meta
            .get(super::migrate::LEGACY_IMPORTS_UNTIL)?
            .and_then(|v| {
                NaiveDateTime::parse_from_str(
                    &String::from_utf8_lossy(v.value()),
                    "%Y-%m-%dT%H:%M:%S",
                )
                .ok()
            }))
    }

    pub fn school_source(&self) -> Result<Option<String>> {
        let value = self.meta.get(SCHOOL_KEY)?;
        value
            .map(|v| {
                String::from_utf8(v.value().to_vec())
                    .map_err(|_| StoreError::Corrupt("school configuration is not UTF-8".into()))
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
}

impl Writer<'_> {
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
        self.people_changed();
        self.meta.insert(key.as_str(), value.as_bytes())?;
        Ok(())
    }

    /// Saves nothing of this transaction when the work returns.
    pub fn discard(&mut self) {
        self.kind.discard = true;
    }

    pub fn set_school_source(&mut self, source: &str) -> Result<()> {
        self.people_changed();
        self.meta.insert(SCHOOL_KEY, source.as_bytes())?;
        Ok(())
    }
}

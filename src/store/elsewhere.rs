//! Marks recorded at other schools (a transfer file's earlier years, an import of another
//! school's registers), kept apart from this school's own: in none of its figures, written
//! back under the school that recorded them.

use super::error::{Result, StoreError};
use super::keys::{date_of, day, next_id, session_of};
use super::rows::{ExternalMarkRow, OtherSchoolRow, code_at, code_index, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::codes::Code;
use crate::domain::marks::SessionKey;
use crate::domain::people::OtherSchool;
use chrono::{NaiveDate, NaiveDateTime};
use redb::ReadableTable;

/// A mark recorded at another school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElsewhereMark {
    pub date: NaiveDate,
    pub session: crate::domain::session::Session,
    pub code: Code,
    pub school: OtherSchool,
}

impl<T: Kind> Tables<T> {
    /// Every other school known, by id.
    fn other_schools(&self) -> Result<Vec<(u32, OtherSchool)>> {
        let mut out = Vec::new();
        for entry in self.other_schools.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            let row = decoded(value.value(), Ok, || format!("school {id}"))?;
            out.push((
                id,
                OtherSchool {
                    la: row.la,
                    estab: row.estab,
                    name: row.name,
                },
            ));
        }
        Ok(out)
    }

    /// The mark recorded at another school for one session, if any.
    pub fn mark_elsewhere(&self, key: &SessionKey) -> Result<Option<ElsewhereMark>> {
        Ok(self
            .marks_elsewhere(&key.upn, key.date, key.date)?
            .into_iter()
            .find(|m| m.session == key.session))
    }

    /// A pupil's marks recorded at other schools from `from` to `to`, in session order.
    pub fn marks_elsewhere(
        &self,
        upn: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ElsewhereMark>> {
        let Some(pupil) = self.pupil_id(upn)? else {
            return Ok(Vec::new());
        };
        let schools = self.other_schools()?;
        let mut out = Vec::new();
        for entry in self
            .external_marks
            .range((pupil, day(from), 0u8)..=(pupil, day(to), u8::MAX))?
        {
            let (key, value) = entry?;
            let (_, d, s) = key.value();
            let row = decoded(value.value(), Ok, || {
                format!("a mark of {upn} at another school")
            })?;
            let school = schools
                .iter()
                .find(|(id, _)| *id == row.school)
                .map(|(_, s)| s.clone())
                .ok_or_else(|| StoreError::Corrupt(format!("school {} is missing", row.school)))?;
            out.push(ElsewhereMark {
                date: date_of(d)?,
                session: session_of(s)?,
                code: code_at(row.code)?,
                school,
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// A school's id, given the first time it is met.
    fn other_school_id(&mut self, school: &OtherSchool) -> Result<u32> {
        if let Some((id, _)) = self.other_schools()?.into_iter().find(|(_, s)| s == school) {
            return Ok(id);
        }
        let id = next_id(self.other_schools.last()?.map(|(k, _)| k.value()));
        self.people_changed();
        self.other_schools.insert(
            id,
            Ok(OtherSchoolRow {
                la: school.la.clone(),
                estab: school.estab.clone(),
                name: school.name.clone(),
            }),
        )?;
        Ok(id)
    }

    /// Records a mark made at another school; `false` if that session already holds one
    /// (nothing is overwritten).
    pub fn put_mark_elsewhere(
        &mut self,
        key: &SessionKey,
        code: Code,
        school: &OtherSchool,
        at: NaiveDateTime,
        account: &str,
    ) -> Result<bool> {
        let pupil = self
            .pupil_id(&key.upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {}", key.upn)))?;
        let slot = (pupil, day(key.date), key.session.index());
        if self.external_marks.get(slot)?.is_some() {
            return Ok(false);
        }
        let school = self.other_school_id(school)?;
        let staff = self.current_version(account)?;
        self.external_marks.insert(
            slot,
            Ok(ExternalMarkRow {
                code: code_index(code),
                school,
                at,
                staff,
            }),
        )?;
        Ok(true)
    }
}

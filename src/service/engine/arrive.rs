//! Where an import's work is done: first on a read, finding every problem without holding
//! the lock that marking waits on (a file with problems is refused there); then in the write
//! that saves it, seeing its own writes. One trait, so both passes run the same code.

use super::ctx::Ctx;
use crate::domain::codes::Code;
use crate::domain::marks::{Change, Mark, Membership, SessionKey};
use crate::domain::people::{Characteristics, Contact};
use crate::domain::people::{OtherSchool, Pupil};
use crate::store::Writer;
use chrono::NaiveDate;

/// Where a transfer file's arrivals are worked out: first on a read, finding every problem
/// without holding the lock that marking waits on (a hostile file is refused there); then in
/// the write that saves them, seeing its own writes.
pub(super) trait Arrive {
    fn pupil(&self, upn: &str) -> crate::store::Result<Option<Pupil>>;
    fn group_on(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Option<String>>;
    /// Every group the pupil has been in, oldest first: for an import to keep per pupil.
    fn memberships(&self, upn: &str) -> crate::store::Result<Vec<Membership>>;
    fn mark(&self, key: &SessionKey) -> crate::store::Result<Option<Mark>>;
    fn month_marks(
        &self,
        upn: &str,
        date: NaiveDate,
    ) -> crate::store::Result<Vec<(u8, crate::domain::session::Session, Mark)>>;
    fn mark_elsewhere(
        &self,
        key: &SessionKey,
    ) -> crate::store::Result<Option<crate::store::ElsewhereMark>>;
    fn contacts(&self, upn: &str) -> crate::store::Result<Vec<Contact>>;
    fn characteristics(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Characteristics>;
    fn put_pupil(&mut self, pupil: &Pupil) -> crate::store::Result<()>;
    fn put_contacts(&mut self, upn: &str, contacts: &[Contact]) -> crate::store::Result<()>;
    fn put_characteristics(
        &mut self,
        upn: &str,
        from: NaiveDate,
        c: &Characteristics,
    ) -> crate::store::Result<()>;
    fn put_mark(
        &mut self,
        key: &SessionKey,
        mark: &Mark,
        change: &Change,
    ) -> crate::store::Result<()>;
    fn put_mark_elsewhere(
        &mut self,
        key: &SessionKey,
        code: Code,
        school: &OtherSchool,
        ctx: &Ctx,
    ) -> crate::store::Result<()>;
}

/// The read: writes are what the write will do.
impl Arrive for crate::store::Reader {
    fn pupil(&self, upn: &str) -> crate::store::Result<Option<Pupil>> {
        crate::store::Reader::pupil(self, upn)
    }
    fn group_on(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Option<String>> {
        crate::store::Reader::group_on(self, upn, date)
    }
    fn memberships(&self, upn: &str) -> crate::store::Result<Vec<Membership>> {
        crate::store::Reader::memberships(self, upn)
    }
    fn mark(&self, key: &SessionKey) -> crate::store::Result<Option<Mark>> {
        crate::store::Reader::mark(self, key)
    }
    fn month_marks(
        &self,
        upn: &str,
        date: NaiveDate,
    ) -> crate::store::Result<Vec<(u8, crate::domain::session::Session, Mark)>> {
        crate::store::Reader::month_marks(self, upn, date)
    }
    fn mark_elsewhere(
        &self,
        key: &SessionKey,
    ) -> crate::store::Result<Option<crate::store::ElsewhereMark>> {
        crate::store::Reader::mark_elsewhere(self, key)
    }
    fn contacts(&self, upn: &str) -> crate::store::Result<Vec<Contact>> {
        crate::store::Reader::contacts(self, upn)
    }
    fn characteristics(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Characteristics> {
        crate::store::Reader::characteristics(self, upn, date)
    }
    fn put_pupil(&mut self, _: &Pupil) -> crate::store::Result<()> {
        Ok(())
    }
    fn put_contacts(&mut self, _: &str, _: &[Contact]) -> crate::store::Result<()> {
        Ok(())
    }
    fn put_characteristics(
        &mut self,
        _: &str,
        _: NaiveDate,
        _: &Characteristics,
    ) -> crate::store::Result<()> {
        Ok(())
    }
    fn put_mark(&mut self, _: &SessionKey, _: &Mark, _: &Change) -> crate::store::Result<()> {
        Ok(())
    }
    fn put_mark_elsewhere(
        &mut self,
        _: &SessionKey,
        _: Code,
        _: &OtherSchool,
        _: &Ctx,
    ) -> crate::store::Result<()> {
        Ok(())
    }
}

impl Arrive for Writer<'_> {
    fn pupil(&self, upn: &str) -> crate::store::Result<Option<Pupil>> {
        Writer::pupil(self, upn)
    }
    fn group_on(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Option<String>> {
        Writer::group_on(self, upn, date)
    }
    fn memberships(&self, upn: &str) -> crate::store::Result<Vec<Membership>> {
        Writer::memberships(self, upn)
    }
    fn mark(&self, key: &SessionKey) -> crate::store::Result<Option<Mark>> {
        Writer::mark(self, key)
    }
    fn month_marks(
        &self,
        upn: &str,
        date: NaiveDate,
    ) -> crate::store::Result<Vec<(u8, crate::domain::session::Session, Mark)>> {
        Writer::month_marks(self, upn, date)
    }
    fn mark_elsewhere(
        &self,
        key: &SessionKey,
    ) -> crate::store::Result<Option<crate::store::ElsewhereMark>> {
        Writer::mark_elsewhere(self, key)
    }
    fn contacts(&self, upn: &str) -> crate::store::Result<Vec<Contact>> {
        Writer::contacts(self, upn)
    }
    fn characteristics(&self, upn: &str, date: NaiveDate) -> crate::store::Result<Characteristics> {
        Writer::characteristics(self, upn, date)
    }
    fn put_pupil(&mut self, pupil: &Pupil) -> crate::store::Result<()> {
        Writer::put_pupil(self, pupil)
    }
    fn put_contacts(&mut self, upn: &str, contacts: &[Contact]) -> crate::store::Result<()> {
        Writer::put_contacts(self, upn, contacts)
    }
    fn put_characteristics(
        &mut self,
        upn: &str,
        from: NaiveDate,
        c: &Characteristics,
    ) -> crate::store::Result<()> {
        Writer::put_characteristics(self, upn, from, c)
    }
    fn put_mark(
        &mut self,
        key: &SessionKey,
        mark: &Mark,
        change: &Change,
    ) -> crate::store::Result<()> {
        Writer::put_mark(self, key, mark, change)
    }
    fn put_mark_elsewhere(
        &mut self,
        key: &SessionKey,
        code: Code,
        school: &OtherSchool,
        ctx: &Ctx,
    ) -> crate::store::Result<()> {
        Writer::put_mark_elsewhere(self, key, code, school, ctx.now, &ctx.staff.account).map(drop)
    }
}

//! Schema 2 to 3: marks move from three tables with a copy of the staff member's name in
//! every history entry to one compact month per pupil, staff and pupils get ids, and the
//! history keeps changes only. Every mark and every history entry comes across: a first mark
//! whose history says nothing it does not (made once, as it stands) becomes its own history;
//! anything else keeps its entries, with the name and position each had at the time.
//!
//! Marks and history are both keyed by (day, session, UPN) in schema 2, so they are read
//! side by side in one pass, a month of marks held at a time.

use super::old::{PUPILS_V3, read_all};
use super::v2;
use crate::domain::marks::{Change, Mark, SessionKey};
use crate::domain::register::{ChangeKind, Role};
use crate::store::error::{Result, StoreError};
use crate::store::keys::session_key;
use crate::store::month::{Month, MonthKey, Slot, month_of};
use crate::store::rows::{self, ChangeRow, PupilRowV3, StaffRow, StaffVersionRow, decoded};
use crate::store::schema::{
    GROUP_NAMES, GROUPS, HISTORY, MONTHS, PENDING_N, PUPIL_IDS, REASON_TEXTS, REASONS, STAFF,
    STAFF_VERSIONS,
};
use chrono::Datelike;
use redb::{ReadableTable, WriteTransaction};
use std::collections::HashMap;

/// Brings a schema 2 database to schema 3 inside the migration's transaction.
pub fn to_v3(tx: &WriteTransaction) -> Result<()> {
    let (mut versions, ids) = carry_people(tx)?;
    let mut groups = Groups {
        names: tx.open_table(GROUPS)?,
        ids: tx.open_table(GROUP_NAMES)?,
        known: HashMap::new(),
    };
    let mut reasons = Groups {
        names: tx.open_table(REASONS)?,
        ids: tx.open_table(REASON_TEXTS)?,
        known: HashMap::new(),
    };
    carry_marks(tx, &ids, &mut versions, &mut groups, &mut reasons)?;
    drop((groups, reasons, versions));
    tx.delete_table(v2::MARKS)?;
    tx.delete_table(v2::PUPIL_MARKS)?;
    tx.delete_table(v2::HISTORY)?;
    Ok(())
}

/// Staff become versions and pupils get ids; the `N` queue is keyed by those ids. The
/// tables whose names schema 3 reuses are small: read whole, then replaced.
fn carry_people(tx: &WriteTransaction) -> Result<(Versions<'_>, HashMap<String, u32>)> {
    let staff = read_all(tx, v2::STAFF, "a staff record")?;
    let pupils = read_all(tx, v2::PUPILS, "a pupil record")?;
    let mut pending = Vec::new();
    for entry in tx.open_table(v2::PENDING_N)?.iter()? {
        let (key, _) = entry?;
        let (d, s, upn) = key.value();
        pending.push((d, s, upn.to_string()));
    }
    tx.delete_table(v2::STAFF)?;
    tx.delete_table(v2::PUPILS)?;
    tx.delete_table(v2::PENDING_N)?;

    let mut versions = Versions {
        table: tx.open_table(STAFF_VERSIONS)?,
        known: HashMap::new(),
        roles: HashMap::new(),
        current: HashMap::new(),
    };
    let mut staff_table = tx.open_table(STAFF)?;
    for (account, row) in staff {
        let staff = rows_v2_staff(&account, row);
        let version = versions.get(
            &staff.account,
            &staff.name,
            &staff.position,
            Some(staff.role),
        )?;
        staff_table.insert(
            staff.account.as_str(),
            Ok(StaffRow {
                version,
                name: staff.name.clone(),
                position: staff.position.clone(),
                role: rows::role_row(staff.role),
            }),
        )?;
    }
    let mut pupil_table = tx.open_table(PUPILS_V3)?;
    let mut pupil_ids = tx.open_table(PUPIL_IDS)?;
    let mut ids: HashMap<String, u32> = HashMap::new();
    for (n, (upn, row)) in pupils.into_iter().enumerate() {
        let id = n as u32;
        let pupil: crate::domain::people::Pupil = row.into();
        pupil_table.insert(
            upn.as_str(),
            Ok(PupilRowV3 {
                id,
                surname: pupil.surname,
                forename: pupil.forename,
                dob: pupil.dob,
                year: rows::year_row(pupil.year),
            }),
        )?;
        pupil_ids.insert(id, upn.as_str())?;
        ids.insert(upn, id);
    }
    let mut pending_table = tx.open_table(PENDING_N)?;
    for (d, s, upn) in pending {
        if let Some(id) = ids.get(&upn) {
            pending_table.insert((d, s, *id), ())?;
        }
    }
    Ok((versions, ids))
}

/// The (day, session, UPN) a schema-2 row iterator is at, or the damage it met.
fn peek_key<K, V>(
    rows: &mut std::iter::Peekable<
        impl Iterator<Item = std::result::Result<(K, V), redb::StorageError>>,
    >,
    key: impl Fn(&K) -> (i32, u8, String),
    what: &str,
) -> Result<Option<(i32, u8, String)>> {
    match rows.peek() {
        Some(Ok((k, _))) => Ok(Some(key(k))),
        Some(Err(_)) => Err(rows
            .next()
            .and_then(|r| r.err())
            .map_or_else(|| StoreError::Corrupt(what.into()), StoreError::from)),
        None => Ok(None),
    }
}

/// Marks and their histories, side by side in key order, into months and changes.
fn carry_marks(
    tx: &WriteTransaction,
    ids: &HashMap<String, u32>,
    versions: &mut Versions<'_>,
    groups: &mut Groups<'_>,
    reasons: &mut Groups<'_>,
) -> Result<()> {
    let marks = tx.open_table(v2::MARKS)?;
    let history = tx.open_table(v2::HISTORY)?;
    let mut months = tx.open_table(MONTHS)?;
    let mut changes = tx.open_table(HISTORY)?;
    let mut mark_rows = marks.iter()?.peekable();
    let mut history_rows = history.iter()?.peekable();
    let mut open_month: Option<MonthKey> = None;
    let mut held: HashMap<u32, Month> = HashMap::new();
    loop {
        let mark_key = peek_key(
            &mut mark_rows,
            |k| {
                let (d, s, u) = k.value();
                (d, s, u.to_string())
            },
            "a mark",
        )?;
        let history_key = peek_key(
            &mut history_rows,
            |k| {
                let (d, s, u, _) = k.value();
                (d, s, u.to_string())
            },
            "a history entry",
        )?;
        let key = match (&mark_key, &history_key) {
            (None, None) => break,
            (Some(m), None) => m.clone(),
            (None, Some(h)) => h.clone(),
            (Some(m), Some(h)) => m.clone().min(h.clone()),
        };
        let (d, s, upn) = key.clone();
        let session_key = session_key((d, s, upn.as_str()))?;
        let mark: Option<Mark> = if mark_key.as_ref() == Some(&key) {
            let (_, value) = mark_rows
                .next()
                .transpose()?
                .ok_or_else(|| StoreError::Corrupt("a mark".into()))?;
            Some(decoded(value.value(), v2::MarkRow::into_mark, || {
                format!("the mark of {upn} on day {d}")
            })?)
        } else {
            None
        };
        let mut entries: Vec<Change> = Vec::new();
        while let Some(Ok((k, _))) = history_rows.peek() {
            let (hd, hs, hu, _) = k.value();
            if (hd, hs, hu) != (d, s, upn.as_str()) {
                break;
            }
            let (_, value) = history_rows
                .next()
                .transpose()?
                .ok_or_else(|| StoreError::Corrupt("a history entry".into()))?;
            entries.push(decoded(value.value(), v2::ChangeRow::into_change, || {
                format!("the history of {upn} on day {d}")
            })?);
        }
        let pupil = *ids.get(&upn).ok_or_else(|| {
            StoreError::Corrupt(format!("marks of {upn}, who has no pupil record"))
        })?;
        // Months are written whole, in key order: a new month flushes the last one.
        let month = month_of(session_key.date);
        if open_month != Some(month) {
            if let Some(done) = open_month {
                flush(&mut months, done, &mut held)?;
            }
            open_month = Some(month);
        }
        let mut own_history = false;
        if let Some(mark) = &mark {
            let (slot, own) = slot_of(mark, &entries, &session_key, versions, groups)?;
            own_history = own;
            held.entry(pupil).or_default().put(slot);
        }
        if !own_history {
            for (seq, change) in entries.iter().enumerate() {
                let staff = versions.get(&change.account, &change.name, &change.position, None)?;
                let seq = u16::try_from(seq)
                    .map_err(|_| StoreError::Corrupt(format!("{upn}: over 65,535 changes")))?;
                let reason = change
                    .reason
                    .as_deref()
                    .map(|r| reasons.id(r))
                    .transpose()?;
                changes.insert((pupil, d, s, seq), Ok(ChangeRow::of(change, staff, reason)))?;
            }
        }
    }
    if let Some(done) = open_month {
        flush(&mut months, done, &mut held)?;
    }
    Ok(())
}

/// A schema-2 mark as a slot of its month, and whether it is its own history (made once,
/// as it stands: its one history entry says nothing the mark does not).
fn slot_of(
    mark: &Mark,
    entries: &[Change],
    key: &SessionKey,
    versions: &mut Versions<'_>,
    groups: &mut Groups<'_>,
) -> Result<(Slot, bool)> {
    // Who made the mark, as they were: the latest change by that account.
    let by = entries
        .iter()
        .rev()
        .find(|c| c.account == mark.recorded_by)
        .map(|c| (c.name.clone(), c.position.clone()));
    let staff = match &by {
        Some((name, position)) => versions.get(&mark.recorded_by, name, position, None)?,
        None => versions.current(&mark.recorded_by)?,
    };
    let office = versions.is_office(staff);
    let slot = Slot {
        day: key.date.day() as u8,
        session: key.session,
        code: mark.code,
        staff,
        recorded_at: mark.recorded_at,
        arrived: mark.arrived,
        minutes_late: mark.minutes_late,
        note: mark.note.clone(),
        group: groups.id(&mark.group)?,
        office_differs: office != mark.recorded_by_office,
    };
    let own_history = matches!(entries, [only]
        if only.kind == ChangeKind::Mark
            && only.before.is_none()
            && only.reason.is_none()
            && only.after.as_ref() == Some(&mark.entry())
            && only.at == mark.recorded_at
            && only.account == mark.recorded_by
            && by.as_ref().is_some_and(|(n, p)| *n == only.name && *p == only.position));
    Ok((slot, own_history))
}

fn flush(
    months: &mut redb::Table<'_, (u32, u32), &'static [u8]>,
    month: MonthKey,
    held: &mut HashMap<u32, Month>,
) -> Result<()> {
    let mut pupils: Vec<u32> = held.keys().copied().collect();
    pupils.sort_unstable();
    for pupil in pupils {
        if let Some(m) = held.remove(&pupil)
            && !m.slots.is_empty()
        {
            months.insert((month, pupil), m.encode(month).as_slice())?;
        }
    }
    Ok(())
}

fn rows_v2_staff(account: &str, row: v2::StaffRow) -> crate::domain::people::Staff {
    let mut staff: crate::domain::people::Staff = row.into();
    staff.account = account.to_string();
    staff
}

/// Staff versions as the migration writes them, one per (account, name, position).
struct Versions<'t> {
    table: redb::Table<'t, u32, rows::Bin<StaffVersionRow>>,
    known: HashMap<(String, String, String), u32>,
    roles: HashMap<u32, Role>,
    /// Each account's version as the staff list has it now.
    current: HashMap<String, u32>,
}

impl Versions<'_> {
    /// The version for an account with a name and position, written the first time it is
    /// met; its role is the account's current one (or `role`, for the current version).
    fn get(
        &mut self,
        account: &str,
        name: &str,
        position: &str,
        role: Option<Role>,
    ) -> Result<u32> {
        let key = (account.to_string(), name.to_string(), position.to_string());
        if let Some(id) = self.known.get(&key) {
            return Ok(*id);
        }
        let is_current = role.is_some();
        let role = role
            .or_else(|| {
                self.current
                    .get(account)
                    .and_then(|id| self.roles.get(id).copied())
            })
            .unwrap_or(Role::Teacher);
        let id = self.known.len() as u32;
        self.table.insert(
            id,
            Ok(StaffVersionRow {
                account: account.to_string(),
                name: name.to_string(),
                position: position.to_string(),
                role: rows::role_row(role),
            }),
        )?;
        self.known.insert(key, id);
        self.roles.insert(id, role);
        if is_current {
            self.current.insert(account.to_string(), id);
        }
        Ok(id)
    }

    /// The account's version as the staff list has it now (one named by the account for an
    /// account no longer on it).
    fn current(&mut self, account: &str) -> Result<u32> {
        match self.current.get(account) {
            Some(id) => Ok(*id),
            None => self.get(account, account, "", None),
        }
    }

    fn is_office(&self, id: u32) -> bool {
        self.roles.get(&id).is_some_and(|r| r.is_office())
    }
}

/// Names given ids as the migration writes them: groups, reasons.
struct Groups<'t> {
    names: redb::Table<'t, &'static str, u32>,
    ids: redb::Table<'t, u32, &'static str>,
    known: HashMap<String, u32>,
}

impl Groups<'_> {
    fn id(&mut self, name: &str) -> Result<u32> {
        if let Some(id) = self.known.get(name) {
            return Ok(*id);
        }
        let id = self.known.len() as u32;
        self.names.insert(name, id)?;
        self.ids.insert(id, name)?;
        self.known.insert(name.to_string(), id);
        Ok(id)
    }
}

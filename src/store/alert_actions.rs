//! What staff did about alerts: each action appended, never rewritten, so the alert's own
//! audit trail is the table (who, with the name and position they had, when, and the note).

use super::error::{Result, StoreError};
use super::keys::{date_of, day, session_of};
use super::rows::{ActionRow, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::session::Session;
use crate::domain::thresholds::{ActedOn, ThresholdKind};
use chrono::{NaiveDate, NaiveDateTime};
use redb::ReadableTable;
use std::collections::HashMap;

/// Every action, by pupil id and kind, oldest first.
pub type Actions = HashMap<(u32, ThresholdKind), Vec<ActedOn>>;

impl<T: Kind> Tables<T> {
    /// Every action on every alert (a few per pupil at most).
    pub fn alert_actions(&self) -> Result<Actions> {
        let mut out: Actions = HashMap::new();
        let mut versions = HashMap::new();
        for entry in self.alert_actions.iter()? {
            let (key, value) = entry?;
            let (pupil, kind, _) = key.value();
            let kind = ThresholdKind::from_index(kind).ok_or_else(|| {
                StoreError::Corrupt(format!("alert kind {kind} of pupil {pupil}"))
            })?;
            let row: ActionRow = decoded(value.value(), Ok, || {
                format!("an action on an alert for pupil {pupil}")
            })?;
            if let std::collections::hash_map::Entry::Vacant(e) = versions.entry(row.staff) {
                e.insert(self.version(row.staff)?);
            }
            let by = &versions[&row.staff];
            out.entry((pupil, kind)).or_default().push(ActedOn {
                through: (date_of(row.through_day)?, session_of(row.through_session)?),
                note: row.note,
                at: row.at,
                account: by.account.clone(),
                name: by.name.clone(),
                position: by.position.clone(),
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Appends an action on a pupil's alert, recorded as `account` now is.
    pub fn put_alert_action(
        &mut self,
        pupil: u32,
        kind: ThresholdKind,
        through: (NaiveDate, Session),
        note: &str,
        at: NaiveDateTime,
        account: &str,
    ) -> Result<()> {
        let staff = self.current_version(account)?;
        let k = kind.index();
        let seq = match self
            .alert_actions
            .range((pupil, k, 0u16)..=(pupil, k, u16::MAX))?
            .next_back()
        {
            // 65,535 actions on one pupil's alert of one kind: the last is kept up to date.
            Some(last) => last?.0.value().2.saturating_add(1),
            None => 0,
        };
        let row = ActionRow {
            through_day: day(through.0),
            through_session: through.1.index(),
            note: note.to_string(),
            at,
            staff,
        };
        self.alert_actions.insert((pupil, k, seq), Ok(row))?;
        Ok(())
    }
}

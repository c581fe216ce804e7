//! Planned absences kept whole (table `plans`): what was asked, who asked and when, every
//! session it wrote, and its withdrawal.

use super::error::{Result, StoreError};
use super::keys::{date_of, day, next_id, session_of};
use super::rows::{PlanRow, WithdrawnRow, code_at, code_index, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::desk::{Plan, Withdrawal};
use crate::domain::marks::SessionKey;
use chrono::NaiveDateTime;
use redb::ReadableTable;
use std::collections::HashMap;

impl<T: Kind> Tables<T> {
    /// A plan, by its number.
    pub fn plan(&self, id: u32) -> Result<Option<Plan>> {
        let Some(value) = self.plans.get(id)? else {
            return Ok(None);
        };
        let row = decoded(value.value(), Ok, || format!("planned absence {id}"))?;
        let upns = self.upns()?;
        self.plan_of(id, row, &upns).map(Some)
    }

    /// Every plan, oldest first.
    pub fn plans(&self) -> Result<Vec<Plan>> {
        let upns = self.upns()?;
        let mut out = Vec::new();
        for entry in self.plans.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            let row = decoded(value.value(), Ok, || format!("planned absence {id}"))?;
            out.push(self.plan_of(id, row, &upns)?);
        }
        Ok(out)
    }

    fn plan_of(&self, id: u32, row: PlanRow, upns: &HashMap<u32, String>) -> Result<Plan> {
        let upn_of = |pupil: u32| {
            upns.get(&pupil).cloned().ok_or_else(|| {
                StoreError::Corrupt(format!("planned absence {id}: pupil {pupil} is missing"))
            })
        };
        let by = self.version(row.staff)?;
        let mut sessions = Vec::with_capacity(row.sessions.len());
        for (pupil, d, s) in &row.sessions {
            sessions.push(SessionKey {
                date: date_of(*d)?,
                session: session_of(*s)?,
                upn: upn_of(*pupil)?,
            });
        }
        let withdrawn = match row.withdrawn {
            Some(w) => {
                let who = self.version(w.staff)?;
                Some(Withdrawal {
                    at: w.at,
                    account: who.account,
                    name: who.name,
                    reason: w.reason,
                })
            }
            None => None,
        };
        Ok(Plan {
            id,
            words: row.words,
            upn: row.pupil.map(upn_of).transpose()?,
            group: row.group,
            code: code_at(row.code)?,
            at: row.at,
            account: by.account,
            name: by.name,
            sessions,
            withdrawn,
        })
    }
}

impl Writer<'_> {
    /// The number the next plan gets (the first is 1: people count from one).
    pub fn next_plan_id(&self) -> Result<u32> {
        Ok(next_id(self.plans.last()?.map(|(k, _)| k.value())).max(1))
    }

    /// Keeps a plan as made (its number from [`Writer::next_plan_id`]).
    pub fn put_plan(&mut self, plan: &Plan) -> Result<()> {
        let staff = self.current_version(&plan.account)?;
        let pupil = match &plan.upn {
            Some(upn) => self.pupil_id(upn)?,
            None => None,
        };
        let mut sessions = Vec::with_capacity(plan.sessions.len());
        for key in &plan.sessions {
            let id = self
                .pupil_id(&key.upn)?
                .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {}", key.upn)))?;
            sessions.push((id, day(key.date), key.session.index()));
        }
        let row = PlanRow {
            words: plan.words.clone(),
            pupil,
            group: plan.group.clone(),
            code: code_index(plan.code),
            at: plan.at,
            staff,
            sessions,
            withdrawn: None,
        };
        self.plans.insert(plan.id, Ok(row))?;
        Ok(())
    }

    /// Records a plan's withdrawal: when, by whom, why (the plan itself is kept).
    pub fn withdraw_plan(
        &mut self,
        id: u32,
        at: NaiveDateTime,
        account: &str,
        reason: &str,
    ) -> Result<()> {
        let staff = self.current_version(account)?;
        let Some(value) = self.plans.get(id)?.map(|v| v.value()) else {
            return Err(StoreError::Corrupt(format!(
                "planned absence {id} is missing"
            )));
        };
        let mut row = decoded(value, Ok, || format!("planned absence {id}"))?;
        row.withdrawn = Some(WithdrawnRow {
            at,
            staff,
            reason: reason.to_string(),
        });
        self.plans.insert(id, Ok(row))?;
        Ok(())
    }
}

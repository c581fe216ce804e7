//! Casework (tables `cases` and `case_steps`): a case as opened, and each step taken on it
//! after, appended and never rewritten, each with the staff version that took it. The rows
//! (`rows.rs`) are the disk's own shapes (codes by index), apart from the domain's.

use super::error::{Result, StoreError};
use super::keys::next_id;
use super::rows::{CaseBodyRow, CaseRow, CaseStepRow, StepRow, code_at, code_index, decoded};
use super::schema::{Kind, Tables, Writer};
use crate::domain::casework::{
    Case, CaseBody, CaseEntry, CaseEntryHead, CaseStep, MeetingKind, NoticeKind,
};
use chrono::NaiveDateTime;
use redb::ReadableTable;

fn notice_index(n: NoticeKind) -> u8 {
    match n {
        NoticeKind::Improve => 0,
        NoticeKind::Warning => 1,
    }
}

fn meeting_index(m: MeetingKind) -> u8 {
    match m {
        MeetingKind::Meeting => 0,
        MeetingKind::Contract => 1,
        MeetingKind::Plan => 2,
    }
}

fn body_row(body: &CaseBody) -> CaseBodyRow {
    match body.clone() {
        CaseBody::Notice {
            notice,
            issued,
            ends,
        } => CaseBodyRow::Notice {
            notice: notice_index(notice),
            issued,
            ends,
        },
        CaseBody::PartTime {
            from,
            review,
            la_told,
        } => CaseBodyRow::PartTime {
            from,
            review,
            la_told,
        },
        CaseBody::Evidence {
            ill_from,
            requested,
        } => CaseBodyRow::Evidence {
            ill_from,
            requested,
        },
        CaseBody::Meeting {
            meeting,
            held,
            people,
            actions,
            review,
        } => CaseBodyRow::Meeting {
            meeting: meeting_index(meeting),
            held,
            people,
            actions,
            review,
        },
        CaseBody::Leave {
            from,
            to,
            reason,
            asked,
        } => CaseBodyRow::Leave {
            from,
            to,
            reason,
            asked,
        },
        CaseBody::Penalty {
            parent,
            issued,
            second,
        } => CaseBodyRow::Penalty {
            parent,
            issued,
            second,
        },
    }
}

fn body_of(row: CaseBodyRow) -> Result<CaseBody> {
    Ok(match row {
        CaseBodyRow::Notice {
            notice,
            issued,
            ends,
        } => CaseBody::Notice {
            notice: match notice {
                0 => NoticeKind::Improve,
                1 => NoticeKind::Warning,
                n => return Err(StoreError::Corrupt(format!("notice kind {n}"))),
            },
            issued,
            ends,
        },
        CaseBodyRow::PartTime {
            from,
            review,
            la_told,
        } => CaseBody::PartTime {
            from,
            review,
            la_told,
        },
        CaseBodyRow::Evidence {
            ill_from,
            requested,
        } => CaseBody::Evidence {
            ill_from,
            requested,
        },
        CaseBodyRow::Meeting {
            meeting,
            held,
            people,
            actions,
            review,
        } => CaseBody::Meeting {
            meeting: match meeting {
                0 => MeetingKind::Meeting,
                1 => MeetingKind::Contract,
                2 => MeetingKind::Plan,
                n => return Err(StoreError::Corrupt(format!("meeting kind {n}"))),
            },
            held,
            people,
            actions,
            review,
        },
        CaseBodyRow::Leave {
            from,
            to,
            reason,
            asked,
        } => CaseBody::Leave {
            from,
            to,
            reason,
            asked,
        },
        CaseBodyRow::Penalty {
            parent,
            issued,
            second,
        } => CaseBody::Penalty {
            parent,
            issued,
            second,
        },
    })
}

fn step_row(step: &CaseStep) -> StepRow {
    match *step {
        CaseStep::Granted { code, plan } => StepRow::Granted {
            code: code_index(code),
            plan,
        },
        CaseStep::Refused => StepRow::Refused,
        CaseStep::Taken { sessions } => StepRow::Taken { sessions },
        CaseStep::Paid { on, pence } => StepRow::Paid { on, pence },
        CaseStep::Withdrawn { on } => StepRow::Withdrawn { on },
        CaseStep::Outcome { improved } => StepRow::Outcome { improved },
        CaseStep::Reviewed { next } => StepRow::Reviewed { next },
        CaseStep::LaTold { on } => StepRow::LaTold { on },
        CaseStep::Received { on } => StepRow::Received { on },
        CaseStep::Closed { on } => StepRow::Closed { on },
    }
}

fn step_of(row: StepRow) -> Result<CaseStep> {
    Ok(match row {
        StepRow::Granted { code, plan } => CaseStep::Granted {
            code: code_at(code)?,
            plan,
        },
        StepRow::Refused => CaseStep::Refused,
        StepRow::Taken { sessions } => CaseStep::Taken { sessions },
        StepRow::Paid { on, pence } => CaseStep::Paid { on, pence },
        StepRow::Withdrawn { on } => CaseStep::Withdrawn { on },
        StepRow::Outcome { improved } => CaseStep::Outcome { improved },
        StepRow::Reviewed { next } => CaseStep::Reviewed { next },
        StepRow::LaTold { on } => CaseStep::LaTold { on },
        StepRow::Received { on } => CaseStep::Received { on },
        StepRow::Closed { on } => CaseStep::Closed { on },
    })
}

impl<T: Kind> Tables<T> {
    /// Every case, oldest first, each with its steps; only `upn`'s when given.
    pub fn cases(&self, upn: Option<&str>) -> Result<Vec<Case>> {
        let upns = self.upns()?;
        let only = match upn {
            Some(upn) => match self.pupil_id(upn)? {
                Some(id) => Some(id),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        let mut out = Vec::new();
        for entry in self.cases.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            let row: CaseRow = decoded(value.value(), Ok, || format!("case {id}"))?;
            if only.is_some_and(|p| p != row.pupil) {
                continue;
            }
            out.push(self.case_of(id, row, &upns)?);
        }
        Ok(out)
    }

    /// A case, by its number.
    pub fn case(&self, id: u32) -> Result<Option<Case>> {
        let Some(value) = self.cases.get(id)? else {
            return Ok(None);
        };
        let row: CaseRow = decoded(value.value(), Ok, || format!("case {id}"))?;
        let upns = self.upns()?;
        self.case_of(id, row, &upns).map(Some)
    }

    fn case_of(
        &self,
        id: u32,
        row: CaseRow,
        upns: &std::collections::HashMap<u32, String>,
    ) -> Result<Case> {
        let upn = upns.get(&row.pupil).cloned().ok_or_else(|| {
            StoreError::Corrupt(format!("case {id}: pupil {} is missing", row.pupil))
        })?;
        let by = self.version(row.staff)?;
        let mut steps = Vec::new();
        for entry in self.case_steps.range((id, 0u16)..=(id, u16::MAX))? {
            let (key, value) = entry?;
            let seq = key.value().1;
            let step: CaseStepRow =
                decoded(value.value(), Ok, || format!("step {seq} of case {id}"))?;
            let who = self.version(step.staff)?;
            steps.push(CaseEntry {
                step: step_of(step.step)?,
                note: step.note,
                at: step.at,
                account: who.account,
                name: who.name,
                position: who.position,
            });
        }
        Ok(Case {
            id,
            upn,
            body: body_of(row.body)?,
            opened: CaseEntryHead {
                note: row.note,
                at: row.at,
                account: by.account,
                name: by.name,
                position: by.position,
            },
            steps,
        })
    }
}

impl Writer<'_> {
    /// Opens a case for a pupil, as `account` now is; its number.
    pub fn open_case(
        &mut self,
        upn: &str,
        body: &CaseBody,
        note: &str,
        at: NaiveDateTime,
        account: &str,
    ) -> Result<u32> {
        let pupil = self
            .pupil_id(upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
        let staff = self.current_version(account)?;
        let id = next_id(self.cases.last()?.map(|(k, _)| k.value())).max(1);
        let row = CaseRow {
            pupil,
            body: body_row(body),
            note: note.to_string(),
            at,
            staff,
        };
        self.cases.insert(id, Ok(row))?;
        Ok(id)
    }

    /// Appends a step to a case.
    pub fn put_case_step(&mut self, id: u32, entry: &CaseEntry) -> Result<()> {
        let staff = self.current_version(&entry.account)?;
        let seq = match self
            .case_steps
            .range((id, 0u16)..=(id, u16::MAX))?
            .next_back()
        {
            Some(last) => last?
                .0
                .value()
                .1
                .checked_add(1)
                .ok_or_else(|| StoreError::Corrupt(format!("case {id} has too many steps")))?,
            None => 0,
        };
        let row = CaseStepRow {
            step: step_row(&entry.step),
            note: entry.note.clone(),
            at: entry.at,
            staff,
        };
        self.case_steps.insert((id, seq), Ok(row))?;
        Ok(())
    }
}

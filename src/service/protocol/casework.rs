//! Casework requests and replies: leave of absence requests and the head's decision, penalty
//! notices and their payment, and the list of cases (SPEC §8.1, §8.3).

use crate::domain::casework::Case;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "case", rename_all = "snake_case")]
pub enum CaseRequest {
    /// Office: a parent's request for leave of absence, as received.
    LeaveAsk {
        upn: String,
        from: NaiveDate,
        to: NaiveDate,
        reason: String,
        /// When the parent asked (today when not given).
        #[serde(default)]
        asked: Option<NaiveDate>,
    },
    /// Admin (the head): a request granted as `code` (planned over its days, and any `N`
    /// already recorded on them amended), or refused.
    LeaveDecide {
        id: u32,
        /// The code granted; `None` refuses.
        grant: Option<String>,
        note: String,
    },
    /// Office: after a refusal, the days' absences without a reason recorded as `G`.
    LeaveTaken { id: u32 },
    /// Office: a penalty notice issued to a parent for a pupil.
    PenaltyIssue {
        upn: String,
        parent: String,
        date: NaiveDate,
        note: String,
    },
    /// Office: a notice paid on a date (the amount the rule gives for that date).
    PenaltyPay { id: u32, date: NaiveDate },
    /// Office: a notice withdrawn, with why.
    PenaltyWithdraw {
        id: u32,
        date: NaiveDate,
        reason: String,
    },
    /// Every case, or a pupil's; `open` only those waiting for someone (a request not
    /// decided, a notice neither paid nor withdrawn).
    List {
        #[serde(default)]
        upn: Option<String>,
        #[serde(default)]
        open: bool,
    },
}

impl CaseRequest {
    pub fn changes_something(&self) -> bool {
        !matches!(self, CaseRequest::List { .. })
    }

    pub fn dates(&self) -> Vec<NaiveDate> {
        match self {
            CaseRequest::LeaveAsk {
                from, to, asked, ..
            } => [Some(*from), Some(*to), *asked]
                .into_iter()
                .flatten()
                .collect(),
            CaseRequest::PenaltyIssue { date, .. }
            | CaseRequest::PenaltyPay { date, .. }
            | CaseRequest::PenaltyWithdraw { date, .. } => vec![*date],
            CaseRequest::LeaveDecide { .. }
            | CaseRequest::LeaveTaken { .. }
            | CaseRequest::List { .. } => Vec::new(),
        }
    }
}

/// A case as the office reads it: the pupil's name and where it stands, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    pub name: String,
    /// "waiting for a decision", "granted as C", "£80 if paid by 2026-10-22"...
    pub state: String,
    /// Waiting for someone: a request not decided, a notice neither paid nor withdrawn.
    pub open: bool,
}

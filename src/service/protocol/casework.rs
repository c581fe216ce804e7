//! Casework requests and replies: leave of absence requests and the head's decision, penalty
//! notices and their payment, and the list of cases (SPEC §8.1, §8.3).

use crate::domain::casework::{Case, MeetingKind, NoticeKind};
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
    /// Office: a notice to improve (`weeks`: 3 to 6 school weeks) or a local authority's
    /// warning (15 school days) given to the family.
    NoticeIssue {
        upn: String,
        notice: NoticeKind,
        date: NaiveDate,
        #[serde(default)]
        weeks: Option<u32>,
        note: String,
    },
    /// Office: a notice's period ended, improved or not.
    NoticeEnd {
        id: u32,
        improved: bool,
        note: String,
    },
    /// Office: a part-time timetable agreed with the parent (`note` says with whom), with its
    /// review date and when the local authority was told, if it has been.
    PartTime {
        upn: String,
        from: NaiveDate,
        review: NaiveDate,
        #[serde(default)]
        la_told: Option<NaiveDate>,
        note: String,
    },
    /// Office: a part-time timetable or a meeting's plan reviewed: the next review, or none
    /// when it ends.
    Review {
        id: u32,
        #[serde(default)]
        next: Option<NaiveDate>,
        note: String,
    },
    /// Office: the local authority told of a part-time timetable.
    LaTold { id: u32, date: NaiveDate },
    /// Office: medical evidence asked of the family for illness since `ill_from`.
    EvidenceAsk {
        upn: String,
        ill_from: NaiveDate,
        date: NaiveDate,
        note: String,
    },
    /// Office: the evidence received.
    EvidenceReceived {
        id: u32,
        date: NaiveDate,
        note: String,
    },
    /// Office: an attendance meeting held, a contract signed or a plan agreed, with who was
    /// there, what was agreed and when it is reviewed.
    Meeting {
        upn: String,
        meeting: MeetingKind,
        date: NaiveDate,
        people: String,
        actions: String,
        review: NaiveDate,
    },
    /// Office: a case closed with why, whatever its kind (a notice referred to the local
    /// authority, evidence never provided, a request entered twice).
    Close { id: u32, note: String },
    /// Every case, or a pupil's; `open` only those still running, `due` only those where
    /// something is due of the office now.
    List {
        #[serde(default)]
        upn: Option<String>,
        #[serde(default)]
        open: bool,
        #[serde(default)]
        due: bool,
    },
    /// Pupils suspended (`E`) this term: days so far, and each run of six school days or
    /// more, whose sixth day is the duty to provide full-time education (SPEC §8.5).
    Suspensions {
        #[serde(default)]
        on: Option<NaiveDate>,
    },
}

/// A pupil's suspensions this term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspended {
    pub upn: String,
    pub name: String,
    /// School days suspended this term (a day with every session `E`), ahead included.
    pub days_this_term: u32,
    /// Runs of consecutive suspended school days: first and last day, and the sixth day
    /// where the run reaches it.
    pub runs: Vec<SuspensionRun>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionRun {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    /// From this day full-time education must be provided elsewhere.
    pub sixth_day: Option<NaiveDate>,
}

impl CaseRequest {
    pub fn changes_something(&self) -> bool {
        !matches!(
            self,
            CaseRequest::List { .. } | CaseRequest::Suspensions { .. }
        )
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
            | CaseRequest::PenaltyWithdraw { date, .. }
            | CaseRequest::NoticeIssue { date, .. }
            | CaseRequest::LaTold { date, .. }
            | CaseRequest::EvidenceReceived { date, .. } => vec![*date],
            CaseRequest::PartTime {
                from,
                review,
                la_told,
                ..
            } => [Some(*from), Some(*review), *la_told]
                .into_iter()
                .flatten()
                .collect(),
            CaseRequest::Review { next, .. } => next.iter().copied().collect(),
            CaseRequest::EvidenceAsk { ill_from, date, .. } => vec![*ill_from, *date],
            CaseRequest::Meeting { date, review, .. } => vec![*date, *review],
            CaseRequest::Suspensions { on } => on.iter().copied().collect(),
            CaseRequest::LeaveDecide { .. }
            | CaseRequest::LeaveTaken { .. }
            | CaseRequest::Close { .. }
            | CaseRequest::NoticeEnd { .. }
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
    /// Still running: a request not decided, a notice neither paid nor withdrawn, a plan
    /// not yet reviewed for the last time.
    pub open: bool,
    /// What is due of the office now, if anything ("review (due 2026-12-01)").
    #[serde(default)]
    pub due: Option<String>,
}

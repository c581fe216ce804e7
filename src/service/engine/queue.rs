//! The marks waiting for the next group commit, and how each waiting caller is woken.

use super::ctx::Ctx;
use crate::domain::lessons::LessonMark;
use crate::service::error::Result;
use crate::service::protocol::{MarkOutcome, MarkRequest};
use std::sync::mpsc;

/// A mark waiting for the next group commit: a statutory register's, or a lesson's.
pub(super) struct MarkJob {
    pub(super) ctx: Ctx,
    pub(super) request: Job,
    pub(super) wake: mpsc::Sender<Wake>,
}

pub(super) enum Job {
    Mark(MarkRequest),
    Lesson(LessonWrite),
}

/// Lesson marks checked against the timetable, to save in one lesson (SPEC §8.8).
pub(super) struct LessonWrite {
    pub(super) class: String,
    pub(super) date: chrono::NaiveDate,
    pub(super) period: String,
    /// (UPN, the mark).
    pub(super) marks: Vec<(String, LessonMark)>,
    /// In the period the afternoon register is taken in: each pupil's statutory mark, saved
    /// in the same transaction as their lesson mark.
    pub(super) afternoon: Vec<MarkRequest>,
}

/// What a lesson's write saved.
pub(super) struct LessonSaved {
    /// The pupils whose lesson marks were saved.
    pub(super) pupils: Vec<String>,
    /// The afternoon register's marks saved with them, with each pupil's group.
    pub(super) afternoon: Vec<(String, MarkOutcome)>,
    /// Why a pupil's afternoon mark was left as it was (the office's mark stands, say).
    pub(super) afternoon_kept: Vec<String>,
}

/// A job's reply.
pub(super) enum Done {
    Mark(Result<MarkOutcome>),
    Lesson(Result<LessonSaved>),
}

impl Done {
    pub(super) fn is_storage_failure(&self) -> Option<crate::service::error::ServiceError> {
        use crate::service::error::ServiceError;
        match self {
            Done::Mark(Err(e @ ServiceError::Store(_)))
            | Done::Lesson(Err(e @ ServiceError::Store(_))) => Some(e.clone()),
            _ => None,
        }
    }

    pub(super) fn changed(&self) -> bool {
        match self {
            Done::Mark(Ok(o)) => o.changed,
            Done::Lesson(Ok(saved)) => {
                !saved.pupils.is_empty() || saved.afternoon.iter().any(|(_, o)| o.changed)
            }
            _ => false,
        }
    }

    /// The same failure for any job (a batch that could not be saved).
    pub(super) fn failed(job: &Job, e: crate::service::error::ServiceError) -> Done {
        match job {
            Job::Mark(_) => Done::Mark(Err(e)),
            Job::Lesson(_) => Done::Lesson(Err(e)),
        }
    }
}

pub(super) enum Wake {
    /// The batch holding this mark was committed (or refused): here is its reply.
    Done(Done),
    /// The previous batch is done: commit the next one, which holds this mark.
    Lead,
}

#[derive(Default)]
pub(super) struct MarkQueue {
    pub(super) jobs: Vec<MarkJob>,
    /// A thread is committing a batch; new marks wait for it.
    pub(super) leading: bool,
}

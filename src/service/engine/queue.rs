//! The marks waiting for the next group commit, and how each waiting caller is woken.

use super::ctx::Ctx;
use crate::service::error::Result;
use crate::service::protocol::{MarkOutcome, MarkRequest};
use std::sync::mpsc;

/// A mark waiting for the next group commit.
pub(super) struct MarkJob {
    pub(super) ctx: Ctx,
    pub(super) request: MarkRequest,
    pub(super) wake: mpsc::Sender<Wake>,
}

pub(super) enum Wake {
    /// The batch holding this mark was committed (or refused): here is its reply.
    Done(Result<MarkOutcome>),
    /// The previous batch is done: commit the next one, which holds this mark.
    Lead,
}

#[derive(Default)]
pub(super) struct MarkQueue {
    pub(super) jobs: Vec<MarkJob>,
    /// A thread is committing a batch; new marks wait for it.
    pub(super) leading: bool,
}

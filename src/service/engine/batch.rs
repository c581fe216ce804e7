//! Group commit: marks arriving together (forty teachers at 8:45) are saved in one write
//! transaction and one fsync, and each reply is sent only after that commit.

use super::core::{Engine, Result};
use super::ctx::Ctx;
use super::queue::{Done, Job, LessonSaved, LessonWrite, MarkJob, MarkQueue, Wake};
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use std::sync::mpsc;

impl Engine {
    /// One mark, saved in the next group commit.
    pub(super) fn mark(&self, ctx: Ctx, req: MarkRequest) -> Result<Response> {
        match self.queued(ctx, Job::Mark(req))? {
            Done::Mark(result) => result.map(Response::Marked),
            Done::Lesson(_) => Err(ServiceError::Store("a mark's reply went astray".into())),
        }
    }

    /// A lesson's marks, saved in the next group commit beside the registers' (sixty teachers
    /// at the start of a period share a commit as forty tutors at 8:45 do): the pupils saved.
    pub(super) fn save_lesson_marks(&self, ctx: Ctx, write: LessonWrite) -> Result<LessonSaved> {
        match self.queued(ctx, Job::Lesson(write))? {
            Done::Lesson(result) => result,
            Done::Mark(_) => Err(ServiceError::Store("a lesson's reply went astray".into())),
        }
    }

    /// Waits in the queue for the next group commit, leading it when the turn comes.
    fn queued(&self, ctx: Ctx, request: Job) -> Result<Done> {
        let (wake_tx, wake_rx) = mpsc::channel();
        let lead_now = {
            let mut queue = self.lock_queue();
            queue.jobs.push(MarkJob {
                ctx,
                request,
                wake: wake_tx,
            });
            !std::mem::replace(&mut queue.leading, true)
        };
        if lead_now {
            self.commit_batches();
        }
        loop {
            match wake_rx.recv() {
                Ok(Wake::Done(done)) => return Ok(done),
                Ok(Wake::Lead) => self.commit_batches(),
                Err(_) => {
                    return Err(ServiceError::Store(
                        "the mark was lost before it was saved".into(),
                    ));
                }
            }
        }
    }

    /// Marks made by several people, saved in one transaction, each under the rules for the
    /// account that makes it: what a group commit does with marks that arrive together. For
    /// building a demo school through the same path as real marks.
    pub fn mark_as(&self, marks: Vec<(String, MarkRequest)>) -> Result<Vec<Result<MarkOutcome>>> {
        let mut contexts: std::collections::HashMap<String, Ctx> = Default::default();
        let mut jobs = Vec::with_capacity(marks.len());
        for (account, request) in marks {
            let ctx = match contexts.get(&account) {
                Some(ctx) => ctx.clone(),
                None => {
                    let ctx = self.context(&account)?;
                    contexts.insert(account, ctx.clone());
                    ctx
                }
            };
            let (wake, _) = mpsc::channel();
            jobs.push(MarkJob {
                ctx,
                request: Job::Mark(request),
                wake,
            });
        }
        Ok(self
            .save_batch(&jobs)?
            .into_iter()
            .map(|done| match done {
                Done::Mark(result) => result,
                Done::Lesson(_) => Err(ServiceError::Store("not a mark".into())),
            })
            .collect())
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, MarkQueue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commits the waiting marks as one batch, then hands the lead to the owner of the next
    /// waiting mark (so that no client waits behind others' batches for its own reply).
    fn commit_batches(&self) {
        loop {
            let jobs = std::mem::take(&mut self.lock_queue().jobs);
            if !jobs.is_empty() {
                self.commit_batch(jobs);
            }
            let mut queue = self.lock_queue();
            match queue.jobs.first() {
                None => {
                    queue.leading = false;
                    return;
                }
                Some(next) => {
                    if next.wake.send(Wake::Lead).is_ok() {
                        return;
                    }
                    // Its owner is gone (cannot happen while it waits): carry on ourselves.
                }
            }
        }
    }

    fn commit_batch(&self, jobs: Vec<MarkJob>) {
        // The leader must reply to every job whatever happens, or its writers wait forever.
        let saved = crate::service::guard::catching(|| self.save_batch(&jobs))
            .unwrap_or_else(|why| Err(crate::service::guard::damaged(&why)));
        let results: Vec<Done> = match saved {
            Ok(results) => results,
            Err(e) => jobs
                .iter()
                .map(|j| Done::failed(&j.request, e.clone()))
                .collect(),
        };
        for (job, result) in jobs.into_iter().zip(results) {
            // A lesson's push is its caller's, after it reads who went missing.
            if let (Job::Mark(request), Done::Mark(Ok(outcome))) = (&job.request, &result)
                && outcome.changed
            {
                self.notify(Event::saved(&request.register.group, outcome));
            }
            // The afternoon register's marks taken in a lesson reach the tutors' and the
            // office's screens as any mark does.
            if let Done::Lesson(Ok(saved)) = &result {
                for (group, outcome) in &saved.afternoon {
                    if outcome.changed {
                        self.notify(Event::saved(group, outcome));
                    }
                }
            }
            let _ = job.wake.send(Wake::Done(result));
        }
    }

    /// Applies a batch of marks in one transaction: each mark's own result, or (a storage
    /// failure) nothing saved at all.
    fn save_batch(&self, jobs: &[MarkJob]) -> Result<Vec<Done>> {
        self.school().and_then(|school| {
            self.store.write(|w| {
                let results: Vec<Done> = jobs
                    .iter()
                    .map(|job| match &job.request {
                        Job::Mark(request) => {
                            let source = super::marks::batch_source(request);
                            Done::Mark(self.apply_mark(w, &job.ctx, &school, request, source))
                        }
                        Job::Lesson(write) => {
                            Done::Lesson(self.apply_lesson_write(w, &job.ctx, &school, write))
                        }
                    })
                    .collect();
                // A storage failure part way through a mark may leave half of it written:
                // save nothing.
                if let Some(e) = results.iter().find_map(Done::is_storage_failure) {
                    return Err(e);
                }
                if !results.iter().any(Done::changed) {
                    w.discard();
                }
                Ok(results)
            })
        })
    }
}

//! Sending the demo's requests through the engine as each account would, and why building
//! failed.

use crate::clock::ManualClock;
use crate::service::Engine;
use crate::service::protocol::{MarkRequest, Request};
use crate::store::StoreError;
use chrono::NaiveDateTime;

/// Why the demo could not be built, in words.
pub(super) struct DemoError(pub(super) String);

impl From<StoreError> for DemoError {
    fn from(e: StoreError) -> Self {
        DemoError(e.to_string())
    }
}

impl From<&str> for DemoError {
    fn from(e: &str) -> Self {
        DemoError(e.to_string())
    }
}

/// Sends requests as an account, failing on any refusal (the demo's marks follow the rules).
pub(super) struct Demo<'a> {
    pub(super) engine: &'a Engine,
    pub(super) clock: &'a ManualClock,
    pub(super) marks: usize,
}

impl Demo<'_> {
    pub(super) fn at(&self, when: NaiveDateTime) {
        self.clock.set(when);
    }

    pub(super) fn call(&self, account: &str, request: Request) -> Result<(), DemoError> {
        self.engine
            .handle(account, request)
            .map(|_| ())
            .map_err(|e| DemoError(e.to_string()))
    }

    /// Marks saved together, each by its own account.
    pub(super) fn marks(&mut self, marks: Vec<(String, MarkRequest)>) -> Result<(), DemoError> {
        if marks.is_empty() {
            return Ok(());
        }
        let described: Vec<String> = marks
            .iter()
            .map(|(a, m)| {
                format!(
                    "{a}: {} {} {} {}",
                    m.register.date,
                    m.register.session.label(),
                    m.upn,
                    m.code
                )
            })
            .collect();
        let outcomes = self
            .engine
            .mark_as(marks)
            .map_err(|e| DemoError(e.to_string()))?;
        for (outcome, what) in outcomes.into_iter().zip(described) {
            match outcome {
                Ok(o) => self.marks += usize::from(o.changed),
                Err(e) => return Err(DemoError(format!("{what}: {e}"))),
            }
        }
        Ok(())
    }
}

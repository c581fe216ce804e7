//! The problems found in a transfer file as it is read, each named by its path.

/// Problems found, at most [`SHOWN`] of them kept with a count of the rest: a hostile file
/// with millions of bad elements costs a line each, not a string each.
#[derive(Default)]
pub(super) struct Errors {
    shown: Vec<String>,
    more: usize,
}

/// How many problems a refusal lists.
pub const SHOWN: usize = 100;

impl Errors {
    pub(super) fn push(&mut self, problem: String) {
        if self.shown.len() < SHOWN {
            self.shown.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    pub(super) fn into_lines(mut self) -> Vec<String> {
        if self.more > 0 {
            self.shown
                .push(format!("... and {} more problems like these", self.more));
        }
        self.shown
    }
}

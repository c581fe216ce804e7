//! Progress for long work (an import of years of marks, a whole school's transfer file, a
//! backup): a line on the terminal that says what is under way, how long it has taken and,
//! where known, how many rows so far; cleared when the work ends. Drawn by `indicatif`, which
//! draws nothing when standard error is not a terminal, so scripts and pipes see only the
//! result. Quick work never flickers a line: it shows after a second.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::Duration;

/// How long work runs before its line shows.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    /// Dropped (or sent to) when the work ends: the delay stops waiting.
    done: Option<Sender<()>>,
    waiting: Option<std::thread::JoinHandle<()>>,
}

/// "importing marks from old.csv… 12s", and ", 40,000 rows" once rows are counted.
fn style(rows: bool) -> ProgressStyle {
    let template = if rows {
        "{msg}\u{2026} {elapsed}, {human_pos} rows"
    } else {
        "{msg}\u{2026} {elapsed}"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Progress {
    /// Starts showing `what` after a second, if standard error is a terminal.
    pub fn start(what: impl Into<String>) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_style(style(false))
            .with_message(what.into());
        let (done, wait) = channel::<()>();
        let shown = bar.clone();
        let waiting = std::thread::spawn(move || {
            if matches!(wait.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(200));
            }
        });
        Progress {
            bar,
            done: Some(done),
            waiting: Some(waiting),
        }
    }

    /// Counts rows handled (work that counts them).
    pub fn add_rows(&self, n: u64) {
        if self.bar.position() == 0 && n > 0 {
            self.bar.set_style(style(true));
        }
        self.bar.inc(n);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.waiting.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

//! Progress for long work (an import of years of marks, a whole school's transfer file, a
//! backup): a line on the terminal that says what is under way, how long it has taken and,
//! where known, how many rows so far; cleared when the work ends. Nothing at all when
//! standard error is not a terminal, so scripts and pipes see only the result.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct Progress {
    done: Arc<AtomicBool>,
    /// Rows handled so far, for work that counts them.
    pub rows: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The line shown: "importing marks from old.csv… 12 s, 40,000 rows".
pub fn line(what: &str, elapsed: Duration, rows: u64) -> String {
    let mut text = format!("{what}\u{2026} {} s", elapsed.as_secs());
    if rows > 0 {
        text.push_str(&format!(", {} rows", thousands(rows)));
    }
    text
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Progress {
    /// Starts showing `what` after a second, if standard error is a terminal.
    pub fn start(what: impl Into<String>) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        let rows = Arc::new(AtomicU64::new(0));
        let thread = std::io::stderr().is_terminal().then(|| {
            let (what, done, rows) = (what.into(), done.clone(), rows.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                let mut shown = false;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(200));
                    // Quick work never flickers a line.
                    if started.elapsed() < Duration::from_secs(1) {
                        continue;
                    }
                    let text = line(&what, started.elapsed(), rows.load(Ordering::Relaxed));
                    let _ = write!(std::io::stderr(), "\r\x1b[2K{text}");
                    shown = true;
                }
                if shown {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K");
                }
            })
        });
        Progress { done, rows, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_how_long_and_how_many() {
        assert_eq!(
            line("backing up", Duration::from_millis(12_400), 0),
            "backing up\u{2026} 12 s"
        );
        assert_eq!(
            line("exporting marks", Duration::from_secs(3), 1_234_567),
            "exporting marks\u{2026} 3 s, 1,234,567 rows"
        );
    }
}

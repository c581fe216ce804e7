//! Containing a panic to the work that met it: redb meeting a damaged page it did not expect
//! panics deep inside; that becomes an error for the one request, open or check, never the end
//! of the program or of a server's connection. Shared by `store` (opening, checking) and
//! `service` (each request).

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs code whose panics are caught and reported as errors.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into `Err` with its message. The panic is not printed: the
/// error that carries it is.
pub fn catching<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    let before = CATCHING.with(|c| c.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(before));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into())
    })
}

/// Keeps the default panic report for real bugs, and silence for panics [`catching`] reports.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

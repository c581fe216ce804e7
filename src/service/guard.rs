//! A panic inside a request (redb meeting a damaged page it did not expect) becomes an error
//! for that request, not the end of the program or of a server's connection.

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

/// The error for a request that could not read the database.
pub fn damaged(why: &str) -> crate::service::error::ServiceError {
    crate::service::error::ServiceError::Store(format!(
        "the database could not be read ({why}): it may be damaged; nothing was saved. \
         Run `rollcall check FILE`, and restore the latest backup if it is not whole"
    ))
}

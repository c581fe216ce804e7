//! The terminal: raw mode, the event loop, and nothing else. Keys, pushes and the clock become
//! actions for the [`Driver`] (the same loop the tests drive), and the screen is redrawn only
//! when something changed. A timer wakes the loop at the next minute, when the clock on screen
//! (and any register boundary) can change; a fixed clock never wakes it.

mod colours;
mod driver;
mod input;
pub mod trust;

pub use driver::Driver;

use input::{Input, init, wait_for_input};

use crate::app::Action;
use crate::clock::Clock;
use crate::keymap::{Key, Keymap};
use crate::service::{Client, Notice};
use crate::ui::Theme;
use chrono::Timelike;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEventKind};
use std::sync::mpsc;
use std::time::Duration;

fn until_next_minute(clock: &dyn Clock, fixed: bool) -> Option<Duration> {
    if fixed {
        return None;
    }
    let second = u64::from(clock.now().second());
    Some(Duration::from_secs(60 - second.min(59)))
}

/// Runs the app until the person quits. The terminal is restored on every way out, panics
/// included (ratatui's init installs a hook that restores it before the panic message).
/// `local_clock` is the in-process engine's clock (and whether it is fixed); with a server,
/// `None`, and the app follows the server's clock.
pub fn run(
    mut client: Client,
    local_clock: Option<(std::sync::Arc<dyn Clock>, bool)>,
    keymap: Keymap,
    mut notices: Vec<String>,
) -> Result<(), String> {
    let hello = client.hello().map_err(|e| e.to_string())?;
    // A server of another release is said on the first screen, where it is read.
    if hello.server
        && let Some(notice) = crate::service::release_differs(&hello.version, "the school's server")
    {
        notices.push(notice);
    }
    let (clock, fixed_clock) = match local_clock {
        Some(local) => local,
        None => (
            std::sync::Arc::from(crate::clock::follow(hello.clock)),
            matches!(hello.clock, crate::clock::ClockInfo::Fixed(_)),
        ),
    };
    let theme = Theme::from_env();
    let mut terminal = init(theme).map_err(|e| format!("cannot use this terminal: {e}"))?;
    let result = (|| -> Result<(), String> {
        let (tx, rx) = mpsc::channel::<Input>();
        input::watch(&tx)?;
        if let Some(events) = client.events() {
            let pushes = tx.clone();
            std::thread::spawn(move || {
                for event in events {
                    if pushes.send(Input::Server(event)).is_err() {
                        return;
                    }
                }
            });
        }
        let mut driver = Driver::new(client, hello, clock.now(), keymap, notices);
        let size = terminal.size().map_err(|e| e.to_string())?;
        driver.dispatch(Action::Resize(size.width, size.height));
        let mut dirty = true;
        loop {
            // Queued input first; deferred reloads and the repaint wait until it is handled,
            // so a burst of keys or pushes costs one reload and one repaint (over SSH each
            // repaint costs).
            let input = match rx.try_recv() {
                Ok(input) => Some(input),
                Err(mpsc::TryRecvError::Disconnected) => return Ok(()),
                Err(mpsc::TryRecvError::Empty) => {
                    dirty |= driver.idle();
                    if dirty {
                        driver
                            .render(&mut terminal, theme)
                            .map_err(|e| e.to_string())?;
                        dirty = false;
                    }
                    // While the server is unreachable, try again every second.
                    let wait = if driver.app.connection.is_err() {
                        Some(Duration::from_secs(1))
                    } else {
                        until_next_minute(clock.as_ref(), fixed_clock)
                    };
                    match wait_for_input(&rx, wait) {
                        Some(input) => input,
                        None => return Ok(()),
                    }
                }
            };
            let action = match input {
                None if driver.app.connection.is_err() => match driver.client.reconnect() {
                    Ok(()) => Some(Action::Reconnected),
                    Err(_) => None,
                },
                None => Some(Action::Tick(clock.now())),
                Some(Input::Terminal(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                    if let Some(k) = Key::from_event(&key) {
                        driver.key(&k, key.code == KeyCode::Backspace);
                        dirty = true;
                    }
                    None
                }
                Some(Input::Terminal(TermEvent::Resize(w, h))) => Some(Action::Resize(w, h)),
                Some(Input::Terminal(_)) => None,
                Some(Input::Server(Notice::Pushed(event))) => Some(Action::Changed(event)),
                Some(Input::Server(Notice::Disconnected(why))) => Some(Action::Disconnected(why)),
                Some(Input::Gone(why)) => return Err(format!("the terminal went away: {why}")),
                Some(Input::Signal(name)) => {
                    return Err(format!(
                        "stopped by {name}; every mark shown as saved is saved"
                    ));
                }
            };
            if let Some(action) = action {
                driver.dispatch(action);
                dirty = true;
            }
            if driver.app.quit {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result
}

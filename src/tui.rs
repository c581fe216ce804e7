//! The terminal: raw mode, the event loop, and nothing else. Keys become actions through the
//! keymap, actions go through `app::update`, effects go to the client, and the screen is
//! redrawn only when something changed. A timer wakes the loop at the next minute, when the
//! clock on screen (and any register boundary) can change; a fixed clock never wakes it.

use crate::app::{Action, App, run_effect, settle};
use crate::clock::Clock;
use crate::keymap::{Key, Keymap};
use crate::service::Client;
use crate::service::protocol::Event;
use crate::ui::{Theme, render};
use chrono::Timelike;
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind};
use std::sync::mpsc;
use std::time::Duration;

enum Input {
    Terminal(TermEvent),
    Server(Event),
    /// Reading the terminal failed: the terminal has gone.
    Gone(String),
}

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
    notices: Vec<String>,
) -> Result<(), String> {
    let hello = client.hello().map_err(|e| e.to_string())?;
    let (clock, fixed_clock) = match local_clock {
        Some(local) => local,
        None => (
            std::sync::Arc::from(crate::clock::follow(hello.clock)),
            matches!(hello.clock, crate::clock::ClockInfo::Fixed(_)),
        ),
    };
    let mut app = App::new(hello, clock.now(), keymap, notices);
    let theme = Theme::from_env();
    let mut terminal = ratatui::try_init().map_err(|e| format!("cannot use this terminal: {e}"))?;
    let result = (|| -> Result<(), String> {
        let size = terminal.size().map_err(|e| e.to_string())?;
        app.size = (size.width, size.height);
        let (tx, rx) = mpsc::channel::<Input>();
        let keys = tx.clone();
        std::thread::spawn(move || {
            loop {
                match event::read() {
                    Ok(e) => {
                        if keys.send(Input::Terminal(e)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = keys.send(Input::Gone(e.to_string()));
                        return;
                    }
                }
            }
        });
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
        for effect in app.start() {
            let action = run_effect(&mut client, effect);
            settle(&mut app, &mut client, action);
        }
        let mut dirty = true;
        loop {
            // Queued input first; deferred reloads and the repaint wait until it is handled,
            // so a burst of keys or pushes costs one reload and one repaint (over SSH each
            // repaint costs).
            let input = match rx.try_recv() {
                Ok(input) => Some(input),
                Err(mpsc::TryRecvError::Disconnected) => return Ok(()),
                Err(mpsc::TryRecvError::Empty) => {
                    if app.reload_pending {
                        settle(&mut app, &mut client, Action::Idle);
                        dirty = true;
                    }
                    if dirty {
                        render(&mut terminal, &app, theme).map_err(|e| e.to_string())?;
                        dirty = false;
                    }
                    // While the server is unreachable, try again every second.
                    let wait = if app.connection.is_err() {
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
                None if app.connection.is_err() => match client.reconnect() {
                    Ok(()) => Some(Action::Reconnected),
                    Err(_) => None,
                },
                None => Some(Action::Tick(clock.now())),
                Some(Input::Terminal(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                    Key::from_event(&key)
                        .and_then(|k| app.key_action(&k, key.code == KeyCode::Backspace))
                }
                Some(Input::Terminal(TermEvent::Resize(w, h))) => Some(Action::Resize(w, h)),
                Some(Input::Terminal(_)) => None,
                Some(Input::Server(event)) => Some(Action::Changed(event)),
                Some(Input::Gone(why)) => return Err(format!("the terminal went away: {why}")),
            };
            if let Some(action) = action {
                settle(&mut app, &mut client, action);
                dirty = true;
            }
            if app.quit {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result
}

/// The next input within `wait` (forever if `None`): `Some(None)` when the time ran out,
/// `None` when every sender has gone.
fn wait_for_input(rx: &mpsc::Receiver<Input>, wait: Option<Duration>) -> Option<Option<Input>> {
    match wait {
        Some(wait) => match rx.recv_timeout(wait) {
            Ok(input) => Some(Some(input)),
            Err(mpsc::RecvTimeoutError::Timeout) => Some(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
        },
        None => rx.recv().ok().map(Some),
    }
}

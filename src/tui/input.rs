//! What the terminal's loops wait on (the app's and the trust's screen): keys and resizes,
//! the server's pushes, a stop by signal, a terminal gone; raw mode set up with a panic hook
//! that restores it.

use super::colours;
use crate::service::Notice;
use crate::ui::Theme;
use crossterm::event::{self, Event as TermEvent};
use std::sync::mpsc;
use std::time::Duration;

pub(super) enum Input {
    Terminal(TermEvent),
    Server(Notice),
    /// Asked to stop (SIGTERM), or the terminal hung up (SIGHUP: a dropped SSH connection).
    Signal(&'static str),
    /// Reading the terminal failed: the terminal has gone.
    Gone(String),
}

pub(super) type Screen =
    ratatui::Terminal<ratatui::backend::CrosstermBackend<colours::BasicColours<std::io::Stdout>>>;

/// Raw mode and the alternate screen, as `ratatui::try_init` sets them up, with a writer that
/// speaks the terminal's colours. A panic restores the terminal before its message.
pub(super) fn init(theme: Theme) -> std::io::Result<Screen> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    let writer = colours::BasicColours::new(std::io::stdout(), theme.colours);
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(writer))
}

/// Reads the terminal, watches it for a hang-up, and listens for a stop by signal, each in a
/// thread of its own sending to `tx`.
pub(super) fn watch(tx: &mpsc::Sender<Input>) -> Result<(), String> {
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
    // A terminal closed without a hangup reaching us (its window killed, a pty gone):
    // crossterm's reader then sees end of file forever, at full speed. Watched here once a
    // second, and said as the reader would say it.
    let gone = tx.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            if terminal_hung_up() {
                let _ = gone.send(Input::Gone("the terminal closed".into()));
                return;
            }
        }
    });
    // Stopping by signal leaves through the same door as quitting: the terminal is restored.
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ])
    .map_err(|e| format!("cannot watch for signals: {e}"))?;
    let stop = tx.clone();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = match signal {
                signal_hook::consts::SIGTERM => "SIGTERM",
                signal_hook::consts::SIGHUP => "SIGHUP (the terminal hung up)",
                signal_hook::consts::SIGINT => "SIGINT",
                _ => "SIGQUIT",
            };
            let _ = stop.send(Input::Signal(name));
        }
    });
    Ok(())
}

/// The next input within `wait` (forever if `None`): `Some(None)` when the time ran out,
/// `None` when every sender has gone.
/// Whether standard input, the terminal, has hung up (its other end is gone).
fn terminal_hung_up() -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::empty())];
    match poll(&mut fds, PollTimeout::ZERO) {
        Ok(_) => fds[0].revents().is_some_and(|r| {
            r.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
        }),
        Err(_) => false,
    }
}

pub(super) fn wait_for_input(
    rx: &mpsc::Receiver<Input>,
    wait: Option<Duration>,
) -> Option<Option<Input>> {
    match wait {
        Some(wait) => match rx.recv_timeout(wait) {
            Ok(input) => Some(Some(input)),
            Err(mpsc::RecvTimeoutError::Timeout) => Some(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
        },
        None => rx.recv().ok().map(Some),
    }
}

//! The trust's screen in the terminal (`rollcall --postgres URL`, SPEC §8.9): read from the
//! trust's database on opening and on ctrl+r; keys from the live keymap's global view (up,
//! down, top, bottom, refresh; quit or back leaves).

use super::input::{self, Input};
use crate::app::trust::{TrustAction, TrustScreen, update};
use crate::keymap::{Key, KeyAction, Keymap, Section};
use crate::trust::connect::Target;
use crate::trust::report::{TrustBy, trust_report, weekly};
use crate::ui::Theme;
use chrono::NaiveDate;
use crossterm::event::{Event as TermEvent, KeyEventKind};
use std::sync::mpsc;

/// How long a read may wait (on another session's lock, say) before the screen says so and
/// answers its keys again.
const READ_LIMIT: &str = "SET statement_timeout = '5s'";

/// A connection for the screen, its reads limited in time.
fn connect(target: &Target) -> Result<postgres::Client, String> {
    let mut pg = target.connect()?;
    pg.batch_execute(READ_LIMIT)
        .map_err(|e| crate::trust::errors::pg_error(&e))?;
    Ok(pg)
}

/// What the database says now, connecting again first if the connection was lost (a restart,
/// a failover).
fn read_again(target: &Target, pg: &mut postgres::Client, s: &TrustScreen) -> TrustAction {
    if !pg.is_closed() {
        let action = read(pg, s);
        // A connection the server ended shows only when it is used: then once more, afresh.
        if !pg.is_closed() {
            return action;
        }
    }
    match connect(target) {
        Ok(fresh) => *pg = fresh,
        Err(why) => return TrustAction::Failed(why),
    }
    read(pg, s)
}

/// What the database says now, as an action.
fn read(pg: &mut postgres::Client, s: &TrustScreen) -> TrustAction {
    // The weeks only after the figures: a read that waits out its limit waits once.
    let read = trust_report(pg, s.from, s.to, TrustBy::School)
        .and_then(|rows| weekly(pg, s.from, s.to).map(|weeks| (rows, weeks)));
    match read {
        Ok((rows, weeks)) => TrustAction::Loaded { rows, weeks },
        Err(e) => TrustAction::Failed(e),
    }
}

pub fn run(
    target: &Target,
    from: NaiveDate,
    to: NaiveDate,
    goal: f64,
    keymap: &Keymap,
) -> Result<(), String> {
    // Before the terminal is taken: a database that cannot be reached is said plainly.
    let mut pg = connect(target)?;
    let mut screen = TrustScreen::new(from, to, goal);
    let first = read(&mut pg, &screen);
    if let TrustAction::Failed(why) = first {
        return Err(why);
    }
    update(&mut screen, first);
    let theme = Theme::from_env();
    let mut terminal = input::init(theme).map_err(|e| format!("cannot use this terminal: {e}"))?;
    let result = (|| -> Result<(), String> {
        let (tx, rx) = mpsc::channel::<Input>();
        input::watch(&tx)?;
        loop {
            terminal
                .draw(|frame| crate::ui::trust::draw(frame, &screen, theme))
                .map_err(|e| e.to_string())?;
            let action = match input::wait_for_input(&rx, None) {
                None | Some(None) => return Ok(()),
                Some(Some(Input::Terminal(TermEvent::Key(key))))
                    if key.kind != KeyEventKind::Release =>
                {
                    let Some(k) = Key::from_event(&key) else {
                        continue;
                    };
                    match keymap.lookup(Section::Global, &k) {
                        Some(KeyAction::Up) => TrustAction::Up,
                        Some(KeyAction::Down) => TrustAction::Down,
                        Some(KeyAction::Top) => TrustAction::Top,
                        Some(KeyAction::Bottom) => TrustAction::Bottom,
                        Some(KeyAction::Refresh) => read_again(target, &mut pg, &screen),
                        Some(KeyAction::Quit | KeyAction::Back) => TrustAction::Quit,
                        _ if k.printable() == Some('q') => TrustAction::Quit,
                        _ => continue,
                    }
                }
                Some(Some(Input::Gone(why))) => {
                    return Err(format!("the terminal went away: {why}"));
                }
                Some(Some(Input::Signal(name))) => return Err(format!("stopped by {name}")),
                Some(Some(_)) => continue,
            };
            update(&mut screen, action);
            if screen.quit {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    drop(terminal);
    result
}

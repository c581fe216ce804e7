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

/// What the database says now, as an action.
fn read(pg: &mut postgres::Client, s: &TrustScreen) -> TrustAction {
    let rows = trust_report(pg, s.from, s.to, TrustBy::School);
    let weeks = weekly(pg, s.from, s.to);
    match (rows, weeks) {
        (Ok(rows), Ok(weeks)) => TrustAction::Loaded { rows, weeks },
        (Err(e), _) | (_, Err(e)) => TrustAction::Failed(e),
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
    let mut pg = target.connect()?;
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
                        Some(KeyAction::Refresh) => read(&mut pg, &screen),
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

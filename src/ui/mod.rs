//! Views as pure rendering of the app's state. Nothing here changes state or reads the clock;
//! the same functions draw to a real terminal and, in tests, to ratatui's `TestBackend`.
//!
//! One file per view, named like its screen in `app/`: `class_list`, `register`, `sign_in`,
//! `n_queue`, `alerts`, `today`, `on_site`, `reports`, `pupil`, `week`, `stages`, and the dialogs in `modal/`;
//! `list` draws the desk's lists. `chrome` draws what frames every view, `theme` the
//! colours, `text` fits words into columns.
//!
//! Nothing is conveyed by colour alone: statuses are words, the cursor is reverse video and a
//! `>` mark, missing registers say MISSING, flags say PA / SA. Colour follows the terminal
//! (none with `NO_COLOR` or on a VT100), and outside a UTF-8 locale everything is drawn in
//! ASCII (`theme`).

mod alerts;
mod casework;
mod chrome;
mod class_list;
mod find;
mod lesson;
mod list;
mod missing;
mod modal;
mod n_queue;
mod on_site;
mod pupil;
mod pupil_search;
mod register;
mod reports;
mod sign_in;
mod stages;
mod text;
mod theme;
mod today;
pub mod trust;
mod week;

pub use register::{Counts, counts};
pub use theme::{ColourLevel, Theme};

use crate::app::{App, MIN_HEIGHT, MIN_WIDTH, Modal, Screen};
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the whole screen into a terminal of any backend.
pub fn render<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
    theme: Theme,
) -> Result<(), B::Error> {
    terminal.draw(|frame| draw(frame, app, theme))?;
    Ok(())
}

pub fn draw(frame: &mut Frame, app: &App, theme: Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let quit = app
            .keymap
            .key_label(
                crate::keymap::Section::Global,
                crate::keymap::KeyAction::Quit,
            )
            .map(|key| format!(" {key} quits."))
            .unwrap_or_default();
        let text = format!(
            "Terminal too small ({}\u{d7}{}): rollcall needs {MIN_WIDTH}\u{d7}{MIN_HEIGHT}. Nothing is lost.{quit}",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        theme.finish(frame.buffer_mut());
        return;
    }
    // A message is read whole: it takes the lines it needs, up to three.
    let message_lines = chrome::message_height(app, area.width);
    let status_lines = chrome::status_height(app, area.width);
    let [header, body, message, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_lines),
        Constraint::Length(status_lines),
    ])
    .areas(area);
    chrome::draw_header(frame, app, header, theme);
    match &app.screen {
        Screen::ClassList => class_list::draw(frame, app, body, theme),
        Screen::Register(r) => register::draw(frame, app, r, body, theme),
        Screen::SignIn(_) => sign_in::draw(frame, app, body, theme),
        Screen::PupilSearch(_) => pupil_search::draw(frame, app, body, theme),
        Screen::NQueue(_) => n_queue::draw(frame, app, body, theme),
        Screen::Alerts(_) => alerts::draw(frame, app, body, theme),
        Screen::Today(_) => today::draw(frame, app, body, theme),
        Screen::OnSite(_) => on_site::draw(frame, app, body, theme),
        Screen::Reports(_) => reports::draw(frame, app, body, theme),
        Screen::Pupil(_) => pupil::draw(frame, app, body, theme),
        Screen::Week(_) => week::draw(frame, app, body, theme),
        Screen::Stages(_) => stages::draw(frame, app, body, theme),
        Screen::Casework(_) => casework::draw(frame, app, body, theme),
        Screen::Lesson(_) => lesson::draw(frame, app, body, theme),
        Screen::Missing(_) => missing::draw(frame, app, body, theme),
    }
    chrome::draw_message(frame, app, message, theme);
    chrome::draw_status(frame, app, status, theme);
    match &app.modal {
        Some(Modal::Help(help)) => modal::help::draw(frame, app, help.section, help.scroll, theme),
        Some(Modal::Picker(p)) => modal::picker::draw(frame, p, theme),
        Some(Modal::Input(i)) => modal::input::draw(frame, i, theme),
        Some(Modal::Confirm(c)) => modal::confirm::draw(frame, app, c, theme),
        None => {}
    }
    theme.finish(frame.buffer_mut());
}

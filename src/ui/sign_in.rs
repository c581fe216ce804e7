//! Late sign-in: the pupil finder, titled for signing in.

use super::find;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    if let Screen::SignIn(s) = &app.screen {
        find::draw(frame, app, &s.finder, "Late sign-in", area, theme);
    }
}

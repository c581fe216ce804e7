//! The pupil search: the pupil finder, titled for finding a pupil.

use super::find;
use super::theme::Theme;
use crate::app::{App, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    if let Screen::PupilSearch(s) = &app.screen {
        find::draw(frame, app, &s.finder, "Find a pupil", area, theme);
    }
}

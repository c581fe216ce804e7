//! A confirmation: its lines, and the keys that confirm or cancel. Lines are wrapped at words
//! and a long list scrolls, saying how many more there are.

use crate::app::{App, ConfirmState};
use crate::ui::chrome::{dialog_keys, popup};
use crate::ui::text::{with_more, wrap};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The widest a dialog is drawn; narrower on a narrow terminal.
const WIDTH: u16 = 70;

pub fn draw<A>(frame: &mut Frame, app: &App, confirm: &ConfirmState<A>, theme: Theme) {
    // The body's width inside the box, to wrap before sizing it.
    let inner_width = usize::from(
        WIDTH
            .min(frame.area().width.saturating_sub(2))
            .saturating_sub(2),
    );
    let rows: Vec<Line> = confirm
        .lines
        .iter()
        .flat_map(|l| wrap(l, inner_width))
        .map(Line::from)
        .collect();
    let height = (rows.len() as u16).saturating_add(3).min(24);
    let inner = popup(frame, WIDTH, height, confirm.title.clone(), theme);
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(with_more(rows, confirm.scroll, usize::from(body.height))),
        body,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(dialog_keys(app, confirm), theme.heading())),
        footer,
    );
}

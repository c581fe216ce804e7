//! Help: every key in force in a view, from the live keymap. Descriptions wrap under
//! themselves, not under the keys, and a long list says how many more rows there are.

use crate::app::App;
use crate::keymap::Section;
use crate::ui::chrome::popup;
use crate::ui::text::{hanging, with_more, wrap};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The keys' column.
const KEYS_WIDTH: usize = 22;

pub fn draw(frame: &mut Frame, app: &App, section: Section, scroll: usize, theme: Theme) {
    let inner = popup(frame, 76, 40, format!("Keys: {}", section.title()), theme);
    let width = usize::from(inner.width);
    let mut rows: Vec<Line> = Vec::new();
    for (keys, description) in app.keymap.help(section) {
        for (first, text) in hanging(&keys, &description, KEYS_WIDTH, width) {
            rows.push(Line::from(vec![
                Span::styled(first, theme.heading()),
                Span::raw(text),
            ]));
        }
    }
    rows.push(Line::default());
    let mut notes = Vec::new();
    if matches!(section, Section::Register) && app.keymap.names_typed {
        notes.push(
            "Letters type a name to find a pupil (then space, comma, hyphen and apostrophe \
             too); enter or esc ends the search. Typing never marks anyone."
                .to_string(),
        );
    } else if matches!(section, Section::Register | Section::ClassList) {
        notes.push("Type a name's first letters to jump to it.".to_string());
    }
    for note in notes {
        rows.extend(wrap(&note, width).into_iter().map(Line::from));
    }
    rows.extend(
        wrap(
            &format!("Keys from: {}", app.keymap.sources.join(", ")),
            width,
        )
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim()))),
    );
    frame.render_widget(
        Paragraph::new(with_more(rows, scroll, usize::from(inner.height))),
        inner,
    );
}

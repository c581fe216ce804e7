//! A text field with what it is for above it. The cursor is drawn as a reversed cell (and
//! the terminal's own cursor is put there); a suggestion waiting to be replaced is shown
//! reversed whole. Long context is wrapped, and the oldest lines give way to the field.

use crate::app::InputState;
use crate::ui::chrome::popup;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Position;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The widest the dialog is drawn.
const WIDTH: u16 = 76;

pub fn draw<A>(frame: &mut Frame, input: &InputState<A>, theme: Theme) {
    let inner_width = usize::from(
        WIDTH
            .min(frame.area().width.saturating_sub(2))
            .saturating_sub(2),
    );
    let context: Vec<String> = input
        .context
        .iter()
        .flat_map(|l| wrap(l, inner_width))
        .collect();
    let error: Vec<String> = input
        .error
        .iter()
        .flat_map(|e| wrap(&format!("! {e}"), inner_width))
        .collect();
    let height = (context.len() + error.len() + 5).min(22) as u16;
    let inner = popup(frame, WIDTH, height, input.title.clone(), theme);
    // The field and any error always show; the oldest context gives way.
    let room = usize::from(inner.height).saturating_sub(2 + error.len());
    let skip = context.len().saturating_sub(room);
    let mut lines: Vec<Line> = context.into_iter().skip(skip).map(Line::from).collect();
    lines.push(Line::default());
    let field_row = lines.len();
    let prompt_width = input.prompt.width();
    let field_width = usize::from(inner.width)
        .saturating_sub(prompt_width + 1)
        .max(1);
    let scroll = input.field.visual_scroll(field_width);
    let (field, cursor_column) = field_spans(input, scroll, field_width, theme);
    let mut spans = vec![Span::raw(input.prompt.clone())];
    spans.extend(field);
    lines.push(Line::from(spans));
    lines.extend(
        error
            .into_iter()
            .map(|e| Line::from(Span::styled(e, theme.warn()))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + (prompt_width + cursor_column).min(usize::from(inner.width)) as u16;
    let y = inner.y + field_row as u16;
    if y < inner.bottom() {
        frame.set_cursor_position(Position::new(x, y));
    }
}

/// The visible part of the field as spans, and the cursor's column within it.
fn field_spans<A>(
    input: &InputState<A>,
    scroll: usize,
    width: usize,
    theme: Theme,
) -> (Vec<Span<'static>>, usize) {
    let value = input.field.value();
    let text = theme.heading();
    let reversed = text.add_modifier(Modifier::REVERSED);
    if input.prefilled {
        return (
            vec![Span::styled(value.to_string(), reversed)],
            value.width(),
        );
    }
    // Characters before the cursor, the one under it, and the rest, within the scroll.
    let cursor = input.field.cursor();
    let mut before = String::new();
    let mut under = String::new();
    let mut after = String::new();
    let mut column = 0;
    for (i, c) in value.chars().enumerate() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if column < scroll {
            column += w;
            continue;
        }
        if column - scroll + w > width {
            break;
        }
        match i.cmp(&cursor) {
            std::cmp::Ordering::Less => before.push(c),
            std::cmp::Ordering::Equal => under.push(c),
            std::cmp::Ordering::Greater => after.push(c),
        }
        column += w;
    }
    if under.is_empty() {
        under.push(' ');
    }
    let cursor_column = before.width();
    (
        vec![
            Span::styled(before, text),
            Span::styled(under, reversed),
            Span::styled(after, text),
        ],
        cursor_column,
    )
}

//! The code picker: codes grouped as the guidance groups them, filtered by word or code.

use crate::app::{PickerRow, PickerState, picker_rows};
use crate::ui::chrome::popup;
use crate::ui::text::{cell, fit};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw<A>(frame: &mut Frame, picker: &PickerState<A>, theme: Theme) {
    let who = &picker.who;
    let inner = popup(frame, 78, 30, format!("Code for {who}"), theme);
    let mut lines = vec![
        Line::from(vec![
            Span::raw("find: "),
            Span::styled(format!("{}_", picker.filter), theme.heading()),
            Span::raw("   code: "),
            Span::styled(picker.code.clone(), theme.heading()),
        ]),
        Line::from(Span::styled(
            "a word (med, SICK) or a code (M, C1) \u{b7} enter chooses",
            theme.dim(),
        )),
    ];
    let rows = picker_rows(picker);
    let selected_row = rows
        .iter()
        .position(|r| matches!(r, PickerRow::Code { selected: true, .. }))
        .unwrap_or(0);
    let visible = usize::from(inner.height).saturating_sub(lines.len());
    let start = picker.top.follow(selected_row, visible, rows.len());
    let width = usize::from(inner.width);
    for row in rows.iter().skip(start).take(visible) {
        match row {
            PickerRow::Group(title) => {
                lines.push(Line::from(Span::styled(title.to_string(), theme.heading())))
            }
            PickerRow::Code {
                info,
                selected,
                unavailable,
            } => {
                let meaning_width = width.saturating_sub(2 + 4 + 10).max(10);
                // Codes for the office, to a teacher: shown (the letters are what staff know),
                // greyed and said in words, not colour alone.
                let (code_style, text_style, who) = match unavailable {
                    None => (theme.heading(), ratatui::style::Style::new(), String::new()),
                    Some(why) => (theme.dim(), theme.dim(), format!(" ({why})")),
                };
                let mut line = Line::from(vec![
                    Span::raw(if *selected { "> " } else { "  " }),
                    Span::styled(cell(info.code.as_str(), 4), code_style),
                    Span::styled(
                        fit(
                            &format!(
                                "{}{}{who}",
                                info.meaning,
                                if info.needs_note { " (note)" } else { "" }
                            ),
                            meaning_width - 1,
                        ),
                        text_style,
                    ),
                    Span::raw(" "),
                    Span::styled(info.class.short(), text_style),
                ]);
                if *selected {
                    line = line.style(theme.selected());
                }
                lines.push(line);
            }
        }
    }
    if rows.is_empty() {
        lines.push(Line::from("No code matches."));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

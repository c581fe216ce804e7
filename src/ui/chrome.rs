//! What frames every view: the header (school, time, who, connection), the message line, the
//! status line with the view's main keys, and the box dialogs are drawn in. Key hints come
//! from the keymap in force, never from fixed text.

use super::text::{fit, wrap};
use super::theme::Theme;
use crate::app::{App, ConfirmState, MessageKind, Screen};
use crate::domain::text::columns;
use crate::keymap::{KeyAction, Section};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn draw_header(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let connection = match (&app.connection, app.server) {
        (Err(_), _) => Span::styled(
            " NOT CONNECTED \u{2014} NOT SAVED ",
            theme.warn().add_modifier(Modifier::REVERSED),
        ),
        (Ok(()), true) => Span::raw(" server"),
        (Ok(()), false) => Span::raw(" local"),
    };
    let right = format!(
        "{} \u{b7} {} ({}) \u{b7}",
        app.now.format("%a %d %b %H:%M"),
        app.me.account,
        app.me.role.as_str()
    );
    let right_len = columns(&right) + columns(&connection.content);
    let left_width = usize::from(area.width).saturating_sub(right_len + 1);
    let left = fit(&format!("rollcall \u{b7} {}", app.school), left_width);
    let line = Line::from(vec![
        Span::styled(left, theme.title()),
        Span::raw(" "),
        Span::raw(right),
        connection,
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The message as shown: errors marked with `!`.
fn message_text(app: &App) -> Option<(String, bool)> {
    app.message.as_ref().map(|m| match m.kind {
        MessageKind::Error => (format!("! {}", m.text), true),
        MessageKind::Info => (m.text.clone(), false),
    })
}

/// The most lines a message takes; a longer one ends in "…".
const MESSAGE_LINES: usize = 3;

/// The message wrapped at words to the screen's width: one to three lines.
fn message_lines(app: &App, width: u16) -> Vec<String> {
    let Some((text, _)) = message_text(app) else {
        return Vec::new();
    };
    let mut lines = wrap(&text, usize::from(width));
    if lines.len() > MESSAGE_LINES {
        lines.truncate(MESSAGE_LINES);
        let last = &mut lines[MESSAGE_LINES - 1];
        *last = fit(&format!("{last} \u{2026}"), usize::from(width));
    }
    lines
}

/// Rows the message needs at this width.
pub fn message_height(app: &App, width: u16) -> u16 {
    message_lines(app, width).len().max(1) as u16
}

pub fn draw_message(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Some((_, error)) = message_text(app) else {
        return;
    };
    let style = if error {
        theme.warn()
    } else {
        ratatui::style::Style::new()
    };
    let lines: Vec<Line> = message_lines(app, area.width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The status line's rows at most.
const STATUS_ROWS: usize = 2;

/// The view's main keys as (key, what it does), from the keymap in force, in the order shown.
fn status_hints(app: &App) -> Vec<(String, &'static str)> {
    // A confirmation says its own keys: `y` for a deliberate replacement, or only closing
    // something there is nothing to confirm in.
    if let Some(crate::app::Modal::Confirm(confirm)) = &app.modal {
        let cancel = app
            .keymap
            .key_label(Section::Dialog, KeyAction::Cancel)
            .unwrap_or_else(|| "?".into());
        if let Some((yes, no)) = confirm.deliberate {
            return vec![("y".into(), yes), (cancel, no)];
        }
        if confirm.ask.is_none() {
            return vec![(cancel, "close")];
        }
    }
    let main = section_hints(app);
    let section = app.section();
    main.iter()
        .filter_map(|(action, label)| {
            app.keymap
                .key_label(section, *action)
                .map(|key| (key, *label))
        })
        .collect()
}

/// Hints laid out in rows of `width`, in order; a hint wider than a row gets one to itself.
fn lay_out(hints: &[(String, &'static str)], width: usize) -> Vec<Vec<(String, &'static str)>> {
    let mut rows: Vec<Vec<(String, &'static str)>> = vec![Vec::new()];
    let mut row_len = 0;
    for hint in hints {
        let need = columns(&hint.0) + 1 + columns(hint.1);
        let gap = if row_len == 0 { 0 } else { 2 };
        if row_len > 0 && row_len + gap + need > width {
            rows.push(Vec::new());
            row_len = 0;
        }
        row_len += if row_len == 0 { need } else { gap + need };
        rows.last_mut()
            .expect("one row at least")
            .push(hint.clone());
    }
    rows
}

/// The hints in at most two rows of `width`. When they do not all fit, help and quit stay,
/// then the others in the order shown while they still fit.
fn status_rows(app: &App, width: usize) -> Vec<Vec<(String, &'static str)>> {
    let hints = status_hints(app);
    let essential = |label: &str| matches!(label, "help" | "quit");
    let order = (0..hints.len())
        .filter(|&i| essential(hints[i].1))
        .chain((0..hints.len()).filter(|&i| !essential(hints[i].1)));
    let mut keep = vec![false; hints.len()];
    for i in order {
        keep[i] = true;
        let kept: Vec<_> = hints
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(h, _)| h.clone())
            .collect();
        if lay_out(&kept, width).len() > STATUS_ROWS {
            keep[i] = false;
        }
    }
    let kept: Vec<_> = hints
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(h, _)| h)
        .collect();
    lay_out(&kept, width)
}

/// Rows the status line takes at this width: one, or two when the keys need them.
pub fn status_height(app: &App, width: u16) -> u16 {
    status_rows(app, usize::from(width)).len().max(1) as u16
}

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let lines: Vec<Line> = status_rows(app, usize::from(area.width))
        .into_iter()
        .map(|row| {
            let mut spans = Vec::new();
            for (key, label) in row {
                if !spans.is_empty() {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::styled(key, theme.heading()));
                spans.push(Span::raw(format!(" {label}")));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).style(theme.dim()), area);
}

/// A teacher looking at a register they can no longer change.
fn register_read_only(app: &App) -> bool {
    match &app.screen {
        Screen::Register(r) => {
            !app.me.role.is_office() && r.view.as_ref().is_some_and(|v| v.can_mark.is_err())
        }
        _ => false,
    }
}

/// A centred box of at most `width` × `height`, cleared.
pub fn popup(frame: &mut Frame, width: u16, height: u16, title: String, theme: Theme) -> Rect {
    let area = frame.area();
    let w = width.min(area.width.saturating_sub(2)).max(10);
    let h = height.min(area.height.saturating_sub(2)).max(5);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// "enter: confirm · esc: cancel", with the keys in force.
pub fn dialog_keys<A>(app: &App, confirm: &ConfirmState<A>) -> String {
    let key = |action| {
        app.keymap
            .key_label(Section::Dialog, action)
            .unwrap_or_else(|| "?".into())
    };
    // Replacing someone else's entry takes `y` itself (see app::modal::confirm).
    match (&confirm.ask, confirm.deliberate) {
        (None, _) => format!("{}: close", key(KeyAction::Cancel)),
        (Some(_), Some((yes, no))) => {
            format!("y: {yes} \u{b7} {}: {no}", key(KeyAction::Cancel))
        }
        (Some(_), None) => format!(
            "{}: confirm \u{b7} {}: cancel",
            key(KeyAction::Confirm),
            key(KeyAction::Cancel)
        ),
    }
}

/// The keys each view's status line offers, most used first.
fn section_hints(app: &App) -> &'static [(KeyAction, &'static str)] {
    match app.section() {
        Section::ClassList if app.me.role.is_office() => &[
            (KeyAction::Open, "open"),
            (KeyAction::OtherSession, "AM/PM"),
            (KeyAction::NextDay, "day"),
            (KeyAction::LateSignIn, "sign in"),
            (KeyAction::NQueue, "N queue"),
            (KeyAction::Alerts, "alerts"),
            (KeyAction::TodayView, "today"),
            (KeyAction::OnSiteView, "on site"),
            (KeyAction::ReportsView, "reports"),
            (KeyAction::FindPupil, "find pupil"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
        Section::ClassList => &[
            (KeyAction::Open, "open"),
            (KeyAction::OtherSession, "AM/PM"),
            (KeyAction::NextDay, "day"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
        // A lesson is marked with the register's keys; its own have no codes or undo.
        Section::Register if matches!(app.screen, crate::app::Screen::Lesson(_)) => &[
            (KeyAction::Present, "present"),
            (KeyAction::Late, "late"),
            (KeyAction::Absent, "absent"),
            (KeyAction::AllPresent, "rest present"),
            (KeyAction::CloseRegister, "close"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Register if register_read_only(app) => &[
            (KeyAction::Back, "back"),
            (KeyAction::OtherSession, "AM/PM"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
        Section::Register => &[
            (KeyAction::Present, "present"),
            (KeyAction::Late, "late"),
            (KeyAction::Absent, "absent"),
            (KeyAction::CodePicker, "codes"),
            (KeyAction::AllPresent, "rest present"),
            (KeyAction::Undo, "undo"),
            (KeyAction::CloseRegister, "close"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
        Section::Picker => &[(KeyAction::Choose, "choose"), (KeyAction::Cancel, "cancel")],
        Section::Dialog => &[
            (KeyAction::Confirm, "confirm"),
            (KeyAction::Cancel, "cancel"),
        ],
        Section::Field => &[
            (KeyAction::Confirm, "save"),
            (KeyAction::Cancel, "cancel"),
            (KeyAction::ClearToStart, "clear"),
            (KeyAction::Quit, "quit"),
        ],
        Section::SignIn if matches!(&app.screen, Screen::PupilSearch(_)) => &[
            (KeyAction::Choose, "open their year"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::SignIn => &[
            (KeyAction::Choose, "sign in"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::NQueue => &[
            (KeyAction::Resolve, "resolve"),
            (KeyAction::OverdueToO, "overdue become O"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Alerts => &[
            (KeyAction::ActOnAlert, "acted on"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Today => &[
            (KeyAction::Contact, "called"),
            (KeyAction::RemindTutor, "remind tutor"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::OnSite => &[
            (KeyAction::SignOut, "sign out"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Reports => &[
            (KeyAction::ReportBy, "by"),
            (KeyAction::ReportPeriod, "period"),
            (KeyAction::CompulsoryAge, "DfE age"),
            (KeyAction::AbsenceLevel, "PA/SA"),
            (KeyAction::ReportCohort, "cohort"),
            (KeyAction::SortBy, "sort"),
            (KeyAction::ExportCsv, "CSV"),
            (KeyAction::Back, "back"),
        ],
        Section::Stages => &[
            (KeyAction::StageDone, "done"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Missing => &[
            (KeyAction::MissingFound, "found"),
            (KeyAction::ParentsInformed, "parents told"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Casework => &[
            (KeyAction::CaseStep, "next step"),
            (KeyAction::PupilYear, "pupil"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Week => &[
            (KeyAction::WeekChart, "grid/chart"),
            (KeyAction::PlanAbsence, "plan absence"),
            (KeyAction::PreviousWeek, "week before"),
            (KeyAction::NextWeek, "week after"),
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Pupil => &[
            (KeyAction::PlanAbsence, "plan absence"),
            (KeyAction::OpenCase, "case"),
            // The arrows go without saying: the bar stays one line at 60 columns.
            (KeyAction::Back, "back"),
            (KeyAction::Help, "help"),
        ],
        Section::Help | Section::Global => &[(KeyAction::Back, "back")],
    }
}

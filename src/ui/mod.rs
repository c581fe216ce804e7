//! Views as pure rendering of the app's state. Nothing here changes state or reads the clock;
//! the same functions draw to a real terminal and, in tests, to ratatui's `TestBackend`.
//!
//! Nothing is conveyed by colour alone: statuses are words, the cursor is reverse video and a
//! `>` mark, missing registers say MISSING, flags say PA / SA. With `NO_COLOR` set there is
//! no colour at all.

use crate::app::{
    App, ConfirmState, InputState, MessageKind, Modal, PickerRow, PickerState, RegisterScreen,
    Screen, picker_rows,
};
use crate::domain::codes::{StatClass, class_of};
use crate::domain::register::{RegisterClock, RegisterStatus};
use crate::domain::session::{Phase, Session, hm};
use crate::domain::stats::{Tally, round1};
use crate::keymap::{KeyAction, Section};
use crate::service::protocol::{ClassList, RegisterView, SessionSummary};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// The smallest terminal the views are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Colours, or none (`NO_COLOR`).
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    fn warn(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole screen into a terminal of any backend.
pub fn render<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
    theme: Theme,
) -> Result<(), B::Error> {
    terminal.draw(|frame| draw(frame, app, theme))?;
    Ok(())
}

/// Pads or truncates to exactly `width` characters.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('\u{2026}');
        s
    }
}

/// A table cell: `text` fitted to one less than `width`, then a space, so a cut name never
/// runs into the next column.
fn cell(text: &str, width: usize) -> String {
    let mut s = fit(text, width.saturating_sub(1));
    if width > 0 {
        s.push(' ');
    }
    s
}

fn pct(value: Option<f64>) -> String {
    value
        .map(|p| format!("{:.1}%", round1(p)))
        .unwrap_or_else(|| "\u{2013}".into())
}

pub fn draw(frame: &mut Frame, app: &App, theme: Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small ({}\u{d7}{}): rollcall needs {MIN_WIDTH}\u{d7}{MIN_HEIGHT}. Nothing is lost. ctrl+c quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, message, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, app, header, theme);
    match &app.screen {
        Screen::ClassList => draw_class_list(frame, app, body, theme),
        Screen::Register(r) => draw_register(frame, app, r, body, theme),
        Screen::SignIn(_) => draw_sign_in(frame, app, body, theme),
        Screen::NQueue(_) => draw_n_queue(frame, app, body, theme),
    }
    draw_message(frame, app, message, theme);
    draw_status(frame, app, status, theme);
    match &app.modal {
        Some(Modal::Help { section, scroll }) => draw_help(frame, app, *section, *scroll, theme),
        Some(Modal::Picker(p)) => draw_picker(frame, app, p, theme),
        Some(Modal::Input(i)) => draw_input(frame, i, theme),
        Some(Modal::Confirm(c)) => draw_confirm(frame, c, theme),
        None => {}
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
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
    let right_len = right.chars().count() + connection.content.chars().count();
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

fn draw_message(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let line = if let Some(notice) = app.notices.first() {
        let more = if app.notices.len() > 1 {
            format!(" (+{} more)", app.notices.len() - 1)
        } else {
            String::new()
        };
        Line::from(Span::styled(
            format!("keymap: {notice}{more}"),
            theme.warn(),
        ))
    } else if let Some(m) = &app.message {
        match m.kind {
            MessageKind::Error => Line::from(Span::styled(format!("! {}", m.text), theme.warn())),
            MessageKind::Info => Line::from(Span::raw(m.text.clone())),
        }
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The view's main keys, from the keymap in force.
fn draw_status(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let section = app.section();
    let main: &[(KeyAction, &str)] = match section {
        Section::ClassList if app.me.role.is_office() => &[
            (KeyAction::Open, "open"),
            (KeyAction::OtherSession, "AM/PM"),
            (KeyAction::NextDay, "day"),
            (KeyAction::LateSignIn, "sign in"),
            (KeyAction::NQueue, "N queue"),
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
        ],
        Section::Picker => &[(KeyAction::Choose, "choose"), (KeyAction::Cancel, "cancel")],
        Section::Dialog => &[
            (KeyAction::Confirm, "confirm"),
            (KeyAction::Cancel, "cancel"),
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
        Section::Help | Section::Global => &[(KeyAction::Back, "back")],
    };
    let mut spans = Vec::new();
    for (action, label) in main {
        if let Some(key) = app.keymap.key_label(section, *action) {
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(key, theme.heading()));
            spans.push(Span::raw(format!(" {label}")));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.dim().add_modifier(Modifier::empty())),
        area,
    );
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

fn status_cell(summary: &SessionSummary, width: usize) -> String {
    let marked = format!("{}/{}", summary.marked, summary.on_roll);
    let tail = if summary.missing {
        "MISSING".to_string()
    } else {
        summary
            .tally
            .attendance_pct()
            .map(|p| format!("{:.0}%", round1(p)))
            .unwrap_or_default()
    };
    fit(
        &format!("{:<11} {:>5} {}", summary.status.label(), marked, tail),
        width,
    )
}

fn draw_class_list(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let home = &app.home;
    let Some(list) = &home.data else {
        frame.render_widget(Paragraph::new("loading the class list\u{2026}"), area);
        return;
    };
    let mut lines = vec![day_line(list, theme)];
    let width = usize::from(area.width);
    let session_width = 26;
    let tutor_width = width.saturating_sub(2 + 10 + 2 * session_width + 2).max(8);
    let head = |s: Session| {
        let label = if home.session == s {
            format!("[{}]", s.label())
        } else {
            s.label().to_string()
        };
        fit(&label, session_width)
    };
    lines.push(Line::from(Span::styled(
        format!(
            "  {}{}{}{}",
            cell("Group", 10),
            cell("Tutor", tutor_width),
            head(Session::Am),
            head(Session::Pm)
        ),
        theme.heading(),
    )));
    let visible = usize::from(area.height).saturating_sub(lines.len() + 1);
    let start = scroll_start(home.cursor, visible, list.groups.len());
    for (i, group) in list.groups.iter().enumerate().skip(start).take(visible) {
        let selected = i == home.cursor;
        let marker = if selected { "> " } else { "  " };
        let mine = if group.mine { "\u{2022}" } else { " " };
        let name = cell(&format!("{}{}", group.name, mine), 10);
        let tutor = cell(&group.tutors.join(", "), tutor_width);
        let mut spans = vec![Span::raw(marker), Span::raw(name), Span::raw(tutor)];
        for s in Session::BOTH {
            let summary = &group.sessions[s.index() as usize];
            if list.not_in_session[s.index() as usize].is_some() {
                spans.push(Span::styled(fit("no register", session_width), theme.dim()));
                continue;
            }
            let style = if summary.missing {
                theme.warn()
            } else if summary.status == RegisterStatus::Complete
                || summary.status == RegisterStatus::Closed
            {
                theme.good()
            } else {
                Style::new()
            };
            spans.push(Span::styled(status_cell(summary, session_width), style));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if list.groups.is_empty() {
        lines.push(Line::from(
            "  No registration groups: add [[groups]] to the school configuration.",
        ));
    }
    let missing = list
        .groups
        .iter()
        .flat_map(|g| g.sessions.iter())
        .filter(|s| s.missing)
        .count();
    let legend = format!(
        "  \u{2022} your group{}{}",
        if missing > 0 {
            format!(" \u{b7} {missing} register(s) MISSING: not complete after the register began")
        } else {
            String::new()
        },
        if home.jump.is_empty() {
            String::new()
        } else {
            format!(" \u{b7} jump: {}", home.jump)
        }
    );
    lines.push(Line::from(Span::styled(legend, theme.dim())));
    frame.render_widget(Paragraph::new(lines), area);
}

fn day_line(list: &ClassList, theme: Theme) -> Line<'static> {
    let date = list.date.format("%A %d %B %Y").to_string();
    let text = match &list.not_in_session {
        [Some(why), Some(_)] => format!("{date}: no registers ({why})"),
        _ => {
            let [am, pm] = list.times;
            let mut t = format!(
                "{date} \u{b7} AM {}\u{2013}{} \u{b7} PM {}\u{2013}{}",
                hm(am.register_at),
                hm(am.closes_at),
                hm(pm.register_at),
                hm(pm.closes_at)
            );
            for (s, why) in Session::BOTH.iter().zip(&list.not_in_session) {
                if let Some(why) = why {
                    t.push_str(&format!(" \u{b7} no {} register ({why})", s.label()));
                }
            }
            t
        }
    };
    Line::from(Span::styled(text, theme.heading()))
}

/// First row to show: the cursor stays on screen, near the middle once the list scrolls.
fn scroll_start(cursor: usize, visible: usize, len: usize) -> usize {
    if visible == 0 || len <= visible {
        return 0;
    }
    cursor.saturating_sub(visible / 2).min(len - visible)
}

fn phase_words(view: &RegisterView, now: NaiveDateTime) -> (String, Phase) {
    let clock = RegisterClock {
        date: view.date,
        session: view.session,
        times: view.times,
        now,
        locked: view.closed.is_some(),
    };
    let phase = clock.phase();
    let mut text = format!(
        "register {} \u{b7} closes {}",
        hm(view.times.register_at),
        hm(view.times.closes_at)
    );
    if view.date == now.date() {
        let minute = |t: chrono::NaiveTime| {
            i64::from(chrono::Timelike::hour(&t)) * 60 + i64::from(chrono::Timelike::minute(&t))
        };
        let now_min = minute(now.time());
        match phase {
            Phase::BeforeOpen => {
                text.push_str(&format!(" \u{b7} opens {}", hm(view.times.opens_at)))
            }
            Phase::Open => {
                let left = minute(view.times.register_at) - now_min;
                text.push_str(&format!(" (begins in {left} min)"));
            }
            Phase::LateWindow => match minute(view.times.closes_at) - now_min {
                0 => text.push_str(" (this minute)"),
                left => text.push_str(&format!(" (in {left} min)")),
            },
            Phase::Closed => {}
        }
    }
    let state = match (&view.closed, phase) {
        (Some(c), _) => format!(
            "CLOSED by {} at {}",
            c.closed_by,
            c.closed_at.format("%H:%M")
        ),
        (None, Phase::BeforeOpen) => "NOT OPEN YET".into(),
        (None, Phase::Open) => "OPEN".into(),
        (None, Phase::LateWindow) => "LATE WINDOW: arrivals are L".into(),
        (None, Phase::Closed) => "CLOSED: arrivals are U".into(),
    };
    (format!("{text} \u{b7} {state}"), phase)
}

/// Live counts for the register header.
pub struct Counts {
    pub present: usize,
    pub late: usize,
    pub absent: usize,
    pub other: usize,
    pub unmarked: usize,
    pub session: Tally,
}

pub fn counts(view: &RegisterView) -> Counts {
    let mut c = Counts {
        present: 0,
        late: 0,
        absent: 0,
        other: 0,
        unmarked: 0,
        session: Tally::default(),
    };
    for row in &view.rows {
        let Some(mark) = &row.mark else {
            c.unmarked += 1;
            continue;
        };
        let class = class_of(&mark.code, view.date);
        c.session.add_class(class);
        match (mark.code.as_str(), class) {
            ("L", _) => c.late += 1,
            (_, StatClass::Present) => c.present += 1,
            (_, StatClass::Authorised | StatClass::Unauthorised) => c.absent += 1,
            _ => c.other += 1,
        }
    }
    c
}

fn draw_register(frame: &mut Frame, app: &App, r: &RegisterScreen, area: Rect, theme: Theme) {
    let Some(view) = &r.view else {
        frame.render_widget(
            Paragraph::new(format!("loading {} {}\u{2026}", r.group, r.session.label())),
            area,
        );
        return;
    };
    let width = usize::from(area.width);
    let (phase_text, _) = phase_words(view, app.now);
    let c = counts(view);
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{} \u{b7} {} \u{b7} {} \u{b7} {} pupils",
                view.group,
                view.session.label(),
                view.date.format("%a %d %b %Y"),
                view.rows.len()
            ),
            theme.title(),
        )),
        Line::from(fit(&phase_text, width)),
        Line::from(vec![
            Span::raw(format!(
                "present {}  late {}  absent {}  other {}  unmarked {}",
                c.present, c.late, c.absent, c.other, c.unmarked
            )),
            Span::styled(
                format!(
                    " \u{b7} session {} \u{b7} term {}",
                    pct(c.session.attendance_pct()),
                    pct(view.term_tally.attendance_pct())
                ),
                theme.heading(),
            ),
        ]),
    ];
    if let Some(why) = &view.not_in_session {
        lines.push(Line::from(Span::styled(
            format!("Not a school session: {why}"),
            theme.warn(),
        )));
    } else if let Err(why) = &view.can_mark
        && !app.me.role.is_office()
    {
        lines.push(Line::from(Span::styled(
            fit(&format!("read-only: {why}"), width),
            theme.warn(),
        )));
    }
    let name_width = width.saturating_sub(2 + 13 + 8 + 6 + 8 + 4).max(12);
    lines.push(Line::from(Span::styled(
        format!(
            "  {}{}{}{}{}{}",
            cell("Pupil", name_width),
            cell("Mark", 13),
            cell("Arrived", 8),
            cell("Late", 6),
            cell("Year%", 8),
            "Flag"
        ),
        theme.heading(),
    )));
    let visible = usize::from(area.height).saturating_sub(lines.len() + 1);
    let start = scroll_start(r.cursor, visible, view.rows.len());
    for (i, row) in view.rows.iter().enumerate().skip(start).take(visible) {
        let selected = i == r.cursor;
        let name = cell(&format!("{}, {}", row.surname, row.forename), name_width);
        let (mark, arrived, late) = match &row.mark {
            Some(m) => {
                let mut code = m.code.clone();
                // Entered by the office, not by whoever is looking: protected.
                if m.recorded_by_office && m.recorded_by != app.me.account {
                    code.push_str(" office");
                }
                (
                    code,
                    m.arrived.map(hm).unwrap_or_default(),
                    m.minutes_late.map(|l| format!("+{l}")).unwrap_or_default(),
                )
            }
            None => ("\u{b7}".to_string(), String::new(), String::new()),
        };
        let flag = if row.ytd.is_severe_absence() {
            "SA"
        } else if row.ytd.is_persistent_absence() {
            "PA"
        } else {
            ""
        };
        let mark_style = match row.mark.as_ref().map(|m| class_of(&m.code, view.date)) {
            Some(StatClass::Unauthorised) => theme.warn(),
            Some(StatClass::Present | StatClass::Aea) => theme.good(),
            _ => Style::new(),
        };
        let mut line = Line::from(vec![
            Span::raw(if selected { "> " } else { "  " }),
            Span::raw(name),
            Span::styled(cell(&mark, 13), mark_style),
            Span::raw(cell(&arrived, 8)),
            Span::raw(cell(&late, 6)),
            Span::raw(cell(&pct(row.ytd.attendance_pct()), 8)),
            Span::styled(
                flag,
                if flag.is_empty() {
                    Style::new()
                } else {
                    theme.warn()
                },
            ),
        ]);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if view.rows.is_empty() {
        lines.push(Line::from("  Nobody is on this group's roll on this date."));
    }
    if !r.jump.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  jump: {}", r.jump),
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_sign_in(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::SignIn(s) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    let session = app.current_session();
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "Late sign-in \u{b7} {} {} \u{b7} type a name or UPN",
                app.now.format("%a %d %b"),
                session.label()
            ),
            theme.title(),
        )),
        Line::from(vec![
            Span::raw("find: "),
            Span::styled(format!("{}_", s.query), theme.heading()),
        ]),
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}",
                cell("Pupil", width.saturating_sub(2 + 10 + 14 + 14)),
                cell("Group", 10),
                cell("AM", 14),
                "PM"
            ),
            theme.heading(),
        )),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len());
    let start = scroll_start(s.cursor, visible, s.results.len());
    for (i, hit) in s.results.iter().enumerate().skip(start).take(visible) {
        let mark = |m: &Option<crate::store::MarkRecord>| {
            m.as_ref()
                .map_or("\u{b7}".to_string(), |m| m.entry().describe())
        };
        let text = format!(
            "{}{}{}{}{}",
            if i == s.cursor { "> " } else { "  " },
            cell(
                &format!("{}, {}", hit.surname, hit.forename),
                width.saturating_sub(2 + 10 + 14 + 14)
            ),
            cell(hit.group.as_deref().unwrap_or("not on roll"), 10),
            cell(&mark(&hit.marks[0]), 14),
            mark(&hit.marks[1])
        );
        let mut line = Line::from(text);
        if i == s.cursor {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if s.results.is_empty() {
        lines.push(Line::from("  No pupil matches."));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_n_queue(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    let Screen::NQueue(q) = &app.screen else {
        return;
    };
    let width = usize::from(area.width);
    let name_width = width.saturating_sub(2 + 14 + 8 + 12 + 16).max(10);
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "Unresolved N \u{b7} {} waiting \u{b7} oldest first \u{b7} a reason within 5 school days",
                q.items.len()
            ),
            theme.title(),
        )),
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}{}",
                cell("Session", 14),
                cell("Group", 8),
                cell("Pupil", name_width),
                cell("Due", 12),
                "Left"
            ),
            theme.heading(),
        )),
    ];
    let visible = usize::from(area.height).saturating_sub(lines.len());
    let start = scroll_start(q.cursor, visible, q.items.len());
    for (i, item) in q.items.iter().enumerate().skip(start).take(visible) {
        let left = if item.days_left < 0 {
            format!(
                "OVERDUE {} day{}",
                -item.days_left,
                if item.days_left == -1 { "" } else { "s" }
            )
        } else {
            format!(
                "{} school day{}",
                item.days_left,
                if item.days_left == 1 { "" } else { "s" }
            )
        };
        let mut line = Line::from(vec![
            Span::raw(if i == q.cursor { "> " } else { "  " }),
            Span::raw(cell(
                &format!("{} {}", item.date.format("%a %d %b"), item.session.label()),
                14,
            )),
            Span::raw(cell(&item.group, 8)),
            Span::raw(cell(&item.name, name_width)),
            Span::raw(cell(&item.deadline.format("%a %d %b").to_string(), 12)),
            Span::styled(
                left,
                if item.days_left < 0 {
                    theme.warn()
                } else {
                    Style::new()
                },
            ),
        ]);
        if i == q.cursor {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if q.loaded && q.items.is_empty() {
        lines.push(Line::from("  No N marks are waiting for a reason."));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A centred box of at most `width` × `height`, cleared.
fn popup(frame: &mut Frame, width: u16, height: u16, title: String, theme: Theme) -> Rect {
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

fn draw_help(frame: &mut Frame, app: &App, section: Section, scroll: usize, theme: Theme) {
    let inner = popup(frame, 76, 40, format!("Keys: {}", section.title()), theme);
    let mut lines: Vec<Line> = Vec::new();
    for (keys, description) in app.keymap.help(section) {
        lines.push(Line::from(vec![
            Span::styled(cell(&keys, 22), theme.heading()),
            Span::raw(description),
        ]));
    }
    lines.push(Line::default());
    if matches!(section, Section::Register | Section::ClassList) {
        lines.push(Line::from("Type a name's first letters to jump to it."));
    }
    lines.push(Line::from(Span::styled(
        format!("Keys from: {}", app.keymap.sources.join(", ")),
        theme.dim(),
    )));
    let start = scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines.split_off(start)).wrap(Wrap { trim: false }),
        inner,
    );
}

fn draw_picker(frame: &mut Frame, app: &App, picker: &PickerState, theme: Theme) {
    let who = match &picker.target {
        crate::app::PickTarget::Register { upn } => match &app.screen {
            Screen::Register(r) => r
                .view
                .as_ref()
                .and_then(|v| v.rows.iter().find(|row| row.upn == *upn))
                .map_or(upn.clone(), |row| {
                    format!("{}, {}", row.surname, row.forename)
                }),
            _ => upn.clone(),
        },
        crate::app::PickTarget::NQueue { item } => item.name.clone(),
    };
    let inner = popup(frame, 78, 30, format!("Code for {who}"), theme);
    let mut lines = vec![
        Line::from(vec![
            Span::raw("find: "),
            Span::styled(format!("{}_", picker.filter), theme.heading()),
            Span::raw("   code: "),
            Span::styled(picker.code.clone(), theme.heading()),
        ]),
        Line::from(Span::styled(
            "word (med) filters \u{b7} a capital code (M, C1) chooses",
            theme.dim(),
        )),
    ];
    let rows = picker_rows(picker);
    let selected_row = rows
        .iter()
        .position(|r| matches!(r, PickerRow::Code { selected: true, .. }))
        .unwrap_or(0);
    let visible = usize::from(inner.height).saturating_sub(lines.len());
    let start = scroll_start(selected_row, visible, rows.len());
    let width = usize::from(inner.width);
    for row in rows.iter().skip(start).take(visible) {
        match row {
            PickerRow::Group(title) => {
                lines.push(Line::from(Span::styled(title.to_string(), theme.heading())))
            }
            PickerRow::Code { info, selected } => {
                let meaning_width = width.saturating_sub(2 + 4 + 14).max(10);
                let mut line = Line::from(vec![
                    Span::raw(if *selected { "> " } else { "  " }),
                    Span::styled(cell(info.code, 4), theme.heading()),
                    Span::raw(fit(
                        &format!(
                            "{}{}",
                            info.meaning,
                            if info.needs_note { " (note)" } else { "" }
                        ),
                        meaning_width - 1,
                    )),
                    Span::raw(" "),
                    Span::raw(info.class.short()),
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

fn draw_input(frame: &mut Frame, input: &InputState, theme: Theme) {
    let inner_width = usize::from(frame.area().width.min(76).saturating_sub(4)).max(1);
    let wrapped: usize = input
        .context
        .iter()
        .map(|l| l.chars().count().max(1).div_ceil(inner_width))
        .sum();
    let height = (wrapped as u16).saturating_add(6).min(22);
    let inner = popup(frame, 76, height, input.title.clone(), theme);
    let mut lines: Vec<Line> = input
        .context
        .iter()
        .map(|l| Line::from(l.clone()))
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::raw(input.prompt.clone()),
        Span::styled(format!("{}_", input.text), theme.heading()),
    ]));
    if let Some(e) = &input.error {
        lines.push(Line::from(Span::styled(format!("! {e}"), theme.warn())));
    }
    // Keep the field in view when the context is long: drop the oldest context first.
    let overflow = (wrapped + 3).saturating_sub(usize::from(inner.height));
    let skip = overflow.min(input.context.len());
    frame.render_widget(
        Paragraph::new(lines.split_off(skip)).wrap(Wrap { trim: false }),
        inner,
    );
}

fn draw_confirm(frame: &mut Frame, confirm: &ConfirmState, theme: Theme) {
    let height = (confirm.lines.len() as u16).saturating_add(4).min(22);
    let inner = popup(frame, 70, height, confirm.title.clone(), theme);
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let lines: Vec<Line> = confirm
        .lines
        .iter()
        .skip(confirm.scroll)
        .map(|l| Line::from(l.clone()))
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "enter: confirm \u{b7} esc: cancel",
            theme.heading(),
        )),
        footer,
    );
}

//! A register's state: one group's pupils for one session, the cursor, the name being
//! typed, the undo stack; and what the state itself can answer (who is where, whether the
//! register has closed, whether this person may change it).

use crate::app::action::ClearTarget;
use crate::app::nav::{ListTop, NameJump};
use crate::app::shared::Shared;
use crate::domain::marks::Mark;
use crate::domain::register::RegisterClock;
use crate::domain::session::Session;
use crate::service::protocol::{Expect, MarkRequest, RegisterId, RegisterRow, RegisterView};
use chrono::{NaiveDate, NaiveDateTime};

/// What one undo puts back.
#[derive(Clone, Debug)]
pub struct UndoItem {
    pub upn: String,
    pub before: Option<Mark>,
    /// What the change left: the undo is refused if the mark has changed since.
    pub after: Expect,
}

#[derive(Clone, Debug)]
pub struct RegisterScreen {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    pub view: Option<RegisterView>,
    pub cursor: usize,
    /// A name being typed to find a pupil.
    pub jump: NameJump,
    pub undo: Vec<Vec<UndoItem>>,
    /// The office's last amendment reason here: offered again for the next.
    pub last_reason: Option<String>,
    /// Where the pupil list was scrolled to when last drawn.
    pub top: ListTop,
}

/// What the register's dialogs ask.
#[derive(Clone, Debug)]
pub enum Ask {
    /// A name to jump to, as it is typed.
    Jump,
    /// The code for this pupil (the picker).
    Code { upn: String },
    /// A note for a code that needs one; then the mark.
    Note { request: MarkRequest },
    /// The reason for an amendment; then the mark.
    Reason { request: MarkRequest },
    /// One reason for many amendments at once (a paper register entered after the close).
    BulkReason { requests: Vec<MarkRequest> },
    /// Why a mark is cleared to blank (`required` after the close: an amendment).
    ClearReason {
        target: Box<ClearTarget>,
        required: bool,
    },
    /// A new arrival time for this pupil.
    ArrivalTime { upn: String },
    /// A teacher replacing the office's mark, deliberately.
    ReplaceOfficeMark(MarkRequest),
    /// Close the register: blanks become `N`.
    Close,
}

impl RegisterScreen {
    pub fn new(group: String, date: NaiveDate, session: Session) -> RegisterScreen {
        RegisterScreen {
            group,
            date,
            session,
            view: None,
            cursor: 0,
            jump: NameJump::default(),
            undo: Vec::new(),
            last_reason: None,
            top: Default::default(),
        }
    }

    /// Whether this is the register `id` names.
    pub fn is(&self, id: &RegisterId) -> bool {
        self.group == id.group && self.date == id.date && self.session == id.session
    }

    pub fn row(&self, upn: &str) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.iter().find(|r| r.upn == upn)
    }

    pub fn row_at_cursor(&self) -> Option<&RegisterRow> {
        self.view.as_ref()?.rows.get(self.cursor)
    }

    /// "Surname, Forename" of a pupil on this register.
    pub fn name_of(&self, upn: &str) -> Option<String> {
        self.row(upn)
            .map(|row| format!("{}, {}", row.surname, row.forename))
    }

    /// The register seen at `now`.
    pub fn clock(&self, now: NaiveDateTime) -> Option<RegisterClock> {
        self.view.as_ref().map(|v| RegisterClock {
            date: v.date,
            session: v.session,
            times: v.times,
            now,
            locked: v.closed.is_some(),
        })
    }

    /// Whether the register is closed (by a person or the clock).
    pub fn is_closed(&self, now: NaiveDateTime) -> bool {
        self.clock(now).is_some_and(|c| c.is_closed())
    }

    /// Why the signed-in person cannot change marks here, if they cannot.
    pub fn can_change(&self, shared: &Shared) -> Result<(), String> {
        let Some(view) = &self.view else {
            return Err("the register is still loading".into());
        };
        if shared.is_office() {
            if let Some(why) = &view.not_in_session {
                return Err(format!("not a school session: {why}"));
            }
            return Ok(());
        }
        if self.is_closed(shared.now) {
            return Err("this register is closed: it is read-only now, and changes are amendments made by the office".into());
        }
        view.can_mark.clone()
    }

    /// The pupil at the cursor, if the person may change marks here; otherwise why not is
    /// said.
    pub fn row_to_change(&self, shared: &mut Shared) -> Option<RegisterRow> {
        if let Err(why) = self.can_change(shared) {
            shared.error_text(why);
            return None;
        }
        self.row_at_cursor().cloned()
    }

    pub fn advance_cursor(&mut self) {
        let len = self.view.as_ref().map_or(0, |v| v.rows.len());
        self.cursor = (self.cursor + 1).min(len.saturating_sub(1));
    }

    /// The register's own request for a mark (group, date and session).
    pub fn request(&self, upn: &str) -> MarkRequest {
        MarkRequest {
            register: RegisterId {
                group: self.group.clone(),
                date: self.date,
                session: self.session,
            },
            upn: upn.to_string(),
            ..MarkRequest::default()
        }
    }
}

/// Characters a name can hold besides letters: while a search is on they extend it, so
/// "hussain, s" and "o'brien" are typed whole and never mark anyone.
pub fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, ' ' | ',' | '-' | '\'' | '\u{2019}' | '.')
}

/// The rows' names, (surname, forename) in list order, for the name search.
pub fn names(view: &RegisterView) -> impl Iterator<Item = (&str, &str)> {
    view.rows
        .iter()
        .map(|row| (row.surname.as_str(), row.forename.as_str()))
}

/// Replaces a row's mark and moves its figures (year to date, term) with it.
pub fn set_row_mark(view: &mut RegisterView, upn: &str, mark: Option<Mark>) {
    let date = view.date;
    let Some(row) = view.rows.iter_mut().find(|r| r.upn == upn) else {
        return;
    };
    let class = |m: &Option<Mark>| m.as_ref().map(|m| m.code.class_on(date));
    let (old, new) = (class(&row.mark), class(&mark));
    // A session that has not begun is in no figure (a planned absence ahead): the engine
    // counts it from its opening, and the screen reloads then.
    let counts = view.times.has_begun(date, view.now);
    for tally in [&mut row.ytd, &mut view.term_tally] {
        if !counts {
            break;
        }
        if let Some(c) = old {
            tally.remove_class(c);
        }
        if let Some(c) = new {
            tally.add_class(c);
        }
    }
    row.mark = mark;
}

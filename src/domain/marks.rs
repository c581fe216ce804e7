//! Marks and their history as the rules, the app and the wire see them: plain data. How the
//! store lays them out on disk is its own business (`store::rows`), so a change to either side
//! does not change the other.

use super::codes::Code;
use super::register::ChangeKind;
use super::session::Session;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// A session mark as it stands now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub code: Code,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
    /// The pupil's registration group when the mark was made.
    pub group: String,
    /// Operating-system account of whoever made the mark.
    pub recorded_by: String,
    /// Made by office staff, so a register can show pre-entries as protected.
    pub recorded_by_office: bool,
    pub recorded_at: NaiveDateTime,
}

impl Mark {
    pub fn entry(&self) -> MarkEntry {
        MarkEntry {
            code: self.code,
            arrived: self.arrived,
            minutes_late: self.minutes_late,
            note: self.note.clone(),
        }
    }
}

/// The part of a mark an amendment changes: what the register says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkEntry {
    pub code: Code,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
}

impl MarkEntry {
    /// "L 09:12 (+12)" or "M": how a mark reads in a history line.
    pub fn describe(&self) -> String {
        let mut text = self.code.to_string();
        if let Some(t) = self.arrived {
            text.push_str(&format!(" {:02}:{:02}", t.hour(), t.minute()));
        }
        if let Some(m) = self.minutes_late {
            text.push_str(&format!(" (+{m} min)"));
        }
        if let Some(note) = &self.note {
            text.push_str(&format!(" \u{2014} {note}"));
        }
        text
    }
}

/// One entry of the append-only history (SPEC §5): original, amended, reason, when, who.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where the change came from, when not a key pressed by the person named (or one
    /// `rollcall mark`): an import, a transfer file, a batch, a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// What the register said before; `None` for the first entry.
    pub before: Option<MarkEntry>,
    /// What it says after; `None` when a mark was withdrawn (undo before the close).
    pub after: Option<MarkEntry>,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
    pub account: String,
    pub name: String,
    pub position: String,
}

/// Where a change came from besides a key: recorded with each change, so its history says
/// exactly (not "whatever was imported that minute").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// `rollcall mark-batch`, from a file (or `-`, standard input).
    Batch { file: String },
    /// `rollcall import marks`: another system's registers.
    Import { file: String },
    /// A Common Transfer File from another school.
    TransferFile { file: String },
    /// A planned absence, by its number (`rollcall plans`).
    Plan { id: u32 },
    /// Entered for the sessions a pupil misses after signing out.
    SignOut,
    /// Taken in a lesson: the school takes its afternoon register in this period (SPEC §8.8).
    Lesson { period: String, class: String },
}

impl Source {
    /// Marks brought from another system: history, not work waiting (an imported `N` is not
    /// a pending task).
    pub fn is_import(&self) -> bool {
        matches!(self, Source::Import { .. } | Source::TransferFile { .. })
    }

    /// The source as stored: one short text, interned.
    pub fn to_text(&self) -> String {
        match self {
            Source::Batch { file } => format!("batch:{file}"),
            Source::Import { file } => format!("import:{file}"),
            Source::TransferFile { file } => format!("ctf:{file}"),
            Source::Plan { id } => format!("plan:{id}"),
            Source::SignOut => "sign-out".into(),
            // A period's name has no `/` (its check says so); a class's may.
            Source::Lesson { period, class } => format!("lesson:{period}/{class}"),
        }
    }

    /// The source a stored text stands for, if it is one.
    pub fn from_text(text: &str) -> Option<Source> {
        match text.split_once(':') {
            Some(("batch", file)) => Some(Source::Batch { file: file.into() }),
            Some(("import", file)) => Some(Source::Import { file: file.into() }),
            Some(("ctf", file)) => Some(Source::TransferFile { file: file.into() }),
            Some(("plan", id)) => id.parse().ok().map(|id| Source::Plan { id }),
            Some(("lesson", lesson)) => {
                lesson
                    .split_once('/')
                    .map(|(period, class)| Source::Lesson {
                        period: period.into(),
                        class: class.into(),
                    })
            }
            None if text == "sign-out" => Some(Source::SignOut),
            _ => None,
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Batch { file } => write!(f, "mark-batch from {file}"),
            Source::Import { file } => write!(f, "imported from {file}"),
            Source::TransferFile { file } => write!(f, "from the transfer file {file}"),
            Source::Plan { id } => write!(f, "planned absence {id}"),
            Source::SignOut => f.write_str("entered on signing out"),
            Source::Lesson { period, class } => write!(f, "taken in {class}'s {period} lesson"),
        }
    }
}

/// A register that someone has closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedRegister {
    pub closed_at: NaiveDateTime,
    pub closed_by: String,
    /// Blanks that became `N` on closing.
    pub filled: u32,
}

/// A pupil's place in a registration group, from `start` to `end` inclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub group: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Membership {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date <= end)
    }

    /// The same membership, ending on `last_day`.
    pub fn ended(self, last_day: NaiveDate) -> Membership {
        Membership {
            end: Some(last_day),
            ..self
        }
    }
}

/// One pupil's mark in one session: where a mark lives.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SessionKey {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
}

/// A teacher covering another group's register for a session (or, `account` `None`, a cover
/// taken away), and who arranged it when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub account: Option<String>,
    pub assigned_by: String,
    pub assigned_at: NaiveDateTime,
}

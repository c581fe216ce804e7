//! What a client asks: every request the engine answers, and which of them change something.

use super::casework::CaseRequest;
use super::desk::SignOutRequest;
use super::marks::{Expect, MarkRequest, PlanRequest, RegisterId};
use super::reports::{ReportBy, ReportFilter};
use crate::domain::people::Staff;
use crate::domain::session::Session;
use crate::domain::thresholds::ThresholdKind;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    Hello,
    Init {
        file: String,
        source: String,
    },
    StaffAdd {
        staff: Staff,
    },
    ImportPupils {
        file: String,
        csv: String,
        from: Option<NaiveDate>,
        end_missing: bool,
        /// Say what would change, and save nothing.
        #[serde(default)]
        dry_run: bool,
    },
    Mark(MarkRequest),
    /// Several marks saved together, all or none (everyone else present).
    MarkMany {
        marks: Vec<MarkRequest>,
    },
    /// Takes back the acting person's last change to one mark: what it replaced is put back
    /// exactly (an office entry included), or the mark withdrawn if there was none.
    Undo {
        register: RegisterId,
        upn: String,
        /// The code the client saw; refused if the mark has changed since.
        expect: Expect,
    },
    /// Clears a mark back to blank: a change like any other, kept in the history (a mistaken
    /// mark, or a planned absence that is off). After the close it is an amendment with a reason.
    Clear {
        register: RegisterId,
        upn: String,
        reason: Option<String>,
        /// The code the client saw; refused if the mark has changed since.
        expect: Expect,
    },
    Close(RegisterId),
    PlanAbsence(PlanRequest),
    /// Casework: leave requests and penalty notices (`CaseRequest`).
    Casework(CaseRequest),
    /// Lesson registers and missing pupils (`LessonRequest`).
    Lesson(super::lessons::LessonRequest),
    /// Publishing to a trust's database (`PublishRequest`).
    Publish(super::publish::PublishRequest),
    /// Office: the planned absences for a pupil or a group (or every one), newest first.
    Plans {
        #[serde(default)]
        upn: Option<String>,
        #[serde(default)]
        group: Option<String>,
    },
    /// Office: a plan withdrawn as a whole: each session it wrote that has not begun and
    /// still holds its mark is cleared, audited with the reason.
    WithdrawPlan {
        id: u32,
        reason: String,
    },
    /// Office: a teacher takes a group's registers for a date's sessions (`None`: no cover).
    AssignCover {
        group: String,
        date: NaiveDate,
        sessions: Vec<Session>,
        account: Option<String>,
    },
    /// Every cover change for a date, in order: who arranged what, when (office).
    CoverLog {
        date: NaiveDate,
    },
    /// One page of the marks in a range: at most `limit` rows (and never more than
    /// [`EXPORT_PAGE`]), after the key `after`; the reply says where the next page starts.
    ExportMarks {
        from: NaiveDate,
        to: NaiveDate,
        group: Option<String>,
        #[serde(default)]
        after: Option<crate::domain::marks::SessionKey>,
        #[serde(default)]
        limit: Option<u32>,
    },
    Report {
        from: NaiveDate,
        to: NaiveDate,
        by: ReportBy,
        #[serde(default)]
        filter: ReportFilter,
    },
    Alerts {
        on: Option<NaiveDate>,
    },
    /// Office: something was done about a pupil's alert today (a call, a letter, a meeting).
    /// `session` picks one unresolved `N` when the pupil has several.
    ActOnAlert {
        upn: String,
        kind: ThresholdKind,
        #[serde(default)]
        session: Option<(NaiveDate, Session)>,
        note: String,
    },
    History {
        upn: String,
        date: NaiveDate,
        session: Session,
    },
    ClassList {
        date: Option<NaiveDate>,
    },
    Register(RegisterId),
    FindPupils {
        query: String,
        date: Option<NaiveDate>,
    },
    NQueue {
        on: Option<NaiveDate>,
    },
    /// Office: every pupil away or not yet marked this session, and the registers missing.
    Today {
        date: Option<NaiveDate>,
        session: Option<Session>,
    },
    /// Office: a first-day absence followed up (a call to the family), with a note.
    Contacted {
        upn: String,
        date: Option<NaiveDate>,
        note: String,
        /// The code the family's reason leads to: recorded for `session` in the same step
        /// (an `N` resolved, a blank filled), never over a mark that says the pupil is in.
        #[serde(default)]
        code: Option<String>,
        #[serde(default)]
        session: Option<Session>,
    },
    /// Office: remind a group's tutors (and cover) to take a register, on their screens now.
    Remind {
        group: String,
        date: Option<NaiveDate>,
        session: Session,
    },
    /// Who is on site this session, by group: the fire list.
    OnSite {
        date: Option<NaiveDate>,
        session: Option<Session>,
    },
    /// Office: a pupil leaves before the end of the day. The mark stays; the fire list changes.
    SignOut(SignOutRequest),
    /// Office: a pupil who signed out is back in school (on the fire list again).
    SignBackIn {
        upn: String,
        date: Option<NaiveDate>,
        at: Option<NaiveTime>,
    },
    /// A pupil's school year as the paper register shows it, with the year's figures.
    PupilYear {
        upn: String,
        date: Option<NaiveDate>,
    },
    /// Office: every pupil at a stage of the school's intervention, with what is due and what
    /// was done.
    Stages {
        on: Option<NaiveDate>,
    },
    /// Office: a stage's action done for a pupil (a meeting held), with a note.
    StageDone {
        upn: String,
        stage: String,
        note: String,
        /// The stage was skipped, `note` saying why (it moves the pupil on as done does).
        #[serde(default)]
        skipped: bool,
    },
    /// A group's week as a grid (the weekly register), and the weekly attendance of the
    /// group and the school over the weeks before it.
    GroupWeek {
        group: String,
        date: Option<NaiveDate>,
    },
    /// A Common Transfer File for a group's pupils or the pupils named (office).
    ExportCtf {
        group: Option<String>,
        #[serde(default)]
        upns: Vec<String>,
        dest_la: String,
        dest_estab: String,
    },
    /// Admin: pupils and their attendance from a Common Transfer File, all or nothing.
    ImportCtf {
        file: String,
        xml: String,
        #[serde(default)]
        dry_run: bool,
    },
    /// Every pupil with what the DfE's files carry about them (the daily feed's columns).
    Roster,
    /// The school census's attendance: per pupil of compulsory school age over the period,
    /// possible, authorised and unauthorised sessions, and absence by reason.
    Census {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Admin: marks from another system (a CSV as `export marks` writes it), all or nothing.
    ImportMarks {
        file: String,
        csv: String,
        #[serde(default)]
        dry_run: bool,
        /// Another school's registers: kept apart under that school, in none of this
        /// school's figures (SPEC §6.1). `None`: this school's own.
        #[serde(default)]
        school: Option<crate::domain::people::OtherSchool>,
    },
    /// Admin: a consistent copy of the database at `path` (absolute, not yet existing), as
    /// of one commit, while marking goes on.
    Backup {
        path: String,
        /// Beside the copy, the pupils, their groups and every mark as plain CSV
        /// (`NAME.pupils.csv`, `NAME.groups.csv`, `NAME.marks.csv`): readable whatever becomes of this program.
        #[serde(default)]
        archive: bool,
    },
    /// Server only: keep this connection open and push [`Event`]s down it.
    Subscribe,
}

impl Request {
    /// Whether the request changes anything: if its reply is lost, whether it was done is not
    /// known until someone looks.
    pub fn changes_something(&self) -> bool {
        if let Request::Casework(c) = self {
            return c.changes_something();
        }
        if let Request::Lesson(l) = self {
            return l.changes_something();
        }
        if let Request::Publish(p) = self {
            return p.changes_something();
        }
        !matches!(
            self,
            Request::Hello
                | Request::ExportMarks { .. }
                | Request::Report { .. }
                | Request::Alerts { .. }
                | Request::History { .. }
                | Request::ClassList { .. }
                | Request::Register(_)
                | Request::FindPupils { .. }
                | Request::NQueue { .. }
                | Request::Today { .. }
                | Request::OnSite { .. }
                | Request::PupilYear { .. }
                | Request::GroupWeek { .. }
                | Request::Stages { .. }
                | Request::Plans { .. }
                | Request::Census { .. }
                | Request::Roster
                | Request::ExportCtf { .. }
                | Request::Subscribe
        )
    }

    /// Every date the request carries: each is checked before any rule computes with it.
    pub fn dates(&self) -> Vec<NaiveDate> {
        match self {
            Request::ImportPupils { from, .. } => from.iter().copied().collect(),
            Request::Mark(m) => vec![m.register.date],
            Request::MarkMany { marks } => marks.iter().map(|m| m.register.date).collect(),
            Request::Undo { register, .. }
            | Request::Clear { register, .. }
            | Request::Close(register)
            | Request::Register(register) => vec![register.date],
            Request::AssignCover { date, .. }
            | Request::CoverLog { date }
            | Request::History { date, .. } => vec![*date],
            Request::PlanAbsence(p) => vec![p.from, p.to],
            Request::Casework(c) => c.dates(),
            Request::Lesson(l) => l.dates(),
            Request::ActOnAlert { session, .. } => session.iter().map(|(d, _)| *d).collect(),
            Request::ExportMarks { from, to, .. }
            | Request::Report { from, to, .. }
            | Request::Census { from, to } => {
                vec![*from, *to]
            }
            Request::Alerts { on } | Request::NQueue { on } | Request::Stages { on } => {
                on.iter().copied().collect()
            }
            Request::StageDone { .. }
            | Request::Plans { .. }
            | Request::WithdrawPlan { .. }
            | Request::Backup { .. }
            | Request::ImportMarks { .. }
            | Request::ExportCtf { .. }
            | Request::ImportCtf { .. } => Vec::new(),
            Request::Today { date, .. }
            | Request::Contacted { date, .. }
            | Request::Remind { date, .. }
            | Request::OnSite { date, .. }
            | Request::SignOut(SignOutRequest { date, .. })
            | Request::SignBackIn { date, .. }
            | Request::PupilYear { date, .. }
            | Request::GroupWeek { date, .. } => date.iter().copied().collect(),
            Request::ClassList { date } | Request::FindPupils { date, .. } => {
                date.iter().copied().collect()
            }
            Request::Hello
            | Request::Roster
            | Request::Init { .. }
            | Request::StaffAdd { .. }
            | Request::Publish(_)
            | Request::Subscribe => Vec::new(),
        }
    }
}

/// The most rows one page of an export carries: a few megabytes on the wire, so a year of a
/// large school crosses the socket in pieces and nobody holds all of it at once.
pub const EXPORT_PAGE: u32 = 10_000;

//! Requests and replies: the one interface through which the CLI and the app reach the rules,
//! whether the engine runs in-process or behind `rollcall serve`. Everything here is plain
//! serde data, so the same values cross a Unix socket as JSON.

use crate::clock::ClockInfo;
use crate::domain::people::{Staff, YearGroup};
use crate::domain::register::{ChangeKind, RegisterStatus};
use crate::domain::session::{Session, SessionTimes};
use crate::domain::stats::Tally;
use crate::domain::thresholds::{SessionMark, ThresholdKind};
use crate::store::{ChangeRecord, ClosedRegister, MarkRecord};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
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
    },
    Mark(MarkRequest),
    /// Several marks saved together, all or none (everyone else present).
    MarkMany {
        marks: Vec<MarkRequest>,
    },
    Undo {
        group: String,
        date: NaiveDate,
        session: Session,
        upn: String,
        /// The code the client saw; refused if the mark has changed since.
        expect: Option<String>,
    },
    Close {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    PlanAbsence(PlanRequest),
    ExportMarks {
        from: NaiveDate,
        to: NaiveDate,
        group: Option<String>,
    },
    Report {
        from: NaiveDate,
        to: NaiveDate,
        by: ReportBy,
    },
    Alerts {
        on: Option<NaiveDate>,
    },
    History {
        upn: String,
        date: NaiveDate,
        session: Session,
    },
    ClassList {
        date: Option<NaiveDate>,
    },
    Register {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    FindPupils {
        query: String,
        date: Option<NaiveDate>,
    },
    NQueue {
        on: Option<NaiveDate>,
    },
    /// Server only: keep this connection open and push [`Event`]s down it.
    Subscribe,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRequest {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub code: String,
    /// For `L` and `U` (and any arrival): the code is derived from this and the close time.
    pub arrived: Option<NaiveTime>,
    pub note: Option<String>,
    /// Needed once the register has closed: the change is an amendment.
    pub reason: Option<String>,
    /// The code the client saw (`Some(None)`: no mark). If the mark has changed since, the
    /// request is refused rather than silently overwriting someone else's mark.
    pub expect: Option<Option<String>>,
    /// A teacher replacing a mark the office pre-entered has confirmed it.
    pub replace_office_mark: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanRequest {
    pub upn: String,
    pub from: NaiveDate,
    pub from_session: Session,
    pub to: NaiveDate,
    pub to_session: Session,
    pub code: String,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ReportBy {
    Pupil,
    Group,
    Year,
    School,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Response {
    Hello(Hello),
    Done { message: String },
    Imported(ImportSummary),
    Marked(MarkOutcome),
    MarkedMany { outcomes: Vec<MarkOutcome> },
    Closed(CloseSummary),
    Planned(PlanSummary),
    Marks { rows: Vec<ExportRow> },
    Report { rows: Vec<ReportRow> },
    Alerts { alerts: Vec<Alert> },
    History(MarkHistory),
    ClassList(ClassList),
    Register(RegisterView),
    Pupils { pupils: Vec<PupilHit> },
    NQueue { items: Vec<NItem> },
    Subscribed,
}

/// Pushed by a server to subscribed clients when something they may be showing changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A mark was saved (`mark`) or withdrawn (`None`): a register on screen applies it in
    /// place, with no reload.
    Marked {
        group: String,
        date: NaiveDate,
        session: Session,
        upn: String,
        mark: Option<MarkRecord>,
    },
    Closed {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    /// Configuration, staff or pupils changed: reload everything.
    Reload,
    /// Never sent by a server: the client's own notice that its connection was lost.
    Disconnected { reason: String },
}

impl Event {
    /// The push for a mark saved in `group`.
    pub fn saved(group: &str, outcome: &MarkOutcome) -> Event {
        Event::Marked {
            group: group.to_string(),
            date: outcome.date,
            session: outcome.session,
            upn: outcome.upn.clone(),
            mark: Some(outcome.mark.clone()),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hello {
    pub me: Staff,
    pub school: String,
    pub clock: ClockInfo,
    pub server: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub moved: usize,
    pub unchanged: usize,
    /// Pupils on roll who were not in the file (left alone unless `end_missing`).
    pub not_in_file: usize,
    pub ended: usize,
    pub from: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkOutcome {
    pub upn: String,
    pub date: NaiveDate,
    pub session: Session,
    pub mark: MarkRecord,
    pub kind: ChangeKind,
    /// False when the mark already said exactly this: nothing was written.
    pub changed: bool,
    /// Why the stored code differs from the one asked for, in words ("arrived 09:41, after
    /// the register closed at 09:30: recorded as U").
    pub explanation: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CloseSummary {
    pub group: String,
    pub date: NaiveDate,
    pub session: Session,
    /// Pupils who had no mark and now have `N`.
    pub filled: Vec<String>,
    /// Code → count, after the close.
    pub codes: Vec<(String, u32)>,
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanSummary {
    pub marked: Vec<(NaiveDate, Session)>,
    /// Sessions left alone, with why.
    pub skipped: Vec<(NaiveDate, Session, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRow {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub group: String,
    pub code: String,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportRow {
    /// UPN, group name, year group or the school's name.
    pub key: String,
    /// Pupil's name, or the number of pupils for an aggregate.
    pub label: String,
    pub pupils: u32,
    pub tally: Tally,
    pub attendance_pct: Option<f64>,
    pub absence_pct: Option<f64>,
    /// For a pupil 1 or 0; for an aggregate, how many of its pupils.
    pub pa: u32,
    pub sa: u32,
    pub band: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Alert {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub kind: ThresholdKind,
    pub summary: String,
    pub evidence: Vec<SessionMark>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkHistory {
    pub upn: String,
    pub name: String,
    pub date: NaiveDate,
    pub session: Session,
    pub current: Option<MarkRecord>,
    pub changes: Vec<ChangeRecord>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassList {
    pub date: NaiveDate,
    pub now: NaiveDateTime,
    /// Why each session is not a school session, if it is not.
    pub not_in_session: [Option<String>; 2],
    pub times: [SessionTimes; 2],
    pub groups: Vec<GroupRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub tutors: Vec<String>,
    /// The signed-in person is one of its tutors.
    pub mine: bool,
    pub sessions: [SessionSummary; 2],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionSummary {
    pub status: RegisterStatus,
    pub marked: u32,
    pub on_roll: u32,
    pub missing: bool,
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterView {
    pub group: String,
    pub tutors: Vec<String>,
    pub date: NaiveDate,
    pub session: Session,
    pub times: SessionTimes,
    pub now: NaiveDateTime,
    pub closed: Option<ClosedRegister>,
    pub not_in_session: Option<String>,
    pub rows: Vec<RegisterRow>,
    /// The group's figures from the start of term to this session, this session included.
    pub term_tally: Tally,
    /// Whether the signed-in person may mark this register now, and if not, why.
    pub can_mark: Result<(), String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterRow {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub year: YearGroup,
    pub mark: Option<MarkRecord>,
    /// Year-to-date figures, this session included.
    pub ytd: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilHit {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub year: YearGroup,
    pub group: Option<String>,
    pub marks: [Option<MarkRecord>; 2],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NItem {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub name: String,
    pub group: String,
    pub deadline: NaiveDate,
    /// School days left before the deadline; negative once overdue.
    pub days_left: i64,
    pub recorded_by: String,
}

//! What the engine answers: one reply per request, and the greeting that says who is connected.

use super::desk::{Alert, GroupWeek, OnSiteView, PupilStage, PupilYear, TodayView};
use super::exchange::{
    BackupSummary, CensusRow, CtfImported, ImportSummary, MarksImported, Roster,
};
use super::marks::{
    CloseSummary, ExportRow, MarkHistory, MarkOutcome, PlanInfo, PlanSummary, PlanWithdrawn,
};
use super::registers::{ClassList, CoverChange, NItem, PupilHit, RegisterView};
use super::reports::ReportRow;
use crate::clock::ClockInfo;
use crate::domain::codes::Code;
use crate::domain::marks::Mark;
use crate::domain::people::Staff;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Response {
    Hello(Hello),
    Done {
        message: String,
    },
    Imported(ImportSummary),
    Marked(MarkOutcome),
    MarkedMany {
        outcomes: Vec<MarkOutcome>,
    },
    /// An undo or a clear: the mark as it is now (`None`: no mark), and what happened.
    Reverted {
        upn: String,
        mark: Option<Mark>,
        message: String,
    },
    Closed(CloseSummary),
    CoverLog {
        changes: Vec<CoverChange>,
    },
    Planned(PlanSummary),
    Plans {
        plans: Vec<PlanInfo>,
    },
    PlanWithdrawn(PlanWithdrawn),
    Cases {
        cases: Vec<super::casework::CaseView>,
    },
    Lesson(Box<super::lessons::LessonResponse>),
    Publish(Box<super::publish::PublishResponse>),
    Suspensions {
        pupils: Vec<super::casework::Suspended>,
    },
    /// A step on a case taken: the case as it is now, and what was done, in words.
    CaseDone {
        case: Box<super::casework::CaseView>,
        message: String,
    },
    Marks {
        rows: Vec<ExportRow>,
        /// Where the next page starts, if there is more.
        #[serde(default)]
        next: Option<crate::domain::marks::SessionKey>,
    },
    Report {
        rows: Vec<ReportRow>,
    },
    Alerts {
        alerts: Vec<Alert>,
    },
    History(MarkHistory),
    ClassList(ClassList),
    Register(RegisterView),
    Pupils {
        pupils: Vec<PupilHit>,
    },
    NQueue {
        items: Vec<NItem>,
    },
    Today(TodayView),
    OnSite(OnSiteView),
    PupilYear(Box<PupilYear>),
    GroupWeek(GroupWeek),
    Stages {
        pupils: Vec<PupilStage>,
    },
    Backup(BackupSummary),
    MarksImported(MarksImported),
    Census {
        rows: Vec<CensusRow>,
    },
    Roster(Roster),
    Ctf {
        xml: String,
        pupils: u32,
        marks: u32,
    },
    CtfImported(CtfImported),
    Subscribed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hello {
    pub me: Staff,
    pub school: String,
    /// The codes this school lets teachers enter.
    #[serde(default)]
    pub teacher_codes: Vec<Code>,
    pub clock: ClockInfo,
    pub server: bool,
    /// The server's release (`crate::service::release`): empty from a server older than the
    /// comparison.
    #[serde(default)]
    pub version: String,
    /// The school's terms (name, first and last day): what "this term" means to a command.
    #[serde(default)]
    pub terms: Vec<(String, chrono::NaiveDate, chrono::NaiveDate)>,
}

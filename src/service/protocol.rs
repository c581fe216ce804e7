//! Requests and replies: the one interface through which the CLI and the app reach the rules,
//! whether the engine runs in-process or behind `rollcall serve`. Everything here is plain
//! serde data, so the same values cross a Unix socket as JSON.

use crate::clock::ClockInfo;
use crate::domain::codes::Code;
use crate::domain::marks::{Change, ClosedRegister, Mark};
use crate::domain::people::{Staff, YearGroup};
use crate::domain::register::{ChangeKind, RegisterStatus};
use crate::domain::session::{Session, SessionTimes};
use crate::domain::stats::Tally;
use crate::domain::thresholds::{ActedOn, SessionMark, ThresholdKind};
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
        group: String,
        date: NaiveDate,
        session: Session,
        upn: String,
        /// The code the client saw; refused if the mark has changed since.
        expect: Expect,
    },
    /// Clears a mark back to blank: a change like any other, kept in the history (a mistaken
    /// mark, or a planned absence that is off). After the close it is an amendment with a reason.
    Clear {
        group: String,
        date: NaiveDate,
        session: Session,
        upn: String,
        reason: Option<String>,
        /// The code the client saw; refused if the mark has changed since.
        expect: Expect,
    },
    Close {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    PlanAbsence(PlanRequest),
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
    SignOut {
        upn: String,
        date: Option<NaiveDate>,
        at: Option<NaiveTime>,
        reason: String,
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
    },
    /// Admin: a consistent copy of the database at `path` (absolute, not yet existing), as
    /// of one commit, while marking goes on.
    Backup {
        path: String,
    },
    /// Server only: keep this connection open and push [`Event`]s down it.
    Subscribe,
}

impl Request {
    /// Whether the request changes anything: if its reply is lost, whether it was done is not
    /// known until someone looks.
    pub fn changes_something(&self) -> bool {
        !matches!(
            self,
            Request::Hello
                | Request::ExportMarks { .. }
                | Request::Report { .. }
                | Request::Alerts { .. }
                | Request::History { .. }
                | Request::ClassList { .. }
                | Request::Register { .. }
                | Request::FindPupils { .. }
                | Request::NQueue { .. }
                | Request::Today { .. }
                | Request::OnSite { .. }
                | Request::PupilYear { .. }
                | Request::GroupWeek { .. }
                | Request::Stages { .. }
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
            Request::Mark(m) => vec![m.date],
            Request::MarkMany { marks } => marks.iter().map(|m| m.date).collect(),
            Request::Undo { date, .. }
            | Request::Clear { date, .. }
            | Request::AssignCover { date, .. }
            | Request::CoverLog { date }
            | Request::Close { date, .. }
            | Request::History { date, .. }
            | Request::Register { date, .. } => vec![*date],
            Request::PlanAbsence(p) => vec![p.from, p.to],
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
            | Request::Backup { .. }
            | Request::ImportMarks { .. }
            | Request::ExportCtf { .. }
            | Request::ImportCtf { .. } => Vec::new(),
            Request::Today { date, .. }
            | Request::Contacted { date, .. }
            | Request::Remind { date, .. }
            | Request::OnSite { date, .. }
            | Request::SignOut { date, .. }
            | Request::PupilYear { date, .. }
            | Request::GroupWeek { date, .. } => date.iter().copied().collect(),
            Request::ClassList { date } | Request::FindPupils { date, .. } => {
                date.iter().copied().collect()
            }
            Request::Hello
            | Request::Roster
            | Request::Init { .. }
            | Request::StaffAdd { .. }
            | Request::Subscribe => Vec::new(),
        }
    }
}

/// The most rows one page of an export carries: a few megabytes on the wire, so a year of a
/// large school crosses the socket in pieces and nobody holds all of it at once.
pub const EXPORT_PAGE: u32 = 10_000;

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
    /// What the client saw. If the mark has changed since, the request is refused rather than
    /// silently overwriting someone else's mark.
    pub expect: Expect,
    /// A teacher replacing a mark the office pre-entered has confirmed it.
    pub replace_office_mark: bool,
}

impl MarkRequest {
    /// Whether a stored code is what this request asked for: an arrival code (present, `L`,
    /// `U`) may have been decided by the clock.
    pub fn fits(&self, stored: Code) -> bool {
        let asked = self.code.trim();
        match Code::parse(asked).or_else(|| Code::parse(&asked.to_ascii_uppercase())) {
            Some(asked) if asked.is_arrival() => stored.is_arrival(),
            Some(asked) => asked == stored,
            None => false,
        }
    }
}

/// The mark a client saw when it asked for a change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Whatever is there now: a script's `mark` means what it says.
    #[default]
    Anything,
    /// No mark.
    Blank,
    /// A mark with this code.
    Code(Code),
}

impl Expect {
    /// What a screen showing `mark` expects.
    pub fn shown(mark: Option<&Mark>) -> Expect {
        mark.map_or(Expect::Blank, |m| Expect::Code(m.code))
    }

    /// Whether the mark there now is the one expected.
    pub fn holds(self, current: Option<Code>) -> bool {
        match self {
            Expect::Anything => true,
            Expect::Blank => current.is_none(),
            Expect::Code(code) => current == Some(code),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanRequest {
    /// The pupil; empty when the plan is for a whole `group`.
    pub upn: String,
    /// Every pupil on this group's roll on each date, instead of one pupil.
    #[serde(default)]
    pub group: Option<String>,
    /// Only sessions matching one of these (`tue:am`, `wed:pm`): a weekly pattern until `to`.
    #[serde(default)]
    pub every: Vec<crate::domain::desk::Weekly>,
    pub from: NaiveDate,
    pub from_session: Session,
    pub to: NaiveDate,
    pub to_session: Session,
    pub code: String,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportBy {
    Pupil,
    Group,
    Year,
    School,
}

/// Which pupils a report counts, and whether it is set beside the period before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Only pupils of compulsory school age (5 to 15 on the previous 31 August), as DfE
    /// headline figures count.
    #[serde(default)]
    pub compulsory_age: bool,
    /// Only persistently (or severely) absent pupils over the period.
    #[serde(default)]
    pub only: Option<AbsenceLevel>,
    /// Also count the period of the same length just before, row by row.
    #[serde(default)]
    pub compare: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AbsenceLevel {
    /// Persistent absence: 10% or more (severe included).
    Pa,
    /// Severe absence: 50% or more.
    Sa,
}

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
    PupilYear(PupilYear),
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
        mark: Option<Mark>,
    },
    Closed {
        group: String,
        date: NaiveDate,
        session: Session,
    },
    /// Configuration, staff or pupils changed: reload everything.
    Reload,
    /// The office wrote in its desk log for a day (a call, a sign-out, a stage's action):
    /// only the desk's screens need it, never a register or the class list.
    Desk { date: NaiveDate },
    /// The office asks these accounts to take a register: shown on their screens at once.
    Reminder { accounts: Vec<String>, text: String },
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

    /// The push for a mark as it now stands (`None`: no mark) after an undo or a clear.
    pub fn now_stands(
        group: &str,
        key: &crate::domain::marks::SessionKey,
        mark: Option<Mark>,
    ) -> Event {
        Event::Marked {
            group: group.to_string(),
            date: key.date,
            session: key.session,
            upn: key.upn.clone(),
            mark,
        }
    }
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
    /// What changes, pupil by pupil: "new", "details", "moves", "leaves", "not in the file".
    #[serde(default)]
    pub changes: Vec<String>,
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkOutcome {
    pub upn: String,
    pub date: NaiveDate,
    pub session: Session,
    pub mark: Mark,
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
    pub codes: Vec<(Code, u32)>,
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanSummary {
    pub marked: Vec<(NaiveDate, Session)>,
    /// Sessions left alone, with why (and whose, for a group's plan).
    pub skipped: Vec<(NaiveDate, Session, String)>,
    /// Pupils marked, for a group's plan.
    #[serde(default)]
    pub pupils: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRow {
    pub date: NaiveDate,
    pub session: Session,
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub group: String,
    pub code: Code,
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
    /// Counts by code, lateness and absence by weekday.
    #[serde(default)]
    pub detail: crate::domain::figures::Detail,
    /// The same key over the period before, when asked for.
    #[serde(default)]
    pub previous: Option<PreviousPeriod>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreviousPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub possible: u32,
    pub attendance_pct: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Alert {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub kind: ThresholdKind,
    pub summary: String,
    pub evidence: Vec<SessionMark>,
    /// What was done about it, while that still stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acted: Option<ActedOn>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MarkHistory {
    pub upn: String,
    pub name: String,
    pub date: NaiveDate,
    pub session: Session,
    pub current: Option<Mark>,
    pub changes: Vec<Change>,
    /// The mark came from an import: which file, and how many marks it brought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<String>,
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
    /// The signed-in person is one of its tutors, or covers it today.
    pub mine: bool,
    /// The teacher covering it today, by name, if anyone.
    #[serde(default)]
    pub cover: Option<String>,
    pub sessions: [SessionSummary; 2],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionSummary {
    pub status: RegisterStatus,
    pub marked: u32,
    pub on_roll: u32,
    pub missing: bool,
    pub tally: Tally,
    /// The session has begun and someone has marked in it (not only pre-entries): its
    /// percentage means something.
    #[serde(default)]
    pub started: bool,
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
    /// Tells two pupils of one name apart.
    pub dob: NaiveDate,
    pub year: YearGroup,
    pub mark: Option<Mark>,
    /// Year-to-date figures, this session included.
    pub ytd: Tally,
}

/// One change to who covers a register.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoverChange {
    pub session: Session,
    pub group: String,
    pub cover: crate::domain::marks::Cover,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilHit {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub year: YearGroup,
    /// Tells apart two pupils of the same name.
    pub dob: NaiveDate,
    pub group: Option<String>,
    pub marks: [Option<Mark>; 2],
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

/// The office's view of a session: who is away or unmarked, and which registers are missing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayView {
    pub date: NaiveDate,
    pub session: Session,
    /// Why the session is not a school session, if it is not.
    pub not_in_session: Option<String>,
    pub pupils: Vec<AwayPupil>,
    pub missing: Vec<MissingRegister>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayPupil {
    pub upn: String,
    pub name: String,
    pub group: String,
    /// `None`: not marked yet.
    pub code: Option<Code>,
    /// School days in a row away, today included when marked away.
    pub days_in_a_row: u32,
    /// Calls made today, oldest first.
    pub contacted: Vec<crate::domain::desk::DeskEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MissingRegister {
    pub group: String,
    /// Who takes it: the tutors by name, or the teacher covering it.
    pub takers: Vec<String>,
    pub marked: u32,
    pub on_roll: u32,
}

/// The fire list: pupils on site this session, by group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSiteView {
    pub date: NaiveDate,
    pub session: Session,
    pub now: NaiveDateTime,
    pub groups: Vec<OnSiteGroup>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSiteGroup {
    pub group: String,
    pub pupils: Vec<OnSitePupil>,
    /// Signed out earlier today: on the register, not in the building.
    pub signed_out: Vec<OnSitePupil>,
    /// Pupils on roll without a mark this session: not known either way.
    pub unmarked: Vec<OnSitePupil>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnSitePupil {
    pub upn: String,
    pub name: String,
    pub code: Option<Code>,
    pub arrived: Option<NaiveTime>,
    /// For a pupil signed out: when, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<(NaiveTime, String)>,
}

/// A pupil's year: a row per school week, two cells per weekday.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilYear {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub year: YearGroup,
    pub dob: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<WeekRow>,
    /// The year to date (to now).
    pub tally: Tally,
    pub detail: crate::domain::figures::Detail,
    pub band: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekRow {
    pub monday: NaiveDate,
    /// Monday to Friday, AM then PM.
    pub days: [DayCells; 5],
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DayCells {
    /// Not a school day (weekend, holiday, half term, closure).
    pub closed: bool,
    pub codes: [Option<Code>; 2],
}

/// Weeks of attendance the weekly chart shows, this one included.
pub const CHART_WEEKS: usize = 12;

/// A group's week: its pupils' ten sessions, and the weekly chart.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupWeek {
    pub group: String,
    pub monday: NaiveDate,
    /// Monday to Friday: not a school day.
    pub closed: [bool; 5],
    pub pupils: Vec<WeekPupil>,
    /// Oldest first, ending with this week: the group's and the school's attendance.
    pub weekly: Vec<WeekFigures>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekPupil {
    pub upn: String,
    pub name: String,
    pub days: [[Option<Code>; 2]; 5],
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekFigures {
    pub monday: NaiveDate,
    pub group: Tally,
    pub school: Tally,
}

/// A pupil at a stage of the school's intervention.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PupilStage {
    pub upn: String,
    pub name: String,
    pub group: Option<String>,
    pub stage: crate::domain::stages::Stage,
    /// Its place in the school's list, from 1.
    pub number: usize,
    /// What reached it.
    pub why: String,
    pub days_in_a_row: u32,
    pub year: Tally,
    /// Actions done this school year, at any stage, oldest first.
    pub done: Vec<crate::domain::desk::DeskEntry>,
}

/// What a backup holds, read back from the copy.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupSummary {
    pub path: String,
    pub schema: u32,
    pub pupils: u64,
    pub staff: u64,
    pub marks: u64,
    pub changes: u64,
    pub bytes: u64,
}

/// What an import of marks did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MarksImported {
    pub file: String,
    pub rows: u32,
    pub added: u32,
    /// Marks already there with another code or time: replaced, as amendments.
    pub replaced: u32,
    pub unchanged: u32,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Code → marks added or replaced.
    pub by_code: Vec<(String, u32)>,
    pub dry_run: bool,
}

/// One pupil's attendance for the school census.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CensusRow {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearGroup,
    pub tally: Tally,
    /// Absence code → sessions, for the codes counted as absence.
    pub absence: Vec<(Code, u32)>,
}

/// The school and its pupils as the DfE's files name them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Roster {
    pub urn: Option<String>,
    pub la: Option<String>,
    pub pupils: Vec<RosterPupil>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RosterPupil {
    pub pupil: crate::domain::people::Pupil,
    /// The first day of the pupil's first membership of a group.
    pub admitted: Option<NaiveDate>,
    /// The last day on roll, once the pupil has left every group.
    pub left: Option<NaiveDate>,
}

/// What a CTF import did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CtfImported {
    pub pupils_added: u32,
    pub pupils_known: u32,
    pub marks_added: u32,
    pub marks_unchanged: u32,
    pub dry_run: bool,
}

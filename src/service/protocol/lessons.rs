//! Lesson registers (SPEC §8.8): the timetable and classes coming in, a teacher's lessons and
//! a lesson's register, its marks, the missing pupils the attendance team looks for, and the
//! day's late arrivals to lessons.

use crate::domain::codes::Code;
use crate::domain::lessons::{Expected, LessonCode, LessonMark, MissingAction, MissingOutcome};
use crate::domain::people::Contact;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "lesson", rename_all = "snake_case")]
pub enum LessonRequest {
    /// Admin: the timetable (class, weekday, period, teacher, room[, week]), all or nothing.
    ImportTimetable {
        file: String,
        csv: String,
        #[serde(default)]
        dry_run: bool,
    },
    /// Admin: the teaching classes' pupils (class, upn[, subject]), all or nothing.
    ImportClasses {
        file: String,
        csv: String,
        #[serde(default)]
        dry_run: bool,
    },
    /// The lessons of a day: a teacher's own (the current one first); office staff every one.
    Day {
        date: Option<NaiveDate>,
        /// Office: only this teacher's.
        #[serde(default)]
        teacher: Option<String>,
    },
    /// One lesson's register.
    Register {
        class: String,
        date: NaiveDate,
        period: String,
    },
    /// A pupil's mark in a lesson.
    Mark {
        class: String,
        date: NaiveDate,
        period: String,
        upn: String,
        code: LessonCode,
        /// A late arrival's time (now when not given).
        #[serde(default)]
        arrived: Option<NaiveTime>,
    },
    /// Several pupils' marks in one lesson, saved together (all or none): a register
    /// entered from paper, a demo's day.
    MarkMany {
        class: String,
        date: NaiveDate,
        period: String,
        marks: Vec<LessonMarkEntry>,
    },
    /// Every pupil not yet marked present (and not expected away): present, in one save.
    AllPresent {
        class: String,
        date: NaiveDate,
        period: String,
    },
    /// The register taken: blanks become `N` (pupils expected away keep their reason).
    Close {
        class: String,
        date: NaiveDate,
        period: String,
    },
    /// Office: the day's missing pupils, open ones first.
    Missing { date: Option<NaiveDate> },
    /// Office: a missing pupil found (where) or the parents informed.
    Resolve {
        date: NaiveDate,
        period: String,
        upn: String,
        outcome: MissingOutcome,
        note: String,
    },
    /// The day's late arrivals to lessons (office), with minutes.
    Late { date: NaiveDate },
    /// Office: lesson registers not taken within the school's minutes of their start.
    NotTaken { date: Option<NaiveDate> },
    /// Office: lesson attendance over a period by pupil, class, subject or period, with
    /// post-registration truancy (present at registration, missing from lessons).
    Report {
        from: NaiveDate,
        to: NaiveDate,
        by: LessonReportBy,
    },
    /// Office: the teacher asked, on their screen, to take a lesson's register.
    Remind {
        class: String,
        date: NaiveDate,
        period: String,
    },
}

impl LessonRequest {
    pub fn changes_something(&self) -> bool {
        matches!(
            self,
            LessonRequest::ImportTimetable { dry_run: false, .. }
                | LessonRequest::ImportClasses { dry_run: false, .. }
                | LessonRequest::Mark { .. }
                | LessonRequest::MarkMany { .. }
                | LessonRequest::AllPresent { .. }
                | LessonRequest::Close { .. }
                | LessonRequest::Resolve { .. }
        )
    }

    pub fn dates(&self) -> Vec<NaiveDate> {
        match self {
            LessonRequest::Register { date, .. }
            | LessonRequest::Mark { date, .. }
            | LessonRequest::MarkMany { date, .. }
            | LessonRequest::AllPresent { date, .. }
            | LessonRequest::Close { date, .. }
            | LessonRequest::Resolve { date, .. }
            | LessonRequest::Remind { date, .. }
            | LessonRequest::Late { date } => vec![*date],
            LessonRequest::Report { from, to, .. } => vec![*from, *to],
            LessonRequest::Day { date, .. }
            | LessonRequest::Missing { date }
            | LessonRequest::NotTaken { date } => date.iter().copied().collect(),
            LessonRequest::ImportTimetable { .. } | LessonRequest::ImportClasses { .. } => {
                Vec::new()
            }
        }
    }
}

/// One pupil's mark among several in a lesson.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LessonMarkEntry {
    pub upn: String,
    pub code: LessonCode,
    #[serde(default)]
    pub arrived: Option<NaiveTime>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "lesson_reply", rename_all = "snake_case")]
pub enum LessonResponse {
    Imported(LessonsImported),
    Day {
        lessons: Vec<LessonSlot>,
    },
    Register(Box<LessonRegister>),
    /// What a mark (or marks) did, with the pupils' rows as they now stand.
    Marked {
        pupils: Vec<LessonPupil>,
        /// In the period the afternoon register is taken in: why a pupil's afternoon mark was
        /// left as it was (the office's `M` stands, the register has closed...).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        afternoon_kept: Vec<String>,
    },
    Missing {
        pupils: Vec<MissingPupil>,
    },
    Late {
        arrivals: Vec<LateToLesson>,
    },
    NotTaken {
        lessons: Vec<LessonSlot>,
    },
    Report {
        rows: Vec<LessonReportRow>,
    },
}

/// What a lesson report is broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonReportBy {
    Pupil,
    Class,
    Subject,
    Period,
}

/// A row of lesson attendance: the lesson marks counted, and how many pupils were missing
/// from lessons after registering (post-registration truancy).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonReportRow {
    /// UPN, class, subject or period.
    pub key: String,
    /// A pupil's name; for an aggregate, how many pupils.
    pub label: String,
    pub pupils: u32,
    pub lessons: u32,
    pub present: u32,
    pub late: u32,
    pub absent: u32,
    /// Present or late, of the lessons marked.
    pub attendance_pct: Option<f64>,
    pub minutes_late: u32,
    /// Lessons missed by a pupil the school knew was in (SPEC §8.8).
    pub missing: u32,
}

/// What an import of the timetable or the classes did (or would do).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LessonsImported {
    /// Lessons in the timetable, or classes.
    pub rows: u32,
    pub classes: u32,
    pub teachers: u32,
    pub dry_run: bool,
    /// What the two files leave undone, said and not refused (either may come first): a
    /// timetabled class no class list gives pupils, a class the timetable never teaches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A lesson of the day, as the class list and the desk show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonSlot {
    pub date: NaiveDate,
    pub period: String,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// Not taken by then, the register is missing (the school's minutes after the start).
    pub due: NaiveTime,
    pub class: String,
    pub subject: String,
    pub teacher: String,
    /// The teacher's name, as staff records give it.
    pub teacher_name: String,
    pub room: String,
    pub pupils: u32,
    pub marked: u32,
    /// Taken (closed): by whom and when.
    pub taken: Option<(String, NaiveDateTime)>,
    /// The school takes its afternoon register in this lesson: its marks are the pupils'
    /// statutory afternoon marks too.
    #[serde(default)]
    pub afternoon_register: bool,
}

/// A lesson's register.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LessonRegister {
    pub lesson: LessonSlot,
    pub pupils: Vec<LessonPupil>,
    /// The time the register was asked for: minutes late are counted against it.
    pub now: NaiveDateTime,
}

/// A pupil in a lesson's register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonPupil {
    pub upn: String,
    pub name: String,
    pub mark: Option<LessonMark>,
    /// The statutory session's code, shown beside the lesson's.
    pub statutory: Option<Code>,
    /// Why the pupil is expected away (a statutory absence code, a sign-out).
    pub expected: Option<Expected>,
    /// Marked `N` here though known to be in school: the attendance team has been told.
    pub missing: bool,
}

/// A pupil missing from a lesson (SPEC §8.8).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MissingPupil {
    pub date: NaiveDate,
    pub upn: String,
    pub name: String,
    pub period: String,
    pub class: String,
    pub teacher: String,
    pub room: String,
    /// When the lesson's `N` was recorded.
    pub marked_at: NaiveDateTime,
    /// Minutes since then, at the time of asking.
    pub minutes: i64,
    /// Past the school's minutes, and not found: inform the parents.
    pub inform_parents: bool,
    /// Who to call, in order (office).
    pub contacts: Vec<Contact>,
    /// What was done, oldest first; open until found.
    pub actions: Vec<MissingAction>,
    pub open: bool,
}

/// A late arrival to a lesson.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LateToLesson {
    pub upn: String,
    pub name: String,
    pub period: String,
    pub class: String,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub teacher: String,
}

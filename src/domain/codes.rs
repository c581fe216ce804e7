//! The national attendance codes (SPEC §2) as one table of data.
//!
//! Codes are strings of one or two characters. Every rule that depends on a code reads this
//! table: what it counts as, who may enter it, whether it needs a note, whether it is withdrawn.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a code counts in the statistics (SPEC §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatClass {
    /// Present (`/`, `\`, `L`).
    Present,
    /// Approved educational activity: counts as attendance.
    Aea,
    /// Authorised absence.
    Authorised,
    /// Unauthorised absence.
    Unauthorised,
    /// Not a possible session: left out of numerator and denominator.
    NotPossible,
}

impl StatClass {
    pub fn describe(self) -> &'static str {
        match self {
            StatClass::Present => "present",
            StatClass::Aea => "approved activity (counts as attendance)",
            StatClass::Authorised => "authorised absence",
            StatClass::Unauthorised => "unauthorised absence",
            StatClass::NotPossible => "not a possible session",
        }
    }

    /// Short form for narrow columns.
    pub fn short(self) -> &'static str {
        match self {
            StatClass::Present => "present",
            StatClass::Aea => "AEA",
            StatClass::Authorised => "auth",
            StatClass::Unauthorised => "unauth",
            StatClass::NotPossible => "not poss.",
        }
    }

    pub fn is_absence(self) -> bool {
        matches!(self, StatClass::Authorised | StatClass::Unauthorised)
    }
}

/// The groups the DfE guidance sorts codes into; the code picker shows them in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodeGroup {
    AttendingSchool,
    AttendingElsewhere,
    LeaveOfAbsence,
    OtherAuthorised,
    UnableToAttend,
    Unauthorised,
    Administrative,
    Withdrawn,
}

impl CodeGroup {
    pub fn title(self) -> &'static str {
        match self {
            CodeGroup::AttendingSchool => "Attending the school",
            CodeGroup::AttendingElsewhere => "Attending a place other than the school",
            CodeGroup::LeaveOfAbsence => "Leave of absence",
            CodeGroup::OtherAuthorised => "Other authorised absence",
            CodeGroup::UnableToAttend => "Unable to attend",
            CodeGroup::Unauthorised => "Unauthorised absence",
            CodeGroup::Administrative => "Administrative",
            CodeGroup::Withdrawn => "Withdrawn (old data only)",
        }
    }
}

/// Who may enter a code for a new mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    /// Class teachers and office staff.
    Teacher,
    /// Attendance and office staff only.
    Office,
    /// Never: a withdrawn code, readable in old data only.
    Withdrawn,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub meaning: &'static str,
    pub group: CodeGroup,
    pub class: StatClass,
    pub entry: Entry,
    /// The regulations ask for a note of the activity or circumstance.
    pub needs_note: bool,
}

impl CodeInfo {
    pub fn is_withdrawn(&self) -> bool {
        self.entry == Entry::Withdrawn
    }

    pub fn teacher_may_enter(&self) -> bool {
        self.entry == Entry::Teacher
    }

    /// The statistical class of this code on a given session date. `D` counted as an approved
    /// educational activity before September 2011 and as not possible since.
    pub fn class_on(&self, date: NaiveDate) -> StatClass {
        if self.code == "D" && date < dual_registration_change() {
            StatClass::Aea
        } else {
            self.class
        }
    }
}

/// The date from which `D` stopped counting as attendance (September 2011).
pub fn dual_registration_change() -> NaiveDate {
    NaiveDate::from_ymd_opt(2011, 9, 1).expect("valid constant date")
}

use CodeGroup as G;
use Entry as E;
use StatClass as S;

const fn code(
    code: &'static str,
    meaning: &'static str,
    group: CodeGroup,
    class: StatClass,
    entry: Entry,
    needs_note: bool,
) -> CodeInfo {
    CodeInfo {
        code,
        meaning,
        group,
        class,
        entry,
        needs_note,
    }
}

/// Every code rollcall knows, current ones first in the order of SPEC §2.
#[rustfmt::skip]
pub static CODES: &[CodeInfo] = &[
    code("/", "Present at the start of the AM register", G::AttendingSchool, S::Present, E::Teacher, false),
    code("\\", "Present at the start of the PM register", G::AttendingSchool, S::Present, E::Teacher, false),
    code("L", "Late: arrived after the register began, before it closed", G::AttendingSchool, S::Present, E::Teacher, false),
    code("K", "Education provision arranged by the local authority", G::AttendingElsewhere, S::Aea, E::Office, true),
    code("V", "Educational visit or trip supervised by school staff", G::AttendingElsewhere, S::Aea, E::Office, false),
    code("P", "Approved sporting activity", G::AttendingElsewhere, S::Aea, E::Office, false),
    code("W", "Work experience", G::AttendingElsewhere, S::Aea, E::Office, false),
    code("B", "Any other approved educational activity (not remote learning)", G::AttendingElsewhere, S::Aea, E::Office, true),
    code("D", "Dual registered: attending the other school", G::AttendingElsewhere, S::NotPossible, E::Office, false),
    code("C1", "Leave: regulated performance or regulated employment abroad", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code("M", "Leave: medical or dental appointment", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code("J1", "Leave: interview for employment or another institution", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code("S", "Leave: study leave for public examinations", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code("X", "Non-compulsory school age, not required to attend", G::LeaveOfAbsence, S::NotPossible, E::Office, false),
    code("C2", "Leave: temporary part-time timetable", G::LeaveOfAbsence, S::Authorised, E::Office, true),
    code("C", "Leave: exceptional circumstances", G::LeaveOfAbsence, S::Authorised, E::Office, true),
    code("T", "Parent travelling for occupational purposes", G::OtherAuthorised, S::Authorised, E::Office, false),
    code("R", "Religious observance (day set apart by the religious body)", G::OtherAuthorised, S::Authorised, E::Office, false),
    code("I", "Illness (not appointments)", G::OtherAuthorised, S::Authorised, E::Office, false),
    code("E", "Suspended or excluded, no alternative provision", G::OtherAuthorised, S::Authorised, E::Office, false),
    // SPEC marks Q as NPS "unverified": kept here, in this one table, so it is easy to change.
    code("Q", "Unable to attend: local authority access arrangements lacking", G::UnableToAttend, S::NotPossible, E::Office, false),
    code("Y1", "Unable to attend: transport normally provided not available", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y2", "Unable to attend: widespread disruption to travel", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y3", "Unable to attend: part of the school premises closed", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y4", "Unable to attend: whole school site unexpectedly closed", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y5", "Unable to attend: in criminal justice detention", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y6", "Unable to attend: public health guidance or law", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("Y7", "Unable to attend: any other unavoidable cause", G::UnableToAttend, S::NotPossible, E::Office, true),
    code("G", "Holiday not granted by the school", G::Unauthorised, S::Unauthorised, E::Office, false),
    code("N", "Reason for absence not yet provided", G::Unauthorised, S::Unauthorised, E::Teacher, false),
    code("O", "Absent in other or unknown circumstances", G::Unauthorised, S::Unauthorised, E::Office, false),
    code("U", "Arrived after the register closed", G::Unauthorised, S::Unauthorised, E::Office, false),
    code("Z", "Prospective pupil, not yet on the admission register", G::Administrative, S::NotPossible, E::Office, false),
    code("#", "Planned whole or partial school closure", G::Administrative, S::NotPossible, E::Office, false),
    // Withdrawn codes: read and counted as they were, never accepted for a new mark.
    code("H", "Agreed family holiday (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code("F", "Agreed extended family holiday (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code("J", "Interview (withdrawn; counted as attendance)", G::Withdrawn, S::Aea, E::Withdrawn, false),
    code("Y", "Enforced closure (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X01", "COVID-19: self-isolating (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X02", "COVID-19: shielding (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X03", "COVID-19: quarantine after travel (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X04", "COVID-19: restricted attendance (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X05", "COVID-19: clinically vulnerable (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("X06", "COVID-19: other (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code("I01", "COVID-19: illness, confirmed (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code("I02", "COVID-19: illness, suspected (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
];

/// Looks a code up exactly (codes are case-sensitive: `/` and `\` differ, letters are capitals).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// Codes that may be chosen for a new mark, in table order.
pub fn current_codes() -> impl Iterator<Item = &'static CodeInfo> {
    CODES.iter().filter(|c| !c.is_withdrawn())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("`{0}` is not an attendance code (see `rollcall codes`)")]
    Unknown(String),
    #[error(
        "`{0}` was withdrawn on 19 August 2024: it can be read in old registers but not used for a new mark"
    )]
    Withdrawn(String),
}

/// Resolves a code for a new mark: unknown and withdrawn codes are refused.
pub fn for_new_mark(code: &str) -> Result<&'static CodeInfo, CodeError> {
    let trimmed = code.trim();
    let info = lookup(trimmed)
        .or_else(|| lookup(&trimmed.to_ascii_uppercase()))
        .ok_or_else(|| CodeError::Unknown(trimmed.to_string()))?;
    if info.is_withdrawn() {
        return Err(CodeError::Withdrawn(info.code.to_string()));
    }
    Ok(info)
}

/// Classifies a stored code on its session date. Codes not in the table (which the store never
/// writes, but an old import might hold) count as not possible rather than failing a report.
pub fn class_of(code: &str, date: NaiveDate) -> StatClass {
    lookup(code).map_or(StatClass::NotPossible, |info| info.class_on(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_current_code_has_the_class_spec_gives_it() {
        let today = d(2026, 11, 23);
        let expect = [
            ("/", S::Present),
            ("\\", S::Present),
            ("L", S::Present),
            ("K", S::Aea),
            ("V", S::Aea),
            ("P", S::Aea),
            ("W", S::Aea),
            ("B", S::Aea),
            ("D", S::NotPossible),
            ("C1", S::Authorised),
            ("M", S::Authorised),
            ("J1", S::Authorised),
            ("S", S::Authorised),
            ("X", S::NotPossible),
            ("C2", S::Authorised),
            ("C", S::Authorised),
            ("T", S::Authorised),
            ("R", S::Authorised),
            ("I", S::Authorised),
            ("E", S::Authorised),
            ("Q", S::NotPossible),
            ("Y1", S::NotPossible),
            ("Y2", S::NotPossible),
            ("Y3", S::NotPossible),
            ("Y4", S::NotPossible),
            ("Y5", S::NotPossible),
            ("Y6", S::NotPossible),
            ("Y7", S::NotPossible),
            ("G", S::Unauthorised),
            ("N", S::Unauthorised),
            ("O", S::Unauthorised),
            ("U", S::Unauthorised),
            ("Z", S::NotPossible),
            ("#", S::NotPossible),
        ];
        assert_eq!(
            current_codes().count(),
            expect.len(),
            "one test row per current code"
        );
        for (code, class) in expect {
            assert_eq!(class_of(code, today), class, "class of {code}");
            assert!(for_new_mark(code).is_ok(), "{code} is current");
        }
    }

    #[test]
    fn withdrawn_codes_are_counted_as_they_were_and_refused_for_new_marks() {
        let old = d(2019, 3, 4);
        let expect = [
            ("H", S::Authorised),
            ("F", S::Authorised),
            ("J", S::Aea),
            ("Y", S::NotPossible),
            ("X01", S::NotPossible),
            ("X06", S::NotPossible),
            ("I01", S::Authorised),
            ("I02", S::Authorised),
        ];
        for (code, class) in expect {
            assert_eq!(class_of(code, old), class, "class of {code}");
            assert_eq!(
                for_new_mark(code),
                Err(CodeError::Withdrawn(code.to_string())),
                "{code} refused"
            );
        }
    }

    #[test]
    fn legacy_j_counts_present_and_j1_absent() {
        let date = d(2023, 5, 1);
        assert_eq!(class_of("J", date), S::Aea);
        assert_eq!(class_of("J1", d(2024, 9, 9)), S::Authorised);
    }

    #[test]
    fn d_was_attendance_before_september_2011() {
        assert_eq!(class_of("D", d(2011, 7, 20)), S::Aea);
        assert_eq!(class_of("D", d(2011, 9, 1)), S::NotPossible);
    }

    #[test]
    fn codes_are_strings_of_one_or_two_characters_except_withdrawn_covid_codes() {
        for info in current_codes() {
            assert!(
                (1..=2).contains(&info.code.chars().count()),
                "{}",
                info.code
            );
        }
    }

    #[test]
    fn unknown_codes_are_refused_by_name() {
        assert_eq!(for_new_mark("Q9"), Err(CodeError::Unknown("Q9".into())));
        assert_eq!(for_new_mark("m").unwrap().code, "M");
    }

    #[test]
    fn teachers_enter_present_late_and_no_reason_yet() {
        let teacher: Vec<_> = CODES
            .iter()
            .filter(|c| c.teacher_may_enter())
            .map(|c| c.code)
            .collect();
        assert_eq!(teacher, ["/", "\\", "L", "N"]);
    }

    #[test]
    fn codes_needing_a_note_are_the_ones_spec_names() {
        let needs: Vec<_> = CODES
            .iter()
            .filter(|c| c.needs_note)
            .map(|c| c.code)
            .collect();
        assert_eq!(
            needs,
            [
                "K", "B", "C2", "C", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"
            ]
        );
    }
}

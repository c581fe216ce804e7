//! The national attendance codes (SPEC §2) as one table of data.
//!
//! Codes are strings of one or two characters (three for old MIS sub-codes). In the program a
//! code is a [`Code`], an enum with one variant per code rollcall knows, so no rule compares
//! string literals and a code that does not exist cannot be stored. Every rule that depends on
//! a code reads the table: what it counts as, who may enter it, whether it needs a note,
//! whether it is withdrawn.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Declares [`Code`] and its text in one list, so the two cannot disagree.
macro_rules! codes {
    ($($variant:ident = $text:literal),* $(,)?) => {
        /// One attendance code. The order is the order of [`CODES`], current codes first.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Code {
            $($variant),*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as registers write it: `/`, `L`, `C1`...
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text),*
                }
            }

            /// Looks a code up exactly (codes are case-sensitive: `/` and `\` differ).
            pub fn parse(text: &str) -> Option<Code> {
                match text {
                    $($text => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    PresentAm = "/",
    PresentPm = "\\",
    L = "L",
    K = "K",
    V = "V",
    P = "P",
    W = "W",
    B = "B",
    D = "D",
    C1 = "C1",
    M = "M",
    J1 = "J1",
    S = "S",
    X = "X",
    C2 = "C2",
    C = "C",
    T = "T",
    R = "R",
    I = "I",
    E = "E",
    Q = "Q",
    Y1 = "Y1",
    Y2 = "Y2",
    Y3 = "Y3",
    Y4 = "Y4",
    Y5 = "Y5",
    Y6 = "Y6",
    Y7 = "Y7",
    G = "G",
    N = "N",
    O = "O",
    U = "U",
    Z = "Z",
    Hash = "#",
    H = "H",
    F = "F",
    J = "J",
    Y = "Y",
    X01 = "X01",
    X02 = "X02",
    X03 = "X03",
    X04 = "X04",
    X05 = "X05",
    X06 = "X06",
    I01 = "I01",
    I02 = "I02",
    // Appended, never inserted: a code's place is its number in stored months.
    X07 = "X07",
}

impl Code {
    /// The table row for this code.
    pub fn info(self) -> &'static CodeInfo {
        &CODES[self as usize]
    }

    /// How the code counts on its session date.
    pub fn class_on(self, date: NaiveDate) -> StatClass {
        self.info().class_on(date)
    }

    /// `/`, `\`, `L` and `U`: codes whose choice belongs to the clock (an arrival time).
    pub fn is_arrival(self) -> bool {
        matches!(self, Code::PresentAm | Code::PresentPm | Code::L | Code::U)
    }

    /// Codes that say what happened at the session itself (present, late, arrived after the
    /// close, absent with no reason yet or none known): they cannot be known before the
    /// session opens. Planned absences (leave, a trip, a closure) can be entered ahead.
    pub fn is_observed(self) -> bool {
        matches!(
            self,
            Code::PresentAm | Code::PresentPm | Code::L | Code::U | Code::N | Code::O
        )
    }

    /// The national code a management system's sub-code stands for (the COVID-years `X01`
    /// to `X07` are `X`, `I01` and `I02` are `I`); any other code is its own.
    pub fn national(self) -> Code {
        match self {
            Code::X01 | Code::X02 | Code::X03 | Code::X04 | Code::X05 | Code::X06 | Code::X07 => {
                Code::X
            }
            Code::I01 | Code::I02 => Code::I,
            other => other,
        }
    }

    /// Present at the start of either session's register.
    pub fn is_present_mark(self) -> bool {
        matches!(self, Code::PresentAm | Code::PresentPm)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Debug shows the code as a register does (`"N"`), so test failures read like the data.
impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::str::FromStr for Code {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Code, CodeError> {
        Code::parse(s).ok_or_else(|| CodeError::Unknown(s.to_string()))
    }
}

/// On the wire and in files a code is its text.
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = String::deserialize(d)?;
        Code::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an attendance code")))
    }
}

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
    pub code: Code,
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
        if self.code == Code::D && date < dual_registration_change() {
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
    code: Code,
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
    code(Code::PresentAm, "Present at the start of the AM register", G::AttendingSchool, S::Present, E::Teacher, false),
    code(Code::PresentPm, "Present at the start of the PM register", G::AttendingSchool, S::Present, E::Teacher, false),
    code(Code::L, "Late: arrived after the register began, before it closed", G::AttendingSchool, S::Present, E::Teacher, false),
    code(Code::K, "Education provision arranged by the local authority", G::AttendingElsewhere, S::Aea, E::Office, true),
    code(Code::V, "Educational visit or trip supervised by school staff", G::AttendingElsewhere, S::Aea, E::Office, false),
    code(Code::P, "Approved sporting activity", G::AttendingElsewhere, S::Aea, E::Office, false),
    code(Code::W, "Work experience", G::AttendingElsewhere, S::Aea, E::Office, false),
    code(Code::B, "Any other approved educational activity (not remote learning)", G::AttendingElsewhere, S::Aea, E::Office, true),
    code(Code::D, "Dual registered: attending the other school", G::AttendingElsewhere, S::NotPossible, E::Office, false),
    code(Code::C1, "Leave: regulated performance or regulated employment abroad", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code(Code::M, "Leave: medical or dental appointment", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code(Code::J1, "Leave: interview for employment or another institution", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code(Code::S, "Leave: study leave for public examinations", G::LeaveOfAbsence, S::Authorised, E::Office, false),
    code(Code::X, "Non-compulsory school age, not required to attend", G::LeaveOfAbsence, S::NotPossible, E::Office, false),
    code(Code::C2, "Leave: temporary part-time timetable", G::LeaveOfAbsence, S::Authorised, E::Office, true),
    code(Code::C, "Leave: exceptional circumstances", G::LeaveOfAbsence, S::Authorised, E::Office, true),
    code(Code::T, "Parent travelling for occupational purposes", G::OtherAuthorised, S::Authorised, E::Office, false),
    code(Code::R, "Religious observance (day set apart by the religious body)", G::OtherAuthorised, S::Authorised, E::Office, false),
    code(Code::I, "Illness (not appointments)", G::OtherAuthorised, S::Authorised, E::Office, false),
    code(Code::E, "Suspended or excluded, no alternative provision", G::OtherAuthorised, S::Authorised, E::Office, false),
    // SPEC marks Q as NPS "unverified": kept here, in this one table, so it is easy to change.
    code(Code::Q, "Unable to attend: local authority access arrangements lacking", G::UnableToAttend, S::NotPossible, E::Office, false),
    code(Code::Y1, "Unable to attend: transport normally provided not available", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y2, "Unable to attend: widespread disruption to travel", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y3, "Unable to attend: part of the school premises closed", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y4, "Unable to attend: whole school site unexpectedly closed", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y5, "Unable to attend: in criminal justice detention", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y6, "Unable to attend: public health guidance or law", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::Y7, "Unable to attend: any other unavoidable cause", G::UnableToAttend, S::NotPossible, E::Office, true),
    code(Code::G, "Holiday not granted by the school", G::Unauthorised, S::Unauthorised, E::Office, false),
    code(Code::N, "Reason for absence not yet provided", G::Unauthorised, S::Unauthorised, E::Teacher, false),
    code(Code::O, "Absent in other or unknown circumstances", G::Unauthorised, S::Unauthorised, E::Office, false),
    code(Code::U, "Arrived after the register closed", G::Unauthorised, S::Unauthorised, E::Office, false),
    code(Code::Z, "Prospective pupil, not yet on the admission register", G::Administrative, S::NotPossible, E::Office, false),
    code(Code::Hash, "Planned whole or partial school closure", G::Administrative, S::NotPossible, E::Office, false),
    // Withdrawn codes: read and counted as they were, never accepted for a new mark.
    code(Code::H, "Agreed family holiday (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code(Code::F, "Agreed extended family holiday (withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code(Code::J, "Interview (withdrawn; counted as attendance)", G::Withdrawn, S::Aea, E::Withdrawn, false),
    code(Code::Y, "Enforced closure (withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    // MIS sub-codes of 2020-2022, as SIMS and Bromcom defined them, read as their national
    // parent (X: not a possible session; I: illness, authorised).
    code(Code::X01, "Non-compulsory school age, not required to attend (MIS sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::X02, "Self-isolating with symptoms (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::X03, "Self-isolating after a contact in school (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::X04, "Self-isolating after a contact outside school (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::X05, "Quarantine on arrival in the UK (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::X06, "Shielding (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
    code(Code::I01, "Illness, not COVID (MIS sub-code of I; withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code(Code::I02, "Illness, confirmed COVID (MIS sub-code of I; withdrawn)", G::Withdrawn, S::Authorised, E::Withdrawn, false),
    code(Code::X07, "Advised not to attend under government restrictions (COVID sub-code of X; withdrawn)", G::Withdrawn, S::NotPossible, E::Withdrawn, false),
];

/// Looks a code up exactly (codes are case-sensitive: `/` and `\` differ, letters are capitals).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    Code::parse(code).map(Code::info)
}

/// The codes teachers enter unless a school's configuration says otherwise: present, late and
/// no reason yet.
pub fn default_teacher_codes() -> Vec<Code> {
    CODES
        .iter()
        .filter(|c| c.entry == Entry::Teacher)
        .map(|c| c.code)
        .collect()
}

/// The words people use for a code, so that a search for "sick" or "dentist" finds it.
pub fn everyday_words(code: Code) -> &'static str {
    match code {
        Code::PresentAm | Code::PresentPm => "here in attending arrived on time",
        Code::L => "late arrived after register",
        Code::K => "local authority alternative provision tuition",
        Code::V => "trip visit outing museum residential field educational",
        Code::P => "sport sporting match fixture competition tournament",
        Code::W => "work experience placement job",
        Code::B => "activity off site course college forest school",
        Code::D => "dual registered other school",
        Code::C1 => "performance acting modelling entertainment licence abroad",
        Code::M => "doctor dentist hospital appointment medical orthodontist optician clinic gp",
        Code::J1 => "interview college university job",
        Code::S => "study leave exams revision gcse a-level",
        Code::X => "nursery non-compulsory under five",
        Code::C2 => "part-time timetable reduced",
        Code::C => "exceptional funeral bereavement wedding family emergency",
        Code::T => "traveller gypsy occupational travelling fair circus",
        Code::R => "religious religion festival eid diwali holy day",
        Code::I => "ill illness sick unwell poorly flu vomiting fever covid",
        Code::E => "suspended suspension excluded exclusion",
        Code::Q => "access arrangements local authority transport",
        Code::Y1 => "transport bus taxi not provided",
        Code::Y2 => "travel disruption snow weather strike flood",
        Code::Y3 => "premises closed part building",
        Code::Y4 => "school closed site unexpected snow heating",
        Code::Y5 => "detention custody criminal justice",
        Code::Y6 => "public health isolation quarantine",
        Code::Y7 => "unavoidable other cause",
        Code::G => "holiday vacation term time unauthorised holiday not agreed",
        Code::N => "absent no reason unknown missing",
        Code::O => "unauthorised other unknown no reason given truancy",
        Code::U => "late after close arrived after register closed",
        Code::Z => "prospective not yet on roll",
        Code::Hash => "closure inset closed planned",
        _ => "",
    }
}

/// Codes that may be chosen for a new mark, in table order.
pub fn current_codes() -> impl Iterator<Item = &'static CodeInfo> {
    CODES.iter().filter(|c| !c.is_withdrawn())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("`{0}` is not an attendance code (see `rollcall codes`)")]
    Unknown(String),
    #[error("`{0}` was withdrawn {1}: it can be read in old registers but not used for a new mark")]
    Withdrawn(String, &'static str),
}

/// When a withdrawn code stopped being used, as a date and in words: marks dated before it
/// are read as they were (an import of old registers), later ones are refused.
pub fn withdrawn_since(code: Code) -> Option<(NaiveDate, &'static str)> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid constant date");
    match code {
        Code::H | Code::J | Code::Y => Some((date(2024, 8, 19), "on 19 August 2024")),
        Code::F => Some((date(2013, 9, 1), "in September 2013")),
        // The COVID use of X, and the MIS sub-codes with it, ended in April 2022.
        Code::X01
        | Code::X02
        | Code::X03
        | Code::X04
        | Code::X05
        | Code::X06
        | Code::X07
        | Code::I01
        | Code::I02 => Some((
            date(2022, 4, 1),
            "in April 2022 (an MIS sub-code of 2020-2022)",
        )),
        _ => None,
    }
}

/// Resolves a code for a mark dated `date` read from old registers (an import): a withdrawn
/// code is accepted for dates before it was withdrawn, and counted as it was then.
pub fn for_mark_on(code: &str, date: NaiveDate) -> Result<&'static CodeInfo, CodeError> {
    let trimmed = code.trim();
    let info = lookup(trimmed)
        .or_else(|| lookup(&trimmed.to_ascii_uppercase()))
        .ok_or_else(|| CodeError::Unknown(trimmed.to_string()))?;
    match withdrawn_since(info.code) {
        Some((since, words)) if date >= since => {
            Err(CodeError::Withdrawn(info.code.to_string(), words))
        }
        _ => Ok(info),
    }
}

/// Resolves a code for a new mark: unknown and withdrawn codes are refused.
pub fn for_new_mark(code: &str) -> Result<&'static CodeInfo, CodeError> {
    let trimmed = code.trim();
    let info = lookup(trimmed)
        .or_else(|| lookup(&trimmed.to_ascii_uppercase()))
        .ok_or_else(|| CodeError::Unknown(trimmed.to_string()))?;
    if info.is_withdrawn() {
        let words = withdrawn_since(info.code).map_or("", |(_, w)| w);
        return Err(CodeError::Withdrawn(info.code.to_string(), words));
    }
    Ok(info)
}

/// Classifies a code on its session date.
pub fn class_of(code: Code, date: NaiveDate) -> StatClass {
    code.class_on(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn c(code: &str) -> Code {
        Code::parse(code).unwrap()
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
            assert_eq!(class_of(c(code), today), class, "class of {code}");
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
            ("X07", S::NotPossible),
            ("I01", S::Authorised),
            ("I02", S::Authorised),
        ];
        for (code, class) in expect {
            assert_eq!(class_of(c(code), old), class, "class of {code}");
            assert!(
                matches!(for_new_mark(code), Err(CodeError::Withdrawn(ref c, _)) if c == code),
                "{code} refused"
            );
        }
    }

    #[test]
    fn a_withdrawn_code_is_read_for_dates_when_it_was_current_and_its_own_date_is_said() {
        let refused = |code: &str, date| for_mark_on(code, date).unwrap_err().to_string();
        // H, J and Y until 18 August 2024.
        assert_eq!(for_mark_on("H", d(2024, 7, 19)).unwrap().code, Code::H);
        assert_eq!(for_mark_on("h", d(2024, 8, 18)).unwrap().code, Code::H);
        assert!(refused("H", d(2024, 8, 19)).contains("withdrawn on 19 August 2024"));
        // F until August 2013.
        assert!(for_mark_on("F", d(2013, 7, 1)).is_ok());
        assert!(refused("F", d(2013, 9, 2)).contains("withdrawn in September 2013"));
        // The COVID sub-codes until March 2022, with their real meanings.
        assert!(for_mark_on("X02", d(2021, 1, 11)).is_ok());
        assert!(refused("X07", d(2022, 5, 3)).contains("April 2022"));
        assert!(c("I01").info().meaning.starts_with("Illness, not COVID"));
        assert!(
            c("I02")
                .info()
                .meaning
                .starts_with("Illness, confirmed COVID")
        );
        assert!(
            c("X01")
                .info()
                .meaning
                .starts_with("Non-compulsory school age")
        );
        // Current codes are current on any date; an unknown one is named.
        assert!(for_mark_on("I", d(2019, 1, 7)).is_ok());
        // In the DfE's files a sub-code is its national parent.
        assert_eq!(c("X05").national(), Code::X);
        assert_eq!(c("I02").national(), Code::I);
        assert_eq!(c("C2").national(), Code::C2);
        assert_eq!(
            refused("ZZ", d(2019, 1, 7)),
            "`ZZ` is not an attendance code (see `rollcall codes`)"
        );
    }

    #[test]
    fn legacy_j_counts_present_and_j1_absent() {
        let date = d(2023, 5, 1);
        assert_eq!(class_of(c("J"), date), S::Aea);
        assert_eq!(class_of(c("J1"), d(2024, 9, 9)), S::Authorised);
    }

    #[test]
    fn d_was_attendance_before_september_2011() {
        assert_eq!(class_of(c("D"), d(2011, 7, 20)), S::Aea);
        assert_eq!(class_of(c("D"), d(2011, 9, 1)), S::NotPossible);
    }

    #[test]
    fn codes_are_strings_of_one_or_two_characters_except_withdrawn_covid_codes() {
        for info in current_codes() {
            assert!(
                (1..=2).contains(&info.code.as_str().chars().count()),
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
    fn the_code_enum_and_the_table_are_in_the_same_order() {
        for (i, info) in CODES.iter().enumerate() {
            assert_eq!(info.code as usize, i, "{}", info.code);
            assert_eq!(Code::parse(info.code.as_str()), Some(info.code));
        }
        assert_eq!(Code::ALL.len(), CODES.len());
    }

    #[test]
    fn teachers_enter_present_late_and_no_reason_yet() {
        let teacher: Vec<_> = CODES
            .iter()
            .filter(|c| c.teacher_may_enter())
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(teacher, ["/", "\\", "L", "N"]);
    }

    #[test]
    fn codes_needing_a_note_are_the_ones_spec_names() {
        let needs: Vec<_> = CODES
            .iter()
            .filter(|c| c.needs_note)
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            needs,
            [
                "K", "B", "C2", "C", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"
            ]
        );
    }
}

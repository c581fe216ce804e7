//! Data in and out: imports, backups, the census, the roster the DfE's files need, transfer files.

use crate::domain::codes::Code;
use crate::domain::people::YearGroup;
use crate::domain::stats::Tally;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    /// Pupils whose contacts the list set or changed.
    #[serde(default)]
    pub contacts: usize,
    /// Pupils whose characteristics the list changed.
    #[serde(default)]
    pub characteristics: usize,
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
    /// The CSV files written beside the copy, when asked for.
    #[serde(default)]
    pub archive: Vec<String>,
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
    /// Another school's registers, kept apart under it: its name and numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<crate::domain::people::OtherSchool>,
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
    /// The pupil's characteristics, each from the day it was recorded (oldest first).
    #[serde(default)]
    pub characteristics: Vec<(NaiveDate, crate::domain::people::Characteristics)>,
}

impl RosterPupil {
    /// The characteristics as they stood on `date` (none recorded: none).
    pub fn characteristics_on(&self, date: NaiveDate) -> crate::domain::people::Characteristics {
        self.characteristics
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }
}

/// What a CTF import did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CtfImported {
    pub pupils_added: u32,
    pub pupils_known: u32,
    pub marks_added: u32,
    pub marks_unchanged: u32,
    /// Marks another school recorded: kept apart, in none of this school's figures.
    #[serde(default)]
    pub marks_elsewhere: u32,
    /// `#` on a day without school: the systems' "no session", not a planned closure.
    #[serde(default)]
    pub no_session: u32,
    /// Contacts taken from the file for pupils the school held none for.
    #[serde(default)]
    pub contacts_added: u32,
    /// Pupils whose own contacts were kept over the file's.
    #[serde(default)]
    pub contacts_kept: u32,
    /// Contacts beyond the four a pupil's list keeps, left out.
    #[serde(default)]
    pub contacts_left_out: u32,
    /// Pupils whose SEN, FSM, care or first language the file changed.
    #[serde(default)]
    pub characteristics_changed: u32,
    pub dry_run: bool,
}

//! A transfer file as rollcall holds it: the header's schools, and each pupil with their
//! attendance per school year.

use super::marks::code_of;
use crate::domain::codes::Code;
use crate::domain::people::Sex;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfFile {
    pub date_time: NaiveDateTime,
    pub source: CtfSchool,
    pub dest_lea: String,
    pub dest_estab: String,
    pub pupils: Vec<CtfPupil>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfSchool {
    pub lea: String,
    pub estab: String,
    pub name: String,
    /// The school year the file was made in, by the year it starts.
    pub academic_year: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfPupil {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub sex: Option<Sex>,
    pub years: Vec<CtfYear>,
    /// Who to call, in order (at most four kept).
    #[serde(default)]
    pub contacts: Vec<crate::domain::people::Contact>,
    /// Contacts beyond the four kept, in the file's order: said, not stored.
    #[serde(default)]
    pub contacts_left_out: u32,
    /// What the file says of SEN, FSM, care and first language.
    #[serde(default)]
    pub traits: super::people::CtfTraits,
}

/// A pupil's attendance in one school year at one school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfYear {
    pub year: i32,
    pub lea: String,
    pub estab: String,
    pub school_name: String,
    pub possible: u32,
    pub authorised: u32,
    pub attended: u32,
    pub unauthorised: u32,
    pub start: NaiveDate,
    /// One character per session, AM then PM, from `start`.
    pub marks: String,
}

impl CtfYear {
    /// Each session's code, from the marks string; an error names the character and its
    /// session.
    pub fn sessions(
        &self,
    ) -> Result<Vec<(NaiveDate, crate::domain::session::Session, Code)>, String> {
        let mut out = Vec::new();
        for (i, c) in self.marks.chars().enumerate() {
            // A string longer than any register runs past the dates rollcall keeps: refused
            // with the character, never a mark dated in the next century (or a panic).
            let date = self
                .start
                .checked_add_days(chrono::Days::new((i / 2) as u64))
                .ok_or_else(|| format!("character {}: past the last date there is", i + 1))
                .and_then(|d| {
                    crate::domain::dates::check(d)
                        .map_err(|why| format!("character {} ({d}): {why}", i + 1))
                })?;
            let session = if i % 2 == 0 {
                crate::domain::session::Session::Am
            } else {
                crate::domain::session::Session::Pm
            };
            match code_of(c) {
                Ok(Some(code)) => out.push((date, session, code)),
                Ok(None) => {}
                Err(why) => {
                    return Err(format!(
                        "character {} ({date} {}): {why}",
                        i + 1,
                        session.label()
                    ));
                }
            }
        }
        Ok(out)
    }
}

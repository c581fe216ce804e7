//! Pupils, staff and registration groups as the rules see them.

use super::register::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A year group as management information systems export it: `N1`, `N2`, `R`, `1` to `14`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum YearGroup {
    Nursery1,
    Nursery2,
    Reception,
    Year(u8),
}

impl YearGroup {
    pub fn parse(s: &str) -> Option<YearGroup> {
        let s = s.trim().to_ascii_uppercase();
        let s = s.strip_prefix("YEAR").map(str::trim).unwrap_or(&s);
        match s {
            "N1" => Some(YearGroup::Nursery1),
            "N2" => Some(YearGroup::Nursery2),
            "R" | "REC" | "RECEPTION" => Some(YearGroup::Reception),
            other => {
                let digits = other.strip_prefix('Y').unwrap_or(other);
                let n: u8 = digits.parse().ok()?;
                (1..=14).contains(&n).then_some(YearGroup::Year(n))
            }
        }
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearGroup::Nursery1 => f.write_str("N1"),
            YearGroup::Nursery2 => f.write_str("N2"),
            YearGroup::Reception => f.write_str("R"),
            YearGroup::Year(n) => write!(f, "{n}"),
        }
    }
}

/// Checks the shape of a Unique Pupil Number: 13 characters, a check letter, 11 digits, and a
/// digit or (for a temporary UPN) a letter. The check letter itself is not recomputed.
pub fn check_upn(upn: &str) -> Result<(), String> {
    let chars: Vec<char> = upn.chars().collect();
    if chars.len() != 13 {
        return Err(format!(
            "`{upn}` has {} characters; a UPN has 13",
            chars.len()
        ));
    }
    if !chars[0].is_ascii_uppercase() {
        return Err(format!("`{upn}` must start with a capital check letter"));
    }
    if !chars[1..12].iter().all(char::is_ascii_digit) {
        return Err(format!("`{upn}`: characters 2 to 12 of a UPN are digits"));
    }
    if !(chars[12].is_ascii_digit() || chars[12].is_ascii_uppercase()) {
        return Err(format!(
            "`{upn}`: the last character of a UPN is a digit or a capital letter"
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearGroup,
}

impl Pupil {
    /// "Surname, Forename", the order registers are read in.
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.surname, self.forename)
    }

    /// The key registers sort by: surname, then forename, case-insensitively.
    pub fn sort_key(&self) -> (String, String, String) {
        (
            self.surname.to_lowercase(),
            self.forename.to_lowercase(),
            self.upn.clone(),
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// Operating-system account name: who is running the program.
    pub account: String,
    pub name: String,
    pub position: String,
    pub role: Role,
}

/// A registration group and its tutors (operating-system accounts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub tutors: Vec<String>,
}

impl Group {
    pub fn is_tutor(&self, account: &str) -> bool {
        self.tutors.iter().any(|t| t == account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_groups_parse_as_mis_exports_write_them() {
        assert_eq!(YearGroup::parse("R"), Some(YearGroup::Reception));
        assert_eq!(YearGroup::parse("n1"), Some(YearGroup::Nursery1));
        assert_eq!(YearGroup::parse("7"), Some(YearGroup::Year(7)));
        assert_eq!(YearGroup::parse("Y11"), Some(YearGroup::Year(11)));
        assert_eq!(YearGroup::parse("Year 3"), Some(YearGroup::Year(3)));
        assert_eq!(YearGroup::parse("15"), None);
        assert_eq!(YearGroup::parse("x"), None);
        assert!(YearGroup::Reception < YearGroup::Year(1));
    }

    #[test]
    fn upns_are_checked_for_shape() {
        assert!(check_upn("A123456789012").is_ok());
        assert!(check_upn("A12345678901B").is_ok());
        assert!(check_upn("A12345").unwrap_err().contains("6 characters"));
        assert!(check_upn("a123456789012").is_err());
        assert!(check_upn("A1234567890X2").is_err());
    }
}

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

/// The 23 letters a UPN's check letter (and a temporary UPN's last character) is drawn from:
/// the alphabet without I, O and S, which are too like 1, 0 and 5.
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// The check letter of a UPN's last twelve characters (DfE: each character times its position,
/// 2 to 13, a letter counted by its place in [`UPN_LETTERS`], summed, modulo 23).
pub fn upn_check_letter(rest: &str) -> Option<char> {
    let mut sum = 0usize;
    for (i, c) in rest.chars().enumerate() {
        let value = match c {
            '0'..='9' => c as usize - '0' as usize,
            _ => UPN_LETTERS.iter().position(|l| *l as char == c)?,
        };
        sum += value * (i + 2);
    }
    Some(UPN_LETTERS[sum % 23] as char)
}

/// The UPN made of its check letter and `rest`, twelve digits (demo and test data).
pub fn upn_with_check_letter(rest: &str) -> String {
    let check = upn_check_letter(rest).unwrap_or('A');
    format!("{check}{rest}")
}

/// Checks a Unique Pupil Number: 13 characters, a check letter, 11 digits, and a digit or (for
/// a temporary UPN) a letter; and that the check letter is the one the other twelve give, so a
/// mistyped UPN is caught where it is typed.
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
    let last = chars[12];
    if !(last.is_ascii_digit() || (last.is_ascii_uppercase() && !"IOS".contains(last))) {
        return Err(format!(
            "`{upn}`: the last character of a UPN is a digit or a capital letter other than I, O and S"
        ));
    }
    let rest: String = chars[1..].iter().collect();
    match upn_check_letter(&rest) {
        Some(check) if check == chars[0] => Ok(()),
        Some(check) => Err(format!(
            "`{upn}`: the check letter should be {check}, so a character is mistyped (compare it with the pupil's record)"
        )),
        None => Err(format!("`{upn}` is not a UPN")),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub year: YearGroup,
    /// As the DfE's files carry it (`M`, `F`); `None` where the pupil list did not say.
    #[serde(default)]
    pub sex: Option<Sex>,
}

/// The year group a pupil of this date of birth is in, in the school year of `today`, by
/// age on the previous 31 August (4: reception; 5: year 1; 3 and under: nursery).
pub fn year_group_for(dob: NaiveDate, today: NaiveDate) -> YearGroup {
    let age = super::figures::age_on(dob, super::figures::previous_31_august(today));
    match age {
        i32::MIN..=2 => YearGroup::Nursery1,
        3 => YearGroup::Nursery2,
        4 => YearGroup::Reception,
        n => YearGroup::Year((n - 4).clamp(1, 14) as u8),
    }
}

/// Another school, where a pupil's attendance was recorded before they came (or a part of
/// it): its local authority and establishment number, as the DfE numbers schools, and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OtherSchool {
    pub la: String,
    pub estab: String,
    pub name: String,
}

impl OtherSchool {
    /// A school as someone typed it: a 3-digit LA number, a 4-digit establishment number
    /// and a name; the message names what is wrong.
    pub fn checked(la: &str, estab: &str, name: &str) -> Result<OtherSchool, String> {
        let (la, estab, name) = (la.trim(), estab.trim(), name.trim());
        for (what, value, digits) in [("LA", la, 3), ("establishment", estab, 4)] {
            if value.len() != digits || !value.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "the school's {what} number `{value}` is not {digits} digits (the DfE's number)"
                ));
            }
        }
        if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 100 {
            return Err(format!(
                "the school's name `{name}` is empty, too long or holds control characters"
            ));
        }
        Ok(OtherSchool {
            la: la.to_string(),
            estab: estab.to_string(),
            name: name.to_string(),
        })
    }
}

/// A pupil's sex as DfE files record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    M,
    F,
}

impl Sex {
    /// `M`, `F` (or `male`, `female`, any case); blank is `None`; anything else is an error.
    pub fn parse(text: &str) -> Result<Option<Sex>, String> {
        match text.trim().to_ascii_uppercase().as_str() {
            "" => Ok(None),
            "M" | "MALE" => Ok(Some(Sex::M)),
            "F" | "FEMALE" => Ok(Some(Sex::F)),
            other => Err(format!(
                "`{other}` is not a sex as DfE files record it (M or F, or blank)"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
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

/// Words of a name or of what was typed to find one, as they are compared: lower case,
/// commas and curly apostrophes as spaces.
fn name_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace([',', '\u{2019}'], " ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Whether what was typed to find a pupil finds this one. Each word typed must begin a word of
/// the name, in order, surname first or forename first: `chow m` finds Chowdhury, Maya and
/// not Chowdhury, Amara; `maya ch` finds her too; `mitch e` finds Mitchell, Elsie. A
/// hyphenated or double surname is found by any of its parts (`fitz` in Okubo-Fitzwilliam).
/// Nothing typed finds nobody.
pub fn name_matches(typed: &str, surname: &str, forename: &str) -> bool {
    name_match(typed, surname, forename).is_some()
}

/// How what was typed finds a name: `Some(0)` surname first, `Some(1)` only forename first
/// (a list prefers the first kind: `p` is Patel before it is Pupil).
pub fn name_match(typed: &str, surname: &str, forename: &str) -> Option<u8> {
    let typed = name_words(typed);
    if typed.is_empty() {
        return None;
    }
    let parts = |name: &str| -> Vec<String> {
        name_words(name)
            .into_iter()
            .flat_map(|w| {
                let mut all = vec![w.clone()];
                if w.contains('-') {
                    all.extend(w.split('-').filter(|p| !p.is_empty()).map(str::to_string));
                }
                all
            })
            .collect()
    };
    let (surname, forename) = (parts(surname), parts(forename));
    [(&surname, &forename), (&forename, &surname)]
        .into_iter()
        .position(|(first, then)| {
            // The first word typed begins the first name given (the surname, or the
            // forename); the rest begin later words, in order.
            if !first.iter().any(|w| w.starts_with(typed[0].as_str())) {
                return false;
            }
            let words: Vec<&String> = first.iter().chain(then.iter()).collect();
            let mut at = 0;
            typed.iter().all(
                |t| match words[at..].iter().position(|w| w.starts_with(t.as_str())) {
                    Some(i) => {
                        at += i + 1;
                        true
                    }
                    None => false,
                },
            )
        })
        .map(|order| order as u8)
}

/// The first of `names` (surname, forename) that `typed` finds, surname-first matches before
/// forename-first ones.
pub fn find_name<'a>(
    typed: &str,
    names: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<usize> {
    let mut forename_first = None;
    for (i, (surname, forename)) in names.into_iter().enumerate() {
        match name_match(typed, surname, forename) {
            Some(0) => return Some(i),
            Some(_) if forename_first.is_none() => forename_first = Some(i),
            _ => {}
        }
    }
    forename_first
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
    fn upns_are_checked_for_shape_and_check_letter() {
        assert!(check_upn("C100000000000").is_ok());
        assert!(check_upn("R100000000001").is_ok());
        assert!(check_upn("A12345").unwrap_err().contains("6 characters"));
        assert!(check_upn("a123456789012").is_err());
        assert!(check_upn("A1234567890X2").is_err());
        let wrong = check_upn("A100000000000").unwrap_err();
        assert!(wrong.contains("the check letter should be C"), "{wrong}");
        // A temporary UPN ends in a letter, counted by its place among the 23.
        let temp = format!("{}10000000000A", upn_check_letter("10000000000A").unwrap());
        assert!(check_upn(&temp).is_ok(), "{temp}");
        assert!(check_upn("C10000000000I").is_err());
    }

    #[test]
    fn a_surname_start_and_an_initial_find_the_pupil_and_a_near_miss_finds_nobody() {
        assert!(name_matches("chow m", "Chowdhury", "Maya"));
        assert!(!name_matches("chow m", "Chowdhury", "Amara"));
        assert!(name_matches("chow", "Chowdhury", "Amara"));
        assert!(name_matches("mitch e", "Mitchell", "Elsie"));
        assert!(name_matches("maya ch", "Chowdhury", "Maya"));
        assert!(name_matches("hussain, s", "Hussain", "Sara"));
        assert!(name_matches("o'brien", "O'Brien", "Liam"));
        assert!(name_matches("fitz", "Okubo-Fitzwilliam", "Anais"));
        assert!(!name_matches("mor n", "Morris", "Elsie"));
        assert!(!name_matches("", "Morris", "Elsie"));
        assert!(!name_matches("elsie morris x", "Morris", "Elsie"));
    }
}

/// Someone the office calls about a pupil (issue 23): in the order they are called.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    /// "Mother", "Grandfather", "Childminder".
    pub relationship: String,
    /// As the school holds it: one number, or several separated by `;`.
    pub phone: String,
    pub email: String,
    /// 1 is called first.
    pub priority: u8,
    pub parental_responsibility: bool,
    /// Not to be contacted (a court order, the family's wish): shown, never offered to call.
    pub no_contact: bool,
}

impl Contact {
    /// The contact in a line: "1. Jo Adams (Mother, PR) 07700 900123"; one not to be
    /// contacted says so instead of a number.
    pub fn line(&self) -> String {
        if self.no_contact {
            return format!(
                "{}. {} ({}): NOT TO BE CONTACTED",
                self.priority, self.name, self.relationship
            );
        }
        format!(
            "{}. {} ({}{}) {}{}",
            self.priority,
            self.name,
            self.relationship,
            if self.parental_responsibility {
                ", PR"
            } else {
                ""
            },
            self.phone,
            if self.email.is_empty() {
                String::new()
            } else {
                format!(" {}", self.email)
            }
        )
    }
}

/// Special educational needs as the census records them: none, SEN support, an EHC plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sen {
    #[default]
    None,
    Support,
    Ehcp,
}

/// What a pupil list may say of a pupil beyond their name (issue 23): the characteristics
/// that change the school's duty, and that the DfE's figures are broken down by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Characteristics {
    pub sen: Sen,
    /// Free school meals.
    pub fsm: bool,
    /// Pupil premium.
    pub pp: bool,
    /// Looked after by the local authority.
    pub lac: bool,
    /// Child in need.
    pub cin: bool,
    /// On a child protection plan.
    pub cp: bool,
    pub young_carer: bool,
    /// English as an additional language.
    pub eal: bool,
    /// The social worker to tell, name and number, where the pupil has one.
    pub social_worker: String,
}

impl Characteristics {
    /// The characteristics in words: "SEN support, FSM, CIN (social worker: ...)".
    pub fn words(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        match self.sen {
            Sen::None => {}
            Sen::Support => out.push("SEN support".into()),
            Sen::Ehcp => out.push("EHC plan".into()),
        }
        for (on, word) in [
            (self.fsm, "FSM"),
            (self.pp, "pupil premium"),
            (self.lac, "looked after"),
            (self.cin, "child in need"),
            (self.cp, "child protection plan"),
            (self.young_carer, "young carer"),
            (self.eal, "EAL"),
        ] {
            if on {
                out.push(word.into());
            }
        }
        if !self.social_worker.is_empty() {
            out.push(format!("social worker: {}", self.social_worker));
        }
        out.join(", ")
    }

    /// Whether a teacher is shown that the office holds more about this pupil (never what).
    pub fn marks_care(&self) -> bool {
        self.sen != Sen::None || self.lac || self.cin || self.cp || self.young_carer
    }
}

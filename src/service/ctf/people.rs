//! The people behind a pupil in a transfer file (issue 23, item 5): their contacts
//! (`Contacts/Contact`) and the characteristics a CTF carries: SEN provision (the latest
//! `SENhistory/SEN`), free school meals (an `FSMhistory/FSMinstance` open on the file's date),
//! looked after (`InCare/InCare`) and English as an additional language (a first language in
//! `Languages/Type` other than English). An element the file does not have says nothing, so
//! what the school knew stands; PP, CIN, CP and the social worker are not in a CTF.
//!
//! The element names follow the DfE's CTF specification as far as rollcall knows it; like the
//! attendance part they are unverified against the schema (SPEC §6).

use super::errors::Errors;
use super::tree::Node;
use crate::domain::people::{Contact, Sen};
use crate::service::contacts::{MAX_CONTACTS, check_contact};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most contacts one pupil's record may list: schools hold a handful; more is an attack.
pub const MAX_FILE_CONTACTS: usize = 50;

/// The characteristics a transfer file states; `None` where it says nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtfTraits {
    pub sen: Option<Sen>,
    pub fsm: Option<bool>,
    pub lac: Option<bool>,
    pub eal: Option<bool>,
}

impl CtfTraits {
    /// Laid over what the school knew: only what the file states changes.
    pub fn over(
        &self,
        known: &crate::domain::people::Characteristics,
    ) -> crate::domain::people::Characteristics {
        let mut c = known.clone();
        if let Some(sen) = self.sen {
            c.sen = sen;
        }
        if let Some(fsm) = self.fsm {
            c.fsm = fsm;
        }
        if let Some(lac) = self.lac {
            c.lac = lac;
        }
        if let Some(eal) = self.eal {
            c.eal = eal;
        }
        c
    }

    /// What a school's record says, for a file it sends.
    pub fn of(c: &crate::domain::people::Characteristics) -> CtfTraits {
        CtfTraits {
            sen: Some(c.sen),
            fsm: Some(c.fsm),
            lac: Some(c.lac),
            eal: Some(c.eal),
        }
    }
}

/// The CTF's relationship codes and the words the office reads.
const RELATIONSHIPS: [(&str, &str); 12] = [
    ("PAR", "Parent"),
    ("MUM", "Mother"),
    ("DAD", "Father"),
    ("CAR", "Carer"),
    ("FOS", "Foster parent"),
    ("STP", "Step-parent"),
    ("GRP", "Grandparent"),
    ("REL", "Relative"),
    ("FOF", "Family friend"),
    ("CHM", "Childminder"),
    ("SWR", "Social worker"),
    ("OTH", "Other"),
];

fn relationship_words(code: &str) -> String {
    RELATIONSHIPS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map_or(code.to_string(), |(_, w)| w.to_string())
}

/// The code a relationship is sent as; words without one are sent as they are.
pub(super) fn relationship_code(words: &str) -> String {
    RELATIONSHIPS
        .iter()
        .find(|(_, w)| w.eq_ignore_ascii_case(words))
        .map_or(words.to_string(), |(c, _)| c.to_string())
}

fn boolean(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A pupil's contacts, the first [`MAX_CONTACTS`] in the file's order (a CTF may list more:
/// rollcall keeps the ones called first); each checked as the pupil list's are.
pub(super) fn contacts(p: &Node, at: &str, errors: &mut Errors) -> Vec<Contact> {
    let mut out = Vec::new();
    let listed: Vec<&Node> = p
        .child("Contacts")
        .iter()
        .flat_map(|c| c.all("Contact"))
        .collect();
    if listed.len() > MAX_FILE_CONTACTS {
        errors.push(format!(
            "{at}/Contacts: {} contacts, more than the {MAX_FILE_CONTACTS} a pupil may have",
            listed.len()
        ));
        return out;
    }
    let mut ordered: Vec<(u32, usize, &Node)> = Vec::new();
    for (k, c) in listed.iter().enumerate() {
        let here = format!("{at}/Contacts/Contact[{}]", k + 1);
        let order = match c.child("Order").map(|o| o.text.trim()) {
            None | Some("") => k as u32 + 1,
            Some(o) => match o.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(format!("{here}/Order: `{o}` is not a number"));
                    continue;
                }
            },
        };
        ordered.push((order, k, c));
    }
    ordered.sort_by_key(|(order, k, _)| (*order, *k));
    for (priority, (_, k, c)) in ordered.into_iter().take(MAX_CONTACTS as usize).enumerate() {
        let here = format!("{at}/Contacts/Contact[{}]", k + 1);
        let text = |name: &str| {
            c.child(name)
                .map(|n| n.text.trim().to_string())
                .unwrap_or_default()
        };
        let name = [text("Forename"), text("Surname")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            errors.push(format!("{here}: a contact without Surname or Forename"));
            continue;
        }
        let relationship = relationship_words(&text("Relationship"));
        let phone = c
            .child("Phones")
            .iter()
            .flat_map(|p| p.all("Phone"))
            .filter_map(|p| p.child("PhoneNo"))
            .map(|n| n.text.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let email = text("Email");
        for (field, why) in check_contact(&name, &relationship, &phone, &email) {
            errors.push(format!("{here} ({field}): {why}"));
        }
        let parental_responsibility = match c.child("Responsibility") {
            None => false,
            Some(r) => boolean(&r.text).unwrap_or_else(|| {
                errors.push(format!(
                    "{here}/Responsibility: `{}` is not true or false",
                    r.text.trim()
                ));
                false
            }),
        };
        out.push(Contact {
            name,
            relationship,
            phone,
            email,
            priority: priority as u8 + 1,
            parental_responsibility,
            no_contact: false,
        });
    }
    out
}

/// The characteristics the file states for a pupil, as on `on` (the file's date).
pub(super) fn traits(p: &Node, at: &str, on: NaiveDate, errors: &mut Errors) -> CtfTraits {
    let date = |n: Option<&Node>, path: &str, errors: &mut Errors| -> Option<NaiveDate> {
        let text = n.map(|n| n.text.trim()).unwrap_or_default();
        if text.is_empty() {
            return None;
        }
        crate::domain::dates::parse(text)
            .map_err(|why| errors.push(format!("{path}: {why}")))
            .ok()
    };
    let mut out = CtfTraits::default();
    // SEN: the provision of the latest record begun by the file's date. The old codes
    // (A school action, P action plus, S a statement) read as their successors.
    if let Some(history) = p.child("SENhistory") {
        let mut latest: Option<(NaiveDate, Sen)> = None;
        for (k, s) in history.all("SEN").enumerate() {
            let here = format!("{at}/SENhistory/SEN[{}]", k + 1);
            let start = date(s.child("StartDate"), &format!("{here}/StartDate"), errors)
                .unwrap_or(NaiveDate::MIN);
            let provision = s
                .child("SENprovision")
                .map(|n| n.text.trim())
                .unwrap_or_default();
            let sen = match provision.to_ascii_uppercase().as_str() {
                "N" => Sen::None,
                "K" | "A" | "P" => Sen::Support,
                "E" | "S" => Sen::Ehcp,
                other => {
                    errors.push(format!(
                        "{here}/SENprovision: `{other}` is not N, K or E (or the old A, P, S)"
                    ));
                    continue;
                }
            };
            if start <= on && latest.is_none_or(|(d, _)| start >= d) {
                latest = Some((start, sen));
            }
        }
        out.sen = Some(latest.map_or(Sen::None, |(_, sen)| sen));
    }
    // FSM: an instance begun by the file's date and not ended before it.
    if let Some(history) = p.child("FSMhistory") {
        let mut open = false;
        for (k, f) in history.all("FSMinstance").enumerate() {
            let here = format!("{at}/FSMhistory/FSMinstance[{}]", k + 1);
            let start = date(
                f.child("FSMstartDate"),
                &format!("{here}/FSMstartDate"),
                errors,
            );
            let end = date(f.child("FSMendDate"), &format!("{here}/FSMendDate"), errors);
            let Some(start) = start else {
                errors.push(format!("{here}/FSMstartDate is missing"));
                continue;
            };
            if start <= on && end.is_none_or(|e| e >= on) {
                open = true;
            }
        }
        out.fsm = Some(open);
    }
    if let Some(care) = p.child("InCare").and_then(|c| c.child("InCare")) {
        out.lac = boolean(&care.text);
        if out.lac.is_none() {
            errors.push(format!(
                "{at}/InCare/InCare: `{}` is not true or false",
                care.text.trim()
            ));
        }
    }
    // EAL: a first language (type F) other than English (ENG, ENB: believed English).
    if let Some(languages) = p.child("Languages") {
        let first = languages
            .all("Type")
            .find(|t| {
                t.child("LanguageType")
                    .is_some_and(|l| l.text.trim() == "F")
            })
            .and_then(|t| t.child("Language"))
            .map(|l| l.text.trim().to_ascii_uppercase());
        if let Some(language) = first {
            out.eal = Some(!matches!(language.as_str(), "ENG" | "ENB" | ""));
        }
    }
    out
}

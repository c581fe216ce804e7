//! The people behind a pupil in a transfer file (issue 23, item 5): their contacts
//! (`Contacts/Contact`) and the characteristics a CTF carries: SEN provision (the latest
//! `SENhistory/SEN`), free school meals (an `FSMhistory/FSMinstance` open on the file's date),
//! looked after (`InCare/InCare`) and English as an additional language (a first language in
//! `Languages/Type` other than English). An element the file does not have says nothing, so
//! what the school knew stands; PP, CIN, CP and the social worker are not in a CTF.
//!
//! The element names follow the DfE's CTF specification as far as rollcall knows it; like the
//! attendance part they are unverified against the schema (SPEC §6).

use super::tree::Node;
use crate::domain::people::{Contact, Sen};
use crate::service::contacts::check_contact;
use crate::service::import::Problems;
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

/// A pupil's contacts in the file's order: every one checked as the pupil list's are (and
/// an element given twice refused); the caller keeps the first [`MAX_CONTACTS`] and says how
/// many more the file had.
pub(super) fn contacts(p: &Node, at: &str, errors: &mut Problems) -> Vec<Contact> {
    let mut out = Vec::new();
    once(p, &["Contacts"], at, errors);
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
    let mut orders: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut ordered: Vec<(u32, usize, Contact)> = Vec::new();
    for (k, c) in listed.iter().enumerate() {
        let here = format!("{at}/Contacts/Contact[{}]", k + 1);
        once(
            c,
            &[
                "Order",
                "Surname",
                "Forename",
                "Relationship",
                "Responsibility",
                "Email",
                "Phones",
            ],
            &here,
            errors,
        );
        let order = match c.child("Order").map(|o| o.text.trim()) {
            None | Some("") => k as u32 + 1,
            Some(o) => match o.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    errors.push(format!("{here}/Order: `{o}` is not a number from 1"));
                    continue;
                }
            },
        };
        if let Some(first) = orders.insert(order, k) {
            errors.push(format!(
                "{here}/Order: {order} is Contact[{}]'s order too: each contact is called in its own turn",
                first + 1
            ));
        }
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
        ordered.push((
            order,
            k,
            Contact {
                name,
                relationship,
                phone,
                email,
                priority: 0,
                parental_responsibility,
                no_contact: false,
            },
        ));
    }
    ordered.sort_by_key(|(order, k, _)| (*order, *k));
    for (i, (_, _, mut c)) in ordered.into_iter().enumerate() {
        c.priority = (i + 1).min(usize::from(u8::MAX)) as u8;
        out.push(c);
    }
    out
}

/// Each of `names` at most once under `node`: a second one is refused, never ignored (which
/// of two dates of birth is the child's?).
pub(super) fn once(node: &Node, names: &[&str], at: &str, errors: &mut Problems) {
    for name in names {
        if node.all(name).count() > 1 {
            errors.push(format!(
                "{at}/{name} is given more than once: one is wanted"
            ));
        }
    }
}

/// The characteristics the file states for a pupil, as on `on` (the file's date).
pub(super) fn traits(p: &Node, at: &str, on: NaiveDate, errors: &mut Problems) -> CtfTraits {
    let date = |n: Option<&Node>, path: &str, errors: &mut Problems| -> Option<NaiveDate> {
        let text = n.map(|n| n.text.trim()).unwrap_or_default();
        if text.is_empty() {
            return None;
        }
        crate::domain::dates::parse(text)
            .map_err(|why| errors.push(format!("{path}: {why}")))
            .ok()
    };
    let mut out = CtfTraits::default();
    once(
        p,
        &["SENhistory", "FSMhistory", "InCare", "Languages"],
        at,
        errors,
    );
    // SEN: the provision of the latest record begun by the file's date (a record yet to
    // begin says nothing of today). The old codes (A school action, P action plus, S a
    // statement) read as their successors.
    if let Some(history) = p.child("SENhistory") {
        let mut latest: Option<(NaiveDate, Sen)> = None;
        let mut any = false;
        for (k, s) in history.all("SEN").enumerate() {
            let here = format!("{at}/SENhistory/SEN[{}]", k + 1);
            once(s, &["StartDate", "SENprovision"], &here, errors);
            any = true;
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
        out.sen = match latest {
            Some((_, sen)) => Some(sen),
            // An empty history: no SEN; only records yet to begin: nothing said of today.
            None if !any => Some(Sen::None),
            None => None,
        };
    }
    // FSM: an instance begun by the file's date and not ended before it.
    if let Some(history) = p.child("FSMhistory") {
        let mut open = false;
        for (k, f) in history.all("FSMinstance").enumerate() {
            let here = format!("{at}/FSMhistory/FSMinstance[{}]", k + 1);
            once(f, &["FSMstartDate", "FSMendDate"], &here, errors);
            if f.child("FSMstartDate")
                .is_none_or(|s| s.text.trim().is_empty())
            {
                errors.push(format!("{here}/FSMstartDate is missing"));
                continue;
            }
            let start = date(
                f.child("FSMstartDate"),
                &format!("{here}/FSMstartDate"),
                errors,
            );
            let end = date(f.child("FSMendDate"), &format!("{here}/FSMendDate"), errors);
            let Some(start) = start else {
                continue;
            };
            if let Some(end) = end
                && end < start
            {
                errors.push(format!(
                    "{here}/FSMendDate: {end} is before the start, {start}"
                ));
                continue;
            }
            if start <= on && end.is_none_or(|e| e >= on) {
                open = true;
            }
        }
        out.fsm = Some(open);
    }
    // In care: `InCare/InCare` as the CTF nests it, or a bare `InCare` flag.
    if let Some(outer) = p.child("InCare") {
        once(outer, &["InCare"], &format!("{at}/InCare"), errors);
    }
    let care = p
        .child("InCare")
        .map(|c| c.child("InCare").unwrap_or(c))
        .filter(|c| c.children.is_empty());
    if let Some(care) = care {
        out.lac = boolean(&care.text);
        if out.lac.is_none() {
            errors.push(format!(
                "{at}/InCare/InCare: `{}` is not true or false",
                care.text.trim()
            ));
        }
    }
    // EAL: a first language (type F) other than English (ENG, ENB: believed English). A
    // language is the DfE's code: three or four letters.
    if let Some(languages) = p.child("Languages") {
        let mut first: Option<String> = None;
        for (k, t) in languages.all("Type").enumerate() {
            let here = format!("{at}/Languages/Type[{}]", k + 1);
            once(t, &["LanguageType", "Language"], &here, errors);
            let kind = t
                .child("LanguageType")
                .map(|l| l.text.trim().to_ascii_uppercase());
            let Some(language) = t
                .child("Language")
                .map(|l| l.text.trim().to_ascii_uppercase())
            else {
                errors.push(format!("{here}/Language is missing"));
                continue;
            };
            if !(3..=4).contains(&language.len())
                || !language.chars().all(|c| c.is_ascii_alphanumeric())
            {
                errors.push(format!(
                    "{here}/Language: `{language}` is not a language code (ENG, POL, URD...)"
                ));
                continue;
            }
            if kind.as_deref() == Some("F") {
                if first.is_some() {
                    errors.push(format!("{here}: a second first language"));
                }
                first = Some(language);
            }
        }
        if let Some(language) = first {
            out.eal = Some(!matches!(language.as_str(), "ENG" | "ENB"));
        }
    }
    out
}

//! A pupil list's contact columns (issue 23): `contactN_name`, `_relationship`, `_phone`,
//! `_email`, `_priority`, `_pr` (parental responsibility) and `_no_contact`, for N from 1 to
//! 4, in any order after the six columns every list has. Each value is checked as every
//! door checks text; a contact without a name is none, and its other cells must be empty.

use crate::domain::people::Contact;

/// Contacts a list may carry per pupil.
pub const MAX_CONTACTS: u8 = 4;

const FIELDS: [&str; 7] = [
    "name",
    "relationship",
    "phone",
    "email",
    "priority",
    "pr",
    "no_contact",
];

/// Where each contact column is: (column index, contact number 1-4, field).
#[derive(Default)]
pub struct ContactColumns(Vec<(usize, u8, &'static str)>);

impl ContactColumns {
    /// The column `name` at `index`, if it is a contact column; an error naming it if it
    /// looks like one but is not (`contact5_name`, `contact1_mobile`).
    pub fn take(&mut self, index: usize, name: &str) -> Result<bool, String> {
        let Some(rest) = name.strip_prefix("contact") else {
            return Ok(false);
        };
        let (n, field) = rest.split_once('_').unwrap_or((rest, ""));
        let number: u8 = match n.parse() {
            Ok(n) if (1..=MAX_CONTACTS).contains(&n) => n,
            _ => {
                return Err(format!(
                    "column `{name}`: contacts are numbered 1 to {MAX_CONTACTS} (contact1_name ...)"
                ));
            }
        };
        let Some(field) = FIELDS.iter().find(|f| **f == field) else {
            return Err(format!(
                "column `{name}`: a contact's columns are {}",
                FIELDS
                    .iter()
                    .map(|f| format!("contact{number}_{f}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        if self.0.iter().any(|(_, m, f)| *m == number && f == field) {
            return Err(format!("column `{name}` is there twice"));
        }
        self.0.push((index, number, field));
        Ok(true)
    }

    /// Whether the list has any contact column (a list without keeps what an earlier one
    /// said).
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// A row's contacts, in the order they are called; `bad(column, why)` for each cell
    /// that is wrong.
    pub fn read(
        &self,
        cell: impl Fn(usize) -> String,
        mut bad: impl FnMut(&str, String),
    ) -> Vec<Contact> {
        let mut contacts = Vec::new();
        for number in 1..=MAX_CONTACTS {
            let value = |field: &str| {
                self.0
                    .iter()
                    .find(|(_, n, f)| *n == number && *f == field)
                    .map(|(i, _, _)| cell(*i).trim().to_string())
                    .unwrap_or_default()
            };
            let column = |field: &str| format!("contact{number}_{field}");
            let name = value("name");
            if name.is_empty() {
                for field in FIELDS.iter().skip(1) {
                    if !value(field).is_empty() {
                        bad(
                            &column(field),
                            format!("is filled in but contact{number}_name is empty"),
                        );
                    }
                }
                continue;
            }
            let (phone, email) = (value("phone"), value("email"));
            for (field, why) in check_contact(&name, &value("relationship"), &phone, &email) {
                bad(&column(field), why);
            }
            let priority = match value("priority").as_str() {
                "" => number,
                p => match p.parse::<u8>() {
                    Ok(n) if (1..=9).contains(&n) => n,
                    _ => {
                        bad(
                            &column("priority"),
                            format!("`{p}` is not a priority from 1 to 9"),
                        );
                        number
                    }
                },
            };
            let mut flag = |field: &str| match yes_no(&value(field)) {
                Ok(b) => b,
                Err(why) => {
                    bad(&column(field), why);
                    false
                }
            };
            let parental_responsibility = flag("pr");
            let no_contact = flag("no_contact");
            contacts.push(Contact {
                name,
                relationship: value("relationship"),
                phone,
                email,
                priority,
                parental_responsibility,
                no_contact,
            });
        }
        contacts.sort_by_key(|c| c.priority);
        contacts
    }
}

/// What is wrong with a contact's name, relationship, phone and e-mail, by field: text as
/// every door takes it, a phone of digits and the signs numbers are written with, an
/// e-mail with an `@`. The pupil list and the transfer file check contacts alike.
pub fn check_contact(
    name: &str,
    relationship: &str,
    phone: &str,
    email: &str,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    for (field, value) in [
        ("name", name),
        ("relationship", relationship),
        ("phone", phone),
        ("email", email),
    ] {
        if let Err(why) = crate::domain::text::check_line(field, value) {
            problems.push((field, why));
        }
    }
    if phone
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +()-;".contains(c)))
    {
        problems.push((
            "phone",
            format!("`{phone}` is not a phone number (digits, spaces, + ( ) -; `;` between two)"),
        ));
    }
    if !email.is_empty() && !email.contains('@') {
        problems.push(("email", format!("`{email}` is not an e-mail address")));
    }
    problems
}

fn yes_no(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "" | "n" | "no" | "false" | "0" => Ok(false),
        "y" | "yes" | "true" | "1" => Ok(true),
        other => Err(format!("`{other}` is not Y or N")),
    }
}

//! A pupil list's characteristic columns (issue 23, item 2): `sen` (N none, K SEN support, E
//! EHC plan), `fsm`, `pp`, `lac`, `cin`, `cp`, `young_carer`, `eal` (Y or N) and
//! `social_worker` (name and number), in any order after the six columns every list has. A
//! column a list does not have keeps what an earlier list said.

use crate::domain::people::{Characteristics, Sen};

pub const COLUMNS: [&str; 9] = [
    "sen",
    "fsm",
    "pp",
    "lac",
    "cin",
    "cp",
    "young_carer",
    "eal",
    "social_worker",
];

/// Where each characteristic column is.
#[derive(Default)]
pub struct CharacteristicColumns(Vec<(usize, &'static str)>);

impl CharacteristicColumns {
    /// Takes the column `name` at `index` if it is a characteristic.
    pub fn take(&mut self, index: usize, name: &str) -> bool {
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if !self.0.iter().any(|(_, f)| f == c) => {
                self.0.push((index, c));
                true
            }
            _ => false,
        }
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// What the row says, column by column, with `bad(column, why)` for each cell that is
    /// wrong; laid over what was known when the list is saved ([`apply`]).
    pub fn read(
        &self,
        cell: impl Fn(usize) -> String,
        mut bad: impl FnMut(&str, String),
    ) -> Vec<Said> {
        let mut said = Vec::new();
        for (i, column) in &self.0 {
            let value = cell(*i).trim().to_string();
            match *column {
                "sen" => match value.to_ascii_uppercase().as_str() {
                    "" | "N" => said.push(Said::Sen(Sen::None)),
                    "K" => said.push(Said::Sen(Sen::Support)),
                    "E" => said.push(Said::Sen(Sen::Ehcp)),
                    other => bad(
                        column,
                        format!("`{other}` is not N (none), K (SEN support) or E (EHC plan)"),
                    ),
                },
                "social_worker" => match crate::domain::text::check_line(column, &value) {
                    Ok(()) => said.push(Said::SocialWorker(value)),
                    Err(why) => bad(column, why),
                },
                flag => match value.to_ascii_uppercase().as_str() {
                    "" | "N" | "NO" | "FALSE" | "0" => said.push(Said::Flag(flag, false)),
                    "Y" | "YES" | "TRUE" | "1" => said.push(Said::Flag(flag, true)),
                    other => bad(column, format!("`{other}` is not Y or N")),
                },
            }
        }
        said
    }
}

/// One characteristic as a list's cell says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    Sen(Sen),
    Flag(&'static str, bool),
    SocialWorker(String),
}

/// What a list says, laid over what was known: a column the list does not have keeps it.
pub fn apply(before: &Characteristics, said: &[Said]) -> Characteristics {
    let mut c = before.clone();
    for s in said {
        match s {
            Said::Sen(sen) => c.sen = *sen,
            Said::SocialWorker(who) => c.social_worker = who.clone(),
            Said::Flag(field, on) => {
                let target = match *field {
                    "fsm" => &mut c.fsm,
                    "pp" => &mut c.pp,
                    "lac" => &mut c.lac,
                    "cin" => &mut c.cin,
                    "cp" => &mut c.cp,
                    "young_carer" => &mut c.young_carer,
                    _ => &mut c.eal,
                };
                *target = *on;
            }
        }
    }
    c
}

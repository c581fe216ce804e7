//! `rollcall letter`: a pupil's letter for the stage of intervention they are at, or (with
//! `--stage` alone) every such pupil's, from the stage's template. Templates are found in
//! `--letters`, else the user's own `letters/`, else the machine's (`client.toml`).

use super::error::{CliError, CliResult};
use super::paths::project_dirs;
use crate::domain::stats::round1;
use crate::service::Client;
use crate::service::protocol::PupilStage;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Between two letters in one run, on a line of its own: where a page ends (standard output
/// shows control characters such as a form feed as `�`, so the break is written out).
pub const PAGE_BREAK: &str = "--- page break ---\n";

pub fn write_letters(
    client: &mut Client,
    upn: Option<&str>,
    stage: Option<&str>,
    letters: Option<&Path>,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    let pupils = client.stages(None)?;
    let due: Vec<&PupilStage> = match upn {
        Some(upn) => {
            let Some(at) = pupils.iter().find(|p| p.upn == upn) else {
                return Err(CliError::Failed(format!(
                    "{upn} has reached no stage of intervention today: no letter is due"
                )));
            };
            // A letter is drafted for the stage the pupil is at: a later stage's letter is
            // not due yet, and an earlier one's figures have moved on.
            if let Some(name) = stage
                && !name.eq_ignore_ascii_case(&at.stage.name)
            {
                return Err(CliError::Failed(format!(
                    "{upn} is at stage `{}`, not `{name}`",
                    at.stage.name
                )));
            }
            vec![at]
        }
        None => {
            let name = stage.unwrap_or_default();
            let at: Vec<&PupilStage> = pupils
                .iter()
                .filter(|p| p.stage.name.eq_ignore_ascii_case(name))
                .collect();
            if at.is_empty() {
                return Err(CliError::Failed(format!(
                    "nobody is at stage `{name}` today: no letters are due"
                )));
            }
            at
        }
    };
    let dir = letters_dir(letters)?;
    let mut first = true;
    for at in &due {
        let letter = one_letter(client, at, &dir, today)?;
        if !first {
            write!(out, "{PAGE_BREAK}")?;
        }
        first = false;
        write!(out, "{letter}")?;
    }
    if upn.is_none() {
        eprintln!(
            "{} letter{} for stage `{}`",
            due.len(),
            if due.len() == 1 { "" } else { "s" },
            due[0].stage.name
        );
    }
    Ok(())
}

/// --letters, else the user's own letters/, else the machine's (client.toml).
fn letters_dir(letters: Option<&Path>) -> Result<PathBuf, CliError> {
    let own = project_dirs().map(|d| d.config_dir().join("letters"));
    Ok(match (letters, own) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(own)) if own.is_dir() => own,
        (None, own) => match super::client_config::load()?.letters {
            Some(machine) => machine,
            None => own.ok_or_else(|| {
                CliError::Failed("no configuration directory: give --letters DIR".into())
            })?,
        },
    })
}

fn one_letter(
    client: &mut Client,
    at: &PupilStage,
    dir: &Path,
    today: NaiveDate,
) -> Result<String, CliError> {
    let stage = &at.stage;
    let Some(file) = &stage.letter else {
        return Err(CliError::Failed(format!(
            "stage `{}` has no letter: add letter = \"FILE\" to it in school.toml",
            stage.name
        )));
    };
    let path = dir.join(file);
    let template = crate::files::read_utf8(&path).map_err(CliError::Failed)?;
    let hit = client
        .find_pupils(at.upn.clone(), Some(today))?
        .into_iter()
        .find(|h| h.upn == at.upn)
        .ok_or_else(|| CliError::Failed(format!("no pupil with UPN {}", at.upn)))?;
    // Figures are numbers: a template writes `{attendance}%`.
    let pct = |p: Option<f64>| p.map_or("-".to_string(), |p| format!("{:.1}", round1(p)));
    let values: std::collections::BTreeMap<&str, String> = [
        ("name", format!("{} {}", hit.forename, hit.surname)),
        ("forename", hit.forename.clone()),
        ("surname", hit.surname.clone()),
        ("upn", hit.upn.clone()),
        (
            "dob",
            hit.dob
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
        ),
        ("year", hit.year.to_string()),
        ("group", hit.group.clone().unwrap_or_default()),
        ("date", today.format("%-d %B %Y").to_string()),
        ("stage", stage.name.clone()),
        ("action", stage.action.clone()),
        ("why", at.why.clone()),
        ("attendance", pct(at.year.attendance_pct())),
        ("possible", at.year.possible().to_string()),
        ("absent", at.year.absent().to_string()),
        ("days_lost", format!("{:.1}", at.year.days_lost())),
        ("authorised", at.year.authorised.to_string()),
        ("unauthorised", at.year.unauthorised.to_string()),
        ("days_in_a_row", at.days_in_a_row.to_string()),
    ]
    .into_iter()
    .collect();
    crate::domain::stages::fill(&template, &values)
        .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))
}

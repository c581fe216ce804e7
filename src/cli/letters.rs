//! `rollcall letter`: a pupil's letter for the stage of intervention they are at, or (with
//! `--stage` alone) every such pupil's, from the stage's template; a letter to every parent
//! with their child's figures over a term (`--every-pupil`); a case's letter (`--case`: a
//! leave decision, a penalty notice). Templates are found in `--letters`, else the user's own
//! `letters/`, else the machine's (`client.toml`).

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

/// A letter to the parents of every pupil on roll on `to`, with the child's figures from
/// `from` to `to` (a termly letter, seed policies' "days lost"), one after another.
pub fn every_pupil(
    client: &mut Client,
    template: &str,
    (from, to): (NaiveDate, NaiveDate),
    letters: Option<&Path>,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    let path = letters_dir(letters)?.join(template_name(template)?);
    let text = crate::files::read_utf8(&path).map_err(CliError::Failed)?;
    let roster = client.roster()?;
    let rows = client.report(
        from,
        to,
        crate::service::protocol::ReportBy::Pupil,
        Default::default(),
    )?;
    let (mut written, mut without) = (0, 0);
    for pupil in roster
        .pupils
        .iter()
        .filter(|p| p.left.is_none_or(|left| left >= to))
        .filter(|p| p.admitted.is_some_and(|a| a <= to))
    {
        let p = &pupil.pupil;
        // A pupil with no session in the period has no figures to write about.
        let Some(row) = rows
            .iter()
            .find(|r| r.key == p.upn && r.tally.possible() > 0)
        else {
            without += 1;
            continue;
        };
        let t = &row.tally;
        let pct = |p: Option<f64>| p.map_or("-".to_string(), |p| format!("{:.1}", round1(p)));
        let values: std::collections::BTreeMap<&str, String> = [
            ("name", format!("{} {}", p.forename, p.surname)),
            ("forename", p.forename.clone()),
            ("surname", p.surname.clone()),
            ("upn", p.upn.clone()),
            ("year", p.year.to_string()),
            ("date", today.format("%-d %B %Y").to_string()),
            ("from", from.format("%-d %B %Y").to_string()),
            ("to", to.format("%-d %B %Y").to_string()),
            ("attendance", pct(row.attendance_pct)),
            ("possible", t.possible().to_string()),
            ("absent", t.absent().to_string()),
            ("days_lost", format!("{:.1}", t.days_lost())),
            ("authorised", t.authorised.to_string()),
            ("unauthorised", t.unauthorised.to_string()),
            ("late", row.detail.late_count.to_string()),
            ("band", row.band.clone().unwrap_or_default()),
        ]
        .into_iter()
        .collect();
        let letter = crate::domain::stages::fill(&text, &values)
            .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
        if written > 0 {
            write!(out, "{PAGE_BREAK}")?;
        }
        write!(out, "{letter}")?;
        written += 1;
    }
    eprintln!(
        "{written} letter{} for {from} to {to}{}",
        if written == 1 { "" } else { "s" },
        if without > 0 {
            format!("; {without} pupil(s) on roll had no session in it and no letter")
        } else {
            String::new()
        }
    );
    Ok(())
}

/// A case's letter: a leave request's decision (`leave-granted.txt`, `leave-refused.txt`)
/// or a penalty notice (`penalty.txt`) unless `template` names another.
pub fn case_letter(
    client: &mut Client,
    id: u32,
    template: Option<&str>,
    letters: Option<&Path>,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    use crate::domain::casework::{CaseBody, CaseStep, LeaveState};
    let case = client
        .cases(None, false, false)?
        .into_iter()
        .find(|c| c.case.id == id)
        .ok_or_else(|| CliError::Failed(format!("no case {id}: `rollcall cases` lists them")))?;
    let decision = case.case.steps.iter().rev().find_map(|s| match s.step {
        CaseStep::Granted { .. } | CaseStep::Refused => Some(s.note.clone()),
        _ => None,
    });
    // "Surname, Forename" as a letter writes it: "Forename Surname".
    let name = match case.name.split_once(", ") {
        Some((surname, forename)) => format!("{forename} {surname}"),
        None => case.name.clone(),
    };
    let mut values: std::collections::BTreeMap<&str, String> = [
        ("name", name),
        ("upn", case.case.upn.clone()),
        ("date", today.format("%-d %B %Y").to_string()),
        ("case", case.case.words()),
        ("stands", case.state.clone()),
    ]
    .into_iter()
    .collect();
    let default = match (&case.case.body, case.case.leave_state()) {
        (
            CaseBody::Leave {
                from,
                to,
                reason,
                asked,
            },
            state,
        ) => {
            values.insert("from", from.format("%-d %B %Y").to_string());
            values.insert("to", to.format("%-d %B %Y").to_string());
            values.insert("reason", reason.clone());
            values.insert("asked", asked.format("%-d %B %Y").to_string());
            values.insert("note", decision.unwrap_or_default());
            match state {
                Some(LeaveState::Granted(code)) => {
                    values.insert("code", code.to_string());
                    "leave-granted.txt"
                }
                Some(LeaveState::Refused) => "leave-refused.txt",
                _ => {
                    return Err(CliError::Failed(format!(
                        "leave request {id} is waiting for a decision: its letter follows the decision"
                    )));
                }
            }
        }
        (
            CaseBody::Penalty {
                parent,
                issued,
                second,
            },
            _,
        ) => {
            values.insert("parent", parent.clone());
            values.insert("issued", issued.format("%-d %B %Y").to_string());
            values.insert("note", case.case.opened.note.clone());
            values.insert(
                "terms",
                if *second {
                    "£160, to be paid within 28 days".into()
                } else {
                    "£80 if paid within 21 days, £160 if paid within 28 days".into()
                },
            );
            "penalty.txt"
        }
        _ => {
            return Err(CliError::Failed(format!(
                "case {id} has no letter of its own: give --template FILE"
            )));
        }
    };
    let path = letters_dir(letters)?.join(template_name(template.unwrap_or(default))?);
    let text = crate::files::read_utf8(&path).map_err(CliError::Failed)?;
    let letter = crate::domain::stages::fill(&text, &values)
        .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
    write!(out, "{letter}")?;
    Ok(())
}

/// The message a school texts the parents of a pupil absent without a reason, unless its
/// template says otherwise.
const UNEXPLAINED_MESSAGE: &str = "{forename} is not in school this {session} ({date}) and \
we have no reason for the absence. Please call the school office today.";

/// Today's absences without a reason (`N`), each with the first contact who may be
/// messaged (by priority, with a number, not "no contact") and the message: what a texting
/// service imports. A pupil with no such contact is listed with the contact empty, so the
/// office calls instead.
pub fn unexplained(
    view: &crate::service::protocol::TodayView,
    template: Option<&str>,
    letters: Option<&Path>,
    format: super::values::Format,
    out: &mut impl Write,
) -> CliResult {
    let text = match template {
        Some(name) => {
            let path = letters_dir(letters)?.join(template_name(name)?);
            crate::files::read_utf8(&path).map_err(CliError::Failed)?
        }
        None => UNEXPLAINED_MESSAGE.to_string(),
    };
    let mut rows = Vec::new();
    for p in view
        .pupils
        .iter()
        .filter(|p| p.code == Some(crate::domain::codes::Code::N))
    {
        let forename = p
            .name
            .split_once(", ")
            .map_or(p.name.as_str(), |(_, f)| f)
            .to_string();
        let values: std::collections::BTreeMap<&str, String> = [
            ("forename", forename.clone()),
            ("name", p.name.clone()),
            ("date", view.date.format("%-d %B %Y").to_string()),
            (
                "session",
                if view.session == crate::domain::session::Session::Am {
                    "morning".to_string()
                } else {
                    "afternoon".to_string()
                },
            ),
        ]
        .into_iter()
        .collect();
        let message = crate::domain::stages::fill(&text, &values)
            .map_err(|e| CliError::Failed(format!("the message template: {e}")))?;
        let contact = p
            .contacts
            .iter()
            .find(|c| !c.no_contact && !c.phone.trim().is_empty());
        rows.push(vec![
            p.upn.clone(),
            p.name.clone(),
            contact.map(|c| c.name.clone()).unwrap_or_default(),
            contact
                .and_then(|c| c.phone.split(';').next())
                .map(|n| n.trim().to_string())
                .unwrap_or_default(),
            message.trim_end().to_string(),
        ]);
    }
    let header = ["upn", "pupil", "contact", "phone", "message"];
    let json = || {
        serde_json::Value::Array(
            rows.iter()
                .map(|row| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .zip(row)
                            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect(),
        )
    };
    super::output::write_rows(out, &header, &rows, format, json)
}

/// A template's name: a file in the letters directory, never a path elsewhere.
fn template_name(name: &str) -> Result<&str, CliError> {
    if name.is_empty()
        || name.contains(['/', '\\'])
        || name.starts_with('.')
        || name.chars().any(char::is_control)
    {
        return Err(CliError::Failed(format!(
            "`{name}` must be a file name in the letters directory, not a path"
        )));
    }
    Ok(name)
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

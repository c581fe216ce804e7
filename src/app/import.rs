//! Importing a pupil list from the app (admins): the file's path is typed, the file is read
//! by the loop that runs the app (I/O stays out of `update`), the engine previews what would
//! change pupil by pupil, and only `y` on that preview imports it. It belongs to no screen.

use super::action::{Effect, Incoming, Outcome, Reply};
use super::modal::{Answer, ConfirmState, InputState, Modal};
use super::next::Next;
use super::shared::Shared;
use crate::domain::register::Role;
use crate::service::protocol::*;

/// What the import's dialogs ask.
#[derive(Clone, Debug)]
pub enum Ask {
    /// The path of a pupil list to preview.
    File,
    /// The previewed list: import it?
    Import { file: String, csv: String },
}

pub fn ask_for_file(shared: &mut Shared) -> Next<Ask> {
    if shared.me.role != Role::Admin {
        shared.error_text("pupil lists are imported by an admin");
        return Next::none();
    }
    Next::dialog(Modal::Input(InputState::new(
        Ask::File,
        "Import pupils",
        "file: ",
        vec![
            "A CSV from the management system: upn,surname,forename,dob,year,group[,sex]".into(),
            "What would change is shown first; nothing is saved until you say y.".into(),
        ],
    )))
}

pub fn answered(shared: &mut Shared, ask: Ask, answer: Answer) -> Result<Next<Ask>, String> {
    match (ask, answer) {
        (Ask::File, Answer::Text(path)) => {
            if path.is_empty() {
                return Err("type the file's path".into());
            }
            // The loop reads the file and comes back with `read`.
            shared.inbox.push(Incoming { path });
            Ok(Next::none())
        }
        (Ask::Import { file, csv }, Answer::Yes) => Ok(Next::effect(Effect::new(
            Request::ImportPupils {
                file,
                csv,
                from: None,
                end_missing: false,
                dry_run: false,
            },
            Reply::Imported,
        ))),
        _ => Ok(Next::none()),
    }
}

/// The file read (or why not): previewed by the engine, saving nothing.
pub fn read(shared: &mut Shared, path: String, text: Result<String, String>) -> Vec<Effect> {
    match text {
        Ok(csv) => vec![Effect::new(
            Request::ImportPupils {
                file: path.clone(),
                csv: csv.clone(),
                from: None,
                end_missing: false,
                dry_run: true,
            },
            Reply::PupilPreview {
                file: path,
                csv: Box::new(csv),
            },
        )],
        Err(why) => {
            shared.error_text(why);
            Vec::new()
        }
    }
}

/// What the file would change, to confirm with `y`.
pub fn previewed(
    shared: &mut Shared,
    file: String,
    csv: String,
    result: Outcome<ImportSummary>,
) -> Next<Ask> {
    match result {
        Ok(summary) => {
            let mut lines = summary.changes.clone();
            if lines.is_empty() {
                lines.push("Nothing in the file differs from the pupils on roll.".into());
            }
            lines.push(format!(
                "{} new, {} changed, {} moving group, {} unchanged; {} on roll not in the file stay.",
                summary.added, summary.updated, summary.moved, summary.unchanged, summary.not_in_file
            ));
            let title = format!("Import pupils from {file}?");
            Next::dialog(Modal::Confirm(
                ConfirmState::new(Ask::Import { file, csv }, title, lines)
                    .deliberate("import", "leave it"),
            ))
        }
        Err(e) => {
            shared.error(&e);
            Next::none()
        }
    }
}

pub fn imported(shared: &mut Shared, result: Outcome<ImportSummary>) {
    match result {
        Ok(s) => shared.info(format!(
            "imported: {} added, {} updated, {} moved group, {} unchanged",
            s.added, s.updated, s.moved, s.unchanged
        )),
        Err(e) => shared.error(&e),
    }
}

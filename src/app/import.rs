//! Importing a pupil list from the app (admins): the file's path is typed, the file is read
//! by the loop that runs the app (I/O stays out of `update`), the engine previews what would
//! change pupil by pupil, and only `y` on that preview imports it.

use super::modal::{ConfirmPurpose, ConfirmState, InputPurpose, InputState};
use super::{App, Effect, Modal, Next, Outcome, Reply};
use crate::service::protocol::*;

/// A file the app asks the loop to read, and what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub path: String,
}

pub(super) fn ask_for_file(app: &mut App) -> Next {
    if app.me.role != crate::domain::register::Role::Admin {
        app.error_text("pupil lists are imported by an admin");
        return Next::none();
    }
    Next::dialog(Modal::Input(InputState::new(
        InputPurpose::ImportFile,
        "Import pupils",
        "file: ",
        vec![
            "A CSV from the management system: upn,surname,forename,dob,year,group[,sex]".into(),
            "What would change is shown first; nothing is saved until you say y.".into(),
        ],
    )))
}

/// The path typed: the loop reads the file and comes back with [`read`].
pub(super) fn want(app: &mut App, path: String) -> Next {
    app.inbox.push(Incoming { path });
    Next::none()
}

/// The file read (or why not): previewed by the engine, saving nothing.
pub(super) fn read(app: &mut App, path: String, text: Result<String, String>) -> Vec<Effect> {
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
            app.error_text(why);
            Vec::new()
        }
    }
}

pub(super) fn previewed(
    app: &mut App,
    file: String,
    csv: String,
    result: Outcome<ImportSummary>,
) -> Vec<Effect> {
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
            app.modal = Some(Modal::Confirm(ConfirmState {
                purpose: ConfirmPurpose::ImportPupils {
                    file: file.clone(),
                    csv,
                },
                title: format!("Import pupils from {file}?"),
                lines,
                scroll: 0,
            }));
        }
        Err(e) => app.error(&e),
    }
    Vec::new()
}

/// The import itself, once the preview is confirmed.
pub(super) fn import(file: String, csv: String) -> Effect {
    Effect::new(
        Request::ImportPupils {
            file,
            csv,
            from: None,
            end_missing: false,
            dry_run: false,
        },
        Reply::Imported,
    )
}

pub(super) fn imported(app: &mut App, result: Outcome<ImportSummary>) -> Vec<Effect> {
    match result {
        Ok(s) => app.info(format!(
            "imported: {} added, {} updated, {} moved group, {} unchanged",
            s.added, s.updated, s.moved, s.unchanged
        )),
        Err(e) => app.error(&e),
    }
    app.reload_current()
}

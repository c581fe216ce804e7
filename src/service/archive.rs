//! The plain CSV archive written beside a backup, from the checked copy: the pupils (as
//! `import pupils` reads them), every group each was in with its dates, and every mark. A database file of 2026 may not open in a build
//! of 2032; a CSV file will. Its columns are those `rollcall export marks` and the pupil list
//! use, so the archive imports back into any later rollcall.

use crate::service::error::ServiceError;
use crate::store::{Access, Store};
use std::path::{Path, PathBuf};

/// Writes `NAME.pupils.csv`, `NAME.groups.csv` and `NAME.marks.csv` beside the copy at `copy` (new files only,
/// 0640 like the copy) and returns their paths. A failure removes what it wrote.
pub fn write_beside(copy: &Path) -> Result<Vec<PathBuf>, ServiceError> {
    let stem = copy
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "backup".into());
    let dir = copy.parent().unwrap_or(Path::new("."));
    let pupils = dir.join(format!("{stem}.pupils.csv"));
    let groups = dir.join(format!("{stem}.groups.csv"));
    let marks = dir.join(format!("{stem}.marks.csv"));
    let written = (|| {
        let store = Store::open(copy, Access::ReadOnly)?;
        let r = store.read()?;
        // The pupils as `rollcall import pupils` reads them (each in their latest group),
        // and every group each was ever in, with its dates.
        let mut out = csv::Writer::from_writer(new_file(&pupils)?);
        let mut history = csv::Writer::from_writer(new_file(&groups)?);
        out.write_record(["upn", "surname", "forename", "dob", "year", "group", "sex"])
            .map_err(failed)?;
        history
            .write_record(["upn", "group", "from", "to"])
            .map_err(failed)?;
        let everyone = r.pupils()?;
        for pupil in &everyone {
            let memberships = r.memberships(&pupil.upn)?;
            let latest = memberships
                .last()
                .map(|m| m.group.clone())
                .unwrap_or_default();
            out.write_record([
                pupil.upn.as_str(),
                &pupil.surname,
                &pupil.forename,
                &pupil.dob.to_string(),
                &pupil.year.to_string(),
                &latest,
                pupil.sex.map(|s| s.as_str()).unwrap_or(""),
            ])
            .map_err(failed)?;
            for m in memberships {
                let to = m.end.map(|d| d.to_string()).unwrap_or_default();
                history
                    .write_record([pupil.upn.as_str(), &m.group, &m.start.to_string(), &to])
                    .map_err(failed)?;
            }
        }
        finish(history)?;
        finish(out)?;
        let names: std::collections::HashMap<String, (String, String)> = everyone
            .into_iter()
            .map(|p| (p.upn, (p.surname, p.forename)))
            .collect();
        let mut out = csv::Writer::from_writer(new_file(&marks)?);
        out.write_record([
            "date",
            "session",
            "upn",
            "surname",
            "forename",
            "group",
            "code",
            "arrived",
            "minutes_late",
            "note",
            "recorded_by",
            "recorded_at",
        ])
        .map_err(failed)?;
        let mut error = None;
        r.each_mark_between(
            crate::domain::dates::earliest(),
            crate::domain::dates::latest(),
            None,
            |key, mark| {
                let (surname, forename) = names.get(&key.upn).cloned().unwrap_or_default();
                let written = out.write_record([
                    key.date.to_string(),
                    key.session.as_str().to_string(),
                    key.upn,
                    surname,
                    forename,
                    mark.group,
                    mark.code.as_str().to_string(),
                    mark.arrived
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    mark.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
                    mark.note.unwrap_or_default(),
                    mark.recorded_by,
                    mark.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                ]);
                match written {
                    Ok(()) => Ok(true),
                    Err(e) => {
                        error = Some(failed(e));
                        Ok(false)
                    }
                }
            },
        )?;
        if let Some(e) = error {
            return Err(e);
        }
        finish(out)?;
        Ok(vec![pupils.clone(), groups.clone(), marks.clone()])
    })();
    if written.is_err() {
        for file in [&pupils, &groups, &marks] {
            let _ = std::fs::remove_file(file);
        }
    }
    written
}

fn new_file(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, ServiceError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o640)
        .open(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| ServiceError::Store(format!("the CSV archive {}: {e}", path.display())))
}

fn finish(out: csv::Writer<std::io::BufWriter<std::fs::File>>) -> Result<(), ServiceError> {
    let file = out
        .into_inner()
        .map_err(|e| ServiceError::Store(format!("the CSV archive: {e}")))?
        .into_inner()
        .map_err(|e| ServiceError::Store(format!("the CSV archive: {e}")))?;
    file.sync_all()
        .map_err(|e| ServiceError::Store(format!("the CSV archive: {e}")))
}

fn failed(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Store(format!("the CSV archive: {e}"))
}

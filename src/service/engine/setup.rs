//! Setting the school up: its configuration, its staff and its pupils (admins only).

use super::core::{Engine, Result, invalid};
use crate::config::parse_school;
use crate::domain::School;
use crate::domain::codes::Code;
use crate::domain::marks::Membership;
use crate::domain::people::Staff;
use crate::domain::session::Session;
use crate::domain::session::hm;
use crate::service::error::ServiceError;
use crate::service::import::parse_pupils;
use crate::service::protocol::*;
use crate::store::{Kind, Tables};
use chrono::{Days, NaiveDate};
use std::collections::HashSet;
use std::sync::Arc;

impl Engine {
    pub(super) fn init(&self, account: &str, file: &str, source: &str) -> Result<Response> {
        self.admin(account, "configure the school")?;
        let school =
            parse_school(file, source).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let today = self.now().date();
        let old = self.current_school();
        self.store.write(|w| {
            if let Some(old) = &old {
                for group in old
                    .groups
                    .iter()
                    .filter(|g| school.group(&g.name).is_none())
                {
                    let on_roll = w.roll(&group.name, today)?.len();
                    if on_roll > 0 {
                        return invalid(format!(
                            "{file}: group `{}` is missing, but {on_roll} pupils are on its roll today; \
                             move them with `rollcall import pupils` first, then remove the group",
                            group.name
                        ));
                    }
                }
            }
            // A period the timetable uses cannot go: its lessons (and a pupil missing from
            // one) would vanish from every list. Names are matched exactly, as stored.
            let mut gone: Vec<String> = w
                .timetable()?
                .into_iter()
                .map(|slot| slot.period)
                .filter(|p| !school.lessons.periods.iter().any(|q| q.name == *p))
                .collect();
            gone.sort();
            gone.dedup();
            if !gone.is_empty() {
                return invalid(format!(
                    "{file}: the timetable has lessons in {}, which [[periods]] no longer names; \
                     import a timetable without them first (`rollcall import timetable`), then \
                     remove or rename the period. Nothing was changed.",
                    gone.join(", ")
                ));
            }
            if let Some(old) = &old {
                let stranded = stranded_marks(w, old, &school)?;
                if !stranded.is_empty() {
                    let total: usize = stranded.iter().map(|(_, _, n)| n).sum();
                    let listed: Vec<String> = stranded
                        .iter()
                        .take(10)
                        .map(|(d, s, n)| format!("{d} {}: {n}", s.label()))
                        .collect();
                    return invalid(format!(
                        "{file}: {total} marks are on sessions this configuration makes non-school \
                         days ({}{}); they would still count while their days did not. Correct the \
                         dates, or amend those marks first (`#` for a closure). Nothing was changed.",
                        listed.join(", "),
                        if stranded.len() > 10 {
                            format!(" and {} more sessions", stranded.len() - 10)
                        } else {
                            String::new()
                        }
                    ));
                }
            }
            w.set_school_source(source)?;
            Ok(())
        })?;
        let mut message = format!(
            "{}: {} term{}, {} group{}, registers {}-{} (AM) and {}-{} (PM)",
            school.name,
            school.calendar.terms.len(),
            if school.calendar.terms.len() == 1 {
                ""
            } else {
                "s"
            },
            school.groups.len(),
            if school.groups.len() == 1 { "" } else { "s" },
            hm(school.sessions.am.register_at),
            hm(school.sessions.am.closes_at),
            hm(school.sessions.pm.register_at),
            hm(school.sessions.pm.closes_at),
        );
        for t in &school.timings {
            let whom: Vec<String> = t
                .years
                .iter()
                .map(|y| format!("year {y}"))
                .chain(t.groups.iter().cloned())
                .collect();
            message.push_str(&format!(
                "; {} ({}) {}-{} and {}-{}",
                t.name,
                whom.join(", "),
                hm(t.sessions.am.register_at),
                hm(t.sessions.am.closes_at),
                hm(t.sessions.pm.register_at),
                hm(t.sessions.pm.closes_at),
            ));
        }
        *self.school.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(school));
        self.notify(Event::Reload);
        Ok(Response::Done { message })
    }

    pub(super) fn staff_add(&self, account: &str, staff: Staff) -> Result<Response> {
        self.admin(account, "add staff")?;
        let valid_account = !staff.account.is_empty()
            && staff
                .account
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !valid_account {
            return invalid(format!(
                "account `{}`: use the operating-system login name (letters, digits, . _ -)",
                staff.account
            ));
        }
        if staff.name.trim().is_empty() || staff.position.trim().is_empty() {
            return invalid("name and position must not be empty: the audit trail records both");
        }
        for (what, text) in [("the name", &staff.name), ("the position", &staff.position)] {
            crate::domain::text::check_line(what, text).map_err(ServiceError::Invalid)?;
        }
        let message = self.store.write(|w| {
            let existed = w.staff(&staff.account)?.is_some();
            let message = format!(
                "{} {} ({}, {}, {})",
                if existed { "updated" } else { "added" },
                staff.account,
                staff.name,
                staff.position,
                staff.role.as_str()
            );
            w.put_staff(&Staff {
                name: staff.name.trim().to_string(),
                position: staff.position.trim().to_string(),
                ..staff.clone()
            })?;
            Ok::<_, ServiceError>(message)
        })?;
        self.notify(Event::Reload);
        Ok(Response::Done { message })
    }

    pub(super) fn import_pupils(
        &self,
        account: &str,
        file: &str,
        csv: &str,
        from: Option<NaiveDate>,
        end_missing: bool,
        dry_run: bool,
    ) -> Result<Response> {
        self.admin(account, "import pupils")?;
        let school = self.school()?;
        let now = self.now();
        let rows = parse_pupils(file, csv, &school, now.date()).map_err(ServiceError::Invalid)?;
        let from = from.unwrap_or(now.date());
        let day_before = from - Days::new(1);
        let mut summary = ImportSummary {
            from: Some(from),
            dry_run,
            ..ImportSummary::default()
        };
        self.store.write(|w| {
            let in_file: HashSet<&str> = rows.iter().map(|r| r.pupil.upn.as_str()).collect();
            for row in &rows {
                let upn = row.pupil.upn.as_str();
                let name = row.pupil.display_name();
                let existing = w.pupil(upn)?;
                // Unchanged means nothing of the pupil changed: details, contacts,
                // characteristics and group alike.
                let mut changed = existing.is_none();
                // A list without a sex column keeps what an earlier list said.
                let mut pupil = row.pupil.clone();
                if pupil.sex.is_none() {
                    pupil.sex = existing.as_ref().and_then(|p| p.sex);
                }
                match existing {
                    None => {
                        summary.added += 1;
                        summary
                            .changes
                            .push(format!("new: {name} ({upn}), {}", row.group));
                    }
                    Some(old) if old == pupil => {}
                    Some(old) => {
                        changed = true;
                        summary.updated += 1;
                        summary.changes.push(format!(
                            "details: {name} ({upn}): {}",
                            pupil_changes(&old, &pupil)
                        ));
                    }
                }
                w.put_pupil(&pupil)?;
                // A list with contact columns gives each pupil's contacts whole; one without
                // keeps what an earlier list said.
                if let Some(contacts) = &row.contacts
                    && w.contacts(upn)? != *contacts
                {
                    w.put_contacts(upn, contacts)?;
                    changed = true;
                    summary.contacts += 1;
                    summary.changes.push(format!(
                        "contacts: {name} ({upn}): {}",
                        if contacts.is_empty() {
                            "none".to_string()
                        } else {
                            contacts
                                .iter()
                                .map(|c| format!("{} ({})", c.name, c.relationship))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ));
                }
                // Characteristics the list has columns for, laid over what was known, dated
                // from the list's day.
                if !row.characteristics.is_empty() {
                    let before = w.characteristics(upn, from)?;
                    let after =
                        crate::service::characteristics::apply(&before, &row.characteristics);
                    if after != before {
                        w.put_characteristics(upn, from, &after)?;
                        changed = true;
                        summary.characteristics += 1;
                        summary.changes.push(format!(
                            "characteristics: {name} ({upn}) from {from}: {}",
                            if after.words().is_empty() {
                                "none".to_string()
                            } else {
                                after.words()
                            }
                        ));
                    }
                }
                match current_membership(w, upn, from)? {
                    Some(m) if m.group == row.group => summary.unchanged += usize::from(!changed),
                    Some(m) => {
                        summary.changes.push(format!(
                            "moves: {name} ({upn}): {} to {} from {from}",
                            m.group, row.group
                        ));
                        // End the old membership the day before; the marks made in it stay there.
                        w.put_membership(upn, &m.ended(day_before))?;
                        w.put_membership(upn, &membership(&row.group, from))?;
                        summary.moved += 1;
                    }
                    None => w.put_membership(upn, &membership(&row.group, from))?,
                }
            }
            for pupil in w.pupils()? {
                if in_file.contains(pupil.upn.as_str()) {
                    continue;
                }
                if let Some(m) = current_membership(w, &pupil.upn, from)? {
                    summary.not_in_file += 1;
                    summary.changes.push(format!(
                        "{}: {} ({}), {}",
                        if end_missing {
                            "leaves"
                        } else {
                            "not in the file (stays)"
                        },
                        pupil.display_name(),
                        pupil.upn,
                        m.group
                    ));
                    if end_missing {
                        w.put_membership(&pupil.upn, &m.ended(day_before))?;
                        summary.ended += 1;
                    }
                }
            }
            if dry_run {
                w.discard();
            }
            Ok::<_, ServiceError>(())
        })?;
        if !dry_run {
            self.notify(Event::Reload);
        }
        Ok(Response::Imported(summary))
    }
}

/// Sessions that are school sessions in `old` but not in `new` and hold marks (other than `#`,
/// which already says the school was closed), with how many.
fn stranded_marks<T: Kind>(
    tx: &Tables<T>,
    old: &School,
    new: &School,
) -> Result<Vec<(NaiveDate, Session, usize)>> {
    let (Some(first), Some(last)) = (old.calendar.terms.first(), old.calendar.terms.last()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (date, session) in old.calendar.school_sessions(first.start, last.end) {
        if new.calendar.is_school_session(date, session) {
            continue;
        }
        let marks = tx
            .marks_on(date, session)?
            .into_iter()
            .filter(|(_, m)| m.code != Code::Hash)
            .count();
        if marks > 0 {
            out.push((date, session, marks));
        }
    }
    Ok(out)
}

/// The pupil's latest membership still running on or after `from`, if any.
fn current_membership<T: Kind>(
    tx: &Tables<T>,
    upn: &str,
    from: NaiveDate,
) -> Result<Option<Membership>> {
    Ok(tx
        .memberships(upn)?
        .into_iter()
        .rev()
        .find(|m| m.end.is_none_or(|e| e >= from)))
}

fn membership(group: &str, from: NaiveDate) -> Membership {
    Membership {
        group: group.to_string(),
        start: from,
        end: None,
    }
}

impl Engine {
    /// A consistent copy of the database while marking goes on (admins).
    /// Where a backup named `path` goes: a bare file name goes into the backup directory
    /// (made, private to the server and its group, if it is not there); a full path is taken
    /// only in-process, never by a server, which writes backups into its directory alone.
    fn backup_destination(&self, path: &str) -> Result<std::path::PathBuf> {
        let dir = &self.backup_dir;
        if !path.contains('/') {
            let bad = path.is_empty()
                || path.starts_with('.')
                || path.len() > 100
                || !path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if bad {
                return super::core::invalid(format!(
                    "`{path}` is not a backup's file name: letters, digits, - _ and ., not starting with a dot"
                ));
            }
            if std::fs::symlink_metadata(dir).is_err() {
                use std::os::unix::fs::DirBuilderExt;
                std::fs::DirBuilder::new()
                    .mode(0o750)
                    .create(dir)
                    .map_err(|e| {
                        ServiceError::Store(format!(
                            "cannot make the backup directory {}: {e}",
                            dir.display()
                        ))
                    })?;
            }
            return Ok(dir.join(path));
        }
        let dest = std::path::PathBuf::from(path);
        if !dest.is_absolute() {
            return super::core::invalid(format!(
                "`{path}`: give a file name (it goes into {}) or, without a server, a full path",
                dir.display()
            ));
        }
        if self.server {
            return super::core::refused(format!(
                "the server writes backups only into its backup directory, {}: give a file name \
                 (`rollcall backup school-2026-11-23.redb`), not a path",
                dir.display()
            ));
        }
        Ok(dest)
    }

    pub(super) fn backup(
        &self,
        ctx: &super::ctx::Ctx,
        path: &str,
        archive: bool,
    ) -> Result<Response> {
        if ctx.staff.role != crate::domain::register::Role::Admin {
            return super::core::refused("backups are taken by an admin");
        }
        self.backup_into_dir(path, archive)
    }

    /// A checked copy at `path` (a name in the backup directory; without a server, a full
    /// path too), readable by the backup directory's group.
    pub(super) fn backup_into_dir(&self, path: &str, archive: bool) -> Result<Response> {
        let dest = self.backup_destination(path)?;
        let contents = self.store.backup_to(&dest)?;
        // The CSV archive is read from the copy just checked, not the live database.
        let archived = if archive {
            crate::service::archive::write_beside(&dest)?
        } else {
            Vec::new()
        };
        // The admins read backups through the backup directory's group: each file 0640 in
        // that group (reading the copy back made it private, as any open of one's own does).
        if let Ok(dir) = std::fs::metadata(&self.backup_dir) {
            let gid = nix::unistd::Gid::from_raw(std::os::unix::fs::MetadataExt::gid(&dir));
            for file in std::iter::once(&dest).chain(&archived) {
                let _ = nix::unistd::chown(file, None, Some(gid));
                let _ = std::fs::set_permissions(
                    file,
                    std::os::unix::fs::PermissionsExt::from_mode(0o640),
                );
            }
        }
        let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
        log::info!(
            "backed up to {}: {bytes} bytes, {} pupils, {} marks, checked whole{}",
            dest.display(),
            contents.pupils,
            contents.marks,
            if archived.is_empty() {
                ""
            } else {
                ", with its CSV archive"
            }
        );
        Ok(Response::Backup(BackupSummary {
            path: dest.display().to_string(),
            schema: contents.schema,
            pupils: contents.pupils,
            staff: contents.staff,
            marks: contents.marks,
            changes: contents.changes,
            bytes,
            archive: archived.iter().map(|p| p.display().to_string()).collect(),
        }))
    }
}

/// What differs between a pupil's record and the file's row, field by field.
fn pupil_changes(old: &crate::domain::people::Pupil, new: &crate::domain::people::Pupil) -> String {
    let mut out = Vec::new();
    if old.surname != new.surname {
        out.push(format!("surname {} to {}", old.surname, new.surname));
    }
    if old.forename != new.forename {
        out.push(format!("forename {} to {}", old.forename, new.forename));
    }
    if old.dob != new.dob {
        out.push(format!("date of birth {} to {}", old.dob, new.dob));
    }
    if old.year != new.year {
        out.push(format!("year {} to {}", old.year, new.year));
    }
    if old.sex != new.sex {
        let says = |s: Option<crate::domain::people::Sex>| s.map_or("not given", |s| s.as_str());
        out.push(format!("sex {} to {}", says(old.sex), says(new.sex)));
    }
    out.join(", ")
}

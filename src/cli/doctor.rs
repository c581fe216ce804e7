//! `rollcall doctor`: what a technician gets wrong, checked from where the caller sits. Through
//! a server: its socket (there, its mode and group), the caller's membership of that group,
//! the server's answer (the caller on the staff list, its release) and the server's account.
//! On a database of one's own: the file (there, readable, its schema, private). Everywhere:
//! the clock and time zone, the last backup's age, the locale and the terminal. Each line is
//! `ok` or `FIX` with what to do; the exit status is 1 when anything needs fixing.

use super::args::Cli;
use super::connect::{db_path, remote_client, server_socket};
use super::error::{CliError, CliResult};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

/// A backup older than this is reported: registers are kept for years, and a school day's
/// marks are a day's work to enter again.
const BACKUP_DAYS: u64 = 2;

#[derive(Default)]
struct Findings {
    lines: Vec<String>,
    to_fix: usize,
}

impl Findings {
    fn ok(&mut self, what: impl AsRef<str>) {
        self.lines.push(format!("ok   {}", what.as_ref()));
    }

    fn fix(&mut self, what: impl AsRef<str>, how: impl AsRef<str>) {
        self.to_fix += 1;
        self.lines
            .push(format!("FIX  {}\n     {}", what.as_ref(), how.as_ref()));
    }

    fn note(&mut self, what: impl AsRef<str>) {
        self.lines.push(format!("--   {}", what.as_ref()));
    }
}

pub fn run(cli: &Cli) -> CliResult {
    let mut found = Findings::default();
    let db = db_path(cli)?;
    let socket = server_socket(cli, &db);
    let backups = match &socket {
        Some(socket) => {
            server(cli, socket, &mut found);
            None
        }
        None => {
            database(&db, &mut found);
            db.parent().map(|dir| dir.join("backups"))
        }
    };
    clock(&mut found);
    match backups {
        Some(dir) => last_backup(&dir, &mut found),
        None => found.note(
            "backups: kept by the server, out of this account's sight (`rollcall doctor` as \
             the server's account, or `rollcall backup` as an admin, checks them)",
        ),
    }
    locale_and_terminal(&mut found);
    let mut out = String::new();
    for line in &found.lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&if found.to_fix == 0 {
        "nothing to fix\n".to_string()
    } else {
        format!("{} to fix\n", found.to_fix)
    });
    super::output::write_stdout(out.as_bytes())?;
    if found.to_fix > 0 {
        return Err(CliError::Failed(format!(
            "doctor: {} thing{} to fix (above)",
            found.to_fix,
            if found.to_fix == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// The server's socket, the caller's group, the server's answer and its account.
fn server(cli: &Cli, socket: &Path, found: &mut Findings) {
    let me = crate::service::os_account();
    let account = cli.server_account.as_deref().unwrap_or("rollcall");
    match nix::unistd::User::from_name(account) {
        Ok(Some(_)) => found.ok(format!("the server's account `{account}` exists")),
        _ => found.fix(
            format!("no account `{account}` for the server"),
            "install the package (it makes the account), or name the account the server runs \
             as with --server-account",
        ),
    }
    let meta = match std::fs::metadata(socket) {
        Ok(meta) if meta.file_type().is_socket() => meta,
        Ok(_) => {
            found.fix(
                format!("{} is not a socket", socket.display()),
                "remove it and restart the server: `systemctl restart rollcall`",
            );
            return;
        }
        Err(e) => {
            found.fix(
                format!("no server socket at {} ({e})", socket.display()),
                "start the server: `systemctl enable --now rollcall` (or give --socket PATH)",
            );
            return;
        }
    };
    let mode = meta.permissions().mode() & 0o777;
    let group = nix::unistd::Group::from_gid(meta.gid().into())
        .ok()
        .flatten()
        .map_or_else(|| meta.gid().to_string(), |g| g.name);
    let owner = meta.uid() == nix::unistd::geteuid().as_raw();
    if mode & 0o060 == 0o060 {
        found.ok(format!(
            "the socket {} is {mode:04o}, group {group}",
            socket.display()
        ));
    } else if !owner {
        found.fix(
            format!(
                "the socket {} is {mode:04o}: only its owner can use it",
                socket.display()
            ),
            "start the server with `serve --group rollcall-staff` (the package's unit does)",
        );
    }
    let in_group = owner
        || nix::unistd::getgroups()
            .unwrap_or_default()
            .iter()
            .any(|g| g.as_raw() == meta.gid())
        || nix::unistd::getegid().as_raw() == meta.gid();
    if in_group {
        found.ok(format!("you ({me}) may use the socket"));
    } else {
        found.fix(
            format!("you ({me}) are not in the group {group}, to which the socket belongs"),
            format!("an administrator runs `sudo usermod -aG {group} {me}`; then log in again"),
        );
        return;
    }
    match remote_client(cli, socket, false).and_then(|mut c| c.hello().map_err(CliError::from)) {
        Ok(hello) => {
            found.ok(format!(
                "the server answers: {}, you are {} ({:?})",
                hello.school, hello.me.name, hello.me.role
            ));
            match crate::service::release_differs(
                &hello.version,
                &format!("the server at {}", socket.display()),
            ) {
                None => found.ok("the server runs this release"),
                Some(differs) => found.fix("the server runs another release", differs),
            }
        }
        Err(e) => found.fix("the server does not let you in", e.message()),
    }
}

/// A database of the caller's own: there, readable, its schema, private.
fn database(db: &Path, found: &mut Findings) {
    let meta = match std::fs::metadata(db) {
        Ok(meta) => meta,
        Err(e) => {
            found.fix(
                format!("no database at {} ({e})", db.display()),
                "make one: `rollcall init --school school.toml`, or try `rollcall --demo`; \
                 a school's server: give --socket PATH",
            );
            return;
        }
    };
    match crate::store::file_schema(db) {
        Ok(0) => found.fix(
            format!("{} is not a rollcall database", db.display()),
            "give the right file with --db",
        ),
        Ok(schema) if schema < crate::store::schema::SCHEMA_VERSION => found.ok(format!(
            "the database {} (schema {schema}: the first change upgrades it to {}, keeping a copy)",
            db.display(),
            crate::store::schema::SCHEMA_VERSION
        )),
        Ok(schema) => found.ok(format!("the database {} (schema {schema})", db.display())),
        Err(e) => found.fix(
            format!("the database {} does not open", db.display()),
            e.to_string(),
        ),
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        found.fix(
            format!("the database is {mode:04o}: others can read pupils' records"),
            format!("`chmod 600 {}`", db.display()),
        );
    } else {
        found.ok(format!("the database is private ({mode:04o})"));
    }
}

/// The clock decides late and `U`: a wrong time or zone marks pupils wrongly.
fn clock(found: &mut Findings) {
    let now = chrono::Local::now();
    let year = chrono::Datelike::year(&now);
    if !(2020..=2100).contains(&year) {
        found.fix(
            format!("the clock says {}", now.format("%Y-%m-%d %H:%M")),
            "set the time (`timedatectl set-ntp true`)",
        );
        return;
    }
    let zone = std::env::var("TZ")
        .ok()
        .filter(|z| !z.is_empty())
        .or_else(|| {
            std::fs::read_link("/etc/localtime")
                .ok()
                .and_then(|target| {
                    let target = target.to_string_lossy().to_string();
                    target
                        .split_once("zoneinfo/")
                        .map(|(_, zone)| zone.to_string())
                })
        });
    let said = format!("the clock: {}", now.format("%Y-%m-%d %H:%M %Z"));
    match zone.as_deref() {
        Some("Europe/London") | Some(":Europe/London") => {
            found.ok(format!("{said}, Europe/London"))
        }
        Some(other) => found.fix(
            format!("{said}, time zone {other}"),
            "registers are kept in England's time: `timedatectl set-timezone Europe/London`",
        ),
        None => found.fix(
            format!("{said}, time zone not set"),
            "`timedatectl set-timezone Europe/London`",
        ),
    }
}

/// The newest copy in the backup directory, by its time.
fn last_backup(dir: &Path, found: &mut Findings) {
    let newest = std::fs::read_dir(dir).ok().and_then(|entries| {
        entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "redb"))
            .filter_map(|e| e.metadata().ok()?.modified().ok())
            .max()
    });
    let Some(newest) = newest else {
        found.fix(
            format!("no backup in {}", dir.display()),
            "make one now (`rollcall backup school-$(date +%F).redb`) and every night (the \
             package's rollcall-backup.timer)",
        );
        return;
    };
    let days = newest.elapsed().map_or(0, |age| age.as_secs() / 86_400);
    if days >= BACKUP_DAYS {
        found.fix(
            format!("the last backup in {} is {days} days old", dir.display()),
            "`rollcall backup school-$(date +%F).redb`; check the nightly timer: \
             `systemctl status rollcall-backup.timer`",
        );
    } else {
        found.ok(format!("the last backup in {} is recent", dir.display()));
    }
}

/// Names with accents need UTF-8; the app needs a terminal that is not `dumb`.
fn locale_and_terminal(found: &mut Findings) {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_default();
    let lower = locale.to_ascii_lowercase();
    if lower.contains("utf-8") || lower.contains("utf8") {
        found.ok(format!("the locale is {locale}"));
    } else {
        found.fix(
            format!(
                "the locale is {}",
                if locale.is_empty() {
                    "not set"
                } else {
                    &locale
                }
            ),
            "set LANG=en_GB.UTF-8 (names with accents are shown as ? otherwise)",
        );
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return;
    }
    match std::env::var("TERM").ok().filter(|t| !t.is_empty()) {
        Some(term) if term != "dumb" => found.ok(format!("the terminal is {term}")),
        _ => found.fix(
            "this terminal cannot show the app (TERM is dumb or not set)",
            "over SSH, connect with `ssh -t`; else set TERM=xterm-256color",
        ),
    }
}

//! Reaching a trust's PostgreSQL database as PostgreSQL's own tools do (SPEC §8.9): a URL or
//! a `key=value` string (`--postgres`); with none, the `PG*` environment; `service=NAME` from
//! the service file; a password from the URL, `PGPASSWORD` or the password file. A password
//! is never printed: the database is named by its user, host, port and name alone.

use postgres::config::Host;
use std::path::{Path, PathBuf};

/// A database to publish to or report from.
pub struct Target {
    config: postgres::Config,
    /// user@host:port/name, for messages.
    pub shown: String,
    /// host:port/name: what the school remembers its publishing to this database by.
    pub key: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn home() -> Option<PathBuf> {
    env("HOME").map(PathBuf::from)
}

/// A `[name]` section of a service file, as `key=value` pairs.
fn service_section(file: &Path, name: &str) -> Result<Option<Vec<(String, String)>>, String> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Ok(None);
    };
    let mut current: Option<&str> = None;
    let mut out = Vec::new();
    let mut found = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(section.trim());
            found |= section.trim() == name;
            continue;
        }
        if current != Some(name) {
            continue;
        }
        // The line is not repeated: a mistyped one may hold a password.
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("{}:{}: not key=value", file.display(), n + 1));
        };
        out.push((key.trim().to_string(), value.trim().to_string()));
    }
    Ok(found.then_some(out))
}

/// The service's settings, from the user's service file, then the system's.
fn service(name: &str) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    if let Some(f) = env("PGSERVICEFILE") {
        files.push(PathBuf::from(f));
    } else if let Some(h) = home() {
        files.push(h.join(".pg_service.conf"));
    }
    files.push(
        env("PGSYSCONFDIR")
            .map_or_else(|| PathBuf::from("/etc/postgresql-common"), PathBuf::from)
            .join("pg_service.conf"),
    );
    for file in &files {
        if let Some(section) = service_section(file, name)? {
            return Ok(section);
        }
    }
    Err(format!(
        "no service `{name}` in {}",
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(" or ")
    ))
}

/// `key=value` pairs as libpq reads them: a value in single quotes may hold spaces, and
/// `\'` and `\\` inside it stand for themselves.
fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!("--postgres: `{key}` has no value (key=value)"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(format!("--postgres: `{key}`'s quoted value is not closed"));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// A `key=value` value, quoted where it needs to be.
fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The password for this database from the password file (`PGPASSFILE`, else `~/.pgpass`):
/// the first line whose host, port, database and user match (`*` matches any).
fn password_file(host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let file = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".pgpass")))?;
    // As libpq: a password file others may read is not used.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).ok()?.permissions().mode();
    if mode & 0o077 != 0 {
        eprintln!(
            "rollcall: {} is not used: others may read it (chmod 600 it)",
            file.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    let port = port.to_string();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        // Fields are separated by `:`; `\:` and `\\` stand for themselves.
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if let [h, p, d, u, password] = &fields[..]
            && [(h, host), (p, port.as_str()), (d, db), (u, user)]
                .iter()
                .all(|(pattern, value)| *pattern == "*" || pattern == value)
        {
            return Some(password.clone());
        }
    }
    None
}

impl Target {
    /// The database `given` names (a URL, `key=value` pairs, or nothing: the environment).
    pub fn new(given: Option<&str>) -> Result<Target, String> {
        let given = given.unwrap_or("").trim();
        let is_url = given.starts_with("postgres://") || given.starts_with("postgresql://");
        // service=NAME (in the string, or PGSERVICE): its settings first, the rest over them.
        let mut settings: Vec<(String, String)> = Vec::new();
        let mut given_pairs = if is_url { Vec::new() } else { pairs(given)? };
        let service_name = match given_pairs.iter().position(|(k, _)| k == "service") {
            Some(i) => Some(given_pairs.remove(i).1),
            None => env("PGSERVICE"),
        };
        if let Some(name) = &service_name {
            settings.extend(service(name)?);
        }
        settings.extend(given_pairs);
        let text = if is_url {
            given.to_string()
        } else {
            settings
                .iter()
                .map(|(k, v)| format!("{k}={}", quoted(v)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut config: postgres::Config = if text.trim().is_empty() {
            postgres::Config::new()
        } else {
            text.parse().map_err(|e| {
                format!("--postgres: not a PostgreSQL URL or connection string ({e})")
            })?
        };
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(h) if h.starts_with('/') => config.host_path(h),
                Some(h) => config.host(&h),
                None if Path::new("/var/run/postgresql").exists() => {
                    config.host_path("/var/run/postgresql")
                }
                None => config.host("localhost"),
            };
        }
        if config.get_ports().is_empty() {
            let port = env("PGPORT").map_or(Ok(5432), |p| {
                p.parse()
                    .map_err(|_| format!("PGPORT: `{p}` is not a port number"))
            })?;
            config.port(port);
        }
        if config.get_user().is_none() {
            config.user(&env("PGUSER").unwrap_or_else(crate::service::os_account));
        }
        let user = config.get_user().unwrap_or_default().to_string();
        if config.get_dbname().is_none() {
            config.dbname(&env("PGDATABASE").unwrap_or_else(|| user.clone()));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.application_name("rollcall");
        // `user:p@ss@host` parses with part of the password as the host: refused, unrepeated.
        if config
            .get_hosts()
            .iter()
            .any(|h| matches!(h, Host::Tcp(h) if h.contains('@')))
        {
            return Err(
                "--postgres: the URL has more than one `@` before its host: write an `@` in a \
                 user name or password as %40"
                    .into(),
            );
        }
        let host = match config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let db = config.get_dbname().unwrap_or_default().to_string();
        if config.get_password().is_none() {
            if let Some(p) = env("PGPASSWORD") {
                config.password(p);
            } else if let Some(p) = password_file(&host, port, &db, &user) {
                config.password(p);
            }
        }
        if config.get_ssl_mode() == postgres::config::SslMode::Require {
            return Err(
                "--postgres: sslmode=require is not supported yet: reach the trust's database \
                 over a private network or an SSH tunnel"
                    .into(),
            );
        }
        Ok(Target {
            shown: format!("{user}@{host}:{port}/{db}"),
            key: format!("{host}:{port}/{db}"),
            config,
        })
    }

    /// A connection, or why not in words naming the database (never its password).
    pub fn connect(&self) -> Result<postgres::Client, String> {
        self.config.connect(postgres::NoTls).map_err(|e| {
            format!(
                "the trust's database {}: {}",
                self.shown,
                super::errors::pg_error(&e)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_its_database_without_its_password() {
        let t = Target::new(Some("postgresql://trust:s3cret@db.example:6543/figures")).unwrap();
        assert_eq!(t.shown, "trust@db.example:6543/figures");
        assert_eq!(t.key, "db.example:6543/figures");
        assert!(!t.shown.contains("s3cret"));
    }

    #[test]
    fn a_service_file_gives_the_settings_and_the_string_overrides_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("services");
        std::fs::write(
            &file,
            "# trust\n[other]\nhost=elsewhere\n[trust]\nhost=db.trust\nport=7000\ndbname=figs\nuser=pub\n",
        )
        .unwrap();
        assert_eq!(
            service_section(&file, "trust").unwrap().unwrap()[0],
            ("host".to_string(), "db.trust".to_string())
        );
        assert!(service_section(&file, "none").unwrap().is_none());
        std::fs::write(&file, "[trust]\npassword: TOPSECRET\n").unwrap();
        let err = service_section(&file, "trust").unwrap_err();
        assert!(err.ends_with(":2: not key=value"), "{err}");
        assert!(!err.contains("TOPSECRET"), "{err}");
    }

    #[test]
    fn a_password_with_a_bare_at_sign_is_refused_without_being_repeated() {
        let err = Target::new(Some("postgresql://u:abc@TOPSECRET@127.0.0.1/db"))
            .err()
            .unwrap();
        assert!(err.contains("%40") && !err.contains("TOPSECRET"), "{err}");
    }

    #[test]
    fn quoted_values_keep_their_spaces_and_quotes() {
        let got = pairs("host=h dbname='a  b' password='it\\'s' user = me").unwrap();
        assert_eq!(
            got,
            [
                ("host".to_string(), "h".to_string()),
                ("dbname".into(), "a  b".into()),
                ("password".into(), "it's".into()),
                ("user".into(), "me".into()),
            ]
        );
        let t = Target::new(Some("host=h dbname='a  b' user=me")).unwrap();
        assert_eq!(t.key, "h:5432/a  b");
        assert!(pairs("dbname='open").is_err());
    }

    #[test]
    fn nonsense_is_refused_with_what_was_wrong() {
        let err = Target::new(Some("postgresql://[::1")).err().unwrap();
        assert!(err.starts_with("--postgres:"), "{err}");
    }
}

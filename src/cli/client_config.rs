//! The machine's client configuration, `/etc/rollcall/client.toml` (`ROLLCALL_CLIENT_CONFIG`
//! names another): what every `rollcall` on a school's server uses when its own options and
//! environment say nothing, so that no member of staff sets flags (its `socket` is not used
//! by a command given `--db`, which means that database directly). Every field is optional;
//! an unknown field or a wrong type is an error naming the file and the field, never ignored.
//!
//! ```toml
//! socket = "/run/rollcall/rollcall.sock"   # the server to use
//! server_account = "rollcall"              # the account that server runs as
//! letters = "/etc/rollcall/letters"        # stage letter templates
//! ```

use super::error::CliError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

const SYSTEM: &str = "/etc/rollcall/client.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    pub socket: Option<PathBuf>,
    pub server_account: Option<String>,
    pub letters: Option<PathBuf>,
}

/// Where the machine's configuration is read from.
fn path() -> PathBuf {
    std::env::var_os("ROLLCALL_CLIENT_CONFIG")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from(SYSTEM), PathBuf::from)
}

/// The machine's configuration; none (all defaults) when there is no file.
pub fn load() -> Result<ClientConfig, CliError> {
    read(&path())
}

fn read(path: &Path) -> Result<ClientConfig, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ClientConfig::default()),
        Err(e) => return Err(CliError::Failed(format!("{}: {e}", path.display()))),
    };
    toml::from_str(&text).map_err(|e| {
        CliError::Failed(format!(
            "{}: {}",
            path.display(),
            e.to_string().trim_end().replace('\n', " ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_optional_and_a_wrong_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("client.toml");
        assert!(read(&file).unwrap().socket.is_none(), "no file: defaults");
        std::fs::write(&file, "socket = \"/run/x.sock\"\n").unwrap();
        assert_eq!(
            read(&file).unwrap().socket,
            Some(PathBuf::from("/run/x.sock"))
        );
        std::fs::write(&file, "sockett = \"/run/x.sock\"\n").unwrap();
        let err = read(&file).unwrap_err().message();
        assert!(
            err.contains("client.toml") && err.contains("sockett"),
            "{err}"
        );
        std::fs::write(&file, "server_account = 3\n").unwrap();
        let err = read(&file).unwrap_err().message();
        assert!(err.contains("server_account"), "{err}");
    }
}

//! Local operating-system accounts for tests of identity and permissions. Creating accounts
//! needs root: CI runs as root (`.ci/run` sets `ROLLCALL_E2E`, so there these tests must run);
//! elsewhere they say why and stand down.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// True when the test may go on; false (with a note) when it stands down.
pub fn root_or_stand_down(test: &str) -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    assert!(
        std::env::var_os("ROLLCALL_E2E").is_none(),
        "ROLLCALL_E2E is set but {test} needs root to create local accounts"
    );
    eprintln!("not root: skipping {test}, which creates local accounts (CI runs it as root)");
    false
}

/// useradd and groupadd lock /etc/passwd; tests in one binary take turns.
static ACCOUNTS: Mutex<()> = Mutex::new(());

pub struct Account {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

/// A system group, created if missing; returns its gid.
pub fn ensure_group(name: &str) -> u32 {
    let _turn = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(group) = nix::unistd::Group::from_name(name).unwrap() {
        return group.gid.as_raw();
    }
    run(Command::new("groupadd").args(["--system", name]));
    nix::unistd::Group::from_name(name)
        .unwrap()
        .expect("group just created")
        .gid
        .as_raw()
}

/// A local account in `group` with no home directory and no password, created if missing.
pub fn ensure_user(name: &str, group: &str) -> Account {
    let gid = ensure_group(group);
    let _turn = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
    let user = match nix::unistd::User::from_name(name).unwrap() {
        Some(user) => user,
        None => {
            run(Command::new("useradd").args([
                "--no-create-home",
                "--no-user-group",
                "--gid",
                group,
                "--shell",
                "/usr/sbin/nologin",
                name,
            ]));
            nix::unistd::User::from_name(name)
                .unwrap()
                .expect("account just created")
        }
    };
    Account {
        name: name.to_string(),
        uid: user.uid.as_raw(),
        gid,
    }
}

fn run(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A temporary directory other accounts can enter, holding a copy of the `rollcall` binary they
/// can run (the build directory may sit under a home they cannot read).
pub struct SharedDir {
    pub dir: tempfile::TempDir,
    pub bin: PathBuf,
}

impl SharedDir {
    pub fn new() -> SharedDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = dir.path().join("rollcall");
        std::fs::copy(env!("CARGO_BIN_EXE_rollcall"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        SharedDir { dir, bin }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

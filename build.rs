//! The commit `--version` names, and which end-to-end tests this machine can run, worked out
//! when the tests are built. A test
//! that cannot run here (it needs root, tmux, strace, python3 or the test sshd that `.ci/run`
//! starts) is built as ignored with its reason, so `cargo test` counts it in its summary
//! ("N ignored") and names why, instead of passing silently. Where `ROLLCALL_E2E` is set (CI),
//! every such test is built to run and fails if what it needs is missing.

use std::process::Command;

fn main() {
    // The commit `rollcall --version` names: from git where the source is a checkout, else
    // what the packager says (ROLLCALL_COMMIT), else "unknown".
    println!("cargo::rerun-if-changed=.git/HEAD");
    println!("cargo::rerun-if-changed=.git/refs/heads");
    println!("cargo::rerun-if-env-changed=ROLLCALL_COMMIT");
    let commit = std::env::var("ROLLCALL_COMMIT").ok().or_else(|| {
        Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
    });
    println!(
        "cargo::rustc-env=ROLLCALL_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
    for var in [
        "ROLLCALL_E2E",
        "PATH",
        "USER",
        "ROLLCALL_SSH_PORT",
        "ROLLCALL_SSH_KEY",
        "ROLLCALL_SSH_ACCOUNTS",
        "ROLLCALL_SSH_GROUP",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let all = std::env::var_os("ROLLCALL_E2E").is_some();
    let tool = |name: &str, arg: &str| {
        all || Command::new(name)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let root = all
        || std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
                .unwrap_or(false)
        });
    let sshd = all || std::env::var_os("ROLLCALL_SSH_PORT").is_some();
    for (cfg, here) in [
        ("rollcall_root", root),
        ("rollcall_tmux", tool("tmux", "-V")),
        ("rollcall_strace", tool("strace", "-V")),
        ("rollcall_python3", tool("python3", "--version")),
        ("rollcall_sshd", sshd),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if here {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}

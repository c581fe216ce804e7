//! Who is acting: the operating-system account running the process, never a name typed in.

/// The operating-system account running this process: who is acting, never typed in.
pub fn os_account() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid{}", uid.as_raw()),
    }
}

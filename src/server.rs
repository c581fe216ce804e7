//! `rollcall serve`: one process owns the database; any number of terminals use it at once
//! through a Unix domain socket and see each other's marks as they are made.
//!
//! Who a client is comes from the socket's peer credentials (`SO_PEERCRED`), never from the
//! client: the operating-system account is looked up and mapped to the staff record by the
//! engine. Each connection has its own thread; a client that dies or sends garbage loses its
//! connection and nothing else.

use crate::service::Engine;
use crate::service::ServiceError;
use crate::service::protocol::{Request, Response};
use crate::service::wire::{ClientMessage, FrameError, ServerMessage, read_frame, write_frame};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct ServeOptions {
    pub socket: PathBuf,
    /// The group (besides the owner) that may use the socket; without one, the owner only.
    pub group: Option<String>,
}

/// The socket a server for `db` listens on unless told otherwise.
pub fn default_socket(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".sock");
    PathBuf::from(name)
}

/// The account at the other end of a Unix socket, from the kernel.
pub fn peer_account(stream: &UnixStream) -> Result<String, String> {
    let creds = nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)
        .map_err(|e| format!("cannot read the peer's credentials: {e}"))?;
    let uid = nix::unistd::Uid::from_raw(creds.uid());
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Ok(user.name),
        _ => Err(format!("uid {} has no account name", uid.as_raw())),
    }
}

/// Binds the socket: a stale file from a server that died is replaced; a live server is not.
fn bind(options: &ServeOptions) -> Result<UnixListener, String> {
    let path = &options.socket;
    if path.exists() {
        if UnixStream::connect(path).is_ok() {
            return Err(format!(
                "{}: a server is already listening there",
                path.display()
            ));
        }
        std::fs::remove_file(path)
            .map_err(|e| format!("{}: cannot remove the stale socket: {e}", path.display()))?;
    }
    let gid = match &options.group {
        Some(name) => Some(
            nix::unistd::Group::from_name(name)
                .map_err(|e| format!("group `{name}`: {e}"))?
                .ok_or_else(|| {
                    format!(
                        "group `{name}` does not exist (create it, and add staff accounts to it)"
                    )
                })?
                .gid,
        ),
        None => None,
    };
    let listener = UnixListener::bind(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // Owner only, or owner and the staff group: nobody else can even connect.
    let mode = if gid.is_some() { 0o660 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(gid) = gid {
        nix::unistd::chown(path, None, Some(gid))
            .map_err(|e| format!("{}: cannot give it to the group: {e}", path.display()))?;
    }
    Ok(listener)
}

/// Serves until the process is stopped. Every mark is durable before its reply is sent.
pub fn serve(
    engine: Arc<Engine>,
    options: &ServeOptions,
    ready: impl FnOnce(),
) -> Result<(), String> {
    let listener = bind(options)?;
    ready();
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let engine = engine.clone();
                std::thread::spawn(move || connection(engine, stream));
            }
            Err(e) => eprintln!("rollcall serve: accepting a connection: {e}"),
        }
    }
    Ok(())
}

fn send(writer: &Mutex<UnixStream>, message: &ServerMessage) -> io::Result<()> {
    let mut stream = writer.lock().unwrap_or_else(|p| p.into_inner());
    write_frame(&mut *stream, message)
}

/// How long a write to a client may block before the client is taken to be stalled.
const STALLED_CLIENT: std::time::Duration = std::time::Duration::from_secs(10);

fn connection(engine: Arc<Engine>, stream: UnixStream) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    // A client that stops reading (a frozen SSH session) must not hold pushes and replies
    // forever: after this long its connection is cut, and a live client reconnects.
    let _ = write_half.set_write_timeout(Some(STALLED_CLIENT));
    let writer = Arc::new(Mutex::new(write_half));
    let mut reader = stream;
    let account = match peer_account(&reader) {
        Ok(account) => account,
        Err(why) => {
            let _ = send(
                &writer,
                &ServerMessage::Reply {
                    id: 0,
                    result: Err(ServiceError::Refused(why)),
                },
            );
            return;
        }
    };
    loop {
        let body = match read_frame(&mut reader) {
            Ok(Some(body)) => body,
            Ok(None) | Err(FrameError::Truncated) | Err(FrameError::Io(_)) => return,
            Err(too_large @ FrameError::TooLarge(_)) => {
                // The rest of the stream cannot be trusted to be framed: answer and hang up.
                let _ = send(
                    &writer,
                    &ServerMessage::Reply {
                        id: 0,
                        result: Err(ServiceError::Invalid(too_large.to_string())),
                    },
                );
                return;
            }
        };
        let message: ClientMessage = match serde_json::from_slice(&body) {
            Ok(m) => m,
            Err(e) => {
                let reply = ServerMessage::Reply {
                    id: 0,
                    result: Err(ServiceError::Invalid(format!("malformed request: {e}"))),
                };
                if send(&writer, &reply).is_err() {
                    return;
                }
                continue;
            }
        };
        let result = match message.request {
            Request::Subscribe => {
                // Pushes go down the same connection, from their own thread.
                let events = engine.subscribe();
                let pusher = writer.clone();
                std::thread::spawn(move || {
                    for event in events {
                        if send(&pusher, &ServerMessage::Event { event }).is_err() {
                            // Half a frame may have gone: the stream is no longer usable.
                            let stream = pusher.lock().unwrap_or_else(|p| p.into_inner());
                            let _ = stream.shutdown(std::net::Shutdown::Both);
                            return;
                        }
                    }
                });
                Ok(Response::Subscribed)
            }
            request => engine.handle(&account, request),
        };
        if send(
            &writer,
            &ServerMessage::Reply {
                id: message.id,
                result,
            },
        )
        .is_err()
        {
            return;
        }
    }
}

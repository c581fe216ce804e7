//! `rollcall serve`: one process owns the database; any number of terminals use it at once
//! through a Unix domain socket and see each other's marks as they are made.
//!
//! Who a client is comes from the socket's peer credentials (`SO_PEERCRED`), never from the
//! client: the operating-system account is looked up and mapped to the staff record by the
//! engine. Each connection has its own thread; a client that dies or sends garbage loses its
//! connection and nothing else.

use crate::domain::register::Role;
use crate::service::Engine;
use crate::service::ServiceError;
use crate::service::protocol::{Request, Response};
use crate::service::wire::{
    ClientMessage, FrameError, MAX_FRAME, ServerMessage, read_frame_within, write_frame,
};
use std::collections::HashMap;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    let secured = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", path.display()))
        .and_then(|()| match (gid, &options.group) {
            (Some(gid), Some(name)) => nix::unistd::chown(path, None, Some(gid)).map_err(|e| {
                if e == nix::errno::Errno::EPERM {
                    let me = crate::service::os_account();
                    format!(
                        "{}: cannot give the socket to group `{name}`: the server's account `{me}` is not a member of it (add it: `usermod -aG {name} {me}`, then start the server again)",
                        path.display()
                    )
                } else {
                    format!("{}: cannot give it to group `{name}`: {e}", path.display())
                }
            }),
            _ => Ok(()),
        });
    if let Err(why) = secured {
        // No socket is left behind for the next start to trip over.
        drop(listener);
        let _ = std::fs::remove_file(path);
        return Err(why);
    }
    Ok(listener)
}

/// How long a new connection has to send its first request: a connection that says nothing is
/// closed, so idle sockets cannot be hoarded.
const FIRST_REQUEST: Duration = Duration::from_secs(5);
/// Once a message has begun, how long it has to arrive whole: a client that announces a
/// message and withholds the rest is cut off.
const WHOLE_MESSAGE: Duration = Duration::from_secs(30);
/// Connections one account may hold at once: a teacher's app is one, a script a few more.
pub const PER_ACCOUNT: usize = 32;
/// The largest message from staff who are not admins: marks, never whole files.
const STAFF_FRAME: usize = 1024 * 1024;
/// What the server holds for large messages at once, counted at twice each message's size
/// (the bytes, then what they are read into): two 64 MB files, or many small ones. Messages up
/// to [`STAFF_FRAME`] are not counted, so marks go on whatever files arrive.
pub const BYTES_IN_FLIGHT: usize = 256 * 1024 * 1024;

/// The memory the server has promised to large messages being read and handled.
#[derive(Default)]
struct InFlight(Mutex<usize>);

/// Room held for one large message until its reply has gone.
struct Held {
    budget: Option<Arc<InFlight>>,
    bytes: usize,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(budget) = &self.budget {
            let mut used = budget.0.lock().unwrap_or_else(|p| p.into_inner());
            *used = used.saturating_sub(self.bytes);
        }
    }
}

impl InFlight {
    /// Room for a message of `len` bytes, or why not now.
    fn reserve(self: &Arc<Self>, len: usize) -> Result<Held, String> {
        if len <= STAFF_FRAME {
            return Ok(Held {
                budget: None,
                bytes: 0,
            });
        }
        let bytes = len.saturating_mul(2);
        let mut used = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if *used + bytes > BYTES_IN_FLIGHT {
            return Err(format!(
                "the server is already taking in {} MB of files: send this one ({} MB) again in a minute",
                (*used / 2) >> 20,
                len >> 20
            ));
        }
        *used += bytes;
        Ok(Held {
            budget: Some(self.clone()),
            bytes,
        })
    }
}

/// Who holds the server's connections, so that one account's flood cannot lock out the rest.
#[derive(Default)]
struct Connections {
    by_account: HashMap<String, usize>,
    total: usize,
}

/// A connection counted in [`Connections`] until dropped.
struct Seat {
    connections: Arc<Mutex<Connections>>,
    account: String,
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut c = self.connections.lock().unwrap_or_else(|p| p.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_account.get_mut(&self.account) {
            *n -= 1;
            if *n == 0 {
                c.by_account.remove(&self.account);
            }
        }
    }
}

/// How many connections the server takes in all: what its file limit allows, less room for
/// the database and the log. Raises the soft limit to the hard one first.
fn connection_limit() -> usize {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let limit = match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) => {
            if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
                hard
            } else {
                soft
            }
        }
        Err(_) => 1024,
    };
    // Each connection holds two descriptors (the stream and its writing half).
    (usize::try_from(limit).unwrap_or(1024).saturating_sub(64) / 2).clamp(16, 4096)
}

/// Logs an error that can repeat thousands of times a second once, then a count.
struct Quiet {
    last: Option<Instant>,
    since: usize,
}

impl Quiet {
    fn log(&mut self, what: &str) {
        match self.last {
            Some(at) if at.elapsed() < Duration::from_secs(10) => self.since += 1,
            _ => {
                let more = std::mem::take(&mut self.since);
                if more > 0 {
                    log::warn!("{what} ({more} more like it in the last 10 s)");
                } else {
                    log::warn!("{what}");
                }
                self.last = Some(Instant::now());
            }
        }
    }
}

/// Serves until the process is stopped. Every mark is durable before its reply is sent.
pub fn serve(
    engine: Arc<Engine>,
    options: &ServeOptions,
    ready: impl FnOnce(),
) -> Result<(), String> {
    let listener = bind(options)?;
    let limit = connection_limit();
    say_when_registers_close(&engine, &options.socket);
    ready();
    let connections: Arc<Mutex<Connections>> = Arc::default();
    let in_flight: Arc<InFlight> = Arc::default();
    let mut quiet = Quiet {
        last: None,
        since: 0,
    };
    let mut backoff = Duration::from_millis(10);
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                backoff = Duration::from_millis(10);
                admit(&engine, &connections, &in_flight, limit, stream, &mut quiet);
            }
            Err(e) => {
                // Out of descriptors, most likely: wait for some to close rather than spin.
                quiet.log(&format!("cannot accept a connection: {e}"));
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
        }
    }
    Ok(())
}

/// The file beside the socket whose change says a register has closed: a systemd path unit
/// (`rollcall-publish.path`) publishes to the trust's database then. The server itself has no
/// network; it only writes this (the register and when, a line).
pub fn register_closed_file(socket: &Path) -> PathBuf {
    socket.with_file_name("register-closed")
}

fn say_when_registers_close(engine: &Arc<Engine>, socket: &Path) {
    let events = engine.subscribe();
    let file = register_closed_file(socket);
    std::thread::spawn(move || {
        for event in events {
            if let crate::service::protocol::Event::Closed(register) = event {
                let line = format!(
                    "{} {} {}\n",
                    register.group,
                    register.date,
                    register.session.label()
                );
                // Nobody listening is no fault: the file is a signal, not a record.
                let _ = std::fs::write(&file, line);
            }
        }
    });
}

/// Takes a new connection: refused at once when the server or the account has too many, or
/// when the account is nobody rollcall knows; otherwise served on a thread of its own.
fn admit(
    engine: &Arc<Engine>,
    connections: &Arc<Mutex<Connections>>,
    in_flight: &Arc<InFlight>,
    limit: usize,
    stream: UnixStream,
    quiet: &mut Quiet,
) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let refuse = |stream: &UnixStream, why: String| {
        let mut stream = stream;
        let _ = write_frame(
            &mut stream,
            &ServerMessage::Reply {
                id: 0,
                result: Err(ServiceError::Refused(why)),
            },
        );
    };
    let account = match peer_account(&stream) {
        Ok(account) => account,
        Err(why) => return refuse(&stream, why),
    };
    let seat = {
        let mut c = connections.lock().unwrap_or_else(|p| p.into_inner());
        let mine = c.by_account.get(&account).copied().unwrap_or(0);
        if c.total >= limit {
            drop(c);
            quiet.log(&format!(
                "refusing connections: {limit} are open, the most this server takes"
            ));
            return refuse(
                &stream,
                format!("the server is full ({limit} connections): try again in a moment"),
            );
        }
        if mine >= PER_ACCOUNT {
            drop(c);
            quiet.log(&format!(
                "account `{account}` has {PER_ACCOUNT} connections open: refusing more"
            ));
            return refuse(
                &stream,
                format!(
                    "account `{account}` already has {PER_ACCOUNT} connections to the server: close some rollcall windows or scripts"
                ),
            );
        }
        c.total += 1;
        *c.by_account.entry(account.clone()).or_default() += 1;
        Seat {
            connections: connections.clone(),
            account: account.clone(),
        }
    };
    // Who it is, before it may send anything large: nobody rollcall knows gets its answer
    // and nothing more.
    let role = match engine.identify(&account) {
        Ok(role) => role,
        Err(e) => {
            quiet.log(&format!("refused account `{account}`: {e}"));
            return refuse(&stream, e.to_string());
        }
    };
    let engine = engine.clone();
    let in_flight = in_flight.clone();
    std::thread::spawn(move || {
        let _seat = seat;
        connection(engine, &in_flight, stream, account, role);
    });
}

fn send(writer: &Mutex<UnixStream>, message: &ServerMessage) -> io::Result<()> {
    let mut stream = writer.lock().unwrap_or_else(|p| p.into_inner());
    write_frame(&mut *stream, message)
}

/// Sends a reply; one too large for a message (a report over years for a large school) is
/// answered with why and what to ask instead, and the connection goes on.
fn send_reply(
    writer: &Mutex<UnixStream>,
    id: u64,
    result: Result<Response, ServiceError>,
) -> io::Result<()> {
    let reply = ServerMessage::Reply { id, result };
    let body = serde_json::to_vec(&reply).map_err(io::Error::other)?;
    drop(reply);
    let body = if body.len() > MAX_FRAME {
        serde_json::to_vec(&ServerMessage::Reply {
            id,
            result: Err(ServiceError::Refused(format!(
                "the answer is {} MB, more than one reply carries ({} MB): ask for a shorter \
                 period, one group or one pupil",
                body.len() >> 20,
                MAX_FRAME >> 20
            ))),
        })
        .map_err(io::Error::other)?
    } else {
        body
    };
    let mut stream = writer.lock().unwrap_or_else(|p| p.into_inner());
    crate::service::wire::write_body(&mut *stream, &body)
}

/// How long a write to a client may block before the client is taken to be stalled.
const STALLED_CLIENT: Duration = Duration::from_secs(10);

fn connection(
    engine: Arc<Engine>,
    in_flight: &Arc<InFlight>,
    stream: UnixStream,
    account: String,
    role: Role,
) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    // A client that stops reading (a frozen SSH session) must not hold pushes and replies
    // forever: after this long its connection is cut, and a live client reconnects.
    let _ = write_half.set_write_timeout(Some(STALLED_CLIENT));
    let writer = Arc::new(Mutex::new(write_half));
    let mut reader = stream;
    // Whole files (a configuration, a pupil list) come only from admins.
    let limit = if role == Role::Admin {
        MAX_FRAME
    } else {
        STAFF_FRAME
    };
    let mut first = true;
    loop {
        // The first request must come soon; after that a client may be idle (an app left
        // open all morning), but a message, once begun, must arrive whole.
        let waiting = if first { Some(FIRST_REQUEST) } else { None };
        let reserve = |len| in_flight.reserve(len);
        let (body, _held) =
            match read_frame_within(&mut reader, limit, waiting, WHOLE_MESSAGE, reserve) {
                Ok(Some(read)) => read,
                Ok(None) | Err(FrameError::Truncated) | Err(FrameError::Io(_)) => return,
                Err(unread @ (FrameError::TooLarge(_) | FrameError::Busy(_))) => {
                    // The rest of the stream cannot be trusted to be framed: answer and hang up.
                    let error = match unread {
                        FrameError::Busy(why) => ServiceError::Refused(why),
                        other => ServiceError::Invalid(other.to_string()),
                    };
                    let _ = send(
                        &writer,
                        &ServerMessage::Reply {
                            id: 0,
                            result: Err(error),
                        },
                    );
                    return;
                }
            };
        first = false;
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
                let engine = engine.clone();
                let mut sight = crate::service::Sight::new(&account);
                std::thread::spawn(move || {
                    for event in events {
                        // A teacher is pushed only what they may read (their groups' marks).
                        if !engine.may_see(&mut sight, &event) {
                            continue;
                        }
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
        if send_reply(&writer, message.id, result).is_err() {
            return;
        }
    }
}

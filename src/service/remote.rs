//! A [`Transport`] to `rollcall serve` over its Unix socket.
//!
//! One connection carries requests, replies and (once subscribed) pushed events; a reader
//! thread sorts them. Before anything is sent, the account at the other end is checked: a
//! teacher's marks go only to a server run by rollcall's own account (or their own, or root),
//! never to whatever listens on a socket. When the connection fails, a request that never went
//! out is "not connected: … — not saved"; one that went out but got no reply is "not confirmed"
//! (it may have been saved), which `Client::mark` settles by looking once it reconnects.

use super::protocol::{Request, Response};
use super::wire::{ClientMessage, ServerMessage, read_frame, write_frame};
use super::{Notice, Result, ServiceError, Transport};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long a reply may take before the server is presumed gone.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

struct Connection {
    writer: UnixStream,
    replies: mpsc::Receiver<(u64, std::result::Result<Response, ServiceError>)>,
}

/// The accounts a server may run as for this client to talk to it.
#[derive(Clone, Debug)]
pub struct Trust {
    /// Besides the client's own account and root: rollcall's system account, and any named
    /// with `--server-account` or `ROLLCALL_SERVER_ACCOUNT`.
    pub accounts: Vec<String>,
}

/// The system account a school server runs as (docs/rollcall.service).
pub const SERVER_ACCOUNT: &str = "rollcall";

impl Trust {
    /// rollcall's own account, plus `extra` and `ROLLCALL_SERVER_ACCOUNT`, if given.
    pub fn standard(extra: Option<String>) -> Trust {
        let mut accounts = vec![SERVER_ACCOUNT.to_string()];
        accounts.extend(extra);
        accounts.extend(
            std::env::var("ROLLCALL_SERVER_ACCOUNT")
                .ok()
                .filter(|a| !a.is_empty()),
        );
        Trust { accounts }
    }

    /// Whether the process at the other end of `stream` may be trusted with this client's
    /// requests, and if not, why.
    fn check(&self, stream: &UnixStream, path: &Path) -> Result<()> {
        let creds =
            nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)
                .map_err(|e| disconnected(path, format!("cannot tell who runs the server: {e}")))?;
        let uid = creds.uid();
        if uid == 0 || uid == nix::unistd::geteuid().as_raw() {
            return Ok(());
        }
        let account = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
            .ok()
            .flatten()
            .map(|u| u.name);
        match account {
            Some(name) if self.accounts.contains(&name) => Ok(()),
            other => Err(ServiceError::Refused(format!(
                "{}: the server there runs as account `{}`, which is not rollcall's server account ({}): refusing to send it anything. If your school's server runs as another account, name it with --server-account",
                path.display(),
                other.unwrap_or_else(|| format!("uid {uid}")),
                self.accounts.join(", ")
            ))),
        }
    }
}

pub struct Remote {
    path: PathBuf,
    trust: Trust,
    connection: Option<Connection>,
    next_id: u64,
    events_tx: mpsc::Sender<Notice>,
    events_rx: Option<mpsc::Receiver<Notice>>,
    subscribed: bool,
}

fn disconnected(path: &Path, why: impl std::fmt::Display) -> ServiceError {
    ServiceError::Disconnected(format!("{}: {why}", path.display()))
}

impl Remote {
    /// Connects now, so that a missing or untrusted server is reported before anything else
    /// happens; trusts the standard accounts ([`Trust::standard`]).
    pub fn connect(path: &Path) -> Result<Remote> {
        Remote::connect_trusting(path, Trust::standard(None))
    }

    pub fn connect_trusting(path: &Path, trust: Trust) -> Result<Remote> {
        let (events_tx, events_rx) = mpsc::channel();
        let mut remote = Remote {
            path: path.to_path_buf(),
            trust,
            connection: None,
            next_id: 1,
            events_tx,
            events_rx: Some(events_rx),
            subscribed: false,
        };
        remote.open()?;
        Ok(remote)
    }

    fn open(&mut self) -> Result<()> {
        let stream = UnixStream::connect(&self.path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                // The socket is the owner's and one group's: say which, and what gets a member
                // of staff in.
                let group = std::fs::metadata(&self.path)
                    .ok()
                    .and_then(|m| {
                        let gid = std::os::unix::fs::MetadataExt::gid(&m);
                        nix::unistd::Group::from_gid(gid.into()).ok().flatten()
                    })
                    .map_or_else(|| "the server's group".to_string(), |g| g.name);
                let me = crate::service::account::os_account();
                disconnected(
                    &self.path,
                    format!(
                        "{e}: your account is not in {group}, the group the server's socket \
                         belongs to; ask the school's admin to add it (`sudo usermod -aG {group} \
                         {me}`), then log in again"
                    ),
                )
            } else {
                disconnected(&self.path, e)
            }
        })?;
        self.trust.check(&stream, &self.path)?;
        let mut reader = stream
            .try_clone()
            .map_err(|e| disconnected(&self.path, e))?;
        let (replies_tx, replies) = mpsc::channel();
        let events = self.events_tx.clone();
        let path = self.path.clone();
        std::thread::spawn(move || {
            let why = loop {
                let body = match read_frame(&mut reader) {
                    Ok(Some(body)) => body,
                    Ok(None) => break "the server closed the connection".to_string(),
                    Err(e) => break e.to_string(),
                };
                match serde_json::from_slice::<ServerMessage>(&body) {
                    Ok(ServerMessage::Reply { id, result }) => {
                        if replies_tx.send((id, result)).is_err() {
                            return;
                        }
                    }
                    Ok(ServerMessage::Event { event }) => {
                        let _ = events.send(Notice::Pushed(event));
                    }
                    Err(e) => break format!("unreadable message from the server: {e}"),
                }
            };
            let _ = events.send(Notice::Disconnected(format!("{}: {why}", path.display())));
        });
        self.connection = Some(Connection {
            writer: stream,
            replies,
        });
        if self.subscribed {
            self.request(Request::Subscribe)?;
        }
        Ok(())
    }

    fn request(&mut self, request: Request) -> Result<Response> {
        let changes = request.changes_something();
        // A change that never reached the server was not saved, and says so; a read says only
        // that it could not be asked.
        let not_saved = |e: ServiceError| match e {
            ServiceError::Disconnected(why) if changes => {
                ServiceError::Disconnected(format!("{why} \u{2014} not saved"))
            }
            other => other,
        };
        if self.connection.is_none() {
            self.open().map_err(not_saved)?;
        }
        let id = self.next_id;
        self.next_id += 1;
        let path = self.path.clone();
        let Some(connection) = &mut self.connection else {
            return Err(disconnected(&path, "no connection"));
        };
        // Once a change has gone out, a lost reply does not mean it was not saved.
        let lost = |why: &str| {
            if changes {
                ServiceError::Unknown(format!(
                    "{}: {why} after the request was sent; it may or may not have been saved",
                    path.display()
                ))
            } else {
                disconnected(&path, why)
            }
        };
        let outcome = write_frame(&mut connection.writer, &ClientMessage { id, request })
            .map_err(|e| {
                // A server that refuses a connection says why and hangs up, maybe before this
                // request could be written: its reason is the answer.
                match connection.replies.recv_timeout(Duration::from_millis(200)) {
                    Ok((0, Err(refusal))) => refusal,
                    _ => disconnected(&path, e),
                }
            })
            .and_then(|()| {
                loop {
                    match connection.replies.recv_timeout(REPLY_TIMEOUT) {
                        Ok((reply_id, result)) if reply_id == id || reply_id == 0 => {
                            break Ok(result);
                        }
                        Ok(_) => continue,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            break Err(lost("no reply in 30 seconds"));
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => {
                            break Err(lost("the connection was lost"));
                        }
                    }
                }
            });
        match outcome {
            Ok(result) => result,
            Err(e) => {
                self.connection = None;
                Err(not_saved(e))
            }
        }
    }
}

impl Transport for Remote {
    fn call(&mut self, request: Request) -> Result<Response> {
        self.request(request)
    }

    fn events(&mut self) -> Option<mpsc::Receiver<Notice>> {
        if !self.subscribed {
            self.subscribed = true;
            if self.connection.is_some() && self.request(Request::Subscribe).is_err() {
                // Reported on the next request; the events channel still works after reconnecting.
            }
        }
        self.events_rx.take()
    }

    fn reconnect(&mut self) -> Result<()> {
        self.connection = None;
        self.open()
    }

    fn is_remote(&self) -> bool {
        true
    }
}

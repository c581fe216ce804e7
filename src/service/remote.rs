//! A [`Transport`] to `rollcall serve` over its Unix socket.
//!
//! One connection carries requests, replies and (once subscribed) pushed events; a reader
//! thread sorts them. When the connection fails, the request in flight is reported
//! "not connected — not saved", subscribers are told, and the next request (or an explicit
//! [`Transport::reconnect`]) connects again.

use super::protocol::{Event, Request, Response};
use super::wire::{ClientMessage, ServerMessage, read_frame, write_frame};
use super::{Result, ServiceError, Transport};
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

pub struct Remote {
    path: PathBuf,
    connection: Option<Connection>,
    next_id: u64,
    events_tx: mpsc::Sender<Event>,
    events_rx: Option<mpsc::Receiver<Event>>,
    subscribed: bool,
}

fn disconnected(path: &Path, why: impl std::fmt::Display) -> ServiceError {
    ServiceError::Disconnected(format!("{}: {why}", path.display()))
}

impl Remote {
    /// Connects now, so that a missing server is reported before anything else happens.
    pub fn connect(path: &Path) -> Result<Remote> {
        let (events_tx, events_rx) = mpsc::channel();
        let mut remote = Remote {
            path: path.to_path_buf(),
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
                // The socket is the owner's and one group's: say what gets a member of staff in.
                disconnected(
                    &self.path,
                    format!(
                        "{e}: your account is not in the server's group; ask the school's admin \
                         to add it (usermod -aG GROUP {})",
                        super::os_account()
                    ),
                )
            } else {
                disconnected(&self.path, e)
            }
        })?;
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
                        let _ = events.send(event);
                    }
                    Err(e) => break format!("unreadable message from the server: {e}"),
                }
            };
            let _ = events.send(Event::Disconnected {
                reason: format!("{}: {why}", path.display()),
            });
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
        if self.connection.is_none() {
            self.open()?;
        }
        let id = self.next_id;
        self.next_id += 1;
        let path = self.path.clone();
        let Some(connection) = &mut self.connection else {
            return Err(disconnected(&path, "no connection"));
        };
        let outcome = write_frame(&mut connection.writer, &ClientMessage { id, request })
            .map_err(|e| disconnected(&path, e))
            .and_then(|()| {
                loop {
                    match connection.replies.recv_timeout(REPLY_TIMEOUT) {
                        Ok((reply_id, result)) if reply_id == id || reply_id == 0 => {
                            break Ok(result);
                        }
                        Ok(_) => continue,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            break Err(disconnected(&path, "no reply in 30 seconds"));
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => {
                            break Err(disconnected(&path, "the connection was lost"));
                        }
                    }
                }
            });
        match outcome {
            Ok(result) => result,
            Err(e) => {
                self.connection = None;
                Err(e)
            }
        }
    }
}

impl Transport for Remote {
    fn call(&mut self, request: Request) -> Result<Response> {
        self.request(request)
    }

    fn events(&mut self) -> Option<mpsc::Receiver<Event>> {
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

//! The socket's framing: a 4-byte big-endian length, then that many bytes of JSON. JSON keeps
//! the protocol readable when debugging a school's server; the length prefix lets a reader
//! reject an oversized message before reading it.

use super::protocol::{Event, Request, Response};
use crate::service::error::ServiceError;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// The largest message either side accepts. The biggest real reply (a term's marks export for
/// a large school) goes over the socket in pieces far below this; requests are tiny.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
pub struct ClientMessage {
    pub id: u64,
    pub request: Request,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerMessage {
    Reply {
        id: u64,
        result: Result<Response, ServiceError>,
    },
    Event {
        event: Event,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("message of {0} bytes is over the limit for this connection")]
    TooLarge(usize),
    #[error("the connection closed in the middle of a message")]
    Truncated,
    /// The server is holding as many large messages as it takes at once.
    #[error("{0}")]
    Busy(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

pub fn write_frame(writer: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let body = serde_json::to_vec(value).map_err(io::Error::other)?;
    write_body(writer, &body)
}

/// Writes a message already encoded (by [`serde_json::to_vec`]).
pub fn write_body(writer: &mut impl Write, body: &[u8]) -> io::Result<()> {
    if body.len() > MAX_FRAME {
        return Err(io::Error::other(format!(
            "message of {} bytes is over the limit",
            body.len()
        )));
    }
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(body);
    writer.write_all(&frame)?;
    writer.flush()
}

/// Reads one frame; `Ok(None)` when the other side closed cleanly between messages.
pub fn read_frame(reader: &mut impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match reader.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    read_body(reader, len).map(Some)
}

/// A body of `len` bytes, held in memory only as it arrives: announcing a large message costs
/// the sender the bytes, not the reader.
fn read_body(reader: &mut impl Read, len: usize) -> Result<Vec<u8>, FrameError> {
    let mut body = Vec::with_capacity(len.min(64 * 1024));
    let got = reader.take(len as u64).read_to_end(&mut body)?;
    if got < len {
        return Err(FrameError::Truncated);
    }
    Ok(body)
}

/// Reads one frame from a client's socket: at most `limit` bytes; the first byte within
/// `waiting` (forever if `None`), and the whole frame within `whole` of its first byte.
/// `reserve` is asked for room for the body once its length is known, before any of it is
/// read; what it returns is handed back with the body (a server holds its memory budget so).
pub fn read_frame_within<R>(
    stream: &mut std::os::unix::net::UnixStream,
    limit: usize,
    waiting: Option<std::time::Duration>,
    whole: std::time::Duration,
    reserve: impl FnOnce(usize) -> Result<R, String>,
) -> Result<Option<(Vec<u8>, R)>, FrameError> {
    use std::time::Instant;
    stream.set_read_timeout(waiting)?;
    let mut len = [0u8; 4];
    let first = loop {
        match stream.read(&mut len[..1]) {
            Ok(0) => return Ok(None),
            Ok(_) => break Instant::now(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    };
    // From its first byte, the message has `whole` to arrive: a sender cannot hold the
    // connection open by dribbling.
    let deadline = first + whole;
    let mut rest = DeadlineReader { stream, deadline };
    rest.read_exact(&mut len[1..]).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    let len = u32::from_be_bytes(len) as usize;
    if len > limit {
        return Err(FrameError::TooLarge(len));
    }
    let held = reserve(len).map_err(FrameError::Busy)?;
    read_body(&mut rest, len).map(|body| Some((body, held)))
}

/// A socket read with one deadline for everything read through it.
struct DeadlineReader<'a> {
    stream: &'a mut std::os::unix::net::UnixStream,
    deadline: std::time::Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self
            .deadline
            .checked_duration_since(std::time::Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the message did not arrive whole in time",
                )
            })?;
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let mut buf = Vec::new();
        write_frame(
            &mut buf,
            &ClientMessage {
                id: 7,
                request: Request::Hello,
            },
        )
        .unwrap();
        let body = read_frame(&mut buf.as_slice()).unwrap().unwrap();
        let back: ClientMessage = serde_json::from_slice(&body).unwrap();
        assert_eq!(back.id, 7);
    }

    #[test]
    fn truncated_and_oversized_frames_are_errors() {
        let mut buf = Vec::new();
        write_frame(
            &mut buf,
            &ClientMessage {
                id: 7,
                request: Request::Hello,
            },
        )
        .unwrap();
        buf.truncate(buf.len() - 2);
        assert!(matches!(
            read_frame(&mut buf.as_slice()),
            Err(FrameError::Truncated)
        ));
        let huge = (MAX_FRAME as u32 + 1).to_be_bytes();
        assert!(matches!(
            read_frame(&mut huge.as_slice()),
            Err(FrameError::TooLarge(_))
        ));
        assert!(matches!(
            read_frame(&mut [0u8, 0].as_slice()),
            Err(FrameError::Truncated)
        ));
        assert!(read_frame(&mut [].as_slice()).unwrap().is_none());
    }
}

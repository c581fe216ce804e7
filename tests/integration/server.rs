//! `rollcall serve` as a process: live pushes, bad input on the socket, permissions, and a
//! SIGKILL in the middle of a burst of marks.

use crate::common::*;
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{Event, Expect, MarkRequest};
use rollcall::service::wire::{MAX_FRAME, ServerMessage, read_frame, write_frame};
use rollcall::service::{Notice, ServiceError};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T08:50";

pub(crate) fn me() -> String {
    rollcall::service::os_account()
}

fn pre_entry(date: &str, session: &str, pupil: usize) -> MarkRequest {
    let mut req = mark("Oak", date, session, &upn(pupil), "M");
    req.expect = Expect::Blank;
    req
}

#[test]
fn a_mark_made_in_one_terminal_is_pushed_to_another_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), NOW, None);
    let mut watcher = server.client();
    let hello = watcher.hello().unwrap();
    assert!(hello.server);
    let events = watcher.events().unwrap();
    let mut marker = server.client();
    let started = Instant::now();
    let saved = marker
        .mark(mark("Oak", "2026-11-23", "am", &upn(2), "/"))
        .unwrap();
    let event = events
        .recv_timeout(Duration::from_secs(1))
        .expect("pushed within a second");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        event,
        Notice::Pushed(Event::Marked {
            register: RegisterId {
                group: "Oak".into(),
                date: d("2026-11-23"),
                session: rollcall::domain::session::Session::Am,
            },
            upn: upn(2),
            mark: Some(saved.mark),
        })
    );
}

pub(crate) fn read_reply(stream: &mut UnixStream) -> ServerMessage {
    serde_json::from_slice(&read_frame(stream).unwrap().expect("a reply")).unwrap()
}

/// Reads a reply that must be an `Invalid` refusal; returns its message.
pub(crate) fn invalid_reply(stream: &mut UnixStream) -> String {
    match read_reply(stream) {
        ServerMessage::Reply {
            result: Err(ServiceError::Invalid(why)),
            ..
        } => why,
        reply => panic!("expected an Invalid refusal, got {reply:?}"),
    }
}

#[test]
fn malformed_truncated_and_oversized_messages_do_not_harm_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let server = ServerProcess::start(&db, &dir.path().join("s.sock"), NOW, None);

    // Malformed JSON: an error reply, and the connection still works.
    let mut raw = UnixStream::connect(&server.socket).unwrap();
    raw.write_all(&9u32.to_be_bytes()).unwrap();
    raw.write_all(b"{not json").unwrap();
    let why = invalid_reply(&mut raw);
    assert!(why.contains("malformed request"), "{why}");
    write_frame(
        &mut raw,
        &serde_json::json!({"id": 5, "request": {"request": "hello"}}),
    )
    .unwrap();
    let reply = read_reply(&mut raw);
    assert!(
        matches!(
            reply,
            ServerMessage::Reply {
                id: 5,
                result: Ok(_)
            }
        ),
        "{reply:?}"
    );

    // A well-formed frame with an unknown request is refused the same way.
    write_frame(
        &mut raw,
        &serde_json::json!({"id": 6, "request": {"request": "drop_tables"}}),
    )
    .unwrap();
    invalid_reply(&mut raw);

    // Oversized: refused before it is read, and the connection is closed.
    let mut big = UnixStream::connect(&server.socket).unwrap();
    big.write_all(&(MAX_FRAME as u32 + 1).to_be_bytes())
        .unwrap();
    invalid_reply(&mut big);
    assert!(
        read_frame(&mut big).unwrap().is_none(),
        "closed after an oversized frame"
    );

    // Truncated, then the client dies: nothing happens to anyone else.
    let mut half = UnixStream::connect(&server.socket).unwrap();
    half.write_all(&100u32.to_be_bytes()).unwrap();
    half.write_all(b"{\"id\": 1, \"requ").unwrap();
    drop(half);
    let mut garbage = UnixStream::connect(&server.socket).unwrap();
    garbage.write_all(&[0xff; 3]).unwrap();
    drop(garbage);

    let mut client = server.client();
    assert_eq!(
        client
            .mark(mark("Oak", "2026-11-23", "am", &upn(0), "/"))
            .unwrap()
            .mark
            .code,
        "/"
    );
}

#[test]
fn the_socket_is_usable_only_by_its_owner_or_the_configured_group() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let private = ServerProcess::start(&db, &dir.path().join("private.sock"), NOW, None);
    let meta = std::fs::metadata(&private.socket).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    drop(private);

    let gid = nix::unistd::getgid();
    let group = nix::unistd::Group::from_gid(gid).unwrap().unwrap().name;
    let shared = ServerProcess::start(&db, &dir.path().join("shared.sock"), NOW, Some(&group));
    let meta = std::fs::metadata(&shared.socket).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), gid.as_raw());
}

#[test]
fn a_second_server_on_the_same_socket_or_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let socket = dir.path().join("s.sock");
    let _server = ServerProcess::start(&db, &socket, NOW, None);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .arg("--db")
        .arg(&db)
        .arg("--socket")
        .arg(dir.path().join("other.sock"))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is open in another rollcall process"),
        "{stderr}"
    );
}

#[test]
fn the_command_line_goes_through_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    // A server on DB.sock is found without being named.
    let _server = ServerProcess::start(&db, &rollcall::server::default_socket(&db), NOW, None);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rollcall"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "mark",
        "--group",
        "Oak",
        "--session",
        "am",
        "--pupil",
        &upn(1),
        "--code",
        "L",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "saved 2026-11-23 AM {} /\n\
             note: arrived 08:50, by the time the register began at 09:05: recorded as present (/)\n",
            upn(1)
        )
    );
    let out = run(&["--now", "2026-11-23T10:00", "alerts"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --now to `rollcall serve`"));
}

/// Kills the server with SIGKILL while eight clients are saving marks, restarts it, and finds
/// every mark any client was told was saved. Clients reconnect by themselves.
#[test]
fn every_mark_a_client_was_told_was_saved_survives_a_server_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let socket = dir.path().join("s.sock");
    let mut server = ServerProcess::start(&db, &socket, "2026-11-20T15:00", None);
    let saved: Arc<Mutex<Vec<(String, String, usize)>>> = Arc::default();
    let refused = Arc::new(Mutex::new(0usize));
    let days: Vec<String> = ["23", "24", "25", "26", "30"]
        .iter()
        .map(|d| format!("2026-11-{d}"))
        .collect();
    let workers: Vec<_> = (0..5)
        .map(|pupil| {
            let (saved, refused, socket, days) =
                (saved.clone(), refused.clone(), socket.clone(), days.clone());
            std::thread::spawn(move || {
                let mut client = rollcall::service::Client::new(Box::new(
                    rollcall::service::remote::Remote::connect(&socket).unwrap(),
                ));
                for day in &days {
                    for session in ["am", "pm"] {
                        // Like a person seeing "not connected - not saved": try again shortly.
                        for _attempt in 0..100 {
                            match client.mark(pre_entry(day, session, pupil)) {
                                Ok(_) => {
                                    saved.lock().unwrap().push((
                                        day.clone(),
                                        session.to_string(),
                                        pupil,
                                    ));
                                    break;
                                }
                                Err(ServiceError::Disconnected(_)) => {
                                    *refused.lock().unwrap() += 1;
                                    std::thread::sleep(Duration::from_millis(20));
                                }
                                // A mark saved just before the kill, whose reply was lost.
                                Err(ServiceError::Conflict(_)) => break,
                                Err(e) => panic!("{e}"),
                            }
                        }
                        std::thread::sleep(Duration::from_millis(15));
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(60));
    server.kill();
    let at_kill = saved.lock().unwrap().len();
    std::thread::sleep(Duration::from_millis(100));
    let mut server = ServerProcess::start(&db, &socket, "2026-11-20T15:00", None);
    for w in workers {
        w.join().unwrap();
    }
    let saved = saved.lock().unwrap().clone();
    assert!(*refused.lock().unwrap() > 0, "some marks met a dead server");
    assert!(
        saved.len() > at_kill,
        "clients reconnected to the new server and went on"
    );

    let mut client = server.client();
    let rows = client
        .export(d("2026-11-01"), d("2026-11-30"), None)
        .unwrap();
    // Every mark was saved in the end: confirmed, or found already there after a lost reply.
    assert_eq!(rows.iter().filter(|r| r.code == "M").count(), 50);
    for (day, session, pupil) in &saved {
        assert!(
            rows.iter().any(|r| r.date == d(day)
                && r.session.as_str() == session
                && r.upn == upn(*pupil)
                && r.code == "M"),
            "told saved but missing: {day} {session} {pupil}"
        );
    }
    server.kill();
}

/// Behind a server, anyone in the socket's group can connect: before the first admin exists,
/// only the server's own account may set the school up.
#[test]
fn before_any_admin_only_the_servers_own_account_may_set_up_the_school() {
    let dir = tempfile::tempdir().unwrap();
    let store = rollcall::store::Store::create(&dir.path().join("new.redb"), EXAMPLE).unwrap();
    let clock = Arc::new(rollcall::clock::ManualClock::new(at(NOW)));
    let engine = Arc::new(rollcall::service::Engine::new(store, clock, true).unwrap());
    let staff = |account: &str| rollcall::service::protocol::Request::StaffAdd {
        staff: rollcall::domain::people::Staff {
            account: account.into(),
            name: "Ann Admin".into(),
            position: "Headteacher".into(),
            role: rollcall::domain::register::Role::Admin,
        },
    };
    let mut stranger = rollcall::service::Client::local(engine.clone(), "someone".into());
    let err = stranger.done(staff("someone")).unwrap_err().to_string();
    assert!(err.contains("Nobody is an admin yet"), "{err}");
    assert!(err.contains(&format!("sudo -u {}", me())), "{err}");
    let mut owner = rollcall::service::Client::local(engine.clone(), me());
    owner.done(staff("head")).unwrap();
    // Now there is an admin: the owner is just another account, and unknown.
    let err = owner.done(staff("other")).unwrap_err().to_string();
    assert!(err.contains("not on rollcall's staff list"), "{err}");
}

/// A reply carrying a refusal, as a server sends before hanging up on a connection it will
/// not serve.
pub(crate) struct ServerMessageReply(pub String);

/// Reads the refusal waiting on a stream, if there is one.
pub(crate) fn refusal(stream: &mut UnixStream) -> Result<ServerMessageReply, ()> {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .map_err(|_| ())?;
    match read_frame(stream) {
        Ok(Some(body)) => match serde_json::from_slice::<ServerMessage>(&body) {
            Ok(ServerMessage::Reply {
                result: Err(ServiceError::Refused(why)),
                ..
            }) => Ok(ServerMessageReply(why)),
            _ => Err(()),
        },
        _ => Err(()),
    }
}

/// A register closed through the server is said in the file beside its socket (what the
/// package's path unit watches to publish to the trust's database at once).
#[test]
fn a_closed_register_is_said_beside_the_socket_for_publishing() {
    let dir = tempfile::tempdir().unwrap();
    let db = school_database(dir.path(), &me());
    let socket = dir.path().join("s.sock");
    let server = ServerProcess::start(&db, &socket, "2026-11-23T09:40", None);
    let file = rollcall::server::register_closed_file(&socket);
    assert!(!file.exists());
    server
        .client()
        .call(rollcall::service::protocol::Request::Close(
            RegisterId::new(
                "Oak",
                d("2026-11-23"),
                rollcall::domain::session::Session::Am,
            ),
        ))
        .unwrap();
    let started = Instant::now();
    while !file.exists() && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let said = std::fs::read_to_string(&file).unwrap();
    assert_eq!(said, "Oak 2026-11-23 AM\n");
}

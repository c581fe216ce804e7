//! `rollcall publish` (SPEC §8.9): the school's changes since the last publish, written to
//! the trust's database in one PostgreSQL transaction; only after it commits does the school
//! remember what the database holds. A run stopped part way (killed, the database gone)
//! leaves the database as it was, and the next run sends it all again; publishing twice
//! sends nothing the second time.

use super::connect::Target;
use crate::service::Client;
use crate::service::protocol::*;
use std::io::Write;

/// Pupil-months (or pupils) asked for at a time.
const BATCH: u32 = 1_000;

/// What a run sent.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub urn: String,
    /// The whole school (a database new to it, or one that lost its rows).
    pub everything: bool,
    pub months: u32,
    pub sessions: u64,
    pub pupils: u32,
}

fn pg(e: postgres::Error) -> String {
    super::errors::pg_error(&e)
}

fn csv_bytes(
    rows: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    rows(&mut w).map_err(|e| e.to_string())?;
    w.into_inner().map_err(|e| e.to_string())
}

fn copy_in(tx: &mut postgres::Transaction<'_>, sql: &str, bytes: &[u8]) -> Result<(), String> {
    let mut writer = tx.copy_in(sql).map_err(pg)?;
    writer.write_all(bytes).map_err(|e| e.to_string())?;
    writer.finish().map_err(pg)?;
    Ok(())
}

/// A token no run has given this database before (time and process: the token only tells a
/// database that lost this school's rows from one that holds them).
fn fresh_token() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    crate::store::fingerprint(
        &[
            nanos.to_le_bytes(),
            u64::from(std::process::id()).to_le_bytes(),
        ]
        .concat(),
    )
}

/// Publishes the school `client` reaches to `target`.
pub fn publish(client: &mut Client, target: &Target) -> Result<Published, String> {
    let database = target.key.clone();
    // The school first: a refused account (not an admin) touches no database.
    let (school, token) = match client
        .publish(PublishRequest::Start {
            database: database.clone(),
        })
        .map_err(|e| e.to_string())?
    {
        PublishResponse::Started { school, token } => (school, token),
        other => return Err(format!("an unexpected reply: {other:?}")),
    };
    let mut pg_client = target.connect()?;
    super::schema::ensure(&mut pg_client)
        .map_err(|e| format!("the trust's database {}: {e}", target.shown))?;
    let mut tx = pg_client.transaction().map_err(pg)?;
    // One publish of a school at a time; other schools publish beside it.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('rollcall school ' || $1))",
        &[&school.urn],
    )
    .map_err(pg)?;
    let held: Option<(i64, String, String, String)> = tx
        .query_opt(
            "SELECT token, name, la, estab FROM rollcall.schools WHERE urn = $1",
            &[&school.urn],
        )
        .map_err(pg)?
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)));
    // Another school under this URN (a copied school.toml, a mistyped URN) would have its
    // rows replaced: refused, unless it is this school (its token, or its own name and
    // numbers: a school file restored from a backup).
    if let Some((held_token, name, la, estab)) = &held
        && Some(*held_token as u64) != token
        && (name != &school.name || la != &school.la || estab != &school.estab)
    {
        return Err(format!(
            "URN {} in the trust's database is {name} (LA {la}, establishment {estab}), not \
             {} (LA {}, establishment {}): correct school.toml's urn, or, if this is that \
             school renamed, remove its rows there first (DELETE FROM rollcall.schools WHERE \
             urn = '{}')",
            school.urn, school.name, school.la, school.estab, school.urn
        ));
    }
    let held = held.map(|(t, ..)| t);
    // The database holds what the school remembers sending only if it holds the same token.
    let everything = token.is_none() || held.map(|t| t as u64) != token;
    let new_token = if everything {
        fresh_token()
    } else {
        token.unwrap_or_default()
    };
    tx.execute(
        "INSERT INTO rollcall.schools (urn, la, estab, name, token, published_at) \
         VALUES ($1, $2, $3, $4, $5, clock_timestamp()) \
         ON CONFLICT (urn) DO UPDATE SET la = $2, estab = $3, name = $4, token = $5, \
         published_at = clock_timestamp()",
        &[
            &school.urn,
            &school.la,
            &school.estab,
            &school.name,
            &(new_token as i64),
        ],
    )
    .map_err(pg)?;
    if everything {
        tx.execute(
            "DELETE FROM rollcall.sessions WHERE urn = $1",
            &[&school.urn],
        )
        .map_err(pg)?;
        tx.execute("DELETE FROM rollcall.pupils WHERE urn = $1", &[&school.urn])
            .map_err(pg)?;
    }
    tx.batch_execute("CREATE TEMP TABLE publish_months (upn text, first_day date) ON COMMIT DROP")
        .map_err(pg)?;
    let mut done = Published {
        urn: school.urn.clone(),
        everything,
        ..Published::default()
    };
    let mut sent = Vec::new();
    let mut after = None;
    let stall = std::env::var("ROLLCALL_TEST_PUBLISH_STALL_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis);
    loop {
        let (months, pupils, next) = match client
            .publish(PublishRequest::Changes {
                database: database.clone(),
                everything,
                after,
                limit: BATCH,
            })
            .map_err(|e| e.to_string())?
        {
            PublishResponse::Changes {
                months,
                pupils,
                next,
            } => (months, pupils, next),
            other => return Err(format!("an unexpected reply: {other:?}")),
        };
        send_months(&mut tx, &school.urn, &months, &mut done)?;
        send_pupils(&mut tx, &school.urn, &pupils, &mut done)?;
        sent.extend(months.into_iter().map(|m| m.key));
        sent.extend(pupils.into_iter().map(|p| p.key));
        if let Some(pause) = stall {
            // Tests stop a run here, its transaction open, to show nothing of it lands.
            std::thread::sleep(pause);
        }
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    tx.execute(
        "INSERT INTO rollcall.publishes (urn, finished_at, everything, months, sessions, pupils) \
         VALUES ($1, clock_timestamp(), $2, $3, $4, $5)",
        &[
            &school.urn,
            &everything,
            &(done.months as i32),
            &(done.sessions.min(i32::MAX as u64) as i32),
            &(done.pupils as i32),
        ],
    )
    .map_err(pg)?;
    tx.commit().map_err(pg)?;
    // Remembered only now: were this lost, the database's token would differ from the
    // school's and the next run would send everything again.
    client
        .publish(PublishRequest::Committed {
            database,
            token: new_token,
            everything,
            sent,
        })
        .map_err(|e| e.to_string())?;
    Ok(done)
}

fn send_months(
    tx: &mut postgres::Transaction<'_>,
    urn: &str,
    months: &[PublishedMonth],
    done: &mut Published,
) -> Result<(), String> {
    if months.is_empty() {
        return Ok(());
    }
    tx.batch_execute("TRUNCATE publish_months").map_err(pg)?;
    let keys = csv_bytes(|w| {
        for m in months {
            w.write_record([m.upn.as_str(), &m.first_day.to_string()])?;
        }
        Ok(())
    })?;
    copy_in(
        tx,
        "COPY publish_months (upn, first_day) FROM STDIN (FORMAT csv)",
        &keys,
    )?;
    tx.execute(
        "DELETE FROM rollcall.sessions s USING publish_months m \
         WHERE s.urn = $1 AND s.upn = m.upn AND s.date >= m.first_day \
         AND s.date < m.first_day + interval '1 month'",
        &[&urn],
    )
    .map_err(pg)?;
    let rows = csv_bytes(|w| {
        for m in months {
            for s in &m.sessions {
                w.write_record([
                    urn,
                    m.upn.as_str(),
                    &s.date.to_string(),
                    s.session.label(),
                    s.code.as_str(),
                    s.class.as_str(),
                    &s.minutes_late.map(|m| m.to_string()).unwrap_or_default(),
                ])?;
            }
        }
        Ok(())
    })?;
    copy_in(
        tx,
        "COPY rollcall.sessions (urn, upn, date, session, code, class, minutes_late) \
         FROM STDIN (FORMAT csv)",
        &rows,
    )?;
    done.months += months.len() as u32;
    done.sessions += months.iter().map(|m| m.sessions.len() as u64).sum::<u64>();
    Ok(())
}

fn send_pupils(
    tx: &mut postgres::Transaction<'_>,
    urn: &str,
    pupils: &[PublishedPupil],
    done: &mut Published,
) -> Result<(), String> {
    if pupils.is_empty() {
        return Ok(());
    }
    let upns: Vec<&str> = pupils.iter().map(|p| p.upn.as_str()).collect();
    tx.execute(
        "DELETE FROM rollcall.pupils WHERE urn = $1 AND upn = ANY($2)",
        &[&urn, &upns],
    )
    .map_err(pg)?;
    let flag = |b: Option<bool>| b.map_or(String::new(), |b| b.to_string());
    let rows = csv_bytes(|w| {
        for p in pupils {
            let t = p.traits.as_ref();
            w.write_record([
                urn,
                p.upn.as_str(),
                p.surname.as_str(),
                p.forename.as_str(),
                &p.dob.to_string(),
                p.year.as_str(),
                p.sex.as_deref().unwrap_or(""),
                t.map_or("", |t| t.sen.as_str()),
                &flag(t.map(|t| t.fsm)),
                &flag(t.map(|t| t.pp)),
                &flag(t.map(|t| t.lac)),
                &flag(t.map(|t| t.cin)),
                &flag(t.map(|t| t.eal)),
            ])?;
        }
        Ok(())
    })?;
    copy_in(
        tx,
        "COPY rollcall.pupils (urn, upn, surname, forename, dob, year_group, sex, sen, fsm, pp, \
         lac, cin, eal) FROM STDIN (FORMAT csv)",
        &rows,
    )?;
    done.pupils += pupils.len() as u32;
    Ok(())
}

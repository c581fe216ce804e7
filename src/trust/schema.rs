//! The trust's database as rollcall writes it (SPEC §8.9; docs/TRUST.md): schema `rollcall`,
//! every table keyed by the school's URN so that many schools share one database. Created on
//! the first publish, checked on every one; a newer layout is refused rather than written.

use super::errors::pg_error;

/// The layout this build writes.
pub const LAYOUT: i32 = 1;

/// Layout 1.
const CREATE: &str = "
CREATE SCHEMA IF NOT EXISTS rollcall;
CREATE TABLE IF NOT EXISTS rollcall.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE IF NOT EXISTS rollcall.schools (
    urn text PRIMARY KEY,
    la text NOT NULL,
    estab text NOT NULL,
    name text NOT NULL,
    token bigint NOT NULL,
    published_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS rollcall.pupils (
    urn text NOT NULL REFERENCES rollcall.schools ON DELETE CASCADE,
    upn text NOT NULL,
    surname text NOT NULL,
    forename text NOT NULL,
    dob date NOT NULL,
    year_group text NOT NULL,
    sex text,
    sen text,
    fsm boolean,
    pp boolean,
    lac boolean,
    cin boolean,
    eal boolean,
    PRIMARY KEY (urn, upn)
);
CREATE TABLE IF NOT EXISTS rollcall.sessions (
    urn text NOT NULL REFERENCES rollcall.schools ON DELETE CASCADE,
    upn text NOT NULL,
    date date NOT NULL,
    session text NOT NULL CHECK (session IN ('AM', 'PM')),
    code text NOT NULL,
    class text NOT NULL
        CHECK (class IN ('present', 'aea', 'authorised', 'unauthorised', 'not_possible')),
    minutes_late integer,
    PRIMARY KEY (urn, upn, date, session)
);
CREATE INDEX IF NOT EXISTS sessions_by_date ON rollcall.sessions (date, urn);
CREATE TABLE IF NOT EXISTS rollcall.publishes (
    urn text NOT NULL,
    finished_at timestamptz NOT NULL,
    everything boolean NOT NULL,
    months integer NOT NULL,
    sessions integer NOT NULL,
    pupils integer NOT NULL
);
CREATE OR REPLACE VIEW rollcall.pupil_sessions AS
    SELECT s.urn, s.upn, s.date, s.session, s.code, s.class, s.minutes_late,
           p.year_group, p.sex, p.sen, p.fsm, p.pp, p.lac, p.cin, p.eal
    FROM rollcall.sessions s LEFT JOIN rollcall.pupils p USING (urn, upn);
";

/// Creates the layout where it is missing (one school at a time: two schools publishing
/// first at the same moment must not race to create it) and refuses a newer one.
pub fn ensure(pg: &mut postgres::Client) -> Result<(), String> {
    let mut tx = pg.transaction().map_err(|e| pg_error(&e))?;
    // Any constant: the lock is this database's "rollcall layout" lock.
    tx.execute("SELECT pg_advisory_xact_lock(7365734)", &[])
        .map_err(|e| pg_error(&e))?;
    tx.batch_execute(CREATE).map_err(|e| pg_error(&e))?;
    tx.execute(
        "INSERT INTO rollcall.meta (key, value) VALUES ('layout', $1) ON CONFLICT DO NOTHING",
        &[&LAYOUT.to_string()],
    )
    .map_err(|e| pg_error(&e))?;
    let found: String = tx
        .query_one("SELECT value FROM rollcall.meta WHERE key = 'layout'", &[])
        .map_err(|e| pg_error(&e))?
        .get(0);
    known_layout(&found)?;
    tx.commit().map_err(|e| pg_error(&e))
}

/// A layout this build reads and writes, or why not.
fn known_layout(found: &str) -> Result<(), String> {
    match found.parse::<i32>() {
        Ok(v) if (1..=LAYOUT).contains(&v) => Ok(()),
        Ok(v) if v > LAYOUT => Err(format!(
            "the database's rollcall layout is {v}, newer than this rollcall's ({LAYOUT}): use \
             the newer rollcall"
        )),
        _ => Err(format!(
            "the database's rollcall layout is `{found}`, not one rollcall writes: \
             rollcall.meta has been changed by hand"
        )),
    }
}

/// Before reading: the layout is there and one this build knows.
pub fn check(pg: &mut postgres::Client) -> Result<(), String> {
    let exists: bool = pg
        .query_one("SELECT to_regclass('rollcall.meta') IS NOT NULL", &[])
        .map_err(|e| pg_error(&e))?
        .get(0);
    if !exists {
        return Err(
            "no school has published to this database yet (no rollcall tables): \
             `rollcall publish --postgres URL` from each school first"
                .into(),
        );
    }
    let found: Option<String> = pg
        .query_opt("SELECT value FROM rollcall.meta WHERE key = 'layout'", &[])
        .map_err(|e| pg_error(&e))?
        .map(|row| row.get(0));
    known_layout(found.as_deref().unwrap_or(""))
}

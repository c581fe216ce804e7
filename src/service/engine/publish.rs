//! Publishing to a trust's database (SPEC §8.9): what changed since the database was last
//! sent, a batch at a time, and what it holds once its transaction has committed. The engine
//! only reads and remembers; the client writes to PostgreSQL (the server has no network).

use super::core::{Engine, Result, invalid, refused};
use super::ctx::Ctx;
use crate::domain::people::Sen;
use crate::domain::register::Role;
use crate::service::protocol::*;
use crate::store::month::first_day;
use crate::store::{DETAILS, Reader, fingerprint};
use chrono::Datelike;
use std::collections::BTreeMap;

/// The most pupil-months (or pupils) a batch carries: a few megabytes on the wire.
const MAX_BATCH: u32 = 2_000;

/// The key under which a database's publishing is remembered: its host, port and name.
fn database_key(database: &str) -> u32 {
    fingerprint(database.as_bytes()) as u32
}

impl Engine {
    pub(super) fn publish(&self, ctx: &Ctx, request: PublishRequest) -> Result<Response> {
        if ctx.staff.role != Role::Admin {
            return refused("publishing to a trust's database is an admin's");
        }
        self.publish_for(ctx.school()?, ctx.now, request)
    }

    /// A publishing request for an admin, or the server's own account (its timer).
    pub(super) fn publish_for(
        &self,
        school: &crate::domain::School,
        now: chrono::NaiveDateTime,
        request: PublishRequest,
    ) -> Result<Response> {
        let reply = |r: PublishResponse| Ok(Response::Publish(Box::new(r)));
        match request {
            PublishRequest::Start { database } => {
                let Some(urn) = school.urn.clone() else {
                    return invalid(
                        "school.urn is not set in school.toml: a trust's database keys each \
                         school by its URN",
                    );
                };
                let (_, token) = self.store.read()?.published(database_key(&database))?;
                reply(PublishResponse::Started {
                    school: PublishedSchool {
                        urn,
                        la: school.la.clone().unwrap_or_default(),
                        estab: school.estab.clone().unwrap_or_default(),
                        name: school.name.clone(),
                    },
                    token,
                })
            }
            PublishRequest::Changes {
                database,
                everything,
                after,
                limit,
            } => reply(self.publish_changes(school, now, &database, everything, after, limit)?),
            PublishRequest::Committed {
                database,
                token,
                everything,
                sent,
            } => {
                let sent: Vec<((u32, u32), Option<u64>)> = sent
                    .into_iter()
                    .map(|k| ((k.month, k.pupil), k.hash))
                    .collect();
                self.store.write(|w| {
                    w.put_published(database_key(&database), token, everything, &sent)
                })?;
                reply(PublishResponse::Committed)
            }
        }
    }

    /// The pupil-months, then the pupils' details, whose hash differs from what the database
    /// was sent (or that are gone from the school's records), in key order after `after`.
    fn publish_changes(
        &self,
        school: &crate::domain::School,
        now: chrono::NaiveDateTime,
        database: &str,
        everything: bool,
        after: Option<(u32, u32)>,
        limit: u32,
    ) -> Result<PublishResponse> {
        let r = self.store.read()?;
        let sent = if everything {
            BTreeMap::new()
        } else {
            r.published(database_key(database))?.0
        };
        let upns = r.upns()?;
        let limit = limit.clamp(1, MAX_BATCH) as usize;
        let is_after = |key: (u32, u32)| after.is_none_or(|a| key > a);
        let mut months: Vec<((u32, u32), Option<u64>)> = Vec::new();
        let mut next = None;
        if after.is_none_or(|a| a.0 < DETAILS) {
            r.each_month(
                after.map_or(0, |a| a.0),
                DETAILS - 1,
                |pupil, month, bytes| {
                    let key = (month, pupil);
                    if !is_after(key) {
                        return Ok(true);
                    }
                    if months.len() == limit {
                        next = months.last().map(|(k, _)| *k);
                        return Ok(false);
                    }
                    let hash = month_hash(school, now, month, bytes);
                    if sent.get(&key) != Some(&hash) {
                        months.push((key, Some(hash)));
                    }
                    Ok(true)
                },
            )?;
            // Months the database holds that the school no longer does, up to where this
            // batch ends.
            let upto = next.unwrap_or((DETAILS - 1, u32::MAX));
            let from = after.map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded);
            for (&key, _) in sent.range((from, std::ops::Bound::Included(upto))) {
                if r.month_bytes(key.1, key.0)?.is_none() {
                    months.push((key, None));
                }
            }
            if next.is_none() && months.len() >= limit {
                next = Some((DETAILS - 1, u32::MAX));
            }
        }
        let mut pupils = Vec::new();
        if next.is_none() {
            let mut ids: Vec<(&u32, &String)> = upns.iter().collect();
            ids.sort();
            for (&id, upn) in ids {
                if !is_after((DETAILS, id)) {
                    continue;
                }
                if months.len() + pupils.len() == limit {
                    next = pupils
                        .last()
                        .map(|p: &PublishedPupil| (DETAILS, p.key.pupil))
                        .or(Some((DETAILS - 1, u32::MAX)));
                    break;
                }
                let Some(p) = published_pupil(&r, id, upn, now.date())? else {
                    continue;
                };
                if sent.get(&(DETAILS, id)) != p.key.hash.as_ref() {
                    pupils.push(p);
                }
            }
        }
        let mut out = Vec::with_capacity(months.len());
        for ((month, pupil), hash) in months {
            let Some(upn) = upns.get(&pupil) else {
                continue;
            };
            let Some(first) = first_day(month) else {
                continue;
            };
            let mut sessions = Vec::new();
            if hash.is_some()
                && let Some(m) = r.month(pupil, month)?
            {
                for slot in &m.slots {
                    let Some(date) = first.with_day(u32::from(slot.day)) else {
                        continue;
                    };
                    // A session still to come (a planned absence entered ahead) is not yet
                    // a session of the figures: it goes once it has begun.
                    if !school.has_begun(date, slot.session, now) {
                        continue;
                    }
                    sessions.push(PublishedSession {
                        date,
                        session: slot.session,
                        code: slot.code.to_string(),
                        class: class_name(slot.code.class_on(date)).to_string(),
                        minutes_late: slot.minutes_late,
                    });
                }
            }
            out.push(PublishedMonth {
                key: PublishedKey { month, pupil, hash },
                upn: upn.clone(),
                first_day: first,
                sessions,
            });
        }
        Ok(PublishResponse::Changes {
            months: out,
            pupils,
            next,
        })
    }
}

/// What identifies a pupil-month as published: its stored bytes and, for a month not wholly
/// past, how many of its sessions have begun (a month's later days are sent as they come).
fn month_hash(
    school: &crate::domain::School,
    now: chrono::NaiveDateTime,
    month: u32,
    bytes: &[u8],
) -> u64 {
    let past = crate::store::month::last_day(month).is_some_and(|last| last < now.date());
    if past {
        return fingerprint(bytes);
    }
    let begun = first_day(month)
        .zip(crate::store::month::Month::decode(month, bytes).ok())
        .map_or(0u32, |(first, m)| {
            m.slots
                .iter()
                .filter(|s| {
                    first
                        .with_day(u32::from(s.day))
                        .is_some_and(|date| school.has_begun(date, s.session, now))
                })
                .count() as u32
        });
    fingerprint(&[bytes, &begun.to_le_bytes()].concat())
}

fn class_name(class: crate::domain::codes::StatClass) -> &'static str {
    use crate::domain::codes::StatClass;
    match class {
        StatClass::Present => "present",
        StatClass::Aea => "aea",
        StatClass::Authorised => "authorised",
        StatClass::Unauthorised => "unauthorised",
        StatClass::NotPossible => "not_possible",
    }
}

/// A pupil's details as published, with their hash (the characteristics as of `today`, where
/// the school holds any).
fn published_pupil(
    r: &Reader,
    id: u32,
    upn: &str,
    today: chrono::NaiveDate,
) -> Result<Option<PublishedPupil>> {
    let Some(p) = r.pupil(upn)? else {
        return Ok(None);
    };
    // Read once: whether the school holds any, and what they were today.
    let history = r.characteristics_history(upn)?;
    let traits = if history.is_empty() {
        None
    } else {
        let c = history
            .into_iter()
            .rev()
            .find(|(from, _)| *from <= today)
            .map(|(_, c)| c)
            .unwrap_or_default();
        Some(PublishedTraits {
            sen: match c.sen {
                Sen::None => "N",
                Sen::Support => "K",
                Sen::Ehcp => "E",
            }
            .to_string(),
            fsm: c.fsm,
            pp: c.pp,
            lac: c.lac,
            cin: c.cin,
            eal: c.eal,
        })
    };
    let mut pupil = PublishedPupil {
        key: PublishedKey {
            month: DETAILS,
            pupil: id,
            hash: None,
        },
        upn: upn.to_string(),
        surname: p.surname,
        forename: p.forename,
        dob: p.dob,
        year: p.year.to_string(),
        sex: p.sex.map(|s| s.as_str().to_string()),
        traits,
    };
    let bytes = serde_json::to_vec(&pupil).unwrap_or_default();
    pupil.key.hash = Some(fingerprint(&bytes));
    Ok(Some(pupil))
}

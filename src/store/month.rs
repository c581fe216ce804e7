//! One pupil's marks for one calendar month, as one compact value: the register's shape is
//! dense (every pupil, two sessions a day) and almost never changes after the day, so a month
//! is stored, read and summarised at once.
//!
//! Layout (every number a LEB128 varint unless said):
//!
//! ```text
//! format (u8 = 2)
//! default group id × 2, + 1 when some slot is in another group
//! summary: n codes, n × (code index u8, sessions); L marks with an arrival; their minutes
//!          late in all; weekdays u8 (bit 0 Monday: the days with a session), then each
//!          such day's possible and absent sessions
//! slots present: a 62-bit map, bit (day - 1) × 2 + session
//! each slot, in day and session order:
//!   head u8: code index (6 bits) | same person as the session's previous slot (bit 6)
//!            | extras follow (bit 7)
//!   [staff version id]                      unless the same person
//!   recorded at: seconds from the day's midnight, zigzag, as a difference from the
//!   session's previous slot in this month (registers are taken at about the same time daily)
//!   [extras u8: arrived, minutes late, note, group, office differs from the person's role;
//!    then each field present: minutes after midnight, minutes, length + UTF-8, group id]
//! ```
//!
//! A typical mark costs three bytes. The summary (sessions by code, lateness, weekdays) is
//! kept in step with the slots on every write, so reports read a past month without decoding
//! its marks. Format 1 (schemas 3 to 7) had no weekdays and counted `U`'s minutes in its
//! lateness; it is still read (its summary without weekdays), and schema 8 rewrote it.

use crate::domain::codes::{Code, StatClass};
use crate::domain::figures::WeekdayFigures;
use crate::domain::session::Session;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

const FORMAT: u8 = 2;
/// The format before weekdays: read, never written.
const FORMAT_1: u8 = 1;

/// A calendar month as a key: months since year 0 (`year × 12 + month - 1`), so keys sort by
/// date.
pub type MonthKey = u32;

pub fn month_of(date: NaiveDate) -> MonthKey {
    date.year() as u32 * 12 + date.month0()
}

/// The first day of a month key.
pub fn first_day(month: MonthKey) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((month / 12) as i32, month % 12 + 1, 1)
}

/// The last day of a month key.
pub fn last_day(month: MonthKey) -> Option<NaiveDate> {
    first_day(month + 1).and_then(|d| d.pred_opt())
}

/// One session's mark as the month keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub day: u8,
    pub session: Session,
    pub code: Code,
    /// The staff version (who, with the name and position they had) that recorded it.
    pub staff: u32,
    pub recorded_at: NaiveDateTime,
    pub arrived: Option<NaiveTime>,
    pub minutes_late: Option<u16>,
    pub note: Option<String>,
    pub group: u32,
    /// The mark's "entered by the office" differs from what the person's role says (a mark
    /// migrated from before staff versions, recorded under another role).
    pub office_differs: bool,
}

/// Sessions by code, lateness and weekdays, for a month: what a report counts of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub codes: Vec<(Code, u32)>,
    /// `L` marks that keep how late the pupil was, and those minutes in all.
    pub timed_lates: u32,
    pub minutes_late: u32,
    /// Possible and absent sessions by weekday, Monday first (a code's class cannot change
    /// inside a month: SPEC §3.1's one dated rule starts on the 1st). `None` in format 1.
    pub weekdays: Option<[WeekdayFigures; 7]>,
}

impl Summary {
    fn of(slots: &[Slot], first: Option<NaiveDate>) -> Summary {
        let mut counts: Vec<(Code, u32)> = Vec::new();
        let mut summary = Summary::default();
        let mut weekdays = [WeekdayFigures::default(); 7];
        for slot in slots {
            match counts.iter_mut().find(|(c, _)| *c == slot.code) {
                Some((_, n)) => *n += 1,
                None => counts.push((slot.code, 1)),
            }
            if let (Code::L, Some(m)) = (slot.code, slot.minutes_late) {
                summary.timed_lates += 1;
                summary.minutes_late += u32::from(m);
            }
            if let Some(date) =
                first.and_then(|f| f.checked_add_days(Days::new(u64::from(slot.day - 1))))
            {
                let class = slot.code.class_on(date);
                let day = &mut weekdays[date.weekday().num_days_from_monday() as usize];
                day.possible += u32::from(class != StatClass::NotPossible);
                day.absent += u32::from(matches!(
                    class,
                    StatClass::Authorised | StatClass::Unauthorised
                ));
            }
        }
        counts.sort();
        summary.codes = counts;
        summary.weekdays = Some(weekdays);
        summary
    }
}

/// A month of one pupil's marks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Month {
    /// Sorted by day and session, one slot each.
    pub slots: Vec<Slot>,
}

/// Why a stored month could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged(pub String);

impl Month {
    pub fn get(&self, day: u8, session: Session) -> Option<&Slot> {
        self.slots
            .binary_search_by_key(&(day, session.index()), |s| (s.day, s.session.index()))
            .ok()
            .map(|i| &self.slots[i])
    }

    /// Puts a slot in its place, replacing the one for its session if any.
    pub fn put(&mut self, slot: Slot) {
        match self
            .slots
            .binary_search_by_key(&(slot.day, slot.session.index()), |s| {
                (s.day, s.session.index())
            }) {
            Ok(i) => self.slots[i] = slot,
            Err(i) => self.slots.insert(i, slot),
        }
    }

    /// Takes a session's slot out; whether there was one.
    pub fn remove(&mut self, day: u8, session: Session) -> bool {
        match self
            .slots
            .binary_search_by_key(&(day, session.index()), |s| (s.day, s.session.index()))
        {
            Ok(i) => {
                self.slots.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// The month as stored. `month` is needed to turn recorded times into offsets.
    pub fn encode(&self, month: MonthKey) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.slots.len() * 4);
        out.push(FORMAT);
        // The group most slots share; the others say theirs.
        let mut groups: Vec<(u32, usize)> = Vec::new();
        for s in &self.slots {
            match groups.iter_mut().find(|(g, _)| *g == s.group) {
                Some((_, n)) => *n += 1,
                None => groups.push((s.group, 1)),
            }
        }
        let default_group = groups
            .iter()
            .max_by_key(|(g, n)| (*n, std::cmp::Reverse(*g)))
            .map_or(0, |(g, _)| *g);
        // The low bit says whether any slot is in another group (the summary then spans
        // groups, and a report by group reads the slots).
        let mixed = groups.len() > 1;
        put_varint(&mut out, u64::from(default_group) << 1 | u64::from(mixed));
        let summary = Summary::of(&self.slots, first_day(month));
        put_varint(&mut out, summary.codes.len() as u64);
        for (code, n) in &summary.codes {
            out.push(*code as u8);
            put_varint(&mut out, u64::from(*n));
        }
        put_varint(&mut out, u64::from(summary.timed_lates));
        put_varint(&mut out, u64::from(summary.minutes_late));
        let weekdays = summary.weekdays.unwrap_or_default();
        let present = weekdays.iter().enumerate().fold(0u8, |m, (i, d)| {
            m | u8::from(d.possible > 0 || d.absent > 0) << i
        });
        out.push(present);
        for day in weekdays.iter().filter(|d| d.possible > 0 || d.absent > 0) {
            put_varint(&mut out, u64::from(day.possible));
            put_varint(&mut out, u64::from(day.absent));
        }
        let map = self
            .slots
            .iter()
            .fold(0u64, |m, s| m | 1 << bit(s.day, s.session));
        put_varint(&mut out, map);
        let Some(first) = first_day(month) else {
            return out;
        };
        // Per session: the previous slot's person and time of day.
        let mut previous: [Option<(u32, i64)>; 2] = [None, None];
        for s in &self.slots {
            let date = first + chrono::Days::new(u64::from(s.day.saturating_sub(1)));
            let offset = (s.recorded_at - date.and_time(NaiveTime::MIN)).num_seconds();
            let index = s.session.index() as usize;
            let (same_staff, reference) = match previous[index] {
                Some((staff, at)) => (staff == s.staff, at),
                None => (false, 0),
            };
            let extras = s.arrived.is_some()
                || s.minutes_late.is_some()
                || s.note.is_some()
                || s.group != default_group
                || s.office_differs;
            out.push((s.code as u8) | (u8::from(same_staff) << 6) | (u8::from(extras) << 7));
            if !same_staff {
                put_varint(&mut out, u64::from(s.staff));
            }
            put_varint(&mut out, zigzag(offset - reference));
            if extras {
                let flags = u8::from(s.arrived.is_some())
                    | u8::from(s.minutes_late.is_some()) << 1
                    | u8::from(s.note.is_some()) << 2
                    | u8::from(s.group != default_group) << 3
                    | u8::from(s.office_differs) << 4;
                out.push(flags);
                if let Some(t) = s.arrived {
                    put_varint(&mut out, u64::from(t.hour() * 60 + t.minute()));
                }
                if let Some(m) = s.minutes_late {
                    put_varint(&mut out, u64::from(m));
                }
                if let Some(note) = &s.note {
                    put_varint(&mut out, note.len() as u64);
                    out.extend_from_slice(note.as_bytes());
                }
                if s.group != default_group {
                    put_varint(&mut out, u64::from(s.group));
                }
            }
            previous[index] = Some((s.staff, offset));
        }
        out
    }

    pub fn decode(month: MonthKey, bytes: &[u8]) -> Result<Month, Damaged> {
        let mut r = Reader { bytes, at: 0 };
        let header = r.header()?;
        let first = first_day(month).ok_or_else(|| Damaged(format!("month key {month}")))?;
        let mut slots = Vec::with_capacity(header.map.count_ones() as usize);
        let mut previous: [Option<(u32, i64)>; 2] = [None, None];
        for b in 0..64u32 {
            if header.map & (1 << b) != 0 {
                slots.push(r.slot(&header, first, b, &mut previous)?);
            }
        }
        if r.at != bytes.len() {
            return Err(Damaged("bytes after the last mark".into()));
        }
        Ok(Month { slots })
    }

    /// One day's two sessions, reading only as far as that day: the marks before it are
    /// stepped over (each is a difference from the one before), the rest not read at all.
    /// For a day's registers across the school (the class list, a session's marks).
    pub fn day(month: MonthKey, bytes: &[u8], day: u8) -> Result<[Option<Slot>; 2], Damaged> {
        let mut r = Reader { bytes, at: 0 };
        let header = r.header()?;
        let first = first_day(month).ok_or_else(|| Damaged(format!("month key {month}")))?;
        let mut previous: [Option<(u32, i64)>; 2] = [None, None];
        let mut out = [None, None];
        let (am, pm) = (u32::from(day - 1) * 2, u32::from(day - 1) * 2 + 1);
        for b in 0..=pm.min(63) {
            if header.map & (1 << b) == 0 {
                continue;
            }
            let slot = r.slot(&header, first, b, &mut previous)?;
            if b >= am {
                out[(b - am) as usize] = Some(slot);
            }
        }
        Ok(out)
    }
}

impl Reader<'_> {
    /// The slot at bit `b` of the map, given the slots before it in the month.
    fn slot(
        &mut self,
        header: &Header,
        first: NaiveDate,
        b: u32,
        previous: &mut [Option<(u32, i64)>; 2],
    ) -> Result<Slot, Damaged> {
        let r = self;
        let day = (b / 2 + 1) as u8;
        let session =
            Session::from_index((b % 2) as u8).ok_or_else(|| Damaged("a session".into()))?;
        let head = r.byte()?;
        let code = Code::ALL
            .get(usize::from(head & 0x3f))
            .copied()
            .ok_or_else(|| Damaged(format!("code index {}", head & 0x3f)))?;
        let index = session.index() as usize;
        let staff = if head & 0x40 != 0 {
            previous[index]
                .map(|(s, _)| s)
                .ok_or_else(|| Damaged("a repeated person with none before".into()))?
        } else {
            u32::try_from(r.varint()?).map_err(|_| Damaged("a staff id".into()))?
        };
        let reference = previous[index].map_or(0, |(_, at)| at);
        let offset = reference
            .checked_add(unzigzag(r.varint()?))
            .ok_or_else(|| Damaged("a time".into()))?;
        let date = first
            .checked_add_days(chrono::Days::new(u64::from(day - 1)))
            .ok_or_else(|| Damaged(format!("day {day}")))?;
        let recorded_at = date
            .and_time(NaiveTime::MIN)
            .checked_add_signed(chrono::Duration::seconds(offset))
            .ok_or_else(|| Damaged("a time".into()))?;
        let mut slot = Slot {
            day,
            session,
            code,
            staff,
            recorded_at,
            arrived: None,
            minutes_late: None,
            note: None,
            group: header.default_group,
            office_differs: false,
        };
        if head & 0x80 != 0 {
            let flags = r.byte()?;
            if flags & 1 != 0 {
                let m = r.varint()?;
                slot.arrived = NaiveTime::from_hms_opt((m / 60) as u32, (m % 60) as u32, 0)
                    .filter(|_| m < 24 * 60);
                if slot.arrived.is_none() {
                    return Err(Damaged(format!("arrival minute {m}")));
                }
            }
            if flags & 2 != 0 {
                slot.minutes_late =
                    Some(u16::try_from(r.varint()?).map_err(|_| Damaged("minutes late".into()))?);
            }
            if flags & 4 != 0 {
                let len = r.varint()? as usize;
                let text = r.take(len)?;
                slot.note = Some(
                    String::from_utf8(text.to_vec())
                        .map_err(|_| Damaged("a note that is not UTF-8".into()))?,
                );
            }
            if flags & 8 != 0 {
                slot.group =
                    u32::try_from(r.varint()?).map_err(|_| Damaged("a group id".into()))?;
            }
            slot.office_differs = flags & 16 != 0;
        }
        previous[index] = Some((staff, offset));
        Ok(slot)
    }
}

/// Each mark of a month as a report counts it (day, session, code, group, minutes late),
/// stepping over who recorded it, when, and any note, without decoding them: a year's report
/// reads three quarters of a million marks.
pub fn each_mark(
    bytes: &[u8],
    mut each: impl FnMut(u8, Session, Code, u32, Option<u16>),
) -> Result<(), Damaged> {
    let mut r = Reader { bytes, at: 0 };
    let header = r.header()?;
    let mut seen = [false; 2];
    for b in 0..64u32 {
        if header.map & (1 << b) == 0 {
            continue;
        }
        let day = (b / 2 + 1) as u8;
        let session = if b % 2 == 0 { Session::Am } else { Session::Pm };
        let head = r.byte()?;
        let code = Code::ALL
            .get(usize::from(head & 0x3f))
            .copied()
            .ok_or_else(|| Damaged(format!("code index {}", head & 0x3f)))?;
        let index = (b % 2) as usize;
        if head & 0x40 == 0 {
            r.varint()?;
        } else if !seen[index] {
            return Err(Damaged("a repeated person with none before".into()));
        }
        seen[index] = true;
        r.varint()?;
        let mut group = header.default_group;
        let mut minutes_late = None;
        if head & 0x80 != 0 {
            let flags = r.byte()?;
            if flags & 1 != 0 {
                r.varint()?;
            }
            if flags & 2 != 0 {
                minutes_late =
                    Some(u16::try_from(r.varint()?).map_err(|_| Damaged("minutes late".into()))?);
            }
            if flags & 4 != 0 {
                let len = r.varint()? as usize;
                r.take(len)?;
            }
            if flags & 8 != 0 {
                group = u32::try_from(r.varint()?).map_err(|_| Damaged("a group id".into()))?;
            }
        }
        each(day, session, code, group, minutes_late);
    }
    if r.at != bytes.len() {
        return Err(Damaged("bytes after the last mark".into()));
    }
    Ok(())
}

/// What a month's header says without its slots: the summary and the default group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub default_group: u32,
    pub summary: Summary,
    /// Whether any slot is in another group than the default (the summary then spans groups).
    pub mixed_groups: bool,
    map: u64,
}

/// Reads a month's header only: the summary without decoding a mark.
pub fn header(bytes: &[u8]) -> Result<Header, Damaged> {
    Reader { bytes, at: 0 }.header()
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, Damaged> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| Damaged("the month ends early".into()))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], Damaged> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| Damaged("the month ends early".into()))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn varint(&mut self) -> Result<u64, Damaged> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Damaged("a number too long".into()))
    }

    fn header(&mut self) -> Result<Header, Damaged> {
        let format = self.byte()?;
        if format != FORMAT && format != FORMAT_1 {
            return Err(Damaged(format!("month format {format}")));
        }
        let group_word = self.varint()?;
        let default_group =
            u32::try_from(group_word >> 1).map_err(|_| Damaged("a group id".into()))?;
        let mixed_groups = group_word & 1 != 0;
        let n = self.varint()?;
        if n > Code::ALL.len() as u64 {
            return Err(Damaged(format!("{n} codes in a month")));
        }
        let mut summary = Summary::default();
        for _ in 0..n {
            let index = self.byte()?;
            let code = Code::ALL
                .get(usize::from(index))
                .copied()
                .ok_or_else(|| Damaged(format!("code index {index}")))?;
            let count = u32::try_from(self.varint()?).map_err(|_| Damaged("a count".into()))?;
            summary.codes.push((code, count));
        }
        summary.timed_lates = u32::try_from(self.varint()?).map_err(|_| Damaged("lates".into()))?;
        summary.minutes_late =
            u32::try_from(self.varint()?).map_err(|_| Damaged("minutes late".into()))?;
        if format == FORMAT {
            let present = self.byte()?;
            if present & 0x80 != 0 {
                return Err(Damaged(format!("weekdays {present:#x}")));
            }
            let mut weekdays = [WeekdayFigures::default(); 7];
            for (i, day) in weekdays.iter_mut().enumerate() {
                if present & (1 << i) != 0 {
                    day.possible =
                        u32::try_from(self.varint()?).map_err(|_| Damaged("a weekday".into()))?;
                    day.absent =
                        u32::try_from(self.varint()?).map_err(|_| Damaged("a weekday".into()))?;
                }
            }
            summary.weekdays = Some(weekdays);
        }
        let map = self.varint()?;
        if map >> 62 != 0 {
            return Err(Damaged("a day after the 31st".into()));
        }
        Ok(Header {
            default_group,
            summary,
            mixed_groups,
            map,
        })
    }
}

fn bit(day: u8, session: Session) -> u32 {
    u32::from(day.clamp(1, 31) - 1) * 2 + u32::from(session.index())
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    fn slot(day: u8, session: Session, code: Code, time: &str) -> Slot {
        Slot {
            day,
            session,
            code,
            staff: 3,
            recorded_at: at(&format!("2026-11-{day:02}T{time}")),
            arrived: None,
            minutes_late: None,
            note: None,
            group: 2,
            office_differs: false,
        }
    }

    #[test]
    fn a_month_reads_back_as_it_was_written_and_a_typical_mark_is_three_bytes() {
        let month = month_of(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        let mut m = Month::default();
        for day in 2..=27u8 {
            m.put(slot(day, Session::Am, Code::PresentAm, "08:57:13"));
            m.put(slot(day, Session::Pm, Code::PresentPm, "13:11:02"));
        }
        let mut late = slot(5, Session::Am, Code::L, "09:20:00");
        late.arrived = NaiveTime::from_hms_opt(9, 19, 0);
        late.minutes_late = Some(14);
        late.staff = 9;
        late.note = Some("bus — late".into());
        m.put(late);
        let mut moved = slot(6, Session::Pm, Code::N, "13:12:00");
        moved.group = 7;
        moved.office_differs = true;
        moved.recorded_at = at("2026-10-30T10:00:59");
        m.put(moved);
        let bytes = m.encode(month);
        assert_eq!(Month::decode(month, &bytes).unwrap(), m);
        assert!(bytes.len() < 52 * 3 + 60, "{} bytes", bytes.len());
        let h = header(&bytes).unwrap();
        assert_eq!(h.default_group, 2);
        assert!(h.mixed_groups);
        assert_eq!(h.summary.timed_lates, 1);
        assert_eq!(h.summary.minutes_late, 14);
        assert!(h.summary.codes.contains(&(Code::PresentAm, 25)));
        // The quick walks see what the whole decode sees.
        let mut walked = Vec::new();
        each_mark(&bytes, |day, session, code, group, late| {
            walked.push((day, session, code, group, late))
        })
        .unwrap();
        let decoded: Vec<_> = m
            .slots
            .iter()
            .map(|s| (s.day, s.session, s.code, s.group, s.minutes_late))
            .collect();
        assert_eq!(walked, decoded);
        for day in [1u8, 5, 6, 27, 30] {
            let [am, pm] = Month::day(month, &bytes, day).unwrap();
            assert_eq!(am.as_ref(), m.get(day, Session::Am), "{day} AM");
            assert_eq!(pm.as_ref(), m.get(day, Session::Pm), "{day} PM");
        }
    }

    #[test]
    fn damaged_months_are_errors_not_panics() {
        let month = month_of(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        let mut m = Month::default();
        m.put(slot(2, Session::Am, Code::PresentAm, "08:57:13"));
        let bytes = m.encode(month);
        for cut in 0..bytes.len() {
            assert!(Month::decode(month, &bytes[..cut]).is_err());
            assert!(each_mark(&bytes[..cut], |_, _, _, _, _| {}).is_err());
            assert!(Month::day(month, &bytes[..cut], 2).is_err());
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Month::decode(month, &extra).is_err());
        assert!(each_mark(&extra, |_, _, _, _, _| {}).is_err());
        assert!(Month::decode(month, &[FORMAT]).is_err());
        assert!(Month::decode(month, &[FORMAT + 1]).is_err());
    }

    #[test]
    fn the_summary_keeps_what_every_mark_would_count_and_format_1_still_reads() {
        let month = month_of(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        let first = first_day(month).unwrap();
        let mut m = Month::default();
        let codes = [
            Code::PresentAm,
            Code::C,
            Code::O,
            Code::L,
            Code::U,
            Code::Y,
            Code::X,
        ];
        for day in 1..=30u8 {
            for (i, session) in [Session::Am, Session::Pm].into_iter().enumerate() {
                let mut s = slot(
                    day,
                    session,
                    codes[(day as usize * 3 + i) % codes.len()],
                    "09:00:00",
                );
                if matches!(s.code, Code::L | Code::U) && day % 2 == 0 {
                    s.minutes_late = Some(u16::from(day));
                }
                m.put(s);
            }
        }
        let bytes = m.encode(month);
        let h = header(&bytes).unwrap();
        // What a report counts mark by mark, against what the summary says.
        let mut marks = crate::domain::figures::Detail::default();
        for s in &m.slots {
            let date = first + Days::new(u64::from(s.day - 1));
            marks.add(s.code, date, s.minutes_late);
        }
        let mut summed = crate::domain::figures::Detail::default();
        summed.add_summary(
            &h.summary.codes,
            h.summary.timed_lates,
            h.summary.minutes_late,
            h.summary.weekdays.as_ref().unwrap(),
        );
        assert_eq!(summed, marks);
        // Format 1 is format 2 without the weekdays: it reads, and rewrites as format 2.
        let mut prefix = vec![FORMAT];
        put_varint(
            &mut prefix,
            u64::from(h.default_group) << 1 | u64::from(h.mixed_groups),
        );
        put_varint(&mut prefix, h.summary.codes.len() as u64);
        for (code, n) in &h.summary.codes {
            prefix.push(*code as u8);
            put_varint(&mut prefix, u64::from(*n));
        }
        put_varint(&mut prefix, u64::from(h.summary.timed_lates));
        put_varint(&mut prefix, u64::from(h.summary.minutes_late));
        let mut weekdays = vec![0u8];
        for day in h
            .summary
            .weekdays
            .unwrap()
            .iter()
            .filter(|d| d.possible + d.absent > 0)
        {
            put_varint(&mut weekdays, u64::from(day.possible));
            put_varint(&mut weekdays, u64::from(day.absent));
        }
        let mut old = vec![FORMAT_1];
        old.extend_from_slice(&bytes[1..prefix.len()]);
        old.extend_from_slice(&bytes[prefix.len() + weekdays.len()..]);
        assert_eq!(header(&old).unwrap().summary.weekdays, None);
        let decoded = Month::decode(month, &old).unwrap();
        assert_eq!(decoded, m);
        assert_eq!(decoded.encode(month), bytes);
    }
}

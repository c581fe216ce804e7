//! Lesson registers (SPEC §8.8): teaching classes, the timetable, each pupil's mark in each
//! lesson, the registers taken and the missing-pupil log. A lesson mark is a row of its own,
//! keyed by day first, so a day's lessons are one range read; none of it is read by the
//! statutory figures.

use super::error::{Result, StoreError};
use super::keys::{date_of, day};
use super::rows::{
    ClassRow, LessonDayRow, LessonEntry, LessonTakenRow, MissingRow, SlotRow, decoded,
};
use super::schema::{Kind, Tables, Writer};
use crate::domain::lessons::{
    LessonCode, LessonMark, MissingAction, MissingOutcome, Slot, TeachingClass,
};
use chrono::{NaiveDate, NaiveDateTime, Weekday};
use redb::ReadableTable;
use std::collections::HashMap;

fn weekday_of(i: u8) -> Result<Weekday> {
    Weekday::try_from(i).map_err(|_| StoreError::Corrupt(format!("weekday {i}")))
}

/// The texts a day's rows name (classes, accounts), each read once.
type Texts = HashMap<u32, String>;

impl<T: Kind> Tables<T> {
    fn lesson_text(&self, texts: &mut Texts, id: u32) -> Result<String> {
        if let Some(text) = texts.get(&id) {
            return Ok(text.clone());
        }
        let text = self.reason_text(id)?;
        texts.insert(id, text.clone());
        Ok(text)
    }

    fn lesson_mark_of(
        &self,
        texts: &mut Texts,
        date: NaiveDate,
        e: LessonEntry,
    ) -> Result<LessonMark> {
        Ok(LessonMark {
            code: LessonCode::from_index(e.code)
                .ok_or_else(|| StoreError::Corrupt(format!("lesson code {}", e.code)))?,
            class: self.lesson_text(texts, e.class)?,
            arrived: e.arrived,
            minutes_late: e.minutes_late,
            recorded_by: self.lesson_text(texts, e.by)?,
            recorded_at: date.and_time(chrono::NaiveTime::MIN)
                + chrono::Duration::try_seconds(e.at).ok_or_else(|| {
                    StoreError::Corrupt(format!("a lesson mark's time ({} s)", e.at))
                })?,
        })
    }

    fn lesson_day_row(&self, date: NaiveDate, id: u32, upn: &str) -> Result<LessonDayRow> {
        match self.lesson_days.get((day(date), id))? {
            None => Ok(LessonDayRow::default()),
            Some(v) => decoded(v.value(), Ok, || format!("{upn}'s lesson marks of {date}")),
        }
    }
}

/// A day's lesson marks: (period, upn) → the mark.
pub type DayMarks = HashMap<(String, String), LessonMark>;

impl<T: Kind> Tables<T> {
    /// Every teaching class, by name.
    pub fn classes(&self) -> Result<Vec<TeachingClass>> {
        let upns = self.upns()?;
        let mut out = Vec::new();
        for entry in self.lesson_classes.iter()? {
            let (name, value) = entry?;
            let name = name.value().to_string();
            let row: ClassRow = decoded(value.value(), Ok, || format!("class {name}"))?;
            out.push(TeachingClass {
                pupils: row
                    .pupils
                    .iter()
                    .filter_map(|id| upns.get(id).cloned())
                    .collect(),
                subject: row.subject,
                name,
            });
        }
        Ok(out)
    }

    pub fn class(&self, name: &str) -> Result<Option<TeachingClass>> {
        let Some(value) = self.lesson_classes.get(name)? else {
            return Ok(None);
        };
        let row: ClassRow = decoded(value.value(), Ok, || format!("class {name}"))?;
        // Thirty lookups, not every pupil's id: a lesson's marks read this in each commit.
        let mut pupils = Vec::with_capacity(row.pupils.len());
        for id in &row.pupils {
            if let Some(upn) = self.pupil_ids.get(*id)? {
                pupils.push(upn.value().to_string());
            }
        }
        Ok(Some(TeachingClass {
            name: name.to_string(),
            subject: row.subject,
            pupils,
        }))
    }

    /// The whole timetable, by week, weekday, period and class.
    pub fn timetable(&self) -> Result<Vec<Slot>> {
        let mut out = Vec::new();
        for entry in self.timetable.iter()? {
            let (key, value) = entry?;
            let (week, weekday, period, class) = key.value();
            let row: SlotRow = decoded(value.value(), Ok, || format!("lesson {class} {period}"))?;
            out.push(Slot {
                week: (week > 0).then_some(week),
                weekday: weekday_of(weekday)?,
                period: period.to_string(),
                class: class.to_string(),
                teacher: row.teacher,
                room: row.room,
            });
        }
        Ok(out)
    }

    /// The lessons taught on a weekday in week `week` of the rotation (and every week): two
    /// range reads, not the whole timetable.
    pub fn timetable_on(&self, week: u8, weekday: Weekday) -> Result<Vec<Slot>> {
        let d = weekday.num_days_from_monday() as u8;
        let mut out = Vec::new();
        let weeks = if week == 0 { vec![0] } else { vec![0, week] };
        for w in weeks {
            let range = (w, d, "", "")..=(w, d, "\u{10FFFF}", "\u{10FFFF}");
            for entry in self.timetable.range(range)? {
                let (key, value) = entry?;
                let (_, _, period, class) = key.value();
                let row: SlotRow =
                    decoded(value.value(), Ok, || format!("lesson {class} {period}"))?;
                out.push(Slot {
                    week: (w > 0).then_some(w),
                    weekday,
                    period: period.to_string(),
                    class: class.to_string(),
                    teacher: row.teacher,
                    room: row.room,
                });
            }
        }
        Ok(out)
    }

    /// A pupil's mark in a period's lesson on a date.
    pub fn lesson_mark(
        &self,
        date: NaiveDate,
        period: &str,
        upn: &str,
    ) -> Result<Option<LessonMark>> {
        let Some(id) = self.pupil_id(upn)? else {
            return Ok(None);
        };
        let row = self.lesson_day_row(date, id, upn)?;
        match row.marks.into_iter().find(|e| e.period == period) {
            None => Ok(None),
            Some(e) => self.lesson_mark_of(&mut Texts::new(), date, e).map(Some),
        }
    }

    /// Every lesson mark from `from` to `to`, in date order: `visit(date, period, upn, mark)`.
    pub fn each_lesson_mark(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut visit: impl FnMut(NaiveDate, &str, &str, LessonMark),
    ) -> Result<()> {
        let upns = self.upns()?;
        let mut texts = Texts::new();
        for entry in self
            .lesson_days
            .range((day(from), 0u32)..=(day(to), u32::MAX))?
        {
            let (key, value) = entry?;
            let (d, id) = key.value();
            let Some(upn) = upns.get(&id) else { continue };
            let date = date_of(d)?;
            let row: LessonDayRow = decoded(value.value(), Ok, || {
                format!("{upn}'s lesson marks of {date}")
            })?;
            for e in row.marks {
                let period = e.period.clone();
                visit(
                    date,
                    &period,
                    upn,
                    self.lesson_mark_of(&mut texts, date, e)?,
                );
            }
        }
        Ok(())
    }

    /// A day's lesson marks, by (period, upn).
    pub fn lesson_marks_on(&self, date: NaiveDate) -> Result<DayMarks> {
        let mut out = HashMap::new();
        self.each_lesson_mark(date, date, |_, period, upn, mark| {
            out.insert((period.to_string(), upn.to_string()), mark);
        })?;
        Ok(out)
    }

    /// The lesson registers taken on a day: (period, class) → (account, when).
    pub fn lessons_taken_on(
        &self,
        date: NaiveDate,
    ) -> Result<HashMap<(String, String), (String, NaiveDateTime)>> {
        let mut out = HashMap::new();
        let range = (day(date), "", "")..=(day(date), "\u{10FFFF}", "\u{10FFFF}");
        for entry in self.lesson_taken.range(range)? {
            let (key, value) = entry?;
            let (_, period, class) = key.value();
            let row: LessonTakenRow = decoded(value.value(), Ok, || format!("{class} {period}"))?;
            out.insert((period.to_string(), class.to_string()), (row.by, row.at));
        }
        Ok(out)
    }

    /// What was done about each missing pupil on a day: (period, upn) → actions, oldest first.
    pub fn missing_actions_on(
        &self,
        date: NaiveDate,
    ) -> Result<HashMap<(String, String), Vec<MissingAction>>> {
        let upns = self.upns()?;
        let mut out: HashMap<(String, String), Vec<MissingAction>> = HashMap::new();
        let range = (day(date), "", 0u32, 0u16)..=(day(date), "\u{10FFFF}", u32::MAX, u16::MAX);
        for entry in self.missing_log.range(range)? {
            let (key, value) = entry?;
            let (_, period, id, _) = key.value();
            let Some(upn) = upns.get(&id) else { continue };
            let row: MissingRow = decoded(value.value(), Ok, || format!("missing {upn}"))?;
            out.entry((period.to_string(), upn.clone()))
                .or_default()
                .push(MissingAction {
                    outcome: if row.outcome == 0 {
                        MissingOutcome::Found
                    } else {
                        MissingOutcome::ParentsInformed
                    },
                    note: row.note,
                    account: row.by,
                    name: row.name,
                    at: row.at,
                });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Replaces every teaching class with these (a class list is the whole school's).
    pub fn replace_classes(&mut self, classes: &[TeachingClass]) -> Result<()> {
        self.lesson_classes.retain(|_, _| false)?;
        for c in classes {
            let mut pupils = Vec::new();
            for upn in &c.pupils {
                let id = self
                    .pupil_id(upn)?
                    .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
                pupils.push(id);
            }
            let row = ClassRow {
                subject: c.subject.clone(),
                pupils,
            };
            self.lesson_classes.insert(c.name.as_str(), Ok(row))?;
        }
        Ok(())
    }

    /// Replaces the timetable with these lessons.
    pub fn replace_timetable(&mut self, slots: &[Slot]) -> Result<()> {
        self.timetable.retain(|_, _| false)?;
        for s in slots {
            let key = (
                s.week.unwrap_or(0),
                s.weekday.num_days_from_monday() as u8,
                s.period.as_str(),
                s.class.as_str(),
            );
            let row = SlotRow {
                teacher: s.teacher.clone(),
                room: s.room.clone(),
            };
            self.timetable.insert(key, Ok(row))?;
        }
        Ok(())
    }

    pub fn put_lesson_mark(
        &mut self,
        date: NaiveDate,
        period: &str,
        upn: &str,
        mark: &LessonMark,
    ) -> Result<()> {
        let id = self
            .pupil_id(upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
        let entry = LessonEntry {
            period: period.to_string(),
            class: super::history::intern(&mut self.reasons, &mut self.reason_texts, &mark.class)?,
            code: mark.code.index(),
            arrived: mark.arrived,
            minutes_late: mark.minutes_late,
            by: super::history::intern(
                &mut self.reasons,
                &mut self.reason_texts,
                &mark.recorded_by,
            )?,
            at: (mark.recorded_at - date.and_time(chrono::NaiveTime::MIN)).num_seconds(),
        };
        let mut row = self.lesson_day_row(date, id, upn)?;
        match row.marks.iter_mut().find(|e| e.period == period) {
            Some(e) => *e = entry,
            None => row.marks.push(entry),
        }
        self.lesson_days.insert((day(date), id), Ok(row))?;
        Ok(())
    }

    pub fn put_lesson_taken(
        &mut self,
        date: NaiveDate,
        period: &str,
        class: &str,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let row = LessonTakenRow {
            by: by.to_string(),
            at,
        };
        self.lesson_taken
            .insert((day(date), period, class), Ok(row))?;
        Ok(())
    }

    /// Appends what was done about a missing pupil.
    pub fn put_missing_action(
        &mut self,
        date: NaiveDate,
        period: &str,
        upn: &str,
        action: &MissingAction,
    ) -> Result<()> {
        let id = self
            .pupil_id(upn)?
            .ok_or_else(|| StoreError::Corrupt(format!("no pupil record for {upn}")))?;
        let start = (day(date), period, id, 0u16);
        let end = (day(date), period, id, u16::MAX);
        let seq = match self.missing_log.range(start..=end)?.next_back() {
            Some(last) => last?.0.value().3.checked_add(1).ok_or_else(|| {
                StoreError::Corrupt(format!("too many entries for missing {upn}"))
            })?,
            None => 0,
        };
        let row = MissingRow {
            outcome: match action.outcome {
                MissingOutcome::Found => 0,
                MissingOutcome::ParentsInformed => 1,
            },
            note: action.note.clone(),
            by: action.account.clone(),
            name: action.name.clone(),
            at: action.at,
        };
        self.missing_log
            .insert((day(date), period, id, seq), Ok(row))?;
        Ok(())
    }
}

//! What the school knows of a day for its lesson registers (SPEC §8.8), read once: the
//! timetable's lessons that day, the statutory marks of both sessions, sign-outs and every
//! lesson mark. The lesson screens, the missing-pupil list and the late list all ask it, so a
//! pupil is missing, expected away or in school by one rule.

use super::core::{Result, refused};
use crate::domain::School;
use crate::domain::desk::{DeskEntry, out_at};
use crate::domain::lessons::{
    Expected, LessonCode, LessonMark, Period, Slot, is_missing, session_of, statutory_says,
};
use crate::domain::marks::Mark;
use crate::domain::session::Session;
use crate::service::protocol::{LessonPupil, LessonSlot};
use crate::store::{DayMarks, Kind, Tables};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

pub(super) struct LessonDay {
    pub date: NaiveDate,
    /// The lessons taught that day (the rotation's week applied).
    pub slots: Vec<Slot>,
    statutory: [HashMap<String, Mark>; 2],
    desk: HashMap<String, Vec<DeskEntry>>,
    pub marks: DayMarks,
    pub taken: HashMap<(String, String), (String, NaiveDateTime)>,
}

/// The lessons taught on a school day, the rotation's week applied.
fn slots_on<T: Kind>(r: &Tables<T>, school: &School, date: NaiveDate) -> Result<Vec<Slot>> {
    if school.calendar.check_session(date, Session::Am).is_err() {
        return Ok(Vec::new());
    }
    let week = school.lessons.week_of(date);
    let weekday = chrono::Datelike::weekday(&date);
    Ok(r.timetable_on(week, weekday)?
        .into_iter()
        .filter(|s| s.on(date, week))
        .collect())
}

impl LessonDay {
    /// The whole day: every lesson, every pupil (the lists and reports).
    pub fn read<T: Kind>(r: &Tables<T>, school: &School, date: NaiveDate) -> Result<LessonDay> {
        let [am, pm] = r.marks_on_day(date)?;
        let mut desk: HashMap<String, Vec<DeskEntry>> = HashMap::new();
        for e in r.desk_entries(date, date)? {
            desk.entry(e.upn.clone()).or_default().push(e);
        }
        Ok(LessonDay {
            date,
            slots: slots_on(r, school, date)?,
            statutory: [am.into_iter().collect(), pm.into_iter().collect()],
            desk,
            marks: r.lesson_marks_on(date)?,
            taken: r.lessons_taken_on(date)?,
        })
    }

    /// The day as it concerns these pupils alone (a lesson's register, a mark): lookups by
    /// pupil, so a lesson read in a school of two thousand reads thirty pupils' days.
    pub fn read_for<T: Kind>(
        r: &Tables<T>,
        school: &School,
        date: NaiveDate,
        upns: &[String],
    ) -> Result<LessonDay> {
        let mut day = Self::pupils_only(r, school, date, upns)?;
        day.slots = slots_on(r, school, date)?;
        day.taken = r.lessons_taken_on(date)?;
        Ok(day)
    }

    /// These pupils' day and nothing of the timetable: what a saved mark's rows need.
    pub fn pupils_only<T: Kind>(
        r: &Tables<T>,
        school: &School,
        date: NaiveDate,
        upns: &[String],
    ) -> Result<LessonDay> {
        let mut statutory: [HashMap<String, Mark>; 2] = Default::default();
        let mut desk: HashMap<String, Vec<DeskEntry>> = HashMap::new();
        let mut marks = DayMarks::new();
        for upn in upns {
            for session in Session::BOTH {
                let key = crate::domain::marks::SessionKey {
                    date,
                    session,
                    upn: upn.clone(),
                };
                if let Some(mark) = r.mark(&key)? {
                    statutory[session.index() as usize].insert(upn.clone(), mark);
                }
            }
            let entries = r.desk_entries_of(date, upn)?;
            if !entries.is_empty() {
                desk.insert(upn.clone(), entries);
            }
            for period in &school.lessons.periods {
                if let Some(mark) = r.lesson_mark(date, &period.name, upn)? {
                    marks.insert((period.name.clone(), upn.clone()), mark);
                }
            }
        }
        Ok(LessonDay {
            date,
            slots: Vec::new(),
            statutory,
            desk,
            marks,
            taken: HashMap::new(),
        })
    }

    /// The lesson of `class` in `period` on `date` by the timetable alone (a mark's check).
    pub fn find_slot<T: Kind>(
        r: &Tables<T>,
        school: &School,
        date: NaiveDate,
        class: &str,
        period: &str,
    ) -> Result<(Slot, Period)> {
        Self::lessons_of(r, school, date, DayMarks::new(), HashMap::new())?
            .slot(school, class, period)
            .map(|(slot, period)| (slot.clone(), period.clone()))
    }

    /// The day's lessons, their marks and who took them, without the statutory marks or
    /// the desk: what the day's list of lessons counts.
    pub fn lessons_only<T: Kind>(
        r: &Tables<T>,
        school: &School,
        date: NaiveDate,
    ) -> Result<LessonDay> {
        Self::lessons_of(
            r,
            school,
            date,
            r.lesson_marks_on(date)?,
            r.lessons_taken_on(date)?,
        )
    }

    fn lessons_of<T: Kind>(
        r: &Tables<T>,
        school: &School,
        date: NaiveDate,
        marks: DayMarks,
        taken: HashMap<(String, String), (String, NaiveDateTime)>,
    ) -> Result<LessonDay> {
        Ok(LessonDay {
            date,
            slots: slots_on(r, school, date)?,
            statutory: Default::default(),
            desk: HashMap::new(),
            marks,
            taken,
        })
    }

    /// The lesson of `class` in `period` this day, or why there is none.
    pub fn slot<'a>(
        &'a self,
        school: &'a School,
        class: &str,
        period: &str,
    ) -> Result<(&'a Slot, &'a Period)> {
        let Some(p) = school.lessons.period(period) else {
            let names: Vec<&str> = school
                .lessons
                .periods
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            return refused(format!(
                "`{period}` is not one of the school's periods ({})",
                if names.is_empty() {
                    "it has none: [[periods]] in school.toml".to_string()
                } else {
                    names.join(", ")
                }
            ));
        };
        match self
            .slots
            .iter()
            .find(|s| s.class == class && s.period == p.name)
        {
            Some(s) => Ok((s, p)),
            None => refused(format!(
                "{class} has no lesson in {} on {} by the timetable",
                p.name,
                self.date.format("%a %d %b")
            )),
        }
    }

    /// The statutory mark of the session a period lies in.
    /// A statutory mark saved since the day was read (the afternoon's, taken in a lesson).
    pub fn saved_statutory(&mut self, session: Session, upn: &str, mark: Mark) {
        self.statutory[session.index() as usize].insert(upn.to_string(), mark);
    }

    pub fn statutory(&self, school: &School, period: &Period, upn: &str) -> Option<&Mark> {
        let session = session_of(period, school.sessions.pm.opens_at);
        self.statutory[session.index() as usize].get(upn)
    }

    /// A pupil as a lesson sees them: their mark, the statutory code, why they are expected
    /// away (a statutory absence, or signed out by the lesson's start), and whether an `N`
    /// here makes them missing (known to be in: registered present, or present in an earlier
    /// lesson today).
    pub fn pupil(&self, school: &School, period: &Period, upn: &str, name: String) -> LessonPupil {
        let statutory = self.statutory(school, period, upn);
        let (registered_in, mut expected) =
            statutory_says(statutory.map(|m| m.code), statutory.and_then(|m| m.arrived));
        let mark = self
            .marks
            .get(&(period.name.clone(), upn.to_string()))
            .cloned();
        // Signed out by the lesson's start, or by the time the lesson's mark was made (a
        // pupil collected during the lesson is not missing from it).
        let by = mark.as_ref().map_or(period.start, |m| {
            if m.recorded_at.date() == self.date {
                m.recorded_at.time().max(period.start)
            } else {
                period.end
            }
        });
        if expected.is_none()
            && let Some(out) = self
                .desk
                .get(upn)
                .and_then(|entries| out_at(entries.iter(), by))
            && out.kind == crate::domain::desk::DeskKind::SignedOut
        {
            expected = Some(Expected::SignedOut(out.time.unwrap_or(period.start)));
        }
        let earlier_in = school
            .lessons
            .periods
            .iter()
            .filter(|p| p.start < period.start)
            .any(|p| {
                self.marks
                    .get(&(p.name.clone(), upn.to_string()))
                    .is_some_and(|m| m.code != LessonCode::Absent)
            });
        let missing = mark
            .as_ref()
            .is_some_and(|m| is_missing(m.code, registered_in || earlier_in, expected.as_ref()));
        LessonPupil {
            upn: upn.to_string(),
            name,
            mark,
            statutory: statutory.map(|m| m.code),
            expected,
            missing,
        }
    }

    /// Whether the pupil was in a lesson after this period (found without anyone looking).
    pub fn seen_after(&self, school: &School, period: &Period, upn: &str) -> Option<&LessonMark> {
        school
            .lessons
            .periods
            .iter()
            .filter(|p| p.start > period.start)
            .find_map(|p| {
                self.marks
                    .get(&(p.name.clone(), upn.to_string()))
                    .filter(|m| m.code != LessonCode::Absent)
            })
    }

    /// A lesson as the lists show it.
    pub fn view<T: Kind>(
        &self,
        r: &Tables<T>,
        school: &School,
        slot: &Slot,
        pupils: &[String],
        subject: &str,
    ) -> Result<LessonSlot> {
        let period = school.lessons.period(&slot.period);
        let marked = pupils
            .iter()
            .filter(|u| {
                self.marks
                    .contains_key(&(slot.period.clone(), (*u).clone()))
            })
            .count() as u32;
        let teacher_name = r
            .staff(&slot.teacher)?
            .map_or(slot.teacher.clone(), |s| s.name);
        Ok(LessonSlot {
            date: self.date,
            period: slot.period.clone(),
            start: period.map_or(NaiveTime::MIN, |p| p.start),
            end: period.map_or(NaiveTime::MIN, |p| p.end),
            due: period.map_or(NaiveTime::MIN, |p| school.lessons.register_due_by(p)),
            class: slot.class.clone(),
            subject: subject.to_string(),
            teacher: slot.teacher.clone(),
            teacher_name,
            room: slot.room.clone(),
            pupils: pupils.len() as u32,
            marked,
            taken: self
                .taken
                .get(&(slot.period.clone(), slot.class.clone()))
                .cloned(),
            afternoon_register: school.lessons.takes_afternoon_register(&slot.period)
                && school
                    .calendar
                    .check_session(self.date, crate::domain::session::Session::Pm)
                    .is_ok(),
        })
    }
}

//! Lesson registers (SPEC §8.8): the timetable and classes imported, a teacher's lessons of
//! the day, a lesson's register, its marks and its closing. The statutory figures never read
//! a lesson; the one statutory mark written here is the afternoon's, where the school takes
//! that register in a lesson (`[lessons] pm_register_period`), through the statutory rules.

use super::core::{Engine, Result, invalid, refused};
use super::ctx::Ctx;
use super::lesson_day::LessonDay;
use super::queue::{LessonSaved, LessonWrite};
use crate::domain::lessons::{LessonCode, LessonMark, Period, minutes_late};
use crate::domain::marks::{SessionKey, Source};
use crate::domain::register::Role;
use crate::domain::session::Session;
use crate::service::error::ServiceError;
use crate::service::protocol::*;
use chrono::{NaiveDate, NaiveTime};

/// How long before a period starts its teacher may open the register.
const OPENS_BEFORE_MINUTES: i64 = 10;

impl Engine {
    pub(super) fn lesson(&self, ctx: &Ctx, request: LessonRequest) -> Result<Response> {
        let reply = |r: LessonResponse| Ok(Response::Lesson(Box::new(r)));
        match request {
            LessonRequest::ImportTimetable { file, csv, dry_run } => {
                reply(self.import_timetable(ctx, &file, &csv, dry_run)?)
            }
            LessonRequest::ImportClasses { file, csv, dry_run } => {
                reply(self.import_classes(ctx, &file, &csv, dry_run)?)
            }
            LessonRequest::Day { date, teacher } => reply(self.lessons_of_day(ctx, date, teacher)?),
            LessonRequest::Register {
                class,
                date,
                period,
            } => reply(LessonResponse::Register(Box::new(
                self.lesson_register(ctx, &class, date, &period)?,
            ))),
            LessonRequest::Mark {
                class,
                date,
                period,
                upn,
                code,
                arrived,
            } => reply(self.lesson_mark(ctx, &class, date, &period, &[(upn, code, arrived)])?),
            LessonRequest::MarkMany {
                class,
                date,
                period,
                marks,
            } => {
                let marks: Vec<_> = marks
                    .into_iter()
                    .map(|m| (m.upn, m.code, m.arrived))
                    .collect();
                reply(self.lesson_mark(ctx, &class, date, &period, &marks)?)
            }
            LessonRequest::AllPresent {
                class,
                date,
                period,
            } => {
                let register = self.lesson_register(ctx, &class, date, &period)?;
                let marks: Vec<_> = register
                    .pupils
                    .iter()
                    .filter(|p| p.mark.is_none() && p.expected.is_none())
                    .map(|p| (p.upn.clone(), LessonCode::Present, None))
                    .collect();
                reply(self.lesson_mark(ctx, &class, date, &period, &marks)?)
            }
            LessonRequest::Close {
                class,
                date,
                period,
            } => reply(self.lesson_close(ctx, &class, date, &period)?),
            LessonRequest::Remind {
                class,
                date,
                period,
            } => reply(self.lesson_remind(ctx, &class, date, &period)?),
            LessonRequest::Missing { date } => reply(self.missing(ctx, date)?),
            LessonRequest::Resolve {
                date,
                period,
                upn,
                outcome,
                note,
            } => reply(self.resolve_missing(ctx, date, &period, &upn, outcome, &note)?),
            LessonRequest::Late { date } => reply(self.late_to_lessons(ctx, date)?),
            LessonRequest::NotTaken { date } => reply(self.lessons_not_taken(ctx, date)?),
            LessonRequest::Report { from, to, by } => reply(self.lesson_report(ctx, from, to, by)?),
        }
    }

    fn import_timetable(
        &self,
        ctx: &Ctx,
        file: &str,
        csv: &str,
        dry_run: bool,
    ) -> Result<LessonResponse> {
        if ctx.staff.role != Role::Admin {
            return refused("the timetable is imported by an admin");
        }
        let school = ctx.school()?;
        let r = self.store.read()?;
        let staff: std::collections::HashSet<String> =
            r.all_staff()?.into_iter().map(|s| s.account).collect();
        let slots = crate::service::lesson_files::parse_timetable(
            file,
            csv,
            &school.lessons,
            &school.calendar.weekdays,
            |a| staff.contains(a),
        )
        .map_err(ServiceError::Invalid)?;
        let taught = r.classes()?;
        if dry_run {
            refuse_double_booking(file, &slots, &taught)?;
        }
        drop(r);
        let classes: std::collections::BTreeSet<&str> =
            slots.iter().map(|s| s.class.as_str()).collect();
        let teachers: std::collections::BTreeSet<&str> =
            slots.iter().map(|s| s.teacher.as_str()).collect();
        let mut summary = LessonsImported {
            rows: slots.len() as u32,
            classes: classes.len() as u32,
            teachers: teachers.len() as u32,
            dry_run,
            notes: unmatched(&slots, &taught),
        };
        if !dry_run {
            // Checked against the classes inside the write: an admin importing the classes
            // at the same moment cannot slip a double booking past it.
            summary.notes = self.store.write(|w| {
                let taught = w.classes()?;
                refuse_double_booking(file, &slots, &taught)?;
                w.replace_timetable(&slots)?;
                Ok::<_, ServiceError>(unmatched(&slots, &taught))
            })?;
            self.notify(Event::Reload);
        }
        Ok(LessonResponse::Imported(summary))
    }

    fn import_classes(
        &self,
        ctx: &Ctx,
        file: &str,
        csv: &str,
        dry_run: bool,
    ) -> Result<LessonResponse> {
        if ctx.staff.role != Role::Admin {
            return refused("teaching classes are imported by an admin");
        }
        let r = self.store.read()?;
        let known = r.upns()?;
        let known: std::collections::HashSet<&String> = known.values().collect();
        let classes = crate::service::lesson_files::parse_classes(file, csv, |upn| {
            known.contains(&upn.to_string())
        })
        .map_err(ServiceError::Invalid)?;
        let timetable = r.timetable()?;
        if dry_run {
            refuse_double_booking(file, &timetable, &classes)?;
        }
        drop(r);
        let mut summary = LessonsImported {
            rows: classes.iter().map(|c| c.pupils.len() as u32).sum(),
            classes: classes.len() as u32,
            teachers: 0,
            dry_run,
            notes: unmatched(&timetable, &classes),
        };
        if !dry_run {
            summary.notes = self.store.write(|w| {
                let timetable = w.timetable()?;
                refuse_double_booking(file, &timetable, &classes)?;
                w.replace_classes(&classes)?;
                Ok::<_, ServiceError>(unmatched(&timetable, &classes))
            })?;
            self.notify(Event::Reload);
        }
        Ok(LessonResponse::Imported(summary))
    }

    /// The day's lessons: a teacher's own, the one under way (or next) first; office staff
    /// every lesson, or one teacher's.
    pub(super) fn lessons_of_day(
        &self,
        ctx: &Ctx,
        date: Option<NaiveDate>,
        teacher: Option<String>,
    ) -> Result<LessonResponse> {
        let school = ctx.school()?;
        let date = date.unwrap_or(ctx.now.date());
        let whose = if ctx.staff.role.is_office() {
            teacher
        } else {
            Some(ctx.staff.account.clone())
        };
        // The class list asks this on every load: a school without periods reads nothing.
        if school.lessons.periods.is_empty() {
            return Ok(LessonResponse::Day {
                lessons: Vec::new(),
            });
        }
        let r = self.store.read()?;
        let day = LessonDay::lessons_only(&r, school, date)?;
        let classes: std::collections::HashMap<String, crate::domain::lessons::TeachingClass> = r
            .classes()?
            .into_iter()
            .map(|c| (c.name.clone(), c))
            .collect();
        let mut lessons = Vec::new();
        for slot in &day.slots {
            if whose.as_ref().is_some_and(|t| *t != slot.teacher) {
                continue;
            }
            let (pupils, subject) = classes
                .get(&slot.class)
                .map_or((&[][..], ""), |c| (&c.pupils[..], c.subject.as_str()));
            lessons.push(day.view(&r, school, slot, pupils, subject)?);
        }
        lessons.sort_by(|a, b| (a.start, &a.class).cmp(&(b.start, &b.class)));
        // The lesson under way, or the next, first; the rest in the day's order after it.
        if date == ctx.now.date()
            && let Some(i) = lessons.iter().position(|l| ctx.now.time() < l.end)
        {
            lessons.rotate_left(i);
        }
        Ok(LessonResponse::Day { lessons })
    }

    /// Who may take a lesson's register: its teacher (on the day, from shortly before the
    /// start) or office staff.
    fn may_take(&self, ctx: &Ctx, teacher: &str, date: NaiveDate, period: &Period) -> Result<()> {
        if ctx.staff.role.is_office() {
            return Ok(());
        }
        if ctx.staff.account != teacher {
            return refused(format!(
                "this lesson is {teacher}'s: a teacher takes the registers of their own lessons"
            ));
        }
        let opens = period.start - chrono::Duration::minutes(OPENS_BEFORE_MINUTES);
        if date != ctx.now.date() || ctx.now.time() < opens {
            return refused(format!(
                "{} on {} is taken on the day, from {}: office staff enter registers for other \
                 times",
                period.name,
                date.format("%a %d %b"),
                opens.format("%H:%M")
            ));
        }
        Ok(())
    }

    pub(super) fn lesson_register(
        &self,
        ctx: &Ctx,
        class: &str,
        date: NaiveDate,
        period: &str,
    ) -> Result<LessonRegister> {
        let school = ctx.school()?;
        let r = self.store.read()?;
        let taught = r
            .class(class)?
            .unwrap_or(crate::domain::lessons::TeachingClass {
                name: class.to_string(),
                subject: String::new(),
                pupils: Vec::new(),
            });
        let day = LessonDay::read_for(&r, school, date, &taught.pupils)?;
        let (slot, period) = day.slot(school, class, period)?;
        if !ctx.staff.role.is_office() && ctx.staff.account != slot.teacher {
            return refused(format!(
                "{class} in {} is {}'s lesson: a teacher reads their own lessons' registers",
                period.name, slot.teacher
            ));
        }
        let mut pupils = Vec::new();
        for upn in &taught.pupils {
            let Some(p) = r.pupil(upn)? else { continue };
            pupils.push(day.pupil(school, period, upn, p.display_name()));
        }
        pupils.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(LessonRegister {
            lesson: day.view(&r, school, slot, &taught.pupils, &taught.subject)?,
            pupils,
            now: ctx.now,
        })
    }

    /// Saves marks in a lesson, all or none, in one write; a pupil going missing with them is
    /// pushed to the attendance team's screens at once.
    fn lesson_mark(
        &self,
        ctx: &Ctx,
        class: &str,
        date: NaiveDate,
        period: &str,
        marks: &[(String, LessonCode, Option<NaiveTime>)],
    ) -> Result<LessonResponse> {
        let school = ctx.school()?;
        // One read before the commit: the lesson, and the marked pupils' day (their rows
        // after it are that day with the new marks laid over it).
        let marked: Vec<String> = marks.iter().map(|(upn, _, _)| upn.clone()).collect();
        let (slot, period, mut day, names, groups) = {
            let r = self.store.read()?;
            let (slot, period) = LessonDay::find_slot(&r, school, date, class, period)?;
            let day = LessonDay::pupils_only(&r, school, date, &marked)?;
            let mut names = std::collections::HashMap::new();
            for upn in &marked {
                if let Some(p) = r.pupil(upn)? {
                    names.insert(upn.clone(), p.display_name());
                }
            }
            // Each pupil's registration group, where this lesson takes the afternoon register.
            let mut groups = std::collections::HashMap::new();
            if takes_afternoon_register(school, date, &period) {
                for upn in &marked {
                    if let Some(group) = r.group_on(upn, date)? {
                        groups.insert(upn.clone(), group);
                    }
                }
            }
            (slot, period, day, names, groups)
        };
        self.may_take(ctx, &slot.teacher, date, &period)?;
        if date > ctx.now.date() {
            return refused("a lesson is marked on its day or after, never before");
        }
        let mut write = LessonWrite {
            class: class.to_string(),
            date,
            period: period.name.clone(),
            marks: Vec::new(),
            afternoon: Vec::new(),
        };
        for (upn, code, arrived) in marks {
            let (arrived, minutes) = match code {
                LessonCode::Late => {
                    // Entered for another day, the arrival is the office's to say: now is not
                    // when that pupil came in.
                    if arrived.is_none() && date != ctx.now.date() {
                        return invalid(format!(
                            "{upn}: late on {date}: give the time they arrived (--arrived HH:MM)"
                        ));
                    }
                    let at = arrived.unwrap_or(ctx.now.time());
                    if at >= period.end {
                        return invalid(format!(
                            "{upn} arrived at {}, after {} ended at {}: not in the lesson (N)",
                            at.format("%H:%M"),
                            period.name,
                            period.end.format("%H:%M")
                        ));
                    }
                    if date == ctx.now.date() && at > ctx.now.time() {
                        return invalid(format!(
                            "{upn} arrived at {}: that is still to come (it is {})",
                            at.format("%H:%M"),
                            ctx.now.time().format("%H:%M")
                        ));
                    }
                    match minutes_late(&period, at) {
                        Some(m) => (Some(at), Some(m)),
                        None => {
                            return invalid(format!(
                                "{upn} arrived at {} and {} starts at {}: that is present, \
                                 not late",
                                at.format("%H:%M"),
                                period.name,
                                period.start.format("%H:%M")
                            ));
                        }
                    }
                }
                _ => (None, None),
            };
            if let Some(group) = groups.get(upn) {
                write
                    .afternoon
                    .push(afternoon_mark(group, date, upn, *code, arrived));
            }
            write.marks.push((
                upn.clone(),
                LessonMark {
                    class: class.to_string(),
                    code: *code,
                    arrived,
                    minutes_late: minutes,
                    recorded_by: ctx.staff.account.clone(),
                    recorded_at: ctx.now,
                },
            ));
        }
        // Saved in the group commit the registers' marks share.
        let written: Vec<(String, LessonMark)> = write.marks.clone();
        let saved = self.save_lesson_marks(ctx.clone(), write)?;
        for (upn, mark) in written {
            day.marks.insert((period.name.clone(), upn), mark);
        }
        for (_, outcome) in saved.afternoon {
            day.saved_statutory(Session::Pm, &outcome.upn, outcome.mark);
        }
        let pupils = saved.pupils;
        // The pupils as they now stand.
        let rows: Vec<LessonPupil> = pupils
            .iter()
            .map(|upn| {
                let name = names.get(upn).cloned().unwrap_or_default();
                day.pupil(school, &period, upn, name)
            })
            .collect();
        let missing = rows.iter().find(|p| p.missing).map(|p| {
            format!(
                "{} is missing from {} {} ({}, {})",
                p.name, class, period.name, slot.room, slot.teacher
            )
        });
        self.notify(Event::Lesson { date, missing });
        Ok(LessonResponse::Marked {
            pupils: rows,
            afternoon_kept: saved.afternoon_kept,
        })
    }

    /// The register taken: each blank becomes `N`, except a pupil expected away (their
    /// statutory code or sign-out says why), who is left to it.
    fn lesson_close(
        &self,
        ctx: &Ctx,
        class: &str,
        date: NaiveDate,
        period: &str,
    ) -> Result<LessonResponse> {
        if date > ctx.now.date() {
            return refused(format!(
                "{class} {period} on {date} is still to come: a register is taken on its day"
            ));
        }
        let register = self.lesson_register(ctx, class, date, period)?;
        let blanks: Vec<_> = register
            .pupils
            .iter()
            .filter(|p| p.mark.is_none() && p.expected.is_none())
            .map(|p| (p.upn.clone(), LessonCode::Absent, None))
            .collect();
        let (marked, afternoon_kept) = if blanks.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            match self.lesson_mark(ctx, class, date, period, &blanks)? {
                LessonResponse::Marked {
                    pupils,
                    afternoon_kept,
                } => (pupils, afternoon_kept),
                _ => (Vec::new(), Vec::new()),
            }
        };
        // Taken once: closing again keeps who took it first, and when.
        if register.lesson.taken.is_none() {
            let period_name = register.lesson.period.clone();
            self.store.write(|w| {
                w.put_lesson_taken(date, &period_name, class, &ctx.staff.account, ctx.now)
            })?;
        }
        self.notify(Event::Lesson {
            date,
            missing: None,
        });
        Ok(LessonResponse::Marked {
            pupils: marked,
            afternoon_kept,
        })
    }

    /// Office: the teacher asked, on their screen, to take a lesson's register.
    fn lesson_remind(
        &self,
        ctx: &Ctx,
        class: &str,
        date: NaiveDate,
        period: &str,
    ) -> Result<LessonResponse> {
        super::access::office_reads(ctx, "reminding a teacher")?;
        let register = self.lesson_register(ctx, class, date, period)?;
        let l = &register.lesson;
        if date != ctx.now.date() {
            return refused(format!(
                "{class} {} is on {date}: a teacher is reminded on the day",
                l.period
            ));
        }
        if l.taken.is_some() {
            return refused(format!("{class} {} has been taken", l.period));
        }
        self.notify(Event::Reminder {
            accounts: vec![l.teacher.clone()],
            text: format!(
                "Please take the register of {} in {} ({}, {}) now: the attendance team",
                l.class,
                l.period,
                l.start.format("%H:%M"),
                l.room
            ),
        });
        Ok(LessonResponse::NotTaken {
            lessons: vec![register.lesson],
        })
    }
}

/// Whether this lesson's register is the afternoon's statutory one: the school's named period,
/// on a day with an afternoon session.
fn takes_afternoon_register(
    school: &crate::domain::School,
    date: NaiveDate,
    period: &Period,
) -> bool {
    school.lessons.takes_afternoon_register(&period.name)
        && school.calendar.check_session(date, Session::Pm).is_ok()
}

/// The statutory afternoon mark a lesson mark stands for: present, late (the clock and the
/// arrival decide `L` or `U`, as for any register) or `N`.
fn afternoon_mark(
    group: &str,
    date: NaiveDate,
    upn: &str,
    code: LessonCode,
    arrived: Option<NaiveTime>,
) -> MarkRequest {
    let (code, arrived) = match code {
        LessonCode::Present => ("/", None),
        LessonCode::Late => ("L", arrived),
        LessonCode::Absent => ("N", None),
    };
    MarkRequest {
        register: RegisterId {
            group: group.to_string(),
            date,
            session: Session::Pm,
        },
        upn: upn.to_string(),
        code: code.to_string(),
        arrived,
        note: None,
        reason: None,
        expect: Expect::Anything,
        replace_office_mark: false,
        batch: None,
    }
}

/// What a timetable and a class list leave undone between them: a timetabled class with no
/// pupils (its register would be empty), a class never taught. Said, not refused: either
/// file may come first.
fn unmatched(
    slots: &[crate::domain::lessons::Slot],
    classes: &[crate::domain::lessons::TeachingClass],
) -> Vec<String> {
    use std::collections::BTreeSet;
    let timetabled: BTreeSet<&str> = slots.iter().map(|s| s.class.as_str()).collect();
    let with_pupils: BTreeSet<&str> = classes
        .iter()
        .filter(|c| !c.pupils.is_empty())
        .map(|c| c.name.as_str())
        .collect();
    let listed: BTreeSet<&str> = classes.iter().map(|c| c.name.as_str()).collect();
    let mut notes = Vec::new();
    let empty: Vec<&str> = timetabled.difference(&with_pupils).copied().collect();
    if !empty.is_empty() {
        notes.push(format!(
            "{} timetabled class(es) have no pupils in the class list (their registers will be \
             empty until `import classes` gives them): {}",
            empty.len(),
            shortened(&empty)
        ));
    }
    let untaught: Vec<&str> = listed.difference(&timetabled).copied().collect();
    if !untaught.is_empty() && !timetabled.is_empty() {
        notes.push(format!(
            "{} class(es) in the class list are not in the timetable: {}",
            untaught.len(),
            shortened(&untaught)
        ));
    }
    notes
}

/// The first few names of a list, and how many more.
fn shortened(names: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut text = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// A timetable and classes that put a pupil in two lessons at once: refused whole, each
/// pupil named (whichever of the two files is coming in).
fn refuse_double_booking(
    file: &str,
    slots: &[crate::domain::lessons::Slot],
    classes: &[crate::domain::lessons::TeachingClass],
) -> Result<()> {
    let clashes = crate::service::lesson_files::double_booked(slots, classes);
    crate::service::import::all_or_nothing(
        clashes
            .into_iter()
            .map(|c| format!("{file}: {c}"))
            .collect(),
    )
    .map_err(ServiceError::Invalid)
}

impl Engine {
    /// A lesson's marks inside a group commit's transaction and, in the period the afternoon
    /// register is taken in, each pupil's statutory afternoon mark beside it (SPEC §8.8). A
    /// mark someone else entered for the afternoon (the office's `M`, a tutor's) stands.
    pub(super) fn apply_lesson_write(
        &self,
        w: &mut crate::store::Writer<'_>,
        ctx: &Ctx,
        school: &crate::domain::School,
        write: &LessonWrite,
    ) -> Result<LessonSaved> {
        let pupils = apply_lesson_marks(w, write)?;
        let mut saved = LessonSaved {
            pupils,
            afternoon: Vec::new(),
            afternoon_kept: Vec::new(),
        };
        let source = Source::Lesson {
            period: write.period.clone(),
            class: write.class.clone(),
        };
        for request in &write.afternoon {
            let key = SessionKey {
                date: request.register.date,
                session: Session::Pm,
                upn: request.upn.clone(),
            };
            if let Some(mark) = w.mark(&key)?
                && !taken_in_a_lesson(w, &key, &mark)?
            {
                saved.afternoon_kept.push(format!(
                    "{}: the afternoon mark {} ({}) stands",
                    request.upn, mark.code, mark.recorded_by
                ));
                continue;
            }
            match self.apply_mark(w, ctx, school, request, Some(source.clone())) {
                Ok(outcome) => saved
                    .afternoon
                    .push((request.register.group.clone(), outcome)),
                Err(e @ ServiceError::Store(_)) => return Err(e),
                Err(e) => saved
                    .afternoon_kept
                    .push(format!("{}: the afternoon register: {e}", request.upn)),
            }
        }
        Ok(saved)
    }
}

/// Whether an afternoon mark was made by a lesson register (so a lesson's next mark may
/// change it, as a tutor changes their own while the register is open).
fn taken_in_a_lesson(
    w: &crate::store::Writer<'_>,
    key: &SessionKey,
    mark: &crate::domain::marks::Mark,
) -> Result<bool> {
    Ok(!mark.recorded_by_office
        && w.history(key)?
            .last()
            .is_some_and(|change| matches!(change.source, Some(Source::Lesson { .. }))))
}

/// A lesson's marks inside a group commit's transaction: every pupil checked to be in the
/// class before any is written, so a refusal writes nothing of this lesson.
fn apply_lesson_marks(
    w: &mut crate::store::Writer<'_>,
    write: &LessonWrite,
) -> Result<Vec<String>> {
    let taught = w.class(&write.class)?;
    let mut keep = Vec::new();
    for (upn, mark) in &write.marks {
        if !taught.as_ref().is_some_and(|c| c.pupils.contains(upn)) {
            return refused(format!("{upn} is not in {}", write.class));
        }
        match w.lesson_mark(write.date, &write.period, upn)? {
            // A pupil is in one lesson a period: another class's mark is not overwritten.
            Some(other) if other.class != write.class => {
                return refused(format!(
                    "{upn} is marked in {} in {}: a pupil is in one lesson at a time (the \
                     classes and the timetable disagree)",
                    other.class, write.period
                ));
            }
            // The same again keeps the first: a missing pupil's clock runs from it.
            Some(same) if same.code == mark.code && same.arrived == mark.arrived => {}
            _ => keep.push((upn, mark)),
        }
    }
    for (upn, mark) in keep {
        w.put_lesson_mark(write.date, &write.period, upn, mark)?;
    }
    Ok(write.marks.iter().map(|(upn, _)| upn.clone()).collect())
}

//! The files lesson registers come from (SPEC §8.8): the timetable (`class, weekday, period,
//! teacher, room[, week]`) and the classes (`class, upn[, subject]`), as a management
//! system exports them. All or nothing: every bad row is named by row and column.

use super::import::{Problems, named_rows};
use crate::domain::lessons::{LessonRules, Slot, TeachingClass, parse_week, parse_weekday};
use crate::domain::text::check_line;
use std::collections::{BTreeMap, HashMap};

/// The timetable's columns; the first five are needed.
pub const TIMETABLE_COLUMNS: [&str; 6] = ["class", "weekday", "period", "teacher", "room", "week"];
/// The class list's columns; the first two are needed.
pub const CLASS_COLUMNS: [&str; 3] = ["class", "upn", "subject"];
/// A class's name: short, as a timetable prints it.
const CLASS_NAME_MAX: usize = 24;

fn class_name(value: &str) -> Result<(), String> {
    check_line("the class", value)?;
    if value.is_empty() {
        return Err("is empty".into());
    }
    if value.chars().count() > CLASS_NAME_MAX {
        return Err(format!(
            "`{value}` is longer than a class's name may be ({CLASS_NAME_MAX} characters)"
        ));
    }
    Ok(())
}

/// The timetable in a file: each lesson checked against the school's periods and staff; a
/// class taught twice at one time, or a teacher in two places at once, refused.
pub fn parse_timetable(
    file: &str,
    text: &str,
    rules: &LessonRules,
    weekdays: &[bool; 7],
    is_staff: impl Fn(&str) -> bool,
) -> Result<Vec<Slot>, String> {
    if rules.periods.is_empty() {
        return Err(format!(
            "{file}: the school has no periods: add [[periods]] (name, start, end) to the school's \
             configuration first"
        ));
    }
    let rows = named_rows(file, text, &TIMETABLE_COLUMNS, 5)?;
    let mut problems = Problems::default();
    let mut slots = Vec::new();
    // (week, weekday, period) and class or teacher → the row it was first on.
    type At = (u8, chrono::Weekday, String, String);
    let mut classes_at: HashMap<At, usize> = HashMap::new();
    let mut teachers_at: HashMap<At, usize> = HashMap::new();
    for (row, cells) in rows {
        let mut bad = |column: &str, why: String| {
            problems.push(format!("{file}: row {row}, column {column}: {why}"));
        };
        let [class, weekday, period, teacher, room, week] =
            [0, 1, 2, 3, 4, 5].map(|i| cells[i].trim());
        if let Err(why) = class_name(class) {
            bad("class", why);
        }
        let weekday = match parse_weekday(weekday) {
            Ok(d) if weekdays[d.num_days_from_monday() as usize] => Some(d),
            Ok(d) => {
                bad(
                    "weekday",
                    format!("{d} is not one of the school's weekdays"),
                );
                None
            }
            Err(why) => {
                bad("weekday", why);
                None
            }
        };
        let period = match rules.period(period) {
            Some(p) => Some(p.name.clone()),
            None => {
                let names: Vec<&str> = rules.periods.iter().map(|p| p.name.as_str()).collect();
                bad(
                    "period",
                    format!(
                        "`{period}` is not one of the school's periods ({})",
                        names.join(", ")
                    ),
                );
                None
            }
        };
        if !is_staff(teacher) {
            bad(
                "teacher",
                format!("`{teacher}` is not a staff account (`rollcall staff add` first)"),
            );
        }
        if let Err(why) = check_line("the room", room) {
            bad("room", why);
        }
        let week = match parse_week(week, rules.rotation_weeks) {
            Ok(w) => w,
            Err(why) => {
                bad("week", why);
                continue;
            }
        };
        let (Some(weekday), Some(period)) = (weekday, period) else {
            continue;
        };
        // A lesson every week is in week A and week B alike: checked and kept under each.
        let weeks: Vec<u8> = match week {
            Some(w) => vec![w],
            None => (1..=rules.rotation_weeks).collect(),
        };
        let key = |w: u8, name: &str| (w, weekday, period.clone(), name.to_string());
        let clash = weeks.iter().find_map(|w| {
            if let Some(first) = classes_at.get(&key(*w, class)) {
                Some((
                    "class",
                    format!("{class} is already taught then (row {first})"),
                ))
            } else {
                teachers_at.get(&key(*w, teacher)).map(|first| {
                    (
                        "teacher",
                        format!("{teacher} already teaches then (row {first})"),
                    )
                })
            }
        });
        if let Some((column, why)) = clash {
            bad(column, why);
            continue;
        }
        for w in weeks {
            classes_at.insert(key(w, class), row);
            teachers_at.insert(key(w, teacher), row);
        }
        slots.push(Slot {
            week,
            weekday,
            period,
            class: class.to_string(),
            teacher: teacher.to_string(),
            room: room.to_string(),
        });
    }
    problems.into_result()?;
    if slots.is_empty() {
        return Err(format!(
            "{file}: no lessons in the file; nothing was imported"
        ));
    }
    Ok(slots)
}

/// The classes in a file: a row per pupil in a class; every pupil known, none twice in one
/// class, one subject per class.
pub fn parse_classes(
    file: &str,
    text: &str,
    is_pupil: impl Fn(&str) -> bool,
) -> Result<Vec<TeachingClass>, String> {
    let rows = named_rows(file, text, &CLASS_COLUMNS, 2)?;
    let mut problems = Problems::default();
    // class → its subject, its pupils in the file's order, and the row each was on.
    type Class = (String, Vec<String>, HashMap<String, usize>);
    let mut classes: BTreeMap<String, Class> = BTreeMap::new();
    for (row, cells) in rows {
        let mut bad = |column: &str, why: String| {
            problems.push(format!("{file}: row {row}, column {column}: {why}"));
        };
        let [class, upn, subject] = [0, 1, 2].map(|i| cells[i].trim());
        if let Err(why) = class_name(class) {
            bad("class", why);
            continue;
        }
        if let Err(why) = check_line("the subject", subject) {
            bad("subject", why);
        }
        let upn = upn.to_ascii_uppercase();
        if !is_pupil(&upn) {
            bad(
                "upn",
                format!("`{upn}` is not a pupil on the school's list (`import pupils` first)"),
            );
            continue;
        }
        let entry = classes
            .entry(class.to_string())
            .or_insert_with(|| (subject.to_string(), Vec::new(), HashMap::new()));
        if !subject.is_empty() && entry.0.is_empty() {
            entry.0 = subject.to_string();
        } else if !subject.is_empty() && entry.0 != subject {
            bad(
                "subject",
                format!("{class} is {} on an earlier row, not {subject}", entry.0),
            );
        }
        if let Some(first) = entry.2.get(&upn) {
            bad("upn", format!("{upn} is in {class} already (row {first})"));
            continue;
        }
        entry.2.insert(upn.clone(), row);
        entry.1.push(upn);
    }
    problems.into_result()?;
    if classes.is_empty() {
        return Err(format!(
            "{file}: no pupils in the file; nothing was imported"
        ));
    }
    Ok(classes
        .into_iter()
        .map(|(name, (subject, pupils, _))| TeachingClass {
            name,
            subject,
            pupils,
        })
        .collect())
}

/// Pupils timetabled in two lessons at once: a class list and a timetable that cannot both be
/// true (a pupil is marked in one lesson a period). Each named once, with both classes.
pub fn double_booked(slots: &[Slot], classes: &[TeachingClass]) -> Vec<String> {
    let pupils: HashMap<&str, &[String]> = classes
        .iter()
        .map(|c| (c.name.as_str(), c.pupils.as_slice()))
        .collect();
    // (week or every week, weekday, period) → upn → the class it is in then.
    let mut at: BTreeMap<(Option<u8>, u32, &str), HashMap<&str, &str>> = BTreeMap::new();
    let mut problems = Vec::new();
    for slot in slots {
        let Some(list) = pupils.get(slot.class.as_str()) else {
            continue;
        };
        // A lesson every week meets week A's and week B's alike.
        let weeks: Vec<Option<u8>> = match slot.week {
            Some(w) => vec![Some(w), None],
            None => vec![None, Some(1), Some(2)],
        };
        for upn in *list {
            for w in &weeks {
                let key = (
                    *w,
                    slot.weekday.num_days_from_monday(),
                    slot.period.as_str(),
                );
                if let Some(other) = at.get(&key).and_then(|m| m.get(upn.as_str()))
                    && *other != slot.class
                {
                    problems.push(format!(
                        "{upn} is in {other} and {} in {} on {}: a pupil is in one lesson at a time",
                        slot.class, slot.period, slot.weekday
                    ));
                    break;
                }
            }
            at.entry((
                slot.week,
                slot.weekday.num_days_from_monday(),
                slot.period.as_str(),
            ))
            .or_default()
            .insert(upn.as_str(), slot.class.as_str());
        }
        if problems.len() > 100 {
            break;
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

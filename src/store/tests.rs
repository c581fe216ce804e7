//! The store's own tests: files, schema checks, marks and history read back.

use super::schema::SCHEMA_VERSION;
use super::schema::Writer;
use super::*;
use crate::domain::codes::Code;
use crate::domain::marks::{Change, Mark, Membership, SessionKey};
use crate::domain::people::YearGroup;
use crate::domain::people::{Pupil, Staff};
use crate::domain::register::{ChangeKind, Role};
use crate::domain::session::Session;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use std::os::unix::fs::PermissionsExt;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn mark(code: &str) -> Mark {
    Mark {
        code: Code::parse(code).unwrap(),
        arrived: None,
        minutes_late: None,
        note: None,
        group: "Oak".into(),
        recorded_by: "jpatel".into(),
        recorded_by_office: false,
        recorded_at: at("2026-11-23T08:50"),
    }
}

fn change(code: &str) -> Change {
    Change {
        source: None,
        kind: ChangeKind::Mark,
        before: None,
        after: Some(mark(code).entry()),
        reason: None,
        at: at("2026-11-23T08:50"),
        account: "jpatel".into(),
        name: "J Patel".into(),
        position: "Class teacher".into(),
    }
}

/// Pupils A and B, and the staff member who marks, as the engine sees to before marking.
fn people(tx: &mut Writer<'_>) -> Result<()> {
    for upn in ["A", "B"] {
        tx.put_pupil(&Pupil {
            upn: upn.into(),
            surname: format!("Pupil {upn}"),
            forename: "P".into(),
            dob: d("2019-05-01"),
            year: YearGroup::Year(2),
            sex: None,
        })?;
    }
    tx.put_staff(&Staff {
        account: "jpatel".into(),
        name: "J Patel".into(),
        position: "Class teacher".into(),
        role: Role::Teacher,
    })
}

fn key(date: &str, session: Session, upn: &str) -> SessionKey {
    SessionKey {
        date: d(date),
        session,
        upn: upn.into(),
    }
}

#[test]
fn the_database_file_is_private_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/school.redb");
    Store::create(&path, "").unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.redb");
    Store::create(&path, "")
        .unwrap()
        .force_schema_version(SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open(&path, Access::ReadWrite)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("newer rollcall"), "{err}");
    assert!(
        err.contains(&format!("schema {}", SCHEMA_VERSION + 1)),
        "{err}"
    );
}

#[test]
fn a_second_open_of_the_same_file_says_it_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.redb");
    let _first = Store::create(&path, "").unwrap();
    let err = Store::open(&path, Access::ReadWrite).err().unwrap();
    assert!(matches!(err, StoreError::InUse { .. }), "{err}");
}

#[test]
fn marks_are_read_back_by_session_by_pupil_and_by_range() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
    store
        .write(|tx| {
            people(tx)?;
            for (date, upn, code) in [
                ("2026-11-20", "A", "/"),
                ("2026-11-23", "A", "N"),
                ("2026-11-23", "B", "L"),
                ("2026-11-24", "A", "/"),
            ] {
                tx.put_mark(&key(date, Session::Am, upn), &mark(code), &change(code))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let r = store.read().unwrap();
    let day: Vec<_> = r.marks_on(d("2026-11-23"), Session::Am).unwrap();
    assert_eq!(
        day.iter()
            .map(|(u, m)| (u.as_str(), m.code.as_str()))
            .collect::<Vec<_>>(),
        [("A", "N"), ("B", "L")]
    );
    assert!(r.marks_on(d("2026-11-23"), Session::Pm).unwrap().is_empty());
    let codes = r
        .pupil_codes("A", d("2026-11-21"), d("2026-11-24"))
        .unwrap();
    assert_eq!(codes.len(), 2);
    let mut seen = 0;
    r.each_mark_between(d("2026-11-20"), d("2026-11-23"), None, |_, _| {
        seen += 1;
        Ok(true)
    })
    .unwrap();
    assert_eq!(seen, 3);
    assert_eq!(
        r.pending_n().unwrap(),
        [key("2026-11-23", Session::Am, "A")]
    );
}

#[test]
fn history_is_appended_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
    let k = key("2026-11-23", Session::Am, "A");
    let mut amended = change("M");
    amended.kind = ChangeKind::Amendment;
    amended.before = Some(mark("N").entry());
    amended.reason = Some("Dentist letter".into());
    store
        .write(|tx| {
            people(tx)?;
            tx.put_mark(&k, &mark("N"), &change("N"))?;
            tx.put_mark(&k, &mark("M"), &amended)
        })
        .unwrap();
    let r = store.read().unwrap();
    let history = r.history(&k).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].after.as_ref().unwrap().code, "N");
    assert_eq!(history[1].before.as_ref().unwrap().code, "N");
    assert_eq!(history[1].reason.as_deref(), Some("Dentist letter"));
    assert!(r.pending_n().unwrap().is_empty(), "N resolved");
}

#[test]
fn a_first_mark_is_its_own_history_and_a_renamed_teacher_keeps_the_old_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
    let k = key("2026-11-23", Session::Am, "A");
    store
        .write(|tx| {
            people(tx)?;
            tx.put_mark(&k, &mark("/"), &change("/"))
        })
        .unwrap();
    let stored =
        |store: &Store| redb::ReadableTableMetadata::len(&store.read().unwrap().history).unwrap();
    assert_eq!(stored(&store), 0, "the mark says it all");
    let history = store.read().unwrap().history(&k).unwrap();
    assert_eq!(history, [change("/")]);
    // The teacher's name changes; then the office amends the mark.
    let mut amended = change("M");
    amended.kind = ChangeKind::Amendment;
    amended.before = Some(mark("/").entry());
    amended.reason = Some("Dentist letter".into());
    amended.account = "office".into();
    amended.name = "S Reed".into();
    amended.position = "Attendance officer".into();
    let mut m = mark("M");
    m.recorded_by = "office".into();
    m.recorded_by_office = true;
    store
        .write(|tx| {
            tx.put_staff(&Staff {
                account: "jpatel".into(),
                name: "J Patel-Okoro".into(),
                position: "Class teacher".into(),
                role: Role::Teacher,
            })?;
            tx.put_mark(&k, &m, &amended)
        })
        .unwrap();
    assert_eq!(stored(&store), 2, "the first mark, then the amendment");
    let r = store.read().unwrap();
    let history = r.history(&k).unwrap();
    assert_eq!(history[0].name, "J Patel", "as they were when they marked");
    assert_eq!(history[1], amended);
    let now = r.mark(&k).unwrap().unwrap();
    assert_eq!((now.code, now.recorded_by_office), (Code::M, true));
}

#[test]
fn a_roll_holds_only_the_pupils_whose_membership_covers_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("s.redb"), "").unwrap();
    let member = |group: &str, start: &str, end: Option<&str>| Membership {
        group: group.into(),
        start: d(start),
        end: end.map(d),
    };
    store
        .write(|tx| {
            tx.put_membership("A", &member("Oak", "2026-09-01", None))?;
            tx.put_membership("B", &member("Oak", "2026-11-02", None))?;
            tx.put_membership("C", &member("Oak", "2026-09-01", Some("2026-10-23")))?;
            tx.put_membership("C", &member("Oaks", "2026-11-02", None))?;
            tx.put_pupil(&Pupil {
                upn: "A".into(),
                surname: "Ahmed".into(),
                forename: "Sara".into(),
                dob: d("2019-05-01"),
                year: YearGroup::Year(2),
                sex: None,
            })?;
            tx.put_staff(&Staff {
                account: "jpatel".into(),
                name: "J Patel".into(),
                position: "Class teacher".into(),
                role: Role::Teacher,
            })
        })
        .unwrap();
    let r = store.read().unwrap();
    assert_eq!(r.roll("Oak", d("2026-10-05")).unwrap(), ["A", "C"]);
    assert_eq!(r.roll("Oak", d("2026-11-23")).unwrap(), ["A", "B"]);
    assert_eq!(r.roll("Oaks", d("2026-11-23")).unwrap(), ["C"]);
    assert_eq!(
        r.group_on("C", d("2026-11-23")).unwrap().as_deref(),
        Some("Oaks")
    );
    assert_eq!(r.pupil("A").unwrap().unwrap().surname, "Ahmed");
    assert_eq!(r.staff("jpatel").unwrap().unwrap().role, Role::Teacher);
}

/// Schema 11 to 12: lesson marks kept a row a mark come back the same from a row a pupil-day
/// (the class and the account interned, the time from the lesson day's midnight, a mark
/// entered on a later day too), and schema 11's table is gone.
#[test]
fn schema_11_lesson_marks_are_packed_a_pupil_day_a_row() {
    use super::rows::LessonMarkRow;
    use crate::domain::lessons::{LessonCode, LessonMark};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.redb");
    let store = Store::create(&path, "").unwrap();
    store.write(people).unwrap();
    let (a, b) = {
        let r = store.read().unwrap();
        (
            r.pupil_id("A").unwrap().unwrap(),
            r.pupil_id("B").unwrap().unwrap(),
        )
    };
    drop(store);
    let old = |class: &str, code: LessonCode, late: Option<u16>, at_: &str| LessonMarkRow {
        class: class.into(),
        code: code.index(),
        arrived: late.map(|m| chrono::NaiveTime::from_hms_opt(9, 40 + u32::from(m), 0).unwrap()),
        minutes_late: late,
        by: "jpatel".into(),
        at: at(at_),
    };
    let rows = [
        (
            "2026-11-23",
            "P1",
            a,
            old("9X/Ma1", LessonCode::Present, None, "2026-11-23T09:41"),
        ),
        (
            "2026-11-23",
            "P2",
            a,
            old("9Y/En1", LessonCode::Late, Some(7), "2026-11-23T10:47"),
        ),
        (
            "2026-11-23",
            "P1",
            b,
            old("9X/Ma1", LessonCode::Absent, None, "2026-11-25T12:00"),
        ),
        (
            "2026-11-24",
            "P1",
            a,
            old("9X/Ma1", LessonCode::Absent, None, "2026-11-24T09:42"),
        ),
    ];
    {
        let db = redb::Database::open(&path).unwrap();
        let tx = db.begin_write().unwrap();
        tx.delete_table(schema::LESSON_DAYS).unwrap();
        {
            let mut table = tx.open_table(migrate::to_v12::LESSON_MARKS_V11).unwrap();
            for (date, period, id, row) in &rows {
                table
                    .insert((keys::day(d(date)), *period, *id), Ok(row.clone()))
                    .unwrap();
            }
            tx.open_table(schema::META)
                .unwrap()
                .insert(schema::SCHEMA_KEY, 11u32.to_be_bytes().as_slice())
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let store = Store::open(&path, Access::ReadWrite).unwrap();
    let r = store.read().unwrap();
    let mut read = Vec::new();
    r.each_lesson_mark(
        d("2026-11-01"),
        d("2026-11-30"),
        |date, period, upn, mark| read.push((date, period.to_string(), upn.to_string(), mark)),
    )
    .unwrap();
    read.sort_by(|x, y| (x.0, &x.2, &x.1).cmp(&(y.0, &y.2, &y.1)));
    let expected: Vec<_> = rows
        .iter()
        .map(|(date, period, id, row)| {
            (
                d(date),
                period.to_string(),
                if *id == a { "A" } else { "B" }.to_string(),
                LessonMark {
                    class: row.class.clone(),
                    code: LessonCode::from_index(row.code).unwrap(),
                    arrived: row.arrived,
                    minutes_late: row.minutes_late,
                    recorded_by: row.by.clone(),
                    recorded_at: row.at,
                },
            )
        })
        .collect();
    assert_eq!(read, expected);
    assert_eq!(
        r.lesson_mark(d("2026-11-23"), "P2", "A").unwrap(),
        Some(expected[1].3.clone())
    );
    drop(r);
    drop(store);
    let db = redb::Database::open(&path).unwrap();
    let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
    assert!(tx.open_table(migrate::to_v12::LESSON_MARKS_V11).is_err());
}

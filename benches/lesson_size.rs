//! What lesson marks cost on disk (issue 24): the demo school built twice with the same
//! pupils, weeks and statutory marks, once as a primary and once as a secondary (five periods,
//! a timetable and two weeks of lesson registers); the difference over the lesson marks the
//! secondary holds is bytes a lesson mark, and 950 of them (five lessons a day, 190 days) a
//! pupil-year.
//!
//! `cargo bench --bench lesson_size` prints both files' sizes, the lesson marks counted, and
//! KB a pupil-year beside the goal (`PUPILS=n` for another roll; default 600).

use rollcall::demo::{DemoOptions, build};
use rollcall::store::{Access, Store};

/// A pupil-year of lessons: five a day, 190 days.
const LESSONS_A_YEAR: f64 = 950.0;
/// Six years of lessons for 1,500 pupils under 300 MB.
const GOAL_KB: f64 = 32.0;

fn main() {
    let pupils: u32 = std::env::var("PUPILS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(600);
    let dir = tempfile::tempdir().expect("a scratch directory");
    let now = chrono::NaiveDateTime::parse_from_str("2026-12-02T16:00", "%Y-%m-%dT%H:%M")
        .expect("a time");
    let size = |secondary: bool| {
        let path = dir.path().join(if secondary {
            "secondary.redb"
        } else {
            "primary.redb"
        });
        let options = DemoOptions {
            pupils,
            weeks: 12,
            years: None,
            seed: 1,
            account: "bench".into(),
            now,
            progress: false,
            secondary,
        };
        build(&path, &options).expect("the demo school");
        (
            path.clone(),
            std::fs::metadata(&path).expect("its size").len(),
        )
    };
    let (_, primary) = size(false);
    let (path, secondary) = size(true);
    let store = Store::open(&path, Access::ReadOnly).expect("the secondary");
    let mut marks = 0u64;
    store
        .read()
        .expect("a read")
        .each_lesson_mark(chrono::NaiveDate::MIN, now.date(), |_, _, _, _| marks += 1)
        .expect("its lesson marks");
    let per_mark = (secondary - primary) as f64 / marks as f64;
    let kb = per_mark * LESSONS_A_YEAR / 1024.0;
    println!(
        "lesson_size: {pupils} pupils; primary {primary} bytes, secondary {secondary} bytes, \
         {marks} lesson marks"
    );
    println!(
        "  {per_mark:.1} bytes a lesson mark (its class, timetable and registers taken included): \
         {kb:.1} KB a pupil-year (goal: at most {GOAL_KB} KB) {}",
        if kb <= GOAL_KB { "ok" } else { "OVER" }
    );
}

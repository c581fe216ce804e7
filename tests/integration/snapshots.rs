//! Every view drawn at 80x24 with a fixed clock, compared with its reviewed snapshot in
//! `tests/integration/snapshots/` (insta). After a deliberate change to a view:
//! `INSTA_UPDATE=always cargo test --test integration snapshots` (or `cargo insta review`),
//! then read the diff of the snapshot files before committing.

use crate::common::*;
use rollcall::domain::session::Session;
use rollcall::service::protocol::Expect;

const MONDAY: &str = "2026-11-23";

/// Oak's Monday morning at 09:12: two present, one late, one pre-entered medical appointment.
fn morning() -> TestSchool {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut office = school.client("office");
    let mut planned = mark("Oak", MONDAY, "am", &upn(3), "M");
    planned.expect = Expect::Blank;
    office.mark(planned).unwrap();
    school.set_now("2026-11-23T08:58");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap();
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(1), "/"))
        .unwrap();
    school.set_now("2026-11-23T09:12");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(4), "L"))
        .unwrap();
    school
}

#[test]
fn class_list_for_a_teacher() {
    let school = morning();
    let h = Harness::new(&school, "jpatel");
    assert_snapshot("class_list_teacher", &h.screen());
}

#[test]
fn class_list_for_the_office_with_missing_registers() {
    let school = morning();
    let h = Harness::new(&school, "office");
    assert_snapshot("class_list_office", &h.screen());
}

#[test]
fn class_list_on_a_closure_day() {
    let school = TestSchool::new("2026-11-27T09:00");
    let h = Harness::new(&school, "jpatel");
    assert_snapshot("class_list_closure", &h.screen());
}

#[test]
fn register_in_the_late_window() {
    let school = morning();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    assert_snapshot("register_late_window", &h.screen());
}

#[test]
fn register_closed_is_read_only_for_a_teacher() {
    let school = morning();
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-11-23T10:30");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    assert_snapshot("register_closed_teacher", &h.screen());
}

#[test]
fn code_picker_for_the_office() {
    let school = morning();
    let mut h = Harness::new(&school, "office");
    h.press("enter down down enter");
    assert_snapshot("code_picker_office", &h.screen());
    h.press("text:med");
    assert_snapshot("code_picker_filtered", &h.screen());
}

#[test]
fn close_dialog() {
    let school = morning();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter ctrl+x");
    assert_snapshot("close_dialog", &h.screen());
}

#[test]
fn amendment_dialog_with_history() {
    let school = morning();
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-11-23T11:00");
    let mut h = Harness::new(&school, "office");
    h.press("enter down down enter I enter");
    assert_snapshot("amendment_dialog", &h.screen());
}

#[test]
fn help_from_the_register() {
    let school = morning();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter ?");
    assert_snapshot("help_register", &h.screen());
}

#[test]
fn late_sign_in() {
    let school = morning();
    school.set_now("2026-11-23T09:41");
    let mut h = Harness::new(&school, "office");
    h.press("f2");
    h.type_text("c");
    assert_snapshot("sign_in_search", &h.screen());
    h.press("enter");
    assert_snapshot("sign_in_time", &h.screen());
}

#[test]
fn n_queue() {
    let school = morning();
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-12-02T09:00");
    let mut h = Harness::new(&school, "office");
    h.press("f3");
    assert_snapshot("n_queue", &h.screen());
}

#[test]
fn too_small() {
    let school = morning();
    let h = Harness::new(&school, "jpatel");
    assert_snapshot("too_small_20x5", &h.screen_at(20, 5));
}

/// Issue 10, item 7: at 60x16, the smallest size the README promises, every view keeps what
/// it needs: the register's session figure and its undo and close keys, the class list's
/// figures and quit key, the N queue's names.
#[test]
fn every_view_keeps_what_it_needs_at_60x16() {
    let school = morning();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    let screen = h.screen_at(60, 16);
    assert_snapshot("register_60x16", &screen);
    for needed in [
        "session 75.0%",
        "term 75.0%",
        "ctrl+z undo",
        "ctrl+x close",
        "? help",
    ] {
        assert!(screen.contains(needed), "{needed}:\n{screen}");
    }

    let mut office = Harness::new(&school, "office");
    let screen = office.screen_at(60, 16);
    assert_snapshot("class_list_office_60x16", &screen);
    for needed in ["MISSING", "75%", "Whole school AM", "ctrl+c quit", "? help"] {
        assert!(screen.contains(needed), "{needed}:\n{screen}");
    }

    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-12-02T09:00");
    office.press("f3");
    let screen = office.screen_at(60, 16);
    assert_snapshot("n_queue_60x16", &screen);
    assert!(screen.contains("Cole, Cara"), "{screen}");
    assert!(screen.contains("OVERDUE 1d"), "{screen}");
}

/// Issue 10, item 7: closing with 19 unmarked pupils lists them all, a page at a time, and
/// says how many more there are.
#[test]
fn the_close_dialog_says_how_many_more_and_scrolls_to_them() {
    let school = TestSchool::new("2026-11-23T09:10");
    thirty_in_elm(&school);
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter");
    for _ in 0..11 {
        h.press("space");
    }
    h.press("ctrl+x");
    let screen = h.screen();
    assert_snapshot("close_dialog_19_unmarked", &screen);
    assert!(screen.contains("more (down to scroll)"), "{screen}");
    assert!(!screen.contains("Wright"), "{screen}");
    h.press("end");
    let screen = h.screen();
    assert!(screen.contains("Wright, Pupil29"), "{screen}");
    assert!(screen.contains("more above"), "{screen}");
}

/// Issue 12: the alerts view, still to act on first; `enter` records what was done, and the
/// alert stays on the list, acted on, with the note. 80x24 and 60x16, in text only.
#[test]
fn alerts_view_and_an_alert_acted_on() {
    let school = TestSchool::new("2026-11-13T16:00");
    let mut office = school.client("office");
    let school_config = rollcall::config::parse_school("school.toml", EXAMPLE).unwrap();
    // Two pupils with ten unauthorised sessions in the week of 9 November.
    for pupil in [0, 5] {
        let group = if pupil < 5 { "Oak" } else { "Ash" };
        for (date, session) in school_config
            .calendar
            .school_sessions(d("2026-11-09"), d("2026-11-13"))
        {
            let mut m = mark(group, &date.to_string(), session.as_str(), &upn(pupil), "O");
            m.reason = Some("from the office's call log".into());
            office.mark(m).unwrap();
        }
    }
    let mut h = Harness::new(&school, "office");
    h.press("f5");
    assert_snapshot("alerts", &h.screen());
    h.press("enter");
    h.type_text("Letter 1 sent; meeting Thu");
    h.press("enter");
    let screen = h.screen();
    assert_snapshot("alerts_acted_on", &screen);
    assert!(screen.contains("3 to act on · 1 acted on"), "{screen}");
    assert!(screen.contains("Letter 1 sent; meeting Thu"), "{screen}");
    let screen = h.screen_at(60, 16);
    assert_snapshot("alerts_60x16", &screen);
    assert!(screen.contains("Fox, Finn"), "{screen}");
    assert!(screen.contains("esc back"), "{screen}");
}

/// Names as they are written, whatever their script: "Zoë" typed with a combining diaeresis
/// takes three columns, not four, and a CJK name six, not three. Each row's mark and figures
/// stay in their columns.
#[test]
fn register_with_combining_and_wide_names_keeps_its_columns() {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut head = school.client("head");
    let csv = format!(
        "upn,surname,forename,dob,year,group\n\
         {},Nowak,Zoe\u{0308},2019-06-01,2,Oak\n\
         {},王,小明,2019-07-01,2,Oak\n\
         {},Ōkubo-Fitzwilliam-Montgomery,Anaïs,2019-08-01,2,Oak\n",
        upn(20),
        upn(21),
        upn(22)
    );
    head.import_pupils("names.csv".into(), csv, Some(d("2026-09-01")), false)
        .unwrap();
    school.set_now("2026-11-23T09:12");
    let mut teacher = school.client("jpatel");
    for i in [20, 21, 22] {
        teacher
            .mark(mark("Oak", MONDAY, "am", &upn(i), "/"))
            .unwrap();
    }
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    let screen = h.screen();
    // Every row that shows a mark has it in the same column.
    let columns: Vec<usize> = screen
        .lines()
        .filter(|l| {
            l.contains(" / ") && (l.contains("Nowak") || l.contains('王') || l.contains("Ōkubo"))
        })
        .map(|l| unicode_width::UnicodeWidthStr::width(&l[..l.find(" / ").unwrap()]))
        .collect();
    assert_eq!(columns.len(), 3, "{screen}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{screen}"
    );
    assert_snapshot("register_wide_and_combining_names", &screen);
}

//! Every view drawn at 80x24 with a fixed clock, compared with `tests/snapshots/*.txt`.
//! After a deliberate change to a view: `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`, then
//! read the diff of the snapshot files before committing.

mod common;

use common::*;
use rollcall::domain::session::Session;

const MONDAY: &str = "2026-11-23";

/// Oak's Monday morning at 09:12: two present, one late, one pre-entered medical appointment.
fn morning() -> TestSchool {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut office = school.client("office");
    let mut planned = mark("Oak", MONDAY, "am", &upn(3), "M");
    planned.expect = Some(None);
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
    h.press("enter down down C");
    assert_snapshot("code_picker_office", &h.screen());
    h.press("text:med");
    assert_snapshot("code_picker_filtered", &h.screen());
}

#[test]
fn close_dialog() {
    let school = morning();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter X");
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
    h.press("enter down down C I");
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
    h.press("S");
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
    h.press("Q");
    assert_snapshot("n_queue", &h.screen());
}

#[test]
fn too_small() {
    let school = morning();
    let h = Harness::new(&school, "jpatel");
    assert_snapshot("too_small_20x5", &h.screen_at(20, 5));
}

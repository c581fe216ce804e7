//! Key sequences through keymap → action → update, asserting on state and on what was saved.
//! The example school registers at 09:05 and closes at 09:30 (AM).

use crate::common::*;
use rollcall::app::{Action, Modal, Screen};
use rollcall::domain::register::ChangeKind;
use rollcall::domain::session::Session;
use rollcall::keymap::Keymap;
use rollcall::service::protocol::Expect;

const MONDAY: &str = "2026-11-23";

#[test]
fn thirty_pupils_28_present_1_late_1_absent_in_five_keys() {
    let school = TestSchool::new("2026-11-23T09:10");
    thirty_in_elm(&school);
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter"); // open the teacher's own group, listed first
    assert_eq!(register(&h).group, "Elm");
    // The keys the count is about: type "k" to find Khan (arrived just now), late; "p" finds
    // Patel, absent; everyone else present.
    let keys = "k + p ! *";
    h.press(keys);
    assert_eq!(
        keys.split(' ').count(),
        5,
        "recorded in docs/PERFORMANCE.md"
    );

    let rows = h
        .client
        .export(d(MONDAY), d(MONDAY), Some("Elm".into()))
        .unwrap();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows.iter().filter(|r| r.code == "/").count(), 28);
    let khan = rows.iter().find(|r| r.surname == "Khan").unwrap();
    assert_eq!((khan.code.as_str(), khan.minutes_late), ("L", Some(5)));
    assert_eq!(khan.arrived.map(|t| t.to_string()), Some("09:10:00".into()));
    assert_eq!(
        rows.iter().find(|r| r.surname == "Patel").unwrap().code,
        "N"
    );
    assert!(
        h.screen()
            .contains("present 28  late 1  absent 1  other 0  unmarked 0"),
        "{}",
        h.screen()
    );
}

#[test]
fn present_marks_and_moves_on_and_undo_takes_it_back() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter space space");
    assert_eq!(register(&h).cursor, 2);
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));
    assert_eq!(code_of(&h, "Brown").as_deref(), Some("/"));
    h.press("ctrl+z");
    assert_eq!(code_of(&h, "Brown"), None);
    let history = h.client.history(upn(1), d(MONDAY), Session::Am).unwrap();
    assert!(history.current.is_none());
    assert_eq!(
        history.changes.len(),
        2,
        "the undone mark stays in the history"
    );
    h.press("ctrl+z ctrl+z");
    assert_eq!(code_of(&h, "Adams"), None);
    assert_eq!(h.message(), "nothing to undo");
}

#[test]
fn all_present_marks_only_the_unmarked_and_undoes_as_one() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter down ! *");
    assert_eq!(code_of(&h, "Brown").as_deref(), Some("N"));
    assert_eq!(code_of(&h, "Evans").as_deref(), Some("/"));
    h.press("ctrl+z");
    assert_eq!(code_of(&h, "Evans"), None);
    assert_eq!(
        code_of(&h, "Brown").as_deref(),
        Some("N"),
        "only the last action is undone"
    );
}

#[test]
fn late_before_the_register_begins_is_present_and_says_why() {
    let school = TestSchool::new("2026-11-23T09:00");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter +");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));
    assert!(
        h.message()
            .contains("by the time the register began at 09:05: recorded as present"),
        "{}",
        h.message()
    );
}

#[test]
fn adjusting_the_arrival_time_rederives_the_code() {
    let school = TestSchool::new("2026-11-23T09:20");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter + up @");
    assert!(matches!(h.app.modal, Some(Modal::Input(_))));
    h.press("backspace backspace backspace backspace backspace text:09:12 enter");
    let mark = register(&h).view.as_ref().unwrap().rows[0]
        .mark
        .clone()
        .unwrap();
    assert_eq!((mark.code.as_str(), mark.minutes_late), ("L", Some(7)));
}

#[test]
fn type_to_jump_finds_a_pupil_and_a_group() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    h.press("a");
    assert_eq!(h.app.home.cursor, 1, "Ash");
    h.press("up enter d");
    assert_eq!(register(&h).cursor, 3, "Dean");
    h.press("e");
    assert_eq!(register(&h).cursor, 3, "still Dean: `de`");
    h.press("z");
    assert!(h.message().contains("no pupil's name matches `dez`"));
}

#[test]
fn closing_lists_the_unmarked_then_turns_them_into_n_and_locks() {
    let school = TestSchool::new("2026-11-23T09:12");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter space + ctrl+x");
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("close dialog")
    };
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("3 unmarked pupils will become N")),
        "{:?}",
        confirm.lines
    );
    assert!(confirm.lines.iter().any(|l| l.contains("Cole, Cara")));
    h.press("enter");
    assert!(h.message().contains("3 blanks became N"), "{}", h.message());
    assert_eq!(code_of(&h, "Evans").as_deref(), Some("N"));
    h.press("space");
    assert!(
        h.message().contains("this register is closed"),
        "{}",
        h.message()
    );
    assert!(
        h.screen().contains("CLOSED by jpatel at 09:12"),
        "{}",
        h.screen()
    );
}

#[test]
fn the_office_amends_a_closed_register_with_a_reason_and_sees_the_history() {
    let school = TestSchool::new("2026-11-23T09:12");
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-11-23T11:00");
    let mut h = Harness::new(&school, "office");
    h.press("enter enter text:med enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("amendment dialog")
    };
    assert!(
        input
            .context
            .iter()
            .any(|l| l.contains("N -> M is an amendment")),
        "{:?}",
        input.context
    );
    assert!(
        input.context.iter().any(|l| l
            .contains("-> N by Jay Patel (Class teacher): no mark when the register was closed")),
        "{:?}",
        input.context
    );
    h.press("enter");
    assert!(
        matches!(&h.app.modal, Some(Modal::Input(i)) if i.error.as_deref() == Some("an amendment needs a reason"))
    );
    h.type_text("Dentist appointment card");
    h.press("enter");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("M"));
    let history = h.client.history(upn(0), d(MONDAY), Session::Am).unwrap();
    let last = history.changes.last().unwrap();
    assert_eq!(last.kind, ChangeKind::Amendment);
    assert_eq!(last.reason.as_deref(), Some("Dentist appointment card"));
    assert_eq!(
        history.changes[0].after.as_ref().unwrap().code,
        "N",
        "original kept"
    );
}

#[test]
fn a_code_that_needs_a_note_asks_for_one() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    h.press("enter enter B enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("note dialog")
    };
    assert!(input.context[0].contains("needs a note"));
    h.type_text("Forest school");
    h.press("enter");
    let mark = register(&h).view.as_ref().unwrap().rows[0]
        .mark
        .clone()
        .unwrap();
    assert_eq!(
        (mark.code.as_str(), mark.note.as_deref()),
        ("B", Some("Forest school"))
    );
}

/// Issue 10, item 1: the present key never replaces a mark; replacing the office's entry is
/// deliberate (the picker, then `y`: enter, which could be a stray present, does not do it);
/// and undo puts the office's entry back.
#[test]
fn teachers_are_offered_only_their_codes_and_replacing_an_office_mark_is_deliberate() {
    let school = TestSchool::new("2026-11-20T15:00");
    let mut office = school.client("office");
    let mut planned = mark("Oak", MONDAY, "am", &upn(0), "M");
    planned.expect = Expect::Blank;
    office.mark(planned).unwrap();
    school.set_now("2026-11-23T08:55");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter enter M");
    assert!(
        matches!(h.app.modal, Some(Modal::Picker(_))),
        "M is not a teacher's code"
    );
    h.press("esc");
    assert!(h.screen().contains("M office"), "{}", h.screen());
    h.press("space");
    assert!(h.app.modal.is_none(), "the present key asks nothing");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("M"));
    assert!(h.message().contains("kept M"), "{}", h.message());
    h.press("up enter /");
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("confirmation")
    };
    assert!(confirm.title.contains("Replace the office's mark"));
    h.press("enter space");
    assert!(
        matches!(h.app.modal, Some(Modal::Confirm(_))),
        "enter and space do not replace it"
    );
    h.press("esc");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("M"));
    h.press("enter / y");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));
    // The teacher's undo puts the office's M back, though teachers cannot enter M.
    h.press("ctrl+z");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("M"));
    let history = h.client.history(upn(0), d(MONDAY), Session::Am).unwrap();
    let current = history.current.unwrap();
    assert_eq!(
        (current.recorded_by.as_str(), current.recorded_by_office),
        ("office", true)
    );
}

#[test]
fn late_sign_in_derives_u_after_the_close_and_says_why() {
    let school = TestSchool::new("2026-11-23T09:44");
    let mut h = Harness::new(&school, "office");
    h.press("f2 text:cole enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("arrival time")
    };
    assert_eq!(input.text(), "09:44", "arrival defaults to now");
    h.press("enter");
    assert!(
        h.message()
            .contains("arrived 09:44, after the register closed at 09:30: recorded as U"),
        "{}",
        h.message()
    );
    let history = h.client.history(upn(2), d(MONDAY), Session::Am).unwrap();
    assert_eq!(history.current.unwrap().code, "U");
    assert!(
        history.changes[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("signed in late at the office")
    );
}

#[test]
fn late_sign_in_in_the_late_window_is_l() {
    let school = TestSchool::new("2026-11-23T09:20");
    let mut h = Harness::new(&school, "office");
    h.press("f2 text:fox enter backspace backspace text:15 enter");
    let history = h.client.history(upn(5), d(MONDAY), Session::Am).unwrap();
    let mark = history.current.unwrap();
    assert_eq!((mark.code.as_str(), mark.minutes_late), ("L", Some(10)));
}

#[test]
fn teachers_cannot_open_office_views() {
    let school = TestSchool::new("2026-11-23T09:20");
    let mut h = Harness::new(&school, "jpatel");
    h.press("f2");
    assert!(matches!(h.app.screen, Screen::ClassList));
    assert!(h.message().contains("late sign-in is for office staff"));
}

#[test]
fn the_n_queue_resolves_an_n_with_a_code_and_reason() {
    let school = TestSchool::new("2026-11-23T09:12");
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    school.set_now("2026-11-24T10:00");
    let mut h = Harness::new(&school, "office");
    h.press("f3");
    let Screen::NQueue(q) = &h.app.screen else {
        panic!("N queue")
    };
    assert_eq!(q.items.len(), 5);
    assert_eq!(q.items[0].days_left, 4);
    h.press("enter I enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("reason")
    };
    assert_eq!(input.text(), "Reason given by parent or carer");
    h.press("enter");
    let Screen::NQueue(q) = &h.app.screen else {
        panic!("N queue")
    };
    assert_eq!(q.items.len(), 4);
    assert_eq!(
        h.client
            .history(upn(0), d(MONDAY), Session::Am)
            .unwrap()
            .current
            .unwrap()
            .code,
        "I"
    );
}

#[test]
fn the_register_closes_on_screen_when_the_clock_passes_closes_at() {
    let school = TestSchool::new("2026-11-23T09:29");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    assert!(h.screen().contains("(in 1 min)"), "{}", h.screen());
    assert!(h.screen().contains("LATE WINDOW"));
    school.set_now("2026-11-23T09:31");
    h.act(Action::Tick(at("2026-11-23T09:31")));
    let screen = h.screen();
    assert!(screen.contains("CLOSED: arrivals are U"), "{screen}");
    assert!(screen.contains("read-only"), "{screen}");
}

#[test]
fn a_bad_user_keymap_is_reported_on_screen_and_the_defaults_work() {
    let school = TestSchool::new("2026-11-23T08:55");
    let (keymap, errors) =
        Keymap::with_user_file("keymap.toml", "[register]\n\"p\" = \"presnt\"\n");
    let notices: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let mut h = Harness::with_keymap(&school, "jpatel", keymap, notices);
    let screen = h.screen();
    assert!(
        screen.contains("keymap.toml:2: [register] \"p\" = \"presnt\": unknown action"),
        "{screen}"
    );
    // The problems are read first; closing them leaves the defaults working.
    h.press("space");
    assert!(h.screen().contains("keymap.toml:2"));
    h.press("esc enter space");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));
}

#[test]
fn the_vim_preset_marks_with_lowercase_letters() {
    let school = TestSchool::new("2026-11-23T09:10");
    let (keymap, errors) = Keymap::with_user_file("keymap.toml", "preset = \"vim\"\n");
    assert!(errors.is_empty());
    let mut h = Harness::with_keymap(&school, "jpatel", keymap, Vec::new());
    h.press("o p j l / text:ev enter n");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));
    assert_eq!(code_of(&h, "Cole").as_deref(), Some("L"));
    assert_eq!(code_of(&h, "Evans").as_deref(), Some("N"));
}

#[test]
fn a_mark_made_elsewhere_appears_when_the_server_says_so() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    h.press("enter");
    let saved = school
        .client("jpatel")
        .mark(mark("Oak", MONDAY, "am", &upn(3), "N"))
        .unwrap();
    // Applied in place from the push itself: nothing deferred, no reload.
    let pushed = rollcall::service::protocol::Event::saved("Oak", &saved);
    h.dispatch(Action::Changed(pushed));
    assert!(!h.app.reload_pending);
    assert_eq!(code_of(&h, "Dean").as_deref(), Some("N"));
}

#[test]
fn a_burst_of_pushes_on_the_class_list_costs_one_reload_when_input_is_idle() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    let mut teacher = school.client("jpatel");
    for pupil in 0..3 {
        let saved = teacher
            .mark(mark("Oak", MONDAY, "am", &upn(pupil), "/"))
            .unwrap();
        let pushed = rollcall::service::protocol::Event::saved("Oak", &saved);
        h.dispatch(Action::Changed(pushed));
    }
    assert!(h.app.reload_pending);
    assert!(h.screen().contains("0/5"), "{}", h.screen());
    h.act(Action::Idle);
    assert!(!h.app.reload_pending);
    assert!(h.screen().contains("3/5"), "{}", h.screen());
}

#[test]
fn a_tiny_terminal_gets_a_notice_not_a_panic() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "jpatel");
    let tiny = h.screen_at(20, 5);
    assert!(tiny.contains("Terminal too small"), "{tiny}");
    for (w, h_) in [(1, 1), (0, 0), (59, 30), (200, 15)] {
        let _ = h.screen_at(w, h_);
    }
    h.press("enter enter");
    let _ = h.screen_at(20, 5);
    let _ = h.screen_at(61, 16);
}

#[test]
fn a_mark_on_a_screen_that_missed_anothers_is_refused_and_the_screen_reloads() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut teacher = Harness::new(&school, "jpatel");
    let mut office = Harness::new(&school, "office");
    teacher.press("enter");
    office.press("enter");
    // The teacher marks Adams absent; the office's screen has not heard yet.
    teacher.press("!");
    assert_eq!(code_of(&teacher, "Adams").as_deref(), Some("N"));
    assert_eq!(code_of(&office, "Adams"), None);
    office.press("space");
    let message = office.message();
    assert!(
        message.contains("Adams, Alice was marked N by Jay Patel at 08:55"),
        "{message}"
    );
    assert!(message.contains("nothing saved"), "{message}");
    // Reloaded: the office now sees the teacher's mark, which stands.
    assert_eq!(code_of(&office, "Adams").as_deref(), Some("N"));
    let history = school
        .engine
        .store()
        .read()
        .unwrap()
        .history(&rollcall::domain::marks::SessionKey {
            date: d(MONDAY),
            session: Session::Am,
            upn: upn(0),
        })
        .unwrap();
    assert_eq!(
        history.len(),
        1,
        "the refused mark left no trace: {history:?}"
    );
}

#[test]
fn every_overdue_n_becomes_o_in_one_confirmed_stroke_and_the_rest_wait() {
    let school = TestSchool::new("2026-11-23T09:40");
    let mut teacher = school.client("jpatel");
    teacher.close("Oak".into(), d(MONDAY), Session::Am).unwrap();
    school.set_now("2026-12-01T09:40");
    teacher
        .close("Oak".into(), d("2026-12-01"), Session::Am)
        .unwrap();
    // Wednesday 2 December: Monday 23 November's N were due by Tuesday 1 December.
    school.set_now("2026-12-02T08:00");
    let mut h = Harness::new(&school, "office");
    h.press("f3");
    let Screen::NQueue(q) = &h.app.screen else {
        panic!("N queue")
    };
    assert_eq!(q.items.len(), 10);
    assert_eq!(q.items.iter().filter(|i| i.days_left < 0).count(), 5);
    h.press("ctrl+o");
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("a confirmation first: {}", h.screen())
    };
    assert!(
        confirm.title.starts_with("5 N past the deadline become O"),
        "{}",
        confirm.title
    );
    assert!(
        confirm.lines[0].contains("Mon 23 Nov AM: deadline was Tue 01 Dec"),
        "{:?}",
        confirm.lines
    );
    h.press("enter");
    assert_eq!(h.message(), "5 overdue N became O");
    let Screen::NQueue(q) = &h.app.screen else {
        panic!("N queue")
    };
    assert_eq!(q.items.len(), 5, "the N still in time wait");
    assert!(q.items.iter().all(|i| i.date == d("2026-12-01")));
    let history = h.client.history(upn(0), d(MONDAY), Session::Am).unwrap();
    assert_eq!(history.current.unwrap().code, "O");
    let last = history.changes.last().unwrap();
    assert_eq!(last.account, "office");
    assert_eq!(last.reason.as_deref(), Some(rollcall::app::OVERDUE_REASON));
    // Nothing overdue now: the key says so and changes nothing.
    h.press("ctrl+o");
    assert!(h.app.modal.is_none());
    assert_eq!(h.message(), "no N is past its 5-school-day deadline");
}

/// Issue 18, item 1: a word typed with caps lock on is a word. `SICK` in the picker never
/// saves `S` (study leave) because the word began with it, and no letter spills into the
/// name search; enter takes the code the word found (illness).
#[test]
fn caps_lock_in_the_code_picker_types_a_word_and_never_saves_its_first_letter() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    h.press("enter enter");
    for key in ["S", "I", "C", "K"] {
        h.press(key);
        assert!(
            matches!(h.app.modal, Some(Modal::Picker(_))),
            "{key}: the picker is still open"
        );
    }
    assert_eq!(code_of(&h, "Adams"), None, "nothing saved while typing");
    assert!(
        register(&h).jump.is_empty(),
        "no letter went to the name search"
    );
    h.press("enter");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("I"));
    // A code typed whole that nothing continues is still one key: C1 at once.
    h.press("up enter C 1");
    assert!(h.app.modal.is_none());
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("C1"));
}

/// Issue 18, item 2: a marking key acts only on a pupil the name typed really found. `chow x`
/// finds nobody (the cursor stays on Chowdhury, where `chow` took it): `!` marks nobody and
/// says why; `chow p` (a surname's start and an initial) finds Chowdhury, Pupil6, and `!`
/// marks them.
#[test]
fn a_near_miss_name_marks_nobody_and_a_surname_start_and_an_initial_find_the_pupil() {
    let school = TestSchool::new("2026-11-23T09:10");
    thirty_in_elm(&school);
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter");
    h.type_text("chow x");
    assert!(h.message().contains("matches `chow x`"), "{}", h.message());
    for key in ["!", "+", "*", "delete", "@"] {
        h.press(key);
        assert!(
            h.message().contains("nothing done"),
            "{key}: {}",
            h.message()
        );
    }
    assert!(
        (0..30).all(|i| code_of(&h, rollcall_thirty(i)).is_none()),
        "nobody marked"
    );
    h.press("backspace");
    h.type_text("p");
    assert_eq!(
        register(&h).view.as_ref().unwrap().rows[register(&h).cursor].surname,
        "Chowdhury"
    );
    h.press("!");
    assert_eq!(code_of(&h, "Chowdhury").as_deref(), Some("N"));
    // A name typed and ended with esc: the next key acts where the cursor is, as before.
    h.type_text("dav");
    h.press("esc !");
    assert_eq!(code_of(&h, "Davies").as_deref(), Some("N"));
}

fn rollcall_thirty(i: usize) -> &'static str {
    crate::common::THIRTY[i]
}

/// Issue 18, item 2, in the office's lists: the N queue, today's absences and the fire list
/// find a pupil by a surname's start and an initial, and their keys act only on a pupil the
/// name found.
#[test]
fn the_office_lists_find_a_pupil_by_name_and_act_only_on_one_found() {
    let school = TestSchool::new("2026-11-23T09:00");
    let mut teacher = school.client("jpatel");
    for (i, code) in [(0, "N"), (1, "N"), (2, "/"), (3, "/"), (4, "/")] {
        teacher
            .mark(mark("Oak", MONDAY, "am", &upn(i), code))
            .unwrap();
    }
    school.set_now("2026-11-23T10:00");
    let mut h = Harness::new(&school, "office");
    // The N queue: "brown b" finds Brown, Ben; "brown x" finds nobody, so enter resolves
    // nothing.
    h.press("f3");
    h.type_text("brown b");
    let Screen::NQueue(q) = &h.app.screen else {
        panic!("N queue")
    };
    assert_eq!(q.items[q.cursor].name, "Brown, Ben");
    h.press("backspace");
    h.type_text("x");
    h.press("enter");
    assert!(
        h.app.modal.is_none() && h.message().contains("nothing done"),
        "{}",
        h.message()
    );
    // The fire list: "dean d" finds Dean, Dan.
    h.press("esc f7");
    h.type_text("dean d");
    let Screen::OnSite(s) = &h.app.screen else {
        panic!("on site")
    };
    assert_eq!(s.pupils()[s.cursor].1.name, "Dean, Dan");
    // Today: "adams a" finds Adams, Alice among those away.
    h.press("esc f6");
    h.type_text("adams a");
    let Screen::Today(t) = &h.app.screen else {
        panic!("today")
    };
    match t.row(t.cursor) {
        Some(rollcall::app::TodayRow::Pupil(p)) => assert_eq!(p.name, "Adams, Alice"),
        _ => panic!("a pupil"),
    }
    // The pupil search (the engine's): "evans e" finds Evans, Eve and nobody else.
    h.press("esc ctrl+f");
    h.type_text("evans e");
    let Screen::PupilSearch(s) = &h.app.screen else {
        panic!("search")
    };
    let found: Vec<&str> = s
        .finder
        .results
        .iter()
        .map(|p| p.surname.as_str())
        .collect();
    assert_eq!(found, ["Evans"]);
    h.press("backspace backspace");
    h.type_text("x");
    let Screen::PupilSearch(s) = &h.app.screen else {
        panic!("search")
    };
    assert!(s.finder.results.is_empty());
}

/// A name that finds several pupils says who else it finds (the cursor is on the first, which
/// a marking key acts on); a space after a name that finds one says how to mark them present,
/// since a space while typing is part of a name.
#[test]
fn typing_a_name_says_who_else_it_finds_and_what_space_does() {
    let school = TestSchool::new("2026-11-23T09:10");
    thirty_in_elm(&school);
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter");
    h.type_text("k");
    assert!(
        h.message()
            .contains("Khan, Pupil14; `k` also finds Kowalski, Pupil15"),
        "{}",
        h.message()
    );
    h.press("esc");
    h.type_text("nowak ");
    assert!(
        h.message()
            .contains("Nowak, Pupil19: space is part of a name while you type"),
        "{}",
        h.message()
    );
    assert_eq!(code_of(&h, "Nowak"), None, "typing marked nobody");
    h.press("esc space");
    assert_eq!(code_of(&h, "Nowak").as_deref(), Some("/"));
}

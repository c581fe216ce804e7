//! The register as a school uses it in its first weeks: sweeping the present key, a paper
//! register entered after the close, cover, late sign-in, names typed, codes, planned
//! absences, clearing, flags, fields and the keymap. Each case is the key sequence that
//! showed a defect. The example school registers at 09:05 and closes at 09:30 (AM).

use crate::common::cli::{Cli, history_args};
use crate::common::*;
use rollcall::app::{Modal, Screen};
use rollcall::domain::register::ChangeKind;
use rollcall::domain::session::Session;
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{Expect, ReportBy, Request};

const MONDAY: &str = "2026-11-23";
const TUESDAY: &str = "2026-11-24";

fn codes_of(h: &Harness) -> Vec<Option<String>> {
    register(h)
        .view
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .map(|row| row.mark.as_ref().map(|m| m.code.to_string()))
        .collect()
}

/// Item 1: sweeping the present key down the register fills blanks only. A late, an absence
/// and the office's entry stay; each is passed over with a word.
#[test]
fn sweeping_the_present_key_down_the_register_keeps_every_mark_already_there() {
    let school = TestSchool::new("2026-11-20T15:00");
    thirty_in_elm(&school);
    let mut office = school.client("office");
    let mut planned = mark("Elm", MONDAY, "am", &upn(100 + 20), "M"); // Okafor
    planned.expect = Expect::Blank;
    office.mark(planned).unwrap();
    school.set_now("2026-11-23T09:12");
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter k + p ! home");
    for _ in 0..30 {
        h.press("space");
    }
    assert_eq!(code_of(&h, "Khan").as_deref(), Some("L"));
    assert_eq!(code_of(&h, "Patel").as_deref(), Some("N"));
    assert_eq!(code_of(&h, "Okafor").as_deref(), Some("M"));
    let codes = codes_of(&h);
    assert_eq!(
        codes.iter().filter(|c| c.as_deref() == Some("/")).count(),
        27
    );
    assert!(codes.iter().all(Option::is_some));
    // The office's M was passed over, not offered for replacement.
    assert!(h.app.modal.is_none());
    let history = h.client.history(upn(120), d(MONDAY), Session::Am).unwrap();
    assert_eq!(history.changes.len(), 1, "the M was never touched");
}

/// Item 2: the office enters an untaken register from paper in one stroke with one reason;
/// each mark is still its own amendment in the history.
#[test]
fn the_office_enters_an_untaken_register_from_paper_in_one_stroke() {
    let school = TestSchool::new("2026-11-23T09:45");
    let mut h = Harness::new(&school, "office");
    h.press("down enter");
    assert_eq!(register(&h).group, "Ash");
    h.press("*");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("one reason for the paper register: {}", h.screen())
    };
    assert_eq!(input.text(), "Entered from the paper register");
    h.press("enter");
    assert_eq!(codes_of(&h), vec![Some("/".to_string()); 3]);
    for i in 5..8 {
        let history = h.client.history(upn(i), d(MONDAY), Session::Am).unwrap();
        let change = &history.changes[0];
        assert_eq!(change.kind, ChangeKind::Amendment);
        assert_eq!(
            change.reason.as_deref(),
            Some("Entered from the paper register")
        );
    }
}

/// Item 2, from the command line: one reason for every line of a batch.
#[test]
fn mark_batch_takes_one_reason_for_a_whole_paper_register() {
    let cli = Cli::new();
    cli.school();
    let file = cli.file(
        "ash.csv",
        &format!(
            "Ash,am,2026-11-23,{},/\nAsh,am,2026-11-23,{},/\nAsh,am,2026-11-23,{},N\n",
            upn(5),
            upn(6),
            upn(7)
        ),
    );
    let late = "2026-11-23T10:00";
    let refused = cli.fails(late, &["mark-batch", file.to_str().unwrap()]);
    assert!(refused.contains("needs a reason"), "{refused}");
    cli.ok(
        late,
        &[
            "mark-batch",
            file.to_str().unwrap(),
            "--reason",
            "Entered from the paper register",
        ],
    );
    let history = cli.ok(late, &history_args(&upn(7), "2026-11-23", "am"));
    assert!(
        history.contains("Entered from the paper register"),
        "{history}"
    );
}

/// Item 3: the office assigns cover; the covering teacher sees the group first that day and
/// takes its register; the cover is audited and ends with the day.
#[test]
fn a_teacher_covering_another_group_takes_its_register_that_day() {
    let school = TestSchool::new("2026-11-23T08:50");
    let mut teacher = school.client("jpatel");
    let refused = teacher
        .mark(mark("Ash", MONDAY, "am", &upn(5), "/"))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("not a tutor of Ash"), "{refused}");

    let mut office = Harness::new(&school, "office");
    office.press("down f4 text:jpatel enter");
    assert!(
        office.message().contains("Jay Patel covers Ash"),
        "{}",
        office.message()
    );
    assert!(office.screen().contains("Ash"), "{}", office.screen());

    let mut h = Harness::new(&school, "jpatel");
    let screen = h.screen();
    // The covered group first, saying who takes it, then the teacher's own.
    let ash = screen
        .find("Ash\u{2022}")
        .expect("Ash is the teacher's today");
    assert!(ash < screen.find("Oak\u{2022}").unwrap(), "{screen}");
    assert!(screen.contains("Jay Patel (cover)"), "{screen}");
    h.press("enter space");
    assert_eq!(register(&h).group, "Ash");
    assert_eq!(code_of(&h, "Fox").as_deref(), Some("/"));
    // Tomorrow the cover is over.
    school.set_now("2026-11-24T08:50");
    let refused = teacher
        .mark(mark("Ash", TUESDAY, "am", &upn(5), "/"))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("not a tutor of Ash"), "{refused}");
}

/// Item 3, from the command line: cover by command, and taken away.
#[test]
fn cover_is_arranged_and_removed_by_command() {
    let cli = Cli::new();
    cli.school();
    let now = "2026-11-23T08:50";
    cli.ok(
        now,
        &[
            "staff",
            "add",
            "--account",
            "jpatel",
            "--name",
            "Jay Patel",
            "--position",
            "Class teacher",
            "--role",
            "teacher",
        ],
    );
    let said = cli.ok(
        now,
        &[
            "cover",
            "--group",
            "Ash",
            "--date",
            MONDAY,
            "--session",
            "am",
            "--account",
            "jpatel",
        ],
    );
    assert!(said.contains("Jay Patel covers Ash"), "{said}");
    let said = cli.ok(
        now,
        &[
            "cover",
            "--group",
            "Ash",
            "--date",
            MONDAY,
            "--session",
            "am",
            "--remove",
        ],
    );
    assert!(said.to_lowercase().contains("tutors"), "{said}");
    // The audit: both changes, who made them and when, from a read-only command.
    let log = cli.ok(now, &["cover", "--list", "--date", MONDAY]);
    let me = rollcall::service::os_account();
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            format!("{MONDAY} AM Ash: jpatel, arranged by {me} at {MONDAY} 08:50"),
            format!("{MONDAY} AM Ash: (removed: its tutors), arranged by {me} at {MONDAY} 08:50"),
        ]
    );
    let refused = cli.fails(
        now,
        &[
            "cover",
            "--group",
            "Ash",
            "--date",
            MONDAY,
            "--account",
            "nobody",
        ],
    );
    assert!(refused.contains("nobody"), "{refused}");
}

/// In the late sign-in list, moves to the pupil found in `group` and chooses them.
fn choose_in_group(h: &mut Harness, group: &str) {
    let Screen::SignIn(s) = &h.app.screen else {
        panic!("sign-in")
    };
    let row = s
        .finder
        .results
        .iter()
        .position(|p| p.group.as_deref() == Some(group))
        .unwrap();
    h.press("home");
    for _ in 0..row {
        h.press("down");
    }
    h.press("enter");
}

/// Item 4: two pupils of one name are told apart by year, group and birth date; a pupil who
/// is already marked is shown with the mark and replacing it takes `y`; the message names the
/// pupil; ctrl+z takes the sign-in back.
#[test]
fn late_sign_in_tells_pupils_apart_asks_before_replacing_and_undoes() {
    let school = TestSchool::new("2026-11-23T08:50");
    let mut head = school.client("head");
    head.import_pupils(
        "twins.csv".into(),
        format!(
            "upn,surname,forename,dob,year,group\n{},Campbell,Sofia,2019-05-01,2,Oak\n{},Campbell,Sofia,2018-02-03,3,Ash\n",
            upn(40),
            upn(41)
        ),
        Some(d("2026-09-01")),
        false,
    )
    .unwrap();
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(40), "/"))
        .unwrap();
    school.set_now("2026-11-23T09:41");
    let mut h = Harness::new(&school, "office");
    h.press("f2");
    h.type_text("campbell");
    let screen = h.screen();
    assert!(screen.contains("01/05/2019"), "{screen}");
    assert!(screen.contains("03/02/2018"), "{screen}");
    // The Oak Sofia is present: choosing her asks, and enter does not replace.
    choose_in_group(&mut h, "Oak");
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("asks first: {}", h.screen())
    };
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("year 2, Oak, born 1 May 2019")),
        "{:?}",
        confirm.lines
    );
    h.press("enter");
    assert!(
        matches!(h.app.modal, Some(Modal::Confirm(_))),
        "enter is not y"
    );
    h.press("esc");
    let history = h.client.history(upn(40), d(MONDAY), Session::Am).unwrap();
    assert_eq!(history.current.unwrap().code, "/");
    // The Ash Sofia has no mark: straight to the time, and the message names her.
    choose_in_group(&mut h, "Ash");
    h.press("enter");
    assert!(
        h.message()
            .starts_with("Campbell, Sofia: signed in, U 09:41"),
        "{}",
        h.message()
    );
    assert_eq!(
        h.client
            .history(upn(41), d(MONDAY), Session::Am)
            .unwrap()
            .current
            .unwrap()
            .code,
        "U"
    );
    h.press("ctrl+z");
    assert!(
        h.client
            .history(upn(41), d(MONDAY), Session::Am)
            .unwrap()
            .current
            .is_none(),
        "undone: {}",
        h.message()
    );
}

/// Item 5: names typed the way people type them, in any case, with spaces and commas, move
/// the cursor and never change a mark.
#[test]
fn typing_names_in_the_register_never_marks_anyone() {
    let school = TestSchool::new("2026-11-23T09:10");
    thirty_in_elm(&school);
    let mut h = Harness::new(&school, "rhughes");
    h.press("enter");
    for (typed, lands_on) in [
        ("Nowak", "Nowak"),
        ("Clarke", "Clarke"),
        ("hussain, p", "Hussain"),
        ("ALI", "Ali"),
        ("o'", "Okafor"),
    ] {
        h.type_text(typed);
        let r = register(&h);
        let row = &r.view.as_ref().unwrap().rows[r.cursor];
        assert_eq!(row.surname, lands_on, "typing {typed:?}");
        h.press("esc");
    }
    // A name nobody has: said, and still nothing marked.
    h.type_text("Abbott");
    assert!(h.message().contains("no pupil's name matches"));
    h.press("esc");
    assert!(
        codes_of(&h).iter().all(Option::is_none),
        "{:?}",
        codes_of(&h)
    );
    let rows = h
        .client
        .export(d(MONDAY), d(MONDAY), Some("Elm".into()))
        .unwrap();
    assert!(rows.is_empty(), "nothing saved: {rows:?}");
}

/// Item 6: which codes teachers may enter is the school's choice; the rest are shown greyed,
/// saying who enters them, and the everyday word finds them.
#[test]
fn the_school_chooses_the_codes_teachers_enter_and_the_picker_shows_the_rest() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter enter text:med");
    let screen = h.screen();
    assert!(screen.contains("M   Leave: medical"), "{screen}");
    assert!(screen.contains("(office)"), "{screen}");
    h.press("enter");
    assert!(
        h.message().contains("entered by the office"),
        "{}",
        h.message()
    );
    h.press("esc");

    // A school that lets teachers enter V for a trip they lead.
    let source = EXAMPLE.replacen(
        "[[bands]]",
        "[codes]\nteacher = [\"/\", \"\\\\\", \"L\", \"N\", \"V\"]\n\n[[bands]]",
        1,
    );
    let mut head = school.client("head");
    head.done(Request::Init {
        file: "school.toml".into(),
        source,
    })
    .unwrap();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter enter V enter");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("V"));
    // An unknown code in the list is refused, naming it.
    let bad = EXAMPLE.replacen(
        "[[bands]]",
        "[codes]\nteacher = [\"/\", \"VV\"]\n\n[[bands]]",
        1,
    );
    let err = rollcall::config::parse_school("school.toml", &bad).unwrap_err();
    assert!(err.to_string().contains("VV"), "{err}");
}

/// Item 9: esc never leaves the app; ctrl+c does, and the status line says so.
#[test]
fn esc_never_leaves_and_the_quit_key_is_on_screen() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut h = Harness::new(&school, "jpatel");
    h.press("esc esc");
    assert!(!h.app.quit);
    assert!(h.message().contains("ctrl+c quits"), "{}", h.message());
    assert!(h.screen().contains("ctrl+c quit"), "{}", h.screen());
    h.press("q");
    assert!(!h.app.quit);
    h.press("ctrl+c");
    assert!(h.app.quit);
}

/// Item 10: presence cannot be recorded for a session that has not begun (planned absences
/// can); a planned absence counts in no figure until its session begins, the same on screen
/// as in `report`.
#[test]
fn the_future_takes_planned_absences_only_and_counts_in_no_figure() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut teacher = school.client("jpatel");
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(0), "/"))
        .unwrap();
    let mut h = Harness::new(&school, "office");
    h.press("right enter space");
    assert!(h.message().contains("has not begun"), "{}", h.message());
    assert_eq!(code_of(&h, "Adams"), None);
    h.press("enter text:med");
    eprintln!("{}", h.screen());
    h.press("enter");
    eprintln!("{}", h.screen());
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("M"));
    // Today's figures for Adams: one present session, nothing else.
    h.press("esc left enter");
    let screen = h.screen();
    assert!(screen.contains("100.0%"), "{screen}");
    let report = h
        .client
        .report(
            d("2026-09-01"),
            d(TUESDAY),
            ReportBy::Pupil,
            Default::default(),
        )
        .unwrap();
    let adams = report.iter().find(|r| r.key == upn(0)).unwrap();
    assert_eq!(adams.tally.possible(), 1, "tomorrow's M is not counted yet");
    // Tomorrow, once the session has begun, it counts.
    school.set_now("2026-11-24T09:00");
    let report = h
        .client
        .report(
            d("2026-09-01"),
            d(TUESDAY),
            ReportBy::Pupil,
            Default::default(),
        )
        .unwrap();
    assert_eq!(
        report
            .iter()
            .find(|r| r.key == upn(0))
            .unwrap()
            .tally
            .possible(),
        2
    );
}

/// Item 10: a mistaken mark is cleared back to blank as an audited change, with a reason
/// after the close; a teacher clears their own while the register is open and can undo it.
#[test]
fn a_mark_is_cleared_to_blank_as_an_audited_change() {
    let school = TestSchool::new("2026-11-23T09:10");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter space up delete");
    assert_eq!(code_of(&h, "Adams"), None);
    assert!(h.message().contains("cleared"), "{}", h.message());
    h.press("ctrl+z");
    assert_eq!(code_of(&h, "Adams").as_deref(), Some("/"));

    school.set_now("2026-11-23T10:00");
    let mut office = Harness::new(&school, "office");
    office.press("enter delete");
    let Some(Modal::Input(_)) = &office.app.modal else {
        panic!("a reason: {}", office.screen())
    };
    office.press("enter");
    assert!(
        matches!(office.app.modal, Some(Modal::Input(_))),
        "a reason is needed after the close"
    );
    office.type_text("marked the wrong pupil");
    office.press("enter");
    assert_eq!(code_of(&office, "Adams"), None, "{}", office.message());
    let history = office
        .client
        .history(upn(0), d(MONDAY), Session::Am)
        .unwrap();
    let last = history.changes.last().unwrap();
    assert_eq!(last.kind, ChangeKind::Amendment);
    assert_eq!(last.after, None);
    assert_eq!(last.reason.as_deref(), Some("marked the wrong pupil"));
    assert_eq!(last.before.as_ref().unwrap().code, "/");

    // From the command line too; and a teacher cannot clear a closed register.
    let mut teacher = school.client("jpatel");
    let refused = teacher
        .clear(Request::Clear {
            register: RegisterId {
                group: "Oak".into(),
                date: d(MONDAY),
                session: Session::Am,
            },
            upn: upn(1),
            reason: Some("x".into()),
            expect: Expect::Anything,
        })
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("no mark") || refused.contains("teachers clear"),
        "{refused}"
    );
}

/// Item 8: the class list keeps the percentage beside MISSING, shows none for a register
/// nobody has started (a pre-entered M is not 0%), and gives the office the whole school.
#[test]
fn the_class_list_keeps_the_percentage_and_waits_for_a_register_to_start() {
    let school = TestSchool::new("2026-11-23T08:00");
    let mut office = school.client("office");
    let mut planned = mark("Ash", MONDAY, "am", &upn(5), "M");
    planned.expect = Expect::Blank;
    office.mark(planned).unwrap();
    school.set_now("2026-11-23T09:12");
    let mut teacher = school.client("jpatel");
    for i in 0..3 {
        teacher
            .mark(mark("Oak", MONDAY, "am", &upn(i), "/"))
            .unwrap();
    }
    teacher
        .mark(mark("Oak", MONDAY, "am", &upn(3), "N"))
        .unwrap();
    let h = Harness::new(&school, "office");
    let screen = h.screen();
    let line = |group: &str| {
        screen
            .lines()
            .find(|l| l.contains(group))
            .unwrap()
            .to_string()
    };
    assert!(line("Oak").contains("MISSING         4/5  75%"), "{screen}");
    let ash = line("Ash");
    assert!(ash.contains("MISSING         1/3 "), "{screen}");
    assert!(!ash.contains('%'), "only a pre-entry: {ash}");
    assert!(
        screen.contains("Whole school AM: 5/8 marked \u{b7} 75.0% attending \u{b7} 2 MISSING"),
        "{screen}"
    );
    // Teachers see their groups, not the school's line.
    let teacher_screen = Harness::new(&school, "jpatel").screen();
    assert!(!teacher_screen.contains("Whole school"), "{teacher_screen}");
}

/// Item 8: PA and SA wait for a week of sessions, and say what they rest on.
#[test]
fn absence_flags_wait_for_a_week_and_show_their_evidence() {
    let school = TestSchool::new("2026-11-23T10:00");
    let mut office = school.client("office");
    // Adams: the week before, ten sessions, two of them N.
    for (day, session, code) in [
        ("2026-11-16", "am", "/"),
        ("2026-11-16", "pm", "/"),
        ("2026-11-17", "am", "N"),
        ("2026-11-17", "pm", "N"),
        ("2026-11-18", "am", "/"),
        ("2026-11-18", "pm", "/"),
        ("2026-11-19", "am", "/"),
        ("2026-11-19", "pm", "/"),
        ("2026-11-20", "am", "/"),
    ] {
        let mut m = mark("Oak", day, session, &upn(0), code);
        m.reason = Some("Entered from the paper register".into());
        office.mark(m).unwrap();
    }
    // Brown: one N this morning, and nothing before.
    let mut m = mark("Oak", MONDAY, "am", &upn(1), "N");
    m.reason = Some("Entered from the paper register".into());
    office.mark(m).unwrap();
    let mut h = Harness::new(&school, "office");
    h.press("enter");
    let row = |h: &Harness, name: &str| {
        h.screen()
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .to_string()
    };
    assert!(!row(&h, "Brown").contains("SA"), "{}", row(&h, "Brown"));
    assert!(
        !row(&h, "Adams").contains("PA"),
        "nine sessions: {}",
        row(&h, "Adams")
    );
    // The tenth session: 2 of 10 absent is 20%.
    let mut m = mark("Oak", "2026-11-20", "pm", &upn(0), "/");
    m.reason = Some("Entered from the paper register".into());
    office.mark(m).unwrap();
    h.press("ctrl+r");
    assert!(row(&h, "Adams").contains("PA 2/10"), "{}", row(&h, "Adams"));
}

/// Item 11: a pre-filled time is replaced by the first digit typed, and times are read as
/// people type them.
#[test]
fn a_suggested_time_is_replaced_by_typing_and_every_usual_form_is_read() {
    let school = TestSchool::new("2026-11-23T09:20");
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    for (typed, name, minutes) in [
        ("0910", "Adams", 5),
        ("9.12", "Brown", 7),
        ("914", "Cole", 9),
    ] {
        h.press("@");
        let Some(Modal::Input(input)) = &h.app.modal else {
            panic!("time field")
        };
        assert_eq!(input.text(), "09:20", "suggests now");
        h.press(&format!("text:{typed} enter"));
        let pupil = register(&h)
            .view
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .find(|r| r.surname == name)
            .unwrap()
            .upn
            .clone();
        let history = h.client.history(pupil, d(MONDAY), Session::Am).unwrap();
        let mark = history.current.unwrap();
        assert_eq!(
            (mark.code.as_str(), mark.minutes_late),
            ("L", Some(minutes)),
            "{typed}"
        );
        h.press("down");
    }
    // Not a time: said, with the forms that are.
    h.press("@ text:9h10 enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("still open")
    };
    assert!(input.error.as_deref().unwrap().contains("0910"));
}

/// Item 11: the field edits like a line: ctrl+u clears a suggestion in one stroke, the
/// cursor moves, and a character goes in where the cursor is.
#[test]
fn a_field_edits_like_a_line() {
    let school = TestSchool::new("2026-11-23T10:00");
    school
        .client("jpatel")
        .close("Oak".into(), d(MONDAY), Session::Am)
        .unwrap();
    let mut h = Harness::new(&school, "office");
    h.press("f3 enter text:sick");
    h.press("enter");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("reason: {}", h.screen())
    };
    assert_eq!(input.text(), "Reason given by parent or carer");
    // Edited, not replaced: end, then a word deleted and a new one typed.
    h.press("end ctrl+w");
    h.type_text("mother");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("reason")
    };
    assert_eq!(input.text(), "Reason given by parent or mother");
    h.press("ctrl+u");
    h.type_text("Phone call frm mum");
    h.press("left left left left left o");
    let Some(Modal::Input(input)) = &h.app.modal else {
        panic!("reason")
    };
    assert_eq!(input.text(), "Phone call from mum");
    h.press("enter");
    let history = h.client.history(upn(0), d(MONDAY), Session::Am).unwrap();
    let last = history.changes.last().unwrap();
    assert_eq!(last.reason.as_deref(), Some("Phone call from mum"));
    assert_eq!(history.current.unwrap().code, "I");
}

/// Item 11: every problem in a keymap file can be read, not the first and "+2 more".
#[test]
fn every_keymap_problem_is_listed_until_closed() {
    let school = TestSchool::new("2026-11-23T08:55");
    let source =
        "[register]\n\"p\" = \"presnt\"\n\"ctrl+q\" = \"late\"\n\"=\" = \"nothing\"\n[registr]\n";
    let (keymap, errors) = rollcall::keymap::Keymap::with_user_file("keymap.toml", source);
    let notices: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(notices.len() >= 3, "{notices:?}");
    let mut h = Harness::with_keymap(&school, "jpatel", keymap, notices.clone());
    let screen = h.screen();
    for notice in &notices {
        let start: String = notice.chars().take(40).collect();
        assert!(screen.contains(&start), "{start}:\n{screen}");
    }
    h.press("space down");
    assert!(h.app.modal.is_some(), "read until closed");
    h.press("esc");
    assert!(h.app.modal.is_none());
}

/// Item 4, in the register: two pupils of one name in a group are told apart there too.
#[test]
fn two_pupils_of_one_name_in_a_register_show_their_birth_dates() {
    let school = TestSchool::new("2026-11-23T08:50");
    school
        .client("head")
        .import_pupils(
            "twins.csv".into(),
            format!(
                "upn,surname,forename,dob,year,group\n{},Campbell,Sofia,2019-05-01,2,Oak\n{},Campbell,Sofia,2019-05-02,2,Oak\n",
                upn(40),
                upn(41)
            ),
            Some(d("2026-09-01")),
            false,
        )
        .unwrap();
    let mut h = Harness::new(&school, "jpatel");
    h.press("enter");
    let screen = h.screen();
    assert!(screen.contains("Campbell, Sofia (01/05/2019)"), "{screen}");
    assert!(screen.contains("Campbell, Sofia (02/05/2019)"), "{screen}");
    assert!(
        screen.contains("Adams, Alice  "),
        "a unique name is as it is"
    );
}

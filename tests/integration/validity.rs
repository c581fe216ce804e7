//! Issue 18, items 9 and 10: a code must fit the pupil and the date, and an imported mark a
//! session that exists (SPEC §7), at every door: `mark`, `mark-batch`, `import marks` and the
//! app's picker. Each refusal names the rule.

use crate::common::cli::Cli;
use crate::common::*;
use rollcall::app::Modal;

const NOW: &str = "2026-11-27T16:00";

/// The example school, its pupils on roll since September 2024 (a row can be before then).
fn school() -> Cli {
    let cli = Cli::new();
    cli.school_since("2024-09-02");
    cli
}

#[test]
fn codes_that_cannot_fit_the_pupil_are_refused_by_mark_and_mark_batch() {
    let cli = school();
    // Alice Adams, born 10 January 2019: seven on 31 August 2026.
    for (code, rule) in [
        ("X", "X is for a pupil below or above compulsory school age"),
        ("Z", "Z is for a pupil not yet on the admission register"),
        ("S", "S is study leave for public examinations"),
    ] {
        let err = cli.fails(
            "2026-11-23T10:00",
            &[
                "mark",
                "--group",
                "Oak",
                "--session",
                "am",
                "--date",
                "2026-11-23",
                "--pupil",
                "A100000000016",
                "--code",
                code,
                "--reason",
                "office",
            ],
        );
        assert!(err.contains(rule), "{code}: {err}");
        assert!(err.contains("Adams, Alice"), "{code}: {err}");
    }
    let batch = cli.file(
        "batch.csv",
        "Oak,am,2026-11-23,A100000000016,X\nOak,am,2026-11-23,A100000000126,/\n",
    );
    let out = cli.run(
        "2026-11-23T10:00",
        &[
            "mark-batch",
            batch.to_str().unwrap(),
            "--reason",
            "paper register",
        ],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 1: Adams, Alice: X is for a pupil below or above"),
        "{said}"
    );
    assert!(said.contains("1 saved, 1 not saved"), "{said}");
}

#[test]
fn an_import_of_old_registers_refuses_sessions_that_are_not_sessions_row_by_row() {
    let cli = school();
    let rows = [
        // 2: a Saturday.
        "2026-11-21,am,A100000000016,/",
        // 3: half term (26-30 October 2026, inside the configured terms).
        "2026-10-27,am,A100000000016,I",
        // 4: the INSET day, with an absence code rather than #.
        "2026-11-27,am,A100000000016,O",
        // 5: the INSET day with #: fine.
        "2026-11-27,pm,A100000000016,#",
        // 6: before the pupil's admission (on roll from 2 September 2024).
        "2024-06-03,am,A100000000016,/",
        // 7: before the pupil was born.
        "2018-06-04,am,A100000000016,/",
        // 8: a 2024 code before 19 August 2024 (and before admission: the code says first).
        "2024-05-13,am,A100000000126,C2",
        // 9: present for a session that has not happened yet.
        "2026-12-01,am,A100000000016,/",
        // 10: X for a seven-year-old.
        "2026-11-23,am,A100000000016,X",
        // 11: a Sunday in a year before the configured terms (weekends are always known).
        "2025-03-02,am,A100000000016,/",
        // 12: an ordinary school day: fine.
        "2026-11-24,am,A100000000016,I",
    ];
    let csv = format!("date,session,upn,code\n{}\n", rows.join("\n"));
    let file = cli.file("old.csv", &csv);
    let err = cli.fails(NOW, &["import", "marks", file.to_str().unwrap()]);
    for (row, said) in [
        (2, "2026-11-21 is a Saturday, not a school day"),
        (3, "is not a school session (half term"),
        (4, "is not a school session (planned closure"),
        (6, "was not on roll on 2024-06-03"),
        (7, "is before the pupil was born"),
        (8, "C2 came in on 19 August 2024"),
        (9, "has not happened yet"),
        (10, "X is for a pupil below or above compulsory school age"),
        (11, "2025-03-02 is a Sunday, not a school day"),
    ] {
        assert!(err.contains(&format!("row {row}: ")), "row {row}: {err}");
        assert!(err.contains(said), "row {row} ({said}): {err}");
    }
    for row in [5, 12] {
        assert!(!err.contains(&format!("row {row}:")), "row {row}: {err}");
    }
    assert!(
        err.contains("9 problems found; nothing was imported"),
        "{err}"
    );
}

#[test]
fn the_picker_greys_codes_that_cannot_fit_the_pupil_and_says_why_if_one_is_chosen() {
    let school = TestSchool::new("2026-11-23T08:55");
    let mut h = Harness::new(&school, "office");
    h.press("enter enter");
    let Some(Modal::Picker(picker)) = &h.app.modal else {
        panic!("picker")
    };
    assert_eq!(
        picker.why_not(rollcall::domain::codes::Code::X),
        Some("not for this pupil")
    );
    assert_eq!(picker.why_not(rollcall::domain::codes::Code::M), None);
    h.press("text:compulsory enter");
    assert!(
        h.message()
            .contains("X is for a pupil below or above compulsory school age"),
        "{}",
        h.message()
    );
    assert!(
        matches!(h.app.modal, Some(Modal::Picker(_))),
        "the picker stays"
    );
    assert_eq!(code_of(&h, "Adams"), None);
}

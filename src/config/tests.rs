//! The configuration's own tests: the shipped example, and errors that name the field.

use super::*;

pub const EXAMPLE: &str = include_str!("../../school.example.toml");

fn err(source: &str) -> String {
    parse_school("school.toml", source).unwrap_err().to_string()
}

#[test]
fn the_shipped_example_parses() {
    let school = parse_school("school.example.toml", EXAMPLE).unwrap();
    assert_eq!(school.calendar.terms.len(), 2);
    assert_eq!(school.bands[0].name, "A");
    assert!(!school.groups.is_empty());
}

#[test]
fn a_31_minute_window_is_refused_naming_file_line_and_field() {
    let source = EXAMPLE.replace("closes_at = \"09:30\"", "closes_at = \"09:36\"");
    let e = err(&source);
    assert!(e.starts_with("school.toml:"), "{e}");
    assert!(
        e.contains("sessions.am.closes_at: the register stays open 31 minutes"),
        "{e}"
    );
    let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        source.lines().nth(line - 1).unwrap().contains("09:36"),
        "{e}"
    );
}

#[test]
fn an_unknown_field_is_refused_with_its_line() {
    let source = EXAMPLE.replace(
        "register_at = \"09:05\"",
        "register_at = \"09:05\"\nregister_by = \"09:10\"",
    );
    let e = err(&source);
    assert!(e.contains("unknown field `register_by`"), "{e}");
    let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        source
            .lines()
            .nth(line - 1)
            .unwrap()
            .contains("register_by"),
        "{e}"
    );
}

#[test]
fn impossible_dates_and_out_of_range_values_name_the_field() {
    assert!(
        err(&EXAMPLE.replace("2026-12-18", "2026-02-30"))
            .contains("terms[0].end: `2026-02-30` is not a date")
    );
    assert!(
        err(&EXAMPLE.replace("min = 97.0", "min = 107.0"))
            .contains("bands[0].min: 107 is not a percentage")
    );
    assert!(
        err(&EXAMPLE.replace("opens_at = \"08:45\"", "opens_at = \"8:75\""))
            .contains("sessions.am.opens_at")
    );
    assert!(err(&EXAMPLE.replace("\"mon\",", "\"mun\",")).contains("school.weekdays: `mun`"));
    assert!(err(&EXAMPLE.replace("urn = \"106089\"", "urn = \"10608\"")).contains("school.urn"));
    assert!(
        err(&EXAMPLE.replace("date = \"2026-11-27\"", "date = \"2026-12-25\""))
            .contains("closures[0].date")
    );
}

#[test]
fn a_half_term_outside_its_term_is_refused() {
    let e = err(&EXAMPLE.replace("{ start = \"2026-10-26\"", "{ start = \"2026-08-26\""));
    assert!(e.contains("terms[0].half_terms[0]"), "{e}");
}

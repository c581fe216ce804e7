//! Times per year group or group (issue 22, item 1; SPEC §1.7): an infant class registers at
//! 8:40 while the rest of the school registers at 9:05. Late, `U`, minutes late, the
//! register's opening and closing, missing registers and the late sign-in follow each
//! group's own times; a timing that breaks the 30-minute rule, or names a year twice or a
//! group that does not exist, is refused naming its field and line.

use crate::common::*;
use rollcall::domain::codes::Code;
use rollcall::domain::register::RegisterStatus;
use rollcall::service::protocol::*;

/// Oak's pupils are in year 2: the Infants' times. Ash (year 3) keeps the school's.
const INFANTS: &str = r#"
[[timings]]
name = "Infants"
years = ["R", "1", "2"]
[timings.am]
opens_at = "08:30"
register_at = "08:40"
closes_at = "09:05"
[timings.pm]
opens_at = "12:45"
register_at = "12:50"
closes_at = "13:15"
"#;

fn with_timings(school: &TestSchool, extra: &str) -> Result<String, String> {
    school
        .client("head")
        .done(Request::Init {
            file: "school.toml".into(),
            source: format!("{EXAMPLE}{extra}"),
        })
        .map_err(|e| e.to_string())
}

fn arrives(
    office: &mut rollcall::service::Client,
    group: &str,
    pupil: usize,
    at: &str,
) -> MarkOutcome {
    let mut m = mark(group, "2026-11-23", "am", &upn(pupil), "L");
    m.arrived = Some(at.parse().unwrap());
    m.reason = Some("signed in late at the office".into());
    office.mark(m).unwrap()
}

#[test]
fn an_infant_class_follows_its_own_times() {
    let school = TestSchool::new("2026-11-23T08:35");
    let said = with_timings(&school, INFANTS).unwrap();
    assert!(
        said.contains("Infants (year R, year 1, year 2) 08:40-09:05"),
        "{said}"
    );
    // 08:35: Oak's register is open for its tutor, Ash's not yet.
    let mut oak = school.client("jpatel");
    oak.mark(mark("Oak", "2026-11-23", "am", &upn(1), "/"))
        .unwrap();
    let err = school
        .client("mokafor")
        .mark(mark("Ash", "2026-11-23", "am", &upn(5), "/"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("08:45"), "{err}");
    // 09:02: Oak's register (08:40) is missing, Ash's (09:05) not yet.
    school.set_now("2026-11-23T09:02");
    let list = school.client("office").class_list(None).unwrap();
    let session_of = |list: &ClassList, name: &str| {
        list.groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.sessions[0].clone())
            .unwrap()
    };
    assert!(session_of(&list, "Oak").missing, "{list:?}");
    assert!(!session_of(&list, "Ash").missing, "{list:?}");
    // 09:10: Cole arrives at 09:06, after the Infants' close: U. Fox (Ash) at 09:06 is late,
    // 1 minute after the school's 09:05.
    school.set_now("2026-11-23T09:10");
    let mut office = school.client("office");
    let cole = arrives(&mut office, "Oak", 2, "09:06");
    assert_eq!(cole.mark.code, Code::U, "{cole:?}");
    let dean = arrives(&mut office, "Oak", 3, "08:55");
    assert_eq!(
        (dean.mark.code, dean.mark.minutes_late),
        (Code::L, Some(15))
    );
    let fox = arrives(&mut office, "Ash", 5, "09:06");
    assert_eq!((fox.mark.code, fox.mark.minutes_late), (Code::L, Some(1)));
    // The class list: Oak's register closed at 09:05; Ash's is in its late window.
    let list = office.class_list(None).unwrap();
    assert_eq!(session_of(&list, "Oak").status, RegisterStatus::Closed);
    assert_eq!(session_of(&list, "Ash").status, RegisterStatus::LateWindow);
    // The late sign-in's search gives each pupil their own times.
    let hits = office.find_pupils("adams".into(), None).unwrap();
    assert_eq!(hits[0].times.unwrap().am.closes_at.to_string(), "09:05:00");
}

#[test]
fn a_timing_that_breaks_a_rule_is_refused_naming_its_field() {
    let school = TestSchool::new("2026-11-23T08:35");
    for (extra, field, says) in [
        (
            INFANTS.replace("closes_at = \"09:05\"", "closes_at = \"09:20\""),
            "timings[0].am.closes_at",
            "at most 30",
        ),
        (
            INFANTS.replace("closes_at = \"13:15\"", "closes_at = \"13:10\""),
            "timings[0].pm.closes_at",
            "same time",
        ),
        (
            INFANTS.replace("\"R\", ", "\"Z\", "),
            "timings[0].years",
            "not a year group",
        ),
        (
            INFANTS.replace("years = [\"R\", \"1\", \"2\"]", "groups = [\"Pine\"]"),
            "timings[0].groups",
            "not a group",
        ),
        (
            format!(
                "{INFANTS}{}",
                INFANTS
                    .replace("Infants", "Nursery")
                    .replace("\"R\", \"1\", \"2\"", "\"2\"")
            ),
            "timings[1].years",
            "already has the times of `Infants`",
        ),
        (
            INFANTS.replace("years = [\"R\", \"1\", \"2\"]", ""),
            "timings[0]",
            "applies to nobody",
        ),
    ] {
        let err = with_timings(&school, &extra).unwrap_err();
        assert!(err.contains(field) && err.contains(says), "{field}: {err}");
        assert!(err.contains("school.toml:"), "{err}");
    }
    // A year written as a bare number is the year it names.
    let said = with_timings(&school, &INFANTS.replace("\"R\", \"1\", \"2\"", "2")).unwrap();
    assert!(said.contains("Infants (year 2)"), "{said}");
    // A group named in a timing: its times whatever the pupils' year.
    let by_group = INFANTS.replace("years = [\"R\", \"1\", \"2\"]", "groups = [\"Ash\"]");
    with_timings(&school, &by_group).unwrap();
    school.set_now("2026-11-23T09:10");
    let fox = arrives(&mut school.client("office"), "Ash", 5, "09:06");
    assert_eq!(fox.mark.code, Code::U);
}

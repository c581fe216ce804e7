//! The DfE's Common Transfer File, as far as rollcall reads and writes it: the header, each
//! pupil's UPN, names, date of birth and sex, and their attendance per school year
//! (`Attendance/YearData`). Written and read with quick-xml: the text is escaped and
//! unescaped by it, never by hand.
//!
//! The header's elements and the pupil's were checked against DfE code; the attendance part
//! only against one vendor's exporter (SPEC §6). The choices rollcall makes where nothing
//! was found are all here, in [`MARK_CHARS`] and [`NO_MARK`]: `AttendanceMarks` holds one
//! character per session (AM then PM) for every calendar day from `AttendanceStartDate`; a
//! session without a mark is `-` (the vendor writes `#` on days without school, but `#` is
//! also the code for a planned closure, so rollcall keeps it for that code alone); the
//! two-character national codes and the management systems' sub-codes, which do not fit
//! one character, are written as the digits and lower-case letters of [`MARK_CHARS`].

use crate::domain::codes::Code;
use crate::domain::people::Sex;
use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};
use serde::{Deserialize, Serialize};

/// A session with no mark.
pub const NO_MARK: char = '-';

/// Codes that are not one character, and the character each is written as.
pub const MARK_CHARS: [(Code, char); 19] = [
    (Code::C1, '1'),
    (Code::C2, '2'),
    (Code::J1, '3'),
    (Code::Y1, '4'),
    (Code::Y2, '5'),
    (Code::Y3, '6'),
    (Code::Y4, '7'),
    (Code::Y5, '8'),
    (Code::Y6, '9'),
    (Code::Y7, '0'),
    (Code::X01, 'a'),
    (Code::X02, 'b'),
    (Code::X03, 'c'),
    (Code::X04, 'd'),
    (Code::X05, 'e'),
    (Code::X06, 'f'),
    (Code::X07, 'g'),
    (Code::I01, 'h'),
    (Code::I02, 'i'),
];

/// The character a code is written as in `AttendanceMarks`.
pub fn mark_char(code: Code) -> char {
    if let Some((_, c)) = MARK_CHARS.iter().find(|(k, _)| *k == code) {
        return *c;
    }
    code.as_str().chars().next().unwrap_or(NO_MARK)
}

/// The code a character of `AttendanceMarks` stands for; `Ok(None)` for no mark.
pub fn code_of(c: char) -> Result<Option<Code>, String> {
    if c == NO_MARK {
        return Ok(None);
    }
    if let Some((code, _)) = MARK_CHARS.iter().find(|(_, k)| *k == c) {
        return Ok(Some(*code));
    }
    match Code::parse(&c.to_string()) {
        Some(code) if code.as_str().chars().count() == 1 => Ok(Some(code)),
        _ => Err(format!("`{c}` is not a mark")),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfFile {
    pub date_time: NaiveDateTime,
    pub source: CtfSchool,
    pub dest_lea: String,
    pub dest_estab: String,
    pub pupils: Vec<CtfPupil>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfSchool {
    pub lea: String,
    pub estab: String,
    pub name: String,
    /// The school year the file was made in, by the year it starts.
    pub academic_year: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfPupil {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub dob: NaiveDate,
    pub sex: Option<Sex>,
    pub years: Vec<CtfYear>,
}

/// A pupil's attendance in one school year at one school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtfYear {
    pub year: i32,
    pub lea: String,
    pub estab: String,
    pub school_name: String,
    pub possible: u32,
    pub authorised: u32,
    pub attended: u32,
    pub unauthorised: u32,
    pub start: NaiveDate,
    /// One character per session, AM then PM, from `start`.
    pub marks: String,
}

impl CtfYear {
    /// Each session's code, from the marks string; an error names the character and its
    /// session.
    pub fn sessions(
        &self,
    ) -> Result<Vec<(NaiveDate, crate::domain::session::Session, Code)>, String> {
        let mut out = Vec::new();
        for (i, c) in self.marks.chars().enumerate() {
            // A string longer than any register runs past the dates rollcall keeps: refused
            // with the character, never a mark dated in the next century (or a panic).
            let date = self
                .start
                .checked_add_days(chrono::Days::new((i / 2) as u64))
                .ok_or_else(|| format!("character {}: past the last date there is", i + 1))
                .and_then(|d| {
                    crate::domain::dates::check(d)
                        .map_err(|why| format!("character {} ({d}): {why}", i + 1))
                })?;
            let session = if i % 2 == 0 {
                crate::domain::session::Session::Am
            } else {
                crate::domain::session::Session::Pm
            };
            match code_of(c) {
                Ok(Some(code)) => out.push((date, session, code)),
                Ok(None) => {}
                Err(why) => {
                    return Err(format!(
                        "character {} ({date} {}): {why}",
                        i + 1,
                        session.label()
                    ));
                }
            }
        }
        Ok(out)
    }
}

type Xml = Writer<Vec<u8>>;

fn open(w: &mut Xml, name: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))
}

fn close(w: &mut Xml, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn leaf(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// The file as XML.
pub fn write(file: &CtfFile) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to memory cannot fail.
    let _ = write_into(&mut w, file);
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

fn write_into(w: &mut Xml, file: &CtfFile) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    open(w, "CTfile")?;
    open(w, "Header")?;
    leaf(w, "DocumentName", "Common Transfer File")?;
    leaf(w, "CTFversion", "25.0")?;
    leaf(
        w,
        "DateTime",
        &file.date_time.format("%Y-%m-%dT%H:%M:%S").to_string(),
    )?;
    leaf(w, "DocumentQualifier", "partial")?;
    leaf(w, "SupplierID", "rollcall")?;
    open(w, "SourceSchool")?;
    leaf(w, "LEA", &file.source.lea)?;
    leaf(w, "Estab", &file.source.estab)?;
    leaf(w, "SchoolName", &file.source.name)?;
    leaf(w, "AcademicYear", &file.source.academic_year.to_string())?;
    close(w, "SourceSchool")?;
    open(w, "DestSchool")?;
    leaf(w, "LEA", &file.dest_lea)?;
    leaf(w, "Estab", &file.dest_estab)?;
    close(w, "DestSchool")?;
    close(w, "Header")?;
    open(w, "CTFpupilData")?;
    for p in &file.pupils {
        open(w, "Pupil")?;
        leaf(w, "UPN", &p.upn)?;
        leaf(w, "Surname", &p.surname)?;
        leaf(w, "Forename", &p.forename)?;
        leaf(w, "DOB", &p.dob.to_string())?;
        leaf(w, "Sex", p.sex.map_or("", |s| s.as_str()))?;
        if !p.years.is_empty() {
            open(w, "Attendance")?;
            for y in &p.years {
                open(w, "YearData")?;
                leaf(w, "Year", &y.year.to_string())?;
                leaf(w, "LEA", &y.lea)?;
                leaf(w, "Estab", &y.estab)?;
                leaf(w, "SchoolName", &y.school_name)?;
                leaf(w, "SessionsPossible", &y.possible.to_string())?;
                leaf(w, "SessionsAuthorised", &y.authorised.to_string())?;
                leaf(w, "SessionsAttended", &y.attended.to_string())?;
                leaf(w, "SessionsUnauthorised", &y.unauthorised.to_string())?;
                open(w, "AttendSessions")?;
                leaf(w, "AttendanceStartDate", &y.start.to_string())?;
                leaf(w, "AttendanceMarks", &y.marks)?;
                close(w, "AttendSessions")?;
                close(w, "YearData")?;
            }
            close(w, "Attendance")?;
        }
        close(w, "Pupil")?;
    }
    close(w, "CTFpupilData")?;
    close(w, "CTfile")
}

/// An element read whole: its name, text and children, so the file can be read by path.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Reads the XML into a tree; a syntax error names its byte position.
fn tree(xml: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(xml);
    // Not trimmed here: text arrives in pieces around entities (`St Mary &amp; St John`), and
    // trimming each piece would lose the spaces; a whole element's text is trimmed when read.
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("the XML does not read at byte {at}: {e}"))?;
        match event {
            Event::Start(e) => stack.push(Node {
                name: e.name().as_ref().to_string(),
                ..Node::default()
            }),
            Event::Empty(e) => {
                let node = Node {
                    name: e.name().as_ref().to_string(),
                    ..Node::default()
                };
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("an element closed that was not open")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Err("an element closed that was not open".into()),
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let text = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .ok_or_else(|| {
                            format!("a character reference that does not read at byte {at}")
                        })?
                } else {
                    match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(format!("an unknown entity `&{other};` at byte {at}")),
                    }
                };
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("the file ends inside an element".into());
    }
    stack
        .pop()
        .and_then(|root| root.children.into_iter().next())
        .ok_or_else(|| "the file has no elements".into())
}

/// Reads a CTF, all or nothing: every missing or bad element is named by its path (and the
/// pupil's UPN), and any problem refuses the whole file.
pub fn read(xml: &str) -> Result<CtfFile, Vec<String>> {
    let root = tree(xml).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    if root.name != "CTfile" {
        return Err(vec![format!(
            "the root element is `{}`, not CTfile",
            root.name
        )]);
    }
    let text = |node: Option<&Node>, path: &str, errors: &mut Vec<String>| -> String {
        match node {
            Some(n) => n.text.trim().to_string(),
            None => {
                errors.push(format!("{path} is missing"));
                String::new()
            }
        }
    };
    let header = root.child("Header");
    if header.is_none() {
        errors.push("CTfile/Header is missing".into());
    }
    let source = header.and_then(|h| h.child("SourceSchool"));
    let dest = header.and_then(|h| h.child("DestSchool"));
    let date_time_text = text(
        header.and_then(|h| h.child("DateTime")),
        "CTfile/Header/DateTime",
        &mut errors,
    );
    let date_time = NaiveDateTime::parse_from_str(&date_time_text, "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|_| {
            if !date_time_text.is_empty() {
                errors.push(format!(
                    "CTfile/Header/DateTime: `{date_time_text}` is not a date and time"
                ));
            }
            NaiveDateTime::default()
        });
    let academic = text(
        source.and_then(|s| s.child("AcademicYear")),
        "CTfile/Header/SourceSchool/AcademicYear",
        &mut errors,
    );
    let source_school = CtfSchool {
        lea: text(
            source.and_then(|s| s.child("LEA")),
            "CTfile/Header/SourceSchool/LEA",
            &mut errors,
        ),
        estab: text(
            source.and_then(|s| s.child("Estab")),
            "CTfile/Header/SourceSchool/Estab",
            &mut errors,
        ),
        name: text(
            source.and_then(|s| s.child("SchoolName")),
            "CTfile/Header/SourceSchool/SchoolName",
            &mut errors,
        ),
        academic_year: academic.parse().unwrap_or(0),
    };
    let dest_lea = text(
        dest.and_then(|d| d.child("LEA")),
        "CTfile/Header/DestSchool/LEA",
        &mut errors,
    );
    let dest_estab = text(
        dest.and_then(|d| d.child("Estab")),
        "CTfile/Header/DestSchool/Estab",
        &mut errors,
    );
    let mut pupils = Vec::new();
    let data = root.child("CTFpupilData");
    for (n, p) in data.iter().flat_map(|d| d.all("Pupil")).enumerate() {
        let upn = p
            .child("UPN")
            .map(|u| u.text.trim().to_string())
            .unwrap_or_default();
        let at = if upn.is_empty() {
            format!("CTfile/CTFpupilData/Pupil[{}]", n + 1)
        } else {
            format!("CTfile/CTFpupilData/Pupil[{}] ({upn})", n + 1)
        };
        if let Err(why) = crate::domain::people::check_upn(&upn) {
            errors.push(format!("{at}/UPN: {why}"));
        }
        let field = |name: &str, errors: &mut Vec<String>| {
            text(p.child(name), &format!("{at}/{name}"), errors)
        };
        let surname = field("Surname", &mut errors);
        let forename = field("Forename", &mut errors);
        let dob_text = field("DOB", &mut errors);
        let dob = crate::domain::dates::parse(&dob_text).unwrap_or_else(|why| {
            errors.push(format!("{at}/DOB: {why}"));
            NaiveDate::default()
        });
        let sex = match p.child("Sex") {
            None => None,
            Some(s) => Sex::parse(&s.text).unwrap_or_else(|why| {
                errors.push(format!("{at}/Sex: {why}"));
                None
            }),
        };
        let mut years = Vec::new();
        for (k, y) in p
            .child("Attendance")
            .iter()
            .flat_map(|a| a.all("YearData"))
            .enumerate()
        {
            let at = format!("{at}/Attendance/YearData[{}]", k + 1);
            let get = |name: &str, errors: &mut Vec<String>| {
                text(y.child(name), &format!("{at}/{name}"), errors)
            };
            let number = |name: &str, errors: &mut Vec<String>| -> u32 {
                let t = get(name, errors);
                t.parse().unwrap_or_else(|_| {
                    if !t.is_empty() {
                        errors.push(format!("{at}/{name}: `{t}` is not a number of sessions"));
                    }
                    0
                })
            };
            let sessions = y.child("AttendSessions");
            let start_text = text(
                sessions.and_then(|s| s.child("AttendanceStartDate")),
                &format!("{at}/AttendSessions/AttendanceStartDate"),
                &mut errors,
            );
            let start = crate::domain::dates::parse(&start_text).unwrap_or_else(|why| {
                errors.push(format!("{at}/AttendSessions/AttendanceStartDate: {why}"));
                NaiveDate::default()
            });
            let year = CtfYear {
                year: get("Year", &mut errors).parse().unwrap_or(0),
                lea: get("LEA", &mut errors),
                estab: get("Estab", &mut errors),
                school_name: get("SchoolName", &mut errors),
                possible: number("SessionsPossible", &mut errors),
                authorised: number("SessionsAuthorised", &mut errors),
                attended: number("SessionsAttended", &mut errors),
                unauthorised: number("SessionsUnauthorised", &mut errors),
                start,
                marks: text(
                    sessions.and_then(|s| s.child("AttendanceMarks")),
                    &format!("{at}/AttendSessions/AttendanceMarks"),
                    &mut errors,
                ),
            };
            // The marks must read, and give the totals the file states.
            match year.sessions() {
                Err(why) => errors.push(format!("{at}/AttendSessions/AttendanceMarks: {why}")),
                Ok(marks) => {
                    let mut tally = crate::domain::stats::Tally::default();
                    for (date, _, code) in &marks {
                        tally.add_code(*code, *date);
                    }
                    for (name, stated, counted) in [
                        ("SessionsPossible", year.possible, tally.possible()),
                        ("SessionsAuthorised", year.authorised, tally.authorised),
                        ("SessionsAttended", year.attended, tally.attended()),
                        (
                            "SessionsUnauthorised",
                            year.unauthorised,
                            tally.unauthorised,
                        ),
                    ] {
                        if stated != counted {
                            errors.push(format!(
                                "{at}/{name}: says {stated}, but the marks give {counted}"
                            ));
                        }
                    }
                }
            }
            years.push(year);
        }
        pupils.push(CtfPupil {
            upn,
            surname,
            forename,
            dob,
            sex,
            years,
        });
    }
    if data.is_none() {
        errors.push("CTfile/CTFpupilData is missing".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CtfFile {
        date_time,
        source: source_school,
        dest_lea,
        dest_estab,
        pupils,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_code_has_one_character_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let c = mark_char(*code);
            assert!(seen.insert(c), "{code} shares `{c}`");
            assert_eq!(code_of(c), Ok(Some(*code)), "{code}");
        }
        assert_eq!(code_of(NO_MARK), Ok(None));
        assert!(code_of('?').is_err());
    }

    #[test]
    fn a_file_reads_back_as_written_names_escaped_and_all() {
        let file = CtfFile {
            date_time: d("2026-11-23").and_hms_opt(12, 0, 0).unwrap(),
            source: CtfSchool {
                lea: "356".into(),
                estab: "2003".into(),
                name: "St Mary & St John's <Primary>".into(),
                academic_year: 2026,
            },
            dest_lea: "357".into(),
            dest_estab: "4001".into(),
            pupils: vec![CtfPupil {
                upn: "A100000000016".into(),
                surname: "O'Brien".into(),
                forename: "Zoë".into(),
                dob: d("2019-01-10"),
                sex: Some(Sex::F),
                years: vec![CtfYear {
                    year: 2026,
                    lea: "356".into(),
                    estab: "2003".into(),
                    school_name: "St Mary & St John's <Primary>".into(),
                    possible: 3,
                    authorised: 1,
                    attended: 2,
                    unauthorised: 0,
                    start: d("2026-11-23"),
                    marks: "/\\2-".into(),
                }],
            }],
        };
        let xml = write(&file);
        assert!(
            xml.contains("<SchoolName>St Mary &amp; St John&apos;s &lt;Primary&gt;</SchoolName>"),
            "{xml}"
        );
        assert_eq!(read(&xml).unwrap(), file);
    }

    #[test]
    fn a_bad_file_names_every_element_at_fault() {
        let xml = "<CTfile><Header><DateTime>yesterday</DateTime></Header>\
            <CTFpupilData><Pupil><UPN>A100000000016</UPN><Surname>Adams</Surname>\
            <DOB>2019-01-10</DOB><Sex>X</Sex><Attendance><YearData><Year>2026</Year>\
            <SessionsPossible>5</SessionsPossible><AttendSessions>\
            <AttendanceStartDate>2026-11-23</AttendanceStartDate>\
            <AttendanceMarks>/?</AttendanceMarks></AttendSessions></YearData></Attendance>\
            </Pupil></CTFpupilData></CTfile>";
        let errors = read(xml).unwrap_err().join("\n");
        for expected in [
            "CTfile/Header/DateTime: `yesterday` is not a date and time",
            "CTfile/Header/SourceSchool/LEA is missing",
            "Pupil[1] (A100000000016)/Forename is missing",
            "Pupil[1] (A100000000016)/Sex: `X` is not a sex",
            "YearData[1]/AttendSessions/AttendanceMarks: character 2 (2026-11-23 PM): `?` is not a mark",
        ] {
            assert!(errors.contains(expected), "{expected}\n{errors}");
        }
        assert!(read("<CTfile><Header>").unwrap_err()[0].contains("ends inside an element"));
        // A marks string that runs past 2100 is refused at the first session out of range.
        let year = CtfYear {
            year: 2100,
            lea: String::new(),
            estab: String::new(),
            school_name: String::new(),
            possible: 0,
            authorised: 0,
            attended: 0,
            unauthorised: 0,
            start: d("2100-12-31"),
            marks: "--/".into(),
        };
        let err = year.sessions().unwrap_err();
        assert!(err.starts_with("character 3 (2101-01-01):"), "{err}");
        assert!(read("not xml at all <").is_err());
    }
}

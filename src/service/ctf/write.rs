//! Writing a transfer file with quick-xml: every text escaped by it, never by hand.

use super::file::CtfFile;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

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
        // Mandatory in the core data: the engine refuses a pupil without it, and an empty
        // element is never written.
        if let Some(sex) = p.sex {
            leaf(w, "Sex", sex.as_str())?;
        }
        write_people(w, p, file.date_time.date())?;
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

/// The pupil's characteristics and contacts, where known. A contact not to be contacted is
/// left out: the CTF has no place for the flag, and a number sent without it would be
/// offered to call.
fn write_people(
    w: &mut Xml,
    p: &super::file::CtfPupil,
    on: chrono::NaiveDate,
) -> std::io::Result<()> {
    use crate::domain::people::Sen;
    if let Some(sen) = p.traits.sen {
        open(w, "SENhistory")?;
        open(w, "SEN")?;
        let provision = match sen {
            Sen::None => "N",
            Sen::Support => "K",
            Sen::Ehcp => "E",
        };
        leaf(w, "SENprovision", provision)?;
        close(w, "SEN")?;
        close(w, "SENhistory")?;
    }
    if let Some(lac) = p.traits.lac {
        open(w, "InCare")?;
        leaf(w, "InCare", if lac { "true" } else { "false" })?;
        close(w, "InCare")?;
    }
    if p.traits.fsm == Some(true) {
        // Eligible as of the file: rollcall knows that, not since when, so the instance opens
        // on the file's date; a pupil not eligible is a history with none open.
        open(w, "FSMhistory")?;
        open(w, "FSMinstance")?;
        leaf(w, "FSMstartDate", &on.to_string())?;
        close(w, "FSMinstance")?;
        close(w, "FSMhistory")?;
    } else if p.traits.fsm == Some(false) {
        w.create_element("FSMhistory").write_empty()?;
    }
    if let Some(eal) = p.traits.eal {
        open(w, "Languages")?;
        open(w, "Type")?;
        leaf(w, "LanguageType", "F")?;
        // rollcall knows whether the first language is English, not which other it is.
        leaf(w, "Language", if eal { "OTH" } else { "ENG" })?;
        close(w, "Type")?;
        close(w, "Languages")?;
    }
    let contacts: Vec<_> = p.contacts.iter().filter(|c| !c.no_contact).collect();
    if !contacts.is_empty() {
        open(w, "Contacts")?;
        for c in contacts {
            open(w, "Contact")?;
            leaf(w, "Order", &c.priority.to_string())?;
            // One name in rollcall: the last word is sent as the surname.
            let (forename, surname) = c.name.rsplit_once(' ').unwrap_or(("", &c.name));
            leaf(w, "Surname", surname)?;
            if !forename.is_empty() {
                leaf(w, "Forename", forename)?;
            }
            leaf(
                w,
                "Relationship",
                &super::people::relationship_code(&c.relationship),
            )?;
            leaf(
                w,
                "Responsibility",
                if c.parental_responsibility {
                    "true"
                } else {
                    "false"
                },
            )?;
            let phones: Vec<&str> = c
                .phone
                .split(';')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            if !phones.is_empty() {
                open(w, "Phones")?;
                for number in phones {
                    open(w, "Phone")?;
                    leaf(w, "PhoneNo", number)?;
                    close(w, "Phone")?;
                }
                close(w, "Phones")?;
            }
            if !c.email.is_empty() {
                leaf(w, "Email", &c.email)?;
            }
            close(w, "Contact")?;
        }
        close(w, "Contacts")?;
    }
    Ok(())
}

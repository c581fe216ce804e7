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

//! The letters the demo school's stages name (`meeting.txt`, `contract.txt`), so that
//! `rollcall letter` works on the demo as it does on a school that wrote its own. Written into
//! the user's `letters/` only where no file of that name is there: never over a school's own.

use std::path::{Path, PathBuf};

/// (file name, template): every `letter = "..."` in the demo's school.toml.
pub const TEMPLATES: [(&str, &str); 2] = [
    (
        "meeting.txt",
        "{date}\n\nDear Parent or Carer of {name},\n\n\
         {forename}'s attendance this school year is {attendance}%: {absent} of {possible} \
         sessions missed, {days_lost} school days lost ({why}).\n\n\
         We would like to meet you to talk about how we can help {forename} attend every day. \
         Please contact the school office to arrange a time.\n\n\
         Yours sincerely,\n\nAttendance Officer\n",
    ),
    (
        "contract.txt",
        "{date}\n\nDear Parent or Carer of {name},\n\n\
         Despite our meeting, {forename}'s attendance is {attendance}% ({days_lost} school days \
         lost this year, {unauthorised} sessions unauthorised). We now ask you to agree an \
         attendance contract with the school: what we will each do, and a date to review it.\n\n\
         Yours sincerely,\n\nHeadteacher\n",
    ),
];

/// Writes each template missing from `dir` (made if need be); the files written.
pub fn write_missing(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in TEMPLATES {
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(written)
}

//! The letters the demo school's stages name (`meeting.txt`, `contract.txt`), its termly
//! letter and its casework's (`termly.txt`, `leave-granted.txt`, `leave-refused.txt`,
//! `penalty.txt`), so that `rollcall letter` works on the demo as it does on a school that
//! wrote its own. Written into
//! the user's `letters/` only where no file of that name is there: never over a school's own.

use std::path::{Path, PathBuf};

/// (file name, template): every `letter = "..."` in the demo's school.toml.
pub const TEMPLATES: [(&str, &str); 6] = [
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
    (
        "termly.txt",
        "{date}\n\nDear Parent or Carer of {name},\n\n\
         From {from} to {to} {forename} attended {attendance}% of sessions: {absent} of \
         {possible} sessions missed, {days_lost} school days lost, {late} late arrivals.\n\n\
         Every day counts. Thank you for your support.\n\nYours sincerely,\n\nHeadteacher\n",
    ),
    (
        "leave-granted.txt",
        "{date}\n\nDear Parent or Carer of {name},\n\n\
         Thank you for your request of {asked} for leave from {from} to {to} ({reason}). \
         The headteacher has granted it: {note}. The days will be recorded as authorised \
         absence ({code}).\n\nYours sincerely,\n\nHeadteacher\n",
    ),
    (
        "leave-refused.txt",
        "{date}\n\nDear Parent or Carer of {name},\n\n\
         Thank you for your request of {asked} for leave from {from} to {to} ({reason}). \
         The headteacher cannot grant it: {note}. If your child is absent on those days the \
         absence will be unauthorised, and may lead to a penalty notice.\n\n\
         Yours sincerely,\n\nHeadteacher\n",
    ),
    (
        "penalty.txt",
        "{date}\n\nDear {parent},\n\n\
         A penalty notice was issued on {issued} for the absence of {name} ({note}). \
         The amount is {terms}.\n\nYours sincerely,\n\nHeadteacher\n",
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

//! The marks string: one character per session, and rollcall's choices where the CTF's own
//! convention was not found (`-` for no mark; two-character national codes as digits;
//! management-system sub-codes as their national code).

use crate::domain::codes::Code;

/// A session with no mark.
pub const NO_MARK: char = '-';

/// The national codes of two characters (2024), and the digit each is written as: no
/// one-character code stands for them, so rollcall writes a digit no code uses (SPEC §6.1).
pub const MARK_CHARS: [(Code, char); 10] = [
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
];

/// Characters earlier versions of rollcall wrote for the management systems' sub-codes,
/// still read from their files.
const OLD_SUB_CODE_CHARS: [(Code, char); 9] = [
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

/// The character a code is written as in `AttendanceMarks`: a sub-code goes as the
/// statutory code it stands for (`X01` as `X`, `I02` as `I`), which every system reads.
pub fn mark_char(code: Code) -> char {
    let code = code.national();
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
    if let Some((code, _)) = MARK_CHARS
        .iter()
        .chain(OLD_SUB_CODE_CHARS.iter())
        .find(|(_, k)| *k == c)
    {
        return Ok(Some(*code));
    }
    match Code::parse(&c.to_string()) {
        Some(code) if code.as_str().chars().count() == 1 => Ok(Some(code)),
        _ => Err(format!("`{c}` is not a mark")),
    }
}

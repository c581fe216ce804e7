//! Dates as people type them, and the range of dates a register can be about. A date outside
//! 1990-2100 is a typing mistake (`26-11-23` for 2026, a year 0), refused where it is read, so
//! no rule ever computes with it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// The earliest date rollcall accepts: before any register kept electronically.
pub fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid constant date")
}

/// The latest date rollcall accepts.
pub fn latest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid constant date")
}

/// Refuses a date outside 1990-2100, saying why.
pub fn check(date: NaiveDate) -> Result<NaiveDate, String> {
    if (earliest()..=latest()).contains(&date) {
        Ok(date)
    } else {
        Err(format!(
            "{} is outside the years rollcall keeps registers for (1990 to 2100)",
            show(date)
        ))
    }
}

/// A date as a message shows it, four-digit year and all.
fn show(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Splits `text` into three numbers at `sep`, each of exactly the given number of digits.
fn parts(text: &str, sep: char, widths: [usize; 3]) -> Option<[u32; 3]> {
    let mut out = [0u32; 3];
    let mut pieces = text.split(sep);
    for (slot, width) in out.iter_mut().zip(widths) {
        let piece = pieces.next()?;
        if piece.len() != width || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = piece.parse().ok()?;
    }
    pieces.next().is_none().then_some(out)
}

/// Parses `YYYY-MM-DD` (or `DD/MM/YYYY`, as English MIS exports write dates), with a
/// four-digit year in range.
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let date = if let Some([y, m, d]) = parts(text, '-', [4, 2, 2]) {
        NaiveDate::from_ymd_opt(y as i32, m, d)
    } else if let Some([d, m, y]) = parts(text, '/', [2, 2, 4]) {
        NaiveDate::from_ymd_opt(y as i32, m, d)
    } else {
        return Err(format!(
            "`{text}` is not a date: write YYYY-MM-DD (or DD/MM/YYYY), with the year in four digits"
        ));
    };
    let date = date.ok_or_else(|| format!("`{text}` is not a date (there is no such day)"))?;
    check(date)
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds optional, or a space for the `T`), the form of `--now`.
/// A session by its date: `YYYY-MM-DD:am`, `YYYY-MM-DD:pm`, or a date alone (`default`).
pub fn parse_session_at(
    text: &str,
    default: super::session::Session,
) -> Result<(NaiveDate, super::session::Session), String> {
    match text.trim().split_once(':') {
        Some((date, session)) => Ok((parse(date)?, session.parse()?)),
        None => Ok((parse(text)?, default)),
    }
}

pub fn parse_datetime(text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a date and time YYYY-MM-DDTHH:MM");
    let (date, time) = text.split_once(['T', ' ']).ok_or_else(bad)?;
    let date = parse(date).map_err(|e| if e.contains("outside") { e } else { bad() })?;
    let time = NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .map_err(|_| bad())?;
    Ok(NaiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_both_forms_with_four_digit_years() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse("2026-11-23"), Ok(d));
        assert_eq!(parse("23/11/2026"), Ok(d));
        assert!(parse("26-11-23").unwrap_err().contains("four digits"));
        assert!(parse("2026-11-31").unwrap_err().contains("no such day"));
        assert!(parse("-262143-01-01").is_err());
        assert!(parse("0000-01-01").unwrap_err().contains("outside"));
        assert!(parse("2101-01-01").unwrap_err().contains("1990 to 2100"));
        assert!(parse("1990-01-01").is_ok());
        assert!(parse("2026-1-5").is_err());
    }

    #[test]
    fn date_times_parse_with_or_without_seconds() {
        assert_eq!(
            parse_datetime("2026-11-23T08:50").unwrap().to_string(),
            "2026-11-23 08:50:00"
        );
        assert!(parse_datetime("2026-11-23 08:50:30").is_ok());
        assert!(parse_datetime("-262143-01-01T09:00").is_err());
        assert!(parse_datetime("2026-11-23T25:00").is_err());
        assert!(
            parse_datetime("0200-01-01T09:00")
                .unwrap_err()
                .contains("outside")
        );
    }
}

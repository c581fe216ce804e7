//! Reading one field of the configuration and saying exactly where it is wrong: the file, the
//! line and the field, in every error.

use crate::domain::session::parse_hm;
use chrono::NaiveDate;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
    pub(super) source: &'a str,
    /// Line of each field read so far, for errors found after parsing (the timing rules).
    pub(super) lines: HashMap<String, usize>,
}

impl Reader<'_> {
    pub(super) fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub(super) fn error<T>(
        &self,
        offset: usize,
        field: &str,
        message: impl std::fmt::Display,
    ) -> Result<T, ConfigError> {
        Err(ConfigError {
            file: self.file.to_string(),
            line: self.line_of(offset),
            message: format!("{field}: {message}"),
        })
    }

    pub(super) fn note<T>(&mut self, field: &str, value: &Spanned<T>) {
        let line = self.line_of(value.span().start);
        self.lines.insert(field.to_string(), line);
    }

    pub(super) fn date(
        &mut self,
        field: &str,
        value: &Spanned<String>,
    ) -> Result<NaiveDate, ConfigError> {
        self.note(field, value);
        crate::domain::dates::parse(value.get_ref())
            .or_else(|why| self.error(value.span().start, field, why))
    }

    pub(super) fn time(
        &mut self,
        field: &str,
        value: &Spanned<String>,
    ) -> Result<chrono::NaiveTime, ConfigError> {
        self.note(field, value);
        parse_hm(value.get_ref()).map_or_else(
            || {
                self.error(
                    value.span().start,
                    field,
                    format!("`{}` is not a time HH:MM", value.get_ref()),
                )
            },
            Ok,
        )
    }

    pub(super) fn digits(
        &self,
        field: &str,
        value: &Option<Spanned<String>>,
        len: usize,
    ) -> Result<Option<String>, ConfigError> {
        let Some(value) = value else { return Ok(None) };
        let text = value.get_ref().trim();
        if text.len() != len || !text.chars().all(|c| c.is_ascii_digit()) {
            return self.error(
                value.span().start,
                field,
                format!("`{text}` should be {len} digits"),
            );
        }
        Ok(Some(text.to_string()))
    }

    pub(super) fn non_empty(
        &self,
        field: &str,
        value: &Spanned<String>,
    ) -> Result<String, ConfigError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return self.error(value.span().start, field, "must not be empty");
        }
        if let Err(why) = crate::domain::text::check_line("the text", text) {
            return self.error(value.span().start, field, why);
        }
        Ok(text.to_string())
    }

    /// An operating-system account name, as `tutors` lists them.
    pub(super) fn account(
        &self,
        field: &str,
        value: &Spanned<String>,
    ) -> Result<String, ConfigError> {
        let text = self.non_empty(field, value)?;
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return self.error(
                value.span().start,
                field,
                format!("`{text}` is not an account name (letters, digits, . _ -)"),
            );
        }
        Ok(text)
    }
}

//! `[[groups]]` (registration groups and their tutors) and `[codes]` (what teachers may
//! enter).

use super::raw::{RawCodes, RawGroup};
use super::reader::{ConfigError, Reader};
use crate::domain::codes::{Code, default_teacher_codes, for_new_mark};
use crate::domain::people::Group;
use std::collections::HashMap;

/// More registration groups than any school has is a mistake (a generated file gone wrong).
pub const MAX_GROUPS: usize = 1000;

pub(super) fn read_groups(r: &Reader, raw: &[RawGroup]) -> Result<Vec<Group>, ConfigError> {
    if raw.is_empty() {
        return Err(ConfigError {
            file: r.file.to_string(),
            line: 1,
            message: "groups: no [[groups]]: a school needs at least one registration group to take a register in".into(),
        });
    }
    if raw.len() > MAX_GROUPS {
        return r.error(
            raw[MAX_GROUPS].name.span().start,
            &format!("groups[{MAX_GROUPS}]"),
            format!(
                "{} groups: a school has at most {MAX_GROUPS} registration groups",
                raw.len()
            ),
        );
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut group_names: HashMap<String, usize> = HashMap::new();
    for (i, g) in raw.iter().enumerate() {
        let field = format!("groups[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &g.name)?;
        if group_names.insert(name.clone(), i).is_some() {
            return r.error(
                g.name.span().start,
                &format!("{field}.name"),
                format!("group `{name}` is defined twice"),
            );
        }
        let mut tutors = Vec::new();
        for (j, t) in g.tutors.iter().enumerate() {
            tutors.push(r.account(&format!("{field}.tutors[{j}]"), t)?);
        }
        groups.push(Group { name, tutors });
    }
    Ok(groups)
}

pub(super) fn read_teacher_codes(
    r: &Reader,
    raw: &Option<RawCodes>,
) -> Result<Vec<Code>, ConfigError> {
    let teacher_codes = match raw {
        None => default_teacher_codes(),
        Some(codes) => {
            let mut list = Vec::new();
            for text in codes.teacher.get_ref() {
                let code = for_new_mark(text).or_else(|e| {
                    r.error(codes.teacher.span().start, "codes.teacher", e.to_string())
                })?;
                if !list.contains(&code.code) {
                    list.push(code.code);
                }
            }
            for needed in [Code::PresentAm, Code::PresentPm] {
                if !list.contains(&needed) {
                    return r.error(
                        codes.teacher.span().start,
                        "codes.teacher",
                        format!("teachers must be able to enter {needed} (present): add it"),
                    );
                }
            }
            list
        }
    };
    Ok(teacher_codes)
}

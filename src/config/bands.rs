//! `[[bands]]`: the school's attendance bands (seed 002's A to G), highest first.

use super::raw::RawBand;
use super::reader::{ConfigError, Reader};
use crate::domain::stats::Band;
use std::collections::BTreeSet;

pub(super) fn read_bands(r: &Reader, raw: &[RawBand]) -> Result<Vec<Band>, ConfigError> {
    let mut bands = Vec::new();
    let mut band_names = BTreeSet::new();
    for (i, b) in raw.iter().enumerate() {
        let field = format!("bands[{i}]");
        let name = r.non_empty(&format!("{field}.name"), &b.name)?;
        if !band_names.insert(name.clone()) {
            return r.error(
                b.name.span().start,
                &format!("{field}.name"),
                format!("band `{name}` is defined twice"),
            );
        }
        let min = *b.min.get_ref();
        if !(0.0..=100.0).contains(&min) {
            return r.error(
                b.min.span().start,
                &format!("{field}.min"),
                format!("{min} is not a percentage from 0 to 100"),
            );
        }
        if let Err(why) = crate::domain::text::check_line("the label", &b.label) {
            return r.error(b.name.span().start, &format!("{field}.label"), why);
        }
        bands.push(Band {
            name,
            label: b.label.trim().to_string(),
            min,
        });
    }
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));
    Ok(bands)
}

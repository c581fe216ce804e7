//! Several school years of the demo, as a school lives them: each September the children move
//! up a year, the oldest leave and a new Reception class joins, and the school imports its new
//! pupil list. A child is a birth cohort and a place in it; in each year they are at the
//! school they sit in the group of their year group at their place, so every year has the
//! same number of pupils on roll and no child is marked before they could be at school.

use super::names::{FORENAMES, SURNAMES};
use super::people::{DemoPupil, habit};
use super::rng::Rng;
use crate::domain::people::{Pupil, Sex, YearGroup, upn_with_check_letter};
use chrono::{Datelike, Days, NaiveDate};

/// Reception is the demo's youngest year group (0), Year 6 its oldest (6).
fn rank(year: YearGroup) -> i32 {
    match year {
        YearGroup::Year(n) => i32::from(n),
        _ => 0,
    }
}

fn year_group(rank: i32) -> YearGroup {
    match rank {
        0 => YearGroup::Reception,
        n => YearGroup::Year(n.clamp(1, 14) as u8),
    }
}

/// Every child the school has over the years, and where each sits.
pub(super) struct Cohorts {
    /// Per year group (by rank), the groups' indices of its places in order: a place's group.
    places: Vec<Vec<usize>>,
    /// (September a cohort starts Reception, place) → the child.
    children: std::collections::BTreeMap<(i32, usize), (Pupil, usize)>,
}

impl Cohorts {
    /// `count` places over the groups (as a single year's demo spreads them), and the children
    /// who fill them from `first_year` to `this_year` (each the year a September falls in).
    pub(super) fn new(
        count: u32,
        groups: &[(String, String, YearGroup)],
        first_year: i32,
        this_year: i32,
        rng: &mut Rng,
    ) -> Cohorts {
        let mut places: Vec<Vec<usize>> = vec![Vec::new(); 7];
        for i in 0..count as usize {
            let g = i % groups.len();
            places[rank(groups[g].2).clamp(0, 6) as usize].push(g);
        }
        let mut children = std::collections::BTreeMap::new();
        // Cohorts in Reception from six years before the first year (then in Year 6) to now.
        for start in (first_year - 6)..=this_year {
            for rank in 0..=6 {
                let year = start + rank;
                if year < first_year || year > this_year {
                    continue;
                }
                for place in 0..places[rank as usize].len() {
                    children.entry((start, place)).or_insert_with(|| {
                        let n = children_made(start, place, first_year);
                        // Born in the school year before the September they turn 5.
                        let dob = NaiveDate::from_ymd_opt(start - 5, 9, 1).unwrap_or_default()
                            + Days::new(rng.below(365));
                        let now_rank = this_year - start;
                        (
                            Pupil {
                                upn: upn_with_check_letter(&format!(
                                    "{:012}",
                                    998_000_000_000u64 + n
                                )),
                                surname: rng.pick(SURNAMES).to_string(),
                                forename: rng.pick(FORENAMES).to_string(),
                                dob,
                                year: year_group(now_rank),
                                sex: Some(if rng.below(2) == 0 { Sex::F } else { Sex::M }),
                            },
                            n as usize,
                        )
                    });
                }
            }
        }
        Cohorts { places, children }
    }

    /// The pupils on roll in the school year that starts in September of `year`, each in
    /// their group that year and with that year's year group.
    pub(super) fn on_roll(&self, year: i32) -> Vec<DemoPupil> {
        let mut out = Vec::new();
        for (rank, places) in self.places.iter().enumerate() {
            let start = year - rank as i32;
            for (place, group) in places.iter().enumerate() {
                if let Some((pupil, n)) = self.children.get(&(start, place)) {
                    let mut pupil = pupil.clone();
                    pupil.year = year_group(rank as i32);
                    out.push((pupil, *group, habit(*n)));
                }
            }
        }
        out
    }
}

/// A number for each child, unique over the cohorts.
fn children_made(start: i32, place: usize, first_year: i32) -> u64 {
    (start - first_year + 7) as u64 * 10_000 + place as u64
}

/// The September of the school year `date` falls in.
pub(super) fn school_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    }
}

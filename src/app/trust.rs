//! The trust's screen (SPEC §8.9), `rollcall --postgres URL`: each school's attendance this
//! school year against the trust's target, and the chosen school's weeks. Read-only: what
//! the trust's database holds. Its state changes only in [`update`].

use super::nav::ListTop;
use crate::domain::stats::Tally;
use crate::trust::report::TrustRow;
use chrono::NaiveDate;

#[derive(Debug, Default)]
pub struct TrustScreen {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub target: f64,
    /// Each school, then the trust's total.
    pub rows: Vec<TrustRow>,
    /// (URN, the week's Monday, its figures), in order.
    pub weeks: Vec<(String, NaiveDate, Tally)>,
    pub cursor: usize,
    pub top: ListTop,
    /// What went wrong reading the database, shown until the next read.
    pub message: Option<String>,
    pub loaded: bool,
    pub quit: bool,
}

#[derive(Debug)]
pub enum TrustAction {
    Up,
    Down,
    Top,
    Bottom,
    Loaded {
        rows: Vec<TrustRow>,
        weeks: Vec<(String, NaiveDate, Tally)>,
    },
    Failed(String),
    Quit,
}

impl TrustScreen {
    pub fn new(from: NaiveDate, to: NaiveDate, target: f64) -> TrustScreen {
        TrustScreen {
            from,
            to,
            target,
            ..TrustScreen::default()
        }
    }

    /// The chosen row (a school, or the trust).
    pub fn chosen(&self) -> Option<&TrustRow> {
        self.rows.get(self.cursor)
    }

    /// The chosen school's weeks (the trust's: every school's summed).
    pub fn weeks_of_chosen(&self) -> Vec<(NaiveDate, Tally)> {
        let Some(row) = self.chosen() else {
            return Vec::new();
        };
        let mut weeks: std::collections::BTreeMap<NaiveDate, Tally> = Default::default();
        for (urn, monday, tally) in &self.weeks {
            if row.is_trust() || *urn == row.urn {
                weeks.entry(*monday).or_default().merge(tally);
            }
        }
        weeks.into_iter().collect()
    }
}

pub fn update(s: &mut TrustScreen, action: TrustAction) {
    let last = s.rows.len().saturating_sub(1);
    match action {
        TrustAction::Up => s.cursor = s.cursor.saturating_sub(1),
        TrustAction::Down => s.cursor = (s.cursor + 1).min(last),
        TrustAction::Top => s.cursor = 0,
        TrustAction::Bottom => s.cursor = last,
        TrustAction::Loaded { rows, weeks } => {
            // The same school stays chosen across a reload.
            let chosen = s.chosen().map(|r| r.urn.clone());
            s.rows = rows;
            s.weeks = weeks;
            s.cursor = chosen
                .and_then(|urn| s.rows.iter().position(|r| r.urn == urn))
                .unwrap_or(0);
            s.message = None;
            s.loaded = true;
        }
        TrustAction::Failed(why) => s.message = Some(why),
        TrustAction::Quit => s.quit = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(urn: &str, present: u32) -> TrustRow {
        TrustRow {
            urn: urn.into(),
            school: format!("School {urn}"),
            year: None,
            pupils: 1,
            tally: Tally {
                present,
                ..Tally::default()
            },
            pa: 0,
            sa: 0,
        }
    }

    #[test]
    fn the_cursor_stays_on_its_school_across_a_reload_and_in_bounds() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut s = TrustScreen::new(d("2026-09-01"), d("2026-12-02"), 96.0);
        update(&mut s, TrustAction::Down);
        assert_eq!(s.cursor, 0, "nothing to move to");
        let weeks = vec![
            (
                "1".to_string(),
                d("2026-11-23"),
                Tally {
                    present: 2,
                    ..Tally::default()
                },
            ),
            (
                "2".to_string(),
                d("2026-11-23"),
                Tally {
                    present: 3,
                    ..Tally::default()
                },
            ),
        ];
        update(
            &mut s,
            TrustAction::Loaded {
                rows: vec![row("1", 5), row("2", 6), row("", 11)],
                weeks: weeks.clone(),
            },
        );
        update(&mut s, TrustAction::Down);
        assert_eq!(s.chosen().unwrap().urn, "2");
        assert_eq!(s.weeks_of_chosen()[0].1.present, 3);
        update(
            &mut s,
            TrustAction::Loaded {
                rows: vec![row("0", 1), row("1", 5), row("2", 6), row("", 12)],
                weeks,
            },
        );
        assert_eq!(s.chosen().unwrap().urn, "2", "still the same school");
        update(&mut s, TrustAction::Bottom);
        assert!(s.chosen().unwrap().is_trust());
        assert_eq!(
            s.weeks_of_chosen()[0].1.present,
            5,
            "the trust sums its schools"
        );
        update(&mut s, TrustAction::Failed("gone".into()));
        assert_eq!(s.message.as_deref(), Some("gone"));
    }
}

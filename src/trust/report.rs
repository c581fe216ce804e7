//! `rollcall trust report` (SPEC §8.9): each school's figures and the trust's, computed in
//! SQL on the trust's database (sums of sessions by class, and PA and SA counted pupil by
//! pupil there), turned into rates by the same [`Tally`] every report here uses: a school's
//! row equals that school's own `rollcall report --by school` for the period.

use crate::domain::stats::{PERSISTENT_ABSENCE_PERCENT, SEVERE_ABSENCE_PERCENT, Tally};
use chrono::NaiveDate;

/// What the rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrustBy {
    School,
    /// Each school's pupils by their year group.
    Year,
    /// All pupils, then each characteristic (as `report --by cohort`; a child protection
    /// plan is not published, so not here), each school's and the trust's.
    Cohort,
}

/// The cohorts in the DfE's order, with the condition on a published pupil that puts them
/// in it (a characteristic not held counts as not having it, as the school's report does).
const COHORTS: [(&str, &str); 10] = [
    ("all pupils", "true"),
    ("fsm", "coalesce(p.fsm, false)"),
    ("not fsm", "NOT coalesce(p.fsm, false)"),
    ("sen support", "p.sen = 'K'"),
    ("ehc plan", "p.sen = 'E'"),
    ("no sen", "coalesce(p.sen, 'N') = 'N'"),
    ("pp", "coalesce(p.pp, false)"),
    ("lac", "coalesce(p.lac, false)"),
    ("cin", "coalesce(p.cin, false)"),
    ("eal", "coalesce(p.eal, false)"),
];

/// One row: a school (or a school's year group), or the trust's total (`urn` empty).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TrustRow {
    pub urn: String,
    pub school: String,
    /// The year group, in a report by year; the cohort, in a report by cohort.
    pub year: Option<String>,
    pub pupils: u32,
    pub tally: Tally,
    pub pa: u32,
    pub sa: u32,
}

impl TrustRow {
    pub fn is_trust(&self) -> bool {
        self.urn.is_empty()
    }
}

/// The pupils' counts by class in the period, one row each, then summed by school (and year)
/// with the trust's total rolled up.
fn sql(by: TrustBy) -> String {
    let join = "LEFT JOIN rollcall.pupils p ON p.urn = pp.urn AND p.upn = pp.upn";
    let measures = "pp.*, pp.present + pp.aea + pp.authorised + pp.unauthorised AS possible, \
                    pp.authorised + pp.unauthorised AS absent";
    // Each pupil once (by school, by year), or once in every cohort they are in.
    let (counted, sets) = match by {
        TrustBy::School => (
            format!("SELECT {measures}, NULL::text AS part FROM per_pupil pp"),
            "(s.urn, c.part), ()",
        ),
        TrustBy::Year => (
            format!("SELECT {measures}, p.year_group AS part FROM per_pupil pp {join}"),
            "(s.urn, c.part), ()",
        ),
        TrustBy::Cohort => (
            COHORTS
                .iter()
                .map(|(name, condition)| {
                    format!(
                        "SELECT {measures}, '{name}'::text AS part FROM per_pupil pp {join} \
                         WHERE {condition}"
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL "),
            "(s.urn, c.part), (c.part)",
        ),
    };
    format!(
        "WITH per_pupil AS (
            SELECT urn, upn,
                count(*) FILTER (WHERE class = 'present') AS present,
                count(*) FILTER (WHERE class = 'aea') AS aea,
                count(*) FILTER (WHERE class = 'authorised') AS authorised,
                count(*) FILTER (WHERE class = 'unauthorised') AS unauthorised,
                count(*) FILTER (WHERE class = 'not_possible') AS not_possible
            FROM rollcall.sessions
            WHERE date BETWEEN $1 AND $2
            GROUP BY urn, upn
        ), counted AS ({counted})
        SELECT s.urn, max(s.name), c.part, count(c.upn),
            sum(c.present)::bigint, sum(c.aea)::bigint, sum(c.authorised)::bigint,
            sum(c.unauthorised)::bigint, sum(c.not_possible)::bigint,
            count(c.upn) FILTER (WHERE c.possible > 0 AND c.absent * 100 >= c.possible * {PERSISTENT_ABSENCE_PERCENT}),
            count(c.upn) FILTER (WHERE c.possible > 0 AND c.absent * 100 >= c.possible * {SEVERE_ABSENCE_PERCENT}),
            GROUPING(s.urn)
        FROM rollcall.schools s LEFT JOIN counted c ON c.urn = s.urn
        GROUP BY GROUPING SETS ({sets})"
    )
}

/// The report from `from` to `to`: schools by name (each school's years in order under it;
/// a school with no sessions in the period a row of noughts, as its own report has), the
/// trust's total last.
pub fn trust_report(
    pg: &mut postgres::Client,
    from: NaiveDate,
    to: NaiveDate,
    by: TrustBy,
) -> Result<Vec<TrustRow>, String> {
    super::schema::check(pg)?;
    let rows = pg
        .query(&sql(by), &[&from, &to])
        .map_err(|e| format!("the trust report: {}", super::errors::pg_error(&e)))?;
    // Counts, and sums cast to bigint in the query.
    let count = |row: &postgres::Row, i: usize| -> u32 {
        row.get::<_, Option<i64>>(i)
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX)) as u32
    };
    let mut out: Vec<TrustRow> = rows
        .iter()
        .map(|row| {
            let total: i32 = row.get(11);
            TrustRow {
                urn: if total == 1 {
                    String::new()
                } else {
                    row.get::<_, Option<String>>(0).unwrap_or_default()
                },
                school: if total == 1 {
                    "the trust".into()
                } else {
                    row.get::<_, Option<String>>(1).unwrap_or_default()
                },
                year: row.get(2),
                pupils: count(row, 3),
                tally: Tally {
                    present: count(row, 4),
                    aea: count(row, 5),
                    authorised: count(row, 6),
                    unauthorised: count(row, 7),
                    not_possible: count(row, 8),
                },
                pa: count(row, 9),
                sa: count(row, 10),
            }
        })
        .collect();
    if by == TrustBy::Cohort {
        // A school with nothing in the period gives the trust a cohort of no name.
        out.retain(|r| !(r.is_trust() && r.year.is_none()));
    }
    let order = |r: &TrustRow| match by {
        TrustBy::Cohort => (
            0,
            COHORTS
                .iter()
                .position(|(name, _)| Some(*name) == r.year.as_deref())
                .unwrap_or(usize::MAX) as u8,
            String::new(),
        ),
        _ => year_order(&r.year),
    };
    out.sort_by(|a, b| {
        (a.is_trust(), &a.school, &a.urn, order(a)).cmp(&(
            b.is_trust(),
            &b.school,
            &b.urn,
            order(b),
        ))
    });
    Ok(out)
}

/// Year groups in school order: nursery, reception, then 1 to 14.
fn year_order(year: &Option<String>) -> (u8, u8, String) {
    match year.as_deref() {
        None => (0, 0, String::new()),
        Some(y) => match y.parse::<u8>() {
            Ok(n) => (2, n, String::new()),
            Err(_) => (1, 0, y.to_string()),
        },
    }
}

/// Each school's figures week by week (Monday first), summed in SQL: (URN, Monday, figures).
pub fn weekly(
    pg: &mut postgres::Client,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, NaiveDate, Tally)>, String> {
    let rows = pg
        .query(
            "SELECT urn, date_trunc('week', date)::date AS monday,
                count(*) FILTER (WHERE class = 'present'),
                count(*) FILTER (WHERE class = 'aea'),
                count(*) FILTER (WHERE class = 'authorised'),
                count(*) FILTER (WHERE class = 'unauthorised'),
                count(*) FILTER (WHERE class = 'not_possible')
            FROM rollcall.sessions WHERE date BETWEEN $1 AND $2
            GROUP BY urn, monday ORDER BY urn, monday",
            &[&from, &to],
        )
        .map_err(|e| format!("the weeks: {}", super::errors::pg_error(&e)))?;
    let n =
        |row: &postgres::Row, i: usize| row.get::<_, i64>(i).clamp(0, i64::from(u32::MAX)) as u32;
    Ok(rows
        .iter()
        .map(|row| {
            (
                row.get(0),
                row.get(1),
                Tally {
                    present: n(row, 2),
                    aea: n(row, 3),
                    authorised: n(row, 4),
                    unauthorised: n(row, 5),
                    not_possible: n(row, 6),
                },
            )
        })
        .collect())
}

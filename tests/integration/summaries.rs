//! The summaries kept with each month equal a full recount, whatever the history: random
//! marks, amendments, clears and pre-entries over a term (proptest), then every month's
//! summary against its marks, and `report` (which reads the summaries) against a recount of
//! the exported marks with the same rules (the range, and sessions begun by now).

use crate::common::*;
use proptest::prelude::*;
use rollcall::domain::codes::Code;
use rollcall::domain::session::Session;
use rollcall::domain::stats::Tally;
use rollcall::service::protocol::RegisterId;
use rollcall::service::protocol::{Expect, ReportBy, Request};
use rollcall::store::month;
use std::collections::BTreeMap;

/// 64 histories in the suite; `PROPTEST_CASES=2000` for a deeper run.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The office's codes: presence and what happened (past sessions only), planned absences
/// (any session), and a clear.
const CODES: &[&str] = &[
    "/", "L", "N", "O", "U", "M", "I", "G", "V", "E", "#", "clear",
];

#[derive(Debug, Clone)]
struct Op {
    pupil: usize,
    day: u64,
    pm: bool,
    code: &'static str,
}

fn op() -> impl Strategy<Value = Op> {
    (0usize..8, 0u64..110, any::<bool>(), 0usize..CODES.len()).prop_map(|(pupil, day, pm, c)| Op {
        pupil,
        day,
        pm,
        code: CODES[c],
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn summaries_equal_a_recount(ops in proptest::collection::vec(op(), 1..120), from in 0u64..100, len in 0u64..120) {
        let now = "2026-11-20T11:00";
        let school = TestSchool::new(now);
        let mut office = school.client("office");
        let start = d("2026-09-01");
        for op in &ops {
            let date = start + chrono::Days::new(op.day);
            let session = if op.pm { Session::Pm } else { Session::Am };
            let group = if op.pupil < 5 { "Oak" } else { "Ash" };
            let result = if op.code == "clear" {
                office.clear(Request::Clear {
                    register: RegisterId {
 group: group.into(),
 date,
 session,
 },
                    upn: upn(op.pupil),
                    reason: Some("a mistake".into()),
                    expect: Expect::Anything,
                }).map(|_| ())
            } else {
                let mut m = mark(group, &date.to_string(), session.as_str(), &upn(op.pupil), op.code);
                m.reason = Some("from the paper register".into());
                if op.code == "L" || op.code == "U" {
                    m.arrived = chrono::NaiveTime::from_hms_opt(if op.code == "L" { 9 } else { 10 }, 12, 0);
                    if op.pm {
                        m.arrived = chrono::NaiveTime::from_hms_opt(if op.code == "L" { 13 } else { 14 }, 20, 0);
                    }
                }
                office.mark(m).map(|_| ())
            };
            // Refusals (a weekend, the future for a present mark...) are part of the history.
            let _ = result;
        }

        // Every month's summary against its marks.
        let r = school.engine.store().read().unwrap();
        r.each_month(0, u32::MAX, |_, m, bytes| {
            let header = month::header(bytes).unwrap();
            let marks = month::Month::decode(m, bytes).unwrap();
            let mut counted: BTreeMap<Code, u32> = BTreeMap::new();
            let (mut lates, mut minutes) = (0, 0);
            let mut by_weekday = rollcall::domain::figures::Detail::default();
            let first = month::first_day(m).unwrap();
            for slot in &marks.slots {
                *counted.entry(slot.code).or_default() += 1;
                if let (Code::L, Some(late)) = (slot.code, slot.minutes_late) {
                    lates += 1;
                    minutes += u32::from(late);
                }
                by_weekday.add(slot.code, first + chrono::Days::new(u64::from(slot.day - 1)), None);
            }
            assert_eq!(header.summary.codes, counted.into_iter().collect::<Vec<_>>());
            assert_eq!((header.summary.timed_lates, header.summary.minutes_late), (lates, minutes));
            assert_eq!(header.summary.weekdays, Some(by_weekday.by_weekday));
            Ok(true)
        }).unwrap();
        drop(r);

        // The report against a recount of the marks it covers.
        let from = start + chrono::Days::new(from);
        let to = from + chrono::Days::new(len);
        let plan = rollcall::config::parse_school("school.toml", EXAMPLE).unwrap().sessions;
        let mut recount: BTreeMap<String, Tally> = BTreeMap::new();
        for row in office.export(from, to, None).unwrap() {
            let session: Session = row.session;
            if plan.has_begun(row.date, session, at(now)) {
                let code = row.code;
                recount.entry(row.upn.clone()).or_default().add_code(code, row.date);
            }
        }
        let report: BTreeMap<String, Tally> = office
            .report(from, to, ReportBy::Pupil, Default::default())
            .unwrap()
            .into_iter()
            .map(|r| (r.key, r.tally))
            .collect();
        prop_assert_eq!(report, recount);
    }
}

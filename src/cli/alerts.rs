//! `rollcall alerts`: thresholds reached and what was done about each; `alerts act` records
//! an action.

use super::error::CliResult;
use super::output::write_rows;
use super::values::Format;
use crate::service::protocol::Alert;
use std::io::Write;

fn evidence_text(alert: &Alert) -> String {
    alert
        .evidence
        .iter()
        .map(|m| format!("{} {} {}", m.date, m.session.label(), m.code))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn write_alerts(out: &mut impl Write, alerts: &[Alert], format: Format) -> CliResult {
    let header = [
        "upn",
        "name",
        "group",
        "threshold",
        "summary",
        "evidence",
        "acted",
    ];
    let rows: Vec<Vec<String>> = alerts
        .iter()
        .map(|a| {
            let evidence = if format == Format::Table && a.evidence.len() > 4 {
                let first: Vec<String> = a.evidence[..3]
                    .iter()
                    .map(|m| format!("{} {} {}", m.date, m.session.label(), m.code))
                    .collect();
                format!("{}; ... ({} sessions)", first.join("; "), a.evidence.len())
            } else {
                evidence_text(a)
            };
            vec![
                a.upn.clone(),
                a.name.clone(),
                a.group.clone().unwrap_or_default(),
                a.kind.as_str().to_string(),
                a.summary.clone(),
                evidence,
                a.acted
                    .as_ref()
                    .map(|d| {
                        format!(
                            "{} by {} ({}): {}",
                            d.at.format("%Y-%m-%d %H:%M"),
                            d.name,
                            d.position,
                            d.note
                        )
                    })
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Table && alerts.is_empty() {
        writeln!(out, "no thresholds reached")?;
        return Ok(());
    }
    write_rows(out, &header, &rows, format, || {
        serde_json::to_value(alerts).unwrap_or_default()
    })
}

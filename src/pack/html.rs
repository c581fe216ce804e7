//! The governors' pack as one HTML file (SPEC §3.8): tables and inline SVG charts, no script
//! and nothing fetched, laid out to print on A4. Pure: the gathered figures in, the page out.

use super::gather::{Pack, reasons};
use crate::domain::stats::{Tally, round1, share};
use crate::service::protocol::ReportRow;
use std::fmt::Write;

/// Text made safe inside HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn pct(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{:.1}%", round1(v)))
}

const STYLE: &str = "
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 'DejaVu Sans', Arial, sans-serif; color: #111; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
p.sub { margin: 0 0 4mm; color: #444; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; }
th, td { border: 0.3mm solid #999; padding: 1mm 2mm; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eee; }
.met { color: #1a6b2a; font-weight: bold; }
.missed { color: #a01818; font-weight: bold; }
svg { width: 100%; height: auto; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #555; }
";

/// Bars of percentages with a dashed target line, labelled under each bar.
/// An attendance chart's range: from a little under its lowest bar (or the target) to 100%.
fn attendance_range(bars: &[(String, Option<f64>)], target: Option<f64>) -> (f64, f64) {
    let low = bars
        .iter()
        .filter_map(|(_, v)| *v)
        .fold(target.unwrap_or(100.0), f64::min);
    (((low - 2.0) / 2.0).floor().max(0.0) * 2.0, 100.0)
}

fn bar_chart(
    title: &str,
    bars: &[(String, Option<f64>)],
    target: Option<f64>,
    (floor, top): (f64, f64),
) -> String {
    let (width, height, left, bottom) = (700.0, 220.0, 40.0, 30.0);
    let plot = height - bottom - 10.0;
    let y = |v: f64| 10.0 + plot * (1.0 - (v - floor) / (top - floor).max(0.1));
    let step = (width - left) / bars.len().max(1) as f64;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(title)
    );
    for tick in [floor, (floor + top) / 2.0, top] {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{width}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{tick:.1}%</text>",
            left - 4.0,
            y(tick) + 3.0,
            y0 = y(tick)
        );
    }
    for (i, (label, value)) in bars.iter().enumerate() {
        let x = left + step * i as f64 + step * 0.15;
        if let Some(v) = value {
            let top = y(v.max(floor));
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4a78b5\">\
                 <title>{} {:.1}%</title></rect>",
                step * 0.7,
                (10.0 + plot - top).max(0.0),
                esc(label),
                v
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            x + step * 0.35,
            height - bottom + 14.0,
            esc(label)
        );
    }
    if let Some(t) = target {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{width}\" y1=\"{yt:.1}\" y2=\"{yt:.1}\" stroke=\"#a01818\" \
             stroke-dasharray=\"6 4\"/><text x=\"{width}\" y=\"{:.1}\" font-size=\"10\" \
             text-anchor=\"end\" fill=\"#a01818\">target {t}%</text>",
            y(t) - 3.0,
            yt = y(t)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", esc(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// A cohort smaller than this is not shown: its figures could name its pupils.
const SMALLEST_COHORT: u32 = 5;

/// A cohort as a governor reads it.
fn cohort_name(key: &str) -> String {
    match key {
        "fsm" => "FSM (free school meals)",
        "not fsm" => "not FSM",
        "sen support" => "SEN support",
        "ehc plan" => "EHC plan",
        "no sen" => "no SEN",
        "pp" => "PP (pupil premium)",
        "lac" => "looked after (LAC)",
        "cin" => "child in need (CIN)",
        "eal" => "EAL (English an additional language)",
        other => other,
    }
    .to_string()
}

/// A report row's figures as the pack's tables give them.
fn figures_row(label: &str, r: &ReportRow) -> Vec<String> {
    vec![
        label.to_string(),
        r.pupils.to_string(),
        pct(r.tally.attendance_pct()),
        pct(r.tally.authorised_pct()),
        pct(r.tally.unauthorised_pct()),
        format!("{} ({})", r.pa, pct(share(r.pa, r.pupils))),
        format!("{} ({})", r.sa, pct(share(r.sa, r.pupils))),
    ]
}

const FIGURES: [&str; 7] = [
    "",
    "pupils",
    "attendance",
    "authorised absence",
    "unauthorised absence",
    "persistently absent (10%+)",
    "severely absent (50%+)",
];

pub fn render(p: &Pack) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <title>{school}: attendance, {term}</title><style>{STYLE}</style></head><body>\
         <h1>{school}: attendance, {term}</h1><p class=\"sub\">{from} to {to}; figures as of \
         {made}. Pupils are counted here, never named.</p>",
        school = esc(&p.school),
        term = esc(&p.term),
        from = p.from.format("%-d %B %Y"),
        to = p.to.format("%-d %B %Y"),
        made = p.made.format("%-d %B %Y %H:%M"),
    );
    // The headline, against the target and the same dates a year before.
    let attendance = p.figures.tally.attendance_pct();
    let met = attendance.is_some_and(|a| round1(a) >= p.target);
    let _ = write!(
        out,
        "<section><h2>Attendance against the target</h2><p>Attendance this term is \
         <span class=\"{}\">{}</span> against the target of {}%: {}.</p>",
        if met { "met" } else { "missed" },
        pct(attendance),
        p.target,
        if met { "met" } else { "not met" }
    );
    let mut rows = vec![figures_row("this term", &p.figures)];
    match &p.last_year {
        Some((from, to, r)) => rows.push(figures_row(
            &format!("{} to {}", from.format("%-d %b %Y"), to.format("%-d %b %Y")),
            r,
        )),
        None => rows.push(vec![
            "the same dates a year before".into(),
            "no records".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]),
    }
    table(&mut out, &FIGURES, &rows);
    let weeks: Vec<(String, Option<f64>)> = p
        .weeks
        .iter()
        .map(|(monday, t)| (monday.format("%-d %b").to_string(), t.attendance_pct()))
        .collect();
    let _ = write!(
        out,
        "<h2>Week by week</h2>{}</section>",
        bar_chart(
            "attendance week by week",
            &weeks,
            Some(p.target),
            attendance_range(&weeks, Some(p.target))
        )
    );
    // Year groups and cohorts.
    out.push_str("<section><h2>By year group</h2>");
    let rows: Vec<Vec<String>> = p
        .by_year
        .iter()
        .map(|r| figures_row(&format!("year {}", r.key), r))
        .collect();
    table(&mut out, &FIGURES, &rows);
    out.push_str("</section><section><h2>By characteristic</h2>");
    // A small cohort's complement would give it away (all pupils less not FSM is FSM): the
    // rows that add up together are hidden together.
    let hidden = |key: &str| {
        let small = |k: &str| {
            p.by_cohort
                .iter()
                .any(|r| r.key == k && r.pupils < SMALLEST_COHORT)
        };
        let family: &[&str] = match key {
            "fsm" | "not fsm" => &["fsm", "not fsm"],
            "sen support" | "ehc plan" | "no sen" => &["sen support", "ehc plan", "no sen"],
            _ => &[],
        };
        small(key) || family.iter().any(|k| small(k))
    };
    let rows: Vec<Vec<String>> = p
        .by_cohort
        .iter()
        .map(|r| {
            if hidden(&r.key) {
                let mut row = vec![
                    cohort_name(&r.key),
                    format!("not shown (a group under {SMALLEST_COHORT})"),
                ];
                row.extend(std::iter::repeat_n(String::new(), 5));
                row
            } else {
                figures_row(&cohort_name(&r.key), r)
            }
        })
        .collect();
    table(&mut out, &FIGURES, &rows);
    out.push_str("</section>");
    // Reasons.
    let absent = p.figures.tally.absent();
    let rows: Vec<Vec<String>> = reasons(&p.figures)
        .into_iter()
        .map(|(code, n)| {
            vec![
                format!("{} {}", code, code.info().meaning),
                n.to_string(),
                pct(share(n, absent)),
            ]
        })
        .collect();
    out.push_str("<section><h2>Reasons for absence</h2>");
    table(&mut out, &["reason", "sessions", "of all absence"], &rows);
    out.push_str("</section>");
    patterns(&mut out, p);
    stages(&mut out, p);
    out.push_str(
        "<footer>Made by rollcall. Rates are of possible sessions, as the DfE counts them \
         (present and approved educational activity over all sessions but those not possible); \
         persistent absence is 10% or more of a pupil's possible sessions missed, severe \
         absence 50% or more.</footer></body></html>",
    );
    out
}

/// Broken weeks, absence next to the holidays, repeated illness.
fn patterns(out: &mut String, p: &Pack) {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri"];
    let by_day: Vec<(String, Option<f64>)> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let w = &p.figures.detail.by_weekday[i];
            (d.to_string(), share(w.absent, w.possible))
        })
        .collect();
    let _ = write!(
        out,
        "<section><h2>Absence on each weekday</h2><p>Absence is {}; a day well above the rest \
         is where broken weeks show.</p>{}",
        by_day
            .iter()
            .map(|(d, v)| format!("{d} {}", pct(*v)))
            .collect::<Vec<_>>()
            .join(", "),
        absence_chart(&by_day)
    );
    let rate = |t: &Tally| share(t.absent(), t.possible());
    out.push_str("<h2>Absence next to the holidays</h2>");
    table(
        out,
        &["days", "school days", "possible sessions", "absence"],
        &[
            vec![
                "the first and last day of the term, and next to half term or a holiday".into(),
                p.breaks.days.len().to_string(),
                p.breaks.next_to_break.possible().to_string(),
                pct(rate(&p.breaks.next_to_break)),
            ],
            vec![
                "every other day".into(),
                String::new(),
                p.breaks.other.possible().to_string(),
                pct(rate(&p.breaks.other)),
            ],
        ],
    );
    let sessions: u32 = p.illness.iter().map(|i| i.sessions).sum();
    let _ = write!(
        out,
        "<h2>Repeated illness</h2><p>{} pupils had {} or more separate spells of illness this \
         term ({} sessions between them).</p></section>",
        p.illness.len(),
        super::gather::REPEATED_SPELLS,
        sessions
    );
}

/// Absence on each weekday, from nothing to a little over the highest day: a day well above
/// the rest stands out.
fn absence_chart(by_day: &[(String, Option<f64>)]) -> String {
    let high = by_day.iter().filter_map(|(_, v)| *v).fold(0.0, f64::max);
    bar_chart(
        "absence on each weekday",
        by_day,
        None,
        (0.0, (high * 1.25).ceil().max(1.0)),
    )
}

fn stages(out: &mut String, p: &Pack) {
    out.push_str("<section><h2>Stages of intervention</h2>");
    if p.stages.is_empty() {
        out.push_str("<p>No pupil is at a stage of intervention.</p></section>");
        return;
    }
    let rows: Vec<Vec<String>> = p
        .stages
        .iter()
        .map(|s| {
            vec![
                format!("{}. {}", s.number, s.name),
                s.pupils.to_string(),
                s.done.to_string(),
                pct(s.year.attendance_pct()),
            ]
        })
        .collect();
    table(
        out,
        &[
            "stage",
            "pupils at it",
            "its action done",
            "their attendance this year",
        ],
        &rows,
    );
    out.push_str("</section>");
}

//! `rollcall publish` and `rollcall trust report` (SPEC §8.9): the school's data into a
//! trust's PostgreSQL database, and the trust's figures from it.

use super::error::{CliError, CliResult};
use super::output::pct;
use super::output::write_rows;
use super::values::{Format, parse_cli_date, parse_target};
use crate::domain::stats::{round1, share};
use crate::service::Client;
use crate::trust::connect::Target;
use crate::trust::report::{TrustBy, TrustRow, trust_report};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::io::Write;

/// Where the trust's database is.
#[derive(Args, Debug, Clone)]
pub struct PostgresArg {
    /// The trust's database: a postgresql:// URL or a key=value string (service=NAME reads
    /// the service file); without it, the PG* environment, as psql reads them. A password
    /// is never printed
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// Each school's figures and the trust's over a period, computed in the trust's
    /// database, against the trust's target
    Report(TrustReportArgs),
    /// The trust's screen: its schools against the target this school year, and each
    /// school's weeks (read-only; `rollcall --postgres URL` opens it too)
    View(TrustViewArgs),
}

#[derive(Args, Debug)]
pub struct TrustViewArgs {
    #[command(flatten)]
    database: PostgresArg,
    /// From (default: the school year's 1 September)
    #[arg(long, value_parser = parse_cli_date)]
    from: Option<NaiveDate>,
    /// To (default: today)
    #[arg(long, value_parser = parse_cli_date)]
    to: Option<NaiveDate>,
    /// The trust's attendance target, in percent
    #[arg(long, default_value_t = 96.0, value_parser = parse_target)]
    target: f64,
}

/// The trust's screen from `today`'s school year (from its 1 September).
pub fn view(
    postgres: Option<&str>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    target: f64,
    today: NaiveDate,
    keymap: &crate::keymap::Keymap,
) -> CliResult {
    use chrono::Datelike;
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today));
    let to = to.unwrap_or(today);
    if to < from {
        return Err(failed(format!("--to {to} is before --from {from}")));
    }
    let database = Target::new(postgres).map_err(failed)?;
    crate::tui::trust::run(&database, from, to, target, keymap).map_err(failed)
}

#[derive(Args, Debug)]
pub struct TrustReportArgs {
    #[command(flatten)]
    database: PostgresArg,
    #[arg(long, value_parser = parse_cli_date)]
    from: NaiveDate,
    #[arg(long, value_parser = parse_cli_date)]
    to: NaiveDate,
    #[arg(long, value_enum, default_value = "school")]
    by: TrustByArg,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// The trust's attendance target, in percent
    #[arg(long, default_value_t = 96.0, value_parser = parse_target)]
    target: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TrustByArg {
    School,
    Year,
    Cohort,
}

fn failed(e: String) -> CliError {
    CliError::Failed(e)
}

/// `rollcall publish`.
pub fn publish(client: &mut Client, database: &PostgresArg, out: &mut impl Write) -> CliResult {
    let target = Target::new(database.postgres.as_deref()).map_err(failed)?;
    let started = std::time::Instant::now();
    let done = crate::trust::publish::publish(client, &target).map_err(failed)?;
    writeln!(
        out,
        "published school {} to {}: {}{} pupil-months ({} sessions), {} pupils' details, in {:.1} s",
        done.urn,
        target.shown,
        if done.everything { "everything, " } else { "" },
        done.months,
        done.sessions,
        done.pupils,
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// `rollcall trust report` and `trust view`: they need no school's database.
pub fn run(command: &TrustCommand, today: NaiveDate, keymap: &crate::keymap::Keymap) -> CliResult {
    let args = match command {
        TrustCommand::Report(args) => args,
        TrustCommand::View(v) => {
            return view(
                v.database.postgres.as_deref(),
                v.from,
                v.to,
                v.target,
                today,
                keymap,
            );
        }
    };
    if args.to < args.from {
        return Err(failed(format!(
            "--to {} is before --from {}",
            args.to, args.from
        )));
    }
    let target = Target::new(args.database.postgres.as_deref()).map_err(failed)?;
    let mut pg = target.connect().map_err(failed)?;
    let by = match args.by {
        TrustByArg::School => TrustBy::School,
        TrustByArg::Year => TrustBy::Year,
        TrustByArg::Cohort => TrustBy::Cohort,
    };
    let rows = trust_report(&mut pg, args.from, args.to, by).map_err(failed)?;
    let out = &mut super::output::Printable::new(std::io::stdout().lock());
    write_trust(out, &rows, args, by)
}

fn write_trust(
    out: &mut impl Write,
    rows: &[TrustRow],
    args: &TrustReportArgs,
    by: TrustBy,
) -> CliResult {
    let mut header = vec!["school", "urn"];
    match by {
        TrustBy::Year => header.push("year"),
        TrustBy::Cohort => header.push("cohort"),
        TrustBy::School => {}
    }
    header.extend([
        "pupils",
        "possible",
        "attendance_pct",
        "authorised_pct",
        "unauthorised_pct",
        "pa",
        "pa_pct",
        "sa",
        "sa_pct",
        "target",
        "against_target",
    ]);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = vec![r.school.clone(), r.urn.clone()];
            if by != TrustBy::School {
                cells.push(r.year.clone().unwrap_or_default());
            }
            let attendance = r.tally.attendance_pct();
            cells.extend([
                r.pupils.to_string(),
                r.tally.possible().to_string(),
                pct(attendance),
                pct(r.tally.authorised_pct()),
                pct(r.tally.unauthorised_pct()),
                r.pa.to_string(),
                pct(share(r.pa, r.pupils)),
                r.sa.to_string(),
                pct(share(r.sa, r.pupils)),
                args.target.to_string(),
                attendance
                    .map(|a| format!("{:+.1}", round1(a) - args.target))
                    .unwrap_or_default(),
            ]);
            cells
        })
        .collect();
    write_rows(out, &header, &cells, args.format, || {
        json!({
            "from": args.from,
            "to": args.to,
            "target": args.target,
            "rows": rows.iter().map(|r| json!({
                "school": r.school,
                "urn": r.urn,
                "trust": r.is_trust(),
                "year": if by == TrustBy::Year { r.year.clone() } else { None },
                "cohort": if by == TrustBy::Cohort { r.year.clone() } else { None },
                "pupils": r.pupils,
                "possible": r.tally.possible(),
                "present": r.tally.present,
                "aea": r.tally.aea,
                "authorised": r.tally.authorised,
                "unauthorised": r.tally.unauthorised,
                "attendance_pct": r.tally.attendance_pct().map(round1),
                "authorised_pct": r.tally.authorised_pct().map(round1),
                "unauthorised_pct": r.tally.unauthorised_pct().map(round1),
                "pa": r.pa,
                "sa": r.sa,
                "meets_target": r.tally.attendance_pct().map(|a| round1(a) >= args.target),
            })).collect::<Vec<_>>(),
        })
    })
}

//! `rollcall pack`: the termly pack a governing body reads (SPEC §3.8), one HTML file that
//! prints on A4.

use super::error::{CliError, CliResult};
use crate::service::Client;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct PackArgs {
    /// The term, as school.toml names it (`autumn-2026` or "Autumn 2026")
    #[arg(long)]
    term: String,
    /// The HTML file to write (refused if it exists, unless --force)
    #[arg(long)]
    out: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    force: bool,
    /// The attendance target, in percent
    #[arg(long, default_value_t = 96.0, value_parser = super::values::parse_target)]
    target: f64,
}

pub fn run(client: &mut Client, args: &PackArgs, out: &mut impl Write) -> CliResult {
    let pack =
        crate::pack::gather::gather(client, &args.term, args.target).map_err(CliError::Failed)?;
    let html = crate::pack::html::render(&pack);
    // Figures by characteristic are the office's: the file is kept private to who made it.
    crate::files::write_private(&args.out, html.as_bytes(), args.force)
        .map_err(CliError::Failed)?;
    writeln!(
        out,
        "{}: {}, {} to {} (open it in a browser; it prints on A4)",
        args.out.display(),
        pack.term,
        pack.from,
        pack.to
    )?;
    Ok(())
}

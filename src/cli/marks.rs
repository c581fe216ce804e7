//! Marks from the command line: one mark, clearing one, closing a register, a planned
//! absence, and a mark's history.

use super::args::MarkArgs;
use super::args::MarkPlace;
use super::error::CliResult;
use super::output::pct;
use crate::domain::desk::Weekly;
use crate::domain::register::ChangeKind;
use crate::domain::session::Session;
use crate::service::Client;
use crate::service::protocol::*;
use chrono::NaiveDate;
use std::io::Write;

/// `rollcall mark`: one mark, on `date` (today unless the command gave one).
pub fn mark(
    client: &mut Client,
    args: &MarkArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    let date = args.place.date.unwrap_or(today);
    let outcome = client.mark(MarkRequest {
        register: RegisterId {
            group: args.place.group.clone(),
            date,
            session: args.place.session,
        },
        upn: args.place.upn.clone(),
        code: args.code.clone(),
        arrived: args.arrived,
        note: args.note.clone(),
        reason: args.reason.clone(),
        expect: Expect::Anything,
        replace_office_mark: false,
        batch: None,
    })?;
    write_outcome(out, &outcome)
}

/// `rollcall close`: blanks become `N` and the register locks.
pub fn close(
    client: &mut Client,
    group: &str,
    date: NaiveDate,
    session: Session,
    out: &mut impl Write,
) -> CliResult {
    let s = client.close(group.to_string(), date, session)?;
    let codes: Vec<String> = s.codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    writeln!(
        out,
        "closed {} {} {}: {}; {} blank{} became N; attendance {}",
        s.register.group,
        s.register.date,
        s.register.session.label(),
        codes.join(", "),
        s.filled.len(),
        if s.filled.len() == 1 { "" } else { "s" },
        pct(s.tally.attendance_pct())
    )?;
    Ok(())
}

/// What `rollcall plan` asks for: whose absence, when and as what.
pub struct Plan<'a> {
    pub upn: &'a Option<String>,
    pub group: &'a Option<String>,
    pub every: &'a [Weekly],
    pub from: (NaiveDate, Session),
    pub to: (NaiveDate, Session),
    pub code: &'a str,
    pub note: &'a Option<String>,
    pub dry_run: bool,
}

/// `rollcall plan`: a planned absence over a range of sessions.
pub fn plan(client: &mut Client, p: Plan<'_>, out: &mut impl Write) -> CliResult {
    let code = p.code;
    let s = client.plan(PlanRequest {
        upn: p.upn.clone().unwrap_or_default(),
        group: p.group.clone(),
        every: p.every.to_vec(),
        from: p.from.0,
        from_session: p.from.1,
        to: p.to.0,
        to_session: p.to.1,
        code: code.to_string(),
        note: p.note.clone(),
        dry_run: p.dry_run,
    })?;
    if s.dry_run {
        writeln!(out, "dry run, nothing saved:")?;
    }
    match p.group {
        Some(g) => writeln!(
            out,
            "{code} entered for {} sessions of {} pupils in {g}",
            s.marked.len(),
            s.pupils
        )?,
        None => writeln!(out, "{code} entered for {} sessions", s.marked.len())?,
    }
    for (date, session, why) in &s.skipped {
        writeln!(out, "skipped {date} {}: {why}", session.label())?;
    }
    if let Some(id) = s.id {
        writeln!(
            out,
            "planned absence {id} (withdraw it with `rollcall plan-withdraw {id} --reason ...`)"
        )?;
    }
    Ok(())
}

/// `rollcall plans`: the planned absences, newest first.
pub fn plans(
    client: &mut Client,
    upn: &Option<String>,
    group: &Option<String>,
    out: &mut impl Write,
) -> CliResult {
    let plans = client.plans(upn.clone(), group.clone())?;
    if plans.is_empty() {
        writeln!(out, "no planned absences")?;
    }
    for p in plans {
        let state = match &p.plan.withdrawn {
            Some(w) => format!(
                "withdrawn {} by {}: {}",
                w.at.format("%Y-%m-%d %H:%M"),
                w.name,
                w.reason
            ),
            None => format!(
                "{} of {} sessions as planned",
                p.still,
                p.plan.sessions.len()
            ),
        };
        writeln!(
            out,
            "{:>4}  {}  {}  by {} at {}  {state}",
            p.plan.id,
            p.whose,
            p.plan.words,
            p.plan.name,
            p.plan.at.format("%Y-%m-%d %H:%M")
        )?;
    }
    Ok(())
}

/// `rollcall plan-withdraw`: a plan withdrawn as a whole.
pub fn withdraw_plan(
    client: &mut Client,
    id: u32,
    reason: &str,
    out: &mut impl Write,
) -> CliResult {
    let w = client.withdraw_plan(id, reason.to_string())?;
    writeln!(
        out,
        "planned absence {id} withdrawn: {} session{} cleared",
        w.cleared,
        if w.cleared == 1 { "" } else { "s" }
    )?;
    for (date, session, why) in &w.left {
        writeln!(out, "left {date} {}: {why}", session.label())?;
    }
    Ok(())
}

/// `rollcall clear`: a mark back to blank, kept in its history.
pub fn clear(
    client: &mut Client,
    place: &MarkPlace,
    reason: &Option<String>,
    today: NaiveDate,
    out: &mut impl Write,
) -> CliResult {
    let message = client.clear(Request::Clear {
        register: RegisterId {
            group: place.group.clone(),
            date: place.date.unwrap_or(today),
            session: place.session,
        },
        upn: place.upn.clone(),
        reason: reason.clone(),
        expect: Expect::Anything,
    })?;
    writeln!(out, "{message}")?;
    Ok(())
}

pub fn write_outcome(out: &mut impl Write, o: &MarkOutcome) -> CliResult {
    let verb = match (o.changed, o.kind) {
        (false, _) => "unchanged",
        (true, ChangeKind::Amendment) => "amended",
        (true, _) => "saved",
    };
    let mut line = format!(
        "{verb} {} {} {} {}",
        o.date,
        o.session.label(),
        o.upn,
        o.mark.code
    );
    if let Some(a) = o.mark.arrived {
        line.push_str(&format!(" arrived {}", a.format("%H:%M")));
    }
    if let Some(m) = o.mark.minutes_late {
        line.push_str(&format!(" ({m} min late)"));
    }
    writeln!(out, "{line}")?;
    if let Some(why) = &o.explanation {
        writeln!(out, "note: {why}")?;
    }
    Ok(())
}

/// `rollcall history`: the audit trail of one mark.
pub fn write_history(out: &mut impl Write, h: &MarkHistory) -> CliResult {
    writeln!(
        out,
        "{} ({}) {} {}",
        h.name,
        h.upn,
        h.date,
        h.session.label()
    )?;
    match &h.current {
        Some(m) => writeln!(out, "now: {}", m.entry().describe())?,
        None => writeln!(out, "now: no mark")?,
    }
    if let (Some(m), Some(note)) = (&h.current, &h.imported) {
        writeln!(
            out,
            "imported by {} at {}: {note}",
            m.recorded_by,
            m.recorded_at.format("%Y-%m-%d %H:%M")
        )?;
    }
    for c in &h.changes {
        let before = c
            .before
            .as_ref()
            .map_or("(none)".to_string(), |e| e.describe());
        let after = c
            .after
            .as_ref()
            .map_or("(withdrawn)".to_string(), |e| e.describe());
        let kind = match c.kind {
            ChangeKind::Mark => "mark",
            ChangeKind::Amendment => "amendment",
        };
        write!(
            out,
            "{}  {kind:<9}  {before} -> {after}  by {} ({}, {})",
            c.at.format("%Y-%m-%d %H:%M"),
            c.name,
            c.position,
            c.account
        )?;
        if let Some(reason) = &c.reason {
            write!(out, "  reason: {reason}")?;
        }
        if let Some(source) = &c.source {
            write!(out, "  ({source})")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

//! Who may read what (docs/RELIABILITY.md, "What each role can read"). Office staff and
//! admins read the whole school. A teacher reads the registers, marks, notes and figures of
//! the groups they teach (tutor) or cover that day, and no more: another group's register, a
//! pupil's history or year outside them, the office's queues and the school's files are
//! refused, and searches and lists are cut to their pupils.

use super::core::{Engine, Result, refused};
use super::ctx::Ctx;
use crate::domain::session::Session;
use crate::store::Reader;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What a member of staff may read on a day.
pub(super) enum Reach {
    /// Office staff and admins.
    School,
    /// A teacher: these groups (tutor, or covering either session).
    Groups(BTreeSet<String>),
}

impl Reach {
    pub(super) fn group(&self, group: &str) -> bool {
        match self {
            Reach::School => true,
            Reach::Groups(groups) => groups.contains(group),
        }
    }

    pub(super) fn is_school(&self) -> bool {
        matches!(self, Reach::School)
    }

    /// Refuses a group out of reach, naming the groups in reach.
    pub(super) fn require_group(&self, group: &str, date: NaiveDate) -> Result<()> {
        match self {
            Reach::Groups(groups) if !groups.contains(group) => refused(format!(
                "a teacher reads the registers of the groups they teach or cover: `{group}` is \
                 not one of yours on {date} ({}); the office can look it up",
                if groups.is_empty() {
                    "you have none".to_string()
                } else {
                    groups.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            )),
            _ => Ok(()),
        }
    }

    /// Whether a pupil is in reach on `date`: in one of the groups, that day.
    pub(super) fn pupil(&self, r: &Reader, upn: &str, date: NaiveDate) -> Result<bool> {
        Ok(match self {
            Reach::School => true,
            Reach::Groups(groups) => r.group_on(upn, date)?.is_some_and(|g| groups.contains(&g)),
        })
    }

    /// Refuses a pupil out of reach.
    pub(super) fn require_pupil(&self, r: &Reader, upn: &str, date: NaiveDate) -> Result<()> {
        if self.pupil(r, upn, date)? {
            return Ok(());
        }
        refused(format!(
            "a teacher reads the pupils of the groups they teach or cover: {upn} is not in one \
             of yours on {date}; the office can look them up"
        ))
    }
}

/// Refuses a teacher what is the office's alone.
pub(super) fn office_reads(ctx: &Ctx, what: &str) -> Result<()> {
    if ctx.staff.role.is_office() {
        return Ok(());
    }
    refused(format!("{what} is for office staff and admins"))
}

impl Engine {
    /// What the acting member of staff may read on `date`.
    pub(super) fn reach(&self, r: &Reader, ctx: &Ctx, date: NaiveDate) -> Result<Reach> {
        if ctx.staff.role.is_office() {
            return Ok(Reach::School);
        }
        let school = ctx.school()?;
        let mut groups = BTreeSet::new();
        for group in &school.groups {
            for session in Session::BOTH {
                if self.takes_register(r, group, &ctx.staff.account, date, session)? {
                    groups.insert(group.name.clone());
                }
            }
        }
        Ok(Reach::Groups(groups))
    }

    /// What may be read over a period: for one day, [`Engine::reach`]; over several, a
    /// teacher's own groups only (covering a group for a day opens that day, not its past).
    pub(super) fn reach_over(
        &self,
        r: &Reader,
        ctx: &Ctx,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Reach> {
        if from == to || ctx.staff.role.is_office() {
            return self.reach(r, ctx, to);
        }
        let school = ctx.school()?;
        Ok(Reach::Groups(
            school
                .groups
                .iter()
                .filter(|g| g.is_tutor(&ctx.staff.account))
                .map(|g| g.name.clone())
                .collect(),
        ))
    }
}

/// What one subscriber may be pushed: a teacher, the marks and closings of the registers
/// they may read that day and the reminders addressed to them; office staff and admins,
/// everything. A teacher's groups are looked up once a day, and again after a minute (cover
/// arranged meanwhile).
pub struct Sight {
    account: String,
    seen: std::collections::HashMap<NaiveDate, (std::time::Instant, Reach)>,
}

impl Sight {
    pub fn new(account: &str) -> Sight {
        Sight {
            account: account.to_string(),
            seen: Default::default(),
        }
    }
}

impl Engine {
    /// Whether a push goes to this subscriber. Anything that cannot be decided (the account
    /// removed, the database unreadable) is not sent.
    pub fn may_see(&self, sight: &mut Sight, event: &crate::service::protocol::Event) -> bool {
        use crate::service::protocol::Event;
        let Ok(ctx) = self.context(&sight.account) else {
            return false;
        };
        if ctx.staff.role.is_office() {
            return true;
        }
        let register = match event {
            Event::Reload | Event::Desk { .. } => return true,
            Event::Reminder { accounts, .. } => return accounts.contains(&sight.account),
            // A teacher's lesson screens ask again; who went missing is the office's.
            Event::Lesson { missing, .. } => return missing.is_none(),
            Event::Marked { register, .. } | Event::Closed(register) => register,
        };
        let fresh = |(at, _): &(std::time::Instant, Reach)| {
            at.elapsed() < std::time::Duration::from_secs(60)
        };
        if !sight.seen.get(&register.date).is_some_and(fresh) {
            let Ok(r) = self.store.read() else {
                return false;
            };
            let Ok(reach) = self.reach(&r, &ctx, register.date) else {
                return false;
            };
            sight
                .seen
                .insert(register.date, (std::time::Instant::now(), reach));
        }
        sight
            .seen
            .get(&register.date)
            .is_some_and(|(_, reach)| reach.group(&register.group))
    }
}

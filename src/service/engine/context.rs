//! Who is acting, the school and the time: built once per request.

use super::core::{Engine, Result, refused};
use super::ctx::{Actor, Ctx, no_school};
use crate::domain::School;
use crate::domain::people::Staff;
use crate::domain::register::Role;
use chrono::NaiveDateTime;
use std::sync::Arc;

impl Engine {
    pub(super) fn context(&self, account: &str) -> Result<Ctx> {
        Ok(Ctx {
            staff: self.staff(account)?,
            now: self.clock.now(),
            school: self.current_school(),
        })
    }

    /// The role of the account on the other end of a connection, or why it has none: the
    /// owner setting up a new school counts as its admin.
    pub fn identify(&self, account: &str) -> Result<Role> {
        match self.actor(account) {
            Ok(Actor::Staff(staff)) => Ok(staff.role),
            Ok(Actor::Bootstrap) => Ok(Role::Admin),
            // The server's own account off the staff list may connect: it asks for nothing
            // but its nightly backup (every other request still needs a place on the list).
            Err(_) if self.server && account == self.owner => Ok(Role::Office),
            Err(e) => Err(e),
        }
    }

    pub(super) fn school(&self) -> Result<Arc<School>> {
        self.current_school().ok_or_else(no_school)
    }

    pub(super) fn actor(&self, account: &str) -> Result<Actor> {
        let r = self.store.read()?;
        if let Some(staff) = r.staff(account)? {
            return Ok(Actor::Staff(staff));
        }
        if !r.all_staff()?.iter().any(|s| s.role == Role::Admin) {
            if !self.server || account == self.owner {
                return Ok(Actor::Bootstrap);
            }
            return refused(format!(
                "{} Nobody is an admin yet: the server's own account adds the first, with \
                 `sudo -u {owner} rollcall staff add --account ADMIN --name NAME --position POSITION --role admin`",
                unknown_account(account),
                owner = self.owner
            ));
        }
        refused(unknown_account(account))
    }

    fn staff(&self, account: &str) -> Result<Staff> {
        match self.actor(account)? {
            Actor::Staff(staff) => Ok(staff),
            Actor::Bootstrap => refused(format!(
                "{} Nobody is on the staff list yet: add the first admin with `rollcall staff add --account {account} --name NAME --position POSITION --role admin`",
                unknown_account(account)
            )),
        }
    }

    pub(super) fn admin(&self, account: &str, what: &str) -> Result<()> {
        match self.actor(account)? {
            Actor::Bootstrap => Ok(()),
            Actor::Staff(s) if s.role == Role::Admin => Ok(()),
            Actor::Staff(s) => refused(format!(
                "only admins can {what}; {} is {}",
                s.account,
                s.role.as_str()
            )),
        }
    }

    pub(super) fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }
}

fn unknown_account(account: &str) -> String {
    format!(
        "account `{account}` is not on rollcall's staff list. An admin can add it with: \
         rollcall staff add --account {account} --name \"NAME\" --position \"POSITION\" --role teacher|office|admin"
    )
}

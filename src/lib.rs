//! rollcall: statutory attendance registers for schools in England.
//!
//! Layers, from the inside out: `domain` (the rules, pure), `config` (reading a school's TOML),
//! `store` (the only code that touches redb), `service` (requests and the engine that applies
//! the rules to the store, locally or behind a server), `app` (state and actions), `ui`
//! (rendering), `keymap`, and `cli`.

pub mod config;
pub mod domain;
pub mod store;

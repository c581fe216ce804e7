//! rollcall: statutory attendance registers for schools in England.
//!
//! Layers, from the inside out: `domain` (the rules, pure), `config` (reading a school's TOML),
//! `store` (the only code that touches redb), `service` (requests and the engine that applies
//! the rules to the store, in-process or behind a server), `cli`.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contain;
pub mod demo;
pub mod domain;
pub mod files;
pub mod keymap;
pub mod pack;
pub mod server;
pub mod service;
pub mod store;
pub mod trust;
pub mod tui;
pub mod ui;

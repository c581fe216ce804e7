//! Every integration test, as modules of one test binary so that the shared fixtures in
//! `common` compile once. Run one family with a filter: `cargo test --test integration
//! app_keys`.

mod common;

mod alerts;
mod app_keys;
mod architecture;
mod backup;
mod cli;
mod damaged;
mod desk;
mod engine_rules;
mod exchange;
mod fuzz;
mod hardening;
mod kill_harness;
mod migration;
mod reports;
mod second_pass;
mod server;
mod server_accounts;
mod snapshots;
mod ssh_e2e;
mod summaries;
mod tui_tmux;

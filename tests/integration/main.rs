//! Every integration test, as modules of one test binary so that the shared fixtures in
//! `common` compile once. Run one family with a filter: `cargo test --test integration
//! app_keys`.

mod common;

mod alerts;
mod app_keys;
mod architecture;
mod backup;
mod casework;
mod cli;
mod counted;
mod damaged;
mod desk;
mod doctor;
mod engine_rules;
mod exchange;
mod fuzz;
mod hostile_files;
mod hostile_input;
mod kill_harness;
mod lessons;
mod lessons_walk;
mod logs;
mod migration;
mod other_schools;
mod pack;
mod reads;
mod register_workflows;
mod reports;
mod server;
mod server_accounts;
mod server_limits;
mod sign_out;
mod snapshots;
mod ssh_e2e;
mod summaries;
mod terminal;
mod timings;
mod trust;
mod tui_tmux;
mod validity;

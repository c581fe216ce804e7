//! The command line: scriptable access to everything, for tests, demos and office scripts.
//! Every error leaves with a message on stderr naming what and where, and a non-zero status.
//!
//! `start` reads the command line and decides what runs (the app, the server, the demo or a
//! command); `args` is the command line's shape and `values` how it spells values; `commands`
//! runs a command through its family: `marks`, `batch` (mark-batch), `school` (set-up,
//! staff, cover, codes, backups), `alerts`, `desk`, `report`, `exchange` (data in and out).
//! `output` is how everything prints, `input` what commands read, `error` how they end.

mod alerts;
mod args;
mod batch;
mod casework;
mod client_config;
mod commands;
mod connect;
mod desk;
mod doctor;
mod error;
mod exchange;
mod input;
mod lessons;
mod letters;
mod log;
mod marks;
mod output;
mod pack;
mod paths;
mod progress;
mod report;
mod school;
mod start;
mod trust;
mod values;

pub use args::{Cli, Command};
pub use batch::each_batch_line;
pub use error::{CliError, CliResult};
pub use paths::project_dirs;
pub use start::{main, open_engine};

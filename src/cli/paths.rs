//! Where rollcall keeps its data and configuration: the user's data and configuration
//! directories, by the `directories` crate.

use super::error::{CliError, CliResult};
use std::path::PathBuf;

/// Where rollcall keeps its data and configuration.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "rollcall")
}

pub fn default_db_path() -> CliResult<PathBuf> {
    project_dirs()
        .map(|d| d.data_dir().join("rollcall.redb"))
        .ok_or_else(|| {
            CliError::Failed("cannot find a home directory for the database: pass --db PATH".into())
        })
}

pub fn demo_db_path() -> CliResult<PathBuf> {
    project_dirs()
        .map(|d| d.data_dir().join("demo.redb"))
        .ok_or_else(|| {
            CliError::Failed("cannot find a home directory for the demo: pass --db PATH".into())
        })
}

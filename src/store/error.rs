//! What can go wrong with the database, in words a person can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "no database at {path}: create one with `rollcall init --school FILE.toml` (or try `rollcall --demo`)"
    )]
    Missing { path: PathBuf },
    #[error(
        "{path} is open in another rollcall process (the app, or a `rollcall serve`): close the app, or connect to the server with --socket; `rollcall serve` lets the app and commands share the file"
    )]
    InUse { path: PathBuf },
    #[error(
        "{path} was written by a newer rollcall (schema {found}; this build knows up to {supported}): upgrade rollcall to open it"
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database damaged: {0}")]
    Corrupt(String),
    /// Writing failed (a full disk, a failing disk): nothing of the change was saved.
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    ReadOnly(String),
    #[error("database error: {0}")]
    Database(String),
}

/// redb's errors, sorted into what they mean for the person: damage, a failed write, or other.
fn from_storage(e: redb::StorageError) -> StoreError {
    match e {
        redb::StorageError::Corrupted(why) => StoreError::Corrupt(format!(
            "{why}: restore the latest backup (`rollcall check FILE` tells whether a copy is whole)"
        )),
        redb::StorageError::Io(e) => StoreError::Io(format!(
            "could not write the database: {e}: nothing of this change was saved"
        )),
        redb::StorageError::PreviousIo => StoreError::Io(
            "the database could not be written a moment ago (a full or failing disk?): nothing of this change was saved"
                .into(),
        ),
        other => StoreError::Database(other.to_string()),
    }
}

impl From<redb::StorageError> for StoreError {
    fn from(e: redb::StorageError) -> Self {
        from_storage(e)
    }
}

impl From<redb::TransactionError> for StoreError {
    fn from(e: redb::TransactionError) -> Self {
        match e {
            redb::TransactionError::Storage(s) => from_storage(s),
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<redb::TableError> for StoreError {
    fn from(e: redb::TableError) -> Self {
        match e {
            redb::TableError::Storage(s) => from_storage(s),
            redb::TableError::TableDoesNotExist(name) => StoreError::Corrupt(format!(
                "table `{name}` is missing: restore the latest backup"
            )),
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<redb::CommitError> for StoreError {
    fn from(e: redb::CommitError) -> Self {
        match e {
            redb::CommitError::Storage(s) => from_storage(s),
            other => StoreError::Database(other.to_string()),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

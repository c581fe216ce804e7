//! PostgreSQL's errors in words: the server's own message (with its detail) where it sent
//! one, else the cause under the client's ("error connecting to server: Connection refused").
//! Neither holds the connection string, so neither holds a password.

use std::error::Error;

pub fn pg_error(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        };
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    message
}

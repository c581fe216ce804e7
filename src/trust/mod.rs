//! A trust's figures across its schools (SPEC §8.9): each school publishes into a PostgreSQL
//! database the trust runs (`publish`), and the trust's figures are computed there
//! (`report`). The only code that speaks to PostgreSQL; `connect` reads where the database is
//! and its credentials as PostgreSQL's own tools do.

pub mod connect;
pub mod errors;
pub mod publish;
pub mod report;
pub mod schema;

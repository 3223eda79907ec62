//! The store ports' contract, run against SQLite and a real PostgreSQL.

mod cache;
mod concurrency;
mod contract;
mod helpers;

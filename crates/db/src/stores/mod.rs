//! The routing policy's store ports on the database, one module per port,
//! each operation's PostgreSQL statement and SQLite steps side by side.

mod clients;
mod escalations;
mod jobs;
mod leads;
mod ring_groups;
mod rows;

pub(crate) use rows::{CLIENT_COLUMNS, MEMBER_COLUMNS, client_row, client_values, member_row};

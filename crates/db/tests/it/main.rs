//! The storage adapter: the store ports' contract (also run on the
//! in-memory store), its cache and races, and what only it does.

mod cache;
mod concurrency;
mod contract;
mod helpers;
mod on_the_database;

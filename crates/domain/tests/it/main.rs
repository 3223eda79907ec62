//! Integration tests of the domain crate's public API.

mod follow_through;
mod helpers;
mod observer;
mod routing;
mod routing_helpers;
mod routing_mocks;
mod schedule_calendar;
mod schedule_dst;
mod schedule_fuzz;
mod schedule_properties;
mod schedule_table;
mod schedule_validation;
mod strategies;
mod webhook_events;

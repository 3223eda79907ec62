//! Reports: a client's leads with their history, call attempts,
//! escalations, and the hot-transfer statistics of a period, each defined
//! once here ([`Stats::from_facts`]) and read from the store in one query
//! ([`ports::ReportStore::stats_facts`]).

mod period;
pub mod ports;
mod service;
mod stats;
mod views;

pub use period::{Period, PeriodError, start_of};
pub use service::ReportService;
pub use stats::{
    AgentStats, DayFigures, EscalationFact, LegFact, RingGroupFact, Stats, StatsFacts, median,
};
pub use views::{
    AttemptView, DecisionView, EscalationView, LeadCursor, LeadDetail, LeadFilter, LeadQuery,
    LeadSummary, MessageView, TextView,
};

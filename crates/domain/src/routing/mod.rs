//! The hot-transfer policy: routing a lead's SMS to ringing phones or an
//! escalation, behind ports.
//!
//! [`RoutingService`] has one entry point per outside event (an inbound SMS,
//! a leg's status change, a leg answered, an agent pressing 1, a ring group
//! timing out, a claim, a booking). It reads and writes only through the
//! traits in [`ports`], so it can be embedded with any storage and telephony.
//! [`memory`] holds in-memory adapters for tests and for embedding without
//! a database (feature `mocks`).
//!
//! # Example: embedding the policy
//!
//! A hot SMS to an open client, routed on the in-memory adapters: the
//! policy answers at once and stores, with its decision, the job that
//! places the calls; a worker running that job calls the team.
//!
//! ```
//! use std::sync::Arc;
//!
//! use hotline_domain::routing::memory::{
//!     ManualClock, MemoryStore, RecordingTelephony, RecordingWebhooks, SequentialIds,
//!     TelephonyRequest, TestLinks,
//! };
//! use hotline_domain::routing::model::{Client, MessageSid, TeamMember};
//! use hotline_domain::routing::{InboundSms, RoutingConfig, RoutingPorts, RoutingService};
//! use hotline_domain::schedule::HoursEntry;
//! use hotline_domain::work::{JobStore, RetryPolicy};
//! use hotline_domain::Timestamp;
//! use hotline_domain::{
//!     BuiltinIntentScorer, ClientId, PhoneNumber, ScheduleDocument, TeamMemberId, TimeZoneName,
//!     WeeklySchedule,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # block_on(async {
//! let store = Arc::new(MemoryStore::default());
//! let telephony = Arc::new(RecordingTelephony::default());
//! let client = Client {
//!     id: ClientId::from_uuid(uuid::Uuid::from_u128(1)),
//!     name: "Acme Roofing".to_owned(),
//!     twilio_number: PhoneNumber::parse("+15875550100")?,
//!     timezone: TimeZoneName::parse("America/Edmonton")?,
//!     out_of_hours_reply: None,
//!     record_calls: false,
//!     ring_strategy: Default::default(),
//!     tier_delay_seconds: 15,
//!     follow_through: Default::default(),
//!     has_webhooks: false,
//! };
//! // Open around the clock: each day from midnight for 24 hours.
//! let open_around_the_clock = ScheduleDocument {
//!     timezone: "America/Edmonton".to_owned(),
//!     hours: (0..7)
//!         .map(|day| HoursEntry {
//!             day_of_week: day,
//!             start_time: "00:00".to_owned(),
//!             end_time: "00:00".to_owned(),
//!             is_active: true,
//!         })
//!         .collect(),
//!     closures: Vec::new(),
//!     holidays: Vec::new(),
//!     special_hours: Vec::new(),
//! };
//! store.add_client(client.clone(), Some(WeeklySchedule::from_document(&open_around_the_clock)?));
//! store.add_team_member(TeamMember {
//!     id: TeamMemberId::from_uuid(uuid::Uuid::from_u128(2)),
//!     client_id: client.id,
//!     name: "Dana".to_owned(),
//!     phone: PhoneNumber::parse("+17805550001")?,
//!     receives_hot_transfers: true,
//!     active: true,
//!     priority: 100,
//!     available: true,
//! });
//! let service = RoutingService::new(
//!     RoutingPorts {
//!         clients: store.clone(),
//!         leads: store.clone(),
//!         ring_groups: store.clone(),
//!         escalations: store.clone(),
//!         telephony: telephony.clone(),
//!         links: Arc::new(TestLinks),
//!         scorer: Arc::new(BuiltinIntentScorer::default()),
//!         clock: Arc::new(ManualClock::at("2026-11-23T17:00:00Z".parse()?)),
//!         ids: Arc::new(SequentialIds::default()),
//!         jobs: store.clone(),
//!         webhooks: store.clone(),
//!         webhook_sender: Arc::new(RecordingWebhooks::default()),
//!     },
//!     RoutingConfig::default(),
//! );
//!
//! let handled = service
//!     .inbound_sms(&InboundSms {
//!         sid: MessageSid("SM1".to_owned()),
//!         from: PhoneNumber::parse("+14035550142")?,
//!         to: client.twilio_number.clone(),
//!         body: "Water is pouring through the ceiling, can someone come today?".to_owned(),
//!     })
//!     .await?;
//! // A worker: take the due jobs under a lease, run each, record how it went.
//! let now: Timestamp = "2026-11-23T17:00:00Z".parse()?;
//! let policy = RetryPolicy::default();
//! let lease = policy.lease(uuid::Uuid::from_u128(3), now);
//! for job in store.claim_due(&lease, now, 10).await? {
//!     let outcome = service.run(&job.work).await?;
//!     let finish = policy.finish(&job, outcome, now);
//!     store.finish(job.id, lease.owner, job.attempt, &finish, now).await?;
//! }
//! let calls: Vec<_> = telephony
//!     .requests()
//!     .into_iter()
//!     .filter(|r| matches!(r, TelephonyRequest::Call(_)))
//!     .collect();
//! assert_eq!(calls.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })
//! # }
//! # /// A minimal executor for the example: the in-memory adapters never wait.
//! # fn block_on<F: std::future::Future>(future: F) -> F::Output {
//! #     futures_util::FutureExt::now_or_never(Box::pin(future)).expect("in-memory adapters never wait")
//! # }
//! ```

pub mod model;
pub mod ports;
pub mod service;
pub mod strategy;
pub mod voice;
pub mod words;

#[cfg(any(test, feature = "mocks"))]
pub mod memory;

pub use service::plan::{PlannedPhone, RingPlan};
pub use service::{
    FollowUp, InboundSms, RoutingConfig, RoutingError, RoutingPorts, RoutingService, SmsHandled,
    VoiceHandled,
};
pub use strategy::{LeadFirst, PlannedLeg, RingStrategy, Sequential, Simultaneous, Tiered};

//! A small world for routing tests: one client in Edmonton, its team, the
//! in-memory adapters and a clock standing where each test wants.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use hotline_domain::routing::memory::{
    ManualClock, MemoryStore, RecordingTelephony, RecordingWebhooks, SequentialIds,
    TelephonyRequest, TestLinks,
};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::model::{MessageSid, RingStrategyKind};
use hotline_domain::routing::ports::Clock;
use hotline_domain::routing::{
    FollowUp, InboundSms, RoutingConfig, RoutingPorts, RoutingService, SmsHandled,
};
use hotline_domain::work::{JobOutcome, JobStore, RetryPolicy};
use hotline_domain::{BuiltinIntentScorer, ClientId, PhoneNumber, TeamMemberId, TimeZoneName};

use crate::helpers::{instant, schedule};

/// Runs a future that never waits (the in-memory adapters never do).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

pub fn phone(text: &str) -> PhoneNumber {
    PhoneNumber::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

pub const CLIENT_NUMBER: &str = "+15875550100";
pub const LEAD_PHONE: &str = "+14035550142";
pub const HOT_TEXT: &str = "Water pouring through the ceiling, can someone come today?";
pub const MONDAY_9_TO_5: &str = r#"{"timezone": "America/Edmonton",
    "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}]}"#;

pub struct World {
    pub ports: RoutingPorts,
    pub webhooks: Arc<RecordingWebhooks>,
    pub store: Arc<MemoryStore>,
    pub telephony: Arc<RecordingTelephony>,
    pub clock: Arc<ManualClock>,
    pub service: RoutingService,
    pub client: Client,
    pub members: Vec<TeamMember>,
}

/// A client with `team_size` members who receive hot transfers, the given
/// schedule, and the clock at `at`.
pub fn world(at: &str, schedule_json: Option<&str>, team_size: u128) -> World {
    let store = Arc::new(MemoryStore::default());
    let telephony = Arc::new(RecordingTelephony::default());
    let webhooks = Arc::new(RecordingWebhooks::default());
    let clock = Arc::new(ManualClock::at(instant(at)));
    let client = Client {
        id: ClientId::from_uuid(uuid::Uuid::from_u128(0xc1)),
        name: "Acme Roofing".to_owned(),
        twilio_number: phone(CLIENT_NUMBER),
        timezone: TimeZoneName::parse("America/Edmonton").unwrap_or_else(|e| panic!("{e}")),
        out_of_hours_reply: Some("We're closed now and open {next_open}.".to_owned()),
        record_calls: false,
        ring_strategy: Default::default(),
        tier_delay_seconds: 15,
        follow_through: Default::default(),
        has_webhooks: false,
    };
    store.add_client(client.clone(), schedule_json.map(schedule));
    let members: Vec<TeamMember> = (1..=team_size)
        .map(|n| TeamMember {
            id: TeamMemberId::from_uuid(uuid::Uuid::from_u128(0x7ea0 + n)),
            client_id: client.id,
            name: format!("Agent {n}"),
            phone: phone(&format!("+1780555010{n}")),
            receives_hot_transfers: true,
            active: true,
            priority: 100,
            available: true,
        })
        .collect();
    for member in &members {
        store.add_team_member(member.clone());
    }
    let ports = RoutingPorts {
        clients: store.clone(),
        leads: store.clone(),
        ring_groups: store.clone(),
        escalations: store.clone(),
        telephony: telephony.clone(),
        links: Arc::new(TestLinks),
        scorer: Arc::new(BuiltinIntentScorer::default()),
        clock: clock.clone(),
        ids: Arc::new(SequentialIds::default()),
        jobs: store.clone(),
        webhooks: store.clone(),
        webhook_sender: webhooks.clone(),
    };
    let service = RoutingService::new(ports.clone(), RoutingConfig::default());
    World {
        ports,
        webhooks,
        store,
        telephony,
        clock,
        service,
        client,
        members,
    }
}

impl World {
    /// An SMS from `from` to the client, handled and its follow-ups run.
    pub fn sms(&self, sid: &str, from: &str, body: &str) -> SmsHandled {
        let sms = InboundSms {
            sid: MessageSid(sid.to_owned()),
            from: phone(from),
            to: self.client.twilio_number.clone(),
            body: body.to_owned(),
        };
        let handled =
            block_on(self.service.inbound_sms(&sms)).unwrap_or_else(|e| panic!("sms failed: {e}"));
        self.run_jobs();
        handled
    }

    /// The client rings with `strategy` (tier delay `tier_delay` s), and
    /// member `n` (from 0) has priority `priorities[n]`.
    pub fn ring_with(&self, strategy: RingStrategyKind, tier_delay: u32, priorities: &[u32]) {
        if let Ok(mut state) = self.store.state.lock() {
            if let Some(client) = state.clients.get_mut(&self.client.id) {
                client.ring_strategy = strategy;
                client.tier_delay_seconds = tier_delay;
            }
            for (member, priority) in state.team.iter_mut().zip(priorities) {
                member.priority = *priority;
            }
        }
    }

    /// The same policy with `config`.
    pub fn service_with(&self, config: RoutingConfig) -> RoutingService {
        RoutingService::new(self.ports.clone(), config)
    }

    /// Runs every job due now, and the jobs they store, until none is due,
    /// as a worker does; returns what each run came to.
    pub fn run_jobs(&self) -> Vec<(FollowUp, JobOutcome)> {
        self.run_jobs_with(RetryPolicy::default())
    }

    /// As [`Self::run_jobs`], webhook deliveries retried as `deliveries`
    /// says (the worker's policy for them), the rest as by default.
    pub fn run_jobs_with(&self, deliveries: RetryPolicy) -> Vec<(FollowUp, JobOutcome)> {
        let owner = uuid::Uuid::from_u128(0x0e);
        let default = RetryPolicy::default();
        let mut ran = Vec::new();
        loop {
            let now = self.clock.now();
            let jobs = block_on(self.store.claim_due(&default.lease(owner, now), now, 100))
                .unwrap_or_else(|e| panic!("{e}"));
            if jobs.is_empty() {
                return ran;
            }
            for job in jobs {
                let outcome = block_on(self.service.run_attempt(&job.work, job.attempt))
                    .unwrap_or_else(|e| panic!("{e}"));
                let policy = if matches!(job.work, FollowUp::DeliverWebhook { .. }) {
                    deliveries
                } else {
                    default
                };
                let finish = policy.finish(&job, outcome.clone(), now);
                block_on(self.store.finish(job.id, owner, job.attempt, &finish, now))
                    .unwrap_or_else(|e| panic!("{e}"));
                ran.push((job.work, outcome));
            }
        }
    }

    pub fn calls(&self) -> Vec<hotline_domain::routing::ports::OutboundCall> {
        self.telephony
            .requests()
            .into_iter()
            .filter_map(|r| match r {
                TelephonyRequest::Call(call) => Some(call),
                _ => None,
            })
            .collect()
    }

    pub fn texts(&self) -> Vec<(PhoneNumber, String)> {
        self.telephony
            .requests()
            .into_iter()
            .filter_map(|r| match r {
                TelephonyRequest::Sms { to, body, .. } => Some((to, body)),
                _ => None,
            })
            .collect()
    }
}

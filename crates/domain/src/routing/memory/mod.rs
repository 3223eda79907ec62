//! In-memory adapters of the ports: a store that keeps the ports'
//! contracts (atomic under one lock), and fakes of the outside world
//! ([`fakes`]): a telephony adapter that records what it was asked, a
//! settable clock, sequential ids and fixed callback links.

mod admin;
mod clients;
mod escalations;
pub mod fakes;
mod jobs;
mod leads;
mod ring_groups;
mod webhooks;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::model::{
    CallAttempt, CallAttemptId, Client, Escalation, EscalationId, EscalationText, Lead, NewMessage,
    RingGroup, RoutingDecision, TeamMember,
};
use super::ports::StoreError;
use crate::ids::ClientId;
use crate::schedule::WeeklySchedule;
use crate::work::{JobId, NewJob};

pub use fakes::{
    ManualClock, RecordingTelephony, RecordingWebhooks, SequentialIds, TelephonyRequest, TestLinks,
};

/// Everything the in-memory store holds.
#[derive(Debug, Default)]
pub struct MemoryState {
    /// Clients by id.
    pub clients: HashMap<ClientId, Client>,
    /// Schedules by client.
    pub schedules: HashMap<ClientId, WeeklySchedule>,
    /// Team members, in insertion order.
    pub team: Vec<TeamMember>,
    /// Leads, in insertion order.
    pub leads: Vec<Lead>,
    /// Messages, in arrival order.
    pub messages: Vec<NewMessage>,
    /// Decisions, in order.
    pub decisions: Vec<RoutingDecision>,
    /// Ring groups, in order.
    pub ring_groups: Vec<RingGroup>,
    /// Call attempts, in order.
    pub attempts: Vec<CallAttempt>,
    /// Escalations, in order.
    pub escalations: Vec<Escalation>,
    /// Texts to team members about escalations, in the order begun.
    pub texts: Vec<(EscalationId, EscalationText)>,
    /// Stored jobs, in the order stored.
    pub jobs: Vec<MemoryJob>,
    /// How often each leg was placed again after a cut-off create.
    pub redials: HashMap<CallAttemptId, u32>,
    /// Escalations closed without an owner (the lead opted out).
    pub closed_escalations: HashSet<EscalationId>,
    /// Webhook endpoints, in the order created.
    pub webhook_endpoints: Vec<crate::webhooks::WebhookEndpoint>,
    /// Delivery attempts, in order.
    pub webhook_attempts: Vec<(
        crate::webhooks::EndpointId,
        crate::webhooks::DeliveryAttempt,
    )>,
    /// Webhook delivery keys seen.
    pub deliveries: HashSet<String>,
}

/// One stored job and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryJob {
    /// The job as stored.
    pub job: NewJob,
    /// `pending`, `done` or `failed`.
    pub state: &'static str,
    /// Runs handed out so far.
    pub attempts: u32,
    /// The worker holding it, while leased.
    pub lease_owner: Option<uuid::Uuid>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was stored.
    pub created_at: jiff::Timestamp,
}

impl MemoryState {
    /// Stores jobs, keeping a job id once.
    pub fn store_jobs(&mut self, jobs: &[NewJob], at: jiff::Timestamp) {
        for job in jobs {
            if !self.jobs.iter().any(|j| j.job.id == job.id) {
                self.jobs.push(MemoryJob {
                    job: job.clone(),
                    state: "pending",
                    attempts: 0,
                    lease_owner: None,
                    last_error: None,
                    created_at: at,
                });
            }
        }
    }

    /// The stored job with `id`.
    pub fn job(&self, id: JobId) -> Option<&MemoryJob> {
        self.jobs.iter().find(|j| j.job.id == id)
    }
}

/// An in-memory store implementing every store port.
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// The data, behind one lock: each port method is atomic.
    pub state: Mutex<MemoryState>,
}

impl MemoryStore {
    fn with<T>(&self, f: impl FnOnce(&mut MemoryState) -> T) -> Result<T, StoreError> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| StoreError::Unavailable("lock poisoned".to_owned()))?;
        Ok(f(&mut state))
    }

    /// Reads the state, for assertions.
    pub fn snapshot<T>(&self, f: impl FnOnce(&MemoryState) -> T) -> T {
        match self.state.lock() {
            Ok(state) => f(&state),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    /// Adds a client with an optional schedule.
    pub fn add_client(&self, client: Client, schedule: Option<WeeklySchedule>) {
        let _ = self.with(|s| {
            if let Some(schedule) = schedule {
                s.schedules.insert(client.id, schedule);
            }
            s.clients.insert(client.id, client);
        });
    }

    /// Adds a team member.
    pub fn add_team_member(&self, member: TeamMember) {
        let _ = self.with(|s| s.team.push(member));
    }
}

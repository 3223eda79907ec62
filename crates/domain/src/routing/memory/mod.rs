//! In-memory adapters of the ports: a store that keeps the ports'
//! contracts (atomic under one lock), and fakes of the outside world
//! ([`fakes`]): a telephony adapter that records what it was asked, a
//! settable clock, sequential ids and fixed callback links.

mod admin;
mod clients;
mod escalations;
pub mod fakes;
mod leads;
mod ring_groups;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::model::{
    CallAttempt, Client, Escalation, EscalationId, Lead, NewMessage, RingGroup, RoutingDecision,
    TeamMember,
};
use super::ports::StoreError;
use crate::ids::{ClientId, TeamMemberId};
use crate::schedule::WeeklySchedule;

pub use fakes::{ManualClock, RecordingTelephony, SequentialIds, TelephonyRequest, TestLinks};

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
    /// (escalation, member) pairs already texted.
    pub notified: HashSet<(EscalationId, TeamMemberId)>,
    /// Webhook delivery keys seen.
    pub deliveries: HashSet<String>,
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

//! The hot-transfer policy: one entry point per outside event.
//!
//! Each entry point reads and writes through the ports and returns what the
//! caller must answer (a text back, a voice response) plus the follow-ups
//! its decision stored as jobs (place the calls, text the team, cancel the
//! losing legs): each is written in the same commit as the decision, so a
//! caller that dies after answering loses nothing; any worker runs them
//! ([`RoutingService::run`]), and each is safe to repeat.

use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::model::{CallAttemptId, Client, EscalationId, Lead, MessageSid, RingGroupId};
use super::ports::{
    CallbackLinks, ClientStore, Clock, EscalationStore, IdSource, LeadStore, NoObserver,
    RingGroupStore, RoutingObserver, StoreError, Telephony,
};
use super::voice::{SmsReply, VoiceResponse};
use crate::ids::{LeadId, TeamMemberId};
use crate::intent::{IntentScorer, IntentScorerError};
use crate::phone::PhoneNumber;
use crate::webhooks::{EndpointId, Event, WebhookSender, WebhookStore};
use crate::work::{JobId, JobStore, NewJob};

/// Settings of the policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoutingConfig {
    /// How long each agent phone rings, in seconds.
    pub ring_timeout_seconds: u32,
    /// Extra time after the ring timeout before a group with no callbacks
    /// is declared exhausted.
    pub grace_seconds: u32,
    /// Calls the telephony account creates per second (0: no limit), for
    /// the ring plan's start times.
    pub calls_per_second: f64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        Self {
            ring_timeout_seconds: 30,
            grace_seconds: 15,
            calls_per_second: 0.0,
        }
    }
}

/// Why an event could not be handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// No client has this Twilio number.
    #[error("no client has the number {0}")]
    UnknownNumber(PhoneNumber),
    /// A record the event refers to does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The escalation was already claimed by another member.
    #[error("already claimed by team member {0}")]
    AlreadyClaimed(TeamMemberId),
    /// The caller may not act on this client's leads.
    #[error("this token may not access this client")]
    Forbidden,
    /// A store failed; the event should be retried.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The intent scorer failed; the event should be retried.
    #[error(transparent)]
    Scorer(#[from] IntentScorerError),
}

/// Work to run after answering an event, stored as a job (see
/// [`crate::work`]) with the decision that causes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FollowUp {
    /// Place the pending calls of a ring group (of its waves up to
    /// `up_to_tier`, or all of them).
    PlaceCalls {
        /// The ring group.
        group: RingGroupId,
        /// The last wave to place; `None` places every pending leg.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        up_to_tier: Option<u32>,
    },
    /// For `lead_first`: call the lead, whose answer rings the team.
    CallLead {
        /// The ring group.
        group: RingGroupId,
    },
    /// The ring group's deadline: exhaust it if nobody accepted.
    RingDeadline {
        /// The ring group.
        group: RingGroupId,
    },
    /// Text the team about an escalation.
    NotifyEscalation {
        /// The escalation.
        escalation: EscalationId,
    },
    /// End every live leg of a group that ended without a winner.
    EndAllLegs {
        /// The ring group.
        group: RingGroupId,
    },
    /// Cancel or hang up every leg of the group but the winner.
    CancelOtherLegs {
        /// The ring group.
        group: RingGroupId,
        /// The accepted leg.
        winner: CallAttemptId,
    },
    /// Text the lead of a ring group that ended with nobody accepting.
    TextLeadMissed {
        /// The ring group.
        group: RingGroupId,
    },
    /// Text each available member once more about an unclaimed escalation.
    RemindEscalation {
        /// The escalation.
        escalation: EscalationId,
    },
    /// Text the client's manager about an unclaimed escalation.
    AlertManager {
        /// The escalation.
        escalation: EscalationId,
    },
    /// Hand an event to each webhook endpoint subscribed to it.
    Publish {
        /// The event.
        event: Event,
    },
    /// Deliver an event to one endpoint.
    DeliverWebhook {
        /// The endpoint.
        endpoint: EndpointId,
        /// The event.
        event: Event,
    },
    /// Tell the rest of the team who claimed an escalation.
    AnnounceClaim {
        /// The escalation.
        escalation: EscalationId,
    },
}

impl FollowUp {
    /// The job's kind, as stored and shown in logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PlaceCalls { .. } => "place_calls",
            Self::CallLead { .. } => "call_lead",
            Self::RingDeadline { .. } => "ring_deadline",
            Self::NotifyEscalation { .. } => "notify_escalation",
            Self::EndAllLegs { .. } => "end_all_legs",
            Self::CancelOtherLegs { .. } => "cancel_other_legs",
            Self::AnnounceClaim { .. } => "announce_claim",
            Self::TextLeadMissed { .. } => "text_lead_missed",
            Self::RemindEscalation { .. } => "remind_escalation",
            Self::AlertManager { .. } => "alert_manager",
            Self::Publish { .. } => "publish",
            Self::DeliverWebhook { .. } => "deliver_webhook",
        }
    }
}

/// An inbound SMS as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundSms {
    /// Twilio's message id.
    pub sid: MessageSid,
    /// The sender.
    pub from: PhoneNumber,
    /// The client's number it was sent to.
    pub to: PhoneNumber,
    /// The text.
    pub body: String,
}

/// A text back to the sender, and the follow-ups.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SmsHandled {
    /// What to answer the webhook with.
    pub reply: SmsReply,
    /// What to run after answering.
    pub follow_ups: Vec<FollowUp>,
}

/// A voice response, and the follow-ups.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceHandled {
    /// What the leg hears and does.
    pub response: VoiceResponse,
    /// What to run after answering.
    pub follow_ups: Vec<FollowUp>,
}

impl VoiceHandled {
    pub(super) fn only(response: VoiceResponse) -> Self {
        Self {
            response,
            follow_ups: Vec::new(),
        }
    }
}

/// The ports the policy runs on.
#[derive(Clone)]
pub struct RoutingPorts {
    /// Clients, teams and schedules.
    pub clients: Arc<dyn ClientStore>,
    /// Leads, messages and decisions.
    pub leads: Arc<dyn LeadStore>,
    /// Ring groups and call legs.
    pub ring_groups: Arc<dyn RingGroupStore>,
    /// Escalations and claims.
    pub escalations: Arc<dyn EscalationStore>,
    /// Calls and texts.
    pub telephony: Arc<dyn Telephony>,
    /// Callback URLs for call legs.
    pub links: Arc<dyn CallbackLinks>,
    /// Hot-intent scoring.
    pub scorer: Arc<dyn IntentScorer>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// New ids.
    pub ids: Arc<dyn IdSource>,
    /// Durable work.
    pub jobs: Arc<dyn JobStore>,
    /// Webhook endpoints and their log.
    pub webhooks: Arc<dyn WebhookStore>,
    /// Delivers events to endpoints.
    pub webhook_sender: Arc<dyn WebhookSender>,
}

/// The hot-transfer policy.
#[derive(Clone)]
pub struct RoutingService {
    ports: RoutingPorts,
    config: RoutingConfig,
    observer: Arc<dyn RoutingObserver>,
}

mod chase;
mod escalation;
mod follow_ups;
mod inbound;
mod lead_first;
mod legs;
pub mod plan;
mod publish;
mod ring_groups;

impl RoutingService {
    /// A policy running on `ports` with `config`.
    pub fn new(ports: RoutingPorts, config: RoutingConfig) -> Self {
        Self {
            ports,
            config,
            observer: Arc::new(NoObserver),
        }
    }

    /// The same policy, reporting speed to lead and ring-group outcomes to
    /// `observer` (metrics).
    #[must_use]
    pub fn with_observer(mut self, observer: Arc<dyn RoutingObserver>) -> Self {
        self.observer = observer;
        self
    }

    /// The policy's clock, now.
    pub fn now(&self) -> Timestamp {
        self.ports.clock.now()
    }

    pub(super) async fn client(&self, id: crate::ids::ClientId) -> Result<Client, RoutingError> {
        self.ports
            .clients
            .client(id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("client {id}")))
    }

    /// A job doing `work` from `due_at`, with a fresh id.
    pub(super) fn job(&self, work: FollowUp, due_at: Timestamp) -> NewJob {
        NewJob {
            id: JobId(self.ports.ids.new_uuid()),
            work,
            due_at,
        }
    }

    pub(super) async fn lead(&self, id: LeadId) -> Result<Lead, RoutingError> {
        self.ports
            .leads
            .lead(id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("lead {id}")))
    }
}

//! The events other systems learn of through outbound webhooks (CONTRACT
//! section 10), as the policy emits them.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, LeadId};

/// What happened, with its data (each also carries `client_id` and
/// `lead_id`, from [`Event`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum EventData {
    /// A hot message from a lead.
    #[serde(rename = "lead.hot")]
    LeadHot {
        /// The lead's phone.
        phone: String,
        /// The message.
        message: String,
        /// The intent score, 0 to 1.
        score: f64,
        /// Why it scored so.
        signals: Vec<String>,
        /// Whether the business was open.
        within_hours: bool,
    },
    /// The team's phones started ringing.
    #[serde(rename = "ring_group.started")]
    RingGroupStarted {
        /// The ring group.
        ring_group_id: String,
        /// How it rings.
        strategy: String,
        /// The phones rung.
        phones: Vec<String>,
    },
    /// A member pressed 1 and was bridged to the lead.
    #[serde(rename = "lead.accepted")]
    LeadAccepted {
        /// The member.
        team_member_id: String,
        /// Their name.
        name: String,
        /// From the ring group's start to the acceptance.
        seconds_to_accept: f64,
    },
    /// Nobody accepted.
    #[serde(rename = "ring_group.exhausted")]
    RingGroupExhausted {
        /// The ring group.
        ring_group_id: String,
    },
    /// The lead waits for a member to claim them.
    #[serde(rename = "escalation.opened")]
    EscalationOpened {
        /// The escalation.
        escalation_id: String,
        /// `out_of_hours`, `no_answer` or `no_team`.
        reason: String,
    },
    /// A member claimed the lead.
    #[serde(rename = "escalation.claimed")]
    EscalationClaimed {
        /// The escalation.
        escalation_id: String,
        /// The member.
        team_member_id: String,
        /// Their name.
        name: String,
    },
    /// The lead texted STOP.
    #[serde(rename = "lead.opted_out")]
    LeadOptedOut {},
    /// The lead booked an appointment.
    #[serde(rename = "lead.booked")]
    LeadBooked {},
}

impl EventData {
    /// The event's type name (`lead.hot`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::LeadHot { .. } => "lead.hot",
            Self::RingGroupStarted { .. } => "ring_group.started",
            Self::LeadAccepted { .. } => "lead.accepted",
            Self::RingGroupExhausted { .. } => "ring_group.exhausted",
            Self::EscalationOpened { .. } => "escalation.opened",
            Self::EscalationClaimed { .. } => "escalation.claimed",
            Self::LeadOptedOut {} => "lead.opted_out",
            Self::LeadBooked {} => "lead.booked",
        }
    }
}

/// Every event type, as endpoints subscribe to them.
pub const EVENT_TYPES: [&str; 8] = [
    "lead.hot",
    "ring_group.started",
    "lead.accepted",
    "ring_group.exhausted",
    "escalation.opened",
    "escalation.claimed",
    "lead.opted_out",
    "lead.booked",
];

/// One event about a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique per event; the `webhook-id` of every delivery and retry.
    pub id: uuid::Uuid,
    /// The client.
    pub client_id: ClientId,
    /// The lead.
    pub lead_id: LeadId,
    /// When it happened (RFC 3339).
    pub timestamp: String,
    /// What happened.
    pub data: EventData,
}

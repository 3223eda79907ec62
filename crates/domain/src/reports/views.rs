//! What reports show of leads, call attempts and escalations. Ids and
//! instants are strings as the API answers them (RFC 3339 UTC).

use serde::Serialize;

use crate::intent::Evidence;
use crate::{LeadId, Timestamp};

/// A lead in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadSummary {
    /// Id.
    pub id: String,
    /// Phone (E.164).
    pub phone: String,
    /// Status (`new`, `ringing`, `transferred`, `escalated`, `booked`…).
    pub status: String,
    /// Opted out of messages.
    pub opted_out: bool,
    /// First seen.
    pub created_at: String,
    /// Booked an appointment at.
    pub booked_at: Option<String>,
    /// The lead's latest message.
    pub last_message: Option<String>,
    /// When the latest message arrived.
    pub last_message_at: Option<String>,
    /// The team member who has the lead: the agent who accepted its call,
    /// else the one who claimed its escalation.
    pub handled_by: Option<String>,
}

/// A message of a lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageView {
    /// Hotline's id of the message.
    pub id: String,
    /// Twilio's MessageSid.
    pub message_sid: String,
    /// Text.
    pub body: String,
    /// Intent score.
    pub intent_score: f64,
    /// Hot.
    pub hot: bool,
    /// What pushed the score most.
    pub signals: Vec<Evidence>,
    /// Received at.
    pub received_at: String,
    /// An admin's verdict on the score (hot or not), when one was given.
    pub label: Option<bool>,
}

/// A routing decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionView {
    /// The message decided on.
    pub message_sid: String,
    /// What was done.
    pub outcome: String,
    /// Intent score.
    pub intent_score: f64,
    /// Hot.
    pub hot: bool,
    /// What pushed the score most.
    pub signals: Vec<Evidence>,
    /// Open then.
    pub open: bool,
    /// Next opening when closed.
    pub next_open: Option<String>,
    /// Reply sent.
    pub reply: Option<String>,
    /// Decided at.
    pub decided_at: String,
}

/// A call attempt: one phone of a ring group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptView {
    /// Id.
    pub id: String,
    /// Ring group.
    pub ring_group_id: String,
    /// Lead.
    pub lead_id: String,
    /// Team member rung.
    pub team_member_id: Option<String>,
    /// Phone rung.
    pub phone: String,
    /// Twilio's CallSid.
    pub call_sid: Option<String>,
    /// Leg status.
    pub status: String,
    /// Picked up and accepted.
    pub answered: bool,
    /// Bridged to the lead.
    pub transferred_to_agent: bool,
    /// Seconds.
    pub duration: Option<i32>,
    /// Created at.
    pub created_at: String,
    /// The lead's phone (E.164).
    pub lead_phone: String,
}

/// An escalation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscalationView {
    /// Id.
    pub id: String,
    /// Lead.
    pub lead_id: String,
    /// Why (`after_hours`, `no_answer`, `no_team`).
    pub reason: String,
    /// Claimed by.
    pub claimed_by: Option<String>,
    /// Opened at.
    pub created_at: String,
    /// Claimed at.
    pub claimed_at: Option<String>,
    /// Closed without an owner (the lead opted out) at.
    pub closed_at: Option<String>,
    /// Each text to the team about it, and where it stands.
    pub texts: Vec<TextView>,
    /// The lead's phone (E.164).
    pub lead_phone: String,
}

/// One text to a team member about an escalation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextView {
    /// The member texted.
    pub team_member_id: String,
    /// `escalation` (reply CLAIM) or `claim` (who took the lead).
    pub purpose: String,
    /// `pending` (not sent yet, or being retried), `sent` or `failed`.
    pub state: String,
    /// How often sending was tried.
    pub tries: i32,
    /// The last failure (Twilio's status, code and message), if any.
    pub error: Option<String>,
    /// When its state last changed.
    pub updated_at: String,
}

/// A lead with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadDetail {
    /// The lead.
    #[serde(flatten)]
    pub lead: LeadSummary,
    /// Its messages, oldest first.
    pub messages: Vec<MessageView>,
    /// Routing decisions, oldest first.
    pub routing_decisions: Vec<DecisionView>,
    /// Call attempts, oldest first.
    pub call_attempts: Vec<AttemptView>,
    /// Escalations, oldest first.
    pub escalations: Vec<EscalationView>,
}

/// Which of a client's leads a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeadFilter {
    /// Every lead.
    #[default]
    All,
    /// Leads with an escalation nobody has claimed or closed.
    Waiting,
    /// Leads that sent a hot message.
    Hot,
    /// Leads escalated because they were hot outside business hours.
    AfterHours,
    /// Leads that booked.
    Booked,
}

impl LeadFilter {
    /// Every filter, in the order a page offers them.
    pub const ALL: [Self; 5] = [
        Self::All,
        Self::Waiting,
        Self::Hot,
        Self::AfterHours,
        Self::Booked,
    ];

    /// The filter's name in a query string (`waiting`, `hot`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Waiting => "waiting",
            Self::Hot => "hot",
            Self::AfterHours => "after_hours",
            Self::Booked => "booked",
        }
    }

    /// The filter named `text`; `None` for an unknown name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// Where a page of leads starts: the last lead of the previous page, so
/// the next page reads on from it through the index (keyset pagination).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadCursor {
    /// When that lead first texted.
    pub created_at: Timestamp,
    /// That lead, to order leads created at the same instant.
    pub id: LeadId,
}

impl LeadCursor {
    /// The cursor as a query-string value: `<unix microseconds>_<lead id>`.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.created_at.as_microsecond(), self.id)
    }

    /// A cursor written by [`LeadCursor::encode`]; `None` when it is not one.
    pub fn decode(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('_')?;
        Some(Self {
            created_at: Timestamp::from_microsecond(micros.parse().ok()?).ok()?,
            id: LeadId::parse(id).ok()?,
        })
    }
}

/// One page of a client's leads, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadQuery {
    /// Which leads.
    pub filter: LeadFilter,
    /// Only leads that first texted at or after this instant.
    pub since: Option<Timestamp>,
    /// Only leads that first texted before this instant.
    pub until: Option<Timestamp>,
    /// Only leads older than this one (the previous page's last).
    pub before: Option<LeadCursor>,
    /// At most this many.
    pub limit: u32,
}

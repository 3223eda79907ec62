//! The records the hot-transfer policy reads and writes.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::intent::IntentAssessment;
use crate::phone::PhoneNumber;
use crate::timezone::TimeZoneName;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// Identifies a ring group: one round of ringing the team for a lead.
    RingGroupId
);
uuid_id!(
    /// Identifies one outbound call leg to one team member.
    CallAttemptId
);
uuid_id!(
    /// Identifies an escalation: a lead waiting for a team member to claim it.
    EscalationId
);

/// Twilio's id of a message (`SM…`/`MM…`), unique per inbound SMS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageSid(pub String);

/// Twilio's id of a call leg (`CA…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CallSid(pub String);

/// A business using Hotline.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// The client's id.
    pub id: ClientId,
    /// Display name, said to agents and used in texts.
    pub name: String,
    /// The Twilio number leads text; caller ID of every call Hotline places.
    pub twilio_number: PhoneNumber,
    /// Time zone of the business hours and of texts that name times.
    pub timezone: TimeZoneName,
    /// Text sent to a hot lead who writes outside business hours, if any.
    /// `{next_open}` is replaced by the next opening ("Monday at 9:00 AM").
    pub out_of_hours_reply: Option<String>,
    /// Record the bridged call between agent and lead.
    pub record_calls: bool,
    /// How a hot lead's ring group rings the team.
    pub ring_strategy: RingStrategyKind,
    /// For `tiered`: how long a tier rings alone before the next joins.
    pub tier_delay_seconds: u32,
    /// What the lead hears and who is chased while a lead waits.
    pub follow_through: FollowThrough,
    /// Whether any webhook endpoint receives the client's events.
    pub has_webhooks: bool,
}

/// How a client follows a hot lead through (CONTRACT section 9); every
/// part is off when `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FollowThrough {
    /// The reply to the lead's SMS when their ring group starts.
    pub lead_ack_reply: Option<String>,
    /// Texted to the lead when the ring group ends with nobody accepting.
    pub lead_missed_text: Option<String>,
    /// An escalation still unclaimed this long after it opened: each
    /// available member is texted once more.
    pub reminder_after_seconds: Option<u32>,
    /// Texted once when an escalation is still unclaimed after
    /// `manager_after_seconds`.
    pub manager_phone: Option<PhoneNumber>,
    /// See `manager_phone`.
    pub manager_after_seconds: Option<u32>,
}

/// How a client's team is rung for a hot lead (CONTRACT section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingStrategyKind {
    /// One call per member, all at once.
    #[default]
    Simultaneous,
    /// One member at a time, in priority order.
    Sequential,
    /// Members of the same priority together, each tier after a delay.
    Tiered,
    /// The lead first, then every member through one `<Dial>`.
    LeadFirst,
}

impl RingStrategyKind {
    /// The name clients choose it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Simultaneous => "simultaneous",
            Self::Sequential => "sequential",
            Self::Tiered => "tiered",
            Self::LeadFirst => "lead_first",
        }
    }

    /// The strategy named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Simultaneous,
            Self::Sequential,
            Self::Tiered,
            Self::LeadFirst,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

/// A member of a client's team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMember {
    /// The member's id.
    pub id: TeamMemberId,
    /// The client they work for.
    pub client_id: ClientId,
    /// Name, used when telling others who claimed a lead.
    pub name: String,
    /// The phone that rings and receives escalation texts.
    pub phone: PhoneNumber,
    /// Rung in ring groups.
    pub receives_hot_transfers: bool,
    /// Inactive members are never rung or texted.
    pub active: bool,
    /// Lower rings first (1..1000, default 100); for `tiered`, members with
    /// the same priority form a tier.
    pub priority: u32,
    /// Off duty (`AWAY` by text, or through the API): not rung or texted.
    pub available: bool,
}

/// Where a lead stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// Has written; nothing under way.
    New,
    /// The team's phones are ringing for them.
    Ringing,
    /// An agent accepted and was bridged to them.
    Connected,
    /// Waiting for a team member to claim them.
    Escalated,
    /// A team member claimed them.
    Claimed,
    /// Booked an appointment.
    Booked,
}

/// A person who texted a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    /// The lead's id.
    pub id: LeadId,
    /// The client they texted.
    pub client_id: ClientId,
    /// Their phone.
    pub phone: PhoneNumber,
    /// Where they stand.
    pub status: LeadStatus,
    /// Sent an opt-out: never call or text them again.
    pub opted_out: bool,
}

/// A lead's SMS as it arrives: the lead is found (or created) by its phone.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// Twilio's id, unique.
    pub sid: MessageSid,
    /// The client written to.
    pub client_id: ClientId,
    /// The lead's phone.
    pub from: PhoneNumber,
    /// The text.
    pub body: String,
    /// The scorer's verdict.
    pub assessment: IntentAssessment,
    /// When it arrived; also the lead's creation time when new.
    pub received_at: Timestamp,
    /// The decision, when it is settled before the message is stored: a
    /// message neither hot nor an opt-out needs no action whoever sent it.
    pub settled: Option<SettledDecision>,
}

/// What is known of a [`RoutingOutcome::NotHot`] decision before its message
/// is stored; the store records it with the message, in one atomic write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettledDecision {
    /// Open at the time of the message.
    pub open: bool,
    /// The next opening when closed.
    pub next_open: Option<Timestamp>,
}

impl InboundMessage {
    /// The settled decision for this message from `lead`, if there is one.
    pub fn settled_decision(&self, lead: LeadId) -> Option<RoutingDecision> {
        self.settled.map(|settled| RoutingDecision {
            message_sid: self.sid.clone(),
            client_id: self.client_id,
            lead_id: lead,
            outcome: RoutingOutcome::NotHot,
            assessment: self.assessment.clone(),
            open: settled.open,
            next_open: settled.next_open,
            reply: None,
            decided_at: self.received_at,
        })
    }

    /// The message to store for `lead`.
    pub fn for_lead(&self, lead: LeadId) -> NewMessage {
        NewMessage {
            sid: self.sid.clone(),
            client_id: self.client_id,
            lead_id: lead,
            body: self.body.clone(),
            assessment: self.assessment.clone(),
            received_at: self.received_at,
        }
    }
}

/// An inbound SMS to store once per [`MessageSid`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Twilio's id, unique.
    pub sid: MessageSid,
    /// The client written to.
    pub client_id: ClientId,
    /// The lead who wrote.
    pub lead_id: LeadId,
    /// The text.
    pub body: String,
    /// The scorer's verdict.
    pub assessment: IntentAssessment,
    /// When it arrived.
    pub received_at: Timestamp,
}

/// What storing a message found.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageRecorded {
    /// Stored now, first delivery.
    New,
    /// Already stored by an earlier delivery; `decision` is what was decided
    /// then, `None` when that delivery stopped before deciding.
    AlreadyStored {
        /// The decision recorded for the message, if any.
        decision: Option<RoutingDecision>,
    },
}

/// What Hotline did with a lead's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingOutcome {
    /// Hot and open: the team's phones ring.
    RingGroup,
    /// Hot and open, but a ring group for the lead is already ringing.
    AlreadyRinging,
    /// Hot and closed: escalated to the team by text.
    EscalatedClosed,
    /// Hot and open, but nobody can be rung: escalated.
    EscalatedNoTeam,
    /// Hot, but an escalation for the lead is already open.
    AlreadyEscalated,
    /// Not hot: stored, nothing else.
    NotHot,
    /// The message opts out: the lead is never contacted again.
    OptedOut,
    /// The lead had opted out earlier: stored, nothing else.
    LeadOptedOut,
}

/// A routing decision with its reasons, kept for audit and stats.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingDecision {
    /// The message decided on.
    pub message_sid: MessageSid,
    /// The client.
    pub client_id: ClientId,
    /// The lead.
    pub lead_id: LeadId,
    /// What was done.
    pub outcome: RoutingOutcome,
    /// Intent score and signals.
    pub assessment: IntentAssessment,
    /// Open at the time of the message.
    pub open: bool,
    /// The next opening when closed.
    pub next_open: Option<Timestamp>,
    /// The text answered to the lead, if any (repeated on retries).
    pub reply: Option<String>,
    /// When it was decided.
    pub decided_at: Timestamp,
}

/// State of a ring group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingGroupStatus {
    /// Phones are ringing or about to.
    Ringing,
    /// An agent accepted.
    Answered,
    /// Every leg ended, or time ran out, with no acceptance.
    Exhausted,
}

/// One round of ringing every eligible team phone for a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct RingGroup {
    /// The group's id.
    pub id: RingGroupId,
    /// The client.
    pub client_id: ClientId,
    /// The lead being transferred.
    pub lead_id: LeadId,
    /// Where it stands.
    pub status: RingGroupStatus,
    /// The accepted leg, once one wins.
    pub winner: Option<CallAttemptId>,
    /// When ringing began.
    pub started_at: Timestamp,
    /// When the group is exhausted if nobody accepted: ring timeout plus grace.
    pub deadline: Timestamp,
    /// The strategy it rings with (fixed when it starts).
    pub strategy: RingStrategyKind,
    /// For `lead_first`: the call to the lead, once placed.
    pub lead_call_sid: Option<CallSid>,
}

/// The state of one call leg, in the order a leg moves through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegStatus {
    /// Recorded; the call is not placed yet.
    Pending,
    /// Claimed by a dialer; the REST request is under way.
    Dialing,
    /// Twilio queued the call.
    Queued,
    /// Twilio started the call.
    Initiated,
    /// The phone is ringing.
    Ringing,
    /// Picked up.
    InProgress,
    /// Ended after being answered.
    Completed,
    /// The line was busy.
    Busy,
    /// Nobody picked up.
    NoAnswer,
    /// The call could not be placed or connected.
    Failed,
    /// Cancelled before it was answered.
    Canceled,
}

impl LegStatus {
    /// Whether the leg has ended.
    pub fn is_terminal(self) -> bool {
        self >= Self::Completed
    }

    /// Whether moving from `self` to `next` goes forward: a later stage, and
    /// never out of a terminal state.
    pub fn can_advance_to(self, next: Self) -> bool {
        !self.is_terminal() && next > self
    }
}

/// One outbound call to one team member within a ring group.
#[derive(Debug, Clone, PartialEq)]
pub struct CallAttempt {
    /// The attempt's id.
    pub id: CallAttemptId,
    /// Its ring group.
    pub ring_group_id: RingGroupId,
    /// The lead.
    pub lead_id: LeadId,
    /// The client.
    pub client_id: ClientId,
    /// The member rung.
    pub team_member_id: TeamMemberId,
    /// The phone rung.
    pub phone: PhoneNumber,
    /// Twilio's id once placed.
    pub call_sid: Option<CallSid>,
    /// The leg's state; only moves forward.
    pub status: LegStatus,
    /// The highest `SequenceNumber` applied.
    pub last_sequence: Option<u32>,
    /// Twilio's `AnsweredBy` (human, machine_start, …), when known.
    pub answered_by: Option<String>,
    /// The agent picked up.
    pub answered: bool,
    /// The agent accepted and was bridged to the lead.
    pub transferred_to_agent: bool,
    /// Call length in seconds, from the final callback.
    pub duration_seconds: Option<u32>,
    /// When the attempt was recorded.
    pub created_at: Timestamp,
    /// Which wave of the group rings it, from 1 (all 1 when simultaneous).
    pub tier: u32,
}

/// A new ring group with one attempt per phone, to store atomically.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRingGroup {
    /// The group, with status `Ringing`.
    pub group: RingGroup,
    /// Its attempts, each `Pending`.
    pub attempts: Vec<CallAttempt>,
    /// The work the start causes (place the calls, the deadline), stored
    /// with the group only when it starts.
    pub then: Vec<crate::work::NewJob>,
}

/// What starting a ring group found.
#[derive(Debug, Clone, PartialEq)]
pub enum RingGroupStart {
    /// Stored: this group now rings.
    Started,
    /// A ring group for the lead was already ringing; nothing stored.
    AlreadyRinging(RingGroupId),
}

/// A status callback for a leg.
#[derive(Debug, Clone, PartialEq)]
pub struct LegUpdate {
    /// The new state.
    pub status: LegStatus,
    /// Twilio's `SequenceNumber`, when sent.
    pub sequence: Option<u32>,
    /// Twilio's `AnsweredBy`, when sent.
    pub answered_by: Option<String>,
    /// Twilio's `CallDuration`, when sent.
    pub duration_seconds: Option<u32>,
}

impl LegUpdate {
    /// A move to `status` that Hotline decides itself (no callback data).
    pub fn to(status: LegStatus) -> Self {
        Self {
            status,
            sequence: None,
            answered_by: None,
            duration_seconds: None,
        }
    }
}

/// What accepting a leg found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acceptance {
    /// This leg won; it is the ring group's winner.
    Won,
    /// Another leg had already won (or this one had, on a retry: `Won`).
    Lost,
}

/// Why a lead was escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// Hot outside business hours.
    OutOfHours,
    /// The ring group ended with no acceptance.
    NoAnswer,
    /// Nobody could be rung.
    NoTeam,
}

/// A lead waiting for a team member to claim them.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// The escalation's id.
    pub id: EscalationId,
    /// The client.
    pub client_id: ClientId,
    /// The lead.
    pub lead_id: LeadId,
    /// Why.
    pub reason: EscalationReason,
    /// Who claimed it, once claimed.
    pub claimed_by: Option<TeamMemberId>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was claimed.
    pub claimed_at: Option<Timestamp>,
}

/// What opening an escalation found.
#[derive(Debug, Clone, PartialEq)]
pub enum EscalationOpen {
    /// Stored now.
    Opened,
    /// An unclaimed escalation for the lead already exists; nothing stored.
    AlreadyOpen(EscalationId),
}

/// What claiming an escalation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This member now owns the lead (also on a repeat by the same member).
    Claimed,
    /// Another member had claimed it first.
    AlreadyClaimed(TeamMemberId),
}

/// Why a team member is texted about an escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextPurpose {
    /// "A hot lead is waiting: reply CLAIM."
    Escalation,
    /// "Still waiting": the reminder of an unclaimed escalation.
    Reminder,
    /// "Another member claimed the lead."
    Claim,
}

/// Where one text to a team member stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextState {
    /// Recorded; not sent yet, or being retried.
    Pending,
    /// Twilio accepted it.
    Sent,
    /// Twilio refused it for good, or the retries ran out.
    Failed,
}

/// One text to a team member about an escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationText {
    /// Who it is for.
    pub team_member_id: TeamMemberId,
    /// What it says.
    pub purpose: TextPurpose,
    /// Where it stands.
    pub state: TextState,
    /// How often sending was tried.
    pub tries: u32,
    /// The last failure, if any (Twilio's code and message).
    pub error: Option<String>,
    /// When its state last changed.
    pub updated_at: Timestamp,
}

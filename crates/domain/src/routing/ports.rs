//! The ports the hot-transfer policy drives: stores, telephony, callback
//! links and the clock.
//!
//! Every store method that decides a race is a single atomic operation in
//! the adapter ("start a ring group unless one is ringing", "accept unless
//! another leg won", "claim unless claimed", "record this message once"), so
//! the policy never checks and then acts.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};

use super::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, ClaimOutcome, Client, Escalation,
    EscalationId, EscalationOpen, EscalationText, InboundMessage, Lead, LeadStatus, LegUpdate,
    MessageRecorded, NewMessage, NewRingGroup, RingGroup, RingGroupId, RingGroupStart,
    RoutingDecision, TeamMember, TextPurpose, TextState,
};
use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::phone::PhoneNumber;
use crate::schedule::WeeklySchedule;
use crate::work::{JobId, NewJob};

/// A store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A record the operation needs does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The operation conflicts with stored data (a unique rule).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The store is unreachable or failed; the caller should retry later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// Clients, their team and their business hours.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// The client whose Twilio number is `number`; MUST return `Ok(None)` when none is.
    async fn client_by_number(&self, number: &PhoneNumber) -> Result<Option<Client>, StoreError>;
    /// The client with `id`; MUST return `Ok(None)` when absent.
    async fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError>;
    /// The client's schedule; MUST return `Ok(None)` when no hours are set
    /// (the business is then never open).
    async fn schedule(&self, id: ClientId) -> Result<Option<WeeklySchedule>, StoreError>;
    /// The client's active team member with `phone`; MUST return `Ok(None)` when none is.
    async fn team_member_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<TeamMember>, StoreError>;
    /// The team member with `id`; MUST return `Ok(None)` when absent.
    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, StoreError>;
    /// The client's active members, in a stable order; empty when none.
    async fn active_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError>;
    /// Puts a member on duty (`true`) or off duty; MUST return `NotFound`
    /// when the member is absent.
    async fn set_member_available(
        &self,
        member: TeamMemberId,
        available: bool,
        at: Timestamp,
    ) -> Result<(), StoreError>;
}

/// Leads, their messages and the decisions taken on them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LeadStore: Send + Sync {
    /// The lead for `(client, phone)`, created with status `New` when absent.
    /// MUST be atomic: concurrent calls return the same lead.
    async fn upsert_lead(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
        now: Timestamp,
    ) -> Result<Lead, StoreError>;
    /// The lead with `id`; MUST return `Ok(None)` when absent.
    async fn lead(&self, id: LeadId) -> Result<Option<Lead>, StoreError>;
    /// Stores a message once per sid. MUST return `AlreadyStored` (with the
    /// decision recorded for it, if any), storing nothing, when the sid exists.
    async fn record_message(&self, message: &NewMessage) -> Result<MessageRecorded, StoreError>;
    /// Finds or creates the lead who wrote `message` and stores the message
    /// once per sid, with the guarantees of [`Self::upsert_lead`] and
    /// [`Self::record_message`]; a new message's settled decision, if any,
    /// is recorded with it as by [`Self::record_decision`]. Stores that can
    /// do all of it in one round trip override this; the default runs the
    /// steps in turn (a delivery cut short between them is finished by the
    /// next, since the message is then stored without a decision).
    async fn record_inbound(
        &self,
        message: &InboundMessage,
    ) -> Result<(Lead, MessageRecorded), StoreError> {
        record_inbound_in_steps(self, message).await
    }
    /// Stores the decision for a message; MUST keep the first decision and
    /// ignore later ones for the same message sid.
    async fn record_decision(&self, decision: &RoutingDecision) -> Result<(), StoreError>;
    /// The body of the lead's most recent message; `Ok(None)` when none.
    async fn last_message_body(&self, lead: LeadId) -> Result<Option<String>, StoreError>;
    /// Sets a lead's status at `at` (the booking time when `Booked`); MUST
    /// return `NotFound` when the lead is absent.
    async fn set_lead_status(
        &self,
        lead: LeadId,
        status: LeadStatus,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Marks a lead opted out for good; MUST return `NotFound` when absent.
    async fn set_opted_out(&self, lead: LeadId) -> Result<(), StoreError>;
    /// Records a webhook delivery key; MUST return `true` the first time a key
    /// is seen and `false` on every repeat.
    async fn first_delivery(&self, key: &str, now: Timestamp) -> Result<bool, StoreError>;
}

/// [`LeadStore::record_inbound`] as separate steps: the lead, then the
/// message, then a new message's settled decision. The trait's default, and
/// the fallback of stores that override it.
///
/// # Errors
///
/// The store's errors, from the first step that fails.
pub async fn record_inbound_in_steps<S: LeadStore + ?Sized>(
    store: &S,
    message: &InboundMessage,
) -> Result<(Lead, MessageRecorded), StoreError> {
    let lead = store
        .upsert_lead(message.client_id, &message.from, message.received_at)
        .await?;
    let recorded = store.record_message(&message.for_lead(lead.id)).await?;
    if recorded == MessageRecorded::New
        && let Some(decision) = message.settled_decision(lead.id)
    {
        store.record_decision(&decision).await?;
    }
    Ok((lead, recorded))
}

/// Ring groups and their call legs.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait RingGroupStore: Send + Sync {
    /// Stores a ring group, its attempts and its jobs (`new.then`) and marks
    /// its lead `Ringing`, in one atomic operation. MUST store and change
    /// nothing and return `AlreadyRinging` when a ringing group exists for
    /// the lead.
    async fn start_ring_group(&self, new: &NewRingGroup) -> Result<RingGroupStart, StoreError>;
    /// The ring group with `id`; MUST return `Ok(None)` when absent.
    async fn ring_group(&self, id: RingGroupId) -> Result<Option<RingGroup>, StoreError>;
    /// The attempts of a ring group, in creation order.
    async fn attempts(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError>;
    /// The attempt with `id`; MUST return `Ok(None)` when absent.
    async fn attempt(&self, id: CallAttemptId) -> Result<Option<CallAttempt>, StoreError>;
    /// The attempt placed as `sid`; MUST return `Ok(None)` when none was.
    async fn attempt_by_call_sid(&self, sid: &CallSid) -> Result<Option<CallAttempt>, StoreError>;
    /// Moves every `Pending` attempt of a ringing group (of a tier up to
    /// `up_to_tier`, when given) to `Dialing` and
    /// returns them as stored afterwards, in creation order. MUST hand each
    /// attempt to one caller only and return none once the group no longer
    /// rings, so each attempt is dialled at most once and never after the end.
    async fn claim_pending_legs(
        &self,
        group: RingGroupId,
        up_to_tier: Option<u32>,
    ) -> Result<Vec<CallAttempt>, StoreError>;
    /// Moves a `Dialing` attempt with no call sid back to `Pending`: its
    /// create was refused for now (429, 5xx) and will be tried again.
    async fn release_leg(&self, attempt: CallAttemptId) -> Result<(), StoreError>;
    /// The legs of a ringing group left `Dialing` with no call sid by a run
    /// that was cut off (a crash, a timeout): each is handed back to be
    /// placed again at most `max_redials` times in all (counted per leg),
    /// and a leg past that is marked `Failed`. Returns the legs to place.
    async fn reclaim_unsure_legs(
        &self,
        group: RingGroupId,
        max_redials: u32,
    ) -> Result<Vec<CallAttempt>, StoreError>;
    /// Records the call to the lead of a `lead_first` group.
    async fn record_lead_call(&self, group: RingGroupId, sid: &CallSid) -> Result<(), StoreError>;
    /// Records the call sid of a placed attempt and moves it to `Queued`
    /// (unless a callback already moved it further). Returns whether the
    /// attempt's ring group is still ringing, so a call placed as the group
    /// ended can be cancelled; MUST return `NotFound` for an unknown attempt.
    async fn record_call_placed(
        &self,
        attempt: CallAttemptId,
        sid: &CallSid,
    ) -> Result<bool, StoreError>;
    /// Applies a status callback when it moves the leg forward (a later
    /// state, and a higher sequence number when both are known). MUST return
    /// the attempt as stored afterwards and whether it changed; a stale or
    /// repeated callback changes nothing.
    async fn advance_leg(
        &self,
        attempt: CallAttemptId,
        update: &LegUpdate,
    ) -> Result<(CallAttempt, bool), StoreError>;
    /// Makes `attempt` the winner of its ring group unless another won.
    /// MUST be atomic: of concurrent calls, one gets `Won` and the rest
    /// `Lost`; a repeat by the winner gets `Won` again; MUST return `Lost`
    /// when the group is no longer ringing and `NotFound` when the attempt is
    /// absent. The winner is marked answered and transferred to the agent,
    /// the group `Answered`, ended at `at`, and `then` stored, all in the
    /// one operation that wins (a repeat stores nothing).
    async fn accept(
        &self,
        attempt: CallAttemptId,
        at: Timestamp,
        then: &[NewJob],
    ) -> Result<Acceptance, StoreError>;
    /// Marks a ringing group `Exhausted` and, in the same atomic operation,
    /// stores `then` and `escalation` (unless an unclaimed escalation for
    /// the lead is already open). MUST return the id of the lead's open
    /// escalation (new or existing) only to the one caller that exhausted
    /// the group, and `Ok(None)`, storing nothing, when the group was
    /// absent, answered or already exhausted.
    async fn exhaust(
        &self,
        group: RingGroupId,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<Option<EscalationId>, StoreError>;
    /// Ends the lead's ringing group, if it has one, with nobody accepting
    /// and no escalation (the lead opted out), freeing the lead's slot, and
    /// in the same operation stores job `end_legs` doing
    /// `FollowUp::EndAllLegs` for that group, due at `at`. MUST answer the
    /// group's id to exactly one caller, and `Ok(None)` when the lead has
    /// no ringing group.
    async fn end_ringing_group(
        &self,
        lead: LeadId,
        at: Timestamp,
        end_legs: JobId,
    ) -> Result<Option<RingGroupId>, StoreError>;
}

/// Escalations and their claims.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait EscalationStore: Send + Sync {
    /// Stores an escalation and its jobs (`then`) in one atomic operation.
    /// MUST store nothing and return `AlreadyOpen` when an unclaimed
    /// escalation exists for the lead.
    async fn open_escalation(
        &self,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<EscalationOpen, StoreError>;
    /// The escalation with `id`; MUST return `Ok(None)` when absent.
    async fn escalation(&self, id: EscalationId) -> Result<Option<Escalation>, StoreError>;
    /// The client's unclaimed escalations, newest first.
    async fn open_escalations(&self, client: ClientId) -> Result<Vec<Escalation>, StoreError>;
    /// Gives the escalation to `member` unless someone else holds it. MUST be
    /// atomic: of concurrent claims, one gets `Claimed` and the others
    /// `AlreadyClaimed(owner)`; a repeat by the owner gets `Claimed` again;
    /// MUST return `NotFound` when the escalation is absent or was closed
    /// (see [`Self::close_open_escalation`]). The claim that
    /// wins stores `then` with it; a repeat stores nothing.
    async fn claim(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        now: Timestamp,
        then: &[NewJob],
    ) -> Result<ClaimOutcome, StoreError>;
    /// Ends an unclaimed escalation of the lead without an owner (the lead
    /// opted out): it leaves the open list and can no longer be claimed.
    /// Returns its id, or `Ok(None)` when the lead had none open.
    async fn close_open_escalation(
        &self,
        lead: LeadId,
        at: Timestamp,
    ) -> Result<Option<EscalationId>, StoreError>;
    /// Whether the `purpose` text to `member` about the escalation is still
    /// to be sent: records it `Pending` the first time and returns `true`;
    /// then `true` while it stays `Pending`, `false` once `Sent` or
    /// `Failed`. Each call counts one try.
    async fn begin_text(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Records where a text begun by [`Self::begin_text`] stands, with the
    /// failure if any.
    async fn record_text(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        state: TextState,
        error: Option<String>,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The escalation's texts, in the order they were begun (texts begun
    /// at the same instant in any order).
    async fn texts(&self, id: EscalationId) -> Result<Vec<EscalationText>, StoreError>;
}

/// Telephony failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TelephonyError {
    /// The provider refused the request for good (bad number, no permission).
    #[error("rejected: {0}")]
    Rejected(String),
    /// The provider could not be reached or answered 429 or 5xx: the
    /// request did not take effect and may be retried later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The request was cut off (a timeout, a dropped connection): it may or
    /// may not have taken effect.
    #[error("outcome unknown: {0}")]
    Unknown(String),
}

/// An outbound call to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundCall {
    /// The phone to ring.
    pub to: PhoneNumber,
    /// Caller ID: the client's number.
    pub from: PhoneNumber,
    /// Where the answered leg fetches its instructions.
    pub answer_url: String,
    /// Where status changes of the leg are posted.
    pub status_callback_url: String,
    /// How long the phone rings, in seconds.
    pub timeout_seconds: u32,
    /// Ask the provider to tell a person from a machine (`AnsweredBy`).
    pub machine_detection: bool,
}

/// Places and ends calls and sends texts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Telephony: Send + Sync {
    /// Places a call and returns its sid.
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError>;

    /// Cancels a leg that has not been answered.
    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError>;
    /// Hangs up a leg that is in progress.
    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError>;
    /// Sends a text.
    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError>;
}

/// The URLs Hotline hands the telephony provider for one call leg.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait CallbackLinks: Send + Sync {
    /// Fetched when the leg is answered.
    fn answer_url(&self, attempt: CallAttemptId) -> String;
    /// Receives the leg's status callbacks.
    fn status_callback_url(&self, attempt: CallAttemptId) -> String;
    /// Receives the digits the agent pressed.
    fn gather_action_url(&self, attempt: CallAttemptId) -> String;
    /// Receives the outcome of the bridge to the lead.
    fn dial_action_url(&self, attempt: CallAttemptId) -> String;
    /// `lead_first`: fetched when the lead answers Hotline's call.
    fn lead_answer_url(&self, group: RingGroupId) -> String;
    /// `lead_first`: receives the status changes of the call to the lead.
    fn lead_status_url(&self, group: RingGroupId) -> String;
    /// `lead_first`: receives the outcome of the lead's `<Dial>`.
    fn lead_dial_action_url(&self, group: RingGroupId) -> String;
}

/// The current time.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// Creates ids for new records.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdSource: Send + Sync {
    /// A fresh, unique UUID.
    fn new_uuid(&self) -> uuid::Uuid;
}

/// How a ring group ended, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RingGroupOutcome {
    /// An agent pressed 1 and was bridged to the lead.
    Accepted,
    /// Nobody accepted in time: the lead was escalated.
    Unanswered,
    /// The lead opted out while the phones rang.
    Ended,
}

impl RingGroupOutcome {
    /// Every outcome.
    pub const ALL: [Self; 3] = [Self::Accepted, Self::Unanswered, Self::Ended];

    /// The outcome as a metrics label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Unanswered => "unanswered",
            Self::Ended => "ended",
        }
    }
}

/// Port: what the policy reports as it happens, for metrics. Each call
/// comes after the decision it describes is stored, and MUST return at once
/// (no I/O): the policy waits for it.
pub trait RoutingObserver: Send + Sync {
    /// A ring group's first call was created, `since_sms` after the lead's
    /// SMS arrived (the group starts while that SMS is handled). For
    /// `lead_first` groups the first call is the one to the lead.
    fn first_call_placed(&self, since_sms: SignedDuration);
    /// A ring group ended this way (reported once per group).
    fn ring_group_ended(&self, outcome: RingGroupOutcome);
}

/// Reports nothing: the observer of a policy nobody measures.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl RoutingObserver for NoObserver {
    fn first_call_placed(&self, _since_sms: SignedDuration) {}
    fn ring_group_ended(&self, _outcome: RingGroupOutcome) {}
}

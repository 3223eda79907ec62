//! In-memory adapters of the routing ports: a store that keeps the ports'
//! contracts (atomic under one lock), a telephony fake that records what it
//! was asked, a settable clock, sequential ids and fixed callback links.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use jiff::Timestamp;

use super::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, ClaimOutcome, Client, Escalation,
    EscalationId, EscalationOpen, Lead, LeadStatus, LegStatus, LegUpdate, MessageRecorded,
    NewMessage, NewRingGroup, RingGroup, RingGroupId, RingGroupStart, RingGroupStatus,
    RoutingDecision, TeamMember,
};
use super::ports::{
    CallbackLinks, ClientStore, Clock, EscalationStore, IdSource, LeadStore, OutboundCall,
    RingGroupStore, StoreError, Telephony, TelephonyError,
};
use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::phone::PhoneNumber;
use crate::schedule::WeeklySchedule;

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

#[async_trait]
impl ClientStore for MemoryStore {
    async fn client_by_number(&self, number: &PhoneNumber) -> Result<Option<Client>, StoreError> {
        self.with(|s| {
            s.clients
                .values()
                .find(|c| &c.twilio_number == number)
                .cloned()
        })
    }

    async fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        self.with(|s| s.clients.get(&id).cloned())
    }

    async fn schedule(&self, id: ClientId) -> Result<Option<WeeklySchedule>, StoreError> {
        self.with(|s| s.schedules.get(&id).cloned())
    }

    async fn team_member_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<TeamMember>, StoreError> {
        self.with(|s| {
            s.team
                .iter()
                .find(|m| m.client_id == client && &m.phone == phone && m.active)
                .cloned()
        })
    }

    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, StoreError> {
        self.with(|s| s.team.iter().find(|m| m.id == id).cloned())
    }

    async fn active_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError> {
        self.with(|s| {
            s.team
                .iter()
                .filter(|m| m.client_id == client && m.active)
                .cloned()
                .collect()
        })
    }
}

#[async_trait]
impl LeadStore for MemoryStore {
    async fn upsert_lead(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
        _now: Timestamp,
    ) -> Result<Lead, StoreError> {
        self.with(|s| {
            if let Some(lead) = s
                .leads
                .iter()
                .find(|l| l.client_id == client && &l.phone == phone)
            {
                return lead.clone();
            }
            let n = s.leads.len() as u128 + 1;
            let lead = Lead {
                id: LeadId::from_uuid(uuid::Uuid::from_u128(0x1ead_0000_0000 + n)),
                client_id: client,
                phone: phone.clone(),
                status: LeadStatus::New,
                opted_out: false,
            };
            s.leads.push(lead.clone());
            lead
        })
    }

    async fn lead(&self, id: LeadId) -> Result<Option<Lead>, StoreError> {
        self.with(|s| s.leads.iter().find(|l| l.id == id).cloned())
    }

    async fn record_message(&self, message: &NewMessage) -> Result<MessageRecorded, StoreError> {
        self.with(|s| {
            if s.messages.iter().any(|m| m.sid == message.sid) {
                let decision = s
                    .decisions
                    .iter()
                    .find(|d| d.message_sid == message.sid)
                    .cloned();
                return MessageRecorded::AlreadyStored { decision };
            }
            s.messages.push(message.clone());
            MessageRecorded::New
        })
    }

    async fn record_decision(&self, decision: &RoutingDecision) -> Result<(), StoreError> {
        self.with(|s| {
            if !s
                .decisions
                .iter()
                .any(|d| d.message_sid == decision.message_sid)
            {
                s.decisions.push(decision.clone());
            }
        })
    }

    async fn last_message_body(&self, lead: LeadId) -> Result<Option<String>, StoreError> {
        self.with(|s| {
            s.messages
                .iter()
                .rev()
                .find(|m| m.lead_id == lead)
                .map(|m| m.body.clone())
        })
    }

    async fn set_lead_status(
        &self,
        lead: LeadId,
        status: LeadStatus,
        _at: Timestamp,
    ) -> Result<(), StoreError> {
        self.with(|s| match s.leads.iter_mut().find(|l| l.id == lead) {
            Some(found) => {
                found.status = status;
                Ok(())
            }
            None => Err(StoreError::NotFound(format!("lead {lead}"))),
        })?
    }

    async fn set_opted_out(&self, lead: LeadId) -> Result<(), StoreError> {
        self.with(|s| match s.leads.iter_mut().find(|l| l.id == lead) {
            Some(found) => {
                found.opted_out = true;
                Ok(())
            }
            None => Err(StoreError::NotFound(format!("lead {lead}"))),
        })?
    }

    async fn first_delivery(&self, key: &str, _now: Timestamp) -> Result<bool, StoreError> {
        self.with(|s| s.deliveries.insert(key.to_owned()))
    }
}

#[async_trait]
impl RingGroupStore for MemoryStore {
    async fn start_ring_group(&self, new: &NewRingGroup) -> Result<RingGroupStart, StoreError> {
        self.with(|s| {
            if let Some(active) = s
                .ring_groups
                .iter()
                .find(|g| g.lead_id == new.group.lead_id && g.status == RingGroupStatus::Ringing)
            {
                return RingGroupStart::AlreadyRinging(active.id);
            }
            s.ring_groups.push(new.group.clone());
            s.attempts.extend(new.attempts.iter().cloned());
            if let Some(lead) = s.leads.iter_mut().find(|l| l.id == new.group.lead_id) {
                lead.status = LeadStatus::Ringing;
            }
            RingGroupStart::Started
        })
    }

    async fn ring_group(&self, id: RingGroupId) -> Result<Option<RingGroup>, StoreError> {
        self.with(|s| s.ring_groups.iter().find(|g| g.id == id).cloned())
    }

    async fn due_ring_groups(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<RingGroupId>, StoreError> {
        self.with(|s| {
            let mut due: Vec<&RingGroup> = s
                .ring_groups
                .iter()
                .filter(|g| g.status == RingGroupStatus::Ringing && g.deadline <= now)
                .collect();
            due.sort_by_key(|g| g.deadline);
            due.iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|g| g.id)
                .collect()
        })
    }

    async fn attempts(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError> {
        self.with(|s| {
            s.attempts
                .iter()
                .filter(|a| a.ring_group_id == group)
                .cloned()
                .collect()
        })
    }

    async fn attempt(&self, id: CallAttemptId) -> Result<Option<CallAttempt>, StoreError> {
        self.with(|s| s.attempts.iter().find(|a| a.id == id).cloned())
    }

    async fn attempt_by_call_sid(&self, sid: &CallSid) -> Result<Option<CallAttempt>, StoreError> {
        self.with(|s| {
            s.attempts
                .iter()
                .find(|a| a.call_sid.as_ref() == Some(sid))
                .cloned()
        })
    }

    async fn claim_pending_legs(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError> {
        self.with(|s| {
            let ringing = s
                .ring_groups
                .iter()
                .any(|g| g.id == group && g.status == RingGroupStatus::Ringing);
            if !ringing {
                return Vec::new();
            }
            s.attempts
                .iter_mut()
                .filter(|a| a.ring_group_id == group && a.status == LegStatus::Pending)
                .map(|a| {
                    a.status = LegStatus::Dialing;
                    a.clone()
                })
                .collect()
        })
    }

    async fn record_call_placed(
        &self,
        attempt: CallAttemptId,
        sid: &CallSid,
    ) -> Result<bool, StoreError> {
        self.with(|s| {
            let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            found.call_sid = Some(sid.clone());
            if found.status < LegStatus::Queued {
                found.status = LegStatus::Queued;
            }
            let group = found.ring_group_id;
            Ok(s.ring_groups
                .iter()
                .any(|g| g.id == group && g.status == RingGroupStatus::Ringing))
        })?
    }

    async fn advance_leg(
        &self,
        attempt: CallAttemptId,
        update: &LegUpdate,
    ) -> Result<(CallAttempt, bool), StoreError> {
        self.with(|s| {
            let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            let stale_sequence = matches!(
                (update.sequence, found.last_sequence),
                (Some(new), Some(old)) if new <= old
            );
            if stale_sequence || !found.status.can_advance_to(update.status) {
                return Ok((found.clone(), false));
            }
            found.status = update.status;
            if update.sequence.is_some() {
                found.last_sequence = update.sequence;
            }
            if update.answered_by.is_some() {
                found.answered_by.clone_from(&update.answered_by);
            }
            if update.duration_seconds.is_some() {
                found.duration_seconds = update.duration_seconds;
            }
            Ok((found.clone(), true))
        })?
    }

    async fn accept(
        &self,
        attempt: CallAttemptId,
        _at: Timestamp,
    ) -> Result<Acceptance, StoreError> {
        self.with(|s| {
            let Some(group_id) = s
                .attempts
                .iter()
                .find(|a| a.id == attempt)
                .map(|a| a.ring_group_id)
            else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            let Some(group) = s.ring_groups.iter_mut().find(|g| g.id == group_id) else {
                return Err(StoreError::NotFound(format!("ring group {group_id}")));
            };
            match group.winner {
                Some(winner) if winner == attempt => return Ok(Acceptance::Won),
                Some(_) => return Ok(Acceptance::Lost),
                None if group.status != RingGroupStatus::Ringing => return Ok(Acceptance::Lost),
                None => {}
            }
            group.winner = Some(attempt);
            group.status = RingGroupStatus::Answered;
            if let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) {
                found.answered = true;
                found.transferred_to_agent = true;
            }
            Ok(Acceptance::Won)
        })?
    }

    async fn exhaust(
        &self,
        group: RingGroupId,
        escalation: &Escalation,
    ) -> Result<Option<EscalationId>, StoreError> {
        self.with(|s| {
            let found = s.ring_groups.iter_mut().find(|g| g.id == group)?;
            if found.status != RingGroupStatus::Ringing {
                return None;
            }
            found.status = RingGroupStatus::Exhausted;
            let open = s
                .escalations
                .iter()
                .find(|e| e.lead_id == escalation.lead_id && e.claimed_by.is_none())
                .map(|e| e.id);
            Some(open.unwrap_or_else(|| {
                s.escalations.push(escalation.clone());
                escalation.id
            }))
        })
    }
}

#[async_trait]
impl EscalationStore for MemoryStore {
    async fn open_escalation(&self, escalation: &Escalation) -> Result<EscalationOpen, StoreError> {
        self.with(|s| {
            if let Some(open) = s
                .escalations
                .iter()
                .find(|e| e.lead_id == escalation.lead_id && e.claimed_by.is_none())
            {
                return EscalationOpen::AlreadyOpen(open.id);
            }
            s.escalations.push(escalation.clone());
            EscalationOpen::Opened
        })
    }

    async fn escalation(&self, id: EscalationId) -> Result<Option<Escalation>, StoreError> {
        self.with(|s| s.escalations.iter().find(|e| e.id == id).cloned())
    }

    async fn open_escalations(&self, client: ClientId) -> Result<Vec<Escalation>, StoreError> {
        self.with(|s| {
            s.escalations
                .iter()
                .rev()
                .filter(|e| e.client_id == client && e.claimed_by.is_none())
                .cloned()
                .collect()
        })
    }

    async fn claim(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        now: Timestamp,
    ) -> Result<ClaimOutcome, StoreError> {
        self.with(|s| match s.escalations.iter_mut().find(|e| e.id == id) {
            None => Err(StoreError::NotFound(format!("escalation {id}"))),
            Some(found) => match found.claimed_by {
                Some(owner) if owner == member => Ok(ClaimOutcome::Claimed),
                Some(owner) => Ok(ClaimOutcome::AlreadyClaimed(owner)),
                None => {
                    found.claimed_by = Some(member);
                    found.claimed_at = Some(now);
                    Ok(ClaimOutcome::Claimed)
                }
            },
        })?
    }

    async fn mark_notified(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        _at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.with(|s| s.notified.insert((id, member)))
    }
}

/// One request the telephony fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TelephonyRequest {
    /// A call was placed.
    Call(OutboundCall),
    /// A leg was cancelled.
    Cancel(CallSid),
    /// A leg was hung up.
    Complete(CallSid),
    /// A text was sent.
    Sms {
        /// Sender.
        from: PhoneNumber,
        /// Recipient.
        to: PhoneNumber,
        /// Text.
        body: String,
    },
}

/// A telephony fake: records requests, answers calls with `CA1`, `CA2`, …,
/// and fails calls to the numbers in `failing_numbers`.
#[derive(Debug, Default)]
pub struct RecordingTelephony {
    /// Every request, in order.
    pub requests: Mutex<Vec<TelephonyRequest>>,
    /// Calls to these numbers fail.
    pub failing_numbers: Mutex<HashSet<PhoneNumber>>,
    next_sid: AtomicU64,
}

impl RecordingTelephony {
    /// A copy of the requests so far.
    pub fn requests(&self) -> Vec<TelephonyRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn push(&self, request: TelephonyRequest) {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request);
        }
    }
}

#[async_trait]
impl Telephony for RecordingTelephony {
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError> {
        self.push(TelephonyRequest::Call(call.clone()));
        let failing = self
            .failing_numbers
            .lock()
            .map(|f| f.contains(&call.to))
            .unwrap_or(false);
        if failing {
            return Err(TelephonyError::Rejected("unreachable number".to_owned()));
        }
        let n = self.next_sid.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(CallSid(format!("CA{n}")))
    }

    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Cancel(sid.clone()));
        Ok(())
    }

    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Complete(sid.clone()));
        Ok(())
    }

    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Sms {
            from: from.clone(),
            to: to.clone(),
            body: body.to_owned(),
        });
        Ok(())
    }
}

/// A clock that stands still until moved.
#[derive(Debug)]
pub struct ManualClock(pub Mutex<Timestamp>);

impl ManualClock {
    /// A clock at `at`.
    pub fn at(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.0.lock().map(|t| *t).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Ids 1, 2, 3, … as UUIDs.
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl IdSource for SequentialIds {
    fn new_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::from_u128(u128::from(self.0.fetch_add(1, Ordering::SeqCst) + 1))
    }
}

/// Callback links under `https://hotline.test`.
#[derive(Debug, Default)]
pub struct TestLinks;

impl CallbackLinks for TestLinks {
    fn answer_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/answer/{attempt}")
    }

    fn status_callback_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/api/webhook/ring-group?attempt={attempt}")
    }

    fn gather_action_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/accept/{attempt}")
    }

    fn dial_action_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/bridged/{attempt}")
    }
}

//! Each store port's documented contract, one definition run on the
//! in-memory store, on SQLite and on PostgreSQL.

use hotline_domain::intent::IntentAssessment;
use hotline_domain::routing::FollowUp;
use hotline_domain::routing::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, ClaimOutcome, Escalation, EscalationId,
    EscalationOpen, EscalationReason, InboundMessage, LeadStatus, LegStatus, LegUpdate,
    MessageRecorded, MessageSid, NewMessage, NewRingGroup, RingGroup, RingGroupId, RingGroupStart,
    RingGroupStatus, RoutingDecision, RoutingOutcome, SettledDecision, TextPurpose, TextState,
};
use hotline_domain::routing::ports::{
    ClientStore, EscalationStore, LeadStore, RingGroupStore, StoreError,
};
use hotline_domain::work::{JobFinish, JobId, JobStore, NewJob, RetryPolicy};
use hotline_domain::{BuiltinIntentScorer, LeadId, ScheduleDocument, Timestamp, WeeklySchedule};

use hotline_domain::admin::ports::{AdminStore, AdminStoreError};
use hotline_domain::routing::memory::MemoryStore;

use crate::helpers::{TestDb, client_with_team, now, phone};

/// Every store port the contract covers; the database and the in-memory
/// store both implement them.
trait Stores: ClientStore + LeadStore + RingGroupStore + EscalationStore + AdminStore {}

impl<T: ClientStore + LeadStore + RingGroupStore + EscalationStore + AdminStore + ?Sized> Stores
    for T
{
}

/// Runs `contract(store, name)` on the in-memory store, on SQLite and on
/// PostgreSQL, each fresh, from one definition.
macro_rules! on_every_store {
    ($contract:ident) => {
        $contract(&MemoryStore::default(), "memory").await;
        for t in TestDb::both().await {
            $contract(&t.db, t.name).await;
            t.drop_database().await;
        }
    };
}

pub fn schedule(json: &str) -> WeeklySchedule {
    let document: ScheduleDocument = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    WeeklySchedule::from_document(&document).unwrap_or_else(|e| panic!("{e}"))
}

pub const HOURS: &str = r#"{"timezone": "America/Edmonton", "hours": [
    {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 5, "start_time": "20:00", "end_time": "24:00", "is_active": false}],
    "closures": [{"date": "2026-12-25", "reason": "Christmas Day"}, {"date": "2026-12-26"}]}"#;

#[tokio::test]
async fn clients_team_and_schedules() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, members) = client_with_team(db, "+15875550100", 3).await;
        assert_eq!(
            db.client_by_number(&client.twilio_number).await,
            Ok(Some(client.clone())),
            "{}",
            name
        );
        assert_eq!(
            ClientStore::client(db, client.id).await,
            Ok(Some(client.clone()))
        );
        assert_eq!(db.client_by_number(&phone("+15875550199")).await, Ok(None));
        assert_eq!(
            db.team_member_by_phone(client.id, &members[1].phone).await,
            Ok(Some(members[1].clone()))
        );
        assert_eq!(db.active_team(client.id).await, Ok(members.clone()));
        let taken = db.insert_client(&client, now()).await;
        assert!(
            matches!(taken, Err(AdminStoreError::TwilioNumberTaken)),
            "{}: {taken:?}",
            name
        );

        assert_eq!(ClientStore::schedule(db, client.id).await, Ok(None));
        let hours = schedule(HOURS);
        db.replace_schedule(client.id, &hours, now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ClientStore::schedule(db, client.id).await,
            Ok(Some(hours.clone())),
            "{}",
            name
        );
    }
    on_every_store!(contract);
}

pub fn assessment(hot: bool) -> IntentAssessment {
    BuiltinIntentScorer::default().assess(if hot {
        "pipe burst, call me asap"
    } else {
        "ok thanks"
    })
}

#[tokio::test]
async fn leads_messages_decisions_and_deliveries() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, _) = client_with_team(db, "+15875550100", 1).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lead.status, LeadStatus::New);
        assert_eq!(
            db.upsert_lead(client.id, &lead.phone, now()).await,
            Ok(lead.clone()),
            "{}",
            name
        );

        let message = NewMessage {
            sid: MessageSid("SM1".into()),
            client_id: client.id,
            lead_id: lead.id,
            body: "pipe burst, call me asap".into(),
            assessment: assessment(true),
            received_at: now(),
        };
        assert_eq!(db.record_message(&message).await, Ok(MessageRecorded::New));
        assert_eq!(
            db.record_message(&message).await,
            Ok(MessageRecorded::AlreadyStored { decision: None })
        );
        let decision = RoutingDecision {
            message_sid: message.sid.clone(),
            client_id: client.id,
            lead_id: lead.id,
            outcome: RoutingOutcome::EscalatedClosed,
            assessment: assessment(true),
            open: false,
            next_open: Some(now()),
            reply: Some("Closed; open Monday at 9:00 AM.".into()),
            decided_at: now(),
        };
        db.record_decision(&decision)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut later = decision.clone();
        later.outcome = RoutingOutcome::NotHot;
        db.record_decision(&later)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            db.record_message(&message).await,
            Ok(MessageRecorded::AlreadyStored {
                decision: Some(decision)
            }),
            "{}",
            name
        );
        assert_eq!(
            db.last_message_body(lead.id).await,
            Ok(Some(message.body.clone()))
        );

        assert_eq!(
            db.set_lead_status(lead.id, LeadStatus::Booked, Timestamp::now())
                .await,
            Ok(())
        );
        db.set_opted_out(lead.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = db.lead(lead.id).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(stored.is_some_and(|l| l.status == LeadStatus::Booked && l.opted_out));
        let missing = LeadId::from_uuid(uuid::Uuid::now_v7());
        assert!(matches!(
            db.set_lead_status(missing, LeadStatus::New, Timestamp::now())
                .await,
            Err(StoreError::NotFound(_))
        ));

        assert_eq!(db.first_delivery("sms:SM9", now()).await, Ok(true));
        assert_eq!(db.first_delivery("sms:SM9", now()).await, Ok(false));
    }
    on_every_store!(contract);
}

#[tokio::test]
async fn a_settled_decision_is_stored_with_its_new_message_only() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, _) = client_with_team(db, "+15875550100", 1).await;
        let inbound = |sid: &str, settled| InboundMessage {
            sid: MessageSid(sid.into()),
            client_id: client.id,
            from: phone("+14035550142"),
            body: "ok thanks".into(),
            assessment: assessment(false),
            received_at: now(),
            settled,
        };
        let settled = SettledDecision {
            open: false,
            next_open: Some(now()),
        };
        let quiet = inbound("SM1", Some(settled));
        let (lead, recorded) = db
            .record_inbound(&quiet)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recorded, MessageRecorded::New, "{}", name);
        let expected = quiet.settled_decision(lead.id);
        assert!(
            expected
                .as_ref()
                .is_some_and(|d| d.outcome == RoutingOutcome::NotHot && !d.open)
        );
        assert_eq!(
            db.record_inbound(&quiet).await.map(|(_, r)| r),
            Ok(MessageRecorded::AlreadyStored { decision: expected }),
            "{}: a repeat finds the decision stored with the message",
            name
        );
        // A repeat never stores a decision for a message stored without one.
        assert_eq!(
            db.record_inbound(&inbound("SM2", None))
                .await
                .map(|(_, r)| r),
            Ok(MessageRecorded::New)
        );
        assert_eq!(
            db.record_inbound(&inbound("SM2", Some(settled)))
                .await
                .map(|(_, r)| r),
            Ok(MessageRecorded::AlreadyStored { decision: None }),
            "{}",
            name
        );
    }
    on_every_store!(contract);
}

pub fn new_group(
    lead: &hotline_domain::routing::model::Lead,
    members: &[hotline_domain::routing::model::TeamMember],
) -> NewRingGroup {
    let group = RingGroup {
        id: RingGroupId(uuid::Uuid::now_v7()),
        client_id: lead.client_id,
        lead_id: lead.id,
        status: RingGroupStatus::Ringing,
        winner: None,
        started_at: now(),
        deadline: now(),
        strategy: Default::default(),
        lead_call_sid: None,
    };
    let attempts = members
        .iter()
        .map(|m| CallAttempt {
            id: CallAttemptId(uuid::Uuid::now_v7()),
            ring_group_id: group.id,
            lead_id: lead.id,
            client_id: lead.client_id,
            team_member_id: m.id,
            phone: m.phone.clone(),
            call_sid: None,
            status: LegStatus::Pending,
            last_sequence: None,
            answered_by: None,
            answered: false,
            transferred_to_agent: false,
            duration_seconds: None,
            created_at: now(),
            tier: 1,
        })
        .collect();
    NewRingGroup {
        group,
        attempts,
        then: Vec::new(),
    }
}

#[tokio::test]
async fn a_ringing_group_ends_without_escalation_once() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, members) = client_with_team(db, "+15875550100", 2).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            db.end_ringing_group(lead.id, now(), JobId(uuid::Uuid::now_v7()))
                .await,
            Ok(None),
            "{name}"
        );
        let group = new_group(&lead, &members);
        assert_eq!(
            db.start_ring_group(&group).await,
            Ok(RingGroupStart::Started)
        );
        assert_eq!(
            db.end_ringing_group(lead.id, now(), JobId(uuid::Uuid::now_v7()))
                .await,
            Ok(Some(group.group.id)),
            "{name}"
        );
        assert_eq!(
            db.end_ringing_group(lead.id, now(), JobId(uuid::Uuid::now_v7()))
                .await,
            Ok(None),
            "{name}: once"
        );
        let stored = db
            .ring_group(group.group.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            stored.is_some_and(|g| g.status == RingGroupStatus::Exhausted && g.winner.is_none()),
            "{name}"
        );
        assert_eq!(
            db.open_escalations(client.id).await.map(|e| e.len()),
            Ok(0),
            "{name}"
        );
        assert_eq!(
            db.claim_pending_legs(group.group.id, None)
                .await
                .map(|l| l.len()),
            Ok(0),
            "{name}"
        );
        // The lead's slot is free again.
        let next = new_group(&lead, &members);
        assert_eq!(
            db.start_ring_group(&next).await,
            Ok(RingGroupStart::Started),
            "{name}"
        );
    }
    on_every_store!(contract);
}

pub fn escalation_for(lead: &hotline_domain::routing::model::Lead) -> Escalation {
    Escalation {
        id: EscalationId(uuid::Uuid::now_v7()),
        client_id: lead.client_id,
        lead_id: lead.id,
        reason: EscalationReason::NoAnswer,
        claimed_by: None,
        created_at: now(),
        claimed_at: None,
    }
}

fn leg(status: LegStatus, sequence: Option<u32>) -> LegUpdate {
    LegUpdate {
        status,
        sequence,
        answered_by: None,
        duration_seconds: None,
    }
}

#[tokio::test]
async fn ring_groups_and_legs() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, members) = client_with_team(db, "+15875550100", 2).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let first = new_group(&lead, &members);
        assert_eq!(
            db.start_ring_group(&first).await,
            Ok(RingGroupStart::Started),
            "{name}"
        );
        let second = new_group(&lead, &members);
        assert_eq!(
            db.start_ring_group(&second).await,
            Ok(RingGroupStart::AlreadyRinging(first.group.id)),
            "{name}"
        );
        assert_eq!(db.attempts(first.group.id).await.map(|a| a.len()), Ok(2));
        assert_eq!(db.attempts(second.group.id).await.map(|a| a.len()), Ok(0));

        assert_eq!(
            db.lead(lead.id).await.map(|l| l.map(|l| l.status)),
            Ok(Some(LeadStatus::Ringing)),
            "{name}: a started group marks its lead ringing"
        );
        let [a, b] = [first.attempts[0].id, first.attempts[1].id];
        let claimed = db
            .claim_pending_legs(first.group.id, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            claimed.iter().map(|c| (c.id, c.status)).collect::<Vec<_>>(),
            vec![(a, LegStatus::Dialing), (b, LegStatus::Dialing)],
            "{name}"
        );
        assert_eq!(
            db.claim_pending_legs(first.group.id, None).await,
            Ok(Vec::new()),
            "{name}: each leg is claimed once"
        );
        // Placed while the group rings: the answer says so.
        assert_eq!(
            db.record_call_placed(a, &CallSid("CA1".into())).await,
            Ok(true),
            "{name}"
        );
        let placed = db
            .attempt_by_call_sid(&CallSid("CA1".into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            placed.is_some_and(|p| p.id == a && p.status == LegStatus::Queued),
            "{name}"
        );

        let step = |s, q| leg(s, q);
        assert_eq!(
            db.advance_leg(a, &step(LegStatus::InProgress, Some(2)))
                .await
                .map(|(x, c)| (x.status, c)),
            Ok((LegStatus::InProgress, true))
        );
        assert_eq!(
            db.advance_leg(a, &step(LegStatus::Ringing, Some(1)))
                .await
                .map(|(x, c)| (x.status, c)),
            Ok((LegStatus::InProgress, false))
        );
        assert_eq!(
            db.advance_leg(a, &step(LegStatus::Completed, Some(2)))
                .await
                .map(|(x, c)| (x.status, c)),
            Ok((LegStatus::InProgress, false)),
            "{name}: stale sequence"
        );
        assert_eq!(
            db.advance_leg(a, &step(LegStatus::Completed, Some(3)))
                .await
                .map(|(x, c)| (x.status, c)),
            Ok((LegStatus::Completed, true))
        );
        assert_eq!(
            db.advance_leg(a, &step(LegStatus::Canceled, Some(4)))
                .await
                .map(|(x, c)| (x.status, c)),
            Ok((LegStatus::Completed, false))
        );

        assert_eq!(
            db.accept(b, Timestamp::now(), &[]).await,
            Ok(Acceptance::Won),
            "{name}"
        );
        assert_eq!(
            db.accept(a, Timestamp::now(), &[]).await,
            Ok(Acceptance::Lost)
        );
        assert_eq!(
            db.accept(b, Timestamp::now(), &[]).await,
            Ok(Acceptance::Won)
        );
        // A call placed once the group was answered is reported as such.
        assert_eq!(
            db.record_call_placed(a, &CallSid("CA1".into())).await,
            Ok(false),
            "{name}"
        );
        let winner = db.attempt(b).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(winner.is_some_and(|w| w.answered && w.transferred_to_agent));
        assert_eq!(
            db.exhaust(first.group.id, &escalation_for(&lead), &[])
                .await,
            Ok(None)
        );

        let third = new_group(&lead, &members);
        assert_eq!(
            db.start_ring_group(&third).await,
            Ok(RingGroupStart::Started),
            "{name}: answered group no longer active"
        );
        let escalation = escalation_for(&lead);
        assert_eq!(
            db.exhaust(third.group.id, &escalation, &[]).await,
            Ok(Some(escalation.id)),
            "{name}"
        );
        assert_eq!(
            db.exhaust(third.group.id, &escalation_for(&lead), &[])
                .await,
            Ok(None)
        );
        assert_eq!(
            db.claim_pending_legs(third.group.id, None).await,
            Ok(Vec::new()),
            "{name}: no dialing after the end"
        );
        assert!(
            db.escalation(escalation.id)
                .await
                .is_ok_and(|e| e.is_some())
        );
    }
    on_every_store!(contract);
}

#[tokio::test]
async fn escalations_and_claims() {
    async fn contract<S: Stores + ?Sized>(db: &S, name: &str) {
        let (client, members) = client_with_team(db, "+15875550100", 2).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let first = escalation_for(&lead);
        assert_eq!(
            db.open_escalation(&first, &[]).await,
            Ok(EscalationOpen::Opened)
        );
        assert_eq!(
            db.open_escalation(&escalation_for(&lead), &[]).await,
            Ok(EscalationOpen::AlreadyOpen(first.id)),
            "{}",
            name
        );
        assert_eq!(db.open_escalations(client.id).await.map(|e| e.len()), Ok(1));
        // A text is to send while pending, counted per try, and settled once.
        let begin = |member| db.begin_text(first.id, member, TextPurpose::Escalation, now());
        assert_eq!(begin(members[0].id).await, Ok(true), "{name}");
        assert_eq!(
            begin(members[0].id).await,
            Ok(true),
            "{name}: still pending"
        );
        db.record_text(
            first.id,
            members[0].id,
            TextPurpose::Escalation,
            TextState::Sent,
            None,
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(begin(members[0].id).await, Ok(false), "{name}: sent once");
        assert_eq!(
            db.begin_text(first.id, members[0].id, TextPurpose::Claim, now())
                .await,
            Ok(true),
            "{name}: another purpose is another text"
        );
        assert_eq!(begin(members[1].id).await, Ok(true));
        db.record_text(
            first.id,
            members[1].id,
            TextPurpose::Escalation,
            TextState::Failed,
            Some("Twilio answered 400 (code 21211)".to_owned()),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let texts = db.texts(first.id).await.unwrap_or_else(|e| panic!("{e}"));
        let mut states: Vec<_> = texts
            .iter()
            .map(|t| {
                (
                    t.team_member_id,
                    format!("{:?}", t.purpose),
                    t.state,
                    t.tries,
                    t.error.clone(),
                )
            })
            .collect();
        states.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let failure = Some("Twilio answered 400 (code 21211)".to_owned());
        assert_eq!(
            states,
            [
                (members[0].id, "Claim".into(), TextState::Pending, 1, None),
                (members[0].id, "Escalation".into(), TextState::Sent, 2, None),
                (
                    members[1].id,
                    "Escalation".into(),
                    TextState::Failed,
                    1,
                    failure
                ),
            ],
            "{name}"
        );
        assert_eq!(
            db.claim(first.id, members[1].id, now(), &[]).await,
            Ok(ClaimOutcome::Claimed)
        );
        assert_eq!(
            db.claim(first.id, members[0].id, now(), &[]).await,
            Ok(ClaimOutcome::AlreadyClaimed(members[1].id))
        );
        assert_eq!(
            db.claim(first.id, members[1].id, now(), &[]).await,
            Ok(ClaimOutcome::Claimed)
        );
        assert_eq!(db.open_escalations(client.id).await.map(|e| e.len()), Ok(0));
        let missing = EscalationId(uuid::Uuid::now_v7());
        assert!(matches!(
            db.claim(missing, members[0].id, now(), &[]).await,
            Err(StoreError::NotFound(_))
        ));
        let again = escalation_for(&lead);
        assert_eq!(
            db.open_escalation(&again, &[])
                .await
                .map(|o| o == EscalationOpen::Opened),
            Ok(true),
            "{}: a claimed escalation is no longer open",
            name
        );
        // The lead opts out: the open escalation closes and cannot be claimed.
        assert_eq!(
            db.close_open_escalation(lead.id, now()).await,
            Ok(Some(again.id)),
            "{name}"
        );
        assert_eq!(db.close_open_escalation(lead.id, now()).await, Ok(None));
        assert_eq!(db.open_escalations(client.id).await.map(|e| e.len()), Ok(0));
        assert!(
            matches!(
                db.claim(again.id, members[0].id, now(), &[]).await,
                Err(StoreError::NotFound(_))
            ),
            "{name}: a closed escalation cannot be claimed"
        );
    }
    on_every_store!(contract);
}

#[tokio::test]
async fn jobs_are_stored_with_the_decision_leased_once_and_fenced() {
    async fn contract<S: Stores + JobStore + ?Sized>(db: &S, name: &str) {
        let (client, members) = client_with_team(db, "+15875550100", 2).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let t0: Timestamp = "2026-11-23T21:00:00Z".parse().unwrap_or(now());
        let at = |seconds: i64| {
            t0.checked_add(jiff::SignedDuration::from_secs(seconds))
                .unwrap_or(t0)
        };
        let mut group = new_group(&lead, &members);
        let place = NewJob {
            id: JobId(uuid::Uuid::now_v7()),
            work: FollowUp::PlaceCalls {
                group: group.group.id,
                up_to_tier: Some(1),
            },
            due_at: t0,
        };
        let deadline = NewJob {
            id: JobId(uuid::Uuid::now_v7()),
            work: FollowUp::RingDeadline {
                group: group.group.id,
            },
            due_at: at(45),
        };
        group.then = vec![place.clone(), deadline.clone()];
        assert_eq!(
            db.start_ring_group(&group).await,
            Ok(RingGroupStart::Started)
        );
        // A second group for the same lead stores neither group nor jobs.
        let mut refused = new_group(&lead, &members);
        refused.then = vec![NewJob {
            id: JobId(uuid::Uuid::now_v7()),
            ..place.clone()
        }];
        assert!(matches!(
            db.start_ring_group(&refused).await,
            Ok(RingGroupStart::AlreadyRinging(_))
        ));
        let health = db.health(t0).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((health.pending, health.due), (2, 1), "{name}: {health:?}");

        let policy = RetryPolicy::default();
        let one = uuid::Uuid::now_v7();
        let two = uuid::Uuid::now_v7();
        let claimed = db
            .claim_due(&policy.lease(one, t0), t0, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claimed.len(), 1, "{name}: only the due job");
        assert_eq!(
            claimed[0].work, place.work,
            "{name}: the payload round-trips"
        );
        assert_eq!(claimed[0].attempt, 1);
        assert_eq!(
            db.claim_due(&policy.lease(two, t0), at(1), 10)
                .await
                .map(|c| c.len()),
            Ok(0),
            "{name}: a leased job goes to one worker"
        );
        // The lease runs out (the worker died): the job is handed out again,
        // and the first worker's late outcome is refused.
        let again = db
            .claim_due(&policy.lease(two, at(7)), at(7), 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.len(), 1, "{name}");
        assert_eq!(again[0].attempt, 2);
        assert_eq!(
            db.finish(place.id, one, 1, &JobFinish::Done, at(7)).await,
            Ok(false),
            "{name}: fenced"
        );
        // A retry falls due again later; renewal keeps a running job leased.
        let retry = JobFinish::DueAgain {
            at: at(20),
            error: Some("Twilio answered 503".into()),
        };
        assert_eq!(db.finish(place.id, two, 2, &retry, at(8)).await, Ok(true));
        assert_eq!(
            db.claim_due(&policy.lease(one, at(19)), at(19), 10)
                .await
                .map(|c| c.len()),
            Ok(0),
            "{name}: not before its time"
        );
        let third = db
            .claim_due(&policy.lease(one, at(20)), at(20), 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(third.len(), 1);
        db.renew(one, &[place.id], at(40))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            db.claim_due(&policy.lease(two, at(30)), at(30), 10)
                .await
                .map(|c| c.len()),
            Ok(0),
            "{name}: renewed"
        );
        assert_eq!(
            db.finish(
                place.id,
                one,
                3,
                &JobFinish::Failed("gave up".into()),
                at(31)
            )
            .await,
            Ok(true)
        );
        let health = db.health(at(50)).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (health.pending, health.due, health.failed),
            (1, 1, 1),
            "{name}: {health:?}"
        );
        assert!(
            (4.0..6.0).contains(&health.oldest_due_seconds),
            "{name}: the deadline has waited 5 s: {health:?}"
        );
        // A job forgotten when done leaves no row; the fence still holds.
        let last = db
            .claim_due(&policy.lease(two, at(50)), at(50), 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(last.len(), 1, "{name}");
        let attempt = last[0].attempt;
        assert_eq!(
            db.finish(last[0].id, one, attempt, &JobFinish::Forget, at(51))
                .await,
            Ok(false),
            "{name}: only the lease holder forgets a job"
        );
        assert_eq!(
            db.finish(last[0].id, two, attempt, &JobFinish::Forget, at(51))
                .await,
            Ok(true)
        );
        let health = db.health(at(60)).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (health.pending, health.failed),
            (0, 1),
            "{name}: {health:?}"
        );
        assert_eq!(
            db.claim_due(&policy.lease(one, at(70)), at(70), 10)
                .await
                .map(|c| c.len()),
            Ok(0),
            "{name}: a forgotten job is never handed out again"
        );
    }
    on_every_store!(contract);
}

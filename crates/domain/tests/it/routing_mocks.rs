//! Interaction checks with mockall: exactly which telephony requests the
//! policy makes, with every other port mocked too.

use std::sync::Arc;

use hotline_domain::intent::MockIntentScorer;
use hotline_domain::routing::model::{Client, EscalationOpen, MessageRecorded, TeamMember};
use hotline_domain::routing::model::{Lead, LeadStatus, MessageSid};
use hotline_domain::routing::ports::{
    MockCallbackLinks, MockClientStore, MockClock, MockEscalationStore, MockIdSource,
    MockLeadStore, MockRingGroupStore, MockTelephony,
};
use hotline_domain::routing::{FollowUp, InboundSms, RoutingConfig, RoutingPorts, RoutingService};
use hotline_domain::webhooks::{MockWebhookSender, MockWebhookStore};
use hotline_domain::work::MockJobStore;
use hotline_domain::{BuiltinIntentScorer, ClientId, LeadId, TimeZoneName};

use crate::helpers::{instant, schedule};
use crate::routing_helpers::{CLIENT_NUMBER, HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, block_on, phone};

#[test]
fn a_hot_sms_out_of_hours_opens_one_escalation_and_places_no_call() {
    let client = Client {
        id: ClientId::from_uuid(uuid::Uuid::from_u128(1)),
        name: "Acme".to_owned(),
        twilio_number: phone(CLIENT_NUMBER),
        timezone: TimeZoneName::parse("America/Edmonton").unwrap_or_else(|e| panic!("{e}")),
        out_of_hours_reply: None,
        record_calls: false,
        ring_strategy: Default::default(),
        tier_delay_seconds: 15,
        follow_through: Default::default(),
        has_webhooks: false,
    };
    let lead = Lead {
        id: LeadId::from_uuid(uuid::Uuid::from_u128(2)),
        client_id: client.id,
        phone: phone(LEAD_PHONE),
        status: LeadStatus::New,
        opted_out: false,
    };

    let mut clients = MockClientStore::new();
    let found = client.clone();
    clients
        .expect_client_by_number()
        .times(1)
        .returning(move |_| Ok(Some(found.clone())));
    clients
        .expect_team_member_by_phone()
        .times(1)
        .returning(|_, _| Ok(None::<TeamMember>));
    clients
        .expect_schedule()
        .times(1)
        .returning(|_| Ok(Some(schedule(MONDAY_9_TO_5))));

    let mut leads = MockLeadStore::new();
    let stored = lead.clone();
    leads
        .expect_record_inbound()
        .times(1)
        .returning(move |_| Ok((stored.clone(), MessageRecorded::New)));
    leads
        .expect_set_lead_status()
        .times(1)
        .returning(|_, _, _| Ok(()));
    leads
        .expect_record_decision()
        .times(1)
        .returning(|_| Ok(()));

    let mut escalations = MockEscalationStore::new();
    escalations
        .expect_open_escalation()
        .times(1)
        // The team's texts are stored with the escalation, as a job.
        .withf(|_, then| {
            then.len() == 1 && matches!(then[0].work, FollowUp::NotifyEscalation { .. })
        })
        .returning(|_, _| Ok(EscalationOpen::Opened));

    let mut scorer = MockIntentScorer::new();
    let builtin = BuiltinIntentScorer::default();
    scorer
        .expect_score()
        .times(1)
        .returning(move |text| Ok(builtin.assess(text)));

    let mut clock = MockClock::new();
    clock
        .expect_now()
        .returning(|| instant("2026-11-23T18:00:00-07:00"));
    let mut ids = MockIdSource::new();
    ids.expect_new_uuid().returning(|| uuid::Uuid::from_u128(9));

    // No call, no text, no ring group: the texts are a follow-up.
    let telephony = MockTelephony::new();
    let ring_groups = MockRingGroupStore::new();

    let service = RoutingService::new(
        RoutingPorts {
            clients: Arc::new(clients),
            leads: Arc::new(leads),
            ring_groups: Arc::new(ring_groups),
            escalations: Arc::new(escalations),
            telephony: Arc::new(telephony),
            links: Arc::new(MockCallbackLinks::new()),
            scorer: Arc::new(scorer),
            clock: Arc::new(clock),
            ids: Arc::new(ids),
            // Nothing is enqueued on its own: the job goes with the decision.
            jobs: Arc::new(MockJobStore::new()),
            webhooks: Arc::new(MockWebhookStore::new()),
            webhook_sender: Arc::new(MockWebhookSender::new()),
        },
        RoutingConfig::default(),
    );
    let sms = InboundSms {
        sid: MessageSid("SM1".to_owned()),
        from: phone(LEAD_PHONE),
        to: phone(CLIENT_NUMBER),
        body: HOT_TEXT.to_owned(),
    };
    let handled = block_on(service.inbound_sms(&sms)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(handled.follow_ups.len(), 1);
}

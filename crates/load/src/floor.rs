//! The database floor: the lookups and the write one non-hot inbound SMS
//! makes (the lead, the message and its decision in one statement), issued straight to PostgreSQL through the same adapter, with no
//! HTTP, signature, parsing, scoring or policy in between.

use std::time::{Duration, Instant};

use hotline_db::Db;
use hotline_domain::routing::model::{InboundMessage, MessageSid, SettledDecision};
use hotline_domain::routing::ports::{ClientStore, LeadStore};
use hotline_domain::{BuiltinIntentScorer, PhoneNumber, Timestamp};

use crate::requests::{NOT_HOT, lead_phone, message_sid};

/// Runs `count` webhooks' worth of database work one after another: the
/// time each took.
pub async fn measure(db: &Db, client_number: &str, count: u32) -> anyhow::Result<Vec<Duration>> {
    let to = PhoneNumber::parse(client_number)?;
    let assessment = BuiltinIntentScorer::default().assess(NOT_HOT[0]);
    let mut samples = Vec::with_capacity(count as usize);
    for n in 0..count {
        let from = PhoneNumber::parse(&lead_phone(7, n))?;
        let sid = MessageSid(message_sid(7, n));
        let now = Timestamp::now();
        let started = Instant::now();
        let client = db
            .client_by_number(&to)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no client {client_number}"))?;
        let _ = db.team_member_by_phone(client.id, &from).await?;
        let schedule = db.schedule(client.id).await?;
        let open = schedule.is_some_and(|s| s.is_open(now));
        db.record_inbound(&InboundMessage {
            sid,
            client_id: client.id,
            from: from.clone(),
            body: NOT_HOT[0].to_owned(),
            assessment: assessment.clone(),
            received_at: now,
            settled: Some(SettledDecision {
                open,
                next_open: None,
            }),
        })
        .await?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}

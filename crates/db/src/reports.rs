//! Read models of the admin API: leads with their history, call attempts,
//! escalations and the hot-transfer stats of a period.

use hotline_domain::ClientId;
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{LeadId, Timestamp};
use sea_orm::{QueryResult, Value};
use serde::Serialize;
use uuid::Uuid;

use crate::codec::{from_db_time, to_db_time};
use crate::db::{Db, get, query_all, query_one};

fn when(row: &QueryResult, column: &str) -> Result<String, StoreError> {
    get::<chrono::DateTime<chrono::Utc>>(row, column).map(|t| from_db_time(t).to_string())
}

fn maybe_when(row: &QueryResult, column: &str) -> Result<Option<String>, StoreError> {
    get::<Option<chrono::DateTime<chrono::Utc>>>(row, column)
        .map(|t| t.map(|t| from_db_time(t).to_string()))
}

fn signals(row: &QueryResult) -> Result<serde_json::Value, StoreError> {
    Ok(serde_json::from_str(&get::<String>(row, "signals")?)
        .unwrap_or(serde_json::Value::Array(Vec::new())))
}

/// A lead in a list.
#[derive(Debug, Clone, Serialize)]
pub struct LeadSummary {
    /// Id.
    pub id: String,
    /// Phone (E.164).
    pub phone: String,
    /// Status.
    pub status: String,
    /// Opted out of messages.
    pub opted_out: bool,
    /// First seen.
    pub created_at: String,
    /// Booked an appointment at.
    pub booked_at: Option<String>,
}

/// A message of a lead.
#[derive(Debug, Clone, Serialize)]
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
    /// Signals found.
    pub signals: serde_json::Value,
    /// Received at.
    pub received_at: String,
    /// An admin's verdict on the score (hot or not), when one was given.
    pub label: Option<bool>,
}

/// A routing decision.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// The message decided on.
    pub message_sid: String,
    /// What was done.
    pub outcome: String,
    /// Intent score.
    pub intent_score: f64,
    /// Hot.
    pub hot: bool,
    /// Signals.
    pub signals: serde_json::Value,
    /// Open then.
    pub open: bool,
    /// Next opening when closed.
    pub next_open: Option<String>,
    /// Reply sent.
    pub reply: Option<String>,
    /// Decided at.
    pub decided_at: String,
}

/// A call attempt.
#[derive(Debug, Clone, Serialize)]
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
}

/// An escalation.
#[derive(Debug, Clone, Serialize)]
pub struct EscalationView {
    /// Id.
    pub id: String,
    /// Lead.
    pub lead_id: String,
    /// Why.
    pub reason: String,
    /// Claimed by.
    pub claimed_by: Option<String>,
    /// Opened at.
    pub created_at: String,
    /// Claimed at.
    pub claimed_at: Option<String>,
}

/// A lead with everything that happened to it.
#[derive(Debug, Clone, Serialize)]
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

/// Hot-transfer figures for a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Ring groups started.
    pub ring_groups: i64,
    /// Of them, accepted by an agent.
    pub answered: i64,
    /// answered / ring_groups.
    pub answer_rate: f64,
    /// Mean seconds from ringing to acceptance.
    pub avg_ring_seconds: f64,
    /// Escalations opened.
    pub escalations: i64,
    /// Of them, after a ring group nobody accepted.
    pub escalations_no_answer: i64,
    /// Leads with a hot message.
    pub hot_leads: i64,
    /// Leads whose hot message came while closed.
    pub after_hours_hot_leads: i64,
    /// Median seconds from the SMS to an agent connected.
    pub speed_to_lead_p50_seconds: f64,
    /// Appointments booked.
    pub appointments: i64,
    /// appointments / hot_leads.
    pub conversion_to_appointment: f64,
}

fn lead_summary(row: &QueryResult) -> Result<LeadSummary, StoreError> {
    Ok(LeadSummary {
        id: get::<Uuid>(row, "id")?.to_string(),
        phone: get(row, "phone")?,
        status: get(row, "status")?,
        opted_out: get(row, "opted_out")?,
        created_at: when(row, "created_at")?,
        booked_at: maybe_when(row, "booked_at")?,
    })
}

fn attempt_view(row: &QueryResult) -> Result<AttemptView, StoreError> {
    Ok(AttemptView {
        id: get::<Uuid>(row, "id")?.to_string(),
        ring_group_id: get::<Uuid>(row, "ring_group_id")?.to_string(),
        lead_id: get::<Uuid>(row, "lead_id")?.to_string(),
        team_member_id: get::<Option<Uuid>>(row, "team_member_id")?.map(|u| u.to_string()),
        phone: get(row, "phone")?,
        call_sid: get(row, "call_sid")?,
        status: get(row, "leg_status")?,
        answered: get(row, "answered")?,
        transferred_to_agent: get(row, "transferred_to_agent")?,
        duration: get(row, "duration")?,
        created_at: when(row, "created_at")?,
    })
}

fn escalation_view(row: &QueryResult) -> Result<EscalationView, StoreError> {
    Ok(EscalationView {
        id: get::<Uuid>(row, "id")?.to_string(),
        lead_id: get::<Uuid>(row, "lead_id")?.to_string(),
        reason: get(row, "reason")?,
        claimed_by: get::<Option<Uuid>>(row, "claimed_by")?.map(|u| u.to_string()),
        created_at: when(row, "created_at")?,
        claimed_at: maybe_when(row, "claimed_at")?,
    })
}

const ATTEMPT_COLUMNS: &str = "id, ring_group_id, lead_id, team_member_id, phone, call_sid, leg_status, answered, transferred_to_agent, duration, created_at";

impl Db {
    /// A client's leads, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_leads(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LeadSummary>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT id, phone, status, opted_out, created_at, booked_at FROM leads WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            vec![client.as_uuid().into(), i64::from(limit).into(), i64::from(offset).into()],
        )
        .await?;
        rows.iter().map(lead_summary).collect()
    }

    /// One lead of a client with its messages, decisions, attempts and escalations.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn lead_detail(
        &self,
        client: ClientId,
        lead: LeadId,
    ) -> Result<Option<LeadDetail>, StoreError> {
        let ids: Vec<Value> = vec![lead.as_uuid().into(), client.as_uuid().into()];
        let Some(row) = query_one(
            &self.conn,
            "SELECT id, phone, status, opted_out, created_at, booked_at FROM leads WHERE id = $1 AND client_id = $2",
            ids.clone(),
        )
        .await?
        else {
            return Ok(None);
        };
        let messages = query_all(&self.conn, "SELECT m.id, m.message_sid, m.body, m.intent_score, m.hot, m.signals, m.received_at, l.hot AS label FROM messages m LEFT JOIN intent_labels l ON l.message_id = m.id WHERE m.lead_id = $1 AND m.client_id = $2 ORDER BY m.received_at, m.id", ids.clone())
            .await?
            .iter()
            .map(|r| {
                Ok(MessageView {
                    id: get::<Uuid>(r, "id")?.to_string(),
                    message_sid: get(r, "message_sid")?,
                    body: get(r, "body")?,
                    intent_score: get(r, "intent_score")?,
                    hot: get(r, "hot")?,
                    signals: signals(r)?,
                    received_at: when(r, "received_at")?,
                    label: get(r, "label")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let routing_decisions = query_all(&self.conn, "SELECT message_sid, outcome, intent_score, hot, signals, was_open, next_open, reply, decided_at FROM routing_decisions WHERE lead_id = $1 AND client_id = $2 ORDER BY decided_at", ids.clone())
            .await?
            .iter()
            .map(|r| {
                Ok(DecisionView {
                    message_sid: get(r, "message_sid")?,
                    outcome: get(r, "outcome")?,
                    intent_score: get(r, "intent_score")?,
                    hot: get(r, "hot")?,
                    signals: signals(r)?,
                    open: get(r, "was_open")?,
                    next_open: maybe_when(r, "next_open")?,
                    reply: get(r, "reply")?,
                    decided_at: when(r, "decided_at")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let call_attempts = query_all(&self.conn, &format!("SELECT {ATTEMPT_COLUMNS} FROM call_attempts WHERE lead_id = $1 AND client_id = $2 ORDER BY created_at, id"), ids.clone())
            .await?
            .iter()
            .map(attempt_view)
            .collect::<Result<_, _>>()?;
        let escalations = query_all(&self.conn, "SELECT id, lead_id, reason, claimed_by, created_at, claimed_at FROM escalations WHERE lead_id = $1 AND client_id = $2 ORDER BY created_at, id", ids)
            .await?
            .iter()
            .map(escalation_view)
            .collect::<Result<_, _>>()?;
        Ok(Some(LeadDetail {
            lead: lead_summary(&row)?,
            messages,
            routing_decisions,
            call_attempts,
            escalations,
        }))
    }

    /// A client's call attempts, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_call_attempts(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AttemptView>, StoreError> {
        query_all(
            &self.conn,
            &format!("SELECT {ATTEMPT_COLUMNS} FROM call_attempts WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"),
            vec![client.as_uuid().into(), i64::from(limit).into(), i64::from(offset).into()],
        )
        .await?
        .iter()
        .map(attempt_view)
        .collect()
    }

    /// A client's escalations, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_escalations(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EscalationView>, StoreError> {
        query_all(
            &self.conn,
            "SELECT id, lead_id, reason, claimed_by, created_at, claimed_at FROM escalations WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            vec![client.as_uuid().into(), i64::from(limit).into(), i64::from(offset).into()],
        )
        .await?
        .iter()
        .map(escalation_view)
        .collect()
    }

    /// Hot-transfer stats of a client for instants in `[from, to)`: counts
    /// are computed by the database; the ring durations of answered groups
    /// are read to take their mean and median.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn stats(
        &self,
        client: ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Stats, StoreError> {
        let range = || -> Vec<Value> {
            vec![
                client.as_uuid().into(),
                to_db_time(from).into(),
                to_db_time(to).into(),
            ]
        };
        let count = |sql: &'static str| {
            let values = range();
            async move {
                let row = query_one(&self.conn, sql, values).await?;
                row.as_ref()
                    .map(|r| get::<i64>(r, "n"))
                    .transpose()
                    .map(|n| n.unwrap_or(0))
            }
        };
        let ring_groups = count("SELECT COUNT(*) AS n FROM ring_groups WHERE client_id = $1 AND started_at >= $2 AND started_at < $3").await?;
        let escalations = count("SELECT COUNT(*) AS n FROM escalations WHERE client_id = $1 AND created_at >= $2 AND created_at < $3").await?;
        let escalations_no_answer = count("SELECT COUNT(*) AS n FROM escalations WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND reason = 'no_answer'").await?;
        let hot_leads = count("SELECT COUNT(DISTINCT lead_id) AS n FROM routing_decisions WHERE client_id = $1 AND decided_at >= $2 AND decided_at < $3 AND hot = TRUE").await?;
        let after_hours_hot_leads = count("SELECT COUNT(DISTINCT lead_id) AS n FROM routing_decisions WHERE client_id = $1 AND decided_at >= $2 AND decided_at < $3 AND hot = TRUE AND was_open = FALSE").await?;
        let appointments = count("SELECT COUNT(*) AS n FROM leads WHERE client_id = $1 AND booked_at >= $2 AND booked_at < $3").await?;
        let answered_rows = query_all(
            &self.conn,
            "SELECT started_at, ended_at FROM ring_groups WHERE client_id = $1 AND started_at >= $2 AND started_at < $3 AND status = 'answered' AND ended_at IS NOT NULL",
            range(),
        )
        .await?;
        let mut seconds: Vec<f64> = answered_rows
            .iter()
            .map(|r| {
                let start = get::<chrono::DateTime<chrono::Utc>>(r, "started_at")?;
                let end = get::<chrono::DateTime<chrono::Utc>>(r, "ended_at")?;
                Ok((end - start).num_milliseconds() as f64 / 1000.0)
            })
            .collect::<Result<_, StoreError>>()?;
        seconds.sort_by(f64::total_cmp);
        let answered = seconds.len() as i64;
        let ratio = |a: i64, b: i64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mean = if seconds.is_empty() {
            0.0
        } else {
            seconds.iter().sum::<f64>() / seconds.len() as f64
        };
        let median = match seconds.len() {
            0 => 0.0,
            n if n % 2 == 1 => seconds[n / 2],
            n => (seconds[n / 2 - 1] + seconds[n / 2]) / 2.0,
        };
        Ok(Stats {
            ring_groups,
            answered,
            answer_rate: ratio(answered, ring_groups),
            avg_ring_seconds: mean,
            escalations,
            escalations_no_answer,
            hot_leads,
            after_hours_hot_leads,
            speed_to_lead_p50_seconds: median,
            appointments,
            conversion_to_appointment: ratio(appointments, hot_leads),
        })
    }
}

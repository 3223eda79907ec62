//! Read models of the admin API: leads with their history, call attempts,
//! escalations and the hot-transfer stats of a period.

use async_trait::async_trait;
use hotline_domain::intent::Evidence;
use hotline_domain::reports::ports::ReportStore;
use hotline_domain::reports::{
    AttemptView, DecisionView, EscalationFact, EscalationView, LeadDetail, LeadFilter, LeadQuery,
    LeadSummary, LegFact, MessageView, RingGroupFact, StatsFacts, TextView,
};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, LeadId, Timestamp};
use sea_orm::{QueryResult, Value};
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

fn signals(row: &QueryResult) -> Result<Vec<Evidence>, StoreError> {
    // Evidence this version does not know (written by a newer one) is left out.
    let names: Vec<String> =
        serde_json::from_str(&get::<String>(row, "signals")?).unwrap_or_default();
    Ok(names.iter().filter_map(|name| name.parse().ok()).collect())
}

/// A lead's columns as a list shows it (`l` is the lead): its latest
/// message, and who has it (the agent who accepted a call, else the member
/// who claimed its escalation). Each subquery reads one index entry.
const LEAD_COLUMNS: &str = "l.id, l.phone, l.status, l.opted_out, l.created_at, l.booked_at, \
    (SELECT m.body FROM messages m WHERE m.lead_id = l.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1) AS last_message, \
    (SELECT m.received_at FROM messages m WHERE m.lead_id = l.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1) AS last_message_at, \
    COALESCE( \
      (SELECT tm.name FROM call_attempts a JOIN team_members tm ON tm.id = a.team_member_id \
        WHERE a.lead_id = l.id AND a.transferred_to_agent ORDER BY a.created_at DESC LIMIT 1), \
      (SELECT tm.name FROM escalations e JOIN team_members tm ON tm.id = e.claimed_by \
        WHERE e.lead_id = l.id ORDER BY e.claimed_at DESC LIMIT 1)) AS handled_by";

fn lead_summary(row: &QueryResult) -> Result<LeadSummary, StoreError> {
    Ok(LeadSummary {
        id: get::<Uuid>(row, "id")?.to_string(),
        phone: get(row, "phone")?,
        status: get(row, "status")?,
        opted_out: get(row, "opted_out")?,
        created_at: when(row, "created_at")?,
        booked_at: maybe_when(row, "booked_at")?,
        last_message: get(row, "last_message")?,
        last_message_at: maybe_when(row, "last_message_at")?,
        handled_by: get(row, "handled_by")?,
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
        lead_phone: get(row, "lead_phone")?,
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
        closed_at: maybe_when(row, "closed_at")?,
        texts: Vec::new(),
        lead_phone: get(row, "lead_phone")?,
    })
}

/// Reads the texts of `views` in one query and puts each with its escalation.
async fn with_texts(
    conn: &sea_orm::DatabaseConnection,
    mut views: Vec<EscalationView>,
) -> Result<Vec<EscalationView>, StoreError> {
    if views.is_empty() {
        return Ok(views);
    }
    let mut values = Vec::with_capacity(views.len());
    let mut places = Vec::with_capacity(views.len());
    for view in &views {
        let id = Uuid::try_parse(&view.id)
            .map_err(|e| StoreError::Unavailable(format!("escalation id: {e}")))?;
        values.push(sea_orm::Value::from(id));
        places.push(format!("${}", values.len()));
    }
    let rows = query_all(
        conn,
        &format!(
            "SELECT escalation_id, team_member_id, purpose, state, tries, last_error, updated_at \
             FROM escalation_texts WHERE escalation_id IN ({}) ORDER BY created_at, team_member_id, purpose DESC",
            places.join(", ")
        ),
        values,
    )
    .await?;
    for row in &rows {
        let escalation = get::<Uuid>(row, "escalation_id")?.to_string();
        let text = TextView {
            team_member_id: get::<Uuid>(row, "team_member_id")?.to_string(),
            purpose: get(row, "purpose")?,
            state: get(row, "state")?,
            tries: get(row, "tries")?,
            error: get(row, "last_error")?,
            updated_at: when(row, "updated_at")?,
        };
        if let Some(view) = views.iter_mut().find(|v| v.id == escalation) {
            view.texts.push(text);
        }
    }
    Ok(views)
}

const ATTEMPT_COLUMNS: &str = "ca.id, ca.ring_group_id, ca.lead_id, ca.team_member_id, ca.phone, ca.call_sid, ca.leg_status, ca.answered, ca.transferred_to_agent, ca.duration, ca.created_at, \
    (SELECT l.phone FROM leads l WHERE l.id = ca.lead_id) AS lead_phone";

const ESCALATION_COLUMNS: &str = "e.id, e.lead_id, e.reason, e.claimed_by, e.created_at, e.claimed_at, e.closed_at, \
    (SELECT l.phone FROM leads l WHERE l.id = e.lead_id) AS lead_phone";

/// `AND` the instant column `column` in `[from, to)`, its values pushed on
/// `values`, when `within` is given.
fn range_condition(
    column: &str,
    within: Option<(Timestamp, Timestamp)>,
    values: &mut Vec<Value>,
) -> String {
    match within {
        Some((from, to)) => {
            values.push(to_db_time(from).into());
            values.push(to_db_time(to).into());
            format!(
                " AND {column} >= ${} AND {column} < ${}",
                values.len() - 1,
                values.len()
            )
        }
        None => String::new(),
    }
}

#[async_trait]
impl ReportStore for Db {
    async fn leads(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LeadSummary>, StoreError> {
        let rows = query_all(
            &self.conn,
            &format!("SELECT {LEAD_COLUMNS} FROM leads l WHERE l.client_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT $2 OFFSET $3"),
            vec![client.as_uuid().into(), i64::from(limit).into(), i64::from(offset).into()],
        )
        .await?;
        rows.iter().map(lead_summary).collect()
    }

    async fn lead_page(
        &self,
        client: ClientId,
        query: &LeadQuery,
    ) -> Result<Vec<LeadSummary>, StoreError> {
        // Each filter reads one lead's rows through an index on lead_id; the
        // period and the cursor are ranges of the (client_id, created_at)
        // index the page walks.
        let (join, filter) = match query.filter {
            LeadFilter::All => ("", ""),
            LeadFilter::Waiting => ("JOIN open_escalations o ON o.lead_id = l.id", ""),
            LeadFilter::Hot => (
                "",
                " AND EXISTS (SELECT 1 FROM messages h WHERE h.lead_id = l.id AND h.hot)",
            ),
            LeadFilter::AfterHours => (
                "",
                " AND EXISTS (SELECT 1 FROM escalations e2 WHERE e2.lead_id = l.id AND e2.reason = 'out_of_hours')",
            ),
            LeadFilter::Booked => ("", " AND l.booked_at IS NOT NULL"),
        };
        let mut values: Vec<Value> = vec![client.as_uuid().into()];
        let mut conditions = String::from(filter);
        if let Some(since) = query.since {
            values.push(to_db_time(since).into());
            conditions.push_str(&format!(" AND l.created_at >= ${}", values.len()));
        }
        if let Some(until) = query.until {
            values.push(to_db_time(until).into());
            conditions.push_str(&format!(" AND l.created_at < ${}", values.len()));
        }
        if let Some(cursor) = query.before {
            values.push(to_db_time(cursor.created_at).into());
            let at = values.len();
            values.push(cursor.id.as_uuid().into());
            conditions.push_str(&format!(
                " AND (l.created_at < ${at} OR (l.created_at = ${at} AND l.id < ${}))",
                values.len()
            ));
        }
        values.push(i64::from(query.limit).into());
        let rows = query_all(
            &self.conn,
            &format!(
                "SELECT {LEAD_COLUMNS} FROM leads l {join} \
                 WHERE l.client_id = $1{conditions} ORDER BY l.created_at DESC, l.id DESC LIMIT ${}",
                values.len()
            ),
            values,
        )
        .await?;
        rows.iter().map(lead_summary).collect()
    }

    async fn waiting_count(&self, client: ClientId) -> Result<u64, StoreError> {
        let row = query_one(
            &self.conn,
            "SELECT CAST(COUNT(*) AS BIGINT) AS waiting \
             FROM open_escalations o JOIN leads l ON l.id = o.lead_id WHERE l.client_id = $1",
            vec![client.as_uuid().into()],
        )
        .await?;
        let waiting: i64 = match &row {
            Some(row) => get(row, "waiting")?,
            None => 0,
        };
        Ok(u64::try_from(waiting).unwrap_or(0))
    }

    async fn lead_detail(
        &self,
        client: ClientId,
        lead: LeadId,
    ) -> Result<Option<LeadDetail>, StoreError> {
        let ids: Vec<Value> = vec![lead.as_uuid().into(), client.as_uuid().into()];
        let Some(row) = query_one(
            &self.conn,
            &format!("SELECT {LEAD_COLUMNS} FROM leads l WHERE l.id = $1 AND l.client_id = $2"),
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
        let call_attempts = query_all(&self.conn, &format!("SELECT {ATTEMPT_COLUMNS} FROM call_attempts ca WHERE ca.lead_id = $1 AND ca.client_id = $2 ORDER BY ca.created_at, ca.id"), ids.clone())
            .await?
            .iter()
            .map(attempt_view)
            .collect::<Result<_, _>>()?;
        let escalations = query_all(&self.conn, &format!("SELECT {ESCALATION_COLUMNS} FROM escalations e WHERE e.lead_id = $1 AND e.client_id = $2 ORDER BY e.created_at, e.id"), ids)
            .await?
            .iter()
            .map(escalation_view)
            .collect::<Result<_, _>>()?;
        let escalations = with_texts(&self.conn, escalations).await?;
        Ok(Some(LeadDetail {
            lead: lead_summary(&row)?,
            messages,
            routing_decisions,
            call_attempts,
            escalations,
        }))
    }

    async fn call_attempts(
        &self,
        client: ClientId,
        within: Option<(Timestamp, Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AttemptView>, StoreError> {
        let mut values: Vec<Value> = vec![client.as_uuid().into()];
        let range = range_condition("ca.created_at", within, &mut values);
        values.push(i64::from(limit).into());
        values.push(i64::from(offset).into());
        query_all(
            &self.conn,
            &format!(
                "SELECT {ATTEMPT_COLUMNS} FROM call_attempts ca WHERE ca.client_id = $1{range} \
                 ORDER BY ca.created_at DESC, ca.id DESC LIMIT ${} OFFSET ${}",
                values.len() - 1,
                values.len()
            ),
            values,
        )
        .await?
        .iter()
        .map(attempt_view)
        .collect()
    }

    async fn escalations(
        &self,
        client: ClientId,
        within: Option<(Timestamp, Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EscalationView>, StoreError> {
        let mut values: Vec<Value> = vec![client.as_uuid().into()];
        let range = range_condition("e.created_at", within, &mut values);
        values.push(i64::from(limit).into());
        values.push(i64::from(offset).into());
        let views = query_all(
            &self.conn,
            &format!(
                "SELECT {ESCALATION_COLUMNS} FROM escalations e WHERE e.client_id = $1{range} \
                 ORDER BY e.created_at DESC, e.id DESC LIMIT ${} OFFSET ${}",
                values.len() - 1,
                values.len()
            ),
            values,
        )
        .await?
        .iter()
        .map(escalation_view)
        .collect::<Result<Vec<_>, _>>()?;
        with_texts(&self.conn, views).await
    }

    async fn stats_facts(
        &self,
        client: ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<StatsFacts, StoreError> {
        let rows = query_all(
            &self.conn,
            STATS_FACTS,
            vec![
                client.as_uuid().into(),
                to_db_time(from).into(),
                to_db_time(to).into(),
            ],
        )
        .await?;
        let mut facts = StatsFacts::default();
        for row in &rows {
            let at = from_db_time(get(row, "at")?);
            let maybe = |column: &str| -> Result<Option<Timestamp>, StoreError> {
                Ok(get::<Option<chrono::DateTime<chrono::Utc>>>(row, column)?.map(from_db_time))
            };
            match get::<String>(row, "kind")?.as_str() {
                "g" => facts.ring_groups.push(RingGroupFact {
                    started_at: at,
                    accepted_at: maybe("at2")?,
                    hot_sms_at: maybe("at3")?,
                    first_call_at: maybe("at4")?,
                }),
                "l" => facts.legs.push(LegFact {
                    team_member_id: get(row, "member")?,
                    name: get(row, "name")?,
                    status: crate::codec::parse_leg_status(&get::<String>(row, "label")?)?,
                    created_at: at,
                    won_at: maybe("at2")?,
                    lost_to_another: get::<Option<bool>>(row, "flag")?.unwrap_or(false),
                }),
                "e" => facts.escalations.push(EscalationFact {
                    opened_at: at,
                    no_answer: get::<Option<String>>(row, "label")?.as_deref() == Some("no_answer"),
                    claimed_at: maybe("at2")?,
                    closed_at: maybe("at3")?,
                }),
                "d" => facts.hot_decisions.push((
                    at,
                    get::<Option<Uuid>>(row, "lead")?.unwrap_or_default(),
                    get::<Option<bool>>(row, "flag")?.unwrap_or(false),
                )),
                _ => facts.bookings.push(at),
            }
        }
        Ok(facts)
    }
}

/// Every fact the statistics of `[$2, $3)` need, for client `$1`, in one
/// statement: ring groups (`g`, with their acceptance, the hot SMS that
/// started them and their first call), legs (`l`, with the member, status and whether they won
/// or lost to another), escalations (`e`, with their claim or close), hot decisions (`d`) and bookings
/// (`b`), each by its own instant. The first branch casts its NULLs so that
/// PostgreSQL types every column of the union from it.
const STATS_FACTS: &str = "\
SELECT 'g' AS kind, rg.started_at AS at, \
       CASE WHEN rg.status = 'answered' THEN rg.ended_at END AS at2, \
       (SELECT MAX(m.received_at) FROM messages m WHERE m.lead_id = rg.lead_id AND m.hot = TRUE AND m.received_at <= rg.started_at) AS at3, \
       CAST(NULL AS UUID) AS member, CAST(NULL AS TEXT) AS name, CAST(NULL AS TEXT) AS label, \
       CAST(NULL AS BOOLEAN) AS flag, CAST(NULL AS UUID) AS lead, \
       (SELECT MIN(c.created_at) FROM call_attempts c WHERE c.ring_group_id = rg.id) AS at4 \
  FROM ring_groups rg WHERE rg.client_id = $1 AND rg.started_at >= $2 AND rg.started_at < $3 \
UNION ALL \
SELECT 'l', ca.created_at, CASE WHEN rg.winner_attempt_id = ca.id THEN rg.ended_at END, NULL, \
       ca.team_member_id, tm.name, ca.leg_status, \
       CASE WHEN rg.winner_attempt_id IS NOT NULL AND rg.winner_attempt_id <> ca.id THEN TRUE ELSE FALSE END, NULL, NULL \
  FROM call_attempts ca JOIN ring_groups rg ON rg.id = ca.ring_group_id \
  LEFT JOIN team_members tm ON tm.id = ca.team_member_id \
 WHERE ca.client_id = $1 AND ca.created_at >= $2 AND ca.created_at < $3 \
UNION ALL \
SELECT 'e', created_at, claimed_at, closed_at, NULL, NULL, reason, NULL, NULL, NULL \
  FROM escalations WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 \
UNION ALL \
SELECT 'd', decided_at, NULL, NULL, NULL, NULL, NULL, was_open, lead_id, NULL \
  FROM routing_decisions WHERE client_id = $1 AND decided_at >= $2 AND decided_at < $3 AND hot = TRUE \
UNION ALL \
SELECT 'b', booked_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL \
  FROM leads WHERE client_id = $1 AND booked_at >= $2 AND booked_at < $3";

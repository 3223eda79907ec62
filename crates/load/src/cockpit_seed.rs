//! A year of one client's history, written straight to PostgreSQL with
//! set-based statements (`INSERT … SELECT … FROM generate_series`): leads
//! spread uniformly over the last 365 days, their messages at and after
//! them with a routing decision each (as the server records every
//! message), and for the hot fifth of the leads a ring group with a leg per
//! team member, an escalation for 30 % of them (out of hours, or nobody
//! accepted), most claimed and the newest 5 % still waiting, and a
//! quarter booked. Each table is written in the order of its instants, as
//! the server would have written it.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// The size of the history to write.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Leads.
    pub leads: u32,
    /// Messages, shared out evenly among the leads.
    pub messages: u32,
}

/// What seeding wrote and how long it took.
#[derive(Debug)]
pub struct Seeded {
    /// The whole of it.
    pub elapsed: Duration,
    /// Each step and its time.
    pub steps: Vec<(&'static str, Duration)>,
    /// Rows per table afterwards.
    pub counts: Vec<(&'static str, i64)>,
}

/// The client's members numbered from 0, and one row per lead with its
/// instant, its path through Hotline and the ids its rows will have.
/// `path`: `none` (never hot), `closed` (hot out of hours: escalated),
/// `no_answer` (rang, nobody accepted: escalated), `answered`.
const HELPERS: [(&str, &str); 2] = [
    (
        "team members",
        "CREATE UNLOGGED TABLE seed_members AS \
         SELECT (row_number() OVER (ORDER BY phone) - 1)::int AS k, id, phone \
         FROM team_members WHERE client_id = '{client}'",
    ),
    (
        "lead plan",
        "CREATE UNLOGGED TABLE seed_leads AS \
         WITH base AS ( \
           SELECT n, now() - interval '1 hour' - interval '364 days' * random() AS created_at, \
                  random() AS r1, random() AS r2, floor(random() * {members})::int AS winner \
           FROM generate_series(1, {leads}) n), \
         paths AS ( \
           SELECT *, CASE WHEN r1 >= 0.20 THEN 'none' WHEN r1 < 0.024 THEN 'closed' \
                          WHEN r1 < 0.060 THEN 'no_answer' ELSE 'answered' END AS path \
           FROM base), \
         ranked AS ( \
           SELECT *, path IN ('closed', 'no_answer') AS escalated, \
                  row_number() OVER (PARTITION BY path IN ('closed', 'no_answer') ORDER BY created_at DESC) AS newest, \
                  count(*) OVER (PARTITION BY path IN ('closed', 'no_answer')) AS of_kind \
           FROM paths) \
         SELECT n, created_at, path, winner, escalated, \
                escalated AND newest <= greatest(1, of_kind / 20) AS waiting, \
                CASE WHEN path <> 'none' AND r2 < 0.25 AND NOT (escalated AND newest <= greatest(1, of_kind / 20)) \
                     THEN least(created_at + interval '1 day' * (0.1 + 4 * r2), now()) END AS booked_at, \
                gen_random_uuid() AS id, gen_random_uuid() AS grp, \
                gen_random_uuid() AS attempt, gen_random_uuid() AS esc \
         FROM ranked",
    ),
];

/// The client's rows, table by table.
const ROWS: [(&str, &str); 8] = [
    (
        "leads",
        "INSERT INTO leads (id, client_id, phone, status, opted_out, booked_at, created_at, updated_at) \
         SELECT id, '{client}', '+1403' || lpad(n::text, 7, '0'), \
                CASE WHEN booked_at IS NOT NULL THEN 'booked' WHEN path = 'none' THEN 'new' \
                     WHEN path = 'answered' THEN 'connected' WHEN waiting THEN 'escalated' ELSE 'claimed' END, \
                FALSE, booked_at, created_at, COALESCE(booked_at, created_at) \
         FROM seed_leads ORDER BY created_at",
    ),
    (
        "messages",
        "INSERT INTO messages (id, message_sid, client_id, lead_id, body, intent_score, hot, signals, received_at) \
         SELECT gen_random_uuid(), 'SM' || lpad(to_hex(g.m), 32, '0'), '{client}', s.id, \
                CASE WHEN h.hot THEN (ARRAY[{hot_bodies}])[1 + s.n % 3] ELSE (ARRAY[{bodies}])[1 + (s.n + g.j) % 8] END, \
                CASE WHEN h.hot THEN 0.80 + 0.19 * random() ELSE 0.02 + 0.5 * random() END, \
                h.hot, \
                CASE WHEN h.hot THEN (ARRAY[{hot_signals}])[1 + s.n % 3] ELSE (ARRAY[{signals}])[1 + (s.n + g.j) % 8] END, \
                s.created_at + CASE WHEN g.j = 0 THEN interval '0' \
                                    ELSE make_interval(secs => g.j * {step} + 0.8 * {step} * random()) END AS received \
         FROM (SELECT m, (m - 1) % {leads} + 1 AS n, (m - 1) / {leads} AS j FROM generate_series(1, {messages}) m) g \
         JOIN seed_leads s ON s.n = g.n \
         CROSS JOIN LATERAL (SELECT s.path <> 'none' AND g.j = 0 AS hot) h \
         ORDER BY received",
    ),
    (
        "routing decisions",
        "INSERT INTO routing_decisions (message_sid, client_id, lead_id, outcome, intent_score, hot, signals, was_open, next_open, reply, decided_at) \
         SELECT m.message_sid, '{client}', m.lead_id, \
                CASE WHEN NOT m.hot THEN 'not_hot' WHEN s.path = 'closed' THEN 'escalated_closed' ELSE 'ring_group' END, \
                m.intent_score, m.hot, m.signals, s.path <> 'closed', \
                CASE WHEN s.path = 'closed' THEN s.created_at + interval '10 hours' END, \
                CASE WHEN s.path = 'closed' AND m.hot THEN 'Thanks! We are closed right now and will call you first thing when we open.' END, \
                m.received_at \
         FROM messages m JOIN seed_leads s ON s.id = m.lead_id \
         WHERE m.client_id = '{client}' ORDER BY m.received_at",
    ),
    (
        "ring groups",
        "INSERT INTO ring_groups (id, client_id, lead_id, status, winner_attempt_id, started_at, deadline, ended_at, strategy) \
         SELECT grp, '{client}', id, CASE path WHEN 'answered' THEN 'answered' ELSE 'exhausted' END, \
                CASE path WHEN 'answered' THEN attempt END, \
                created_at + interval '1 second', created_at + interval '31 seconds', \
                created_at + CASE path WHEN 'answered' THEN make_interval(secs => 4 + 20 * random()) \
                                       ELSE interval '31 seconds' END, \
                'simultaneous' \
         FROM seed_leads WHERE path IN ('answered', 'no_answer') ORDER BY created_at",
    ),
    (
        "call attempts",
        "INSERT INTO call_attempts (id, ring_group_id, lead_id, client_id, team_member_id, phone, call_sid, \
                                    leg_status, leg_rank, last_sequence, answered_by, duration, answered, \
                                    transferred_to_agent, created_at, updated_at, tier) \
         SELECT CASE WHEN leg.won THEN s.attempt ELSE gen_random_uuid() END, rg.id, rg.lead_id, '{client}', \
                tm.id, tm.phone, 'CA' || md5(rg.id::text || tm.k::text), \
                leg.status, CASE leg.status WHEN 'completed' THEN 6 WHEN 'busy' THEN 7 \
                                            WHEN 'no-answer' THEN 8 ELSE 10 END, \
                3, CASE WHEN leg.won THEN 'human' END, \
                CASE WHEN leg.won THEN 60 + floor(600 * random())::int END, \
                leg.won, leg.won, rg.started_at, rg.ended_at, 1 \
         FROM seed_leads s JOIN ring_groups rg ON rg.id = s.grp CROSS JOIN seed_members tm \
         CROSS JOIN LATERAL (SELECT s.path = 'answered' AND tm.k = s.winner AS won, \
                CASE WHEN s.path = 'answered' AND tm.k = s.winner THEN 'completed' \
                     WHEN s.path = 'answered' THEN 'canceled' \
                     WHEN (tm.k + s.n) % 4 = 0 THEN 'busy' ELSE 'no-answer' END AS status) leg \
         ORDER BY rg.started_at, tm.k",
    ),
    (
        "escalations",
        "INSERT INTO escalations (id, client_id, lead_id, reason, claimed_by, created_at, claimed_at, closed_at) \
         SELECT s.esc, '{client}', s.id, CASE s.path WHEN 'closed' THEN 'out_of_hours' ELSE 'no_answer' END, \
                CASE WHEN s.waiting THEN NULL ELSE tm.id END, e.created, \
                CASE WHEN s.waiting THEN NULL ELSE e.created + make_interval(secs => 120 + 2700 * random()) END, NULL \
         FROM seed_leads s JOIN seed_members tm ON tm.k = s.winner \
         CROSS JOIN LATERAL (SELECT s.created_at + CASE s.path WHEN 'closed' THEN interval '1 second' \
                                                  ELSE interval '32 seconds' END AS created) e \
         WHERE s.escalated ORDER BY e.created",
    ),
    (
        "open escalations",
        "INSERT INTO open_escalations (lead_id, escalation_id) \
         SELECT id, esc FROM seed_leads WHERE waiting ORDER BY created_at",
    ),
    (
        "escalation texts",
        "INSERT INTO escalation_texts (escalation_id, team_member_id, purpose, state, tries, last_error, created_at, updated_at) \
         SELECT e.id, tm.id, 'escalation', 'sent', 1, NULL, e.created_at, e.created_at + interval '2 seconds' \
         FROM escalations e CROSS JOIN seed_members tm \
         WHERE e.client_id = '{client}' ORDER BY e.created_at, tm.k",
    ),
];

/// Hot first texts, one per hot lead.
const HOT_BODIES: [&str; 3] = [
    "Our furnace just died and the house is freezing, can someone come today? Please call me",
    "Water is pouring from the ceiling, I need someone out here ASAP, call me at this number",
    "Ready to book the install this week, what times do you have? Call me",
];
/// Their signals.
const HOT_SIGNALS: [&str; 3] = [
    r#"["urgent_problem","time_urgency","call_request"]"#,
    r#"["urgent_problem","time_urgency","gives_phone_number"]"#,
    r#"["ready_to_book","call_request"]"#,
];
/// Every other text.
const BODIES: [&str; 8] = [
    "Hi, do you service the north side?",
    "How much do you usually charge for a tune-up?",
    "Thanks!",
    "Ok sounds good",
    "Can you send me a quote by email?",
    "Just curious what brands you carry",
    "No rush, maybe sometime next month",
    "Is there parking out front when you come?",
];
/// Their signals.
const SIGNALS: [&str; 8] = [
    r#"["information_request"]"#,
    r#"["price_shopping"]"#,
    r#"["acknowledgement"]"#,
    r#"["acknowledgement"]"#,
    r#"["information_request"]"#,
    r#"["hypothetical"]"#,
    r#"["not_urgent","future_timing"]"#,
    r#"["booking_logistics"]"#,
];

/// Tables counted after seeding.
const COUNTED: [&str; 8] = [
    "leads",
    "messages",
    "routing_decisions",
    "ring_groups",
    "call_attempts",
    "escalations",
    "open_escalations",
    "escalation_texts",
];

/// Writes `shape` for `client` (with `members` team members), then
/// vacuums and analyzes the database and counts its rows.
pub async fn seed(
    db: &DatabaseConnection,
    client: &str,
    members: u32,
    shape: Shape,
) -> anyhow::Result<Seeded> {
    let client = uuid::Uuid::parse_str(client).context("client id")?;
    if shape.leads == 0 || shape.messages < shape.leads || members == 0 {
        bail!("seed at least one message per lead and one team member");
    }
    let fill = |sql: &str| fill(sql, client, members, shape);
    let started = Instant::now();
    let mut steps = Vec::new();
    for (label, sql) in HELPERS.iter().chain(ROWS.iter()) {
        let step = Instant::now();
        db.execute_unprepared(&fill(sql))
            .await
            .with_context(|| format!("seeding {label}"))?;
        steps.push((*label, step.elapsed()));
    }
    let step = Instant::now();
    db.execute_unprepared("DROP TABLE seed_leads, seed_members")
        .await?;
    db.execute_unprepared("VACUUM (ANALYZE)").await?;
    steps.push(("vacuum and analyze", step.elapsed()));
    let elapsed = started.elapsed();
    let mut counts = Vec::new();
    for table in COUNTED {
        counts.push((
            table,
            count(db, &format!("SELECT count(*) AS n FROM {table}")).await?,
        ));
    }
    let booked = "SELECT count(*) AS n FROM leads WHERE booked_at IS NOT NULL";
    counts.push(("leads booked", count(db, booked).await?));
    Ok(Seeded {
        elapsed,
        steps,
        counts,
    })
}

/// `sql` with its placeholders filled in.
fn fill(sql: &str, client: uuid::Uuid, members: u32, shape: Shape) -> String {
    let per_lead = shape.messages.div_ceil(shape.leads);
    // A lead's texts fall within 40 minutes of its first.
    let step = (2400 / per_lead).max(1);
    sql.replace("{client}", &client.to_string())
        .replace("{members}", &members.to_string())
        .replace("{leads}", &shape.leads.to_string())
        .replace("{messages}", &shape.messages.to_string())
        .replace("{step}", &step.to_string())
        .replace("{hot_bodies}", &literals(&HOT_BODIES))
        .replace("{bodies}", &literals(&BODIES))
        .replace("{hot_signals}", &literals(&HOT_SIGNALS))
        .replace("{signals}", &literals(&SIGNALS))
}

/// SQL string literals, comma-separated.
fn literals(texts: &[&str]) -> String {
    texts
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `n` of a one-row query.
async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("no count")?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// Up to `limit` random leads of `client` that rang the team and were
/// escalated when nobody accepted: the longest stories.
pub async fn storied_leads(
    db: &DatabaseConnection,
    client: &str,
    limit: u32,
) -> anyhow::Result<Vec<String>> {
    let client = uuid::Uuid::parse_str(client).context("client id")?;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT l.id::text AS id FROM leads l \
                 WHERE l.client_id = '{client}' \
                   AND EXISTS (SELECT 1 FROM ring_groups rg WHERE rg.lead_id = l.id) \
                   AND EXISTS (SELECT 1 FROM escalations e WHERE e.lead_id = l.id) \
                 ORDER BY random() LIMIT {limit}"
            ),
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get::<String>("", "id")?))
        .collect()
}

/// Today's UTC date and the date 30 days before, `YYYY-MM-DD`.
pub async fn last_30_days(db: &DatabaseConnection) -> anyhow::Result<(String, String)> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT to_char((now() AT TIME ZONE 'UTC')::date - 30, 'YYYY-MM-DD') AS since, \
                    to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today",
        ))
        .await?
        .context("no dates")?;
    Ok((row.try_get("", "since")?, row.try_get("", "today")?))
}

//! The database handle: connecting, migrating, and small SQL helpers shared
//! by the store adapters.

use std::time::Duration;

use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, Timestamp, WeeklySchedule};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
    Statement, TransactionTrait, TryGetable, Value,
};

use crate::codec::to_db_time;
use crate::error::{DbError, store_error};
use crate::stores::client_values;

/// Hotline's database: PostgreSQL or SQLite, behind every store port.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) conn: DatabaseConnection,
    /// Client configuration read on every SMS, briefly cached.
    pub(crate) cache: std::sync::Arc<crate::cache::ConfigCache>,
}

/// Connections a PostgreSQL pool holds unless configured otherwise.
pub const DEFAULT_POSTGRES_POOL: u32 = 16;

impl Db {
    /// Connects to `url` (`postgres://…` or `sqlite://…`).
    ///
    /// # Errors
    ///
    /// [`DbError`] when the URL is unsupported or the database unreachable.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        Self::connect_with_pool(url, None).await
    }

    /// Connects to `url` with at most `pool_size` connections; `None` keeps
    /// the default ([`DEFAULT_POSTGRES_POOL`] on PostgreSQL, 4 on SQLite).
    ///
    /// # Errors
    ///
    /// [`DbError`] when the URL is unsupported or the database unreachable.
    pub async fn connect_with_pool(url: &str, pool_size: Option<u32>) -> Result<Self, DbError> {
        let default_size = if url.starts_with("postgres") {
            DEFAULT_POSTGRES_POOL
        } else if url.starts_with("sqlite") {
            4
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let max_connections = pool_size.unwrap_or(default_size).max(1);
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            // Ping only connections idle for a while, not before every
            // statement: a ping per statement doubles the round trips.
            .test_before_acquire_if_idle_for(Duration::from_secs(10))
            .sqlx_logging(false);
        Ok(Self {
            conn: Database::connect(options).await?,
            cache: std::sync::Arc::default(),
        })
    }

    /// Applies pending migrations (safe with several processes at once).
    ///
    /// # Errors
    ///
    /// [`DbError`] when a migration fails.
    pub async fn migrate(&self) -> Result<(), DbError> {
        Ok(hotline_migrations::migrate(&self.conn).await?)
    }

    /// Whether the database answers a trivial query.
    pub async fn is_reachable(&self) -> bool {
        self.conn.execute_unprepared("SELECT 1").await.is_ok()
    }

    /// The underlying connection pool.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Which database this is.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Stores a new client. MUST return `Conflict` when its Twilio number is taken.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn insert_client(&self, client: &Client, now: Timestamp) -> Result<(), StoreError> {
        let result = exec(
            &self.conn,
            "INSERT INTO clients (id, name, twilio_number, timezone, out_of_hours_reply, record_calls, created_at, updated_at, \
             ring_strategy, tier_delay_seconds, lead_ack_reply, lead_missed_text, escalation_reminder_seconds, \
             escalation_manager_phone, escalation_manager_after_seconds) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14)",
            client_values(client, now),
        )
        .await;
        self.cache.forget();
        result.map(drop)
    }

    /// Stores a new team member. MUST return `Conflict` when the client
    /// already has a member with that phone, `NotFound` for an unknown client.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn insert_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let result = exec(
            &self.conn,
            "INSERT INTO team_members (id, client_id, name, phone, receives_hot_transfers, active, created_at, updated_at, \
             priority, available) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
            vec![
                member.id.as_uuid().into(),
                member.client_id.as_uuid().into(),
                member.name.clone().into(),
                member.phone.to_string().into(),
                member.receives_hot_transfers.into(),
                member.active.into(),
                to_db_time(now).into(),
                i32::try_from(member.priority).unwrap_or(i32::MAX).into(),
                member.available.into(),
            ],
        )
        .await;
        self.cache.forget();
        result.map(drop)
    }

    /// Replaces a client's business hours, closures and time zone at once.
    ///
    /// # Errors
    ///
    /// [`StoreError`]; `NotFound` for an unknown client.
    pub async fn replace_schedule(
        &self,
        client: ClientId,
        schedule: &WeeklySchedule,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let id: Value = client.as_uuid().into();
        let updated = exec(
            &txn,
            "UPDATE clients SET timezone = $2, updated_at = $3 WHERE id = $1",
            vec![
                id.clone(),
                schedule.timezone().as_str().to_owned().into(),
                to_db_time(now).into(),
            ],
        )
        .await?;
        if updated == 0 {
            return Err(StoreError::NotFound(format!("client {client}")));
        }
        exec(
            &txn,
            "DELETE FROM business_hours WHERE client_id = $1",
            vec![id.clone()],
        )
        .await?;
        exec(
            &txn,
            "DELETE FROM business_closures WHERE client_id = $1",
            vec![id.clone()],
        )
        .await?;
        exec(
            &txn,
            "DELETE FROM business_holidays WHERE client_id = $1",
            vec![id.clone()],
        )
        .await?;
        exec(
            &txn,
            "DELETE FROM business_special_hours WHERE client_id = $1",
            vec![id.clone()],
        )
        .await?;
        for (position, interval) in schedule.intervals().iter().enumerate() {
            exec(
                &txn,
                "INSERT INTO business_hours (id, client_id, position, day_of_week, start_time, end_time, is_active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                vec![
                    uuid::Uuid::now_v7().into(),
                    id.clone(),
                    (position as i32).into(),
                    i32::from(interval.day_of_week).into(),
                    interval.start.to_string().into(),
                    interval.end.to_string().into(),
                    interval.is_active.into(),
                    to_db_time(now).into(),
                ],
            )
            .await?;
        }
        for (position, closure) in schedule.closures().iter().enumerate() {
            let date = chrono::NaiveDate::from_ymd_opt(
                i32::from(closure.date.year()),
                closure.date.month() as u32,
                closure.date.day() as u32,
            );
            exec(
                &txn,
                "INSERT INTO business_closures (id, client_id, position, closed_on, reason) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    uuid::Uuid::now_v7().into(),
                    id.clone(),
                    (position as i32).into(),
                    date.into(),
                    closure.reason.clone().into(),
                ],
            )
            .await?;
        }
        for (position, holiday) in schedule.holidays().iter().enumerate() {
            let entry = holiday_columns(holiday);
            exec(
                &txn,
                "INSERT INTO business_holidays (id, client_id, position, name, rule, month, day, weekday, nth, observed, offset_days) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                vec![
                    uuid::Uuid::now_v7().into(),
                    id.clone(),
                    (position as i32).into(),
                    holiday.name.clone().into(),
                    entry.rule.to_owned().into(),
                    entry.month.into(),
                    entry.day.into(),
                    entry.weekday.into(),
                    entry.nth.into(),
                    entry.observed.map(str::to_owned).into(),
                    entry.offset_days.into(),
                ],
            )
            .await?;
        }
        for special in schedule.special_hours() {
            let date = chrono::NaiveDate::from_ymd_opt(
                i32::from(special.date.year()),
                special.date.month() as u32,
                special.date.day() as u32,
            );
            let hours = special
                .hours
                .iter()
                .map(|(start, end)| format!("{start}-{end}"))
                .collect::<Vec<_>>()
                .join(",");
            exec(
                &txn,
                "INSERT INTO business_special_hours (id, client_id, special_date, hours, reason) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    uuid::Uuid::now_v7().into(),
                    id.clone(),
                    date.into(),
                    hours.into(),
                    special.reason.clone().into(),
                ],
            )
            .await?;
        }
        let committed = txn.commit().await.map_err(store_error);
        self.cache.forget();
        committed
    }
}

/// A statement for `conn`'s backend; `$n` parameters work on both.
pub(crate) fn statement<C: ConnectionTrait>(conn: &C, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

/// Executes a statement; returns the rows affected.
pub(crate) async fn exec<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, StoreError> {
    conn.execute_raw(statement(conn, sql, values))
        .await
        .map(|result| result.rows_affected())
        .map_err(store_error)
}

/// Runs a query expected to return at most one row.
pub(crate) async fn query_one<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, StoreError> {
    conn.query_one_raw(statement(conn, sql, values))
        .await
        .map_err(store_error)
}

/// Runs a query returning any number of rows.
pub(crate) async fn query_all<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    conn.query_all_raw(statement(conn, sql, values))
        .await
        .map_err(store_error)
}

/// Reads column `column` of `row`.
pub(crate) fn get<T: TryGetable>(row: &QueryResult, column: &str) -> Result<T, StoreError> {
    row.try_get_by::<T, _>(column)
        .map_err(|e| StoreError::Unavailable(format!("reading {column}: {e}")))
}

/// How many rows one pruning statement deletes, so no statement holds its
/// locks for long.
const PRUNE_BATCH: u32 = 1000;

/// What a prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Messages (with their routing decisions).
    pub messages: u64,
    /// Call attempts.
    pub call_attempts: u64,
    /// Webhook delivery records.
    pub webhook_deliveries: u64,
    /// Finished jobs (done or failed; pending ones are never pruned).
    pub jobs: u64,
}

impl Db {
    /// Deletes messages (and their routing decisions), call attempts,
    /// webhook delivery records and finished jobs older than `before`, in batches of
    /// [`PRUNE_BATCH`] rows so the webhook path is never blocked for long.
    ///
    /// # Errors
    ///
    /// [`StoreError`]; batches already deleted stay deleted.
    pub async fn prune(&self, before: Timestamp) -> Result<Pruned, StoreError> {
        let mut pruned = Pruned::default();
        let cutoff = || -> Vec<sea_orm::Value> {
            vec![to_db_time(before).into(), i64::from(PRUNE_BATCH).into()]
        };
        loop {
            let n = exec(
                &self.conn,
                "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE received_at < $1 LIMIT $2)",
                cutoff(),
            )
            .await?;
            pruned.messages += n;
            if n < u64::from(PRUNE_BATCH) {
                break;
            }
        }
        loop {
            let n = exec(
                &self.conn,
                "DELETE FROM call_attempts WHERE id IN (SELECT id FROM call_attempts WHERE created_at < $1 LIMIT $2)",
                cutoff(),
            )
            .await?;
            pruned.call_attempts += n;
            if n < u64::from(PRUNE_BATCH) {
                break;
            }
        }
        loop {
            let n = exec(
                &self.conn,
                "DELETE FROM webhook_deliveries WHERE delivery_key IN (SELECT delivery_key FROM webhook_deliveries WHERE received_at < $1 LIMIT $2)",
                cutoff(),
            )
            .await?;
            pruned.webhook_deliveries += n;
            if n < u64::from(PRUNE_BATCH) {
                break;
            }
        }
        loop {
            let n = exec(
                &self.conn,
                "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state <> 'pending' AND finished_at < $1 LIMIT $2)",
                cutoff(),
            )
            .await?;
            pruned.jobs += n;
            if n < u64::from(PRUNE_BATCH) {
                break;
            }
        }
        Ok(pruned)
    }
}

#[async_trait::async_trait]
impl hotline_domain::readiness::Readiness for Db {
    async fn is_ready(&self) -> bool {
        self.is_reachable().await
    }
}

/// A holiday's rule as the columns of `business_holidays`.
struct HolidayColumns {
    rule: &'static str,
    month: Option<i32>,
    day: Option<i32>,
    weekday: Option<i32>,
    nth: Option<i32>,
    observed: Option<&'static str>,
    offset_days: Option<i32>,
}

fn holiday_columns(holiday: &hotline_domain::schedule::Holiday) -> HolidayColumns {
    use hotline_domain::schedule::HolidayRule;
    let none = HolidayColumns {
        rule: "",
        month: None,
        day: None,
        weekday: None,
        nth: None,
        observed: None,
        offset_days: None,
    };
    match holiday.rule {
        HolidayRule::Date {
            month,
            day,
            observed,
        } => HolidayColumns {
            rule: "date",
            month: Some(month.into()),
            day: Some(day.into()),
            observed: Some(observed.as_str()),
            ..none
        },
        HolidayRule::NthWeekday {
            month,
            weekday,
            nth,
        } => HolidayColumns {
            rule: "nth_weekday",
            month: Some(month.into()),
            weekday: Some(weekday.into()),
            nth: Some(nth.into()),
            ..none
        },
        HolidayRule::WeekdayOnOrBefore {
            month,
            day,
            weekday,
        } => HolidayColumns {
            rule: "weekday_on_or_before",
            month: Some(month.into()),
            day: Some(day.into()),
            weekday: Some(weekday.into()),
            ..none
        },
        HolidayRule::Easter { offset_days } => HolidayColumns {
            rule: "easter",
            offset_days: Some(offset_days.into()),
            ..none
        },
    }
}

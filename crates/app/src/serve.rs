//! `hotline serve` and `hotline migrate`: wiring the adapters to the policy
//! and the HTTP service, and running until told to stop.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hotline_api::{ApiConfig, AppState, PublicLinks};
use hotline_db::{Db, UuidV7Ids};
use hotline_domain::routing::ports::{Clock, Telephony};
use hotline_domain::routing::{RoutingConfig, RoutingPorts, RoutingService};
use hotline_domain::{BuiltinIntentScorer, Timestamp};
use hotline_twilio::{Credentials, SandboxTelephony, TwilioClient, TwilioConfig};

use crate::config::{Config, LogFormat};

/// How often the worker looks for ring groups past their deadline.
const TIMER_INTERVAL: Duration = Duration::from_secs(1);

/// How often the worker prunes when `HOTLINE_RETENTION_DAYS` is set.
const RETENTION_INTERVAL: Duration = Duration::from_secs(3600);

/// The system clock.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Sets up logging: human-readable or JSON, `RUST_LOG` to filter
/// (default `info`, with sqlx quiet), written by a thread of its own.
/// Keep the guard until exit: dropping it writes out every queued line.
pub fn init_logging(format: LogFormat) -> crate::log_writer::LogGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let (writer, guard) = crate::log_writer::start();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    match format {
        // The request span once per line (its id, method and path), not twice.
        LogFormat::Json => builder.json().with_span_list(false).init(),
        LogFormat::Text => builder.init(),
    }
    guard
}

/// Connects and applies pending migrations.
pub async fn migrate(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect_with_pool(&config.database_url, config.database_pool_size)
        .await
        .context("cannot open the database")?;
    db.migrate().await.context("cannot apply migrations")?;
    Ok(db)
}

/// Reads `--before`: a date (midnight UTC) or an RFC 3339 instant.
pub fn parse_cutoff(text: &str) -> Option<Timestamp> {
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Some(instant);
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    jiff::tz::TimeZone::UTC
        .to_ambiguous_timestamp(date.at(0, 0, 0, 0))
        .compatible()
        .ok()
}

/// `hotline prune`: deletes old records and prints what it removed.
pub async fn prune(config: &Config, before: Timestamp) -> anyhow::Result<()> {
    let db = migrate(config).await?;
    let pruned = db.prune(before).await.context("cannot prune")?;
    println!(
        "{{\"before\":\"{before}\",\"messages\":{},\"call_attempts\":{},\"webhook_deliveries\":{}}}",
        pruned.messages, pruned.call_attempts, pruned.webhook_deliveries
    );
    Ok(())
}

fn telephony(config: &Config) -> anyhow::Result<(Arc<dyn Telephony>, Option<String>)> {
    let Some(twilio) = &config.twilio else {
        tracing::warn!(
            "SANDBOX MODE: no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN. No call or text will be sent \
             (they are only logged) and webhooks are accepted WITHOUT signature checks."
        );
        return Ok((Arc::new(SandboxTelephony::default()), None));
    };
    let credentials = match &twilio.api_key {
        Some((sid, secret)) => Credentials::ApiKey {
            sid: sid.clone(),
            secret: secret.clone(),
        },
        None => Credentials::AuthToken(twilio.auth_token.clone()),
    };
    let mut settings = TwilioConfig::new(twilio.account_sid.clone(), credentials);
    settings.base_url = config.twilio_api_base.clone();
    settings.calls_per_second = config.calls_per_second;
    let client = TwilioClient::new(settings).context("cannot build the Twilio client")?;
    Ok((Arc::new(client), Some(twilio.auth_token.clone())))
}

/// Serves until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = Arc::new(migrate(&config).await?);
    let (telephony, auth_token) = telephony(&config)?;
    let routing = RoutingService::new(
        RoutingPorts {
            clients: db.clone(),
            leads: db.clone(),
            ring_groups: db.clone(),
            escalations: db.clone(),
            telephony,
            links: Arc::new(PublicLinks::new(&config.public_url)),
            scorer: Arc::new(BuiltinIntentScorer::new(config.intent_threshold)),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UuidV7Ids),
        },
        RoutingConfig {
            ring_timeout_seconds: config.ring_timeout_seconds,
            ..RoutingConfig::default()
        },
    );
    let state = AppState {
        feedback: db.clone(),
        db: db.clone(),
        routing: routing.clone(),
        metrics: Arc::default(),
        config: Arc::new(ApiConfig {
            public_url: config.public_url.clone(),
            twilio_auth_token: auth_token,
            admin_token: config.admin_token.clone(),
            max_webhooks_in_flight: config.max_webhooks_in_flight,
        }),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    if config.admin_token.is_none() {
        tracing::warn!("HOTLINE_ADMIN_TOKEN is not set: nobody can use the admin API");
    }
    tracing::info!(listen = %config.listen, public_url = %config.public_url, "hotline is serving");
    let worker = tokio::spawn(fire_timers(state.clone()));
    let retention = config
        .retention_days
        .map(|days| tokio::spawn(prune_periodically(db.clone(), days)));
    axum::serve(listener, hotline_api::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the HTTP server failed")?;
    worker.abort();
    if let Some(retention) = retention {
        retention.abort();
    }
    tracing::info!("hotline stopped");
    Ok(())
}

/// Fires the durable ring-group timers stored in the database. Several
/// processes may fire the same timer; exhausting a group is atomic, so the
/// lead is escalated once.
async fn fire_timers(state: AppState) {
    let mut tick = tokio::time::interval(TIMER_INTERVAL);
    loop {
        tick.tick().await;
        let due = match state.db.due_ring_groups(Timestamp::now(), 100).await {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "cannot read ring-group timers");
                continue;
            }
        };
        for group in due {
            match state.routing.ring_group_timed_out(group).await {
                Ok(follow_ups) => state.spawn_follow_ups(follow_ups),
                Err(error) => tracing::warn!(%error, %group, "ring-group timeout failed"),
            }
        }
    }
}

/// Deletes records older than `days` now and then once an hour. Several
/// processes may prune at once: each batch deletes what is still there.
async fn prune_periodically(db: Arc<Db>, days: u32) {
    let mut tick = tokio::time::interval(RETENTION_INTERVAL);
    loop {
        tick.tick().await;
        let Ok(cutoff) =
            Timestamp::now().checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        else {
            continue;
        };
        match db.prune(cutoff).await {
            Ok(pruned) => tracing::info!(
                before = %cutoff,
                messages = pruned.messages,
                call_attempts = pruned.call_attempts,
                webhook_deliveries = pruned.webhook_deliveries,
                "pruned old records"
            ),
            Err(error) => tracing::warn!(%error, "cannot prune old records"),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}

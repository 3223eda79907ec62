//! `hotline serve`, `hotline migrate` and `hotline prune`: running the
//! wired service ([`crate::compose`]) until told to stop.

use anyhow::Context;
use hotline_db::Db;
use hotline_domain::Timestamp;

use crate::config::{Config, LogFormat};

/// The shortest super-admin token started without a loud warning outside
/// sandbox mode.
pub const MIN_ADMIN_TOKEN_CHARS: usize = 32;

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
///
/// # Errors
///
/// When the database cannot be opened or migrated.
pub async fn migrate(config: &Config) -> anyhow::Result<Db> {
    crate::compose::connect(config).await
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

/// Serves until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let hotline = crate::compose::build(&config, crate::compose::Overrides::default()).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    match config.admin_token.as_deref() {
        None => tracing::warn!("HOTLINE_ADMIN_TOKEN is not set: nobody can use the admin API"),
        Some(token) if token.chars().count() < MIN_ADMIN_TOKEN_CHARS && config.twilio.is_some() => {
            tracing::warn!(
                length = token.chars().count(),
                "HOTLINE_ADMIN_TOKEN IS SHORTER THAN 32 CHARACTERS: anyone who guesses it controls every client. \
                 Use a long random token, such as the output of `openssl rand -hex 32`."
            );
        }
        Some(_) => {}
    }
    tracing::info!(listen = %config.listen, public_url = %config.public_url, "hotline is serving");
    let workers = hotline.start_workers(config.retention_days);
    crate::http_server::serve_http(listener, hotline.router(), shutdown_signal())
        .await
        .context("the HTTP server failed")?;
    tracing::info!(
        running = hotline.state.running.count(),
        grace_seconds = config.shutdown_grace_seconds,
        "running the work already due, then stopping"
    );
    let grace = std::time::Duration::from_secs(u64::from(config.shutdown_grace_seconds));
    if !workers.finish(grace).await {
        tracing::warn!(
            unfinished = hotline.state.running.count(),
            "shutdown grace over: unfinished jobs run again on any process once their lease runs out"
        );
    }
    tracing::info!("hotline stopped");
    Ok(())
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

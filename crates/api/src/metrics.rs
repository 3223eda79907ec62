//! Prometheus metrics of the HTTP service, as plain counters.

use hotline_domain::work::QueueHealth;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::state::AppState;

/// Counters exported at `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    /// HTTP requests answered, by status class (2xx, 3xx, 4xx, 5xx).
    pub responses: [AtomicU64; 4],
    /// Inbound SMS webhooks accepted.
    pub sms_received: AtomicU64,
    /// Webhooks refused for a bad signature.
    pub bad_signatures: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record_status(&self, status: u16) {
        let class = usize::from(status / 100).saturating_sub(2).min(3);
        self.responses[class].fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP hotline_http_responses_total HTTP responses by status class."
        );
        let _ = writeln!(out, "# TYPE hotline_http_responses_total counter");
        for (class, counter) in ["2xx", "3xx", "4xx", "5xx"].iter().zip(&self.responses) {
            let _ = writeln!(
                out,
                "hotline_http_responses_total{{class=\"{class}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP hotline_sms_received_total Inbound SMS webhooks accepted."
        );
        let _ = writeln!(out, "# TYPE hotline_sms_received_total counter");
        let _ = writeln!(
            out,
            "hotline_sms_received_total {}",
            self.sms_received.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP hotline_webhook_bad_signatures_total Webhooks refused for a missing or wrong signature."
        );
        let _ = writeln!(out, "# TYPE hotline_webhook_bad_signatures_total counter");
        let _ = writeln!(
            out,
            "hotline_webhook_bad_signatures_total {}",
            self.bad_signatures.load(Ordering::Relaxed)
        );
        out
    }
}

/// The job queue's gauges, in Prometheus text; nothing when the store
/// cannot be read (the scrape still answers, without them).
fn queue_gauges(health: Option<QueueHealth>) -> String {
    let Some(health) = health else {
        return String::new();
    };
    let mut out = String::new();
    for (name, help, value) in [
        (
            "hotline_jobs_pending",
            "Durable jobs not finished yet (due, scheduled or running).",
            health.pending as f64,
        ),
        (
            "hotline_jobs_due",
            "Pending jobs whose due time has passed.",
            health.due as f64,
        ),
        (
            "hotline_jobs_oldest_pending_seconds",
            "How long the longest-waiting due job has been due.",
            health.oldest_due_seconds,
        ),
        (
            "hotline_jobs_failed",
            "Jobs that failed for good and are still kept.",
            health.failed as f64,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} gauge");
        let _ = writeln!(out, "{name} {value}");
    }
    out
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let health = match state.jobs.health(state.routing.now()).await {
        Ok(health) => Some(health),
        Err(error) => {
            tracing::warn!(%error, "cannot read the job queue's health");
            None
        }
    };
    let mut body = state.metrics.render();
    body.push_str(&queue_gauges(health));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}

//! Prometheus metrics of the service (CONTRACT section 11), kept by the
//! `prometheus` crate and served at `/metrics` in the Prometheus text
//! format (0.0.4), which Prometheus and the official client parsers read.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::ports::{RingGroupOutcome, RoutingObserver};
use hotline_domain::work::QueueHealth;
use jiff::SignedDuration;
use prometheus::{
    Encoder, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts,
    Registry, TextEncoder,
};

use crate::auth::bearer_token;
use crate::error::ApiError;
use crate::state::AppState;

/// Upper bounds of the request duration buckets, in seconds.
const REQUEST_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Upper bounds of the speed-to-lead buckets, in seconds.
const SPEED_BUCKETS: [f64; 13] = [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// Every metric of the service, registered once.
pub struct Metrics {
    registry: Registry,
    requests: HistogramVec,
    responses: IntCounterVec,
    speed_to_lead: Histogram,
    ring_groups: IntCounterVec,
    twilio_requests: IntCounterVec,
    sms_received: IntCounter,
    bad_signatures: IntCounter,
    jobs_pending: Gauge,
    jobs_due: Gauge,
    jobs_oldest: Gauge,
    jobs_failed: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Registers `metric` with `registry` and hands it back.
fn registered<M>(registry: &Registry, metric: M) -> Result<M, prometheus::Error>
where
    M: prometheus::core::Collector + Clone + 'static,
{
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

/// The operations counted in `hotline_twilio_requests_total`.
pub const TWILIO_OPERATIONS: [&str; 4] =
    ["create_call", "cancel_call", "complete_call", "send_sms"];

/// The outcomes counted in `hotline_twilio_requests_total`.
pub const TWILIO_OUTCOMES: [&str; 4] = ["ok", "rejected", "unavailable", "unknown"];

/// The status class label: `1xx` … `5xx`.
fn status_class(status: u16) -> String {
    format!("{}xx", status / 100)
}

impl Metrics {
    /// Every metric, registered.
    ///
    /// # Errors
    ///
    /// A metric the registry refuses (a bad or repeated name): a bug.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let r = &registry;
        let gauge = |name: &str, help: &str| registered(r, Gauge::new(name, help)?);
        let metrics = Self {
            requests: registered(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "hotline_http_request_duration_seconds",
                        "Time to answer an HTTP request, by route and status class",
                    )
                    .buckets(REQUEST_BUCKETS.to_vec()),
                    &["route", "status"],
                )?,
            )?,
            responses: registered(
                r,
                IntCounterVec::new(
                    Opts::new("hotline_http_responses_total", "HTTP responses by status class"),
                    &["class"],
                )?,
            )?,
            speed_to_lead: registered(
                r,
                Histogram::with_opts(
                    HistogramOpts::new(
                        "hotline_speed_to_lead_seconds",
                        "From a hot lead's SMS arriving to the first call of its ring group being created",
                    )
                    .buckets(SPEED_BUCKETS.to_vec()),
                )?,
            )?,
            ring_groups: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "hotline_ring_groups_total",
                        "Ring groups ended, by outcome: accepted, unanswered (escalated) or ended (the lead opted out)",
                    ),
                    &["outcome"],
                )?,
            )?,
            twilio_requests: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "hotline_twilio_requests_total",
                        "Requests to Twilio's REST API by operation and outcome: ok, rejected, unavailable or unknown",
                    ),
                    &["operation", "outcome"],
                )?,
            )?,
            sms_received: registered(
                r,
                IntCounter::new("hotline_sms_received_total", "Inbound SMS webhooks accepted")?,
            )?,
            bad_signatures: registered(
                r,
                IntCounter::new(
                    "hotline_webhook_bad_signatures_total",
                    "Webhooks refused for a missing or wrong signature",
                )?,
            )?,
            jobs_pending: gauge(
                "hotline_jobs_pending",
                "Durable jobs not finished yet: due, scheduled or running",
            )?,
            jobs_due: gauge("hotline_jobs_due", "Pending jobs whose due time has passed")?,
            jobs_oldest: gauge(
                "hotline_jobs_oldest_pending_seconds",
                "How long the longest-waiting due job has been due",
            )?,
            jobs_failed: gauge(
                "hotline_jobs_failed",
                "Jobs that failed for good and are still kept",
            )?,
            registry,
        };
        // Every series of the fixed labels from the start, at 0: a rate over
        // a series that appears with its first event would miss that event,
        // and alerts on ratios need both sides.
        for outcome in RingGroupOutcome::ALL {
            metrics.ring_groups.with_label_values(&[outcome.as_str()]);
        }
        for operation in TWILIO_OPERATIONS {
            for outcome in TWILIO_OUTCOMES {
                metrics
                    .twilio_requests
                    .with_label_values(&[operation, outcome]);
            }
        }
        Ok(metrics)
    }

    /// Counts one answered request on `route` (the matched path template,
    /// or `unmatched`) that took `seconds`.
    pub fn record_request(&self, route: &str, status: u16, seconds: f64) {
        let class = status_class(status);
        self.requests
            .with_label_values(&[route, class.as_str()])
            .observe(seconds);
        self.responses.with_label_values(&[class.as_str()]).inc();
    }

    /// Counts one inbound SMS webhook accepted.
    pub fn sms_received(&self) {
        self.sms_received.inc();
    }

    /// Counts one webhook refused for its signature.
    pub fn bad_signature(&self) {
        self.bad_signatures.inc();
    }

    /// Counts one request to Twilio's REST API.
    pub fn twilio_request(&self, operation: &str, outcome: &str) {
        self.twilio_requests
            .with_label_values(&[operation, outcome])
            .inc();
    }

    /// The metrics in Prometheus text, with the queue's gauges as of
    /// `health` (left at their last values when it could not be read).
    fn render(&self, health: Option<QueueHealth>) -> String {
        if let Some(health) = health {
            self.jobs_pending.set(health.pending as f64);
            self.jobs_due.set(health.due as f64);
            self.jobs_oldest.set(health.oldest_due_seconds);
            self.jobs_failed.set(health.failed as f64);
        }
        let mut out = Vec::new();
        if let Err(error) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::warn!(%error, "cannot encode the metrics");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

impl RoutingObserver for Metrics {
    fn first_call_placed(&self, since_sms: SignedDuration) {
        self.speed_to_lead.observe(since_sms.as_secs_f64().max(0.0));
    }

    fn ring_group_ended(&self, outcome: RingGroupOutcome) {
        self.ring_groups
            .with_label_values(&[outcome.as_str()])
            .inc();
    }
}

/// `GET /metrics`: Prometheus text; with `HOTLINE_METRICS_TOKEN` set, only
/// for `Authorization: Bearer` with that token.
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    if let Some(expected) = state.config.metrics_token.as_deref() {
        let peer = crate::auth_limit::peer(request.extensions());
        if let Err(limited) = state.auth_limit.begin(peer, std::time::Instant::now()) {
            return limited.into_response();
        }
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token);
        let allowed = presented.is_some_and(|token| {
            hotline_domain::admin::same_secret(
                &hotline_domain::admin::token_digest(token),
                &hotline_domain::admin::token_digest(expected),
            )
        });
        if !allowed {
            return ApiError::Unauthorized.into_response();
        }
        state.auth_limit.succeeded(peer);
    }
    let health = match state.jobs.health(state.routing.now()).await {
        Ok(health) => Some(health),
        Err(error) => {
            tracing::warn!(%error, "cannot read the job queue's health");
            None
        }
    };
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(health),
    )
        .into_response()
}

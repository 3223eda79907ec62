//! What every request handler shares: the domain's services and the HTTP
//! settings. Nothing here knows how anything is stored.

use std::sync::Arc;

use hotline_domain::admin::{AccessService, AdminService};
use hotline_domain::intent::IntentFeedbackStore;
use hotline_domain::readiness::Readiness;
use hotline_domain::reports::ReportService;
use hotline_domain::routing::{FollowUp, RoutingService};

/// Settings the HTTP layer needs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// The base URL Twilio reaches this server at, without a trailing slash.
    pub public_url: String,
    /// Twilio's auth token for checking signatures; `None` is sandbox mode,
    /// where unsigned webhooks are accepted.
    pub twilio_auth_token: Option<String>,
    /// Twilio requests handled at once; past it they are answered 503 at
    /// once (Twilio delivers them again) instead of waiting in a queue.
    pub max_webhooks_in_flight: usize,
}

/// Shared state of the service.
#[derive(Clone)]
pub struct AppState {
    /// The hot-transfer policy.
    pub routing: RoutingService,
    /// Clients, teams and hours.
    pub admin: AdminService,
    /// Tokens, admins and web sessions.
    pub access: AccessService,
    /// Leads, calls, escalations and statistics.
    pub reports: ReportService,
    /// Admins' verdicts on scored messages.
    pub feedback: Arc<dyn IntentFeedbackStore>,
    /// Whether the store answers.
    pub readiness: Arc<dyn Readiness>,
    /// HTTP settings.
    pub config: Arc<ApiConfig>,
    /// Counters for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// Runs follow-ups in the background, after the answer has gone out.
    /// They start from durable records, so losing this task loses no lead.
    pub fn spawn_follow_ups(&self, follow_ups: Vec<FollowUp>) {
        if follow_ups.is_empty() {
            return;
        }
        let routing = self.routing.clone();
        tokio::spawn(async move {
            let mut queue = follow_ups;
            while let Some(next) = queue.pop() {
                match routing.run(&next).await {
                    Ok(more) => queue.extend(more),
                    Err(error) => tracing::warn!(?next, %error, "follow-up failed"),
                }
            }
        });
    }
}

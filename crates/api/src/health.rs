//! Liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// Alive: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.readiness.is_ready().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

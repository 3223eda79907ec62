//! The limit on failed sign-ins and bearer-token checks per address
//! (CONTRACT section 11): after [`MAX_FAILURES`] failures within
//! [`WINDOW`] of the first, the address gets 429 with `Retry-After` on
//! every attempt until the window has passed, right token or not.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::Extensions;

use crate::error::ApiError;

/// Failed attempts an address may make within one window.
pub const MAX_FAILURES: u32 = 20;

/// How long a window lasts from its first failure.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Addresses tracked before expired windows are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

/// Failed attempts per address, in memory (each process counts its own).
#[derive(Debug, Default)]
pub struct FailedAuthLimit {
    windows: Mutex<HashMap<IpAddr, Window>>,
}

/// The peer address of a request served by Hotline's server; `None` when
/// served some other way (nothing is then limited).
pub fn peer(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

impl FailedAuthLimit {
    /// `Err` with the seconds to wait when `peer` is over the limit at `now`.
    ///
    /// # Errors
    ///
    /// [`ApiError::TooManyFailures`].
    pub fn check(&self, peer: Option<IpAddr>, now: Instant) -> Result<(), ApiError> {
        let Some(peer) = peer else { return Ok(()) };
        let Ok(windows) = self.windows.lock() else {
            return Ok(());
        };
        match windows.get(&peer) {
            Some(window) if window.failures >= MAX_FAILURES => {
                let ends = window.started + WINDOW;
                if now < ends {
                    let wait = ends.duration_since(now);
                    // Whole seconds, rounded up: never "retry in 0 s".
                    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                    Err(ApiError::TooManyFailures(seconds.max(1)))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Counts one failed attempt by `peer` at `now`.
    pub fn failed(&self, peer: Option<IpAddr>, now: Instant) {
        let Some(peer) = peer else { return };
        let Ok(mut windows) = self.windows.lock() else {
            return;
        };
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let window = windows.entry(peer).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                failures: 0,
            };
        }
        window.failures = window.failures.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([203, 0, 113, last]))
    }

    #[test]
    fn the_twenty_first_attempt_within_a_minute_waits_until_the_minute_has_passed() {
        let limit = FailedAuthLimit::default();
        let start = Instant::now();
        for n in 0..MAX_FAILURES {
            assert!(limit.check(address(1), start).is_ok(), "attempt {n}");
            limit.failed(address(1), start + Duration::from_secs(u64::from(n)));
        }
        let later = start + Duration::from_secs(30);
        match limit.check(address(1), later) {
            Err(ApiError::TooManyFailures(seconds)) => assert_eq!(seconds, 30),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another address is not affected; nothing is limited without one.
        assert!(limit.check(address(2), later).is_ok());
        assert!(limit.check(None, later).is_ok());
        // Once the minute from the first failure has passed, it may try again.
        assert!(limit.check(address(1), start + WINDOW).is_ok());
        limit.failed(address(1), start + WINDOW);
        assert!(limit.check(address(1), start + WINDOW).is_ok());
    }

    #[test]
    fn failures_spread_over_more_than_a_minute_are_not_limited() {
        let limit = FailedAuthLimit::default();
        let start = Instant::now();
        for n in 0..40_u64 {
            let at = start + Duration::from_secs(n * 4);
            assert!(limit.check(address(3), at).is_ok(), "attempt {n}");
            limit.failed(address(3), at);
        }
    }
}

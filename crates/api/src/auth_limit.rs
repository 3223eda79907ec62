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

/// Addresses tracked at most: past it (an attack from very many addresses)
/// the table starts afresh rather than grow without bound.
const MAX_TRACKED: usize = 200_000;

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

/// The key an address is counted under: IPv6 by its /64 network (one
/// host's share), IPv4 by itself.
fn key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1_u128 << 64) - 1),
            )),
        },
    }
}

impl FailedAuthLimit {
    /// Before checking a token or a sign-in from `peer` at `now`: refused
    /// when the address is over the limit; otherwise the attempt is counted
    /// as failed at once (so parallel guesses cannot outrun the count) until
    /// [`Self::succeeded`] takes it back.
    ///
    /// # Errors
    ///
    /// [`ApiError::TooManyFailures`] with the seconds left in the window.
    pub fn begin(&self, peer: Option<IpAddr>, now: Instant) -> Result<(), ApiError> {
        let Some(peer) = peer.map(key) else {
            return Ok(());
        };
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
            if windows.len() >= MAX_TRACKED {
                windows.clear();
            }
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
        if window.failures >= MAX_FAILURES {
            let wait = (window.started + WINDOW).duration_since(now);
            // Whole seconds, rounded up: never "retry in 0 s".
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(ApiError::TooManyFailures(seconds.max(1)));
        }
        window.failures += 1;
        Ok(())
    }

    /// The attempt counted by [`Self::begin`] succeeded: it no longer counts.
    pub fn succeeded(&self, peer: Option<IpAddr>) {
        let Some(peer) = peer.map(key) else { return };
        if let Ok(mut windows) = self.windows.lock()
            && let Some(window) = windows.get_mut(&peer)
        {
            window.failures = window.failures.saturating_sub(1);
        }
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
            let at = start + Duration::from_secs(u64::from(n));
            assert!(limit.begin(address(1), at).is_ok(), "attempt {n}");
        }
        let later = start + Duration::from_secs(30);
        match limit.begin(address(1), later) {
            Err(ApiError::TooManyFailures(seconds)) => assert_eq!(seconds, 30),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another address is not affected; nothing is limited without one.
        assert!(limit.begin(address(2), later).is_ok());
        assert!(limit.begin(None, later).is_ok());
        // Once the minute from the first failure has passed, it may try again.
        assert!(limit.begin(address(1), start + WINDOW).is_ok());
    }

    #[test]
    fn successes_do_not_count_and_failures_spread_over_minutes_are_not_limited() {
        let limit = FailedAuthLimit::default();
        let start = Instant::now();
        for n in 0..100_u64 {
            let at = start + Duration::from_millis(n);
            assert!(limit.begin(address(3), at).is_ok(), "attempt {n}");
            limit.succeeded(address(3));
        }
        for n in 0..40_u64 {
            let at = start + Duration::from_secs(n * 4);
            assert!(limit.begin(address(4), at).is_ok(), "attempt {n}");
        }
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let limit = FailedAuthLimit::default();
        let now = Instant::now();
        for host in 0..u16::try_from(MAX_FAILURES).unwrap_or(20) {
            let ip = IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, host]);
            assert!(limit.begin(Some(ip), now).is_ok());
        }
        let another_host = IpAddr::from([0x2001, 0xdb8, 0, 1, 0xffff, 1, 2, 3]);
        assert!(limit.begin(Some(another_host), now).is_err());
        let another_network = IpAddr::from([0x2001, 0xdb8, 0, 2, 0, 0, 0, 1]);
        assert!(limit.begin(Some(another_network), now).is_ok());
    }
}

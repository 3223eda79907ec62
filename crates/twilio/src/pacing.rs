//! Paces call creation to a number of calls per second.
//!
//! Twilio queues calls above an account's CPS limit (1 per second by
//! default) and may answer 429. Pacing in the client spreads a ring group's
//! calls so they are accepted at once; the price is that the n-th phone of
//! a group starts ringing (n-1)/CPS seconds after the first.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Hands out start times at most `rate` per second.
#[derive(Debug)]
pub struct Pacer {
    interval: Option<Duration>,
    next_slot: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer for `calls_per_second`; 0 (or less) turns pacing off.
    pub fn new(calls_per_second: f64) -> Self {
        let interval = (calls_per_second > 0.0 && calls_per_second.is_finite())
            .then(|| Duration::from_secs_f64(1.0 / calls_per_second));
        Self {
            interval,
            next_slot: Mutex::new(None),
        }
    }

    /// Waits for the next free slot.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

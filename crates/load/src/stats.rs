//! Latency percentiles.

use std::time::Duration;

/// Percentiles of a set of durations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    /// How many samples.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 95th percentile.
    pub p95: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// The slowest.
    pub max: Duration,
    /// Arithmetic mean.
    pub mean: Duration,
}

impl Percentiles {
    /// Nearest-rank percentiles of `samples` (sorted in place).
    pub fn of(samples: &mut [Duration]) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let rank = |p: f64| {
            let index = ((p / 100.0) * samples.len() as f64).ceil() as usize;
            samples[index.clamp(1, samples.len()) - 1]
        };
        let total: Duration = samples.iter().sum();
        Self {
            count: samples.len(),
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: samples[samples.len() - 1],
            mean: total / u32::try_from(samples.len()).unwrap_or(u32::MAX),
        }
    }

    /// "p50 1.23 ms, p95 …" for the report.
    pub fn line(&self) -> String {
        format!(
            "n {}, p50 {}, p95 {}, p99 {}, max {}, mean {}",
            self.count,
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            ms(self.mean)
        )
    }
}

/// A duration in milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        samples.reverse();
        let p = Percentiles::of(&mut samples);
        assert_eq!(p.p50, Duration::from_millis(50));
        assert_eq!(p.p95, Duration::from_millis(95));
        assert_eq!(p.p99, Duration::from_millis(99));
        assert_eq!(p.max, Duration::from_millis(100));
        assert_eq!(p.count, 100);
    }
}

//! The simulated clock: wall time scaled by `speed`, so tests can run minutes of pipeline in
//! moments while timestamps still look like real ones.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Clock {
    origin: Instant,
    epoch_ms: i64,
    speed: f64,
}

impl Clock {
    /// A clock that starts at the current wall time and runs `speed` times faster.
    pub fn new(speed: f64) -> Self {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Clock {
            origin: Instant::now(),
            epoch_ms,
            speed,
        }
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Simulated now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.epoch_ms + (self.origin.elapsed().as_secs_f64() * 1000.0 * self.speed) as i64
    }

    /// The wall-clock duration that `sim_ms` simulated milliseconds take.
    pub fn real(&self, sim_ms: u64) -> Duration {
        Duration::from_secs_f64(sim_ms as f64 / 1000.0 / self.speed)
    }

    /// Sleeps for `sim_ms` simulated milliseconds.
    pub async fn sleep(&self, sim_ms: u64) {
        tokio::time::sleep(self.real(sim_ms)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_scales_real_durations() {
        let clock = Clock::new(10.0);
        assert_eq!(clock.real(10_000), Duration::from_secs(1));
        let fast = Clock::new(1000.0);
        assert_eq!(fast.real(3_000), Duration::from_millis(3));
    }

    #[test]
    fn now_advances_faster_than_wall_time() {
        let clock = Clock::new(1000.0);
        let before = clock.now_ms();
        std::thread::sleep(Duration::from_millis(5));
        assert!(clock.now_ms() - before >= 5000);
    }
}

//! Time limits and polling intervals over the transport's `sleep`.
//!
//! Not every target has a wall clock (wasm32 has no `Instant`), so a [`Deadline`] counts the
//! time the client itself slept, and on native targets also the real time passed: the later
//! of the two decides. Every request is bounded by the transport's own timeouts, so a wait
//! always ends.

use super::config::PollPolicy;
use super::retry::{Jitter, SeededJitter};
use crate::transport::Transport;
use std::time::Duration;

pub(crate) struct Deadline {
    limit: Duration,
    slept: Duration,
    #[cfg(not(target_arch = "wasm32"))]
    started: std::time::Instant,
}

impl Deadline {
    pub(crate) fn after(limit: Duration) -> Self {
        Deadline {
            limit,
            slept: Duration::ZERO,
            #[cfg(not(target_arch = "wasm32"))]
            started: std::time::Instant::now(),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        #[cfg(not(target_arch = "wasm32"))]
        return self.slept.max(self.started.elapsed());
        #[cfg(target_arch = "wasm32")]
        return self.slept;
    }

    pub(crate) fn remaining(&self) -> Duration {
        self.limit.saturating_sub(self.elapsed())
    }

    /// Sleeps `duration`, or what is left of the limit if that is less. False once expired.
    pub(crate) async fn sleep<T: Transport + ?Sized>(
        &mut self,
        transport: &T,
        duration: Duration,
    ) -> bool {
        let wait = duration.min(self.remaining());
        if wait.is_zero() {
            return false;
        }
        transport.sleep(wait).await;
        self.slept += wait;
        true
    }

    /// Counts `spent` (time spent waiting on something other than a sleep) where there is
    /// no clock to measure it (wasm32); native targets measure the real time instead.
    pub(crate) fn charge(&mut self, spent: Duration) {
        #[cfg(target_arch = "wasm32")]
        {
            self.slept += spent;
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = spent;
    }

    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }
}

/// Polling intervals: start at `initial`, grow by half each time nothing changed, up to
/// `max`; each interval jittered between 75% and 100% of its value. A change resets it.
pub(crate) struct Poller {
    policy: PollPolicy,
    current: Duration,
    jitter: SeededJitter,
}

impl Poller {
    pub(crate) fn new(policy: PollPolicy, seed: u64) -> Self {
        Poller {
            policy,
            current: policy.initial,
            jitter: SeededJitter::new(seed),
        }
    }

    /// The next interval; `progressed` says whether the last poll saw something new.
    pub(crate) fn next(&mut self, progressed: bool) -> Duration {
        if progressed {
            self.current = self.policy.initial;
        }
        let base = self.current;
        self.current = (self.current + self.current / 2).min(self.policy.max);
        base.mul_f64(0.75 + 0.25 * self.jitter.unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_intervals_grow_to_the_cap_and_reset_on_progress() {
        let policy = PollPolicy::new(Duration::from_millis(100), Duration::from_millis(400));
        let mut p = Poller::new(policy, 1);
        let seq: Vec<Duration> = (0..8).map(|_| p.next(false)).collect();
        for d in &seq {
            assert!(
                *d >= Duration::from_millis(75) && *d <= Duration::from_millis(400),
                "{seq:?}"
            );
        }
        assert!(
            seq[7] >= Duration::from_millis(300),
            "reaches the cap: {seq:?}"
        );
        assert!(p.next(true) <= Duration::from_millis(100));
    }

    #[test]
    fn a_deadline_counts_the_time_slept() {
        let mut d = Deadline::after(Duration::from_secs(60));
        d.slept = Duration::from_secs(59);
        assert_eq!(d.remaining(), Duration::from_secs(1));
        d.slept = Duration::from_secs(61);
        assert!(d.remaining().is_zero());
    }
}

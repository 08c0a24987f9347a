//! Time limits and polling intervals over the transport's `sleep`.
//!
//! A [`Deadline`] counts the time the client itself slept and the real time passed, and the
//! later of the two decides. The real time comes from `Instant` on native targets and from
//! the JS clock (`Date.now()`) on wasm32 with the fetch transport; a bare wasm32 build has no
//! clock and counts sleeps and [`Deadline::charge`]d waits only. Every request is bounded by
//! the transport's own timeouts, so a wait always ends.

use super::config::PollPolicy;
use super::retry::{Jitter, SeededJitter};
use crate::transport::Transport;
use std::time::Duration;

/// A point in real time, where the target has a clock.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy)]
struct Instant(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Instant {
    fn now() -> Option<Self> {
        Some(Instant(std::time::Instant::now()))
    }

    fn elapsed(self) -> Duration {
        self.0.elapsed()
    }
}

/// A point in real time from the JS clock (milliseconds since the epoch).
#[cfg(all(target_arch = "wasm32", feature = "gloo"))]
#[derive(Clone, Copy)]
struct Instant(f64);

#[cfg(all(target_arch = "wasm32", feature = "gloo"))]
impl Instant {
    fn now() -> Option<Self> {
        Some(Instant(js_sys::Date::now()))
    }

    /// The clock may be set back: a negative span counts as none.
    fn elapsed(self) -> Duration {
        Duration::from_secs_f64((js_sys::Date::now() - self.0).max(0.0) / 1000.0)
    }
}

/// No clock on a bare wasm32 build.
#[cfg(all(target_arch = "wasm32", not(feature = "gloo")))]
#[derive(Clone, Copy)]
enum Instant {}

#[cfg(all(target_arch = "wasm32", not(feature = "gloo")))]
impl Instant {
    fn now() -> Option<Self> {
        None
    }

    fn elapsed(self) -> Duration {
        match self {}
    }
}

pub(crate) struct Deadline {
    limit: Duration,
    slept: Duration,
    started: Option<Instant>,
}

impl Deadline {
    pub(crate) fn after(limit: Duration) -> Self {
        Deadline {
            limit,
            slept: Duration::ZERO,
            started: Instant::now(),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        match self.started {
            Some(started) => self.slept.max(started.elapsed()),
            None => self.slept,
        }
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
    /// no clock to measure it; with a clock the real time counts instead.
    pub(crate) fn charge(&mut self, spent: Duration) {
        if self.started.is_none() {
            self.slept += spent;
        }
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
    fn with_a_clock_waits_are_measured_not_charged() {
        let mut d = Deadline::after(Duration::from_secs(60));
        d.charge(Duration::from_secs(30));
        assert!(
            d.remaining() > Duration::from_secs(59),
            "{:?}",
            d.remaining()
        );
        let mut clockless = Deadline::after(Duration::from_secs(60));
        clockless.started = None;
        clockless.charge(Duration::from_secs(30));
        assert_eq!(clockless.remaining(), Duration::from_secs(30));
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

//! When to try a request again, and after how long. Pure: the caller supplies the jitter
//! source and the current time, so every decision can be replayed in tests.
//!
//! # The retry table
//!
//! This table is the whole rule; [`Retried`] is its code, and the README repeats it.
//!
//! | request | sent again after | why that is safe |
//! |---|---|---|
//! | GET (every read) | no answer; 429, 502, 503, 504; 500 up to 3 times | a read changes nothing |
//! | PUT, DELETE | no answer; 429, 502, 503, 504; 500 up to 3 times | idempotent (RFC 9110 §9.2.2): a repeat leaves the same state |
//! | POST creating a PipelineRun under a client-chosen name | the same, each time only after a read of that name finds no run | the server refuses a second object of one name, so a repeat either creates it or finds it |
//! | POST of the OAuth login, a run's stop, a repository scan | no answer; 429, 502, 503, 504; 500 up to 3 times | a second token, a second stop or a second scan does no harm |
//! | every other POST (create a pipeline or credential, start a run through Jenkins, replay, answer an input) | never | it may have happened: a lost answer does not mean it did not |
//!
//! "No answer" is a transport error or a timeout, including a body that breaks off. A
//! `Retry-After` on a retried status (seconds or an HTTP date) is honoured as given;
//! otherwise the delay is capped exponential backoff with "equal jitter" (half fixed, half
//! random), which spreads clients apart yet always waits a little. Every request gets at
//! most [`RetryPolicy::max_attempts`] attempts, and no wait may end past
//! [`RetryPolicy::deadline`]. A 500 is usually a passing failure, but behind ks-devops'
//! v1alpha2 API it is also how every Jenkins error (a 404 included) arrives, so it gets
//! sent again after at most [`MAX_500_ANSWERS`] of them ([`ServerErrors`]).

use crate::api::{Method, Request};
use crate::error::{ErrorKind, Result};
use crate::model::time::days_from_civil;
use crate::transport::{Response, Transport};
use std::time::Duration;

/// The limits of retrying. Every field is finite by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The backoff before the second attempt; doubled for each later one.
    pub initial_delay: Duration,
    /// No backoff wait is longer (a server's `Retry-After` may be, within the deadline).
    pub max_delay: Duration,
    /// Attempts in all, the first included. 1 disables retrying.
    pub max_attempts: u32,
    /// Total time that may pass from the first attempt; no retry is scheduled beyond it.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_attempts: 8,
            deadline: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub const NEVER: RetryPolicy = RetryPolicy {
        initial_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_attempts: 1,
        deadline: Duration::ZERO,
    };

    /// After `attempts` attempts (≥ 1) over `elapsed` time, the last one ending in `failure`:
    /// how long to wait before the next attempt, or `None` to give up.
    pub fn next_delay(
        &self,
        method: Method,
        attempts: u32,
        elapsed: Duration,
        failure: &Failure,
        jitter: &mut (impl Jitter + ?Sized),
    ) -> Option<Duration> {
        self.delay_for(
            Retried::for_method(method),
            attempts,
            elapsed,
            failure,
            jitter,
        )
    }

    /// As [`RetryPolicy::next_delay`], for a request of row `retried` of the retry table.
    pub fn delay_for(
        &self,
        retried: Retried,
        attempts: u32,
        elapsed: Duration,
        failure: &Failure,
        jitter: &mut (impl Jitter + ?Sized),
    ) -> Option<Duration> {
        if attempts >= self.max_attempts || !retried.failure(failure) {
            return None;
        }
        self.wait_within_deadline(elapsed, failure, attempts, jitter)
    }

    /// As [`RetryPolicy::next_delay`], for a request the caller knows is safe to send again
    /// whatever its method (a create under a client-chosen name, say).
    pub fn delay_after(
        &self,
        attempts: u32,
        elapsed: Duration,
        failure: &Failure,
        jitter: &mut (impl Jitter + ?Sized),
    ) -> Option<Duration> {
        if attempts >= self.max_attempts || !Retried::Harmless.failure(failure) {
            return None;
        }
        self.wait_within_deadline(elapsed, failure, attempts, jitter)
    }

    /// The server's `Retry-After`, else backoff; `None` when it would end past the deadline.
    fn wait_within_deadline(
        &self,
        elapsed: Duration,
        failure: &Failure,
        attempts: u32,
        jitter: &mut (impl Jitter + ?Sized),
    ) -> Option<Duration> {
        let delay = match failure.retry_after() {
            Some(server_says) => server_says,
            None => self.backoff(attempts, jitter),
        };
        (elapsed.checked_add(delay)? <= self.deadline).then_some(delay)
    }

    /// The jittered backoff after `attempts` attempts: between half and all of
    /// `min(max_delay, initial_delay · 2^(attempts-1))`.
    pub fn backoff(&self, attempts: u32, jitter: &mut (impl Jitter + ?Sized)) -> Duration {
        let doublings = attempts.saturating_sub(1).min(32);
        let full = self
            .initial_delay
            .checked_mul(1u32 << doublings.min(31))
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let half = full / 2;
        half + (full - half).mul_f64(jitter.unit().clamp(0.0, 1.0))
    }
}

/// RFC 9110 idempotent methods among ours.
pub fn is_idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// The statuses worth another try: rate limited, or a gateway/backend momentarily away.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// A request answered 500 this many times is not sent again.
pub const MAX_500_ANSWERS: u32 = 3;

/// Counts one request's 500 answers.
#[derive(Debug, Default)]
pub struct ServerErrors(u32);

impl ServerErrors {
    /// Counts `failure`; true once 500 has been the answer [`MAX_500_ANSWERS`] times.
    pub fn exhausted_by(&mut self, failure: &Failure) -> bool {
        if matches!(failure, Failure::Status { status: 500, .. }) {
            self.0 += 1;
        }
        self.0 >= MAX_500_ANSWERS
    }
}

/// A row of the [retry table](self): what kind of request, and so what may repeat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retried {
    /// A GET.
    Read,
    /// A PUT or DELETE.
    Idempotent,
    /// A POST creating a PipelineRun under a client-chosen name; the caller reads the name
    /// before each repeat.
    NamedCreate,
    /// A POST whose repeat does no harm: the OAuth login, a stop, a scan.
    Harmless,
    /// Any other POST.
    Never,
}

impl Retried {
    /// The row of a request known only by its method.
    pub fn for_method(method: Method) -> Self {
        match method {
            Method::Get => Retried::Read,
            Method::Put | Method::Delete => Retried::Idempotent,
            Method::Post => Retried::Never,
        }
    }

    /// Whether an answer with `status` may be followed by another attempt (a 500 only
    /// up to [`MAX_500_ANSWERS`] times, see [`ServerErrors`]).
    pub fn status(self, status: u16) -> bool {
        self != Retried::Never && (status == 500 || is_retryable_status(status))
    }

    /// Whether a lost answer (transport error, timeout, broken body) is followed by another
    /// attempt.
    pub fn lost_answer(self) -> bool {
        self != Retried::Never
    }

    /// Whether `failure` is followed by another attempt.
    pub fn failure(self, failure: &Failure) -> bool {
        match failure {
            Failure::NoAnswer(kind) => {
                self.lost_answer() && matches!(kind, ErrorKind::Transport | ErrorKind::Timeout)
            }
            Failure::Status { status, .. } => self.status(*status),
        }
    }
}

/// How an attempt failed.
#[derive(Debug, Clone, Copy)]
pub enum Failure {
    /// No answer: the transport's error kind.
    NoAnswer(ErrorKind),
    /// An answer with this status, and its `Retry-After` wait if it had a usable one.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
}

impl Failure {
    /// Reads a response's status and `Retry-After` (relative to its `Date` header, or to
    /// `now_unix` when it has none).
    pub fn from_response(response: &Response, now_unix: Option<u64>) -> Failure {
        let retry_after = response.header("retry-after").and_then(|v| {
            parse_retry_after(
                v,
                response
                    .header("date")
                    .and_then(parse_http_date)
                    .or(now_unix),
            )
        });
        Failure::Status {
            status: response.status,
            retry_after,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            Failure::NoAnswer(_) => None,
        }
    }
}

/// `Retry-After`: delay-seconds, or an HTTP date (then `now_unix` is needed; a date in the
/// past means "now"). Anything else is `None`, and the caller falls back to backoff.
pub fn parse_retry_after(value: &str, now_unix: Option<u64>) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Duration::from_secs);
    }
    let when = parse_http_date(value)?;
    Some(Duration::from_secs(when.saturating_sub(now_unix?)))
}

/// An HTTP date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms)
/// as seconds since the Unix epoch.
pub fn parse_http_date(value: &str) -> Option<u64> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let (day, month, year, time): (u64, &str, u64, &str) = match parts.as_slice() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        [_, day, month, year, time, "GMT"] => {
            (day.parse().ok()?, *month, year.parse().ok()?, *time)
        }
        // Sunday, 06-Nov-94 08:49:37 GMT
        [_, date, time, "GMT"] => {
            let mut it = date.split('-');
            let (day, month, yy) = (it.next()?, it.next()?, it.next()?);
            let yy: u64 = yy.parse().ok()?;
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
            (day.parse().ok()?, month, year, *time)
        }
        // Sun Nov  6 08:49:37 1994
        [_, month, day, time, year] => (day.parse().ok()?, *month, year.parse().ok()?, *time),
        _ => return None,
    };
    let month = 1 + [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u64;
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || year < 1970
    {
        return None;
    }
    let days = days_from_civil(year as i64, month as i64, day as i64) as u64;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

/// A source of uniform random numbers in `[0, 1)` for jitter.
pub trait Jitter {
    fn unit(&mut self) -> f64;
}

/// Attempts at a request whose answer began but whose body broke off, sent again from the
/// start (an artifact, a whole response). Counts the attempts and the time waited between
/// them, so that every such loop keeps [`RetryPolicy::max_attempts`] and the deadline.
#[derive(Debug, Clone)]
pub struct BodyRetries {
    policy: RetryPolicy,
    attempts: u32,
    waited: Duration,
    jitter: SeededJitter,
}

impl BodyRetries {
    pub fn new(policy: RetryPolicy, seed: u64) -> Self {
        BodyRetries {
            policy,
            attempts: 1,
            waited: Duration::ZERO,
            jitter: SeededJitter::new(seed),
        }
    }

    /// After the current attempt broke off with `kind`: how long to wait before the next
    /// one, or `None` when the attempts or the deadline are spent.
    pub fn after_break(&mut self, kind: ErrorKind) -> Option<Duration> {
        let failure = Failure::NoAnswer(kind);
        let delay =
            self.policy
                .delay_after(self.attempts, self.waited, &failure, &mut self.jitter)?;
        self.attempts += 1;
        self.waited += delay;
        Some(delay)
    }
}

/// SplitMix64: tiny, fast, and reproducible from its seed.
#[derive(Debug, Clone)]
pub struct SeededJitter {
    state: u64,
}

impl SeededJitter {
    pub fn new(seed: u64) -> Self {
        SeededJitter { state: seed }
    }

    /// Seeded from the standard library's per-process random hash keys.
    pub fn from_entropy() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(&hasher as *const _ as usize);
        SeededJitter::new(hasher.finish())
    }
}

impl Jitter for SeededJitter {
    fn unit(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Sends `request` through `transport`, retrying per `policy`. Returns the last answer
/// (whatever its status) or the last transport error.
///
/// The deadline counts the waits between attempts and, where there is a clock (native
/// targets), the time the attempts took: a server that keeps timing out gets no retry
/// once the deadline has passed. Each attempt is itself bounded by the transport's timeouts.
pub async fn send_with_retry<T: Transport + ?Sized, J: Jitter + ?Sized>(
    transport: &T,
    request: &Request,
    policy: &RetryPolicy,
    jitter: &mut J,
) -> Result<Response> {
    let may_resend = is_idempotent(request.method);
    send_resending(transport, request, policy, jitter, may_resend).await
}

/// As [`send_with_retry`], with the caller deciding whether `request` may be sent again.
pub async fn send_resending<T: Transport + ?Sized, J: Jitter + ?Sized>(
    transport: &T,
    request: &Request,
    policy: &RetryPolicy,
    jitter: &mut J,
    may_resend: bool,
) -> Result<Response> {
    let retried = match (may_resend, request.method) {
        (false, _) => Retried::Never,
        (true, Method::Post) => Retried::Harmless,
        (true, method) => Retried::for_method(method),
    };
    send_per_table(transport, request, policy, jitter, retried).await
}

/// Sends `request` through `transport`, retrying as row `retried` of the retry table says.
pub async fn send_per_table<T: Transport + ?Sized, J: Jitter + ?Sized>(
    transport: &T,
    request: &Request,
    policy: &RetryPolicy,
    jitter: &mut J,
    retried: Retried,
) -> Result<Response> {
    let mut attempts = 0;
    let mut elapsed = super::clock::Deadline::after(policy.deadline);
    let mut server_errors = ServerErrors::default();
    loop {
        attempts += 1;
        let outcome = transport.send(request.clone()).await;
        let failure = match &outcome {
            Ok(response) => Failure::from_response(response, None),
            Err(error) => Failure::NoAnswer(error.kind()),
        };
        if server_errors.exhausted_by(&failure) {
            return outcome;
        }
        match policy.delay_for(retried, attempts, elapsed.elapsed(), &failure, jitter) {
            Some(delay) if delay.is_zero() => {}
            Some(delay) => {
                if !elapsed.sleep(transport, delay).await {
                    return outcome;
                }
            }
            None => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_attempts: 10,
            deadline: Duration::from_secs(30),
        }
    }

    fn status(code: u16) -> Failure {
        Failure::Status {
            status: code,
            retry_after: None,
        }
    }

    #[test]
    fn only_idempotent_methods_are_retried() {
        let mut j = SeededJitter::new(1);
        for m in [Method::Get, Method::Put, Method::Delete] {
            assert!(
                policy()
                    .next_delay(m, 1, Duration::ZERO, &status(503), &mut j)
                    .is_some(),
                "{m}"
            );
        }
        for failure in [
            status(503),
            status(429),
            Failure::NoAnswer(ErrorKind::Transport),
        ] {
            assert_eq!(
                policy().next_delay(Method::Post, 1, Duration::ZERO, &failure, &mut j),
                None
            );
        }
    }

    #[test]
    fn only_not_now_statuses_and_lost_answers_are_retried() {
        let mut j = SeededJitter::new(2);
        for code in [429, 500, 502, 503, 504] {
            assert!(
                policy()
                    .next_delay(Method::Get, 1, Duration::ZERO, &status(code), &mut j)
                    .is_some(),
                "{code}"
            );
        }
        for code in [200, 400, 401, 403, 404, 409, 501] {
            assert_eq!(
                policy().next_delay(Method::Get, 1, Duration::ZERO, &status(code), &mut j),
                None,
                "{code}"
            );
        }
        let mut errors = ServerErrors::default();
        for _ in 1..MAX_500_ANSWERS {
            assert!(!errors.exhausted_by(&status(500)));
            assert!(!errors.exhausted_by(&status(503)));
        }
        assert!(
            errors.exhausted_by(&status(500)),
            "a 500 that lasts is an answer"
        );
        for kind in [ErrorKind::Transport, ErrorKind::Timeout] {
            assert!(policy()
                .next_delay(
                    Method::Get,
                    1,
                    Duration::ZERO,
                    &Failure::NoAnswer(kind),
                    &mut j
                )
                .is_some());
        }
        let decode = Failure::NoAnswer(ErrorKind::Decode);
        assert_eq!(
            policy().next_delay(Method::Get, 1, Duration::ZERO, &decode, &mut j),
            None
        );
    }

    #[test]
    fn the_readme_states_the_retry_table_as_written_here() {
        let rows = |text: &str, prefix: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix(prefix))
                .filter(|l| l.starts_with('|'))
                .map(str::to_owned)
                .collect()
        };
        let here = rows(include_str!("retry.rs"), "//! ");
        let readme = rows(include_str!("../../../README.md"), "");
        assert_eq!(here.len(), 7, "{here:?}");
        assert_eq!(readme, here);
    }

    #[test]
    fn the_retry_table_rows() {
        let lost = Failure::NoAnswer(ErrorKind::Transport);
        let rows = [
            (Retried::Read, [true; 6]),
            (Retried::NamedCreate, [true; 6]),
            (Retried::Idempotent, [true; 6]),
            (Retried::Harmless, [true; 6]),
            (Retried::Never, [false; 6]),
        ];
        for (row, expected) in rows {
            let got = [
                row.failure(&lost),
                row.status(429),
                row.status(500),
                row.status(502),
                row.status(503),
                row.status(504),
            ];
            assert_eq!(got, expected, "{row:?}");
            for code in [400, 401, 403, 404, 409, 501] {
                assert!(!row.status(code), "{row:?} {code}");
            }
        }
        assert_eq!(Retried::for_method(Method::Post), Retried::Never);
        assert_eq!(Retried::for_method(Method::Get), Retried::Read);
    }

    #[test]
    fn backoff_doubles_within_half_and_full_and_stops_at_the_cap() {
        let p = policy();
        let mut j = SeededJitter::new(3);
        for attempts in 1..=12u32 {
            let full = Duration::from_millis(100 * 2u64.pow(attempts - 1)).min(p.max_delay);
            for _ in 0..50 {
                let d = p.backoff(attempts, &mut j);
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {attempts}: {d:?} not in [{:?}, {full:?}]",
                    full / 2
                );
            }
        }
        assert!(p.backoff(u32::MAX, &mut j) <= p.max_delay);
    }

    #[test]
    fn jitter_is_reproducible_from_its_seed_and_spreads() {
        let p = policy();
        let a: Vec<_> = (0..20)
            .map({
                let mut j = SeededJitter::new(42);
                move |_| p.backoff(5, &mut j)
            })
            .collect();
        let b: Vec<_> = (0..20)
            .map({
                let mut j = SeededJitter::new(42);
                move |_| p.backoff(5, &mut j)
            })
            .collect();
        assert_eq!(a, b);
        let distinct: std::collections::HashSet<_> = a.iter().collect();
        assert!(distinct.len() > 15, "jitter should spread delays: {a:?}");
        let mut j = SeededJitter::new(7);
        let mean = (0..10_000).map(|_| j.unit()).sum::<f64>() / 10_000.0;
        assert!((0.48..0.52).contains(&mean), "{mean}");
    }

    #[test]
    fn attempts_and_deadline_bound_the_retries() {
        let p = policy();
        let mut j = SeededJitter::new(4);
        assert_eq!(
            p.next_delay(Method::Get, 10, Duration::ZERO, &status(503), &mut j),
            None
        );
        assert_eq!(
            p.next_delay(
                Method::Get,
                2,
                Duration::from_millis(29_950),
                &status(503),
                &mut j
            ),
            None
        );
        assert!(p
            .next_delay(Method::Get, 2, Duration::from_secs(1), &status(503), &mut j)
            .is_some());
        assert_eq!(
            RetryPolicy::NEVER.next_delay(Method::Get, 1, Duration::ZERO, &status(503), &mut j),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_exactly_unless_past_the_deadline() {
        let p = policy();
        let mut j = SeededJitter::new(5);
        let after = |s| Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(s)),
        };
        assert_eq!(
            p.next_delay(Method::Get, 1, Duration::ZERO, &after(7), &mut j),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            p.next_delay(Method::Get, 1, Duration::from_secs(25), &after(7), &mut j),
            None
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(
            parse_retry_after("120", None),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", None), Some(Duration::ZERO));
        let now = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", Some(now)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", Some(now)),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:57 1994", Some(now)),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", Some(now)),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", None),
            None,
            "a date needs a clock"
        );
        for bad in [
            "",
            "-5",
            "1.5",
            "soon",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, Some(now)), None, "{bad:?}");
        }
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
    }

    #[test]
    fn a_response_date_is_the_clock_for_a_retry_after_date() {
        let response = Response::buffered(
            503,
            vec![
                ("Date".into(), "Sun, 06 Nov 1994 08:49:37 GMT".into()),
                ("Retry-After".into(), "Sun, 06 Nov 1994 08:49:42 GMT".into()),
            ],
            Vec::new(),
        );
        match Failure::from_response(&response, None) {
            Failure::Status {
                status: 503,
                retry_after,
            } => assert_eq!(retry_after, Some(Duration::from_secs(5))),
            other => panic!("{other:?}"),
        }
    }

    /// Answers from a script and records the sleeps.
    struct Scripted {
        answers: std::sync::Mutex<Vec<Result<u16>>>,
        sent: std::sync::Mutex<u32>,
        slept: std::sync::Mutex<Vec<Duration>>,
    }

    impl Scripted {
        fn new(mut answers: Vec<Result<u16>>) -> Self {
            answers.reverse();
            Scripted {
                answers: answers.into(),
                sent: 0.into(),
                slept: Vec::new().into(),
            }
        }
    }

    impl Transport for Scripted {
        fn send(&self, _: Request) -> crate::transport::BoxFuture<'_, Result<Response>> {
            *self.sent.lock().unwrap() += 1;
            let next = self
                .answers
                .lock()
                .unwrap()
                .pop()
                .expect("more attempts than scripted");
            Box::pin(
                async move { next.map(|code| Response::buffered(code, Vec::new(), Vec::new())) },
            )
        }
        fn sleep(&self, d: Duration) -> crate::transport::BoxFuture<'_, ()> {
            self.slept.lock().unwrap().push(d);
            Box::pin(async {})
        }
    }

    fn lost() -> Result<u16> {
        Err(crate::Error::new(ErrorKind::Transport, "connection reset"))
    }

    #[tokio::test]
    async fn send_with_retry_gets_through_transient_failures() {
        let t = Scripted::new(vec![Ok(503), lost(), Ok(429), Ok(200)]);
        let r = Request::new(Method::Get, "/x");
        let response = send_with_retry(&t, &r, &policy(), &mut SeededJitter::new(9))
            .await
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(*t.sent.lock().unwrap(), 4);
        assert_eq!(t.slept.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn send_with_retry_sends_a_post_once() {
        let t = Scripted::new(vec![Ok(503)]);
        let r = Request::new(Method::Post, "/runs");
        let response = send_with_retry(&t, &r, &policy(), &mut SeededJitter::new(9))
            .await
            .unwrap();
        assert_eq!(response.status, 503);
        assert_eq!(*t.sent.lock().unwrap(), 1);
        let t = Scripted::new(vec![lost()]);
        let err = send_with_retry(&t, &r, &policy(), &mut SeededJitter::new(9))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport);
        assert_eq!(*t.sent.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn send_with_retry_gives_back_the_last_answer_when_attempts_run_out() {
        let t = Scripted::new(vec![Ok(502), Ok(502), Ok(504)]);
        let r = Request::new(Method::Get, "/x");
        let p = RetryPolicy {
            max_attempts: 3,
            ..policy()
        };
        let response = send_with_retry(&t, &r, &p, &mut SeededJitter::new(9))
            .await
            .unwrap();
        assert_eq!(response.status, 504);
        let slept = t.slept.lock().unwrap().clone();
        assert_eq!(slept.len(), 2);
        assert!(
            slept[0] >= Duration::from_millis(50) && slept[0] <= Duration::from_millis(100),
            "{slept:?}"
        );
        assert!(
            slept[1] >= Duration::from_millis(100) && slept[1] <= Duration::from_millis(200),
            "{slept:?}"
        );
    }

    #[test]
    fn broken_bodies_are_resent_within_the_attempts_and_the_deadline() {
        let policy = RetryPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(100),
            max_attempts: 4,
            deadline: Duration::from_secs(60),
        };
        let mut retries = BodyRetries::new(policy, 7);
        let waits: Vec<_> =
            std::iter::from_fn(|| retries.after_break(ErrorKind::Transport)).collect();
        assert_eq!(waits.len(), 3, "4 attempts in all: {waits:?}");

        let short = RetryPolicy {
            deadline: Duration::from_millis(120),
            ..policy
        };
        let mut retries = BodyRetries::new(short, 7);
        let waits: Vec<_> =
            std::iter::from_fn(|| retries.after_break(ErrorKind::Transport)).collect();
        assert_eq!(
            waits.len(),
            1,
            "a second wait would end past the deadline: {waits:?}"
        );
    }
}

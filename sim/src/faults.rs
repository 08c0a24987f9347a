//! Fault injection, off by default: added latency, a fraction of requests answered with an
//! error status (429 with Retry-After), dropped connections and truncated bodies. Decisions
//! come from a seeded generator, so a test sees the same faults on every run.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fastrand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultConfig {
    /// Added to every request, in real milliseconds.
    pub latency_ms: u64,
    /// Fraction (0–1) of requests answered with one of `error_statuses`.
    pub error_rate: f64,
    pub error_statuses: Vec<u16>,
    /// `Retry-After` seconds sent with 429 and 503.
    pub retry_after_secs: u64,
    /// Fraction of requests whose connection is closed without an answer.
    pub drop_rate: f64,
    /// Fraction of responses cut to half their announced length.
    pub truncate_rate: f64,
    /// Only requests whose path and query contain this string are affected (all when
    /// absent), e.g. `watch=true` for the watch streams alone.
    pub path_contains: Option<String>,
    /// No request (method, path and query, from one sender) is faulted more often than this
    /// in a row: a client that retries that many times always gets through. Unlimited when
    /// absent.
    pub max_in_a_row: Option<u32>,
    pub seed: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_ms: 0,
            error_rate: 0.0,
            error_statuses: vec![500, 502, 503, 429],
            retry_after_secs: 1,
            drop_rate: 0.0,
            truncate_rate: 0.0,
            path_contains: None,
            max_in_a_row: None,
            seed: 1,
        }
    }
}

impl FaultConfig {
    pub fn validate(&self) -> Result<(), String> {
        for (field, v) in [
            ("error_rate", self.error_rate),
            ("drop_rate", self.drop_rate),
            ("truncate_rate", self.truncate_rate),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{field}: {v} is not a fraction between 0 and 1"));
            }
        }
        if self.max_in_a_row == Some(0) {
            return Err(
                "max_in_a_row: 0 would fault nothing; leave it out or set faults off".into(),
            );
        }
        if self.error_rate > 0.0 && self.error_statuses.is_empty() {
            return Err("error_statuses: must not be empty when error_rate is above 0".into());
        }
        for s in &self.error_statuses {
            if StatusCode::from_u16(*s).is_err() || *s < 400 {
                return Err(format!("error_statuses: {s} is not an error status"));
            }
        }
        Ok(())
    }
}

pub struct FaultState {
    pub config: FaultConfig,
    rng: Rng,
    /// How many faults of each kind were injected (reported by GET /_sim/faults).
    pub injected: FaultCounts,
    /// Faults in a row per request (see [`request_key`]), for `max_in_a_row`.
    streaks: HashMap<String, u32>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FaultCounts {
    pub errors: u64,
    pub drops: u64,
    pub truncations: u64,
    pub delayed: u64,
}

impl FaultState {
    pub fn new(config: FaultConfig) -> Self {
        let rng = Rng::with_seed(config.seed);
        FaultState {
            config,
            rng,
            injected: FaultCounts::default(),
            streaks: HashMap::new(),
        }
    }

    pub fn set(&mut self, config: FaultConfig) {
        *self = FaultState::new(config);
    }

    /// The fault for one request, counted, within `max_in_a_row` (the request's key is
    /// made only when there is a streak to keep).
    fn decide(&mut self, request: impl FnOnce() -> String) -> Decision {
        let Some(max) = self.config.max_in_a_row else {
            return self.draw();
        };
        let request = request();
        let streak = self.streaks.get(&request).copied().unwrap_or(0);
        let decision = if streak >= max {
            Decision::Pass
        } else {
            self.draw()
        };
        match decision {
            Decision::Pass => self.streaks.remove(&request),
            _ => self.streaks.insert(request, streak + 1),
        };
        decision
    }

    fn draw(&mut self) -> Decision {
        let cfg = &self.config;
        if cfg.drop_rate > 0.0 && self.rng.f64() < cfg.drop_rate {
            self.injected.drops += 1;
            Decision::Drop
        } else if cfg.error_rate > 0.0 && self.rng.f64() < cfg.error_rate {
            self.injected.errors += 1;
            let i = self.rng.usize(..cfg.error_statuses.len());
            Decision::Error(cfg.error_statuses[i])
        } else if cfg.truncate_rate > 0.0 && self.rng.f64() < cfg.truncate_rate {
            self.injected.truncations += 1;
            Decision::Truncate
        } else {
            Decision::Pass
        }
    }
}

enum Decision {
    Pass,
    Error(u16),
    Drop,
    Truncate,
}

/// The middleware. `/_sim/*` (the admin endpoints) is never affected.
pub async fn inject(
    State(shared): State<Arc<crate::shared::Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_sim/") {
        return next.run(req).await;
    }
    let (latency, decision, retry_after) = {
        let mut f = shared.faults.lock().unwrap_or_else(|e| e.into_inner());
        let applies = f.config.path_contains.as_deref().is_none_or(|p| {
            let target = req
                .uri()
                .path_and_query()
                .map_or(path.as_str(), |pq| pq.as_str());
            target.contains(p)
        });
        if applies {
            let latency = f.config.latency_ms;
            if latency > 0 {
                f.injected.delayed += 1;
            }
            (
                latency,
                f.decide(|| request_key(&req)),
                f.config.retry_after_secs,
            )
        } else {
            (0, Decision::Pass, 0)
        }
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    match decision {
        Decision::Pass => next.run(req).await,
        Decision::Error(code) => error_response(code, retry_after),
        Decision::Drop => dropped(),
        Decision::Truncate => truncate(next.run(req).await).await,
    }
}

fn error_response(code: u16, retry_after: u64) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "{} (injected by ksdevops-sim)\n",
            status.canonical_reason().unwrap_or("error")
        ),
    )
        .into_response();
    if code == 429 || code == 503 {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    }
    resp
}

/// What makes two requests the same for `max_in_a_row`: method, path and query, and who sends
/// it (a hash of its Authorization, so concurrent clients keep their own streaks).
fn request_key(req: &Request) -> String {
    use std::hash::{Hash, Hasher};
    let mut who = std::collections::hash_map::DefaultHasher::new();
    req.headers().get(header::AUTHORIZATION).hash(&mut who);
    format!("{} {} {:x}", req.method(), req.uri(), who.finish())
}

/// A response whose body fails before its first byte: hyper closes the connection and the
/// client sees it end without a complete answer.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by fault injection",
        ))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(64u64));
    resp
}

/// Sends the headers with the full Content-Length, then only half the body.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return dropped();
    };
    let full = bytes.len().max(2);
    let half = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full as u64));
    // The pause lets the headers and the first half leave before the connection breaks.
    let stream = futures_util::stream::unfold(Some(half), |half| async move {
        match half {
            Some(h) => Some((Ok::<Bytes, std::io::Error>(h), None)),
            None => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                Some((
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "body truncated by fault injection",
                    )),
                    None,
                ))
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

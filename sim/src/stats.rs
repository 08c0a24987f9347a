//! What the simulator has served, for `GET /_sim/stats`: requests by route and method, the
//! response body bytes sent, and the PipelineRun watch streams. `DELETE /_sim/stats` starts a
//! new counting period. The admin endpoints under `/_sim/` are never counted.
//!
//! A request belongs to the period it arrived in: the bytes of a response begun before a
//! reset (a watch stream still open, say) go to the old period, never to the new one. Bytes
//! are counted as the body goes out, so a stream cut short counts what was really sent.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// The route of a request that no route answered: a 404, a static file, an injected fault.
pub const NOT_ROUTED: &str = "(not routed)";

/// Appended to the route of a watch request (`?watch=true`).
pub const WATCH_SUFFIX: &str = " (watch)";

/// The route template that answered a request, set on the response by [`tag_route`].
#[derive(Clone)]
struct RouteTemplate(Arc<str>);

#[derive(Default)]
struct Counter {
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// One counting period, from a start or a reset.
#[derive(Default)]
struct Period {
    /// By (route, method).
    routes: Mutex<BTreeMap<(String, String), Arc<Counter>>>,
    watches_opened: AtomicU64,
    watches_max_open: AtomicU64,
}

impl Period {
    fn counter(&self, route: &str, method: &str) -> Arc<Counter> {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        routes
            .entry((route.to_owned(), method.to_owned()))
            .or_default()
            .clone()
    }
}

#[derive(Default)]
pub struct Stats {
    period: Mutex<Arc<Period>>,
    /// Watch streams open now, whichever period they began in.
    watches_open: Arc<AtomicU64>,
}

impl Stats {
    fn current(&self) -> Arc<Period> {
        self.period
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Starts a new period: every count is zero, and the open watch streams are the most
    /// open so far.
    pub fn reset(&self) {
        let period = Period::default();
        period
            .watches_max_open
            .store(self.watches_open.load(Ordering::Relaxed), Ordering::Relaxed);
        *self.period.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(period);
    }

    /// The counts of the current period as the admin endpoint shows them.
    pub fn to_json(&self) -> Value {
        let period = self.current();
        let routes = period.routes.lock().unwrap_or_else(|e| e.into_inner());
        let mut requests = 0;
        let mut bytes = 0;
        let by_route: Vec<Value> = routes
            .iter()
            .map(|((route, method), c)| {
                let (n, b) = (
                    c.requests.load(Ordering::Relaxed),
                    c.bytes.load(Ordering::Relaxed),
                );
                requests += n;
                bytes += b;
                json!({"route": route, "method": method, "requests": n, "responseBytes": b})
            })
            .collect();
        json!({
            "requests": requests,
            "responseBytes": bytes,
            "routes": by_route,
            "watches": {
                "open": self.watches_open.load(Ordering::Relaxed),
                "opened": period.watches_opened.load(Ordering::Relaxed),
                "maxOpen": period.watches_max_open.load(Ordering::Relaxed),
            },
        })
    }

    fn open_watch(&self, period: &Period) -> WatchGuard {
        let open = self.watches_open.fetch_add(1, Ordering::Relaxed) + 1;
        period.watches_opened.fetch_add(1, Ordering::Relaxed);
        period.watches_max_open.fetch_max(open, Ordering::Relaxed);
        WatchGuard(self.watches_open.clone())
    }
}

/// Closes its watch stream in the count when the response body is dropped.
struct WatchGuard(Arc<AtomicU64>);

impl Drop for WatchGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn is_watch(query: Option<&str>) -> bool {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .any(|(k, v)| k == "watch" && matches!(&*v, "true" | "1"))
}

/// The route layer: tells [`count`] which route template answered.
pub async fn tag_route(req: Request, next: Next) -> Response {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| RouteTemplate(m.as_str().into()));
    let mut resp = next.run(req).await;
    if let Some(template) = template {
        resp.extensions_mut().insert(template);
    }
    resp
}

/// The outermost middleware: counts each request under its route and method, and the body
/// bytes of its response as they are sent.
pub async fn count(
    State(shared): State<Arc<crate::shared::Shared>>,
    req: Request,
    next: Next,
) -> Response {
    if req.uri().path().starts_with("/_sim/") {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let watch = is_watch(req.uri().query());
    let resp = next.run(req).await;
    let mut route = resp
        .extensions()
        .get::<RouteTemplate>()
        .map_or(NOT_ROUTED.to_owned(), |t| t.0.to_string());
    if watch {
        route.push_str(WATCH_SUFFIX);
    }
    let stats = &shared.stats;
    let period = stats.current();
    let counter = period.counter(&route, &method);
    counter.requests.fetch_add(1, Ordering::Relaxed);
    let watch = (watch && resp.status().is_success()).then(|| stats.open_watch(&period));
    let (parts, body) = resp.into_parts();
    Response::from_parts(
        parts,
        Body::new(Counted {
            inner: body,
            counter,
            _watch: watch,
        }),
    )
}

/// A response body that adds its data to a counter as it goes out; its length and end are
/// the inner body's, so `Content-Length` is unchanged.
struct Counted {
    inner: Body,
    counter: Arc<Counter>,
    _watch: Option<WatchGuard>,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let poll = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &poll {
            if let Some(data) = frame.data_ref() {
                self.counter
                    .bytes
                    .fetch_add(data.len() as u64, Ordering::Relaxed);
            }
        }
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_true_watch_parameter_makes_a_watch() {
        assert!(is_watch(Some("watch=true&labelSelector=a%3Db")));
        assert!(is_watch(Some("resourceVersion=3&watch=1")));
        assert!(!is_watch(Some("watch=false")));
        assert!(!is_watch(Some("watchful=true")));
        assert!(!is_watch(None));
    }

    #[test]
    fn a_reset_zeroes_the_counts_but_keeps_open_watches_open() {
        let stats = Stats::default();
        let period = stats.current();
        period
            .counter("/r", "GET")
            .requests
            .fetch_add(2, Ordering::Relaxed);
        let guard = stats.open_watch(&period);
        assert_eq!(stats.to_json()["requests"], 2);
        assert_eq!(stats.to_json()["watches"]["opened"], 1);
        stats.reset();
        let after = stats.to_json();
        assert_eq!(after["requests"], 0);
        assert_eq!(after["routes"], json!([]));
        assert_eq!(
            after["watches"],
            json!({"open": 1, "opened": 0, "maxOpen": 1})
        );
        drop(guard);
        assert_eq!(stats.to_json()["watches"]["open"], 0);
    }
}

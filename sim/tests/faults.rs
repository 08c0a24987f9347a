//! Fault injection through the admin endpoint: latency, error statuses with Retry-After,
//! dropped connections, truncated bodies; deterministic for a seed; off by default.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::json;
use std::time::{Duration, Instant};

async fn set_faults(env: &Env, faults: serde_json::Value) -> reqwest::Response {
    env.http
        .post(format!("{}/_sim/faults", env.base))
        .body(faults.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_off_by_default_and_switched_per_test() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let url = format!("{}/pipelines", env.p3(NS));
    for _ in 0..20 {
        assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    }
    // Every request answered 429 with Retry-After.
    let resp = set_faults(
        &env,
        json!({"error_rate": 1.0, "error_statuses": [429], "retry_after_secs": 7}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    // The admin endpoint itself is never affected; clearing restores service.
    let state = env
        .http
        .get(format!("{}/_sim/faults", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(state.status(), 200);
    assert_eq!(json_of(state).await["injected"]["errors"], 1);
    env.http
        .delete(format!("{}/_sim/faults", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    // Bad settings are refused with the field named.
    let bad = set_faults(&env, json!({"error_rate": 2.0})).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("error_rate"));
    let unknown = set_faults(&env, json!({"eror_rate": 0.5})).await;
    assert_eq!(unknown.status(), 400);
    env.stop().await;
}

async fn statuses(env: &Env, c: &Authed, seed: u64) -> Vec<u16> {
    set_faults(
        env,
        json!({"error_rate": 0.5, "error_statuses": [500, 502, 503], "seed": seed}),
    )
    .await;
    let url = format!("{}/pipelines", env.p3(NS));
    let mut out = Vec::new();
    for _ in 0..40 {
        out.push(c.get(&url).send().await.unwrap().status().as_u16());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fraction_of_requests_fail_the_same_way_for_a_seed() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let a = statuses(&env, &c, 9).await;
    let b = statuses(&env, &c, 9).await;
    assert_eq!(a, b, "same seed, same faults");
    let failed = a.iter().filter(|s| **s != 200).count();
    assert!((8..=32).contains(&failed), "about half fail: {a:?}");
    assert!(a.iter().all(|s| [200, 500, 502, 503].contains(s)));
    let other = statuses(&env, &c, 10).await;
    assert_ne!(a, other);
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_in_a_row_lets_every_third_try_of_a_request_through() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let set = set_faults(
        &env,
        json!({"error_rate": 1.0, "error_statuses": [502], "max_in_a_row": 2}),
    )
    .await;
    assert_eq!(set.status(), 200);
    let pipelines = format!("{}/pipelines", env.p3(NS));
    let credentials = format!("{}/credentials", env.p3(NS));
    let mut seen = Vec::new();
    for url in [
        &pipelines,
        &credentials,
        &pipelines,
        &credentials,
        &pipelines,
        &credentials,
    ] {
        seen.push(c.get(url).send().await.unwrap().status().as_u16());
    }
    assert_eq!(
        seen,
        [502, 502, 502, 502, 200, 200],
        "each request on its own streak"
    );
    assert_eq!(c.get(&pipelines).send().await.unwrap().status(), 502);
    let zero = set_faults(&env, json!({"error_rate": 1.0, "max_in_a_row": 0})).await;
    assert_eq!(zero.status(), 400);
    assert!(zero.text().await.unwrap().contains("max_in_a_row"));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_drops_and_truncation() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let url = format!("{}/pipelines", env.p3(NS));

    set_faults(&env, json!({"latency_ms": 150})).await;
    let t = Instant::now();
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(150));

    set_faults(&env, json!({"drop_rate": 1.0})).await;
    let dropped = c.get(&url).send().await;
    let failed = match dropped {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(
        failed,
        "a dropped connection gives the client no complete answer"
    );

    set_faults(
        &env,
        json!({"truncate_rate": 1.0, "path_contains": "/pipelines"}),
    )
    .await;
    let resp = c.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let announced: usize = resp.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 100);
    assert!(
        resp.bytes().await.is_err(),
        "the body ends before its Content-Length"
    );
    // Paths outside the filter are untouched.
    let other = c
        .get(&format!("{}/credentials", env.p3(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert!(other.bytes().await.is_ok());
    env.stop().await;
}

//! `/_sim/stats`: requests by route and method, response bytes as sent, watch streams open
//! and opened, and a reset; the admin endpoints are not counted.

mod common;

use common::*;
use ksdevops_sim::{ApiLayout, SimConfig};
use serde_json::{json, Value};

const PIPELINES: &str = "/kapis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelines";
const RUNS_K8S: &str = "/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns";

async fn stats(env: &Env) -> Value {
    json_of(
        env.http
            .get(format!("{}/_sim/stats", env.base))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn reset(env: &Env) -> Value {
    let resp = env
        .http
        .delete(format!("{}/_sim/stats", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    json_of(resp).await
}

/// The (requests, responseBytes) of one route and method.
fn route(stats: &Value, route: &str, method: &str) -> Option<(u64, u64)> {
    stats["routes"].as_array().unwrap().iter().find_map(|r| {
        (r["route"] == route && r["method"] == method).then(|| {
            (
                r["requests"].as_u64().unwrap(),
                r["responseBytes"].as_u64().unwrap(),
            )
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_and_bytes_are_counted_by_route_and_method() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let url = format!("{}/pipelines", env.p3(NS));
    let mut received = 0;
    for _ in 0..3 {
        let resp = c.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let announced = resp.content_length();
        let body = resp.bytes().await.unwrap();
        assert_eq!(announced, Some(body.len() as u64), "Content-Length is kept");
        received += body.len() as u64;
    }
    let missing = c
        .get(&format!("{url}/no-such-pipeline"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let unknown = c
        .get(&format!("{}/nowhere", env.base))
        .send()
        .await
        .unwrap();
    let unknown_len = unknown.bytes().await.unwrap().len() as u64;

    let s = stats(&env).await;
    assert_eq!(route(&s, PIPELINES, "GET"), Some((3, received)), "{s:#}");
    assert_eq!(
        route(&s, &format!("{PIPELINES}/{{pipeline}}"), "GET")
            .unwrap()
            .0,
        1
    );
    assert_eq!(route(&s, "/oauth/token", "POST").unwrap().0, 1);
    assert_eq!(route(&s, "(not routed)", "GET"), Some((1, unknown_len)));
    // The admin endpoints are not counted, however often they are asked.
    let again = stats(&env).await;
    assert_eq!(again["requests"], s["requests"]);
    assert_eq!(s["requests"], 6, "{s:#}");
    let total: u64 = s["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["responseBytes"].as_u64().unwrap())
        .sum();
    assert_eq!(s["responseBytes"], total);

    let zero = reset(&env).await;
    assert_eq!(zero["requests"], 0);
    assert_eq!(zero["responseBytes"], 0);
    assert_eq!(zero["routes"], json!([]));
    c.get(&url).send().await.unwrap().bytes().await.unwrap();
    let after = stats(&env).await;
    assert_eq!(route(&after, PIPELINES, "GET").unwrap().0, 1);
    assert_eq!(after["requests"], 1);
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_streams_are_counted_while_open_and_their_bytes_as_sent() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    reset(&env).await;
    // The server ends this stream after two seconds.
    let mut watch = c
        .get(&format!("{}?watch=true&timeoutSeconds=2", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(watch.status(), 200);
    let open = stats(&env).await;
    let watch_route = format!("{RUNS_K8S} (watch)");
    assert_eq!(route(&open, &watch_route, "GET").unwrap().0, 1, "{open:#}");
    assert_eq!(
        open["watches"],
        json!({"open": 1, "opened": 1, "maxOpen": 1})
    );

    // A change is sent on the stream.
    let run = json!({
        "apiVersion": "devops.kubesphere.io/v1alpha3",
        "kind": "PipelineRun",
        "metadata": {"generateName": "counted-", "namespace": NS},
        "spec": {"pipelineRef": {"name": "no-such-pipeline"}},
    });
    let created = c.post_json(&env.k8s(NS), &run).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let mut received = Vec::new();
    while let Some(chunk) = watch.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert!(String::from_utf8_lossy(&received).contains("counted-"));

    let closed = wait_for("the watch to be counted as closed", 10, || async {
        let s = stats(&env).await;
        (s["watches"]["open"] == 0).then_some(s)
    })
    .await;
    assert_eq!(closed["watches"]["opened"], 1);
    assert_eq!(closed["watches"]["maxOpen"], 1);
    let sent = route(&closed, &watch_route, "GET").unwrap().1;
    assert_eq!(
        sent,
        received.len() as u64,
        "the bytes sent are the bytes received"
    );

    // A refused watch is not a stream.
    let refused = env
        .http
        .get(format!("{}?watch=true", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(stats(&env).await["watches"]["opened"], 1);
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_faults_are_counted_as_not_routed() {
    let env = start_with(SimConfig::demo().with_layout(ApiLayout::V4)).await;
    let c = env.admin().await;
    env.http
        .post(format!("{}/_sim/faults", env.base))
        .body(
            json!({"error_rate": 1.0, "error_statuses": [503], "path_contains": "/pipelines"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    reset(&env).await;
    let resp = c
        .get(&format!("{}/pipelines", env.p3(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    let len = resp.bytes().await.unwrap().len() as u64;
    let s = stats(&env).await;
    assert_eq!(route(&s, "(not routed)", "GET"), Some((1, len)), "{s:#}");
    assert_eq!(route(&s, PIPELINES, "GET"), None);
    env.stop().await;
}

//! The Kubernetes-style PipelineRun resource through KubeSphere's proxy: create, get, list,
//! delete and watch as a stream of JSON events, Status JSON errors.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::{json, Value};
use std::time::Duration;

/// Reads watch events until `done` says stop.
async fn read_events(
    mut resp: reqwest::Response,
    mut done: impl FnMut(&[Value]) -> bool,
) -> Vec<Value> {
    let mut buf = Vec::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(&events) {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("events before the deadline")
            .unwrap();
        let Some(chunk) = chunk else { break };
        buf.extend_from_slice(&chunk);
        while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=pos).collect();
            events.push(serde_json::from_slice(&line).expect("one JSON event per line"));
        }
    }
    events
}

/// The resourceVersion of a watch event's object, as a number.
fn event_version(event: &Value) -> u64 {
    event["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelineruns_can_be_created_and_watched_as_kubernetes_objects() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    wait_synced(&env, &c, "go-demo-pipeline").await;
    let watch = c
        .get(&format!("{}?watch=true", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(watch.status(), 200);

    let pr = json!({
        "apiVersion": "devops.kubesphere.io/v1alpha3",
        "kind": "PipelineRun",
        "metadata": {"generateName": "go-demo-pipeline-", "namespace": NS},
        "spec": {"pipelineRef": {"name": "go-demo-pipeline"}, "pipelineSpec": {"type": "pipeline"}},
    });
    let resp = c.post_json(&env.k8s(NS), &pr).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let created = json_of(resp).await;
    let name = created["metadata"]["name"].as_str().unwrap().to_string();
    assert_eq!(created["kind"], "PipelineRun");
    assert_eq!(
        created["metadata"]["labels"]["devops.kubesphere.io/pipeline"],
        "go-demo-pipeline"
    );

    let events = read_events(watch, |evs| {
        evs.iter().any(|e| {
            e["object"]["metadata"]["name"] == name.as_str()
                && e["object"]["status"]["phase"] == "Succeeded"
        })
    })
    .await;
    let mine: Vec<&Value> = events
        .iter()
        .filter(|e| e["object"]["metadata"]["name"] == name.as_str())
        .collect();
    assert_eq!(mine[0]["type"], "ADDED");
    assert!(mine[1..].iter().all(|e| e["type"] == "MODIFIED"));
    assert!(mine.iter().any(|e| e["object"]["metadata"]["annotations"]
        ["devops.kubesphere.io/jenkins-pipelinerun-id"]
        .is_string()));
    let versions: Vec<u64> = mine.iter().map(|e| event_version(e)).collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "resourceVersions increase: {versions:?}"
    );

    // get and list see the same object; the stored CR has no status annotations.
    let got = c.get_json(&format!("{}/{name}", env.k8s(NS))).await;
    assert_eq!(got["status"]["phase"], "Succeeded");
    assert!(got["metadata"]["annotations"]
        .get("devops.kubesphere.io/jenkins-pipelinerun-status")
        .is_none());
    let list = c
        .get_json(&format!(
            "{}?labelSelector=devops.kubesphere.io/pipeline%3Dgo-demo-pipeline",
            env.k8s(NS)
        ))
        .await;
    assert_eq!(list["kind"], "PipelineRunList");
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["metadata"]["name"] == name.as_str()));

    // A watch from a resourceVersion replays newer objects, then DELETED on delete.
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let watch = c
        .get(&format!("{}?watch=1&resourceVersion={rv}", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    let del = c
        .delete(&format!("{}/{name}", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 200);
    let events = read_events(watch, |evs| evs.iter().any(|e| e["type"] == "DELETED")).await;
    assert_eq!(
        events.last().unwrap()["object"]["metadata"]["name"],
        name.as_str()
    );
    let gone = c
        .get(&format!("{}/{name}", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    let status = json_of(gone).await;
    assert_eq!(
        (status["kind"].as_str(), status["reason"].as_str()),
        (Some("Status"), Some("NotFound"))
    );
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubernetes_errors_are_status_json() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let no_ref = json!({"metadata": {"name": "x"}, "spec": {}});
    let resp = c.post_json(&env.k8s(NS), &no_ref).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let body = json_of(resp).await;
    assert_eq!(body["reason"], "Invalid");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("spec.pipelineRef"));
    let named = json!({"metadata": {"name": "fixed"}, "spec": {"pipelineRef": {"name": "go-demo-pipeline"}}});
    assert_eq!(
        c.post_json(&env.k8s(NS), &named)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let again = c.post_json(&env.k8s(NS), &named).send().await.unwrap();
    assert_eq!(again.status(), 409);
    assert_eq!(json_of(again).await["reason"], "AlreadyExists");
    let wrong_kind = json!({"kind": "Pipeline", "metadata": {"name": "y"}, "spec": {"pipelineRef": {"name": "p"}}});
    assert_eq!(
        c.post_json(&env.k8s(NS), &wrong_kind)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    // A hand-written run without pipelineSpec still triggers a plain job (reference §5.1).
    let pr = wait_for("the hand-written run to start", 20, || async {
        let pr = c.get_json(&format!("{}/fixed", env.k8s(NS))).await;
        pr["metadata"]["annotations"]["devops.kubesphere.io/jenkins-pipelinerun-id"]
            .is_string()
            .then_some(pr)
    })
    .await;
    assert!(pr["spec"].get("pipelineSpec").is_none());
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_ends_when_the_simulator_stops() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let mut watch = c
        .get(&format!("{}?watch=true", env.k8s(NS)))
        .send()
        .await
        .unwrap();
    let stopper = tokio::spawn(async move { env.stop().await });
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match watch.chunk().await {
                Ok(Some(_)) => continue,
                _ => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream closes on shutdown");
    tokio::time::timeout(Duration::from_secs(10), stopper)
        .await
        .expect("shutdown completes")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_selector_on_the_name_lists_and_watches_one_run() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let create = |name: &str| {
        json!({
            "apiVersion": "devops.kubesphere.io/v1alpha3",
            "kind": "PipelineRun",
            "metadata": {"name": name, "namespace": NS},
            "spec": {"pipelineRef": {"name": "no-such-pipeline"}},
        })
    };
    let watch = c
        .get(&format!(
            "{}?watch=true&timeoutSeconds=2&fieldSelector=metadata.name%3Dwanted",
            env.k8s(NS)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(watch.status(), 200);
    for name in ["other", "wanted"] {
        let resp = c
            .post_json(&env.k8s(NS), &create(name))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    // The stream ends after its two seconds: everything on it is about `wanted`.
    let events = read_events(watch, |_| false).await;
    assert!(!events.is_empty());
    assert!(
        events
            .iter()
            .all(|e| e["object"]["metadata"]["name"] == "wanted"),
        "{events:?}"
    );

    let names = |list: Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let one = c
        .get_json(&format!(
            "{}?fieldSelector=metadata.name==other",
            env.k8s(NS)
        ))
        .await;
    assert_eq!(names(one), ["other"]);
    let not = c
        .get_json(&format!(
            "{}?fieldSelector=metadata.name!%3Dother,metadata.namespace%3D{NS}",
            env.k8s(NS)
        ))
        .await;
    assert!(names(not).contains(&"wanted".to_owned()));
    // Only the object's name and namespace can be selected on, as for any custom resource.
    let bad = c
        .get(&format!(
            "{}?fieldSelector=status.phase%3DRunning",
            env.k8s(NS)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let status = json_of(bad).await;
    assert_eq!(status["message"], "field label not supported: status.phase");
    env.stop().await;
}

/// The body of a chunked HTTP/1.1 answer, and whether it ended with the last chunk.
fn dechunk(mut body: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") else {
            return (out, false);
        };
        let size = std::str::from_utf8(&body[..line_end]).unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        body = &body[line_end + 2..];
        if size == 0 {
            return (out, body.starts_with(b"\r\n"));
        }
        if body.len() < size + 2 {
            return (out, false);
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_that_falls_behind_ends_instead_of_skipping_events() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    wait_synced(&env, &c, "go-demo-pipeline").await;
    let token = env.token("admin").await;
    let addr = env.base.trim_start_matches("http://").to_string();
    // A watcher that reads nothing for now, with a small receive window: the simulator
    // soon cannot write to it, and its events queue up.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut watcher = socket.connect(addr.parse().unwrap()).await.unwrap();
    let target = format!(
        "/apis/devops.kubesphere.io/v1alpha3/namespaces/{NS}/pipelineruns?watch=true&timeoutSeconds=600"
    );
    watcher
        .write_all(
            format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();

    // More changes than the simulator keeps for a watcher (1024 events), each big enough
    // that the socket buffers hold only a few hundred of them.
    let note = "n".repeat(32 * 1024);
    let pr = json!({
        "apiVersion": "devops.kubesphere.io/v1alpha3",
        "kind": "PipelineRun",
        "metadata": {"generateName": "go-demo-pipeline-", "namespace": NS, "annotations": {"note": note}},
        "spec": {"pipelineRef": {"name": "go-demo-pipeline"}, "pipelineSpec": {"type": "pipeline"}},
    });
    let mut changes = 0;
    while changes < 1400 {
        let created = json_of(c.post_json(&env.k8s(NS), &pr).send().await.unwrap()).await;
        let name = created["metadata"]["name"].as_str().unwrap().to_string();
        let deleted = c
            .delete(&format!("{}/{name}", env.k8s(NS)))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 200);
        changes += 2;
    }

    // Read now: the stream has ended (long before its 600 s), cleanly, and what it gave is
    // in order; it did not go on past a gap.
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), watcher.read_to_end(&mut answer))
        .await
        .expect("the watch of a watcher that fell behind ends")
        .unwrap();
    let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    let (body, complete) = dechunk(&answer[head_end + 4..]);
    assert!(
        complete,
        "the stream ends with its last chunk, not a cut connection"
    );
    let versions: Vec<u64> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| event_version(&serde_json::from_slice(l).expect("one JSON event per line")))
        .collect();
    assert!(
        versions.len() < changes,
        "it fell behind: {} events",
        versions.len()
    );
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "events in order: {versions:?}"
    );
    env.stop().await;
}

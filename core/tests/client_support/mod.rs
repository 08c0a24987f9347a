//! Shared setup of the client tests: a simulator on loopback and a client logged in to it.

#![allow(dead_code)]

use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::retry::RetryPolicy;
use ksdevops::client::{Auth, Client, ClientConfig, PollPolicy, Timeouts};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::{BoxFuture, Response, Transport};
use ksdevops_sim::{FaultConfig, Sim, SimConfig, SimHandle};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub const PROJECT: &str = ksdevops_sim::demo::PROJECT;
pub const PASSWORD: &str = ksdevops_sim::demo::DEFAULT_PASSWORD;

pub async fn sim(layout: ApiLayout, faults: FaultConfig) -> SimHandle {
    sim_at(layout, faults, 20.0).await
}

/// A simulator whose clock runs `speed` times faster than wall time.
pub async fn sim_at(layout: ApiLayout, faults: FaultConfig, speed: f64) -> SimHandle {
    let config = SimConfig {
        faults,
        ..SimConfig::demo().with_layout(layout).with_speed(speed)
    };
    Sim::start(config).await.expect("the simulator starts")
}

/// Fast polling and retries, so tests take seconds; the limits stay finite.
pub fn config(auth: Auth) -> ClientConfig {
    let mut config = ClientConfig::new(PROJECT, auth);
    config.retry = RetryPolicy {
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(200),
        max_attempts: 10,
        deadline: Duration::from_secs(20),
    };
    config.timeouts = Timeouts {
        build_id: Duration::from_secs(30),
        run: Duration::from_secs(60),
        sync: Duration::from_secs(30),
        scan: Duration::from_secs(30),
        log_idle: Duration::from_secs(60),
        poll: PollPolicy::new(Duration::from_millis(20), Duration::from_millis(200)),
        log_poll: PollPolicy::new(Duration::from_millis(10), Duration::from_millis(100)),
    };
    config
}

pub fn client(sim: &SimHandle, auth: Auth) -> Client<ReqwestTransport> {
    let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).expect("transport");
    Client::new(transport, config(auth))
        .expect("client")
        .with_seed(7)
}

pub fn admin(sim: &SimHandle) -> Client<ReqwestTransport> {
    client(sim, Auth::password("admin", PASSWORD))
}

/// Collects a log stream.
pub async fn whole_log<T: Transport>(client: &Client<T>, run: &str) -> Vec<u8> {
    let chunks: Vec<Vec<u8>> = client.follow_log(run).try_collect().await.expect("the log");
    chunks.concat()
}

/// Replaces the simulator's faults (e.g. `FaultConfig::default()` to stop them).
pub async fn set_faults(sim: &SimHandle, faults: &FaultConfig) {
    let url = format!("{}/_sim/faults", sim.url());
    let status = reqwest::Client::new()
        .post(url)
        .body(serde_json::to_string(faults).unwrap())
        .send()
        .await
        .expect("the admin endpoint answers")
        .status();
    assert!(status.is_success(), "setting faults: {status}");
}

pub fn values(pairs: &[(&str, &str)]) -> Vec<(String, serde_json::Value)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), serde_json::json!(v)))
        .collect()
}

/// Waits (up to 15 s) until the metadata sync lists the branches of `pipeline`.
pub async fn synced_branches<T: Transport>(
    client: &Client<T>,
    pipeline: &str,
) -> Vec<ksdevops::model::Branch> {
    for _ in 0..150 {
        let branches: Vec<_> = client
            .branches(pipeline, None)
            .try_collect()
            .await
            .expect("branches");
        if !branches.is_empty() {
            return branches;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{pipeline}: no branches after 15 s");
}

/// A transport that counts the requests it sends.
pub struct Counting<T> {
    pub inner: T,
    pub sent: Arc<AtomicU64>,
}

impl<T: Transport> Transport for Counting<T> {
    fn send(
        &self,
        request: ksdevops::api::Request,
    ) -> BoxFuture<'_, ksdevops::error::Result<Response>> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.inner.sleep(duration)
    }
}

/// An admin client whose requests are counted.
pub fn counted_admin(sim: &SimHandle) -> (Client<Counting<ReqwestTransport>>, Arc<AtomicU64>) {
    let sent = Arc::new(AtomicU64::new(0));
    let transport = Counting {
        inner: ReqwestTransport::new(ReqwestConfig::new(sim.url())).expect("transport"),
        sent: sent.clone(),
    };
    let client = Client::new(transport, config(Auth::password("admin", PASSWORD)))
        .expect("client")
        .with_seed(7);
    (client, sent)
}

/// How many faults the simulator injected so far.
pub async fn injected_faults(sim: &SimHandle) -> u64 {
    let text = reqwest::get(format!("{}/_sim/faults", sim.url()))
        .await
        .expect("the admin endpoint answers")
        .text()
        .await
        .expect("a body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    ["errors", "drops", "truncations"]
        .iter()
        .map(|k| body["injected"][k].as_u64().unwrap_or(0))
        .sum()
}

/// Jenkins' admin API token, as KubeSphere keeps it in the `devops-jenkins` Secret, read
/// with `client`'s login (an administrator's).
pub async fn jenkins_admin_token(sim: &SimHandle, client: &Client<ReqwestTransport>) -> String {
    use base64::Engine;
    client.login().await.expect("logged in");
    let bearer = client.token().expect("a password login").access_token;
    let answer = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/namespaces/{}/secrets/{}",
            sim.url(),
            ksdevops::api::JENKINS_NAMESPACE,
            ksdevops::api::JENKINS_SECRET
        ))
        .bearer_auth(bearer.expose())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let secret: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    let encoded = secret["data"]["jenkins-admin-token"].as_str().unwrap();
    let token = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(token).unwrap()
}

/// Jenkins' "prepare for shutdown" on (`quietDown`: no build leaves the queue) or off, as its
/// administrator at its own URL.
pub async fn jenkins_quiet_down(sim: &SimHandle, client: &Client<ReqwestTransport>, on: bool) {
    let token = jenkins_admin_token(sim, client).await;
    let action = if on { "quietDown" } else { "cancelQuietDown" };
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/{action}", sim.jenkins_url()))
        .basic_auth("admin", Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 302, "{action}");
}

//! Shared setup of the client tests: a simulator on loopback and a client logged in to it.

#![allow(dead_code)]

use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::retry::RetryPolicy;
use ksdevops::client::{Auth, Client, ClientConfig, PollPolicy, Timeouts};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops_sim::{FaultConfig, Sim, SimConfig, SimHandle};
use std::time::Duration;

pub const PROJECT: &str = ksdevops_sim::demo::PROJECT;
pub const PASSWORD: &str = ksdevops_sim::demo::DEFAULT_PASSWORD;

pub async fn sim(layout: ApiLayout, faults: FaultConfig) -> SimHandle {
    let config = SimConfig {
        faults,
        ..SimConfig::demo().with_layout(layout).with_speed(20.0)
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
    Client::new(transport, config(auth)).expect("client").with_seed(7)
}

pub fn admin(sim: &SimHandle) -> Client<ReqwestTransport> {
    client(sim, Auth::password("admin", PASSWORD))
}

/// Collects a log stream.
pub async fn whole_log(client: &Client<ReqwestTransport>, run: &str) -> Vec<u8> {
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
    pairs.iter().map(|(n, v)| (n.to_string(), serde_json::json!(v))).collect()
}

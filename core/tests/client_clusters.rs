//! A member cluster on each KubeSphere generation: the client detects the layout through the
//! cluster prefix and runs trigger → wait → approve → log against a simulator that routes
//! cluster prefixes as that generation's KubeSphere does (3.x answers 404 for `/clusters/{c}/…`).
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::{ApiLayout, Request};
use ksdevops::client::{Auth, Client, RunEnd, WaitUntil};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::{BoxFuture, Response, Transport};
use ksdevops::ErrorKind;
use ksdevops_sim::{Sim, SimConfig, SimHandle};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLUSTER: &str = "member-1";

/// One request as sent, with the status it was answered with.
#[derive(Debug, Clone)]
struct Sent {
    path: String,
    watch: bool,
    status: u16,
}

/// A transport that records every request and the status of its answer.
struct Recording {
    inner: ReqwestTransport,
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl Transport for Recording {
    fn send(&self, request: Request) -> BoxFuture<'_, ksdevops::error::Result<Response>> {
        Box::pin(async move {
            let path = request.path.clone();
            let watch = request
                .query
                .iter()
                .any(|(k, v)| k == "watch" && v == "true");
            let response = self.inner.send(request).await?;
            self.sent.lock().unwrap().push(Sent {
                path,
                watch,
                status: response.status,
            });
            Ok(response)
        })
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.inner.sleep(duration)
    }
}

async fn sim_with_member(layout: ApiLayout) -> SimHandle {
    let config = SimConfig::demo()
        .with_layout(layout)
        .with_speed(20.0)
        .with_cluster(CLUSTER);
    Sim::start(config).await.expect("the simulator starts")
}

/// An admin client of `cluster`, layout left to detection, recording what it sends.
fn member_client(sim: &SimHandle, cluster: &str) -> (Client<Recording>, Arc<Mutex<Vec<Sent>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let transport = Recording {
        inner: ReqwestTransport::new(ReqwestConfig::new(sim.url())).expect("transport"),
        sent: sent.clone(),
    };
    let config = config(Auth::password("admin", PASSWORD)).with_cluster(cluster);
    let client = Client::new(transport, config).expect("client").with_seed(7);
    (client, sent)
}

/// Where a layout puts the cluster for each API root.
fn cluster_form(layout: ApiLayout, path: &str) -> bool {
    match layout {
        ApiLayout::V4 => path.starts_with(&format!("/clusters/{CLUSTER}/")),
        ApiLayout::V3 => ["kapis", "apis", "api"]
            .iter()
            .any(|root| path.starts_with(&format!("/{root}/clusters/{CLUSTER}/"))),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cluster_runs_trigger_wait_approve_and_log_on_both_generations() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim_with_member(layout).await;
        let (client, sent) = member_client(&sim, CLUSTER);
        assert_eq!(client.layout().await.unwrap(), layout, "detected layout");

        let values = values(&[("PERSON", "grace"), ("CHOICE", "Three")]);
        let plain = client.trigger("params-demo", &values, None).await.unwrap();
        let resource = client
            .trigger_resource("params-demo", &values, None, None)
            .await
            .unwrap();
        for run in [plain, resource] {
            let run = run.name().unwrap().to_owned();
            let paused = client.wait(&run, None, WaitUntil::Paused).await.unwrap();
            assert_eq!(paused.end, RunEnd::Paused, "{layout:?} {run}");
            client.approve(&run, None, &[]).await.unwrap();
            let status = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
            assert!(status.succeeded(), "{layout:?} {run}: {:?}", status.result);
            let log = String::from_utf8(whole_log(&client, &run).await).unwrap();
            assert_eq!(log.matches("Hello grace").count(), 1, "{log}");
            assert!(log.contains("Choice: Three"), "{log}");
        }

        let sent: Vec<Sent> = sent
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path != "/oauth/token")
            .cloned()
            .collect();
        let probes = usize::from(layout == ApiLayout::V3);
        let (probe, rest) = sent.split_at(probes);
        for miss in probe {
            assert!(miss.path.starts_with("/clusters/"), "{miss:?}");
            assert_eq!(miss.status, 404, "3.x does not know the 4.x form: {miss:?}");
        }
        for request in rest {
            assert!(
                cluster_form(layout, &request.path),
                "{layout:?}: {} is not in this generation's cluster form",
                request.path
            );
            assert!(request.status < 400, "{layout:?}: {request:?}");
        }
        assert!(
            rest.iter()
                .any(|s| s.watch && s.path.contains("/pipelineruns") && s.status == 200),
            "{layout:?}: the waits followed the PipelineRun watch"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_the_server_does_not_know_is_named_in_the_detection_error() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim_with_member(layout).await;
        let (client, sent) = member_client(&sim, "member-2");
        let err = client.layout().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        for part in [
            "\"member-2\"",
            "cluster member-2 not found",
            PROJECT,
            "/kapis/clusters/member-2/",
        ] {
            assert!(err.message().contains(part), "{layout:?}: {part} in {err}");
        }
        assert_eq!(
            sent.lock()
                .unwrap()
                .iter()
                .filter(|s| s.path.contains("/pipelines"))
                .count(),
            2,
            "one probe per layout"
        );
        sim.shutdown().await;
    }
}

//! One-request reads against the simulator on both layouts: a run's stages and its log as
//! they are now, and a repository scan's log.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::client::WaitUntil;
use ksdevops_sim::FaultConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_log_and_scan_log_read_what_the_server_has_now() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        let run = client
            .trigger_resource("go-demo-pipeline", &[], None, None)
            .await
            .unwrap();
        let name = run.name().unwrap().to_owned();
        let status = client.wait(&name, None, WaitUntil::Finished).await.unwrap();
        assert!(status.succeeded(), "{layout:?}: {status:?}");

        let nodes = client.nodes(&name).await.unwrap();
        assert!(!nodes.is_empty(), "{layout:?}: a finished run has stages");
        assert!(nodes.iter().any(|n| !n.steps().is_empty()), "{nodes:?}");

        let log = client.log(&name).await.unwrap();
        assert_eq!(
            log.as_bytes(),
            whole_log(&client, &name).await,
            "{layout:?}"
        );
        assert!(log.contains("Finished: SUCCESS"), "{log}");

        let scan = client.scan("multi-branch-demo", true, None).await.unwrap();
        let scan_log = client.scan_log("multi-branch-demo").await.unwrap();
        assert_eq!(scan_log, scan.log, "{layout:?}");
        sim.shutdown().await;
    }
}

//! Under injected faults (errors, 429 with Retry-After, dropped connections, cut bodies on
//! well over 20% of requests), the workflows still give exactly what the server holds.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::WaitUntil;
use ksdevops::model::RunResult;
use ksdevops_sim::FaultConfig;

fn faults(seed: u64) -> FaultConfig {
    FaultConfig {
        error_rate: 0.25,
        error_statuses: vec![429, 502, 503, 504],
        retry_after_secs: 0,
        drop_rate: 0.1,
        truncate_rate: 0.05,
        max_in_a_row: Some(3),
        seed,
        ..FaultConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_waits_and_resource_triggers_hold_under_faults() {
    for (layout, seed) in [(ApiLayout::V4, 11), (ApiLayout::V3, 12)] {
        let sim = sim_at(layout, faults(seed), 4.0).await;
        let (client, sent) = counted_admin(&sim);
        synced_branches(&client, "multi-branch-demo").await;
        let mut runs = Vec::new();
        for greeting in ["one", "two", "three"] {
            let run = client
                .trigger_resource(
                    "multi-branch-demo",
                    &values(&[("GREETING", greeting)]),
                    Some("main"),
                    None,
                )
                .await
                .unwrap_or_else(|e| panic!("{layout:?}: trigger {greeting}: {e}"));
            runs.push(run.name().unwrap().to_owned());
        }
        let mut followed = Vec::new();
        for run in &runs {
            let (log, status) = tokio::join!(
                whole_log(&client, run),
                client.wait(run, None, WaitUntil::Finished)
            );
            let status = status.unwrap_or_else(|e| panic!("{layout:?}: wait {run}: {e}"));
            assert_eq!(status.result, Some(RunResult::Success), "{layout:?} {run}");
            followed.push(log);
        }

        let (faults, requests) = (
            injected_faults(&sim).await,
            sent.load(std::sync::atomic::Ordering::Relaxed),
        );
        assert!(
            faults * 5 >= requests,
            "{layout:?}: only {faults} faults in {requests} requests"
        );
        eprintln!("{layout:?}: {faults} faults injected in {requests} requests");
        set_faults(&sim, &FaultConfig::default()).await;
        let listed: Vec<_> = client
            .runs("multi-branch-demo", Some("main"))
            .try_collect()
            .await
            .unwrap();
        let mine: Vec<_> = listed
            .iter()
            .filter(|r| {
                r.spec
                    .parameters
                    .iter()
                    .any(|p| p.name == "GREETING" && p.value != "hello")
            })
            .filter_map(|r| r.name())
            .collect();
        assert_eq!(
            mine.len(),
            3,
            "{layout:?}: one run per trigger, never a second: {mine:?}"
        );
        for run in &runs {
            assert!(mine.contains(&run.as_str()), "{run} in {mine:?}");
        }
        for (run, log) in runs.iter().zip(&followed) {
            let clean = whole_log(&client, run).await;
            assert!(!clean.is_empty());
            assert_eq!(
                log, &clean,
                "{layout:?} {run}: the followed log is the server's, byte for byte"
            );
        }
        sim.shutdown().await;
    }
}

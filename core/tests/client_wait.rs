//! `wait` follows the PipelineRun watch stream between polls, and falls back to polling
//! alone when the server refuses the watch.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::{ApiLayout, Request};
use ksdevops::client::{Auth, Client, RunEnd, WaitUntil};
use ksdevops::model::RunResult;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::{BoxFuture, Response, Transport};
use ksdevops_sim::{FaultConfig, SimHandle};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Counts run reads and watch requests; answers every watch with 403 when `refuse_watch`.
struct Observed {
    inner: ReqwestTransport,
    refuse_watch: bool,
    watches: Arc<AtomicU64>,
    run_reads: Arc<AtomicU64>,
}

fn is_watch(request: &Request) -> bool {
    request
        .query
        .iter()
        .any(|(k, v)| k == "watch" && v == "true")
}

impl Transport for Observed {
    fn send(&self, request: Request) -> BoxFuture<'_, ksdevops::error::Result<Response>> {
        if is_watch(&request) {
            self.watches.fetch_add(1, Ordering::Relaxed);
            if self.refuse_watch {
                let status = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pipelineruns is forbidden: cannot watch","reason":"Forbidden","code":403}"#;
                return Box::pin(async move {
                    Ok(Response::buffered(
                        403,
                        vec![("Content-Type".into(), "application/json".into())],
                        status,
                    ))
                });
            }
        } else if request.path.contains("/pipelineruns/") && !request.path.contains("/nodedetails")
        {
            self.run_reads.fetch_add(1, Ordering::Relaxed);
        }
        self.inner.send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.inner.sleep(duration)
    }
}

struct Counts {
    watches: Arc<AtomicU64>,
    run_reads: Arc<AtomicU64>,
}

fn observed(sim: &SimHandle, refuse_watch: bool, watch_runs: bool) -> (Client<Observed>, Counts) {
    let (watches, run_reads) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let transport = Observed {
        inner: ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap(),
        refuse_watch,
        watches: watches.clone(),
        run_reads: run_reads.clone(),
    };
    let mut config = config(Auth::password("admin", PASSWORD));
    config.watch_runs = watch_runs;
    let client = Client::new(transport, config).unwrap().with_seed(5);
    (client, Counts { watches, run_reads })
}

/// Starts a params-demo run and waits for it to pause, then approves and waits for the end.
async fn run_to_the_end(client: &Client<Observed>) -> (RunEnd, Option<RunResult>) {
    let run = client.trigger("params-demo", &[], None).await.unwrap();
    let run = run.name().unwrap().to_owned();
    let paused = client.wait(&run, None, WaitUntil::Paused).await.unwrap();
    assert_eq!(paused.end, RunEnd::Paused);
    client.approve(&run, None, &[]).await.unwrap();
    let done = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
    (done.end, done.result)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_learns_of_changes_from_the_watch_stream_instead_of_polling() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        // A slow clock: the run takes seconds, which polling every 20-200 ms would notice
        // only by reading the run again and again.
        let sim = sim_at(layout, FaultConfig::default(), 2.0).await;
        let (watching, seen) = observed(&sim, false, true);
        let (end, result) = run_to_the_end(&watching).await;
        assert_eq!((end, result), (RunEnd::Finished, Some(RunResult::Success)));
        let (watches, watch_reads) = (
            seen.watches.load(Ordering::Relaxed),
            seen.run_reads.load(Ordering::Relaxed),
        );

        let (polling, polled) = observed(&sim, false, false);
        let (end, result) = run_to_the_end(&polling).await;
        assert_eq!((end, result), (RunEnd::Finished, Some(RunResult::Success)));
        let poll_reads = polled.run_reads.load(Ordering::Relaxed);
        assert_eq!(polled.watches.load(Ordering::Relaxed), 0, "watch_runs off");

        eprintln!("{layout:?}: run read {watch_reads} times with the watch ({watches} watches), {poll_reads} times polling");
        assert!(watches >= 2, "{layout:?}: one watch per wait at least");
        assert!(
            watch_reads * 2 < poll_reads,
            "{layout:?}: watching read the run {watch_reads} times, polling {poll_reads} times"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_watch_falls_back_to_polling_for_the_rest_of_the_session() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let (client, seen) = observed(&sim, true, true);
    assert_eq!(client.watch_refusal(), None, "not tried yet");
    let (end, result) = run_to_the_end(&client).await;
    assert_eq!((end, result), (RunEnd::Finished, Some(RunResult::Success)));
    assert_eq!(
        seen.watches.load(Ordering::Relaxed),
        1,
        "asked once; the 403 is remembered"
    );
    let why = client.watch_refusal().expect("the refusal is kept");
    assert!(why.contains("403"), "{why}");
    sim.shutdown().await;
}

/// `watch_runs` shows a run's life as it happens: created, then changed until it ends, on
/// both layouts, and only for the pipeline asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_runs_streams_the_changes_of_a_run_until_it_ends() {
    use futures_util::StreamExt;
    use ksdevops::client::RunChange;
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        let mut events = std::pin::pin!(client.watch_runs(Some("go-demo-pipeline")));
        let run = client.trigger("go-demo-pipeline", &[], None).await.unwrap();
        let name = run.name().unwrap().to_owned();
        let mut changes = Vec::new();
        let finished = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(event) = events.next().await {
                let event = event.unwrap();
                assert_eq!(event.run.pipeline_name(), Some("go-demo-pipeline"));
                if event.run.name() != Some(name.as_str()) {
                    continue;
                }
                changes.push(event.change);
                if event.run.phase().is_some_and(|p| p.is_terminal()) {
                    return event.run;
                }
            }
            panic!("the watch ended before the run did");
        })
        .await
        .expect("the run finishes within two minutes");
        assert_eq!(
            changes.first(),
            Some(&RunChange::Added),
            "{layout:?}: {changes:?}"
        );
        assert!(
            changes[1..].iter().all(|c| *c == RunChange::Modified),
            "{changes:?}"
        );
        assert_eq!(
            finished.phase(),
            Some(&ksdevops::model::RunPhase::Succeeded),
            "{layout:?}"
        );
    }
}

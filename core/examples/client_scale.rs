//! The client at scale, against a running simulator, for `cargo xtask bench`
//! (xtask/src/bench_scale.rs starts the simulator and runs this program once per sample).
//!
//! ```text
//! client_scale scenario FILE                 write the simulator scenario used below
//! client_scale prepare URL RUNS_FILE N       run `biglog` N times to the end; list the runs
//! client_scale follow URL RUNS_FILE          Client::follow_log on every run at once
//! client_scale plain URL RUNS_FILE           one plain GET of each run's whole log, all at once
//! client_scale wait URL short|long N watch|poll
//!                                            start N runs of `wait-short` or `wait-long`,
//!                                            then Client::wait on all at once
//! ```
//!
//! `follow` and `plain` print `bench logs mode=… runs=… bytes=… seconds=… mbps=…
//! peak_rss_bytes=… digest=…` (the digest is over every run's bytes, so the two modes can be
//! checked to have read the same). `wait` resets the simulator's counters after starting
//! the runs and prints what the waiting cost: `bench wait mode=… runs=… requests=…
//! response_bytes=… get_run_requests=… watch_requests=… max_open_watches=… seconds=…`
//! with `run_sim_seconds`, how long each run takes in simulated time, and `start_seconds`, how
//! long starting them took (the runs go on meanwhile).
//! Linux only: the peak RSS comes from /proc/self/status (VmHWM).

use futures_util::future::join_all;
use futures_util::StreamExt;
use ksdevops::api::{ApiLayout, BuildRef};
use ksdevops::client::{Auth, Client, ClientConfig, WaitUntil};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use serde_json::{json, Value};
use std::time::Instant;

const PROJECT: &str = "scale";
const USER: &str = "admin";
const PASSWORD: &str = "scale-bench-pass";
/// The log of one `biglog` run: 8 attempts of 4 echoes of 64 KiB, about 2 MiB.
const ECHO_BYTES: usize = 64 * 1024;
const ECHOES: usize = 4;
const ATTEMPTS: usize = 8;
/// Simulated seconds a `wait-short` and a `wait-long` run take.
const SHORT_SECS: u64 = 1200;
const LONG_SECS: u64 = 4800;

/// Route templates of the simulator's counters (see sim/README.md).
const GET_RUN_ROUTE: &str =
    "/kapis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns/{run}";
const WATCH_ROUTE: &str =
    "/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns (watch)";

type Failure = Box<dyn std::error::Error>;

fn jenkinsfile(steps: &str) -> String {
    format!("pipeline {{ agent any\n stages {{ stage('Main') {{ steps {{\n{steps}\n}} }} }} }}")
}

/// `biglog`: each echo writes one line of `ECHO_BYTES`, built from a 1 KiB parameter, so
/// the Jenkinsfile (which every run read carries) stays small as the log grows.
fn big_log_jenkinsfile() -> String {
    let piece: String = "0123456789abcdef".repeat(1024 / 16);
    let line = "${LINE}".repeat(ECHO_BYTES / 1024);
    let echoes = vec![format!("echo \"{line}\""); ECHOES].join("\n");
    format!(
        "pipeline {{ agent any\n parameters {{ string(name: 'LINE', defaultValue: '{piece}') }}\n \
         stages {{ stage('Main') {{ steps {{\nretry({ATTEMPTS}) {{\n{echoes}\nerror 'again'\n}}\n}} }} }} }}"
    )
}

fn scenario() -> Value {
    let pipelines = [
        ("biglog", big_log_jenkinsfile()),
        ("wait-short", jenkinsfile(&format!("sleep {SHORT_SECS}"))),
        ("wait-long", jenkinsfile(&format!("sleep {LONG_SECS}"))),
    ];
    json!({
        "workspaces": ["ws"],
        "users": [{"name": USER, "password": PASSWORD, "admin": true}],
        "oauth_clients": [{"id": "kubesphere", "secret": "kubesphere"}],
        // The clock runs fast: the token must outlive the bench in simulated time.
        "token_ttl_seconds": 1_000_000_000u64,
        "projects": [{"name": PROJECT, "workspace": "ws", "creator": USER}],
        "pipelines": pipelines.iter().map(|(name, text)| json!({
            "resource": {
                "metadata": {"name": name, "namespace": PROJECT},
                "spec": {"type": "pipeline", "pipeline": {"name": name, "jenkinsfile": text}},
            }
        })).collect::<Vec<_>>(),
    })
}

fn client(url: &str, watch_runs: bool) -> Result<Client<ReqwestTransport>, Failure> {
    let transport = ReqwestTransport::new(ReqwestConfig::new(url))?;
    let mut config =
        ClientConfig::new(PROJECT, Auth::password(USER, PASSWORD)).with_layout(ApiLayout::V4);
    config.watch_runs = watch_runs;
    Ok(Client::new(transport, config)?)
}

fn peak_rss() -> Result<u64, Failure> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or("no VmHWM in /proc/self/status (Linux only)")?;
    Ok(kb * 1024)
}

/// FNV-1a, continued from `hash`.
fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Starts `count` runs of `pipeline` at once; their names.
async fn start_runs(
    client: &Client<ReqwestTransport>,
    pipeline: &str,
    count: usize,
) -> Result<Vec<String>, Failure> {
    let runs = join_all((0..count).map(|_| client.trigger(pipeline, &[], None))).await;
    runs.into_iter()
        .map(|run| Ok(run?.name().ok_or("a run without a name")?.to_owned()))
        .collect()
}

/// Runs `biglog` `count` times to the end; writes one line per run: name, then the path of
/// its whole log.
async fn prepare(url: &str, runs_file: &str, count: usize) -> Result<(), Failure> {
    let client = client(url, true)?;
    let names = start_runs(&client, "biglog", count).await?;
    let api = client.api().await?;
    let mut lines = String::new();
    for status in join_all(
        names
            .iter()
            .map(|n| client.wait(n, None, WaitUntil::Finished)),
    )
    .await
    {
        let status = status?;
        let run = &status.run;
        let build = BuildRef {
            devops: PROJECT,
            pipeline: run.pipeline_name().ok_or("a run without a pipeline")?,
            branch: None,
            run_id: run.build_id().ok_or("a finished run without a build")?,
        };
        let log = api.get_run_log(&build, 0)?;
        lines.push_str(&format!(
            "{}\t{}\n",
            run.name().unwrap_or_default(),
            log.path_and_query()
        ));
    }
    std::fs::write(runs_file, lines)?;
    Ok(())
}

fn read_runs(runs_file: &str) -> Result<Vec<(String, String)>, Failure> {
    let text = std::fs::read_to_string(runs_file)?;
    text.lines()
        .map(|l| {
            l.split_once('\t')
                .map(|(n, p)| (n.to_owned(), p.to_owned()))
                .ok_or_else(|| format!("{runs_file}: not `name<TAB>path`: {l:?}").into())
        })
        .collect()
}

/// (bytes, FNV) of each run's log through `Client::follow_log`, all followed at once.
async fn follow_all(url: &str, runs: &[(String, String)]) -> Result<Vec<(u64, u64)>, Failure> {
    let client = client(url, true)?;
    client.login().await?;
    let follows = runs.iter().map(|(name, _)| {
        let client = &client;
        async move {
            let mut log = std::pin::pin!(client.follow_log(name));
            let (mut n, mut h) = (0u64, FNV_START);
            while let Some(chunk) = log.next().await {
                let chunk = chunk?;
                n += chunk.len() as u64;
                h = fnv(h, &chunk);
            }
            Ok::<_, ksdevops::Error>((n, h))
        }
    });
    Ok(join_all(follows)
        .await
        .into_iter()
        .collect::<Result<_, _>>()?)
}

/// The same through one plain reqwest GET per log, with the bearer token of a login.
async fn plain_all(url: &str, runs: &[(String, String)]) -> Result<Vec<(u64, u64)>, Failure> {
    let login = client(url, true)?;
    login.login().await?;
    let token = login.token().ok_or("no token after login")?;
    let http = reqwest::Client::new();
    let gets = runs.iter().map(|(_, path)| {
        let request = http
            .get(format!("{url}{path}"))
            .bearer_auth(token.access_token.expose());
        async move {
            let mut response = request.send().await?.error_for_status()?;
            let (mut n, mut h) = (0u64, FNV_START);
            while let Some(chunk) = response.chunk().await? {
                n += chunk.len() as u64;
                h = fnv(h, &chunk);
            }
            Ok::<_, reqwest::Error>((n, h))
        }
    });
    Ok(join_all(gets).await.into_iter().collect::<Result<_, _>>()?)
}

async fn logs(mode: &str, url: &str, runs_file: &str) -> Result<(), Failure> {
    let runs = read_runs(runs_file)?;
    let started = Instant::now();
    let read = match mode {
        "follow" => follow_all(url, &runs).await?,
        _ => plain_all(url, &runs).await?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let bytes: u64 = read.iter().map(|(n, _)| n).sum();
    let digest = read
        .iter()
        .fold(FNV_START, |d, (_, h)| fnv(d, &h.to_le_bytes()));
    println!(
        "bench logs mode={mode} runs={} bytes={bytes} seconds={seconds:.4} mbps={:.2} peak_rss_bytes={} digest={digest:016x}",
        runs.len(),
        bytes as f64 / (1024.0 * 1024.0) / seconds,
        peak_rss()?
    );
    Ok(())
}

/// (requests, response bytes) of the route and method in the simulator's counters.
fn route_count(stats: &Value, route: &str) -> (u64, u64) {
    stats["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["route"] == route && r["method"] == "GET")
        .fold((0, 0), |(n, b), r| {
            (
                n + r["requests"].as_u64().unwrap_or(0),
                b + r["responseBytes"].as_u64().unwrap_or(0),
            )
        })
}

async fn wait(url: &str, length: &str, count: usize, mode: &str) -> Result<(), Failure> {
    let (pipeline, run_sim_seconds) = match length {
        "short" => ("wait-short", SHORT_SECS),
        _ => ("wait-long", LONG_SECS),
    };
    let client = client(url, mode == "watch")?;
    let starting = Instant::now();
    let names = start_runs(&client, pipeline, count).await?;
    let start_seconds = starting.elapsed().as_secs_f64();
    let http = reqwest::Client::new();
    let stats_url = format!("{url}/_sim/stats");
    http.delete(&stats_url).send().await?.error_for_status()?;
    let started = Instant::now();
    for status in join_all(
        names
            .iter()
            .map(|n| client.wait(n, None, WaitUntil::Finished)),
    )
    .await
    {
        status?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let stats = http.get(&stats_url).send().await?.error_for_status()?;
    let stats: Value = serde_json::from_slice(&stats.bytes().await?)?;
    let number = |v: &Value| v.as_u64().unwrap_or(0);
    println!(
        "bench wait mode={mode} pipeline={pipeline} run_sim_seconds={run_sim_seconds} runs={count} requests={} response_bytes={} get_run_requests={} watch_requests={} watch_bytes={} max_open_watches={} start_seconds={start_seconds:.3} seconds={seconds:.3}",
        number(&stats["requests"]),
        number(&stats["responseBytes"]),
        route_count(&stats, GET_RUN_ROUTE).0,
        route_count(&stats, WATCH_ROUTE).0,
        route_count(&stats, WATCH_ROUTE).1,
        number(&stats["watches"]["maxOpen"]),
    );
    Ok(())
}

fn count(text: &str) -> Result<usize, Failure> {
    text.parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!("the number of runs must be a whole number above 0, not {text:?}").into()
        })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = match args[..] {
        ["scenario", file] => std::fs::write(file, scenario().to_string()).map_err(Failure::from),
        ["prepare", url, runs_file, n] => match count(n) {
            Ok(n) => prepare(url, runs_file, n).await,
            Err(e) => Err(e),
        },
        [mode @ ("follow" | "plain"), url, runs_file] => logs(mode, url, runs_file).await,
        ["wait", url, length @ ("short" | "long"), n, mode @ ("watch" | "poll")] => match count(n) {
            Ok(n) => wait(url, length, n, mode).await,
            Err(e) => Err(e),
        },
        _ => Err("usage: client_scale scenario FILE | prepare URL RUNS_FILE N | follow|plain URL RUNS_FILE | wait URL short|long N watch|poll".into()),
    };
    if let Err(e) = done {
        eprintln!("client_scale: {e}");
        std::process::exit(1);
    }
}

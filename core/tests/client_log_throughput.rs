//! Following a 200 MB log through the client against a plain reqwest download of the same
//! bytes from the same local server: throughput (MB/s) and peak memory growth, printed.
//! Run with `cargo test -p ksdevops --features reqwest --release --test client_log_throughput -- --ignored --nocapture`.
#![cfg(feature = "reqwest")]

use futures_util::StreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, Client, ClientConfig};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LOG_BYTES: u64 = 200 * 1024 * 1024;
const LINE: u64 = 64;

/// Byte `offset` onwards of a log of fixed-width lines, generated as it is sent.
fn log_slice(from: u64, to: u64, out: &mut Vec<u8>) {
    let mut line = from / LINE;
    let mut skip = (from % LINE) as usize;
    let mut at = from;
    while at < to {
        let text = format!("[{line:012}] + make -j2 all   some step output of the build....\n");
        debug_assert_eq!(text.len() as u64, LINE);
        let bytes = &text.as_bytes()[skip..];
        let take = bytes.len().min((to - at) as usize);
        out.extend_from_slice(&bytes[..take]);
        at += take as u64;
        skip = 0;
        line += 1;
    }
}

fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
                    break;
                }
            }
            let target = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_owned();
            if target.contains("/log") {
                let start: u64 = target
                    .split("start=")
                    .nth(1)
                    .and_then(|s| s.split('&').next())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nX-Text-Size: {LOG_BYTES}\r\nConnection: close\r\n\r\n",
                    LOG_BYTES - start
                );
                stream.write_all(head.as_bytes()).unwrap();
                let mut buf = Vec::with_capacity(1 << 16);
                let mut at = start;
                while at < LOG_BYTES {
                    let to = (at + (1 << 16)).min(LOG_BYTES);
                    buf.clear();
                    log_slice(at, to, &mut buf);
                    if stream.write_all(&buf).is_err() {
                        return;
                    }
                    at = to;
                }
            } else {
                let body = serde_json::json!({
                    "metadata": {"name": "big-1", "namespace": "demo", "labels": {"devops.kubesphere.io/pipeline": "big"},
                                 "annotations": {"devops.kubesphere.io/jenkins-pipelinerun-id": "1"}},
                    "spec": {"pipelineRef": {"name": "big"}, "pipelineSpec": {"type": "pipeline"}},
                    "status": {"phase": "Succeeded"}
                })
                .to_string();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
    }
}

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Peak RSS growth while `f` runs, sampled every 2 ms.
async fn measure<F: std::future::Future<Output = (u64, u64)>>(f: F) -> (u64, u64, Duration, u64) {
    let base = rss_bytes();
    let peak = Arc::new(AtomicU64::new(base));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(rss_bytes(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let started = Instant::now();
    let (bytes, hash) = f.await;
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    (
        bytes,
        hash,
        took,
        peak.load(Ordering::Relaxed).saturating_sub(base),
    )
}

fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, b| (h ^ *b as u64).wrapping_mul(0x100_0000_01b3))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: moves 400 MB over loopback"]
async fn following_a_200_mb_log_keeps_up_with_a_plain_download() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || serve(listener));

    let plain = reqwest::Client::new();
    let log_url = format!(
        "{url}/kapis/devops.kubesphere.io/v1alpha2/namespaces/demo/pipelines/big/runs/1/log?start=0"
    );
    let (plain_bytes, plain_hash, plain_time, plain_mem) = measure(async {
        let mut response = plain.get(&log_url).send().await.unwrap();
        let (mut n, mut h) = (0u64, 0xcbf2_9ce4_8422_2325u64);
        while let Some(chunk) = response.chunk().await.unwrap() {
            n += chunk.len() as u64;
            h = fnv(h, &chunk);
        }
        (n, h)
    })
    .await;

    let transport = ReqwestTransport::new(ReqwestConfig::new(&url)).unwrap();
    let client = Client::new(
        transport,
        ClientConfig::new("demo", Auth::Anonymous).with_layout(ApiLayout::V4),
    )
    .unwrap();
    let (bytes, hash, time, mem) = measure(async {
        let mut log = std::pin::pin!(client.follow_log("big-1"));
        let (mut n, mut h) = (0u64, 0xcbf2_9ce4_8422_2325u64);
        while let Some(chunk) = log.next().await {
            let chunk = chunk.unwrap();
            n += chunk.len() as u64;
            h = fnv(h, &chunk);
        }
        (n, h)
    })
    .await;

    assert_eq!(plain_bytes, LOG_BYTES);
    assert_eq!(
        (bytes, hash),
        (plain_bytes, plain_hash),
        "the followed log is the served log"
    );
    let mb = LOG_BYTES as f64 / (1024.0 * 1024.0);
    let (plain_rate, rate) = (mb / plain_time.as_secs_f64(), mb / time.as_secs_f64());
    println!(
        "plain reqwest: {plain_rate:.0} MB/s, peak memory +{:.1} MB",
        plain_mem as f64 / 1048576.0
    );
    println!(
        "follow_log:    {rate:.0} MB/s, peak memory +{:.1} MB",
        mem as f64 / 1048576.0
    );
    println!(
        "ratio follow_log / plain: throughput {:.2}",
        rate / plain_rate
    );
    assert!(
        mem < 64 * 1024 * 1024,
        "the log streams in bounded memory: +{mem} bytes"
    );
}

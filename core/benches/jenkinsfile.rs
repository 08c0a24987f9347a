//! Parses the whole conformance corpus: throughput (MB/s) and time per file.
//! `cargo bench -p ksdevops --bench jenkinsfile`; prints a summary line with the median µs per
//! file and MB/s before criterion's own report.

use std::time::Instant;

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ksdevops::jenkinsfile::parse_jenkinsfile;

fn summary(files: &[String]) {
    let bytes: usize = files.iter().map(String::len).sum();
    let mut per_file = Vec::new();
    let rounds = 20;
    let start = Instant::now();
    for _ in 0..rounds {
        for f in files {
            let t = Instant::now();
            std::hint::black_box(parse_jenkinsfile(std::hint::black_box(f)));
            per_file.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let total = start.elapsed().as_secs_f64();
    per_file.sort_by(f64::total_cmp);
    let median = per_file[per_file.len() / 2];
    let mbps = (bytes * rounds) as f64 / total / 1e6;
    println!(
        "jenkinsfile corpus: {} files, {} bytes; median {median:.1} µs per file; {mbps:.1} MB/s",
        files.len(),
        bytes
    );
}

fn bench(c: &mut Criterion) {
    let files = corpus::texts();
    summary(&files);
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("jenkinsfile");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse_corpus", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(parse_jenkinsfile(std::hint::black_box(f)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

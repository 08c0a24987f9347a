//! Where the time of `parse_jenkinsfile` goes, phase by phase, over the conformance corpus:
//! lex (with `\uXXXX` decoding), parse, extract (parameters, inputs, pipeline model) and
//! validate (the whole call). Each benchmark runs its phase and the ones before it, so the
//! difference between two neighbours is the cost of a phase.
//!
//! `cargo bench -p ksdevops --features bench-phases --bench jenkinsfile_phases`

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ksdevops::jenkinsfile::{parse_jenkinsfile, phases};

fn corpus() -> Vec<String> {
    let shared = std::env::var_os("KSDEVOPS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let root = shared.join("conformance/jenkinsfiles");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("corpus directory") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() || dir.ends_with("expected") || dir.ends_with("notes") {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("corpus subdirectory") {
            let f = f.expect("entry").path();
            let name = f.to_string_lossy();
            if name.ends_with(".json") || name.ends_with(".md") {
                continue;
            }
            files.push(std::fs::read_to_string(&f).expect("utf-8 Jenkinsfile"));
        }
    }
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("jenkinsfile_phases");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("1_lex", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(phases::lex(std::hint::black_box(f)));
            }
        })
    });
    group.bench_function("2_parse", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(phases::parse(std::hint::black_box(f)));
            }
        })
    });
    group.bench_function("3_extract", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(phases::extract(std::hint::black_box(f)));
            }
        })
    });
    group.bench_function("4_validate", |b| {
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

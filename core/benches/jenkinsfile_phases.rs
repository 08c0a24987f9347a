//! Where the time of `parse_jenkinsfile` goes, phase by phase, over the conformance corpus:
//! lex (with `\uXXXX` decoding), parse, extract (parameters, inputs, pipeline model) and
//! validate (the whole call). Each benchmark runs its phase and the ones before it, so the
//! difference between two neighbours is the cost of a phase.
//!
//! `cargo bench -p ksdevops --features bench-phases --bench jenkinsfile_phases`

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ksdevops::jenkinsfile::{parse_jenkinsfile, phases};

fn bench(c: &mut Criterion) {
    let files = corpus::texts();
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

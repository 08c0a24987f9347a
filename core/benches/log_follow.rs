//! The log cursor's own cost, with no network: bytes per second through `feed` when
//! following a log by offsets, by re-fetching the whole log, and when aligning tails.
//! `cargo bench -p ksdevops --bench log_follow`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ksdevops::log::{LogCursor, LogHeaders};
use std::hint::black_box;

const MIB: usize = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn build_log(len: usize) -> Vec<u8> {
    let mut log = Vec::with_capacity(len + 128);
    let mut i = 0u64;
    while log.len() < len {
        log.extend_from_slice(
            format!("[{i:09}] + make -j2 all   step output line with some text\n").as_bytes(),
        );
        i += 1;
    }
    log.truncate(len);
    log
}

fn feed_all(cursor: &mut LogCursor, headers: LogHeaders, body: &[u8]) -> usize {
    cursor.begin(headers);
    let mut out = 0;
    for chunk in body.chunks(CHUNK) {
        out += cursor.feed(chunk).unwrap().len();
    }
    out + cursor.finish().unwrap().len()
}

fn benches(c: &mut Criterion) {
    let log = build_log(32 * MIB);
    let mut group = c.benchmark_group("log_follow");
    group.sample_size(10);

    // Offset mode: 32 responses of 1 MiB each, every byte new.
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.bench_function("offsets_32MiB", |b| {
        b.iter(|| {
            let mut cursor = LogCursor::new();
            let mut delivered = 0;
            for (i, piece) in log.chunks(MIB).enumerate() {
                let end = ((i + 1) * MIB).min(log.len()) as u64;
                let headers = LogHeaders {
                    text_size: Some(end),
                    more_data: Some(true),
                };
                delivered += feed_all(&mut cursor, headers, piece);
            }
            black_box(delivered)
        })
    });

    // Diff mode, one poll: 31 MiB already delivered, the whole 32 MiB log arrives again.
    // Throughput counts every byte read, repeated or new.
    group.bench_function("refetch_32MiB_1MiB_new", |b| {
        b.iter_batched(
            || {
                let mut cursor = LogCursor::new();
                feed_all(&mut cursor, LogHeaders::NONE, &log[..31 * MIB]);
                cursor
            },
            |mut cursor| black_box(feed_all(&mut cursor, LogHeaders::NONE, &log)),
            BatchSize::LargeInput,
        )
    });

    // A 150 KB tail answer after 8 MiB were delivered, 50 KB of it new.
    let tail = &log[8 * MIB - 100 * 1024..8 * MIB + 50 * 1024];
    group.throughput(Throughput::Bytes(tail.len() as u64));
    group.bench_function("tail_150KB_align", |b| {
        b.iter_batched(
            || {
                let mut cursor = LogCursor::new();
                feed_all(&mut cursor, LogHeaders::NONE, &log[..8 * MIB]);
                cursor
            },
            |mut cursor| {
                let new = feed_all(&mut cursor, LogHeaders::NONE, tail);
                assert_eq!(new, 50 * 1024);
                black_box(new)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(log_follow, benches);
criterion_main!(log_follow);

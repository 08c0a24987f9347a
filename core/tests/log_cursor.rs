//! The log cursor turns repeated progressive-log responses into exactly the log.

use ksdevops::log::{LogCursor, LogHeaders};
use ksdevops::ErrorKind;
use proptest::prelude::*;

/// Feeds `body` in pieces of the given sizes (cycled), collecting what the cursor hands on.
fn feed_in_pieces(cursor: &mut LogCursor, body: &[u8], sizes: &[usize], out: &mut Vec<u8>) {
    let mut rest = body;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes
            .get(i % sizes.len().max(1))
            .copied()
            .unwrap_or(rest.len())
            .clamp(1, rest.len());
        out.extend_from_slice(cursor.feed(&rest[..n]).unwrap());
        rest = &rest[n..];
        i += 1;
    }
}

fn numbered_log(lines: &[(u8, u8)]) -> Vec<u8> {
    let mut log = Vec::new();
    for (i, (len, seed)) in lines.iter().enumerate() {
        log.extend_from_slice(format!("line {i:06} ").as_bytes());
        log.extend((0..*len).map(|k| b'a' + (seed.wrapping_add(k) % 26)));
        log.push(b'\n');
    }
    log
}

#[test]
fn without_headers_each_whole_log_yields_only_its_new_end() {
    let mut cursor = LogCursor::new();
    assert_eq!(
        cursor.accept(LogHeaders::NONE, b"Started\n").unwrap(),
        b"Started\n"
    );
    assert_eq!(
        cursor.start(),
        0,
        "without X-Text-Size the log is asked for from 0 again"
    );
    assert_eq!(
        cursor
            .accept(LogHeaders::NONE, b"Started\nstep 1\n")
            .unwrap(),
        b"step 1\n"
    );
    assert_eq!(
        cursor
            .accept(LogHeaders::NONE, b"Started\nstep 1\n")
            .unwrap(),
        b""
    );
    assert_eq!(
        cursor
            .accept(LogHeaders::NONE, b"Started\nstep 1\nFinished: SUCCESS\n")
            .unwrap(),
        b"Finished: SUCCESS\n"
    );
    assert_eq!(cursor.more(), None, "no header, no claim about more data");
    assert_eq!(cursor.delivered(), 33);
}

#[test]
fn with_headers_the_next_start_is_the_servers_end_offset() {
    let mut cursor = LogCursor::new();
    let first = LogHeaders {
        text_size: Some(120),
        more_data: Some(true),
    };
    assert_eq!(cursor.accept(first, b"hello\n").unwrap(), b"hello\n");
    assert_eq!(
        cursor.start(),
        120,
        "raw offsets count console notes the body does not show"
    );
    assert_eq!(cursor.more(), Some(true));
    let last = LogHeaders {
        text_size: Some(150),
        more_data: None,
    };
    assert_eq!(cursor.accept(last, b"world\n").unwrap(), b"world\n");
    assert_eq!(cursor.start(), 150);
    assert_eq!(
        cursor.more(),
        Some(false),
        "Jenkins drops X-More-Data once the log is complete"
    );
}

#[test]
fn more_data_false_is_not_more() {
    let mut cursor = LogCursor::new();
    let headers = LogHeaders::from_headers([("X-Text-Size", "5"), ("X-More-Data", "false")]);
    cursor.accept(headers, b"done\n").unwrap();
    assert_eq!(cursor.more(), Some(false));
}

#[test]
fn a_dropped_connection_resumes_without_repeating() {
    let mut cursor = LogCursor::new();
    cursor.begin(LogHeaders {
        text_size: Some(1000),
        more_data: Some(true),
    });
    assert_eq!(cursor.feed(b"abc").unwrap(), b"abc");
    cursor.interrupted();
    assert_eq!(
        cursor.start(),
        0,
        "the interrupted response's end offset is not trusted"
    );
    let again = cursor
        .accept(
            LogHeaders {
                text_size: Some(1000),
                more_data: Some(true),
            },
            b"abcdef",
        )
        .unwrap();
    assert_eq!(again, b"def");
    assert_eq!(cursor.start(), 1000);
}

#[test]
fn a_tail_of_the_log_is_aligned_on_what_was_read() {
    let log = numbered_log(&[(40, 1); 40]);
    let mut cursor = LogCursor::with_window(1024);
    let mut out = cursor.accept(LogHeaders::NONE, &log[..1500]).unwrap();
    // The server now answers with only the last 300 bytes of a longer log.
    out.extend(cursor.accept(LogHeaders::NONE, &log[1300..1600]).unwrap());
    assert_eq!(out, &log[..1600]);
    // A tail that lies wholly inside what was read adds nothing.
    assert!(cursor
        .accept(LogHeaders::NONE, &log[1400..1600])
        .unwrap()
        .is_empty());
    // Whole-log answers afterwards still continue at the right byte.
    out.extend(cursor.accept(LogHeaders::NONE, &log).unwrap());
    assert_eq!(out, log);
}

#[test]
fn a_stale_shorter_copy_of_the_log_adds_nothing() {
    let log = numbered_log(&[(30, 7); 30]);
    let mut cursor = LogCursor::with_window(256);
    let mut out = cursor.accept(LogHeaders::NONE, &log[..900]).unwrap();
    out.extend(cursor.accept(LogHeaders::NONE, &log[..100]).unwrap());
    out.extend(cursor.accept(LogHeaders::NONE, &log).unwrap());
    assert_eq!(out, log);
}

#[test]
fn a_rewritten_log_is_an_error_not_a_duplicate() {
    let mut cursor = LogCursor::with_window(256);
    cursor
        .accept(
            LogHeaders::NONE,
            b"first attempt of the build, line one\nline two\n",
        )
        .unwrap();
    let err = cursor
        .accept(
            LogHeaders::NONE,
            b"an entirely different log that shares nothing with the first one, longer\n",
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(
        err.message().contains("does not continue"),
        "{}",
        err.message()
    );
}

#[test]
fn a_tail_that_skips_unread_bytes_is_an_error() {
    let log = numbered_log(&[(40, 3); 60]);
    let mut cursor = LogCursor::with_window(1024);
    cursor.accept(LogHeaders::NONE, &log[..500]).unwrap();
    let err = cursor
        .accept(LogHeaders::NONE, &log[2000..2300])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        cursor.delivered(),
        500,
        "nothing from the gapped answer was handed on"
    );
}

#[test]
fn an_end_offset_before_start_means_the_server_ignored_start() {
    let mut cursor = LogCursor::new();
    cursor
        .accept(
            LogHeaders {
                text_size: Some(10),
                more_data: Some(true),
            },
            b"0123456789",
        )
        .unwrap();
    // A server that restarts from 0 when `start` is past its end sends the whole log again.
    let again = cursor
        .accept(
            LogHeaders {
                text_size: Some(4),
                more_data: Some(true),
            },
            b"0123",
        )
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(cursor.start(), 10);
}

#[test]
fn an_owned_chunk_gives_its_new_end_in_place() {
    let mut cursor = LogCursor::new();
    cursor.begin(LogHeaders::NONE);
    let chunk = b"Started\n".to_vec();
    let at = chunk.as_ptr();
    let new = cursor.feed_owned(chunk).unwrap();
    assert_eq!(new, b"Started\n");
    assert_eq!(new.as_ptr(), at, "a wholly new chunk is handed on as it is");
    cursor.finish().unwrap();
    // The next answer repeats the log, then goes on: only its new end comes back.
    cursor.begin(LogHeaders::NONE);
    assert_eq!(cursor.feed_owned(b"Star".to_vec()).unwrap(), b"");
    assert_eq!(
        cursor.feed_owned(b"ted\nstep 1\n".to_vec()).unwrap(),
        b"step 1\n"
    );
    assert_eq!(cursor.finish().unwrap(), b"");
    assert_eq!(cursor.delivered(), 15);
}

#[test]
fn feed_before_begin_is_a_usage_error() {
    let mut cursor = LogCursor::new();
    assert_eq!(
        cursor.feed(b"x").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

/// Growing whole-log answers (no headers), each cut into chunks, some broken off mid-way.
fn diff_mode_run(log: &[u8], ends: &[usize], sizes: &[usize], breaks: &[Option<usize>]) -> Vec<u8> {
    let mut cursor = LogCursor::with_window(512);
    let mut out = Vec::new();
    let mut ends: Vec<usize> = ends.iter().map(|e| e % (log.len() + 1)).collect();
    ends.sort_unstable();
    ends.push(log.len());
    for (i, end) in ends.iter().enumerate() {
        let body = &log[..*end];
        cursor.begin(LogHeaders::NONE);
        match breaks.get(i).copied().flatten() {
            Some(cut) => {
                feed_in_pieces(
                    &mut cursor,
                    &body[..cut % (body.len() + 1)],
                    sizes,
                    &mut out,
                );
                cursor.interrupted();
            }
            None => {
                feed_in_pieces(&mut cursor, body, sizes, &mut out);
                out.extend(cursor.finish().unwrap());
            }
        }
    }
    cursor.begin(LogHeaders::NONE);
    feed_in_pieces(&mut cursor, log, sizes, &mut out);
    out.extend(cursor.finish().unwrap());
    out
}

/// What a cursor of `window` yields when the log grows by each step's amount and each answer
/// is the log so far, or only its last `tail` bytes when those overlap what was read by 64 or
/// more; then the whole log once more.
fn read_with_tails(log: &[u8], steps: &[(usize, Option<usize>)], window: usize) -> Vec<u8> {
    let mut cursor = LogCursor::with_window(window);
    let mut out = Vec::new();
    let mut len = 0;
    for &(grow, tail) in steps {
        len = (len + grow).min(log.len());
        let body = match tail {
            Some(t) if len >= t && len - t + 64 <= out.len() => &log[len - t..len],
            _ => &log[..len],
        };
        out.extend(cursor.accept(LogHeaders::NONE, body).unwrap());
    }
    out.extend(cursor.accept(LogHeaders::NONE, log).unwrap());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_split_into_growing_whole_logs_yields_the_log(
        log in proptest::collection::vec(any::<u8>(), 0..3000),
        ends in proptest::collection::vec(any::<usize>(), 0..12),
        sizes in proptest::collection::vec(1usize..700, 1..6),
        breaks in proptest::collection::vec(proptest::option::weighted(0.3, any::<usize>()), 0..12),
    ) {
        prop_assert_eq!(diff_mode_run(&log, &ends, &sizes, &breaks), log);
    }

    /// Offset mode: the raw log is longer than the body (console notes are stripped), so the
    /// server's offsets never equal body byte counts. Headers are sometimes lost.
    #[test]
    fn any_split_with_offsets_yields_the_log(
        log in proptest::collection::vec(any::<u8>(), 0..3000),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        notes in proptest::collection::vec(0u64..50, 13),
        sizes in proptest::collection::vec(1usize..700, 1..6),
        breaks in proptest::collection::vec(proptest::option::weighted(0.3, any::<usize>()), 13),
        lost_headers in proptest::collection::vec(proptest::bool::weighted(0.2), 13),
    ) {
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (log.len() + 1)).collect();
        bounds.push(0);
        bounds.push(log.len());
        bounds.sort_unstable();
        bounds.dedup();
        // raw[i] is the raw offset of body byte bounds[i].
        let mut raw = Vec::new();
        let mut extra = 0;
        for (i, b) in bounds.iter().enumerate() {
            extra += if i == 0 { 0 } else { notes[i % notes.len()] };
            raw.push(*b as u64 + extra);
        }
        let mut cursor = LogCursor::with_window(512);
        let mut out = Vec::new();
        let mut step = 0;
        let mut guard = 0;
        loop {
            guard += 1;
            prop_assert!(guard < 200, "the cursor did not make progress");
            let from = raw.iter().position(|r| *r == cursor.start()).or(if cursor.start() == 0 { Some(0) } else { None });
            let from = from.expect("the cursor asks only for offsets the server gave");
            let to = (from + 1).min(bounds.len() - 1);
            let last = to == bounds.len() - 1;
            let body = &log[bounds[from]..bounds[to]];
            let headers = if lost_headers[step % lost_headers.len()] {
                LogHeaders::NONE
            } else {
                LogHeaders { text_size: Some(raw[to]), more_data: (!last).then_some(true) }
            };
            cursor.begin(headers);
            match breaks[step % breaks.len()] {
                Some(cut) if !body.is_empty() => {
                    feed_in_pieces(&mut cursor, &body[..cut % body.len()], &sizes, &mut out);
                    cursor.interrupted();
                }
                _ => {
                    feed_in_pieces(&mut cursor, body, &sizes, &mut out);
                    out.extend(cursor.finish().unwrap());
                    if last && cursor.more() == Some(false) {
                        break;
                    }
                }
            }
            step += 1;
        }
        prop_assert_eq!(out, log);
    }

    /// Answers that are sometimes only the end of the log (like Jenkins without `start`):
    /// when every tail overlaps what was read, the result is the log exactly.
    #[test]
    fn tails_that_overlap_what_was_read_yield_the_log(
        lines in proptest::collection::vec((0u8..60, any::<u8>()), 1..80),
        steps in proptest::collection::vec((0usize..400, proptest::option::weighted(0.5, 64usize..600)), 0..15),
    ) {
        let log = numbered_log(&lines);
        prop_assert_eq!(read_with_tails(&log, &steps, 1024), log);
    }

    /// Tails that overlap what was read by more than the cursor keeps are aligned too:
    /// the kept bytes are found in the tail, and the log comes out exactly.
    #[test]
    fn tails_longer_than_the_kept_bytes_yield_the_log(
        lines in proptest::collection::vec((0u8..60, any::<u8>()), 1..80),
        steps in proptest::collection::vec((0usize..400, proptest::option::weighted(0.5, 64usize..190)), 0..15),
    ) {
        let log = numbered_log(&lines);
        prop_assert_eq!(read_with_tails(&log, &steps, 96), log);
    }

    /// Whatever the server sends, the cursor never hands on a byte that is not the next byte
    /// of the log: it may fail, never duplicate or invent.
    #[test]
    fn arbitrary_tails_never_repeat_bytes(
        lines in proptest::collection::vec((0u8..60, any::<u8>()), 1..80),
        first in any::<usize>(),
        windows in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..15),
        window in prop_oneof![Just(64usize), Just(96), Just(1024)],
    ) {
        let log = numbered_log(&lines);
        let mut cursor = LogCursor::with_window(window);
        // Without offsets, the first answer's start is taken on trust, and later answers are
        // checked against what was delivered: that check needs some bytes to compare.
        prop_assume!(log.len() > 64);
        let first = 64 + first % (log.len() - 63);
        let mut out = cursor.accept(LogHeaders::NONE, &log[..first]).unwrap();
        for (a, b) in windows {
            let (a, b) = (a % (log.len() + 1), b % (log.len() + 1));
            let (from, to) = (a.min(b), a.max(b));
            if let Ok(new) = cursor.accept(LogHeaders::NONE, &log[from..to]) {
                out.extend(new);
            }
            prop_assert!(log.starts_with(&out), "delivered bytes are not a prefix of the log");
        }
    }
}

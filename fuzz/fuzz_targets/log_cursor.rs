//! The log cursor fed arbitrary responses in arbitrary chunkings: never panics, and how a body
//! is cut into chunks never changes what is delivered (chunk by chunk vs. the whole body at
//! once, response after response); broken connections are fed too.
//! Run: `cargo +nightly fuzz run log_cursor -- -max_total_time=600`
#![no_main]

use arbitrary::Arbitrary;
use ksdevops::log::{LogCursor, LogHeaders};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Response {
    text_size: Option<u32>,
    more_data: Option<bool>,
    body: Vec<u8>,
    /// Chunk lengths (cycled; 0 means 1) the body is fed in.
    cuts: Vec<u8>,
    /// The connection breaks after this many chunks (the rest of the body is not sent).
    broken_after: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Session {
    window: u16,
    responses: Vec<Response>,
}

fn chunks<'a>(body: &'a [u8], cuts: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < body.len() {
        let len = cuts.get(i % cuts.len().max(1)).map_or(body.len(), |&c| usize::from(c.max(1)));
        let end = (at + len).min(body.len());
        out.push(&body[at..end]);
        at = end;
        i += 1;
    }
    out
}

fuzz_target!(|s: Session| {
    let window = usize::from(s.window).max(64);
    let mut chunked = LogCursor::with_window(window);
    let mut whole = LogCursor::with_window(window);
    let mut comparable = true;
    for r in s.responses.iter().take(16) {
        let headers = LogHeaders {
            text_size: r.text_size.map(u64::from),
            more_data: r.more_data,
        };
        let pieces = chunks(&r.body, &r.cuts);
        let sent = r.broken_after.map_or(pieces.len(), |n| usize::from(n).min(pieces.len()));
        let broken = sent < pieces.len();

        chunked.begin(headers);
        let mut got: Result<Vec<u8>, ksdevops::ErrorKind> = Ok(Vec::new());
        for piece in &pieces[..sent] {
            match chunked.feed(piece) {
                Ok(new) => {
                    if let Ok(g) = got.as_mut() {
                        g.extend_from_slice(new)
                    }
                }
                Err(e) => {
                    got = Err(e.kind());
                    break;
                }
            }
        }
        if broken {
            chunked.interrupted();
        } else if let Ok(g) = got.as_mut() {
            match chunked.finish() {
                Ok(rest) => g.extend_from_slice(&rest),
                Err(e) => got = Err(e.kind()),
            }
        }

        // The same bytes given to the other cursor in one piece.
        let sent_bytes: Vec<u8> = pieces[..sent].concat();
        let expected = if broken {
            whole.begin(headers);
            let r = whole.feed(&sent_bytes).map(<[u8]>::to_vec).map_err(|e| e.kind());
            whole.interrupted();
            r
        } else {
            whole.accept(headers, &sent_bytes).map_err(|e| e.kind())
        };
        if comparable && !broken {
            assert_eq!(got, expected, "chunking changed the delivered bytes");
            assert_eq!(chunked.delivered(), whole.delivered());
            assert_eq!(chunked.start(), whole.start());
        }
        // After a broken connection (or an error) the bytes held back for alignment may differ
        // by cut, so the two cursors are only checked for not panicking from then on.
        comparable &= !broken && got.is_ok();
    }
});

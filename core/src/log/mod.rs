//! Following a progressive log: turns repeated log responses into exactly the new bytes.
//!
//! Jenkins serves a log from a byte offset `start`. When the server forwards `X-Text-Size`
//! (the offset the body ends at) the cursor asks for the next piece from there ("offset
//! mode"). Run logs behind ks-devops 4.x arrive without those headers; the cursor then keeps
//! asking from the same offset and hands on only what lies past the bytes already delivered
//! ("diff mode"). Offsets cannot be computed from the bytes received, because Jenkins counts
//! raw log bytes while the body has console notes stripped.
//!
//! The cursor is sans-I/O: for each response call [`LogCursor::begin`], then
//! [`LogCursor::feed`] with each body chunk as it arrives, then [`LogCursor::finish`] (or
//! [`LogCursor::interrupted`] if the connection broke). Bytes are delivered as soon as they
//! are known to be new, so a 200 MB log streams through in constant memory.
//!
//! Guarantees:
//! - a broken connection loses nothing and repeats nothing: the next response from the same
//!   `start` skips what was delivered;
//! - a complete response shorter than what was delivered (a server answering with the last
//!   150 KB, a lagging replica) is aligned against the most recent delivered bytes and only
//!   its new end is delivered;
//! - before skipping, the bytes a response repeats are compared with the delivered ones
//!   (the most recent of them, at most [`KEPT_BYTES`]); a response that matches nothing
//!   delivered is an error, not a silent duplication.
//!
//! Memory: a cursor keeps at most [`KEPT_BYTES`] of the delivered bytes, whatever the log's
//! size, so following many logs at once costs little per log. A response is held in memory
//! only while it may need aligning: a repeated answer up to where it meets the delivered
//! bytes, a tail up to twice the window. A log read in one pass streams through.
//!
//! Limits: without offsets the first response is taken to start the log, and the checks are
//! only as strong as the bytes they compare (the kept ones): a log made of one repeated line
//! can align in several places (the longest overlap wins, so at worst a repeated line is
//! missed, never doubled), and a tail whose overlap with the delivered bytes is under 64
//! bytes is not used.

mod headers;
mod recent;
mod utf8;

pub use headers::{more_data_means_more, LogHeaders};
pub use utf8::Utf8Chunks;

use crate::error::{Error, ErrorKind, Result};
use recent::Recent;

/// How long a response may be held to align it (twice this): above Jenkins' 150 KB tail.
pub const DEFAULT_WINDOW: usize = 512 * 1024;

/// The most delivered bytes a cursor keeps to compare later responses with: the bytes a
/// repeated answer must match, and the end a tail is aligned on.
pub const KEPT_BYTES: usize = 16 * 1024;

/// A tail response is aligned only on an overlap at least this long (or on the whole
/// response), so a short coincidental match never causes bytes to be delivered twice.
const MIN_TAIL_OVERLAP: usize = 64;

/// See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct LogCursor {
    /// The `start` to request: a raw-log offset given by the server.
    base: u64,
    /// How many body bytes, counted from `base`, have been delivered.
    consumed: u64,
    delivered: u64,
    more: Option<bool>,
    recent: Recent,
    window: usize,
    response: Option<InFlight>,
}

#[derive(Debug, Clone)]
struct InFlight {
    headers: LogHeaders,
    /// The server ignored `start` (its end offset lies before it): ignore the body.
    ignore: bool,
    /// Body bytes seen so far.
    pos: u64,
    /// Bytes at positions `check_from..consumed` are compared with `recent`.
    check_from: u64,
    phase: Phase,
    /// The body from its first byte, while it may still need aligning (bounded).
    head: Vec<u8>,
    head_complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Still within what was delivered; every byte checked so far matched.
    Verifying,
    /// Past what was delivered: bytes go straight out.
    Streaming,
    /// The body does not line up with `start`: buffered, aligned at the end.
    Misaligned,
}

impl Default for LogCursor {
    fn default() -> Self {
        Self::new()
    }
}

impl LogCursor {
    pub fn new() -> Self {
        Self::with_window(DEFAULT_WINDOW)
    }

    /// A cursor that aligns tail responses up to twice `window` long, and keeps `window`
    /// recent bytes to compare with (at least [`MIN_TAIL_OVERLAP`], at most [`KEPT_BYTES`]).
    pub fn with_window(window: usize) -> Self {
        let window = window.max(MIN_TAIL_OVERLAP);
        LogCursor {
            base: 0,
            consumed: 0,
            delivered: 0,
            more: None,
            recent: Recent::new(window.min(KEPT_BYTES)),
            window,
            response: None,
        }
    }

    /// The `start` query value for the next request.
    pub fn start(&self) -> u64 {
        self.base
    }

    /// Total bytes delivered so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// What the last complete response said: `Some(true)` while the server says the log
    /// grows, `Some(false)` once it says it is complete, `None` when it does not say (no
    /// headers; the caller decides from the run's state).
    pub fn more(&self) -> Option<bool> {
        self.more
    }

    /// Starts reading a response to a request made with `start = self.start()`.
    /// A response still in flight is treated as interrupted.
    pub fn begin(&mut self, headers: LogHeaders) {
        let held = self.recent.as_slice().len() as u64;
        self.response = Some(InFlight {
            headers,
            ignore: headers.text_size.is_some_and(|end| end < self.base),
            pos: 0,
            check_from: self.consumed - held.min(self.consumed),
            phase: Phase::Verifying,
            head: Vec::new(),
            head_complete: true,
        });
    }

    /// The part of `chunk` that is new, to hand on now. Empty while the body repeats what
    /// was delivered, or while it is being held for alignment.
    pub fn feed<'c>(&mut self, chunk: &'c [u8]) -> Result<&'c [u8]> {
        let head_limit = 2 * self.window;
        let consumed = self.consumed;
        let Some(flight) = self.response.as_mut() else {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "log cursor: feed called before begin",
            ));
        };
        let at = flight.pos;
        flight.pos += chunk.len() as u64;
        if flight.ignore {
            return Ok(&[]);
        }
        match flight.phase {
            Phase::Streaming => {
                self.deliver(chunk);
                Ok(chunk)
            }
            Phase::Misaligned => {
                if flight.head.len() + chunk.len() > head_limit {
                    let sent = flight.pos;
                    self.response = None;
                    return Err(misaligned_error(sent, self.delivered));
                }
                flight.head.extend_from_slice(chunk);
                Ok(&[])
            }
            Phase::Verifying => {
                let end = at + chunk.len() as u64;
                let lo = at.max(flight.check_from);
                let hi = end.min(consumed);
                let fits = flight.head_complete && flight.head.len() + chunk.len() <= head_limit;
                if lo < hi {
                    let seen = &chunk[(lo - at) as usize..(hi - at) as usize];
                    // `recent` ends at position `consumed`; it may reach back before `start`.
                    let recent = self.recent.as_slice();
                    let from = recent.len() - (consumed - lo) as usize;
                    let expected = &recent[from..from + seen.len()];
                    if seen != expected {
                        if !fits {
                            let sent = flight.pos;
                            self.response = None;
                            return Err(misaligned_error(sent, self.delivered));
                        }
                        flight.head.extend_from_slice(chunk);
                        flight.phase = Phase::Misaligned;
                        return Ok(&[]);
                    }
                }
                if end > consumed {
                    // It continues the delivered bytes: nothing to hold any more.
                    flight.phase = Phase::Streaming;
                    flight.head = Vec::new();
                    let new = &chunk[(consumed - at) as usize..];
                    self.deliver(new);
                    return Ok(new);
                }
                if fits {
                    flight.head.extend_from_slice(chunk);
                } else {
                    flight.head = Vec::new();
                    flight.head_complete = false;
                }
                Ok(&[])
            }
        }
    }

    /// As [`LogCursor::feed`], for a chunk the caller owns: the new part comes back in the
    /// same allocation (the new part of a chunk is always its end), with no copy when the
    /// whole chunk is new.
    pub fn feed_owned(&mut self, mut chunk: Vec<u8>) -> Result<Vec<u8>> {
        let new = self.feed(&chunk)?.len();
        chunk.drain(..chunk.len() - new);
        Ok(chunk)
    }

    /// The body ended normally. Returns bytes that could only be placed once the whole body
    /// was known (a tail response), usually none.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        let Some(flight) = self.response.take() else {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "log cursor: finish called before begin",
            ));
        };
        if flight.ignore {
            return Ok(Vec::new());
        }
        let reached_end = match flight.phase {
            Phase::Streaming => true,
            Phase::Verifying if flight.pos == self.consumed => true,
            Phase::Verifying if !flight.head_complete => false,
            Phase::Verifying | Phase::Misaligned => {
                let body = flight.head;
                let overlap = self.recent.overlap(&body);
                if overlap == body.len() || overlap >= MIN_TAIL_OVERLAP {
                    let new = body[overlap..].to_vec();
                    self.deliver(&new);
                    self.finish_at(flight.headers);
                    return Ok(new);
                }
                if flight.phase == Phase::Misaligned {
                    return Err(misaligned_error(flight.pos, self.delivered));
                }
                // Shorter than what was delivered and consistent with it: a stale copy.
                false
            }
        };
        if reached_end {
            self.finish_at(flight.headers);
        }
        Ok(Vec::new())
    }

    /// The connection broke mid-body: what was delivered stays delivered, and the next
    /// response (from the same `start`) continues after it.
    pub fn interrupted(&mut self) {
        self.response = None;
    }

    /// Reads a whole response at once: `begin`, `feed`, `finish`.
    pub fn accept(&mut self, headers: LogHeaders, body: &[u8]) -> Result<Vec<u8>> {
        self.begin(headers);
        let mut out = self.feed(body)?.to_vec();
        out.extend(self.finish()?);
        Ok(out)
    }

    fn deliver(&mut self, bytes: &[u8]) {
        self.recent.push(bytes);
        self.consumed += bytes.len() as u64;
        self.delivered += bytes.len() as u64;
    }

    /// The body was read to its end: move to the server's end offset when it gave one.
    fn finish_at(&mut self, headers: LogHeaders) {
        if let Some(end) = headers.text_size {
            self.base = end;
            self.consumed = 0;
        }
        self.more = match (headers.more_data, headers.text_size) {
            (Some(more), _) => Some(more),
            // Jenkins omits X-More-Data once the log is complete.
            (None, Some(_)) => Some(false),
            (None, None) => None,
        };
    }
}

fn misaligned_error(sent: u64, delivered: u64) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!(
            "the server's log ({sent} bytes in this response) does not continue the {delivered} \
             bytes read so far: the log was rewritten or the server skipped part of it"
        ),
    )
}

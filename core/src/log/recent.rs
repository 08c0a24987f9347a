//! The last bytes handed to the caller, kept to recognise them in later responses.

/// Holds at most `kept` of the most recent bytes, contiguous in memory. The buffer grows
/// with what was delivered, up to twice `kept`.
#[derive(Debug, Clone)]
pub(super) struct Recent {
    buf: Vec<u8>,
    kept: usize,
    /// How many bytes were ever pushed.
    total: u64,
}

impl Recent {
    pub(super) fn new(kept: usize) -> Self {
        Recent {
            buf: Vec::new(),
            kept,
            total: 0,
        }
    }

    pub(super) fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if bytes.len() >= self.kept {
            self.buf.clear();
            self.buf
                .extend_from_slice(&bytes[bytes.len() - self.kept..]);
            return;
        }
        // Compact to `kept` before the buffer would pass twice that: each byte is moved at
        // most once, and the capacity stays at twice `kept`.
        if self.buf.len() + bytes.len() > 2 * self.kept {
            let excess = self.buf.len().saturating_sub(self.kept);
            self.buf.drain(..excess);
        }
        self.buf.extend_from_slice(bytes);
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        let keep = self.buf.len().min(self.kept);
        &self.buf[self.buf.len() - keep..]
    }

    /// The length of the longest prefix of `body` that the delivered stream ends with, as
    /// far as the held bytes can tell: an overlap within them is compared byte for byte; a
    /// longer one is recognised by all the held bytes appearing in `body` (the latest such
    /// place wins, so a repeated stretch is at worst skipped, never delivered twice).
    pub(super) fn overlap(&self, body: &[u8]) -> usize {
        let held = self.as_slice();
        let within = longest_prefix_that_ends(held, body);
        let bytes_before_held = self.total > held.len() as u64;
        if !bytes_before_held || held.is_empty() || body.len() <= held.len() {
            return within;
        }
        last_match_end(body, held).map_or(within, |end| end.max(within))
    }
}

/// The length of the longest prefix of `pattern` that is also a suffix of `text`
/// (Knuth–Morris–Pratt, linear in both lengths).
fn longest_prefix_that_ends(text: &[u8], pattern: &[u8]) -> usize {
    let pattern = &pattern[..pattern.len().min(text.len())];
    if pattern.is_empty() {
        return 0;
    }
    let border = borders(pattern);
    let mut matched = 0;
    for &byte in text {
        if matched == pattern.len() {
            matched = border[matched - 1];
        }
        matched = step(pattern, &border, matched, byte);
    }
    matched
}

/// Where the last occurrence of `pattern` in `text` ends (Knuth–Morris–Pratt).
fn last_match_end(text: &[u8], pattern: &[u8]) -> Option<usize> {
    if pattern.is_empty() || pattern.len() > text.len() {
        return None;
    }
    let border = borders(pattern);
    let mut matched = 0;
    let mut last = None;
    for (i, &byte) in text.iter().enumerate() {
        matched = step(pattern, &border, matched, byte);
        if matched == pattern.len() {
            last = Some(i + 1);
            matched = border[matched - 1];
        }
    }
    last
}

/// For each prefix of `pattern`, the length of its longest proper border.
fn borders(pattern: &[u8]) -> Vec<usize> {
    let mut border = vec![0usize; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        k = step(pattern, &border, k, pattern[i]);
        border[i] = k;
    }
    border
}

/// How much of `pattern` is matched after `byte`, with `matched` bytes matched before it
/// (`matched` is less than the pattern's length).
fn step(pattern: &[u8], border: &[usize], mut matched: usize, byte: u8) -> usize {
    while matched > 0 && byte != pattern[matched] {
        matched = border[matched - 1];
    }
    if byte == pattern[matched] {
        matched += 1;
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_keeps_only_the_window() {
        let mut r = Recent::new(4);
        r.push(b"abc");
        assert_eq!(r.as_slice(), b"abc");
        r.push(b"defgh");
        assert_eq!(r.as_slice(), b"efgh");
        for b in b"ijklmnop" {
            r.push(&[*b]);
        }
        assert_eq!(r.as_slice(), b"mnop");
    }

    #[test]
    fn recent_never_holds_more_than_twice_the_window() {
        let mut r = Recent::new(1024);
        for i in 0..10_000u32 {
            r.push(&i.to_le_bytes()[..1 + (i % 4) as usize]);
            assert!(r.buf.len() <= 2048, "{} bytes held", r.buf.len());
        }
        assert!(r.buf.capacity() <= 2048, "capacity {}", r.buf.capacity());
        assert_eq!(r.as_slice().len(), 1024);
    }

    #[test]
    fn an_overlap_longer_than_the_held_bytes_is_found_by_them() {
        let mut r = Recent::new(8);
        r.push(b"0123456789abcdef");
        assert_eq!(r.as_slice(), b"89abcdef");
        assert_eq!(r.overlap(b"456789abcdefXYZ"), 12);
        // The latest place wins: a stretch seen twice is skipped, never delivered twice.
        assert_eq!(r.overlap(b"89abcdef89abcdefXY"), 16);
        assert_eq!(
            r.overlap(b"cdefXYZ"),
            4,
            "a short overlap is compared byte for byte"
        );
        assert_eq!(r.overlap(b"no such bytes here"), 0);
    }

    #[test]
    fn bytes_before_the_whole_stream_are_no_overlap() {
        let mut r = Recent::new(8);
        r.push(b"abcd");
        assert_eq!(
            r.overlap(b"zzabcdX"),
            0,
            "the stream has no bytes before `abcd`"
        );
        assert_eq!(r.overlap(b"cdX"), 2);
    }

    #[test]
    fn last_match_end_finds_the_last_occurrence() {
        assert_eq!(last_match_end(b"abcabcab", b"abc"), Some(6));
        assert_eq!(last_match_end(b"aaaa", b"aa"), Some(4));
        assert_eq!(last_match_end(b"xyz", b"abc"), None);
        assert_eq!(last_match_end(b"ab", b"abc"), None);
    }

    #[test]
    fn longest_prefix_that_ends_finds_the_overlap() {
        assert_eq!(longest_prefix_that_ends(b"hello wor", b"world"), 3);
        assert_eq!(longest_prefix_that_ends(b"abcabc", b"abcabcx"), 6);
        assert_eq!(longest_prefix_that_ends(b"aaaa", b"aab"), 2);
        assert_eq!(longest_prefix_that_ends(b"xyz", b"abc"), 0);
        assert_eq!(longest_prefix_that_ends(b"", b"abc"), 0);
        assert_eq!(longest_prefix_that_ends(b"abab", b"ab"), 2);
    }
}

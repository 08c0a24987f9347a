//! The last bytes handed to the caller, kept to recognise them in later responses.

/// Holds at most `window` of the most recent bytes, contiguous in memory.
#[derive(Debug, Clone)]
pub(super) struct Recent {
    buf: Vec<u8>,
    window: usize,
}

impl Recent {
    pub(super) fn new(window: usize) -> Self {
        Recent {
            buf: Vec::new(),
            window,
        }
    }

    pub(super) fn push(&mut self, bytes: &[u8]) {
        if bytes.len() >= self.window {
            self.buf.clear();
            self.buf
                .extend_from_slice(&bytes[bytes.len() - self.window..]);
            return;
        }
        // Compact to the window before the buffer would pass twice the window: each byte is
        // moved at most once, and the buffer's capacity stays at twice the window (growing
        // past it doubled the memory of every followed log).
        if self.buf.len() + bytes.len() > 2 * self.window {
            let excess = self.buf.len().saturating_sub(self.window);
            self.buf.drain(..excess);
        }
        self.buf.extend_from_slice(bytes);
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        let keep = self.buf.len().min(self.window);
        &self.buf[self.buf.len() - keep..]
    }
}

/// The length of the longest prefix of `pattern` that is also a suffix of `text`
/// (Knuth–Morris–Pratt, linear in both lengths).
pub(super) fn longest_prefix_that_ends(text: &[u8], pattern: &[u8]) -> usize {
    let pattern = &pattern[..pattern.len().min(text.len())];
    if pattern.is_empty() {
        return 0;
    }
    let mut border = vec![0usize; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        while k > 0 && pattern[i] != pattern[k] {
            k = border[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        border[i] = k;
    }
    let mut matched = 0;
    for &byte in text {
        if matched == pattern.len() {
            matched = border[matched - 1];
        }
        while matched > 0 && byte != pattern[matched] {
            matched = border[matched - 1];
        }
        if byte == pattern[matched] {
            matched += 1;
        }
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
    fn longest_prefix_that_ends_finds_the_overlap() {
        assert_eq!(longest_prefix_that_ends(b"hello wor", b"world"), 3);
        assert_eq!(longest_prefix_that_ends(b"abcabc", b"abcabcx"), 6);
        assert_eq!(longest_prefix_that_ends(b"aaaa", b"aab"), 2);
        assert_eq!(longest_prefix_that_ends(b"xyz", b"abc"), 0);
        assert_eq!(longest_prefix_that_ends(b"", b"abc"), 0);
        assert_eq!(longest_prefix_that_ends(b"abab", b"ab"), 2);
    }
}

//! Groovy decodes `\uXXXX` escapes in the whole source before lexing (Antlr2's
//! `UnicodeEscapingReader`), comments included.

use std::borrow::Cow;

/// A `\u` escape that is not followed by four hex digits (Groovy: compile error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadUnicodeEscape {
    /// Byte offset of the backslash in the original text.
    pub offset: usize,
}

/// The decoded source, and whether an escape decoded to a line break (which shifts Groovy's
/// line numbers away from the raw text the converter later slices).
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The first escape that decodes to `\n` or `\r`: its offset in the original text.
    pub line_break_escape: Option<usize>,
    /// Where that line break is in the decoded text.
    pub line_break_decoded: Option<usize>,
}

/// Decodes every `\uXXXX` (also `\uuuuXXXX`) whose backslash is not itself escaped.
pub fn decode_unicode_escapes(src: &str) -> Result<Decoded<'_>, BadUnicodeEscape> {
    let bytes = src.as_bytes();
    if !memchr::memchr_iter(b'\\', bytes).any(|i| bytes.get(i + 1) == Some(&b'u')) {
        return Ok(Decoded {
            text: Cow::Borrowed(src),
            line_break_escape: None,
            line_break_decoded: None,
        });
    }
    let mut out = String::with_capacity(src.len());
    let mut line_break_escape = None;
    let mut line_break_decoded = None;
    let mut i = 0;
    let mut copied_to = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        // Count the run of backslashes; only an odd one before `u` starts an escape.
        let run_start = i;
        while i < bytes.len() && bytes[i] == b'\\' {
            i += 1;
        }
        let run = i - run_start;
        if run % 2 == 0 || i >= bytes.len() || bytes[i] != b'u' {
            continue;
        }
        let backslash = i - 1;
        let mut j = i;
        while j < bytes.len() && bytes[j] == b'u' {
            j += 1;
        }
        let hex = bytes
            .get(j..j + 4)
            .and_then(|h| std::str::from_utf8(h).ok());
        let code = hex
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or(BadUnicodeEscape { offset: backslash })?;
        // Surrogate halves cannot be represented in a Rust string: keep them as U+FFFD.
        let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
        out.push_str(&src[copied_to..backslash]);
        if (ch == '\n' || ch == '\r') && line_break_escape.is_none() {
            line_break_escape = Some(backslash);
            line_break_decoded = Some(out.len());
        }
        out.push(ch);
        i = j + 4;
        copied_to = i;
    }
    out.push_str(&src[copied_to..]);
    Ok(Decoded {
        text: Cow::Owned(out),
        line_break_escape,
        line_break_decoded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_but_not_escaped_backslashes() {
        let d = decode_unicode_escapes(r"a\u0041 '\\u0041' \uuu0042").unwrap();
        assert_eq!(d.text, r"aA '\\u0041' B");
        assert!(d.line_break_escape.is_none());
    }

    #[test]
    fn bad_escape_is_an_error() {
        assert_eq!(
            decode_unicode_escapes(r"// \uZZZZ").err(),
            Some(BadUnicodeEscape { offset: 3 })
        );
    }

    #[test]
    fn newline_escape_is_flagged() {
        let d = decode_unicode_escapes(r"// x \u000a y").unwrap();
        assert_eq!(d.text, "// x \n y");
        assert_eq!(d.line_break_escape, Some(5));
        assert_eq!(d.line_break_decoded, Some(5));
        let d = decode_unicode_escapes(r"\u0041\u0042 \u000d").unwrap();
        assert_eq!(
            (d.line_break_escape, d.line_break_decoded),
            (Some(13), Some(3))
        );
    }
}

//! The progressive-log response headers (`X-Text-Size`, `X-More-Data`).

/// What a log response said about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogHeaders {
    /// `X-Text-Size`: the raw-log offset this body ends at, to send as the next `start`.
    pub text_size: Option<u64>,
    /// `X-More-Data`: whether the log is still growing. `None` when the header is absent.
    pub more_data: Option<bool>,
}

impl LogHeaders {
    /// No headers: a run log behind ks-devops 4.x, or any server that strips them.
    pub const NONE: LogHeaders = LogHeaders {
        text_size: None,
        more_data: None,
    };

    /// Reads the two headers from `(name, value)` pairs, names compared case-insensitively.
    /// An `X-Text-Size` that is not a decimal byte count is treated as absent: the cursor then
    /// falls back to comparing bodies, which is always safe.
    pub fn from_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut parsed = LogHeaders::NONE;
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("x-text-size") {
                parsed.text_size = value.trim().parse().ok();
            } else if name.eq_ignore_ascii_case("x-more-data") {
                parsed.more_data = Some(more_data_means_more(value));
            }
        }
        parsed
    }
}

/// Only the value `true` (ASCII case-insensitive, surrounding spaces ignored) means more data.
/// `false`, an empty value or anything else means the log is complete: Jenkins omits the
/// header when done, its docs show `false`, and clients that test mere presence treat
/// `false` as "more" and poll forever.
pub fn more_data_means_more(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_true_means_more() {
        for yes in ["true", "TRUE", " True "] {
            assert!(more_data_means_more(yes), "{yes:?}");
        }
        for no in ["false", "", "1", "yes", "truee", "t"] {
            assert!(!more_data_means_more(no), "{no:?}");
        }
    }

    #[test]
    fn headers_are_found_whatever_their_case() {
        let h = LogHeaders::from_headers([
            ("x-text-size", "1200"),
            ("X-MORE-DATA", "false"),
            ("X-Other", "1"),
        ]);
        assert_eq!(
            h,
            LogHeaders {
                text_size: Some(1200),
                more_data: Some(false)
            }
        );
    }

    #[test]
    fn a_garbled_text_size_reads_as_absent() {
        let h = LogHeaders::from_headers([("X-Text-Size", "12kb")]);
        assert_eq!(h.text_size, None);
    }
}

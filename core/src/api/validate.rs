//! Checks on names and ids before they go into a path, with errors naming field and value.

use crate::error::{Error, Result};

/// A Kubernetes DNS-1123 label: namespaces (DevOps projects), workspaces, clusters.
pub(crate) fn dns_label<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    if is_dns_label(value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{value:?} is not a valid name: use at most 63 lowercase letters, digits and '-', \
                 starting and ending with a letter or digit"
            ),
        ))
    }
}

/// A Kubernetes DNS-1123 subdomain: object names (pipelines, credentials, PipelineRuns).
pub(crate) fn dns_subdomain<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    if is_dns_subdomain(value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{value:?} is not a valid name: use at most 253 lowercase letters, digits, '-' \
                 and '.', starting and ending with a letter or digit"
            ),
        ))
    }
}

/// Whether `value` is a Kubernetes DNS-1123 subdomain, the form of object names (pipelines,
/// credentials, PipelineRuns): at most 253 characters, dot-separated DNS-1123 labels.
pub fn is_dns_subdomain(value: &str) -> bool {
    value.len() <= 253 && value.split('.').all(is_dns_label)
}

/// Whether `value` is a Kubernetes DNS-1123 label, the form of namespace (DevOps project),
/// workspace and cluster names: 1 to 63 lowercase letters, digits and '-', starting and
/// ending with a letter or digit.
pub fn is_dns_label(value: &str) -> bool {
    let bytes = value.as_bytes();
    let edge_ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes.first().is_some_and(edge_ok)
        && bytes.last().is_some_and(edge_ok)
        && bytes.iter().all(|b| edge_ok(b) || *b == b'-')
}

/// A Service port as the Kubernetes proxy names it: a number (1 to 65535) or a port name (at
/// most 15 lowercase letters, digits and '-', with at least one letter, no '-' at either end
/// and no "--").
pub(crate) fn port<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let number =
        value.bytes().all(|b| b.is_ascii_digit()) && value.parse::<u16>().is_ok_and(|n| n > 0);
    let name = value.len() <= 15
        && is_dns_label(value)
        && value.bytes().any(|b| b.is_ascii_lowercase())
        && !value.contains("--");
    if number || name {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{value:?} is not a valid port: expected a number from 1 to 65535 or a port \
                 name of at most 15 lowercase letters, digits and '-'"
            ),
        ))
    }
}

/// A Jenkins build number or flow node id: decimal digits.
pub(crate) fn digits<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    if !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!("{value:?} is not a valid id: expected decimal digits"),
        ))
    }
}

/// Free text that must be present and printable (branch names, input ids, filenames).
pub(crate) fn non_empty<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    if value.trim().is_empty() {
        Err(Error::invalid(
            field,
            format!("{value:?} must not be empty"),
        ))
    } else if value.chars().any(char::is_control) {
        Err(Error::invalid(
            field,
            format!("{value:?} must not contain control characters"),
        ))
    } else {
        Ok(value)
    }
}

/// Free text that goes into a URL path (branch names, input ids): [`non_empty`], and no
/// `.` or `..` step, plain or percent-encoded, that a server would normalise away so that
/// the request addressed another resource (`…/branches/..` is the pipeline itself).
pub(crate) fn path_text<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    non_empty(field, value)?;
    if has_dot_segment(value) {
        return Err(Error::invalid(
            field,
            format!(
                "{value:?} is not a valid name: \".\" and \"..\" (also percent-encoded) are path \
                 steps that would address another resource"
            ),
        ));
    }
    Ok(value)
}

/// Whether `value`, or what percent-decoding it (up to three times) gives, has a `/`- or
/// `\\`-separated part that is `.` or `..`.
fn has_dot_segment(value: &str) -> bool {
    let mut text = value.to_owned();
    for _ in 0..4 {
        if text
            .split(['/', '\\'])
            .any(|part| part == "." || part == "..")
        {
            return true;
        }
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == text {
            return false;
        }
        text = decoded;
    }
    false
}

/// `value`, refused when 0 (a page, a limit).
pub(crate) fn positive(field: &str, value: u64) -> Result<u64> {
    if value == 0 {
        Err(Error::invalid(
            field,
            "0 is not allowed: expected 1 or more",
        ))
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_text_refuses_steps_a_server_would_normalise_away() {
        for bad in [
            ".",
            "..",
            "%2e%2e",
            "%2E.",
            "%252e%252e",
            "a/../b",
            "..\\x",
            "x/.",
            "%2e",
        ] {
            let err = path_text("branch", bad).unwrap_err();
            assert_eq!(err.field(), Some("branch"), "{bad}");
            assert!(err.message().contains(&format!("{bad:?}")), "{err}");
        }
        for good in [
            "main",
            "feature/login",
            "feat%2Fx",
            "v1.0",
            "...",
            "a..b",
            ".hidden",
        ] {
            assert_eq!(path_text("branch", good).unwrap(), good);
        }
        assert!(path_text("branch", " ").is_err());
    }

    #[test]
    fn labels() {
        assert!(dns_label("devops", "my-project1").is_ok());
        for bad in ["", "-a", "a-", "Abc", "a_b", "a.b", &"a".repeat(64)] {
            let err = dns_label("devops", bad).unwrap_err();
            assert_eq!(err.field(), Some("devops"));
            assert!(err.message().contains(&format!("{bad:?}")));
        }
    }

    #[test]
    fn subdomains() {
        assert!(dns_subdomain("pipeline", "a.b-c").is_ok());
        assert!(dns_subdomain("pipeline", "a..b").is_err());
        assert!(dns_subdomain("pipeline", "a/b").is_err());
    }

    #[test]
    fn ports() {
        for good in ["80", "65535", "http", "web-ui", "h2c"] {
            assert_eq!(port("port", good).unwrap(), good);
        }
        for bad in [
            "",
            "0",
            "65536",
            "-1",
            "80:https",
            "http_x",
            "HTTP",
            "a--b",
            "-http",
            &"a".repeat(16),
        ] {
            let err = port("port", bad).unwrap_err();
            assert_eq!(err.field(), Some("port"));
        }
    }

    #[test]
    fn ids() {
        assert!(digits("run_id", "17").is_ok());
        assert!(digits("run_id", "1a").is_err());
        assert!(digits("run_id", "").is_err());
    }
}

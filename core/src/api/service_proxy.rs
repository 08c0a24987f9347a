//! The Kubernetes service proxy (`/api/v1/namespaces/{ns}/services/{svc}:{port}/proxy/…`):
//! an in-cluster service reached through KubeSphere with an administrator's token. KubeSphere
//! authorizes the caller, then forwards with its own credentials: a service that wants
//! credentials of its own in `Authorization` (Jenkins) cannot be reached this way.

use super::encode::encode_segment;
use super::request::{Method, Request, ANY};
use super::scope::Api;
use super::validate;
use crate::error::{Error, Result};

/// An in-cluster Service and the port to reach it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRef<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    /// The port's number (`"80"`) or name (`"http"`).
    pub port: &'a str,
}

impl Api {
    /// `method` on `path` of the service, e.g. `api/v1/query` on a metrics service.
    ///
    /// `path` is relative to the service's root (a leading `/` is allowed) and written in
    /// plain text: each segment is percent-encoded here, and a trailing `/` is kept. Segments
    /// `.` and `..`, empty segments, `?`, `#` and control characters are refused.
    pub fn service_proxy(
        &self,
        method: Method,
        service: &ServiceRef<'_>,
        path: &str,
    ) -> Result<Request> {
        let prefix = format!(
            "{}/namespaces/{}/services/{}:{}/proxy/",
            self.kube_core(),
            validate::dns_label("namespace", service.namespace)?,
            validate::dns_label("service", service.name)?,
            validate::port("port", service.port)?,
        );
        Ok(Request::new(method, prefix + &proxied_path(path)?).accept(ANY))
    }
}

/// The percent-encoded form of a relative path, checked segment by segment.
pub(super) fn proxied_path(path: &str) -> Result<String> {
    let relative = path.strip_prefix('/').unwrap_or(path);
    let refuse = |why: &str| Error::invalid("path", format!("{path:?} {why}"));
    if relative.contains(['?', '#']) {
        return Err(refuse(
            "must not contain '?' or '#': the query is not part of the path",
        ));
    }
    if relative.chars().any(char::is_control) {
        return Err(refuse("must not contain control characters"));
    }
    if relative.is_empty() {
        return Ok(String::new());
    }
    let segments: Vec<&str> = relative.split('/').collect();
    let last = segments.len() - 1;
    let mut encoded = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "" if i == last => {}
            "" => return Err(refuse("must not contain an empty segment ('//')")),
            "." | ".." => return Err(refuse("must not contain '.' or '..' segments")),
            _ => {}
        }
        encoded.push(encode_segment(segment));
    }
    Ok(encoded.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_and_a_trailing_slash_kept() {
        assert_eq!(
            proxied_path("job/a b/api/json").unwrap(),
            "job/a%20b/api/json"
        );
        assert_eq!(proxied_path("/job/x/").unwrap(), "job/x/");
        assert_eq!(proxied_path("").unwrap(), "");
        assert_eq!(proxied_path("/").unwrap(), "");
        assert_eq!(proxied_path("feat%2Fx").unwrap(), "feat%252Fx");
    }

    #[test]
    fn escaping_the_service_is_refused() {
        for bad in [
            "../x", "a/../b", "a//b", "./a", "a?b=1", "a#b", "a\nb", "//",
        ] {
            let err = proxied_path(bad).unwrap_err();
            assert_eq!(err.field(), Some("path"), "{bad:?}");
            assert!(err.message().contains(&format!("{bad:?}")), "{err}");
        }
    }
}

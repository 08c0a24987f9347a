//! What the transports need beyond [`Request::url`]: a checked server URL, and the body
//! with its content type.

use crate::api::{Body, Request};
use crate::error::{Error, Result};

/// Checks that `server` is `http(s)://host[:port][/prefix]` and drops a trailing `/`.
pub(crate) fn server_base(server: &str) -> Result<String> {
    let rest = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#', ' ']) => {
            Ok(server.trim_end_matches('/').to_owned())
        }
        _ => Err(Error::invalid(
            "server",
            format!("{server:?} is not a server URL; expected http://host[:port] or https://host[:port]"),
        )),
    }
}

/// The body bytes and the content type to send them with: the request's own `Content-Type`
/// header if it has one, else the type the body's kind implies.
pub(crate) fn body_and_type(request: &Request) -> Option<(Vec<u8>, Option<&'static str>)> {
    let body = request.body.as_ref()?;
    let implied = match body {
        Body::Json(_) => "application/json",
        Body::Form(_) => "application/x-www-form-urlencoded",
    };
    let missing_type = request.content_type().is_none();
    Some((body.to_bytes(), missing_type.then_some(implied)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Method;
    use serde_json::json;

    #[test]
    fn a_server_url_needs_a_scheme_and_a_host() {
        assert_eq!(
            server_base("http://127.0.0.1:9090/").unwrap(),
            "http://127.0.0.1:9090"
        );
        assert_eq!(
            server_base("https://ks.example/prefix").unwrap(),
            "https://ks.example/prefix"
        );
        for bad in [
            "ks.example:80",
            "http://",
            "https:///x",
            "http://a b",
            "ftp://x",
        ] {
            let err = server_base(bad).unwrap_err();
            assert_eq!(err.field(), Some("server"));
            assert!(err.message().contains(bad), "{}", err.message());
        }
    }

    #[test]
    fn a_body_without_content_type_gets_the_one_its_kind_implies() {
        let mut r = Request::new(Method::Post, "/oauth/token");
        r.body = Some(Body::Form(vec![("grant_type".into(), "password".into())]));
        let (bytes, implied) = body_and_type(&r).unwrap();
        assert_eq!(bytes, b"grant_type=password");
        assert_eq!(implied, Some("application/x-www-form-urlencoded"));
        r.body = Some(Body::Json(json!({"a": 1})));
        assert_eq!(body_and_type(&r).unwrap().1, Some("application/json"));
        r.headers
            .push(("content-type".into(), "application/merge-patch+json".into()));
        assert_eq!(
            body_and_type(&r).unwrap().1,
            None,
            "the request's own header is kept"
        );
        assert!(body_and_type(&Request::new(Method::Get, "/")).is_none());
    }
}

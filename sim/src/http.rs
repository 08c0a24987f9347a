//! Response shapes of the three server layers a request can be answered by: KubeSphere core
//! (Kubernetes Status JSON), ks-devops/go-restful (text/plain errors, 406/415 on media type)
//! and the Jenkins passthrough (HTTP 500 with Jenkins' body).

use crate::store::StoreError;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

pub const JSON: &str = "application/json";
pub const TEXT: &str = "text/plain; charset=utf-8";
pub const HTML: &str = "text/html; charset=utf-8";

pub type Reply = Result<Response, Response>;

pub fn json_body(status: StatusCode, v: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], v.to_string()).into_response()
}

pub fn ok_json(v: &Value) -> Response {
    json_body(StatusCode::OK, v)
}

pub fn ok_text(body: impl Into<String>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, TEXT)], body.into()).into_response()
}

/// Go's `http.Error`: text/plain, the message plus a newline, `&<>` escaped.
pub fn text_error(status: u16, message: &str) -> Response {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [
            (header::CONTENT_TYPE, TEXT),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        format!("{escaped}\n"),
    )
        .into_response()
}

/// A Kubernetes `Status` object, as KubeSphere core and kube-apiserver answer errors.
pub fn k8s_status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Response {
    let mut body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    if let Some(d) = details {
        body["details"] = d;
    }
    json_body(
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        &body,
    )
}

pub fn k8s_store_error(e: &StoreError) -> Response {
    let details = match e {
        StoreError::NotFound { resource, name } | StoreError::AlreadyExists { resource, name } => {
            let (kind, group) = resource.split_once('.').unwrap_or((resource, ""));
            Some(json!({"name": name, "group": group, "kind": kind}))
        }
        _ => None,
    };
    k8s_status(e.k8s_code(), e.reason(), &e.message(), details)
}

/// ks-devops pipeline/credential/project handlers (`errorHandle`): NotFound ⇒ 404, anything
/// else ⇒ 400.
pub fn devops_error(e: &StoreError) -> Response {
    let code = match e {
        StoreError::NotFound { .. } => 404,
        StoreError::Internal(_) => 500,
        _ => 400,
    };
    text_error(code, &e.message())
}

/// ks-devops pipelinerun/branch handlers (`HandleError`): the Kubernetes code, else 500.
pub fn run_error(e: &StoreError) -> Response {
    let code = match e {
        StoreError::BadRequest(_) => 400,
        other => other.k8s_code(),
    };
    text_error(code, &e.message())
}

/// A Jenkins error behind a v1alpha2 route: always HTTP 500 with Jenkins' body
/// (reference §2.4).
pub fn jenkins_error(jenkins_code: u16, message: &str) -> Response {
    let body = json!({"message": message, "code": jenkins_code, "errors": []});
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, TEXT)],
        body.to_string(),
    )
        .into_response()
}

/// go-restful's Accept matching (reference §2.3): each media range, parameters stripped,
/// must equal the route's `Produces` exactly, or be `*/*`. Missing Accept ⇒ `*/*`.
pub fn accepts(headers: &HeaderMap, produces: &str) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if accept.trim().is_empty() {
        return true;
    }
    accept.split(',').any(|range| {
        let mime = range.split(';').next().unwrap_or("").trim();
        mime == "*/*" || mime == produces
    })
}

/// 406 (or 415 for a body-less POST/PUT) unless the Accept header matches.
pub fn check_accept(
    headers: &HeaderMap,
    produces: &str,
    bodyless_write: bool,
) -> Result<(), Response> {
    if accepts(headers, produces) {
        return Ok(());
    }
    if bodyless_write {
        Err(text_error(415, "415: Unsupported Media Type"))
    } else {
        Err(text_error(406, "406: Not Acceptable"))
    }
}

/// go-restful's `ReadEntity`: only `application/json` bodies are read (reference §2.2).
pub fn check_json_content_type(headers: &HeaderMap) -> Result<(), Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    if mime.eq_ignore_ascii_case(JSON) {
        Ok(())
    } else {
        Err(text_error(
            400,
            &format!("Unable to unmarshal content of type:{ct}"),
        ))
    }
}

/// Parses a JSON request body; an empty body is `None` (go-restful tolerates io.EOF).
pub fn parse_json(body: &[u8]) -> Result<Option<Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|e| text_error(400, &format!("invalid character in JSON body: {e}")))
}

pub fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Query-unescapes once more (`+` ⇒ space, `%xx` ⇒ byte), as ks-devops does to `filename`.
/// A malformed escape stays as written; bytes that are not UTF-8 become U+FFFD.
pub fn query_unescape(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn accept_matching_is_exact_like_go_restful() {
        assert!(accepts(&HeaderMap::new(), TEXT));
        assert!(accepts(&with_accept("*/*"), TEXT));
        assert!(!accepts(&with_accept("text/plain"), TEXT));
        assert!(!accepts(&with_accept("application/json"), TEXT));
        assert!(accepts(&with_accept("application/json"), JSON));
        assert!(accepts(
            &with_accept("application/json; charset=utf-8"),
            JSON
        ));
        assert!(accepts(&with_accept("text/html, */*;q=0.8"), JSON));
        assert!(!accepts(&with_accept("application/octet-stream"), JSON));
    }

    #[test]
    fn filenames_are_unescaped_again() {
        assert_eq!(query_unescape("a+b%2Fc"), "a b/c");
        assert_eq!(query_unescape("100%"), "100%");
        assert_eq!(query_unescape("a%aé"), "a%aé");
        assert_eq!(query_unescape("%2B%zz%ff"), "+%zz\u{fffd}");
    }
}

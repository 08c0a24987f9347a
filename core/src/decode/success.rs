//! Reading successful responses, per operation.

use super::error::error_from_response;
use super::headers::header;
use crate::api::{Operation, ResponseKind};
use crate::error::{Error, ErrorKind, Result};
use crate::log::LogHeaders;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Fails unless the response is a success: a non-2xx status, or an input submit that the
/// server refused with HTTP 200 `{"allow":"false"}`.
pub(super) fn check(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<()> {
    if !(200..300).contains(&status) {
        return Err(error_from_response(operation, status, headers, body));
    }
    if operation.response() == ResponseKind::InputSubmit {
        if let Some(refusal) = input_refusal(body) {
            return Err(
                Error::new(ErrorKind::Refused, format!("{operation}: {refusal}"))
                    .with_status(status),
            );
        }
    }
    Ok(())
}

/// The message of a `{"allow":"false","message":…}` answer.
fn input_refusal(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    let allow = json.get("allow")?;
    let refused = allow == "false" || allow == false;
    refused.then(|| {
        json.get("message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .unwrap_or("the server did not allow this input submission")
            .to_owned()
    })
}

pub(super) fn to_json(
    operation: Operation,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value> {
    match operation.response() {
        ResponseKind::Json | ResponseKind::Token => {
            super::models::normalised_json(operation, headers, body)
        }
        ResponseKind::Text => Ok(text_value(body)),
        ResponseKind::InputSubmit => Ok(match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(_) => text_value(body),
        }),
        ResponseKind::Log => {
            Ok(serde_json::to_value(decode_log_chunk(headers, body))
                .expect("a log chunk serializes"))
        }
        ResponseKind::Bytes => Ok(json!({
            "filename": attachment_filename(headers),
            "size": body.len(),
            "content_base64": STANDARD.encode(body),
        })),
        ResponseKind::WatchEvents => watch_events(operation, body),
    }
}

/// Decodes `body` straight into `T` (no intermediate [`Value`]); an empty body reads as
/// JSON `null`.
pub(super) fn parse_json_as<T: DeserializeOwned>(
    operation: Operation,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<T> {
    let result = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null")
    } else {
        serde_json::from_slice(body)
    };
    result.map_err(|e| {
        html_instead_of_json(operation, headers, body).unwrap_or_else(|| not_json(operation, &e))
    })
}

fn not_json(operation: Operation, e: &serde_json::Error) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("{operation}: the response is not the expected JSON: {e}"),
    )
}

/// The error for an HTML page (a login page, a proxy's error page) where JSON was
/// expected: the usual cause is a URL that is not the KubeSphere API. `None` for other
/// bodies.
pub(crate) fn html_instead_of_json(
    operation: Operation,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Error> {
    is_html(headers, body).then(|| {
        Error::new(
            ErrorKind::Decode,
            format!(
                "{operation}: the server answered with an HTML page where JSON was expected; \
                 this usually means the server URL is not the KubeSphere API (a web console, \
                 a login page or a proxy in front of it)"
            ),
        )
    })
}

/// A `text/html` content type, or a body that starts like an HTML document.
fn is_html(headers: &[(String, String)], body: &[u8]) -> bool {
    let typed_html = header(headers, "Content-Type")
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..body.len().min(i + 15)]);
    let start = String::from_utf8_lossy(start).to_ascii_lowercase();
    typed_html || start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn text_value(body: &[u8]) -> Value {
    if body.is_empty() {
        Value::Null
    } else {
        Value::String(String::from_utf8_lossy(body).into_owned())
    }
}

fn watch_events(operation: Operation, body: &[u8]) -> Result<Value> {
    String::from_utf8_lossy(body)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let event = serde_json::from_str(line).map_err(|e| not_json(operation, &e))?;
            super::models::normalised_watch_event(operation, event)
        })
        .collect::<Result<Vec<Value>>>()
        .map(Value::Array)
}

/// `filename` of `Content-Disposition: attachment; filename=…` (quoted or not).
fn attachment_filename(headers: &[(String, String)]) -> Option<String> {
    let disposition = header(headers, "Content-Disposition")?;
    disposition.split(';').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("filename")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// One response of a progressive log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogChunk {
    pub text: String,
    /// `X-Text-Size`: the offset to ask for next, when the server sent it (run logs behind
    /// ks-devops 4.x do not).
    pub text_size: Option<u64>,
    /// `X-More-Data: true`: the log is still growing.
    pub more_data: bool,
}

fn decode_log_chunk(headers: &[(String, String)], body: &[u8]) -> LogChunk {
    let parsed = LogHeaders::from_headers(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    LogChunk {
        text: String::from_utf8_lossy(body).into_owned(),
        text_size: parsed.text_size,
        more_data: parsed.more_data.unwrap_or(false),
    }
}

/// Decodes a JSON response into `T` (a model type, or anything deserializable).
pub fn decode_as<T: DeserializeOwned>(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<T> {
    check(operation, status, headers, body)?;
    parse_json_as(operation, headers, body)
}

/// Decodes a log response (`get_run_log`, `get_step_log`).
pub fn decode_log(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<LogChunk> {
    check(operation, status, headers, body)?;
    Ok(decode_log_chunk(headers, body))
}

/// Decodes a text response (`get_scan_log`, `scan_repository`, …).
pub fn decode_text(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<String> {
    check(operation, status, headers, body)?;
    Ok(String::from_utf8_lossy(body).into_owned())
}

/// Checks the status of a byte response (`download_artifact`) and gives the body back.
pub fn decode_bytes(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Vec<u8>> {
    check(operation, status, headers, &body)?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_refusal_is_an_error_even_with_200() {
        let body = br#"{"allow":"false","message":"you have no permission to approve this step"}"#;
        let e = check(Operation::SubmitInput, 200, &[], body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert!(e.message().contains("no permission"));
        assert!(check(Operation::SubmitInput, 200, &[], b"").is_ok());
        assert!(check(Operation::SubmitInput, 200, &[], br#"{"allow":"true"}"#).is_ok());
    }

    #[test]
    fn log_headers_are_read() {
        let headers = vec![
            ("x-text-size".into(), "42".into()),
            ("X-More-Data".into(), "true".into()),
        ];
        let chunk = decode_log(Operation::GetStepLog, 200, &headers, b"hi\n").unwrap();
        assert_eq!(
            chunk,
            LogChunk {
                text: "hi\n".into(),
                text_size: Some(42),
                more_data: true
            }
        );
    }

    #[test]
    fn typed_decoding_reports_shape_errors_as_decode() {
        let e = decode_as::<Vec<String>>(Operation::ListArtifacts, 200, &[], b"{}").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn an_html_page_where_json_was_expected_is_named() {
        use crate::model::{ListResult, Pipeline};
        let page = b"\n<!DOCTYPE html><html><head><title>Login</title></head></html>";
        let html = [(
            "Content-Type".to_owned(),
            "text/html; charset=utf-8".to_owned(),
        )];
        for headers in [&html[..], &[]] {
            let e = decode_as::<ListResult<Pipeline>>(Operation::ListPipelines, 200, headers, page)
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode);
            assert!(e.message().contains("HTML page"), "{e}");
            assert!(e.message().contains("not the KubeSphere API"), "{e}");
        }
        let e = decode_as::<Pipeline>(Operation::GetPipeline, 200, &[], b"{oops").unwrap_err();
        assert!(!e.message().contains("HTML"), "{e}");
    }

    #[test]
    fn typed_decoding_into_models() {
        use crate::model::{ListResult, Pipeline};
        let body = br#"{"items":null,"totalItems":0}"#;
        let list: ListResult<Pipeline> =
            decode_as(Operation::ListPipelines, 200, &[], body).unwrap();
        assert!(list.items.is_empty());
        let e =
            decode_as::<Pipeline>(Operation::GetPipeline, 404, &[], b"not found\n").unwrap_err();
        assert_eq!((e.kind(), e.status()), (ErrorKind::NotFound, Some(404)));
    }
}

//! Turning an error response into an [`Error`] with the server's own message.

use super::headers::header;
use crate::api::{Operation, ResponseKind};
use crate::error::{Error, ErrorKind};
use serde_json::Value;

/// Longest server message kept in an error (Jenkins error pages can be large).
const MAX_MESSAGE: usize = 600;

/// The error that a non-2xx response to `operation` means. Reads Kubernetes `Status` JSON,
/// OAuth error JSON, ks-devops's `text/plain` errors and Jenkins error text or pages
/// wrapped in v1alpha2's HTTP 500.
pub fn error_from_response(
    operation: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Error {
    let text = String::from_utf8_lossy(body);
    let parsed = serde_json::from_str::<Value>(&text).ok();
    let (message, hint) = match parsed.as_ref().and_then(Value::as_object) {
        Some(json) => json_message(json),
        // A token endpoint's page may echo the form it was sent, password included: not quoted.
        None if operation.response() == ResponseKind::Token => (String::new(), Hint::None),
        None => (text_message(&text), Hint::None),
    };
    let kind = kind_for(status, hint, &message);
    let mut full = format!("{operation}: HTTP {status}");
    if !message.is_empty() {
        full.push_str(": ");
        full.push_str(&message);
    }
    if status == 429 || status == 503 {
        if let Some(after) = header(headers, "Retry-After") {
            full.push_str(&format!(" (retry after {after} s)"));
        }
    }
    Error::new(kind, full).with_status(status)
}

/// What the error body itself says about the kind, beyond the status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    None,
    AlreadyExists,
    /// OAuth `invalid_grant`, `invalid_client`, `unauthorized_client`: bad credentials.
    BadCredentials,
}

fn json_message(json: &serde_json::Map<String, Value>) -> (String, Hint) {
    let str_field = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or("");
    if let Some(code) = json.get("error").and_then(Value::as_str) {
        let hint = match code {
            "invalid_grant" | "invalid_client" | "unauthorized_client" => Hint::BadCredentials,
            _ => Hint::None,
        };
        let description = str_field("error_description");
        let message = if description.is_empty() {
            code.to_owned()
        } else {
            format!("{code}: {description}")
        };
        return (clip(&message), hint);
    }
    let hint = if str_field("reason") == "AlreadyExists" {
        Hint::AlreadyExists
    } else {
        Hint::None
    };
    let message = match str_field("message") {
        "" => Value::Object(json.clone()).to_string(),
        m => m.to_owned(),
    };
    (clip(&message), hint)
}

fn text_message(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('<') {
        clip(&strip_tags(text))
    } else {
        clip(&unescape_html(text))
    }
}

fn kind_for(status: u16, hint: Hint, message: &str) -> ErrorKind {
    match (status, hint) {
        (_, Hint::AlreadyExists) => ErrorKind::Conflict,
        (400 | 401, Hint::BadCredentials) => ErrorKind::Unauthorized,
        (400, _) if message.to_ascii_lowercase().contains("already exists") => ErrorKind::Conflict,
        (401, _) => ErrorKind::Unauthorized,
        (403, _) => ErrorKind::Forbidden,
        (404, _) => ErrorKind::NotFound,
        (408, _) => ErrorKind::Timeout,
        (409, _) => ErrorKind::Conflict,
        (429, _) => ErrorKind::Server,
        (400..=499, _) => ErrorKind::InvalidInput,
        _ => ErrorKind::Server,
    }
}

/// ks-devops writes errors with `http.Error`, which HTML-escapes `&`, `<`, `>` and quotes.
fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The visible text of an HTML error page (Jenkins), whitespace collapsed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    let mut skip_until: Option<&str> = None;
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if let Some(end) = skip_until {
            if rest.starts_with(end) {
                skip_until = None;
                i += end.len();
            } else {
                i += html[i..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        if !in_tag && (rest.starts_with("<script") || rest.starts_with("<style")) {
            skip_until = Some(if rest.starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            });
            continue;
        }
        let c = html[i..].chars().next().expect("in bounds");
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    unescape_html(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn clip(message: &str) -> String {
    let message = message.trim();
    if message.len() <= MAX_MESSAGE {
        return message.to_owned();
    }
    let mut end = MAX_MESSAGE;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &message[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> Error {
        error_from_response(Operation::GetPipeline, status, &[], body.as_bytes())
    }

    #[test]
    fn status_codes_map_to_kinds() {
        assert_eq!(err(400, "bad\n").kind(), ErrorKind::InvalidInput);
        assert_eq!(err(401, "").kind(), ErrorKind::Unauthorized);
        assert_eq!(err(403, "").kind(), ErrorKind::Forbidden);
        assert_eq!(err(404, "").kind(), ErrorKind::NotFound);
        assert_eq!(err(409, "").kind(), ErrorKind::Conflict);
        assert_eq!(err(502, "").kind(), ErrorKind::Server);
        assert_eq!(err(404, "").status(), Some(404));
    }

    #[test]
    fn a_token_endpoint_text_body_is_not_quoted() {
        // Found by the decode_response fuzz target: a text error page was quoted whole.
        let page = "username=admin&password=P4ssw0rd-secret";
        for op in [Operation::Login, Operation::RefreshToken] {
            let e = error_from_response(op, 500, &[], page.as_bytes());
            assert_eq!(e.kind(), ErrorKind::Server);
            assert_eq!(e.status(), Some(500));
            assert!(!e.message().contains("P4ssw0rd"), "{}", e.message());
        }
        let body = b"\xff<s\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
        let e = error_from_response(Operation::Login, 400, &[], body);
        assert!(!e.message().contains('<'), "{}", e.message());
    }

    #[test]
    fn already_exists_as_400_is_a_conflict() {
        let e = err(400, "pipelines.devops.kubesphere.io \"x\" already exists\n");
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert!(e.message().ends_with("\"x\" already exists"));
    }

    #[test]
    fn html_pages_become_text() {
        let page = "<html><head><style>p{}</style><title>Error 404 Not Found</title></head>\
                    <body><h2>HTTP ERROR 404</h2></body></html>";
        let e = err(500, page);
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(
            e.message().contains("Error 404 Not Found HTTP ERROR 404"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn retry_after_is_reported() {
        let headers = vec![("retry-after".to_owned(), "30".to_owned())];
        let e = error_from_response(
            Operation::Login,
            429,
            &headers,
            b"{\"error\":\"server_error\",\"error_description\":\"Rate limit exceeded.\"}",
        );
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e
            .message()
            .contains("Rate limit exceeded. (retry after 30 s)"));
    }

    #[test]
    fn long_messages_are_clipped() {
        let e = err(500, &"é".repeat(1000));
        assert!(e.message().len() < 700);
    }
}

//! KubeSphere's OAuth token endpoint: password and refresh-token grants (reference §1.3).

use crate::http::json_body;
use crate::shared::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_body(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// The form fields (`+` and `%xx` decoded; a malformed escape stays as written, bytes that are
/// not UTF-8 become U+FFFD); the last of a repeated field wins.
fn form(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub async fn token(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("application/x-www-form-urlencoded") {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "415: Unsupported Media Type",
        )
            .into_response();
    }
    let f = form(&body);
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let now = s.now_ms();
    let mut w = s.world();
    let client_ok = w
        .oauth_clients
        .get(get("client_id"))
        .is_some_and(|secret| secret.expose() == get("client_secret"));
    if !client_ok {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client credentials are invalid.",
        );
    }
    let user = match get("grant_type") {
        "password" => {
            let Some(u) = w.users.get(get("username")) else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid username or password.",
                );
            };
            if u.password.expose() != get("password") {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid username or password.",
                );
            }
            u.name.clone()
        }
        "refresh_token" => match w.refresh_tokens.remove(get("refresh_token")) {
            Some(user) => user,
            None => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid or expired.",
                )
            }
        },
        "" => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required.",
            )
        }
        other => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("The grant type {other:?} is not supported."),
            )
        }
    };
    let access = format!("sim.{}", crate::ids::hex(&mut w.rng, 40));
    let refresh = format!("simr.{}", crate::ids::hex(&mut w.rng, 40));
    let ttl = w.token_ttl_ms;
    w.tokens.insert(
        access.clone(),
        crate::store::Token {
            user: user.clone(),
            expires_ms: now + ttl,
        },
    );
    w.refresh_tokens.insert(refresh.clone(), user);
    let body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "expires_in": ttl / 1000,
    });
    let mut resp = json_body(StatusCode::OK, &body);
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    h.insert(header::PRAGMA, "no-cache".parse().expect("static"));
    resp
}

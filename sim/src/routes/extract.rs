//! Extractors the ks-devops handlers share: the call (caller, simulator, path), the query,
//! the route's `Produces` check on the Accept header, and the body of a write.

use crate::auth::Caller;
use crate::http::{
    check_accept, check_json_content_type, parse_json, text_error, HTML, JSON, TEXT,
};
use crate::shared::Shared;
use crate::store::World;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, MutexGuard};

/// What every ks-devops handler starts from: the caller (authenticated, and checked
/// against the project or workspace in the path), the simulator, and the path parameters.
pub struct ApiCall {
    pub caller: Caller,
    pub sim: Arc<Shared>,
    pub path: PathParams,
}

impl ApiCall {
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.sim.world()
    }

    pub fn now_ms(&self) -> i64 {
        self.sim.now_ms()
    }

    /// A path parameter (`""` when the route has none of that name).
    pub fn param(&self, key: &str) -> &str {
        self.path.get(key)
    }

    pub fn user(&self) -> &str {
        &self.caller.user.name
    }
}

impl FromRequestParts<Arc<Shared>> for ApiCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, sim: &Arc<Shared>) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, sim).await?;
        let path = PathParams::from_request_parts(parts, sim).await?;
        Ok(ApiCall {
            caller,
            sim: sim.clone(),
            path,
        })
    }
}

/// The `{name}` segments of the matched route; a missing one reads as `""`.
pub struct PathParams(HashMap<String, String>);

impl PathParams {
    pub fn get(&self, key: &str) -> &str {
        self.optional(key).unwrap_or("")
    }

    pub fn optional(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| PathParams(p))
            .map_err(IntoResponse::into_response)
    }
}

/// The query string as name ⇒ value (the last one wins).
pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// A present, non-empty value.
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    pub fn is_true(&self, key: &str) -> bool {
        self.get(key) == Some("true")
    }

    /// A whole number, or `default` when absent or not a number.
    pub fn number(&self, key: &str, default: usize) -> usize {
        self.get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    pub fn as_map(&self) -> &HashMap<String, String> {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| QueryParams(q))
            .map_err(IntoResponse::into_response)
    }
}

/// The media type a route produces (go-restful's `Produces`).
pub trait Produces {
    const MIME: &'static str;
}

pub mod media {
    pub struct Json;
    pub struct Text;
    pub struct Html;
}

impl Produces for media::Json {
    const MIME: &'static str = JSON;
}

impl Produces for media::Text {
    const MIME: &'static str = TEXT;
}

impl Produces for media::Html {
    const MIME: &'static str = HTML;
}

/// A read whose Accept header matches `M` (406 otherwise). Place it after `Caller`.
pub struct Accepts<M>(PhantomData<M>);

impl<S: Send + Sync, M: Produces> FromRequestParts<S> for Accepts<M> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        check_accept(&parts.headers, M::MIME, false)?;
        Ok(Accepts(PhantomData))
    }
}

/// The body of a POST/PUT to a route producing `M`, once the Accept header matched
/// (406, or 415 when the body is empty).
pub struct WriteBody<M> {
    headers: HeaderMap,
    bytes: Bytes,
    media: PhantomData<M>,
}

impl<M> WriteBody<M> {
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// go-restful's `ReadEntity` of a required object: JSON content type, a body.
    pub fn json_object(&self) -> Result<Value, Response> {
        self.json_optional()?
            .ok_or_else(|| text_error(400, "the request body is empty"))
    }

    /// go-restful's `ReadEntity` where an empty body is allowed.
    pub fn json_optional(&self) -> Result<Option<Value>, Response> {
        check_json_content_type(&self.headers)?;
        parse_json(&self.bytes)
    }

    /// What Jenkins makes of the body: JSON whatever the content type, else nothing.
    pub fn json_lenient(&self) -> Option<Value> {
        serde_json::from_slice(&self.bytes).ok()
    }
}

impl<S: Send + Sync, M: Produces> FromRequest<S> for WriteBody<M> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        check_accept(&headers, M::MIME, bytes.is_empty())?;
        Ok(WriteBody {
            headers,
            bytes,
            media: PhantomData,
        })
    }
}

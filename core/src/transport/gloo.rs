//! [`Transport`] over the Fetch API through gloo-net (feature `gloo`, wasm32 only).
//!
//! Timeouts, TLS and proxies are the browser's (or Node's). The body is read whole when the
//! first chunk is asked for: gloo-net gives no chunked reader, so a download is held in memory
//! once before it is handed on.

use super::render::{body_and_type, server_base};
use super::{BoxFuture, ChunkSource, Response, ResponseBody, Transport};
use crate::api::Request;
use crate::error::{Error, ErrorKind, Result};
use gloo_net::http::{Method, RequestBuilder};
use std::time::Duration;

/// A fetch-based transport bound to one server.
#[derive(Debug, Clone)]
pub struct GlooTransport {
    server: String,
}

impl GlooTransport {
    /// `server` is `http(s)://host[:port][/prefix]`.
    pub fn new(server: impl Into<String>) -> Result<Self> {
        Ok(GlooTransport {
            server: server_base(&server.into())?,
        })
    }

    pub fn server(&self) -> &str {
        &self.server
    }
}

impl Transport for GlooTransport {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        Box::pin(async move {
            let what = format!("{} {}", request.method, request.path);
            let url = request.url(&self.server);
            let method = Method::from_bytes(request.method.as_str().as_bytes())
                .expect("every Method is a valid HTTP method");
            let mut builder = RequestBuilder::new(&url).method(method);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            let built = match body_and_type(&request) {
                Some((bytes, implied_type)) => {
                    if let Some(content_type) = implied_type {
                        builder = builder.header("Content-Type", content_type);
                    }
                    let text = String::from_utf8(bytes)
                        .map_err(|_| Error::invalid("body", "is not UTF-8 text"))?;
                    builder.body(text)
                }
                None => builder.build(),
            }
            // gloo-net errors come from JS (e.g. an invalid header name); they do not echo values.
            .map_err(|e| Error::invalid("request", format!("{what} cannot be sent: {e}")))?;
            let response = built.send().await.map_err(|e| {
                Error::new(ErrorKind::Transport, format!("{what}: fetch failed: {e}"))
            })?;
            let status = response.status();
            let headers = response.headers().entries().collect();
            Ok(Response {
                status,
                headers,
                body: ResponseBody::from_source(Box::new(FetchBody {
                    response: Some(response),
                    what,
                })),
            })
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        let millis = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
        Box::pin(gloo_timers::future::TimeoutFuture::new(millis))
    }
}

struct FetchBody {
    response: Option<gloo_net::http::Response>,
    what: String,
}

impl ChunkSource for FetchBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            let Some(response) = self.response.take() else {
                return Ok(None);
            };
            let bytes = response.binary().await.map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    format!("reading the answer to {}: {e}", self.what),
                )
            })?;
            Ok(Some(bytes))
        })
    }
}

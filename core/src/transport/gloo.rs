//! [`Transport`] over the Fetch API through gloo-net (feature `gloo`, wasm32 only).
//!
//! Timeouts, TLS and proxies are the browser's (or Node's). The body is read chunk by chunk
//! from the response's `ReadableStream`.

use super::render::{body_and_type, server_base};
use super::{BoxFuture, ChunkSource, Response, ResponseBody, Transport};
use crate::api::Request;
use crate::error::{Error, ErrorKind, Result};
use gloo_net::http::{Method, RequestBuilder};
use std::time::Duration;
use wasm_bindgen::JsCast;

pub use web_sys::RequestCredentials;

/// A fetch-based transport bound to one server.
#[derive(Debug, Clone)]
pub struct GlooTransport {
    server: String,
    credentials: Option<RequestCredentials>,
}

impl GlooTransport {
    /// `server` is `http(s)://host[:port][/prefix]`.
    pub fn new(server: impl Into<String>) -> Result<Self> {
        Ok(GlooTransport {
            server: server_base(&server.into())?,
            credentials: None,
        })
    }

    /// Whether fetch sends the browser's cookies: `Include` sends them to the server
    /// (a console-embedded view with the console's session), `Omit` never; fetch's own
    /// default (same-origin only) when not set.
    pub fn with_credentials(mut self, credentials: RequestCredentials) -> Self {
        self.credentials = Some(credentials);
        self
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
            if let Some(credentials) = self.credentials {
                builder = builder.credentials(credentials);
            }
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
                    reader: None,
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

/// Reads the fetch body's `ReadableStream` chunk by chunk; falls back to reading it whole
/// when the runtime gives no stream.
struct FetchBody {
    response: Option<gloo_net::http::Response>,
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    what: String,
}

impl FetchBody {
    fn failed(&self, cause: impl std::fmt::Display) -> Error {
        Error::new(
            ErrorKind::Transport,
            format!("reading the answer to {}: {cause}", self.what),
        )
    }
}

impl ChunkSource for FetchBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            if let Some(response) = self.response.take() {
                match response.body() {
                    Some(stream) => self.reader = Some(stream.get_reader().unchecked_into()),
                    None => {
                        let bytes = response.binary().await.map_err(|e| self.failed(e))?;
                        return Ok(Some(bytes).filter(|b| !b.is_empty()));
                    }
                }
            }
            let Some(reader) = &self.reader else {
                return Ok(None);
            };
            let read = wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(|e| self.failed(js_message(&e)))?;
            let read: web_sys::ReadableStreamReadResult = read.unchecked_into();
            if read.get_done().unwrap_or(false) {
                self.reader = None;
                return Ok(None);
            }
            Ok(Some(js_sys::Uint8Array::new(&read.get_value()).to_vec()))
        })
    }
}

fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the connection broke".to_owned())
}

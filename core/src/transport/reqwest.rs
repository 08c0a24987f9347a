//! [`Transport`] over reqwest with rustls (feature `reqwest`, native targets).
//!
//! Timeouts are always on: connecting, and every read of the answer (an idle timeout, so a
//! long download that keeps making progress is never cut off). Redirects are not followed:
//! the KubeSphere API does not redirect, and a redirect would otherwise be a way for the
//! `Authorization` header to travel somewhere unexpected.

use super::render::body_and_type;
use super::server_url;
use super::{BoxFuture, ChunkSource, Response, ResponseBody, Transport};
use crate::api::Request;
use crate::error::{Error, ErrorKind, Result};
use std::error::Error as _;
use std::path::Path;
use std::time::Duration;

/// How to reach the server. Build with [`ReqwestConfig::new`], adjust the public fields, then
/// [`ReqwestTransport::new`].
#[derive(Clone)]
pub struct ReqwestConfig {
    /// `http(s)://host[:port][/prefix]`; request paths are appended to it.
    pub server: String,
    pub connect_timeout: Duration,
    /// The longest wait for the next bytes of an answer (the first byte included).
    pub read_timeout: Duration,
    /// Extra trusted certificates, PEM (one or more), added to the system's roots: CAs, or
    /// a self-signed server certificate (trusted for its own host names while valid).
    pub ca_bundle_pem: Option<Vec<u8>>,
    /// Accept any server certificate and host name. Only when the user asked for it.
    pub insecure: bool,
    pub user_agent: String,
}

impl ReqwestConfig {
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Generous: the artifact endpoint buffers the whole file before its first byte.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(120);

    pub fn new(server: impl Into<String>) -> Self {
        ReqwestConfig {
            server: server.into(),
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            ca_bundle_pem: None,
            insecure: false,
            user_agent: concat!("ksdevops/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// Reads a PEM CA bundle from `path` into [`ReqwestConfig::ca_bundle_pem`].
    pub fn with_ca_file(mut self, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            Error::invalid("ca_bundle", format!("cannot read {}: {e}", path.display()))
        })?;
        self.ca_bundle_pem = Some(pem);
        Ok(self)
    }
}

impl std::fmt::Debug for ReqwestConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestConfig")
            .field("server", &self.server)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("ca_bundle", &self.ca_bundle_pem.as_ref().map(|p| p.len()))
            .field("insecure", &self.insecure)
            .finish_non_exhaustive()
    }
}

/// A reqwest client bound to one server. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    server: String,
}

impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    pub fn new(config: ReqwestConfig) -> Result<Self> {
        let server = server_url(&config.server)?;
        if config.connect_timeout.is_zero() {
            return Err(Error::invalid(
                "connect_timeout",
                "must be longer than zero",
            ));
        }
        if config.read_timeout.is_zero() {
            return Err(Error::invalid("read_timeout", "must be longer than zero"));
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.clone());
        if let Some(pem) = &config.ca_bundle_pem {
            let tls = super::tls::client_config(pem)?;
            if !config.insecure {
                builder = builder.tls_backend_preconfigured(tls);
            }
        }
        if config.insecure {
            builder = builder
                .tls_danger_accept_invalid_certs(true)
                .tls_danger_accept_invalid_hostnames(true);
        }
        let client = builder.build().map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("cannot set up the HTTP client: {}", chain(&e)),
            )
        })?;
        Ok(ReqwestTransport { client, server })
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    fn build(&self, request: &Request) -> Result<reqwest::Request> {
        let url = request.url(&self.server);
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
            .expect("every Method is a valid HTTP method");
        let mut builder = self.client.request(method, url);
        for (name, value) in &request.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid("headers", format!("{name:?} is not a valid header name"))
            })?;
            // The value may be a token: name the header, never show the value.
            let mut value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::invalid(
                    "headers",
                    format!("the value of {name} is not a valid header value"),
                )
            })?;
            if name == reqwest::header::AUTHORIZATION || name == reqwest::header::COOKIE {
                value.set_sensitive(true);
            }
            builder = builder.header(name, value);
        }
        if let Some((bytes, implied_type)) = body_and_type(request) {
            if let Some(content_type) = implied_type {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
            }
            builder = builder.body(bytes);
        }
        builder
            .build()
            .map_err(|e| Error::invalid("request", format!("cannot be sent: {}", chain(&e))))
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        Box::pin(async move {
            let what = format!("{} {}", request.method, request.path);
            let built = self.build(&request)?;
            let response = self
                .client
                .execute(built)
                .await
                .map_err(|e| transport_error(&what, &e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            Ok(Response {
                status,
                headers,
                body: ResponseBody::from_source(Box::new(ReqwestBody { response, what })),
            })
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

struct ReqwestBody {
    response: reqwest::Response,
    what: String,
}

impl ChunkSource for ReqwestBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            match self.response.chunk().await {
                Ok(chunk) => Ok(chunk.map(Vec::from)),
                Err(e) => Err(transport_error(
                    &format!("reading the answer to {}", self.what),
                    &e,
                )),
            }
        })
    }
}

/// Maps a reqwest error to ours. The URL is left out (`what` names the request), and reqwest
/// errors never carry header values.
fn transport_error(what: &str, error: &reqwest::Error) -> Error {
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let summary = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "connection failed"
    };
    let causes = chain(error);
    Error::new(
        kind,
        format!("{what}: {summary}: {causes}{}", certificate_hint(&causes)),
    )
}

/// What to do when the server's certificate was not trusted.
fn certificate_hint(causes: &str) -> &'static str {
    let untrusted = [
        "UnknownIssuer",
        "CaUsedAsEndEntity",
        "unknown issuer",
        "self-signed",
    ]
    .iter()
    .any(|marker| causes.contains(marker));
    if untrusted {
        "; the server's certificate is not signed by an authority this machine trusts: give \
         its CA certificate (or the server's own certificate) as a PEM file (`--ca-file`, \
         `ca_bundle_pem`), or, for a test server only, turn verification off (`--insecure`)"
    } else {
        ""
    }
}

/// The error's message and its causes, without the URL.
fn chain(error: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source = error.source();
    while let Some(cause) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if text.is_empty() {
        let mut own = error.to_string();
        if let Some(url) = error.url() {
            own = own
                .replace(&format!(" ({url})"), "")
                .replace(url.as_str(), "");
        }
        text = own;
    }
    text
}

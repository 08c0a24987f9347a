//! The answer a transport hands back: status, headers, and a body read chunk by chunk.

use super::{BoxFuture, MaybeSend};
use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// An HTTP answer. The body is not read yet: call [`ResponseBody::next_chunk`] to stream it
/// (artifact downloads, big logs) or [`Response::bytes`] to collect it.
pub struct Response {
    pub status: u16,
    /// Header names as the server sent them; look them up with [`Response::header`].
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
}

impl Response {
    /// A response whose body is already in memory (tests, fakes, buffered transports).
    pub fn buffered(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers,
            body: ResponseBody::from_bytes(body.into()),
        }
    }

    /// The first value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Reads the whole body into memory.
    pub async fn bytes(self) -> Result<Vec<u8>> {
        self.body.collect().await
    }
}

impl fmt::Debug for Response {
    /// Header values are left out: a server may echo cookies or tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("header_names", &names)
            .finish_non_exhaustive()
    }
}

/// A source of body chunks, implemented by each transport.
pub trait ChunkSource: MaybeSend {
    /// The next non-empty chunk, or `None` at the end of the body. An error means the
    /// connection broke mid-body: the chunks already returned are all that arrived.
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>>>;
}

/// A response body, read chunk by chunk.
pub struct ResponseBody {
    inner: Inner,
}

enum Inner {
    Buffered(Option<Vec<u8>>),
    Stream(Box<dyn ChunkSource>),
}

impl ResponseBody {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        ResponseBody {
            inner: Inner::Buffered(Some(bytes).filter(|b| !b.is_empty())),
        }
    }

    pub fn from_source(source: Box<dyn ChunkSource>) -> Self {
        ResponseBody {
            inner: Inner::Stream(source),
        }
    }

    /// The next non-empty chunk, or `None` once the body is complete.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        match &mut self.inner {
            Inner::Buffered(bytes) => Ok(bytes.take()),
            Inner::Stream(source) => loop {
                match source.next_chunk().await? {
                    Some(chunk) if chunk.is_empty() => continue,
                    other => return Ok(other),
                }
            },
        }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            if all.is_empty() {
                all = chunk;
            } else {
                all.extend_from_slice(&chunk);
            }
        }
        Ok(all)
    }

    /// Reads the rest of the body into memory, failing once it exceeds `limit` bytes.
    pub async fn collect_limited(self, limit: usize) -> Result<Vec<u8>> {
        self.collect_sized(limit, None).await
    }

    /// As [`ResponseBody::collect_limited`], reserving `expected` bytes (a `Content-Length`,
    /// at most `limit`) up front, so a big body is not copied as it grows.
    pub async fn collect_sized(mut self, limit: usize, expected: Option<usize>) -> Result<Vec<u8>> {
        let mut all = Vec::with_capacity(expected.unwrap_or(0).min(limit));
        while let Some(chunk) = self.next_chunk().await? {
            if all.len() + chunk.len() > limit {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!("response body is larger than the {limit}-byte limit"),
                ));
            }
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Buffered(b) => write!(
                f,
                "ResponseBody(buffered, {} bytes)",
                b.as_ref().map_or(0, Vec::len)
            ),
            Inner::Stream(_) => f.write_str("ResponseBody(stream)"),
        }
    }
}

//! Sending a [`Request`] and reading the answer: the one seam between the sans-I/O core and
//! an HTTP stack.
//!
//! Futures are boxed ([`BoxFuture`]) rather than `async fn` in the trait: that keeps
//! [`Transport`] object-safe, needs no `async-trait` dependency, and lets the `Send` bound
//! depend on the target. On native targets every future is `Send` (a client can be driven
//! from a multi-threaded runtime); on wasm32 nothing is `Send` (fetch futures are not), and
//! the bound disappears. One allocation per request or chunk is noise next to a network
//! round trip.

#[cfg(any(feature = "reqwest", all(feature = "gloo", target_arch = "wasm32")))]
mod render;
mod response;
mod url;

#[cfg(all(feature = "gloo", target_arch = "wasm32"))]
pub mod gloo;
#[cfg(feature = "reqwest")]
pub mod reqwest;
#[cfg(feature = "reqwest")]
mod tls;

pub use response::{ChunkSource, Response, ResponseBody};
pub use url::{base_url, server_url};

use crate::api::Request;
use crate::error::Result;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// `Send` on native targets, nothing on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}

/// `Send` on native targets, nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets, nothing on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}

/// `Sync` on native targets, nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// A boxed future, `Send` on native targets.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future, `Send` on native targets.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Sends requests to one KubeSphere API server and sleeps between polls.
///
/// A transport knows the server's base URL; [`Request::path`] is relative to it, unless the
/// request names its own server ([`Request::base`], Jenkins' own URL): the URL to send to is
/// always [`Request::url`] of the transport's base. It returns
/// every HTTP answer as a [`Response`], whatever the status: turning a 4xx/5xx into an
/// [`crate::Error`] is the decoders' job. It fails only when no answer arrived
/// ([`crate::ErrorKind::Transport`], or [`crate::ErrorKind::Timeout`] for a timeout), and its
/// errors never contain header values (the `Authorization` header in particular).
pub trait Transport: MaybeSend + MaybeSync {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>>;

    /// Waits for `duration` without blocking the executor.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        (**self).send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        (**self).send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        (**self).send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
    }
}

//! Streams that borrow the core client, kept together with the client they borrow, so that
//! JS can hold one as long as it likes.

use super::Core;
use futures_util::stream::{LocalBoxStream, StreamExt};
use std::rc::Rc;

/// A stream made from a borrow of the core client, owning a share of that client.
pub(crate) struct Anchored<T> {
    // Declared (so dropped) before `_client`: the stream never outlives what it borrows.
    stream: LocalBoxStream<'static, T>,
    _client: Rc<Core>,
}

impl<T> Anchored<T> {
    /// `make` builds the stream from a reference to the client in `client`.
    pub(crate) fn new<S>(client: &Rc<Core>, make: impl FnOnce(&'static Core) -> S) -> Self
    where
        S: futures_util::Stream<Item = T> + 'static,
    {
        // SAFETY: the core client lives in the `Rc` allocation, which does not move and
        // stays alive while `_client` holds its share. The reference goes only into
        // `stream`, which is private to this struct and dropped before `_client`.
        let borrowed: &'static Core = unsafe { &*Rc::as_ptr(client) };
        Anchored {
            stream: make(borrowed).boxed_local(),
            _client: Rc::clone(client),
        }
    }
}

impl<T> futures_util::Stream for Anchored<T> {
    type Item = T;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        self.stream.poll_next_unpin(cx)
    }
}

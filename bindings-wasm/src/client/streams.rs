//! The client's streams as JS async iterators: `next()` and `return()` resolve to
//! `{done, value}`; the package adds `[Symbol.asyncIterator]` so `for await` works, and
//! `break` ends the stream (its requests stop).

use crate::errors::to_js_error;
use crate::to_js;
use futures_util::stream::{LocalBoxStream, StreamExt};
use js_sys::{Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

enum State<T> {
    Ready(LocalBoxStream<'static, ksdevops::error::Result<T>>),
    /// A `next()` is running with the stream.
    Busy,
    Done,
}

/// A stream of core results shared between the calls of one JS iterator.
struct Items<T> {
    state: Rc<RefCell<State<T>>>,
}

impl<T> Clone for Items<T> {
    fn clone(&self) -> Self {
        Items {
            state: Rc::clone(&self.state),
        }
    }
}

impl<T: 'static> Items<T> {
    fn new(stream: LocalBoxStream<'static, ksdevops::error::Result<T>>) -> Self {
        Items {
            state: Rc::new(RefCell::new(State::Ready(stream))),
        }
    }

    /// The next item; `None` at the end, after an error, or once closed.
    fn next(&self) -> impl Future<Output = Result<Option<T>, JsValue>> + 'static {
        let state = Rc::clone(&self.state);
        async move {
            let taken = std::mem::replace(&mut *state.borrow_mut(), State::Busy);
            let mut stream = match taken {
                State::Ready(stream) => stream,
                State::Busy => {
                    return Err(to_js_error(ksdevops::Error::invalid(
                        "next",
                        "was called again before the previous call settled",
                    )))
                }
                State::Done => {
                    *state.borrow_mut() = State::Done;
                    return Ok(None);
                }
            };
            let item = stream.next().await;
            let mut current = state.borrow_mut();
            // `return()` during the wait closed the stream: it stays closed.
            if matches!(*current, State::Busy) && matches!(item, Some(Ok(_))) {
                *current = State::Ready(stream);
            } else {
                *current = State::Done;
            }
            item.transpose().map_err(to_js_error)
        }
    }

    /// Ends the stream now; its requests stop.
    fn close(&self) {
        *self.state.borrow_mut() = State::<T>::Done;
    }
}

/// `{done, value}`.
fn iter_result(value: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = value.is_none();
    let _ = Reflect::set(&result, &"done".into(), &done.into());
    let _ = Reflect::set(
        &result,
        &"value".into(),
        &value.unwrap_or(JsValue::UNDEFINED),
    );
    result.into()
}

fn done_promise() -> Promise {
    Promise::resolve(&iter_result(None))
}

/// A run's log as text, chunk by chunk, until the run has ended and its log is complete.
#[wasm_bindgen]
pub struct LogStream {
    items: Items<Vec<u8>>,
    decoder: Rc<web_sys::TextDecoder>,
}

impl LogStream {
    pub(crate) fn new(stream: LocalBoxStream<'static, ksdevops::error::Result<Vec<u8>>>) -> Self {
        LogStream {
            items: Items::new(stream),
            decoder: Rc::new(web_sys::TextDecoder::new().expect("utf-8 is always supported")),
        }
    }
}

#[wasm_bindgen]
impl LogStream {
    /// The next piece of text (UTF-8 split between chunks is joined first).
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<string, undefined>>")]
    pub fn next(&self) -> Promise {
        let items = self.items.clone();
        let decoder = Rc::clone(&self.decoder);
        future_to_promise(async move {
            let options = web_sys::TextDecodeOptions::new();
            options.set_stream(true);
            loop {
                let text = match items.next().await? {
                    Some(bytes) => decoder.decode_with_u8_array_and_options(&bytes, &options)?,
                    // What an incomplete last character left behind.
                    None => {
                        let rest = decoder.decode()?;
                        return Ok(iter_result((!rest.is_empty()).then(|| rest.into())));
                    }
                };
                if !text.is_empty() {
                    return Ok(iter_result(Some(text.into())));
                }
            }
        })
    }

    /// Stops following.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<string, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.items.close();
        done_promise()
    }
}

/// Changes of runs as they happen: `{change: "added" | "modified" | "deleted", run}`.
#[wasm_bindgen]
pub struct RunEventStream {
    items: Items<ksdevops::client::RunEvent>,
}

impl RunEventStream {
    pub(crate) fn new(
        stream: LocalBoxStream<'static, ksdevops::error::Result<ksdevops::client::RunEvent>>,
    ) -> Self {
        RunEventStream {
            items: Items::new(stream),
        }
    }
}

#[wasm_bindgen]
impl RunEventStream {
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<RunEvent, undefined>>")]
    pub fn next(&self) -> Promise {
        let items = self.items.clone();
        future_to_promise(async move {
            match items.next().await? {
                Some(event) => Ok(iter_result(Some(to_js(&event)?))),
                None => Ok(iter_result(None)),
            }
        })
    }

    /// Stops watching.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<RunEvent, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.items.close();
        done_promise()
    }
}

/// An artifact's bytes, chunk by chunk, checked against the listed size at the end.
#[wasm_bindgen]
pub struct ArtifactStream {
    path: String,
    size: Option<u64>,
    items: Items<Vec<u8>>,
}

impl ArtifactStream {
    pub(crate) fn new(body: ksdevops::client::ArtifactBody) -> Self {
        let path = body.path().to_owned();
        let size = body.size();
        let chunks = futures_util::stream::unfold(body, |mut body| async move {
            body.next_chunk()
                .await
                .transpose()
                .map(|chunk| (chunk, body))
        });
        ArtifactStream {
            path,
            size,
            items: Items::new(chunks.boxed_local()),
        }
    }
}

#[wasm_bindgen]
impl ArtifactStream {
    /// The artifact's path in the run.
    #[wasm_bindgen(getter)]
    pub fn path(&self) -> String {
        self.path.clone()
    }

    /// The listed size in bytes, when the server gave one.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> Option<f64> {
        self.size.map(|s| s as f64)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Uint8Array, undefined>>")]
    pub fn next(&self) -> Promise {
        let items = self.items.clone();
        future_to_promise(async move {
            Ok(iter_result(
                items
                    .next()
                    .await?
                    .map(|chunk| Uint8Array::from(chunk.as_slice()).into()),
            ))
        })
    }

    /// Stops reading.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<Uint8Array, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.items.close();
        done_promise()
    }
}

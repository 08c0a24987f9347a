//! `Stream`: a Python iterator (and async iterator) over one of the core client's streams,
//! a page or a log chunk at a time. The blocking client iterates it with `for`, the asyncio
//! client with `async for`; both poll the same Rust stream on the shared runtime.

use crate::client::Core;
use crate::errors::to_py_err;
use crate::models::{Branch, Credential, DevOpsProject, Pipeline, PipelineRun, RunEvent};
use crate::runtime::{awaitable, ready_now, wait_for};
use futures_util::stream::{BoxStream, Stream, StreamExt};
use ksdevops::log::Utf8Chunks;
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// One item of a stream, made a Python object when it reaches Python.
pub enum Item {
    Pipeline(ksdevops::model::Pipeline),
    Run(ksdevops::model::PipelineRun),
    Branch(ksdevops::model::Branch),
    Credential(ksdevops::model::CredentialSecret),
    Project(ksdevops::model::DevOpsProject),
    Text(String),
    Event(ksdevops::client::RunEvent),
}

impl<'py> IntoPyObject<'py> for Item {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        Ok(match self {
            Item::Pipeline(p) => Bound::new(py, Pipeline::from(p))?.into_any(),
            Item::Run(r) => Bound::new(py, PipelineRun::from(r))?.into_any(),
            Item::Branch(b) => Bound::new(py, Branch::from(b))?.into_any(),
            Item::Credential(c) => Bound::new(py, Credential::from(c))?.into_any(),
            Item::Project(p) => Bound::new(py, DevOpsProject::from(p))?.into_any(),
            Item::Text(t) => t.into_pyobject(py)?.into_any(),
            Item::Event(e) => Bound::new(py, RunEvent::new(py, e)?)?.into_any(),
        })
    }
}

pub type Items<'a> = BoxStream<'a, ksdevops::error::Result<Item>>;

self_cell::self_cell!(
    /// A stream that borrows the core client, kept together with the `Arc` that owns it.
    struct Owned {
        owner: Arc<Core>,
        #[covariant]
        dependent: Items,
    }
);

impl Stream for Owned {
    type Item = ksdevops::error::Result<Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .with_dependent_mut(|_, items| items.as_mut().poll_next(cx))
    }
}

/// An iterator over the items of a list or the chunks of a log. Lazy: each step asks the
/// server only when the items already read are used up.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct ItemStream {
    items: Arc<tokio::sync::Mutex<Option<Owned>>>,
}

impl ItemStream {
    /// The stream `make` builds over `core`.
    pub fn new(core: Arc<Core>, make: impl for<'a> FnOnce(&'a Core) -> Items<'a>) -> Self {
        let owned = Owned::new(core, |core| make(core));
        ItemStream {
            items: Arc::new(tokio::sync::Mutex::new(Some(owned))),
        }
    }
}

/// The next item; `None` at the end (and for good after an error).
async fn next(items: Arc<tokio::sync::Mutex<Option<Owned>>>) -> PyResult<Option<Item>> {
    let mut guard = items.lock().await;
    let Some(stream) = guard.as_mut() else {
        return Ok(None);
    };
    match stream.next().await {
        Some(Ok(item)) => Ok(Some(item)),
        Some(Err(e)) => {
            *guard = None;
            Err(to_py_err(e))
        }
        None => {
            *guard = None;
            Ok(None)
        }
    }
}

#[pymethods]
impl ItemStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Item> {
        let next_item = match ready_now(next(self.items.clone())) {
            Some(ready) => ready,
            None => wait_for(py, next(self.items.clone())),
        };
        next_item?.ok_or_else(|| PyStopIteration::new_err(()))
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.items.clone();
        awaitable(py, async move {
            next(items)
                .await?
                .ok_or_else(|| PyStopAsyncIteration::new_err(()))
        })
    }

    /// Stops the stream now (e.g. a `watch_runs()` that would otherwise go on).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let items = self.items.clone();
        wait_for(py, async move {
            *items.lock().await = None;
            Ok(())
        })
    }
}

/// Log bytes as text chunks, never splitting a character (see [`Utf8Chunks`]).
pub fn text_chunks<'a>(
    bytes: impl Stream<Item = ksdevops::error::Result<Vec<u8>>> + Send + 'a,
) -> Items<'a> {
    let start = (bytes.boxed(), Some(Utf8Chunks::new()));
    futures_util::stream::unfold(start, |(mut bytes, mut decoder)| async move {
        // No decoder: the stream has ended (after its last text, or an error).
        let d = decoder.as_mut()?;
        loop {
            let text = match bytes.next().await {
                Some(Ok(chunk)) => d.feed(&chunk),
                Some(Err(e)) => return Some((Err(e), (bytes, None))),
                None => {
                    let rest = d.finish();
                    return (!rest.is_empty()).then(|| (Ok(Item::Text(rest)), (bytes, None)));
                }
            };
            if !text.is_empty() {
                return Some((Ok(Item::Text(text)), (bytes, decoder)));
            }
        }
    })
    .boxed()
}

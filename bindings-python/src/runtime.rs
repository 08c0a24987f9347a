//! The one tokio runtime behind both clients: blocking calls run on it with the GIL released
//! and stop at Ctrl-C; asyncio calls become awaitables on it.

use pyo3::prelude::*;
use pyo3::types::PyNone;
use std::future::Future;
use std::time::Duration;

/// How often a blocking call lets Python handle signals (Ctrl-C raises KeyboardInterrupt).
const SIGNAL_TICK: Duration = Duration::from_millis(200);

fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Runs `future` on the shared runtime from a blocking call: the GIL is released meanwhile,
/// and pending signals are handled every [`SIGNAL_TICK`]. When a handler raises (Ctrl-C),
/// the future is dropped, which cancels its request, and the exception propagates.
pub fn wait_for<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = PyResult<T>> + Send,
    T: Send,
{
    py.detach(|| {
        runtime().block_on(async {
            tokio::pin!(future);
            loop {
                tokio::select! {
                    outcome = &mut future => return outcome,
                    _ = tokio::time::sleep(SIGNAL_TICK) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })
}

/// `future`'s output if it is ready at its first poll (an item of a page already read, a
/// chunk already received), else `None` and the future is dropped: for streams whose `next`
/// can be asked again, so that what is at hand costs no GIL release and no thread hop.
pub fn ready_now<F: Future>(future: F) -> Option<F::Output> {
    use futures_util::FutureExt;
    let _context = runtime().enter();
    future.now_or_never()
}

/// An asyncio awaitable for `future`, run on the shared runtime. Cancelling the awaitable
/// drops the future.
pub fn awaitable<'py, F, T>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, future)
}

/// `None` in Python (a unit `()` would become an empty tuple through an awaitable).
pub struct Nothing;

impl<'py> IntoPyObject<'py> for Nothing {
    type Target = PyNone;
    type Output = Borrowed<'py, 'py, PyNone>;
    type Error = std::convert::Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(PyNone::get(py))
    }
}

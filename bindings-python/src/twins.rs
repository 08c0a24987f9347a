//! The macro behind every blocking class with an asyncio twin.

/// Declares a blocking class and its asyncio twin (`Client` and `AsyncClient`, `Jenkins` and
/// `AsyncJenkins`) with the methods both have (`shared`), the methods that differ
/// (`blocking`, `asyncio`), and the operations (`ops`): each runs `prep` with the GIL held
/// (argument checks), then `body`, a future over `$core`, a clone of the class's `core`.
macro_rules! twins {
    (
        classes($blocking_class:ident, $async_class:ident)
        shared { $($shared:tt)* }
        blocking { $($blocking:tt)* }
        asyncio { $($asyncio:tt)* }
        ops {
            $(
                $(#[$meta:meta])*
                fn $name:ident($($param:ident : $pty:ty),* $(,)?) -> $out:ty
                    { $($prep:stmt;)* }
                    async |$core:ident| $body:block
            )*
        }
    ) => {
        #[pymethods]
        impl $blocking_class {
            $($shared)*
            $($blocking)*
            $(
                $(#[$meta])*
                fn $name(&self, py: Python<'_>, $($param: $pty),*) -> PyResult<$out> {
                    $($prep;)*
                    let $core = self.core.clone();
                    wait_for(py, async move { let out: PyResult<$out> = $body; out })
                }
            )*
        }

        #[pymethods]
        impl $async_class {
            $($shared)*
            $($asyncio)*
            $(
                $(#[$meta])*
                fn $name<'py>(
                    &self,
                    py: Python<'py>,
                    $($param: $pty),*
                ) -> PyResult<Bound<'py, PyAny>> {
                    $($prep;)*
                    let $core = self.core.clone();
                    awaitable(py, async move { let out: PyResult<$out> = $body; out })
                }
            )*
        }
    };
}

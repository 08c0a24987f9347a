//! `download` to a path, or into a binary file object through a temporary file (the core
//! checks the size and retries a cut-off download before a byte reaches the object).

use crate::args::Destination;
use crate::errors::to_py_err;
use crate::settings::Core;
use ksdevops::client::Download;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::future::Future;
use std::io::Read;
use std::path::{Path, PathBuf};

const COPY_CHUNK: usize = 1 << 20;

pub async fn download(
    core: &Core,
    run: &str,
    artifact: &str,
    dest: Destination,
) -> PyResult<(Option<String>, u64)> {
    into(dest, |path| async move {
        core.download(run, artifact, &path).await
    })
    .await
}

/// Runs `fetch` (a core download to a path) for `dest`: to the path itself, or to a temporary
/// directory whose file is then copied into the file object.
pub async fn into<F, Fut>(dest: Destination, fetch: F) -> PyResult<(Option<String>, u64)>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = ksdevops::error::Result<Download>>,
{
    match dest {
        Destination::Path(path) => {
            let done = fetch(path).await.map_err(to_py_err)?;
            Ok((Some(done.path.to_string_lossy().into_owned()), done.size))
        }
        Destination::File(file) => {
            let dir = tempfile::tempdir()?;
            let done = fetch(dir.path().to_path_buf()).await.map_err(to_py_err)?;
            copy_into(&done.path, &file)?;
            Ok((None, done.size))
        }
    }
}

/// Writes the file at `path` into the Python file object `file`, a chunk at a time.
fn copy_into(path: &Path, file: &Py<PyAny>) -> PyResult<()> {
    let mut source = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; COPY_CHUNK];
    loop {
        let read = source.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        Python::attach(|py| {
            file.call_method1(py, "write", (PyBytes::new(py, &buffer[..read]),))
                .map(drop)
        })?;
    }
}

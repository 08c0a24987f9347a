//! Files a run archived: listing them, and downloading one to disk (native targets).

use super::connection::Client;
use super::paging::{paged_with, PAGE_SIZE};
use crate::api::Operation;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Artifact;
use crate::transport::Transport;
use futures_util::TryStreamExt;

impl<T: Transport> Client<T> {
    /// Every artifact of the run (listed page by page).
    pub async fn artifacts(&self, run: &str) -> Result<Vec<Artifact>> {
        let handle = self.run_handle(run).await?;
        let devops = self.devops().to_owned();
        paged_with(
            self,
            Operation::ListArtifacts,
            move |api, page| {
                let start = (page.page.unwrap_or(1) - 1) * PAGE_SIZE;
                api.list_artifacts(&handle.build(&devops), Some(start), page.limit)
            },
            false,
        )
        .try_collect()
        .await
    }

    /// The listed artifact named `artifact` (its path, or its name).
    pub async fn find_artifact(&self, run: &str, artifact: &str) -> Result<Artifact> {
        let listed = self.artifacts(run).await?;
        let known = listed
            .iter()
            .filter_map(Artifact::file_path)
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        listed
            .iter()
            .find(|a| a.path.as_deref() == Some(artifact))
            .or_else(|| listed.iter().find(|a| a.name.as_deref() == Some(artifact)))
            .cloned()
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!(
                        "run {run:?} has no artifact {artifact:?}; it has: {}",
                        if known.is_empty() { "none" } else { &known }
                    ),
                )
                .with_field("artifact")
            })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod download {
    use super::super::connection::{Client, Resend};
    use super::super::retry::BodyRetries;
    use crate::api::Operation;
    use crate::error::{Error, ErrorKind, Result};
    use crate::transport::Transport;
    use std::fs::File;
    use std::io::Write;
    use std::path::{Path, PathBuf};

    /// A finished download.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Download {
        pub path: PathBuf,
        pub size: u64,
    }

    /// A temporary file removed on drop unless it was renamed into place.
    struct Partial {
        path: PathBuf,
        kept: bool,
    }

    impl Drop for Partial {
        fn drop(&mut self) {
            if !self.kept {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }

    fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
        Error::new(
            ErrorKind::Transport,
            format!("{what} {}: {e}", path.display()),
        )
        .with_field("dest")
    }

    impl<T: Transport> Client<T> {
        /// Downloads `artifact` of `run` to `dest` (a file path, or a directory to put it in
        /// under its own name). The bytes stream to a temporary file next to the target, are
        /// checked against the listed size, and are renamed into place only when complete; a
        /// download cut off is started again (within the retry policy).
        pub async fn download(&self, run: &str, artifact: &str, dest: &Path) -> Result<Download> {
            self.download_with_progress(run, artifact, dest, &mut |_, _| {})
                .await
        }

        /// [`Client::download`], telling `progress` the bytes written so far and the listed
        /// size (when known) after every chunk; a restarted download starts again from 0.
        pub async fn download_with_progress(
            &self,
            run: &str,
            artifact: &str,
            dest: &Path,
            progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
        ) -> Result<Download> {
            let listed = self.find_artifact(run, artifact).await?;
            let file_path = listed.file_path().unwrap_or(artifact).to_owned();
            let expected = listed.size.and_then(|s| u64::try_from(s).ok());
            let base_name = file_path
                .rsplit('/')
                .next()
                .unwrap_or(&file_path)
                .to_owned();
            let target = if dest.is_dir() {
                dest.join(&base_name)
            } else {
                dest.to_path_buf()
            };
            let dir = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let request = self
                .api()
                .await?
                .download_artifact(self.devops(), run, &file_path)?;
            let mut retries = BodyRetries::new(self.config().retry, self.seed());
            loop {
                let temp = dir.join(format!(".{base_name}.{:016x}.part", self.seed()));
                progress(0, expected);
                let error = match self
                    .download_once(&request, &temp, expected, &file_path, progress)
                    .await
                {
                    Ok((mut partial, size)) => {
                        std::fs::rename(&partial.path, &target)
                            .map_err(|e| io_error("cannot move the download to", &target, e))?;
                        partial.kept = true;
                        return Ok(Download { path: target, size });
                    }
                    Err(e) => e,
                };
                let broke_off = error.kind() == ErrorKind::Transport && error.field().is_none();
                match retries.after_break(error.kind()).filter(|_| broke_off) {
                    Some(delay) => self.transport().sleep(delay).await,
                    None => return Err(error),
                }
            }
        }

        async fn download_once(
            &self,
            request: &crate::api::Request,
            temp: &Path,
            expected: Option<u64>,
            name: &str,
            progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
        ) -> Result<(Partial, u64)> {
            let response = self
                .send(Operation::DownloadArtifact, request, Resend::ByMethod)
                .await?;
            let mut file = File::create(temp).map_err(|e| io_error("cannot create", temp, e))?;
            let partial = Partial {
                path: temp.to_path_buf(),
                kept: false,
            };
            let mut body = response.body;
            let mut size = 0u64;
            while let Some(chunk) = body.next_chunk().await? {
                size += chunk.len() as u64;
                if expected.is_some_and(|e| size > e) {
                    break;
                }
                file.write_all(&chunk)
                    .map_err(|e| io_error("cannot write", temp, e))?;
                progress(size, expected);
            }
            super::super::artifact_bytes::check_length(name, size, expected)?;
            file.sync_all()
                .map_err(|e| io_error("cannot write", temp, e))?;
            Ok((partial, size))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use download::Download;

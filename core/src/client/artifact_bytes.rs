//! An artifact's bytes, in memory or chunk by chunk, on every target (the native
//! `Client::download` writes them to a file instead). The bytes are checked against the
//! listed size.

use super::connection::{Client, Resend, MAX_BODY};
use super::retry::BodyRetries;
use crate::api::Operation;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Artifact;
use crate::transport::{ResponseBody, Transport};

/// An artifact being read: its listed path and size, and the body.
pub struct ArtifactBody {
    path: String,
    expected: Option<u64>,
    received: u64,
    body: ResponseBody,
}

impl std::fmt::Debug for ArtifactBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArtifactBody")
            .field("path", &self.path)
            .field("expected", &self.expected)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

/// Fails when `size` bytes arrived for an artifact listed with `expected` bytes.
pub(crate) fn check_length(path: &str, size: u64, expected: Option<u64>) -> Result<()> {
    match expected {
        Some(expected) if size > expected => Err(Error::new(
            ErrorKind::Decode,
            format!("artifact {path:?}: the download is longer than the {expected} bytes listed"),
        )),
        Some(expected) if size < expected => Err(Error::new(
            ErrorKind::Decode,
            format!(
                "artifact {path:?}: the download ended after {size} of the {expected} bytes listed"
            ),
        )),
        _ => Ok(()),
    }
}

impl ArtifactBody {
    /// The artifact's path in the run, as listed.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The listed size in bytes, when the server gave one.
    pub fn size(&self) -> Option<u64> {
        self.expected
    }

    /// The next chunk, or `None` at the end. Fails when the bytes are more or fewer than
    /// listed, or when the connection breaks (the chunks already returned are all that
    /// arrived).
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        match self.body.next_chunk().await? {
            Some(chunk) => {
                self.received += chunk.len() as u64;
                if self.expected.is_some_and(|e| self.received > e) {
                    check_length(&self.path, self.received, self.expected)?;
                }
                Ok(Some(chunk))
            }
            None => {
                check_length(&self.path, self.received, self.expected)?;
                Ok(None)
            }
        }
    }
}

impl<T: Transport> Client<T> {
    /// Starts reading `artifact` (its path or name) of `run`.
    pub async fn open_artifact(&self, run: &str, artifact: &str) -> Result<ArtifactBody> {
        let listed = self.find_artifact(run, artifact).await?;
        self.open_listed(run, &listed, artifact).await
    }

    async fn open_listed(
        &self,
        run: &str,
        listed: &Artifact,
        artifact: &str,
    ) -> Result<ArtifactBody> {
        let path = listed.file_path().unwrap_or(artifact).to_owned();
        let request = self
            .api()
            .await?
            .download_artifact(self.devops(), run, &path)?;
        let response = self
            .send(Operation::DownloadArtifact, &request, Resend::ByMethod)
            .await?;
        Ok(ArtifactBody {
            path,
            expected: listed.size.and_then(|s| u64::try_from(s).ok()),
            received: 0,
            body: response.body,
        })
    }

    /// The bytes of `artifact` (its path or name) of `run`, checked against the listed size;
    /// a download cut off is started again (within the retry policy).
    pub async fn artifact_bytes(&self, run: &str, artifact: &str) -> Result<Vec<u8>> {
        let listed = self.find_artifact(run, artifact).await?;
        let mut retries = BodyRetries::new(self.config().retry, self.seed());
        loop {
            match self.read_listed(run, &listed, artifact).await {
                Ok(bytes) => return Ok(bytes),
                Err(e) if e.kind() == ErrorKind::Transport => match retries.after_break(e.kind()) {
                    Some(delay) => self.transport().sleep(delay).await,
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    }

    async fn read_listed(&self, run: &str, listed: &Artifact, artifact: &str) -> Result<Vec<u8>> {
        let mut body = self.open_listed(run, listed, artifact).await?;
        let mut all = Vec::new();
        while let Some(chunk) = body.next_chunk().await? {
            if all.len() + chunk.len() > MAX_BODY {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "artifact {:?} is larger than the {MAX_BODY}-byte limit for reading it into memory",
                        body.path
                    ),
                ));
            }
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::check_length;
    use crate::error::ErrorKind;

    #[test]
    fn lengths_other_than_listed_are_decode_errors() {
        assert!(check_length("a.txt", 3, Some(3)).is_ok());
        assert!(check_length("a.txt", 3, None).is_ok());
        let short = check_length("a.txt", 2, Some(3)).unwrap_err();
        assert_eq!(short.kind(), ErrorKind::Decode);
        assert!(
            short.message().contains("after 2 of the 3 bytes"),
            "{short}"
        );
        let long = check_length("a.txt", 4, Some(3)).unwrap_err();
        assert!(long.message().contains("longer than the 3 bytes"), "{long}");
    }
}

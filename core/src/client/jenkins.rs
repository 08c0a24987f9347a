//! Direct Jenkins access ([`Jenkins`]): jobs, builds with parameters, build status, console
//! text, artifacts and the agent-labels dashboard, through ks-devops' proxy
//! ([`Client::jenkins`]) or as an administrator at Jenkins' own URL
//! ([`Client::jenkins_admin`]).
//!
//! Neither way needs a CSRF crumb: ks-devops adds one to what its proxy forwards, and Jenkins
//! exempts requests authenticated with an API token (the admin way) from the crumb check.

use super::clock::Deadline;
use super::connection::{Client, Resend};
use super::polling::Look;
use crate::api::{
    ApiLayout, JenkinsRoute, Operation, Request, JENKINS_DEFAULT_USER, JENKINS_TOKEN_KEY,
};
use crate::api::{JENKINS_SECRET, JENKINS_USER_KEY};
use crate::error::{Error, ErrorKind, Result};
use crate::model::ParameterValue;
use crate::model::{AgentLabel, JenkinsBuild, JenkinsJob, JenkinsJobList, JenkinsQueueItem};
use crate::transport::Transport;
use crate::Secret;
use base64::Engine;
use serde_json::Value;

/// Jenkins, reached one way or the other. Borrowed from a [`Client`]; cheap to make.
pub struct Jenkins<'c, T> {
    client: &'c Client<T>,
    /// Jenkins' own URL and `Authorization` for it (the admin way), never shown.
    admin: Option<JenkinsAdmin>,
}

/// Where an administrator reaches Jenkins (its own URL), and the basic credentials from the
/// `devops-jenkins` Secret, never shown: what [`Client::jenkins_admin_login`] read, to reuse
/// with [`Client::jenkins_as_admin`] without reading the Secret again.
#[derive(Clone)]
pub struct JenkinsAdmin {
    url: String,
    authorization: Secret,
}

impl JenkinsAdmin {
    /// Jenkins' own URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl std::fmt::Debug for JenkinsAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JenkinsAdmin")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for Jenkins<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jenkins")
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

/// A build Jenkins queued: the queue item to follow until it has a build number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueuedBuild {
    pub queue_id: u64,
}

impl<T: Transport> Client<T> {
    /// Jenkins through ks-devops' proxy, with this client's credentials and project.
    pub fn jenkins(&self) -> Jenkins<'_, T> {
        Jenkins {
            client: self,
            admin: None,
        }
    }

    /// Jenkins as an administrator: reads the admin API token from the `devops-jenkins`
    /// Secret through KubeSphere's Kubernetes API, then sends to Jenkins' own URL
    /// ([`super::ClientConfig::jenkins_url`], required) with it as basic auth. The token stays
    /// inside the returned value and is never shown.
    pub async fn jenkins_admin(&self) -> Result<Jenkins<'_, T>> {
        Ok(self.jenkins_as_admin(self.jenkins_admin_login().await?))
    }

    /// Jenkins as the administrator `admin` (from [`Client::jenkins_admin_login`]).
    pub fn jenkins_as_admin(&self, admin: JenkinsAdmin) -> Jenkins<'_, T> {
        Jenkins {
            client: self,
            admin: Some(admin),
        }
    }

    /// Reads the admin API token from the `devops-jenkins` Secret, for Jenkins' own URL
    /// ([`super::ClientConfig::jenkins_url`], required).
    pub async fn jenkins_admin_login(&self) -> Result<JenkinsAdmin> {
        let url = self.config().jenkins_url.clone().ok_or_else(|| {
            Error::invalid(
                "jenkins_url",
                "is not set: an administrator reaches Jenkins at its own URL \
                 (http(s)://host[:port][/prefix])",
            )
        })?;
        let url = crate::transport::base_url("jenkins_url", &url)?;
        let request = admin_api(self).await?.get_jenkins_secret()?;
        let secret: Value = self.json(Operation::GetJenkinsSecret, &request).await?;
        let user = secret_key(&secret, JENKINS_USER_KEY)?
            .map(|u| u.expose().to_owned())
            .unwrap_or_else(|| JENKINS_DEFAULT_USER.to_owned());
        let token = secret_key(&secret, JENKINS_TOKEN_KEY)?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("the {JENKINS_SECRET} Secret has no {JENKINS_TOKEN_KEY:?} key"),
            )
        })?;
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", token.expose()));
        Ok(JenkinsAdmin {
            url,
            authorization: Secret::new(format!("Basic {basic}")),
        })
    }
}

/// The builders for the Kubernetes API: without a member cluster both generations use the
/// same paths, so no project is needed to find the layout.
async fn admin_api<T: Transport>(client: &Client<T>) -> Result<crate::api::Api> {
    match client.config().cluster {
        Some(_) => client.api().await,
        None => client.api_for(ApiLayout::default()),
    }
}

/// The base64-decoded value of `key` in a Secret's `data`.
fn secret_key(secret: &Value, key: &str) -> Result<Option<Secret>> {
    let Some(encoded) = secret
        .pointer(&format!("/data/{key}"))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    let bad = || {
        Error::new(
            ErrorKind::Decode,
            format!("the {JENKINS_SECRET} Secret's {key:?} is not base64 UTF-8 text"),
        )
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    Ok(Some(Secret::new(text.trim_end_matches('\n'))))
}

impl<'c, T: Transport> Jenkins<'c, T> {
    /// Whether requests go to Jenkins' own URL as an administrator.
    pub fn is_admin(&self) -> bool {
        self.admin.is_some()
    }

    async fn request(
        &self,
        build: impl FnOnce(&crate::api::Api, &JenkinsRoute<'_>) -> Result<Request>,
    ) -> Result<Request> {
        let Some(admin) = &self.admin else {
            let route = JenkinsRoute::Proxy {
                devops: self.client.devops(),
            };
            return build(&self.client.api().await?, &route);
        };
        let route = JenkinsRoute::Direct { url: &admin.url };
        let mut request = build(&crate::api::Api::new(ApiLayout::default()), &route)?;
        request.headers.push((
            "Authorization".into(),
            admin.authorization.expose().to_owned(),
        ));
        Ok(request)
    }

    /// The jobs of `folder` (`project`, `project/multi-branch-pipeline`), or the top level.
    pub async fn jobs(&self, folder: Option<&str>) -> Result<Vec<JenkinsJob>> {
        let request = self.request(|api, r| api.jenkins_jobs(r, folder)).await?;
        let list: JenkinsJobList = self.client.json(Operation::JenkinsJobs, &request).await?;
        Ok(list.jobs.unwrap_or_default())
    }

    /// Queues a build of `job` (`project/pipeline[/branch]`) with `parameters`;
    /// `secret_names` are password parameters (masked wherever the request is shown).
    /// Sent once: a build request is never repeated.
    pub async fn build(
        &self,
        job: &str,
        parameters: &[ParameterValue],
        secret_names: &[String],
    ) -> Result<QueuedBuild> {
        let request = self
            .request(|api, r| api.jenkins_build(r, job, parameters, secret_names))
            .await?;
        let response = self
            .client
            .send(Operation::JenkinsBuild, &request, Resend::Never)
            .await?;
        let location = response.header("location").unwrap_or_default().to_owned();
        queue_id_of(&location).map(|queue_id| QueuedBuild { queue_id }).ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                format!("Jenkins queued the build but its Location {location:?} names no queue item"),
            )
        })
    }

    /// The build number of a queued build, once Jenkins started it (polling the queue item
    /// within the client's `build_id` timeout).
    pub async fn build_number(&self, queued: QueuedBuild) -> Result<u64> {
        let request = self
            .request(|api, r| api.jenkins_queue_item(r, queued.queue_id))
            .await?;
        let mut deadline = Deadline::after(self.client.config().timeouts.build_id);
        let request = &request;
        let look = || async move {
            let item: JenkinsQueueItem = self
                .client
                .json(Operation::JenkinsQueueItem, request)
                .await?;
            Ok(match (item.executable, item.cancelled) {
                (Some(executable), _) => Look::Done(executable.number),
                (None, true) => Look::Failed(Error::new(
                    ErrorKind::Conflict,
                    format!("queue item {} was cancelled", queued.queue_id),
                )),
                (None, false) => Look::NotYet(item.why),
            })
        };
        self.client
            .poll_until(&mut deadline, look, |limit, why| {
                Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "queue item {} did not start a build within {limit:?}: {}",
                        queued.queue_id,
                        why.unwrap_or_default()
                    ),
                )
            })
            .await
    }

    /// Build `number` of `job` (`api/json`).
    pub async fn status(&self, job: &str, number: u64) -> Result<JenkinsBuild> {
        let request = self
            .request(|api, r| api.jenkins_build_status(r, job, number))
            .await?;
        self.client
            .json(Operation::JenkinsBuildStatus, &request)
            .await
    }

    /// The whole log of build `number` of `job` (`consoleText`).
    pub async fn console(&self, job: &str, number: u64) -> Result<String> {
        let request = self
            .request(|api, r| api.jenkins_console_text(r, job, number))
            .await?;
        self.client
            .text(Operation::JenkinsConsoleText, &request)
            .await
    }

    /// The agent-labels dashboard.
    pub async fn labels(&self) -> Result<Vec<AgentLabel>> {
        let request = self.request(|api, r| api.jenkins_labels(r)).await?;
        let answer: Value = self.client.json(Operation::JenkinsLabels, &request).await?;
        labels_of(answer)
    }

    /// The archived file `artifact` (its relative path) of build `number` of `job`, whole
    /// (at most 64 MiB; [`Jenkins::download`] streams to a file instead), checked against
    /// the `Content-Length` Jenkins sent; a download cut off is started again.
    pub async fn artifact(&self, job: &str, number: u64, artifact: &str) -> Result<Vec<u8>> {
        let request = self
            .request(|api, r| api.jenkins_artifact(r, job, number, artifact))
            .await?;
        let (_, body) = self
            .client
            .fetch(Operation::JenkinsArtifact, &request, Resend::ByMethod)
            .await?;
        Ok(body)
    }

    /// The answer to `GET artifact/…`, its body not read yet (for streaming).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) async fn artifact_response(
        &self,
        job: &str,
        number: u64,
        artifact: &str,
    ) -> Result<crate::transport::Response> {
        let request = self
            .request(|api, r| api.jenkins_artifact(r, job, number, artifact))
            .await?;
        let response = self.client.exchange(&request, Resend::ByMethod).await?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(super::connection::into_error(Operation::JenkinsArtifact, response).await)
        }
    }
}

/// Build parameters given as JSON values (what the bindings receive) as Jenkins' text
/// values: strings as they are, numbers and booleans as written; anything else is refused,
/// naming `values[NAME]`.
pub fn jenkins_parameter_values(values: &[(String, Value)]) -> Result<Vec<ParameterValue>> {
    values
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Bool(_) | Value::Number(_) => value.to_string(),
                _ => {
                    return Err(Error::invalid(
                        format!("values[{name:?}]"),
                        "must be a string, a number or a boolean",
                    ))
                }
            };
            Ok(ParameterValue {
                name: name.clone(),
                value: text,
            })
        })
        .collect()
}

/// `N` of a `…/queue/item/N/` Location.
fn queue_id_of(location: &str) -> Option<u64> {
    let rest = &location[location.find("/queue/item/")? + "/queue/item/".len()..];
    rest.trim_end_matches('/').parse().ok()
}

/// The dashboard's labels: a list of `{label, …}` (or of names), possibly wrapped in
/// `{"data": […]}`.
fn labels_of(answer: Value) -> Result<Vec<AgentLabel>> {
    let items = match answer {
        Value::Object(mut map) if map.contains_key("data") => {
            map.remove("data").unwrap_or_default()
        }
        other => other,
    };
    let Value::Array(items) = items else {
        return Err(Error::new(
            ErrorKind::Decode,
            "the agent-labels dashboard is not a list",
        ));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(label) => Ok(AgentLabel {
                label,
                extra: Default::default(),
            }),
            other => serde_json::from_value(other)
                .map_err(|e| Error::new(ErrorKind::Decode, format!("an agent label: {e}"))),
        })
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
mod download {
    use super::Jenkins;
    use crate::client::Download;
    use crate::error::{Error, ErrorKind, Result};
    use crate::transport::Transport;
    use std::io::Write;
    use std::path::{Path, PathBuf};

    fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
        Error::new(
            ErrorKind::Transport,
            format!("{what} {}: {e}", path.display()),
        )
        .with_field("dest")
    }

    impl<T: Transport> Jenkins<'_, T> {
        /// Streams `artifact` (its relative path) of build `number` of `job` to `dest` (a
        /// file, or a directory to put it in under its own name): written to a temporary
        /// file beside the target and renamed into place only once complete.
        pub async fn download(
            &self,
            job: &str,
            number: u64,
            artifact: &str,
            dest: &Path,
        ) -> Result<Download> {
            let response = self.artifact_response(job, number, artifact).await?;
            let expected: Option<u64> = response
                .header("content-length")
                .and_then(|l| l.trim().parse().ok());
            let base = artifact.rsplit('/').next().unwrap_or(artifact);
            let target = if dest.is_dir() {
                dest.join(base)
            } else {
                dest.to_path_buf()
            };
            let dir = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let temp = Partial(dir.join(format!(".{base}.{:016x}.part", self.client.seed())));
            let mut file = std::fs::File::create(&temp.0)
                .map_err(|e| io_error("cannot create", &temp.0, e))?;
            let mut body = response.body;
            let mut size = 0u64;
            while let Some(chunk) = body.next_chunk().await? {
                size += chunk.len() as u64;
                file.write_all(&chunk)
                    .map_err(|e| io_error("cannot write", &temp.0, e))?;
            }
            file.sync_all()
                .map_err(|e| io_error("cannot write", &temp.0, e))?;
            crate::client::artifact_bytes::check_length(artifact, size, expected)?;
            std::fs::rename(&temp.0, &target)
                .map_err(|e| io_error("cannot move the download to", &target, e))?;
            Ok(Download { path: target, size })
        }
    }

    /// A file being written, removed on drop (a no-op once renamed into place).
    struct Partial(PathBuf);

    impl Drop for Partial {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_ids_come_from_the_location() {
        assert_eq!(queue_id_of("http://jenkins/queue/item/42/"), Some(42));
        assert_eq!(queue_id_of("/queue/item/7"), Some(7));
        assert_eq!(queue_id_of("http://jenkins/job/x/"), None);
    }

    #[test]
    fn labels_read_in_either_shape() {
        let wrapped = serde_json::json!({"data": [{"label": "maven", "nodes": []}, "go"]});
        let labels = labels_of(wrapped).unwrap();
        assert_eq!(labels[0].label, "maven");
        assert_eq!(labels[1].label, "go");
        assert!(labels_of(serde_json::json!({"x": 1})).is_err());
    }
}

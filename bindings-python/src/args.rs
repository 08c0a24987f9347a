//! The client's arguments, from Python objects to what the core takes. Bad values raise
//! InvalidInput naming the argument.

use crate::errors::to_py_err;
use crate::models::{Artifact, DevOpsProject, Pipeline, PipelineRun};
use ksdevops::client::WaitUntil;
use ksdevops::model::{self, Credential, CredentialKind};
use ksdevops::{Error, Secret};
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::path::PathBuf;
use std::time::Duration;

fn invalid(field: &str, message: impl Into<String>) -> PyErr {
    to_py_err(Error::invalid(field, message))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A run given by name or as a `PipelineRun`.
pub fn run_name(run: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(run) = run.cast::<PipelineRun>() {
        return run
            .get()
            .inner
            .name()
            .map(str::to_owned)
            .ok_or_else(|| invalid("run", "the PipelineRun has no name"));
    }
    if let Ok(name) = run.cast::<PyString>() {
        return Ok(name.to_cow()?.into_owned());
    }
    Err(invalid(
        "run",
        format!(
            "must be a run name or a PipelineRun, not {}",
            type_name(run)
        ),
    ))
}

/// An artifact given by path (or name) or as an `Artifact`.
pub fn artifact_path(artifact: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(artifact) = artifact.cast::<Artifact>() {
        return artifact
            .get()
            .inner
            .file_path()
            .map(str::to_owned)
            .ok_or_else(|| invalid("artifact", "the Artifact has no path"));
    }
    if let Ok(path) = artifact.cast::<PyString>() {
        return Ok(path.to_cow()?.into_owned());
    }
    Err(invalid(
        "artifact",
        format!("must be a path or an Artifact, not {}", type_name(artifact)),
    ))
}

/// A pipeline given as a `Pipeline` or as its JSON data.
pub fn pipeline(pipeline: &Bound<'_, PyAny>) -> PyResult<model::Pipeline> {
    if let Ok(p) = pipeline.cast::<Pipeline>() {
        return Ok(p.get().inner.clone());
    }
    crate::models::from_dict(pipeline, "pipeline")
}

/// A project given as a `DevOpsProject` or as its JSON data.
pub fn project(project: &Bound<'_, PyAny>) -> PyResult<model::DevOpsProject> {
    if let Ok(p) = project.cast::<DevOpsProject>() {
        return Ok(p.get().inner.clone());
    }
    crate::models::from_dict(project, "project")
}

/// A GitRepository from its dict (as `get_git_repository` gives it).
pub fn git_repository(repository: &Bound<'_, PyAny>) -> PyResult<model::GitRepository> {
    crate::models::from_dict(repository, "repository")
}

/// What a run is started from: a branch (or none, for a regular pipeline) or a tag.
pub enum Ref {
    Branch(Option<String>),
    Tag(String),
}

/// `branch` or `tag`, never both.
pub fn branch_or_tag(branch: Option<String>, tag: Option<String>) -> PyResult<Ref> {
    match (branch, tag) {
        (Some(_), Some(tag)) => Err(invalid(
            "tag",
            format!("{tag:?} given with a branch: a run is of a branch or of a tag"),
        )),
        (None, Some(tag)) => Ok(Ref::Tag(tag)),
        (branch, None) => Ok(Ref::Branch(branch)),
    }
}

/// Seconds as a duration: finite and above zero; None stays None (the core's default).
pub fn seconds(value: Option<f64>, field: &str) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(invalid(
            field,
            format!("{s} is not a number of seconds above zero"),
        )),
    }
}

/// `"finished"` or `"paused"`.
pub fn wait_until(until: &str) -> PyResult<WaitUntil> {
    match until {
        "finished" => Ok(WaitUntil::Finished),
        "paused" => Ok(WaitUntil::Paused),
        other => Err(invalid(
            "until",
            format!("{other:?} is not \"finished\" or \"paused\""),
        )),
    }
}

/// Parameter values: a dict, or (name, value) pairs; None is none.
pub fn values(values: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, serde_json::Value)>> {
    match values {
        None => Ok(Vec::new()),
        Some(v) if v.is_none() => Ok(Vec::new()),
        Some(v) => crate::convert::pairs_from_py(v),
    }
}

/// Where a download goes: a path (file or directory), or a binary file object.
pub enum Destination {
    Path(PathBuf),
    File(Py<PyAny>),
}

pub fn destination(dest: &Bound<'_, PyAny>) -> PyResult<Destination> {
    if dest.hasattr("write")? {
        return Ok(Destination::File(dest.clone().unbind()));
    }
    dest.extract::<PathBuf>()
        .map(Destination::Path)
        .map_err(|_| {
            invalid(
                "dest",
                format!(
                    "must be a path or a binary file object, not {}",
                    type_name(dest)
                ),
            )
        })
}

/// The secret fields of `create_credential`, by the name of the argument.
pub struct CredentialFields {
    pub username: Option<String>,
    pub password: Option<String>,
    pub private_key: Option<String>,
    pub passphrase: Option<String>,
    pub secret: Option<String>,
    pub content: Option<String>,
}

/// A credential of `kind` (`basic-auth`, `ssh-auth`, `secret-text`, `kubeconfig`) from the
/// fields that kind takes; a missing or foreign field is named in the error.
pub fn credential(
    name: &str,
    kind: &str,
    fields: CredentialFields,
    description: Option<String>,
) -> PyResult<Credential> {
    let kind = CredentialKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| {
            let known: Vec<&str> = CredentialKind::ALL.iter().map(|k| k.as_str()).collect();
            invalid(
                "kind",
                format!("{kind:?} is not one of {}", known.join(", ")),
            )
        })?;
    let given = [
        ("username", fields.username.is_some()),
        ("password", fields.password.is_some()),
        ("private_key", fields.private_key.is_some()),
        ("passphrase", fields.passphrase.is_some()),
        ("secret", fields.secret.is_some()),
        ("content", fields.content.is_some()),
    ];
    if let Some((field, _)) = given
        .iter()
        .find(|(field, set)| *set && !kind.data_keys().contains(field))
    {
        return Err(invalid(
            field,
            format!("is not a field of a {} credential", kind.as_str()),
        ));
    }
    let required = |value: Option<String>, field: &str| {
        value.ok_or_else(|| {
            invalid(
                field,
                format!("is required for a {} credential", kind.as_str()),
            )
        })
    };
    let credential = match kind {
        CredentialKind::BasicAuth => Credential::basic_auth(
            name,
            required(fields.username, "username")?,
            Secret::new(required(fields.password, "password")?),
        ),
        CredentialKind::SshAuth => Credential::ssh_auth(
            name,
            required(fields.username, "username")?,
            Secret::new(required(fields.private_key, "private_key")?),
            fields.passphrase.map(Secret::new),
        ),
        CredentialKind::SecretText => {
            Credential::secret_text(name, Secret::new(required(fields.secret, "secret")?))
        }
        CredentialKind::Kubeconfig => {
            Credential::kubeconfig(name, Secret::new(required(fields.content, "content")?))
        }
    };
    Ok(match description {
        Some(d) => credential.with_description(d),
        None => credential,
    })
}

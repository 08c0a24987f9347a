//! v1alpha3 GitRepository resources of a DevOps project (`/namespaces/{devops}` in both
//! layouts): list, get, create, update, delete.

use super::creator::annotate_creator;
use super::encode::encode_segment;
use super::request::{Method, Request, JSON};
use super::scope::{Api, GROUP, V1ALPHA3};
use super::{validate, Page};
use crate::error::{Error, Result};
use crate::model::GitRepository;
use serde_json::json;

/// What a new GitRepository says: its provider, URL and, optionally, the credential that
/// reads it (a credential of the same project).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GitRepositoryInput<'a> {
    pub name: &'a str,
    pub provider: &'a str,
    pub url: &'a str,
    pub secret: Option<&'a str>,
}

impl Api {
    fn git_repositories(&self, devops: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        Ok(format!("{}/gitrepositories", self.namespace(devops)))
    }

    fn git_repository_path(&self, devops: &str, name: &str) -> Result<String> {
        let list = self.git_repositories(devops)?;
        validate::dns_subdomain("git_repository", name)?;
        Ok(format!("{list}/{}", encode_segment(name)))
    }

    pub fn list_git_repositories(&self, devops: &str, page: Page) -> Result<Request> {
        page.apply(Request::new(Method::Get, self.git_repositories(devops)?).accept(JSON))
    }

    pub fn get_git_repository(&self, devops: &str, name: &str) -> Result<Request> {
        Ok(Request::new(Method::Get, self.git_repository_path(devops, name)?).accept(JSON))
    }

    /// Creates a GitRepository, with the `kubesphere.io/creator` annotation when `creator`
    /// is given.
    pub fn create_git_repository(
        &self,
        devops: &str,
        input: &GitRepositoryInput<'_>,
        creator: Option<&str>,
    ) -> Result<Request> {
        let path = self.git_repositories(devops)?;
        validate::dns_subdomain("git_repository", input.name)?;
        let mut spec = json!({
            "provider": validate::non_empty("provider", input.provider)?,
            "url": url(input.url)?,
        });
        if let Some(secret) = input.secret {
            spec["secret"] = json!({
                "name": validate::dns_subdomain("secret", secret)?,
                "namespace": devops,
            });
        }
        let mut body = json!({
            "apiVersion": format!("{GROUP}/{V1ALPHA3}"),
            "kind": "GitRepository",
            "metadata": {"name": input.name, "namespace": devops},
            "spec": spec,
        });
        if let Some(object) = body.as_object_mut() {
            annotate_creator(object, creator)?;
        }
        Ok(Request::new(Method::Post, path)
            .accept(JSON)
            .json_body(body))
    }

    /// Replaces the GitRepository named by `repository.metadata.name` (read it first: the
    /// whole object is sent back).
    pub fn update_git_repository(
        &self,
        devops: &str,
        repository: &GitRepository,
    ) -> Result<Request> {
        let name = repository
            .name()
            .ok_or_else(|| Error::invalid("git_repository.metadata.name", "is required"))?;
        let path = self.git_repository_path(devops, name)?;
        if let Some(url_value) = &repository.spec.url {
            url(url_value)?;
        }
        if let Some(provider) = &repository.spec.provider {
            validate::non_empty("provider", provider)?;
        }
        if let Some(secret) = &repository.spec.secret {
            validate::dns_subdomain("secret", &secret.name)?;
        }
        let body = serde_json::to_value(repository)
            .map_err(|e| Error::invalid("git_repository", e.to_string()))?;
        Ok(Request::new(Method::Put, path).accept(JSON).json_body(body))
    }

    pub fn delete_git_repository(&self, devops: &str, name: &str) -> Result<Request> {
        Ok(Request::new(Method::Delete, self.git_repository_path(devops, name)?).accept(JSON))
    }
}

/// A repository URL: `http(s)://`, `ssh://`, `git://` or scp-like `user@host:path`.
fn url(value: &str) -> Result<&str> {
    validate::non_empty("url", value)?;
    let schemes = ["https://", "http://", "ssh://", "git://"];
    let scp_like = value.contains('@') && value.contains(':') && !value.contains(' ');
    if schemes.iter().any(|s| value.starts_with(s)) || scp_like {
        Ok(value)
    } else {
        Err(Error::invalid(
            "url",
            format!("{value:?} is not a repository URL: expected https://, http://, ssh://, git:// or user@host:path"),
        ))
    }
}

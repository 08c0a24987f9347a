//! GitRepository resources.

use super::{creator, not_routed, page, CLUSTER};
use crate::api::args::Args;
use crate::api::{Api, GitRepositoryInput, Operation, Request};
use crate::error::{Error, Result};

pub(super) fn git_repositories(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListGitRepositories => {
            a.only(&[CLUSTER, "devops", "page", "limit"])?;
            api.list_git_repositories(a.str("devops")?, page(a)?)
        }
        GetGitRepository | DeleteGitRepository => {
            a.only(&[CLUSTER, "devops", "git_repository"])?;
            let (devops, name) = (a.str("devops")?, a.str("git_repository")?);
            if operation == GetGitRepository {
                api.get_git_repository(devops, name)
            } else {
                api.delete_git_repository(devops, name)
            }
        }
        CreateGitRepository => create(api, a),
        UpdateGitRepository => {
            a.only(&[CLUSTER, "devops", "git_repository"])?;
            let repository = serde_json::from_value(a.value("git_repository")?.clone())
                .map_err(|e| Error::invalid("git_repository", e.to_string()))?;
            api.update_git_repository(a.str("devops")?, &repository)
        }
        _ => Err(not_routed(operation)),
    }
}

fn create(api: &Api, a: &Args<'_>) -> Result<Request> {
    a.only(&[
        CLUSTER,
        "devops",
        "git_repository",
        "provider",
        "url",
        "secret",
        "creator",
        "token",
    ])?;
    let input = GitRepositoryInput {
        name: a.str("git_repository")?,
        provider: a.str("provider")?,
        url: a.str("url")?,
        secret: a.opt_str("secret")?,
    };
    api.create_git_repository(a.str("devops")?, &input, creator(a)?.as_deref())
}

//! The repository a URL names, for each kind of multi-branch source: owner and repository of
//! GitHub-like servers (GitLab groups, Bitbucket Server projects), the URL itself for plain
//! git and Subversion.

use super::scm_source::{
    GitSource, GithubSource, GitlabSource, ScmSource, SingleSvnSource, SourceType, SvnSource,
};
use crate::error::{Error, Result};

const FIELD: &str = "url";
const GITHUB: &str = "https://github.com";

/// A repository URL cut into its server (`scheme://host[:port]`) and its path.
struct Location {
    server: String,
    path: String,
}

impl ScmSource {
    /// The source of `kind` over the repository at `url`, with nothing else set:
    /// - git: the URL as given; svn and single_svn: the URL as the remote;
    /// - github: owner and repository of `https://host/OWNER/REPO(.git)`,
    ///   `ssh://git@host/OWNER/REPO.git` or `git@host:OWNER/REPO.git`; a server other than
    ///   github.com is GitHub Enterprise, whose API is at `/api/v3`;
    /// - gitlab: the same, the owner possibly a group path (`group/subgroup`), and the server;
    /// - bitbucket_server: `…/projects/KEY/repos/REPO` or `…/scm/key/repo.git`, the server as
    ///   its API.
    ///
    /// Refuses (field `url`) an empty URL, control characters, a password in the URL (it
    /// would be stored in the pipeline for anyone to read: keep it in a credential) and a
    /// path that does not name one repository.
    ///
    /// ```
    /// use ksdevops::model::{ScmSource, SourceType};
    /// let ScmSource::Gitlab(source) =
    ///     ScmSource::from_url(&SourceType::Gitlab, "git@gitlab.corp:team/infra/app.git").unwrap()
    /// else { unreachable!() };
    /// assert_eq!(source.github.owner.as_deref(), Some("team/infra"));
    /// assert_eq!(source.github.repo.as_deref(), Some("app"));
    /// assert_eq!(source.server_name.as_deref(), Some("https://gitlab.corp"));
    /// ```
    pub fn from_url(kind: &SourceType, url: &str) -> Result<ScmSource> {
        check_url(url)?;
        let remote = Some(url.to_owned());
        Ok(match kind {
            SourceType::Git => ScmSource::Git(GitSource {
                url: remote,
                ..GitSource::default()
            }),
            SourceType::Svn => ScmSource::Svn(SvnSource {
                remote,
                ..SvnSource::default()
            }),
            SourceType::SingleSvn => ScmSource::SingleSvn(SingleSvnSource {
                remote,
                ..SingleSvnSource::default()
            }),
            SourceType::Github => {
                let (source, server) = github_like(url, kind)?;
                let api_uri = (server != GITHUB).then(|| format!("{server}/api/v3"));
                ScmSource::Github(GithubSource { api_uri, ..source })
            }
            SourceType::Gitlab => {
                let (github, server) = github_like(url, kind)?;
                ScmSource::Gitlab(GitlabSource {
                    server_name: Some(server),
                    github,
                })
            }
            SourceType::BitbucketServer => {
                let (source, server) = github_like(url, kind)?;
                ScmSource::BitbucketServer(GithubSource {
                    api_uri: Some(server),
                    ..source
                })
            }
            SourceType::Other(other) => {
                return Err(Error::invalid(
                    "source_type",
                    format!("{other:?} is not a kind of source this library knows"),
                ))
            }
        })
    }
}

fn check_url(url: &str) -> Result<()> {
    if url.trim().is_empty() || url.chars().any(char::is_control) {
        return Err(Error::invalid(
            FIELD,
            format!("{url:?} is not a repository URL"),
        ));
    }
    if has_password(url) {
        return Err(Error::invalid(
            FIELD,
            "holds a password; keep it in a credential and give the credential's id",
        ));
    }
    Ok(())
}

/// `scheme://user:password@host/…`: a colon in the part before the last `@` of the authority.
fn has_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// The GitHub-like source (owner and repository) of `url` and its server.
fn github_like(url: &str, kind: &SourceType) -> Result<(GithubSource, String)> {
    let bad = || {
        Error::invalid(
            FIELD,
            format!("{url:?} is not the URL of a {kind} repository, like https://host/OWNER/REPO"),
        )
    };
    let location = locate(url).ok_or_else(bad)?;
    let (owner, repo) = owner_and_repo(&location.path, kind).ok_or_else(bad)?;
    let source = GithubSource {
        owner: Some(owner),
        repo: Some(repo),
        ..GithubSource::default()
    };
    Ok((source, location.server))
}

/// Server and path of `http(s)://[user@]host[:port]/path`, of `ssh://[user@]host[:port]/path`
/// and of the scp-like `user@host:path` (the server of the last two is `https://host`).
fn locate(url: &str) -> Option<Location> {
    let (scheme, host_port, path) = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host_port = authority.rsplit('@').next().unwrap_or_default();
            (scheme.to_ascii_lowercase(), host_port, path)
        }
        None => {
            let (user_host, path) = url.split_once(':')?;
            (String::from("ssh"), user_host.rsplit('@').next()?, path)
        }
    };
    let host = host_port.split(':').next().unwrap_or_default();
    if host.is_empty() || host.contains(['/', '\\', ' ']) {
        return None;
    }
    let server = match scheme.as_str() {
        "http" | "https" => format!("{scheme}://{host_port}"),
        "ssh" | "git" => format!("https://{host}"),
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default().to_owned();
    Some(Location { server, path })
}

/// Owner and repository of a repository path. Only GitLab nests owners (groups); Bitbucket
/// Server names a project key and a repository in its own layouts.
fn owner_and_repo(path: &str, kind: &SourceType) -> Option<(String, String)> {
    let trimmed = path.trim_end_matches('/');
    let trimmed = trimmed.strip_suffix(".git").unwrap_or(trimmed);
    let mut segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    if *kind == SourceType::BitbucketServer {
        if let [.., "projects", key, "repos", repo] | [.., "scm", key, repo] = segments[..] {
            segments = vec![key, repo];
        }
    }
    match segments.as_slice() {
        [owner @ .., repo]
            if owner.len() == 1 || (!owner.is_empty() && *kind == SourceType::Gitlab) =>
        {
            Some((owner.join("/"), (*repo).to_owned()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github(url: &str) -> GithubSource {
        match ScmSource::from_url(&SourceType::Github, url).unwrap() {
            ScmSource::Github(source) => source,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn github_urls_name_owner_and_repository() {
        for url in [
            "https://github.com/kubesphere/devops-java-sample.git",
            "https://github.com/kubesphere/devops-java-sample/",
            "git@github.com:kubesphere/devops-java-sample.git",
            "ssh://git@github.com/kubesphere/devops-java-sample.git",
        ] {
            let source = github(url);
            assert_eq!(source.owner.as_deref(), Some("kubesphere"), "{url}");
            assert_eq!(source.repo.as_deref(), Some("devops-java-sample"), "{url}");
            assert_eq!(source.api_uri, None, "{url}");
        }
    }

    #[test]
    fn github_enterprise_has_its_api_on_its_own_server() {
        let source = github("https://ghe.corp:8443/a/b");
        assert_eq!(
            source.api_uri.as_deref(),
            Some("https://ghe.corp:8443/api/v3")
        );
        assert_eq!(
            github("git@ghe.corp:a/b.git").api_uri.as_deref(),
            Some("https://ghe.corp/api/v3")
        );
    }

    #[test]
    fn gitlab_owners_may_be_group_paths() {
        let ScmSource::Gitlab(source) =
            ScmSource::from_url(&SourceType::Gitlab, "https://gitlab.com/group/sub/app.git")
                .unwrap()
        else {
            panic!("not a GitLab source")
        };
        assert_eq!(source.server_name.as_deref(), Some("https://gitlab.com"));
        assert_eq!(source.github.owner.as_deref(), Some("group/sub"));
        assert_eq!(source.github.repo.as_deref(), Some("app"));
    }

    #[test]
    fn bitbucket_server_paths_name_project_and_repository() {
        for url in [
            "https://bb.corp/projects/OPS/repos/app",
            "https://bb.corp/scm/OPS/app.git",
            "https://bb.corp/OPS/app",
        ] {
            let ScmSource::BitbucketServer(source) =
                ScmSource::from_url(&SourceType::BitbucketServer, url).unwrap()
            else {
                panic!("not a Bitbucket Server source")
            };
            assert_eq!(source.api_uri.as_deref(), Some("https://bb.corp"), "{url}");
            assert_eq!(
                (source.owner.as_deref(), source.repo.as_deref()),
                (Some("OPS"), Some("app")),
                "{url}"
            );
        }
    }

    #[test]
    fn plain_git_and_subversion_keep_the_url() {
        let git = ScmSource::from_url(&SourceType::Git, "file:///srv/repo").unwrap();
        assert_eq!(git, ScmSource::git("file:///srv/repo"));
        let ScmSource::Svn(svn) =
            ScmSource::from_url(&SourceType::Svn, "svn://svn.corp/app").unwrap()
        else {
            panic!("not a Subversion source")
        };
        assert_eq!(svn.remote.as_deref(), Some("svn://svn.corp/app"));
    }

    #[test]
    fn refusals_name_the_url_and_never_show_a_password() {
        let refused = |kind: SourceType, url: &str| ScmSource::from_url(&kind, url).unwrap_err();
        for (kind, url) in [
            (SourceType::Github, "https://github.com/only-owner"),
            (SourceType::Github, "https://github.com/a/b/c"),
            (SourceType::Github, "https://github.com/a/../b"),
            (SourceType::Gitlab, "https://gitlab.com/"),
            (SourceType::Github, "ftp://host/a/b"),
            (SourceType::Github, "not a url"),
            (SourceType::Git, ""),
            (SourceType::Git, "https://git.corp/a\n.git"),
        ] {
            let err = refused(kind, url);
            assert_eq!(err.field(), Some(FIELD), "{url}");
            assert!(err.message().contains(&format!("{url:?}")), "{err}");
        }
        for (kind, url) in [
            (SourceType::Git, "https://u:planted@git.corp/a.git"),
            (SourceType::Github, "https://u:planted@github.com/a/b"),
            (SourceType::Svn, "svn://u:planted@svn.corp/app"),
        ] {
            let err = refused(kind, url);
            assert_eq!(err.field(), Some(FIELD));
            assert!(
                err.message().contains("password") && !err.message().contains("planted"),
                "{err}"
            );
        }
        assert!(ScmSource::from_url(&SourceType::Git, "https://user@git.corp/a.git").is_ok());
    }
}

//! `pipelines create NAME --git-url URL …`: a multi-branch pipeline over a repository, in
//! the core's model, with the fields the KubeSphere console fills for each source.

use crate::cli::ScmArgs;
use crate::exit::Failure;
use ksdevops::model::{
    DiscoverPrFromForks, GitSource, GithubSource, GitlabSource, Pipeline, ScmSource, SvnSource,
};

/// Jenkins' branch-discovery strategies of GitHub-like sources.
const EXCLUDE_PRS: i64 = 1;
const ONLY_PRS: i64 = 2;
const ALL_BRANCHES: i64 = 3;
/// Pull requests from the origin and from forks: build the merge with the target branch;
/// trust forks' contributors (the console's defaults).
const PR_MERGED: i64 = 2;
const TRUST_CONTRIBUTORS: i64 = 2;

/// The multi-branch pipeline `name` over the repository the flags describe.
pub fn pipeline(name: &str, scm: &ScmArgs) -> Result<Pipeline, Failure> {
    let url = scm
        .git_url
        .as_deref()
        .ok_or_else(|| Failure::usage("--source: needs --git-url URL"))?;
    check_url(url)?;
    let source = match scm.source.as_deref().unwrap_or("git") {
        "git" => git(url, scm)?,
        "svn" => svn(url, scm)?,
        "github" => ScmSource::Github(github_like(url, scm, "github")?.0),
        "gitlab" => {
            let (github, server) = github_like(url, scm, "gitlab")?;
            ScmSource::Gitlab(GitlabSource {
                server_name: Some(server),
                github,
            })
        }
        "bitbucket" => {
            let (mut source, server) = github_like(url, scm, "bitbucket")?;
            source.api_uri = Some(server);
            ScmSource::BitbucketServer(source)
        }
        other => {
            return Err(Failure::usage(format!(
                "--source {other:?}: expected git, github, gitlab, bitbucket or svn"
            )))
        }
    };
    let mut pipeline = Pipeline::multi_branch(name, source);
    if let (Some(path), Some(spec)) = (
        &scm.script_path,
        pipeline.spec.multi_branch_pipeline.as_mut(),
    ) {
        if path.trim().is_empty() || path.starts_with('/') || path.split('/').any(|s| s == "..") {
            return Err(Failure::usage(format!(
                "--script-path {path:?}: expected a path inside the repository, like Jenkinsfile or ci/Jenkinsfile"
            )));
        }
        spec.script_path = path.clone();
    }
    Ok(pipeline)
}

/// A URL with a password in it would store that password in the pipeline for all to read.
fn check_url(url: &str) -> Result<(), Failure> {
    if url.trim().is_empty() || url.chars().any(char::is_control) {
        return Err(Failure::usage(format!(
            "--git-url {url:?}: expected a repository URL"
        )));
    }
    if let Ok(parsed) = url::Url::parse(url) {
        if parsed.password().is_some() {
            return Err(Failure::usage(
                "--git-url: holds a password; keep it in a credential and pass --credential ID",
            ));
        }
    }
    Ok(())
}

fn git(url: &str, scm: &ScmArgs) -> Result<ScmSource, Failure> {
    let discover_branches = match scm.discover_branches.as_deref() {
        None | Some("all") => true,
        Some("none") => false,
        Some(other) => {
            return Err(Failure::usage(format!(
                "--discover-branches {other}: a plain git source has no pull requests; expected all or none"
            )))
        }
    };
    Ok(ScmSource::Git(GitSource {
        url: Some(url.to_owned()),
        credential_id: scm.credential.clone(),
        discover_branches: Some(discover_branches),
        discover_tags: Some(scm.discover_tags),
        ..GitSource::default()
    }))
}

fn svn(url: &str, scm: &ScmArgs) -> Result<ScmSource, Failure> {
    let refused = if scm.discover_tags {
        Some("--discover-tags")
    } else if scm.discover_branches.is_some() {
        Some("--discover-branches")
    } else {
        None
    };
    if let Some(flag) = refused {
        return Err(Failure::usage(format!(
            "{flag}: not for --source svn (Subversion lays out branches and tags as directories)"
        )));
    }
    Ok(ScmSource::Svn(SvnSource {
        remote: Some(url.to_owned()),
        credential_id: scm.credential.clone(),
        ..SvnSource::default()
    }))
}

/// The GitHub-like source of `url` and its server (`scheme://host[:port]`).
fn github_like(url: &str, scm: &ScmArgs, kind: &str) -> Result<(GithubSource, String), Failure> {
    let (server, owner, repo) = repository_path(url, kind)?;
    let discover_branches = match scm.discover_branches.as_deref() {
        None | Some("exclude-prs") => Some(EXCLUDE_PRS),
        Some("only-prs") => Some(ONLY_PRS),
        Some("all") => Some(ALL_BRANCHES),
        Some(_) => None,
    };
    let api_uri =
        (kind == "github" && server != "https://github.com").then(|| format!("{server}/api/v3"));
    let source = GithubSource {
        owner: Some(owner),
        repo: Some(repo),
        credential_id: scm.credential.clone(),
        api_uri,
        discover_branches,
        discover_pr_from_origin: Some(PR_MERGED),
        discover_pr_from_forks: Some(DiscoverPrFromForks {
            strategy: Some(PR_MERGED),
            trust: Some(TRUST_CONTRIBUTORS),
            ..DiscoverPrFromForks::default()
        }),
        discover_tags: Some(scm.discover_tags),
        ..GithubSource::default()
    };
    Ok((source, server))
}

/// Server, owner and repository of `https://host/owner/repo(.git)`, of
/// `git@host:owner/repo.git`, and of Bitbucket Server's `…/projects/KEY/repos/REPO` and
/// `…/scm/key/repo.git`. A GitLab owner may be a group path (`group/subgroup`).
fn repository_path(url: &str, kind: &str) -> Result<(String, String, String), Failure> {
    let bad = || {
        Failure::usage(format!(
            "--git-url {url:?}: expected the {kind} repository's URL, like https://host/OWNER/REPO"
        ))
    };
    let (server, path) = match url::Url::parse(url) {
        Ok(parsed) if parsed.host_str().is_some() && parsed.scheme().starts_with("http") => {
            let host = parsed.host_str().unwrap_or_default();
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            (
                format!("{}://{host}{port}", parsed.scheme()),
                parsed.path().to_owned(),
            )
        }
        _ => {
            // scp-like `user@host:owner/repo.git`
            let (user_host, path) = url.split_once(':').ok_or_else(bad)?;
            let host = user_host.rsplit('@').next().unwrap_or_default();
            if host.is_empty() || host.contains('/') {
                return Err(bad());
            }
            (format!("https://{host}"), path.to_owned())
        }
    };
    let mut segments: Vec<&str> = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if kind == "bitbucket" {
        segments = match segments.as_slice() {
            [.., "projects", key, "repos", repo] | [.., "scm", key, repo] => vec![key, repo],
            _ => segments,
        };
    }
    match segments.as_slice() {
        [owner @ .., repo] if !owner.is_empty() && (kind == "gitlab" || owner.len() == 1) => {
            if segments.contains(&"..") {
                return Err(bad());
            }
            Ok((server, owner.join("/"), (*repo).to_owned()))
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scm(source: &str, url: &str) -> ScmArgs {
        ScmArgs {
            source: Some(source.into()),
            git_url: Some(url.into()),
            credential: Some("repo-cred".into()),
            script_path: None,
            discover_tags: false,
            discover_branches: None,
        }
    }

    #[test]
    fn github_urls_name_owner_and_repository() {
        for url in [
            "https://github.com/kubesphere/devops-java-sample.git",
            "git@github.com:kubesphere/devops-java-sample.git",
            "https://github.com/kubesphere/devops-java-sample/",
        ] {
            let p = pipeline("demo", &scm("github", url)).unwrap();
            let mb = p.spec.multi_branch_pipeline.unwrap();
            let gh = mb.github_source.unwrap();
            assert_eq!(gh.owner.as_deref(), Some("kubesphere"), "{url}");
            assert_eq!(gh.repo.as_deref(), Some("devops-java-sample"), "{url}");
            assert_eq!(gh.credential_id.as_deref(), Some("repo-cred"));
            assert_eq!(gh.api_uri, None, "{url}");
            assert_eq!(gh.discover_branches, Some(EXCLUDE_PRS));
        }
        let enterprise = pipeline("demo", &scm("github", "https://ghe.corp:8443/a/b")).unwrap();
        let gh = enterprise
            .spec
            .multi_branch_pipeline
            .unwrap()
            .github_source
            .unwrap();
        assert_eq!(gh.api_uri.as_deref(), Some("https://ghe.corp:8443/api/v3"));
    }

    #[test]
    fn gitlab_groups_and_bitbucket_server_paths() {
        let p = pipeline(
            "demo",
            &scm("gitlab", "https://gitlab.com/group/sub/app.git"),
        )
        .unwrap();
        let gl = p.spec.multi_branch_pipeline.unwrap().gitlab_source.unwrap();
        assert_eq!(gl.server_name.as_deref(), Some("https://gitlab.com"));
        assert_eq!(gl.github.owner.as_deref(), Some("group/sub"));
        assert_eq!(gl.github.repo.as_deref(), Some("app"));
        for url in [
            "https://bb.corp/projects/OPS/repos/app/browse",
            "https://bb.corp/scm/OPS/app.git",
        ] {
            let url = url.trim_end_matches("/browse");
            let p = pipeline("demo", &scm("bitbucket", url)).unwrap();
            let bb = p
                .spec
                .multi_branch_pipeline
                .unwrap()
                .bitbucket_server_source
                .unwrap();
            assert_eq!(bb.api_uri.as_deref(), Some("https://bb.corp"), "{url}");
            assert_eq!(
                (bb.owner.as_deref(), bb.repo.as_deref()),
                (Some("OPS"), Some("app"))
            );
        }
    }

    #[test]
    fn refusals_name_the_flag() {
        let mut svn = scm("svn", "svn://svn.corp/app");
        svn.discover_tags = true;
        let err = pipeline("demo", &svn).unwrap_err();
        assert!(
            err.message.starts_with("--discover-tags"),
            "{}",
            err.message
        );
        let mut git = scm("git", "https://git.corp/app.git");
        git.discover_branches = Some("only-prs".into());
        let err = pipeline("demo", &git).unwrap_err();
        assert!(
            err.message.starts_with("--discover-branches"),
            "{}",
            err.message
        );
        let err = pipeline("demo", &scm("git", "https://u:planted@git.corp/a.git")).unwrap_err();
        assert!(err.message.starts_with("--git-url") && !err.message.contains("planted"));
        let err = pipeline("demo", &scm("github", "https://github.com/only-owner")).unwrap_err();
        assert!(err.message.starts_with("--git-url"), "{}", err.message);
        let mut path = scm("git", "https://git.corp/app.git");
        path.script_path = Some("../etc/passwd".into());
        let err = pipeline("demo", &path).unwrap_err();
        assert!(err.message.starts_with("--script-path"), "{}", err.message);
    }

    #[test]
    fn git_sources_discover_branches_and_optionally_tags() {
        let mut args = scm("git", "file:///srv/repo");
        args.discover_tags = true;
        args.script_path = Some("ci/Jenkinsfile".into());
        let p = pipeline("demo", &args).unwrap();
        let mb = p.spec.multi_branch_pipeline.unwrap();
        assert_eq!(mb.script_path, "ci/Jenkinsfile");
        let git = mb.git_source.unwrap();
        assert_eq!(
            (git.discover_branches, git.discover_tags),
            (Some(true), Some(true))
        );
        assert_eq!(git.url.as_deref(), Some("file:///srv/repo"));
    }
}

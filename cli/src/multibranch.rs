//! `pipelines create NAME --git-url URL …`: a multi-branch pipeline over a repository, in
//! the core's model, with the fields the KubeSphere console fills for each source.

use crate::cli::ScmArgs;
use crate::exit::Failure;
use ksdevops::model::{
    DiscoverPrFromForks, GitSource, GithubSource, Pipeline, ScmSource, SourceType, SvnSource,
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
    let kind = match scm.source.as_deref().unwrap_or("git") {
        "git" => SourceType::Git,
        "svn" => SourceType::Svn,
        "github" => SourceType::Github,
        "gitlab" => SourceType::Gitlab,
        "bitbucket" => SourceType::BitbucketServer,
        other => {
            return Err(Failure::usage(format!(
                "--source {other:?}: expected git, github, gitlab, bitbucket or svn"
            )))
        }
    };
    let located = ScmSource::from_url(&kind, url).map_err(|e| as_flag(&e, "--git-url"))?;
    let source = match located {
        ScmSource::Git(source) => ScmSource::Git(git(source, scm)?),
        ScmSource::Svn(source) => ScmSource::Svn(svn(source, scm)?),
        ScmSource::Github(source) => ScmSource::Github(github_like(source, scm)),
        ScmSource::Gitlab(mut source) => {
            source.github = github_like(source.github, scm);
            ScmSource::Gitlab(source)
        }
        ScmSource::BitbucketServer(source) => ScmSource::BitbucketServer(github_like(source, scm)),
        other => other,
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

/// The core's refusal of a value, said of the `flag` that gave it.
fn as_flag(error: &ksdevops::Error, flag: &str) -> Failure {
    let reason = error
        .field()
        .and_then(|field| error.message().strip_prefix(&format!("{field}: ")))
        .unwrap_or(error.message());
    Failure::usage(format!("{flag}: {reason}"))
}

fn git(source: GitSource, scm: &ScmArgs) -> Result<GitSource, Failure> {
    let discover_branches = match scm.discover_branches.as_deref() {
        None | Some("all") => true,
        Some("none") => false,
        Some(other) => {
            return Err(Failure::usage(format!(
                "--discover-branches {other}: a plain git source has no pull requests; expected all or none"
            )))
        }
    };
    Ok(GitSource {
        credential_id: scm.credential.clone(),
        discover_branches: Some(discover_branches),
        discover_tags: Some(scm.discover_tags),
        ..source
    })
}

fn svn(source: SvnSource, scm: &ScmArgs) -> Result<SvnSource, Failure> {
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
    Ok(SvnSource {
        credential_id: scm.credential.clone(),
        ..source
    })
}

/// A GitHub-like source with the discovery the flags ask for and the console's defaults.
fn github_like(source: GithubSource, scm: &ScmArgs) -> GithubSource {
    let discover_branches = match scm.discover_branches.as_deref() {
        None | Some("exclude-prs") => Some(EXCLUDE_PRS),
        Some("only-prs") => Some(ONLY_PRS),
        Some("all") => Some(ALL_BRANCHES),
        Some(_) => None,
    };
    GithubSource {
        credential_id: scm.credential.clone(),
        discover_branches,
        discover_pr_from_origin: Some(PR_MERGED),
        discover_pr_from_forks: Some(DiscoverPrFromForks {
            strategy: Some(PR_MERGED),
            trust: Some(TRUST_CONTRIBUTORS),
            ..DiscoverPrFromForks::default()
        }),
        discover_tags: Some(scm.discover_tags),
        ..source
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
    fn github_like_flags_set_credential_and_discovery_over_the_cores_repository() {
        let mut args = scm("github", "git@github.com:kubesphere/devops-java-sample.git");
        args.discover_branches = Some("only-prs".into());
        args.discover_tags = true;
        let p = pipeline("demo", &args).unwrap();
        let gh = p.spec.multi_branch_pipeline.unwrap().github_source.unwrap();
        assert_eq!(
            (gh.owner.as_deref(), gh.repo.as_deref()),
            (Some("kubesphere"), Some("devops-java-sample"))
        );
        assert_eq!(gh.credential_id.as_deref(), Some("repo-cred"));
        assert_eq!(
            (gh.discover_branches, gh.discover_tags),
            (Some(ONLY_PRS), Some(true))
        );
        assert_eq!(gh.discover_pr_from_origin, Some(PR_MERGED));

        let p = pipeline(
            "demo",
            &scm("gitlab", "https://gitlab.com/group/sub/app.git"),
        )
        .unwrap();
        let gl = p.spec.multi_branch_pipeline.unwrap().gitlab_source.unwrap();
        assert_eq!(gl.server_name.as_deref(), Some("https://gitlab.com"));
        assert_eq!(gl.github.owner.as_deref(), Some("group/sub"));
        assert_eq!(gl.github.discover_branches, Some(EXCLUDE_PRS));

        let p = pipeline("demo", &scm("bitbucket", "https://bb.corp/scm/OPS/app.git")).unwrap();
        let bb = p
            .spec
            .multi_branch_pipeline
            .unwrap()
            .bitbucket_server_source
            .unwrap();
        assert_eq!(bb.api_uri.as_deref(), Some("https://bb.corp"));
        assert_eq!(bb.credential_id.as_deref(), Some("repo-cred"));
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
        assert!(
            err.message
                .starts_with("--git-url: \"https://github.com/only-owner\""),
            "{}",
            err.message
        );
        let err = pipeline("demo", &scm("forge", "https://forge.corp/a/b")).unwrap_err();
        assert!(
            err.message.starts_with("--source \"forge\""),
            "{}",
            err.message
        );
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

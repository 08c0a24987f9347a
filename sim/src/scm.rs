//! Multi-branch branch indexing. A `git_source` whose URL is a local `file://` repository is
//! scanned for real with the git CLI (branches, tags, the Jenkinsfile at `script_path`);
//! other sources take their branches from the scenario. New branches get a first build, as
//! Jenkins schedules one for each.

use crate::executor;
use crate::jenkins::{encode_branch_name, BranchJob, BranchKind, Builds, JobPath};
use crate::scenario::ScenarioBranch;
use crate::shared::Shared;
use crate::timefmt;
use serde_json::{json, Value};
use std::process::Command;
use std::sync::Arc;

/// Simulated time branch indexing takes.
const INDEXING_MS: u64 = 1_000;

#[derive(Debug, Clone)]
struct FoundRef {
    name: String,
    kind: BranchKind,
    commit: String,
    jenkinsfile: Option<String>,
    pull_request: Option<Value>,
    primary: bool,
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Lists the refs of a local repository and reads `script_path` at each.
fn scan_git(
    url: &str,
    script_path: &str,
    tags: bool,
    log: &mut Vec<String>,
) -> Result<Vec<FoundRef>, String> {
    let dir = url.strip_prefix("file://").unwrap_or(url);
    log.push(" > git --version # timeout=10".into());
    log.push(format!(" > git ls-remote --symref -- {url} # timeout=10"));
    let head = git(&["ls-remote", "--symref", url, "HEAD"]).unwrap_or_default();
    let primary = head
        .lines()
        .find_map(|l| l.strip_prefix("ref: refs/heads/"))
        .and_then(|l| l.split('\t').next())
        .map(str::to_string);
    let listing = git(&["ls-remote", "--heads", "--tags", url])?;
    let mut found = Vec::new();
    for line in listing.lines() {
        let Some((sha, refname)) = line.split_once('\t') else {
            continue;
        };
        if refname.ends_with("^{}") {
            continue;
        }
        let (name, kind) = if let Some(b) = refname.strip_prefix("refs/heads/") {
            (b, BranchKind::Branch)
        } else if let Some(t) = refname.strip_prefix("refs/tags/") {
            if !tags {
                continue;
            }
            (t, BranchKind::Tag)
        } else {
            continue;
        };
        let spec = format!("{sha}:{script_path}");
        let jenkinsfile = git(&["-C", dir, "show", &spec]).ok();
        found.push(FoundRef {
            name: name.to_string(),
            kind,
            commit: sha.to_string(),
            jenkinsfile,
            pull_request: None,
            primary: primary.as_deref() == Some(name),
        });
    }
    Ok(found)
}

fn from_scenario(branches: &[ScenarioBranch], default_branch: Option<&str>) -> Vec<FoundRef> {
    branches
        .iter()
        .map(|b| FoundRef {
            name: b.name.clone(),
            kind: if b.pull_request.is_some() {
                BranchKind::PullRequest
            } else if b.tag {
                BranchKind::Tag
            } else {
                BranchKind::Branch
            },
            commit: b.commit.clone().unwrap_or_else(|| {
                format!(
                    "{:040x}",
                    crate::rng::fnv1a(b.name.as_bytes()) as u128 * 0x1_0000_0001
                )
            }),
            jenkinsfile: b.jenkinsfile.clone(),
            pull_request: b.pull_request.clone(),
            primary: default_branch == Some(b.name.as_str()),
        })
        .collect()
}

/// Starts branch indexing of a multi-branch pipeline in the background.
pub fn start_indexing(shared: &Arc<Shared>, ns: &str, name: &str, cause: &str) {
    let shared = shared.clone();
    let ns = ns.to_string();
    let name = name.to_string();
    let cause = cause.to_string();
    tokio::spawn(async move { index(shared, ns, name, cause).await });
}

async fn index(shared: Arc<Shared>, ns: String, name: String, cause: String) {
    let (mb, scenario_branches) = {
        let mut w = shared.world();
        let Some(entry) = w.pipelines.get_mut(&(ns.clone(), name.clone())) else {
            return;
        };
        let Some(job) = entry.job.as_mut() else {
            return;
        };
        job.indexing_count += 1;
        job.indexing_log = format!("{cause}\n");
        (
            entry
                .cr
                .pointer("/spec/multi_branch_pipeline")
                .cloned()
                .unwrap_or(json!({})),
            entry.scenario_branches.clone(),
        )
    };
    let script_path = mb
        .get("script_path")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("Jenkinsfile")
        .to_string();
    let source = mb.get("git_source").cloned().unwrap_or(json!({}));
    let url = source
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let tags = source
        .get("discover_tags")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let start = shared.now_ms();
    let mut log = vec![format!(
        "[{}] Starting branch indexing...",
        timefmt::java_date(start)
    )];
    let result = if url.starts_with("file://") {
        let url2 = url.clone();
        let sp = script_path.clone();
        tokio::task::spawn_blocking(move || {
            let mut l = Vec::new();
            let r = scan_git(&url2, &sp, tags, &mut l);
            (r, l)
        })
        .await
        .map(|(r, l)| {
            log.extend(l);
            r
        })
        .unwrap_or_else(|e| Err(e.to_string()))
    } else {
        log.push(format!(" > git ls-remote --symref -- {url} # timeout=10"));
        let default = scenario_branches.first().map(|b| b.name.clone());
        Ok(from_scenario(&scenario_branches, default.as_deref()))
    };
    shared.clock.sleep(INDEXING_MS).await;
    let found = match result {
        Ok(f) => f,
        Err(e) => {
            log.push(format!(
                "ERROR: [{}] Could not fetch branches from source {url}",
                timefmt::java_date(shared.now_ms())
            ));
            log.push(e);
            log.push("Finished: FAILURE".into());
            let mut w = shared.world();
            if let Some(job) = w
                .pipelines
                .get_mut(&(ns, name))
                .and_then(|e| e.job.as_mut())
            {
                job.indexing_log.push_str(&(log.join("\n") + "\n"));
            }
            return;
        }
    };
    log.push("Checking branches...".into());
    let mut w = shared.world();
    let mut to_build = Vec::new();
    let mut met = 0;
    {
        let Some(job) = w
            .pipelines
            .get_mut(&(ns.clone(), name.clone()))
            .and_then(|e| e.job.as_mut())
        else {
            return;
        };
        let mut seen = Vec::new();
        for r in &found {
            let label = match r.kind {
                BranchKind::Branch => "branch",
                BranchKind::Tag => "tag",
                BranchKind::PullRequest => "pull request",
            };
            log.push(format!("  Checking {label} {}", r.name));
            let Some(jf) = &r.jenkinsfile else {
                log.push(format!("      ‘{script_path}’ not found"));
                log.push("    Does not meet criteria".into());
                continue;
            };
            log.push(format!("      ‘{script_path}’ found"));
            log.push("    Met criteria".into());
            met += 1;
            let job_name = encode_branch_name(&r.name);
            seen.push(job_name.clone());
            match job.branches.get_mut(&job_name) {
                Some(existing) => {
                    if existing.commit.as_deref() != Some(r.commit.as_str()) {
                        log.push(format!("Changes detected: {} ({})", r.name, r.commit));
                        to_build.push(job_name.clone());
                    } else {
                        log.push("No changes detected".into());
                    }
                    existing.jenkinsfile = Some(jf.clone());
                    existing.commit = Some(r.commit.clone());
                    existing.is_primary = r.primary;
                }
                None => {
                    log.push(format!("Scheduled build for {label}: {}", r.name));
                    job.branches.insert(
                        job_name.clone(),
                        BranchJob {
                            name: job_name.clone(),
                            raw_name: r.name.clone(),
                            kind: r.kind,
                            url: (!url.is_empty()).then(|| format!("{url}#{}", r.name)),
                            is_primary: r.primary,
                            jenkinsfile: Some(jf.clone()),
                            commit: Some(r.commit.clone()),
                            pull_request: r.pull_request.clone(),
                            builds: Builds::new(),
                        },
                    );
                    to_build.push(job_name);
                }
            }
        }
        let gone: Vec<String> = job
            .branches
            .keys()
            .filter(|k| !seen.contains(k))
            .cloned()
            .collect();
        for g in gone {
            log.push(format!("Will remove {g}"));
            job.branches.remove(&g);
        }
    }
    let end = shared.now_ms();
    log.push(format!("Processed {} branches", found.len()));
    log.push(format!(
        "[{}] Finished branch indexing. Indexing took {:.1} sec",
        timefmt::java_date(end),
        (end - start) as f64 / 1000.0
    ));
    log.push("Finished: SUCCESS".into());
    let _ = met;
    if let Some(job) = w
        .pipelines
        .get_mut(&(ns.clone(), name.clone()))
        .and_then(|e| e.job.as_mut())
    {
        job.indexing_log.push_str(&(log.join("\n") + "\n"));
    }
    let now = shared.now_ms();
    for branch in to_build {
        let path = JobPath {
            namespace: ns.clone(),
            pipeline: name.clone(),
            branch: Some(branch.clone()),
        };
        if let Ok(id) =
            executor::trigger(&shared, &mut w, &path, &[], None, "Branch indexing".into())
        {
            crate::routes::webhook_run(&mut w, &path, id, Vec::new(), "admin", now);
        }
    }
}

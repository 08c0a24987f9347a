//! Multi-branch branch indexing. A `git_source` whose URL is a local `file://` repository is
//! scanned for real with the git CLI (branches, tags, the Jenkinsfile at `script_path`);
//! other sources take their branches from the scenario. New branches get a first build, as
//! Jenkins schedules one for each.

use crate::executor;
use crate::jenkins::{encode_branch_name, BranchJob, BranchKind, Builds, JobPath};
use crate::scenario::ScenarioBranch;
use crate::shared::Shared;
use crate::store::World;
use ksdevops::model::Timestamp;
use serde_json::{json, Value};
use std::collections::BTreeMap;
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
                    crate::ids::content_hash(b.name.as_bytes()) as u128 * 0x1_0000_0001
                )
            }),
            jenkinsfile: b.jenkinsfile.clone(),
            pull_request: b.pull_request.clone(),
            primary: default_branch == Some(b.name.as_str()),
        })
        .collect()
}

/// `Fri Nov 27 00:00:00 UTC 2026`: a date as Jenkins' branch indexing log prints it (Java's
/// `Date#toString` in UTC), from the core's UTC calendar text.
fn java_date(ms: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let text = Timestamp::kubernetes_from_epoch_millis(ms).to_string();
    let (date, time) = text
        .trim_end_matches('Z')
        .split_once('T')
        .unwrap_or((&text, ""));
    let mut fields = date.rsplitn(3, '-');
    let day = fields.next().unwrap_or("");
    let month = fields.next().and_then(|m| m.parse::<usize>().ok());
    let year = fields.next().unwrap_or("");
    let month = month
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"");
    let weekday = WEEKDAYS[ms.div_euclid(86_400_000).rem_euclid(7) as usize];
    format!("{weekday} {month} {day} {time} UTC {year}")
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
    let key = (ns, name);
    let Some((source, scenario_branches)) = begin_indexing(&shared, &key, &cause) else {
        return;
    };
    let start = shared.now_ms();
    let mut log = vec![format!(
        "[{}] Starting branch indexing...",
        java_date(start)
    )];
    let result = fetch_refs(&source, &scenario_branches, &mut log).await;
    shared.clock.sleep(INDEXING_MS).await;
    let found = match result {
        Ok(found) => found,
        Err(e) => {
            log.push(format!(
                "ERROR: [{}] Could not fetch branches from source {}",
                java_date(shared.now_ms()),
                source.url
            ));
            log.push(e);
            log.push("Finished: FAILURE".into());
            append_indexing_log(&mut shared.world(), &key, &log);
            return;
        }
    };
    log.push("Checking branches...".into());
    let mut w = shared.world();
    let Some(job) = w.pipelines.get_mut(&key).and_then(|e| e.job.as_mut()) else {
        return;
    };
    let to_build = update_branches(&mut job.branches, &found, &source, &mut log);
    let end = shared.now_ms();
    log.push(format!("Processed {} branches", found.len()));
    log.push(format!(
        "[{}] Finished branch indexing. Indexing took {:.1} sec",
        java_date(end),
        (end - start) as f64 / 1000.0
    ));
    log.push("Finished: SUCCESS".into());
    append_indexing_log(&mut w, &key, &log);
    build_new_and_changed(&shared, &mut w, &key, to_build);
}

/// Where a multi-branch pipeline's branches come from (`spec.multi_branch_pipeline`).
struct IndexSource {
    url: String,
    script_path: String,
    discover_tags: bool,
}

impl IndexSource {
    fn of(multi_branch: &Value) -> Self {
        let git = multi_branch.get("git_source");
        let git_field = |key: &str| git.and_then(|g| g.get(key));
        IndexSource {
            url: git_field("url")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            script_path: multi_branch
                .get("script_path")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or("Jenkinsfile")
                .to_string(),
            discover_tags: git_field("discover_tags")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }
    }
}

/// Counts the indexing and starts its log with the cause; returns the pipeline's source
/// and its scenario branches, or `None` when the pipeline or its job is gone.
fn begin_indexing(
    shared: &Shared,
    key: &(String, String),
    cause: &str,
) -> Option<(IndexSource, Vec<ScenarioBranch>)> {
    let mut w = shared.world();
    let entry = w.pipelines.get_mut(key)?;
    let job = entry.job.as_mut()?;
    job.indexing_count += 1;
    job.indexing_log = format!("{cause}\n");
    let multi_branch = entry
        .cr
        .pointer("/spec/multi_branch_pipeline")
        .cloned()
        .unwrap_or(json!({}));
    Some((
        IndexSource::of(&multi_branch),
        entry.scenario_branches.clone(),
    ))
}

/// The refs of the source: a local `file://` repository scanned with git, any other source
/// from the scenario.
async fn fetch_refs(
    source: &IndexSource,
    scenario_branches: &[ScenarioBranch],
    log: &mut Vec<String>,
) -> Result<Vec<FoundRef>, String> {
    if !source.url.starts_with("file://") {
        log.push(format!(
            " > git ls-remote --symref -- {} # timeout=10",
            source.url
        ));
        let default = scenario_branches.first().map(|b| b.name.as_str());
        return Ok(from_scenario(scenario_branches, default));
    }
    let (url, script_path, tags) = (
        source.url.clone(),
        source.script_path.clone(),
        source.discover_tags,
    );
    let (result, scan_log) = tokio::task::spawn_blocking(move || {
        let mut scan_log = Vec::new();
        let result = scan_git(&url, &script_path, tags, &mut scan_log);
        (result, scan_log)
    })
    .await
    .map_err(|e| e.to_string())?;
    log.extend(scan_log);
    result
}

/// Brings the branch jobs in line with the refs found (new, changed, gone) and logs each
/// decision as Jenkins does; returns the branch jobs to build (new or changed commit).
fn update_branches(
    branches: &mut BTreeMap<String, BranchJob>,
    found: &[FoundRef],
    source: &IndexSource,
    log: &mut Vec<String>,
) -> Vec<String> {
    let script_path = &source.script_path;
    let mut to_build = Vec::new();
    let mut seen = Vec::new();
    for r in found {
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
        let job_name = encode_branch_name(&r.name);
        seen.push(job_name.clone());
        match branches.get_mut(&job_name) {
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
                branches.insert(job_name.clone(), new_branch_job(&job_name, r, jf, source));
                to_build.push(job_name);
            }
        }
    }
    branches.retain(|name, _| {
        let keep = seen.contains(name);
        if !keep {
            log.push(format!("Will remove {name}"));
        }
        keep
    });
    to_build
}

fn new_branch_job(
    job_name: &str,
    r: &FoundRef,
    jenkinsfile: &str,
    source: &IndexSource,
) -> BranchJob {
    BranchJob {
        name: job_name.to_string(),
        raw_name: r.name.clone(),
        kind: r.kind,
        url: (!source.url.is_empty()).then(|| format!("{}#{}", source.url, r.name)),
        is_primary: r.primary,
        jenkinsfile: Some(jenkinsfile.to_string()),
        commit: Some(r.commit.clone()),
        pull_request: r.pull_request.clone(),
        builds: Builds::new(),
    }
}

fn append_indexing_log(w: &mut World, key: &(String, String), log: &[String]) {
    if let Some(job) = w.pipelines.get_mut(key).and_then(|e| e.job.as_mut()) {
        job.indexing_log.push_str(&(log.join("\n") + "\n"));
    }
}

/// A first build of each new branch and a build of each changed one, as Jenkins schedules
/// them after indexing, each with its PipelineRun.
fn build_new_and_changed(
    shared: &Arc<Shared>,
    w: &mut World,
    key: &(String, String),
    to_build: Vec<String>,
) {
    let now = shared.now_ms();
    for branch in to_build {
        let path = JobPath {
            namespace: key.0.clone(),
            pipeline: key.1.clone(),
            branch: Some(branch),
        };
        if let Ok(id) = executor::trigger(shared, w, &path, &[], None, "Branch indexing".into()) {
            crate::routes::webhook_run(w, &path, id, Vec::new(), "admin", now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_java_prints_them() {
        // 2016-05-24T11:42:07.833Z
        assert_eq!(java_date(1_464_090_127_833), "Tue May 24 11:42:07 UTC 2016");
        assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
    }
}

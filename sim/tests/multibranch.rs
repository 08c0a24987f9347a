//! Multi-branch pipelines over a real local git repository (`file://`): branch indexing with
//! the git CLI, the Jenkins-like indexing log, first builds of new branches, rescans.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=sim",
            "-c",
            "user.email=sim@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct TempRepo(PathBuf);

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn jenkinsfile(word: &str) -> String {
    format!("pipeline {{\n  agent any\n  stages {{\n    stage('say') {{\n      steps {{\n        echo \"{word} on ${{env.BRANCH_NAME}}\"\n      }}\n    }}\n  }}\n}}\n")
}

fn make_repo() -> TempRepo {
    let dir = std::env::temp_dir().join(
        format!(
            "ksdevops-sim-repo-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], ""),
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("Jenkinsfile"), jenkinsfile("hello")).unwrap();
    git(&dir, &["add", "Jenkinsfile"]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    git(&dir, &["tag", "-a", "v1.0", "-m", "release"]);
    git(&dir, &["checkout", "-q", "-b", "feature/x"]);
    std::fs::write(dir.join("Jenkinsfile"), jenkinsfile("feature")).unwrap();
    git(&dir, &["commit", "-q", "-am", "feature"]);
    git(&dir, &["checkout", "-q", "-b", "docs-only", "main"]);
    git(&dir, &["rm", "-q", "Jenkinsfile"]);
    git(&dir, &["commit", "-q", "-m", "no pipeline here"]);
    git(&dir, &["checkout", "-q", "main"]);
    TempRepo(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_repository_is_indexed_with_git() {
    let repo = make_repo();
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let body = json!({
        "metadata": {"name": "local-repo", "annotations": {"kubesphere.io/creator": "admin"}},
        "spec": {"type": "multi-branch-pipeline", "multi_branch_pipeline": {
            "name": "local-repo", "source_type": "git", "script_path": "Jenkinsfile",
            "git_source": {"url": format!("file://{}", repo.0.display()), "discover_branches": true, "discover_tags": true},
        }},
    });
    let resp = c
        .post_json(&format!("{}/pipelines", env.p3(NS)), &body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let url = format!("{}/pipelines/local-repo/branches", env.n3(NS));
    let branches = wait_for("indexed branches", 30, || async {
        let b = c.get_json(&url).await;
        (b["totalItems"] == 3).then_some(b)
    })
    .await;
    let mut names: Vec<&str> = branches["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["feature%2Fx", "main", "v1.0"]);
    let main = branches["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "main")
        .unwrap();
    assert_eq!(main["branch"]["isPrimary"], true);

    let log = c
        .get_text(&format!("{}/consolelog", env.p2(NS, "local-repo")))
        .await;
    assert!(log.starts_with("Started by user admin\n"), "{log}");
    assert!(log.contains("Starting branch indexing..."));
    assert!(log.contains("Checking branch feature/x"));
    assert!(
        log.contains(
            "Checking branch docs-only\n      ‘Jenkinsfile’ not found\n    Does not meet criteria"
        ),
        "{log}"
    );
    assert!(log.contains("Checking tag v1.0"));
    assert!(log.contains("Scheduled build for branch: main"));
    assert!(log.trim_end().ends_with("Finished: SUCCESS"));

    // New branches get a first build, which runs that branch's own Jenkinsfile.
    let v2 = env.p2(NS, "local-repo");
    let first = wait_for("the first build of feature/x", 30, || async {
        let r = c
            .get(&format!("{v2}/branches/feature%252Fx/runs/1"))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            return None;
        }
        let r: Value = r.json().await.unwrap();
        (r["state"] == "FINISHED").then_some(r)
    })
    .await;
    assert_eq!(first["result"], "SUCCESS");
    assert_eq!(first["causes"][0]["shortDescription"], "Branch indexing");
    let log = c
        .get_text(&format!("{v2}/branches/feature%252Fx/runs/1/log?start=0"))
        .await;
    assert!(log.contains("feature on feature/x"), "{log}");

    // A new branch appears after a rescan.
    git(&repo.0, &["checkout", "-q", "-b", "late"]);
    let resp = c
        .post(&format!("{v2}/scan"))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/html; charset=utf-8");
    wait_for("the rescanned branch", 30, || async {
        let b = c.get_json(&url).await;
        (b["totalItems"] == 4).then_some(())
    })
    .await;
    let v2_branches = c.get_json(&format!("{v2}/branches?filter=origin")).await;
    assert_eq!(v2_branches.as_array().unwrap().len(), 4);
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_repository_fails_indexing_with_a_log() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let body = json!({
        "metadata": {"name": "gone"},
        "spec": {"type": "multi-branch-pipeline", "multi_branch_pipeline": {
            "name": "gone", "source_type": "git", "script_path": "Jenkinsfile",
            "git_source": {"url": "file:///nonexistent/ksdevops-sim/repo"},
        }},
    });
    c.post_json(&format!("{}/pipelines", env.p3(NS)), &body)
        .send()
        .await
        .unwrap();
    let log = wait_for("a failed indexing", 30, || async {
        let r = c
            .get(&format!("{}/consolelog", env.p2(NS, "gone")))
            .send()
            .await
            .unwrap();
        let t = r.text().await.unwrap();
        t.contains("Finished: FAILURE").then_some(t)
    })
    .await;
    assert!(
        log.contains("Could not fetch branches from source file:///nonexistent/ksdevops-sim/repo"),
        "{log}"
    );
    env.stop().await;
}

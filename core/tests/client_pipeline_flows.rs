//! Pipelines end to end through the client, against the simulator over sockets: a Jenkinsfile
//! changed after creation, and the private-repository multi-branch flow (credential →
//! multi-branch pipeline → synced → scan → branches → branch parameters → run), and a branch
//! whose first build has not started yet.

#![cfg(feature = "reqwest")]

mod client_support;

use client_support::{admin, jenkins_quiet_down, sim, synced_branches, values};
use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::WaitUntil;
use ksdevops::model::{Credential, GitSource, Pipeline, ScmSource};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;
use serde_json::json;
use std::path::Path;
use std::process::Command;

const ONE_PARAMETER: &str = "pipeline {\n  agent any\n  parameters { string(name: 'PERSON', defaultValue: 'me') }\n  stages { stage('s') { steps { echo \"hi ${params.PERSON}\" } } }\n}\n";
const TWO_PARAMETERS: &str = "pipeline {\n  agent any\n  parameters {\n    string(name: 'PERSON', defaultValue: 'me')\n    booleanParam(name: 'LOUD', defaultValue: true)\n  }\n  stages { stage('s') { steps { echo \"hi ${params.PERSON}\" } } }\n}\n";

fn names(definitions: &[ksdevops::model::ParameterDefinition]) -> Vec<&str> {
    definitions.iter().map(|d| d.name.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_jenkinsfile_brings_its_parameters_and_an_update_keeps_it() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let client = admin(&sim);
    client
        .create_pipeline(&Pipeline::regular("editable", ONE_PARAMETER), true, None)
        .await
        .unwrap();
    let before = client.parameters("editable", None).await.unwrap();
    assert_eq!(names(&before.definitions), ["PERSON"]);

    let updated = client
        .update_jenkinsfile("editable", TWO_PARAMETERS, true, None)
        .await
        .unwrap();
    assert_eq!(updated.jenkinsfile(), Some(TWO_PARAMETERS));
    assert!(updated.is_synced());
    let after = client.parameters("editable", None).await.unwrap();
    assert_eq!(names(&after.definitions), ["PERSON", "LOUD"]);

    // A pipeline update changes the description and keeps the Jenkinsfile.
    let mut pipeline = client.get_pipeline("editable").await.unwrap();
    pipeline.spec.pipeline.as_mut().unwrap().description = Some("edited".into());
    let described = client.update_pipeline(&pipeline, true, None).await.unwrap();
    let spec = described.spec.pipeline.as_ref().unwrap();
    assert_eq!(spec.description.as_deref(), Some("edited"));
    assert_eq!(described.jenkinsfile(), Some(TWO_PARAMETERS));

    // The new parameter is taken by a run.
    let run = client
        .trigger_resource("editable", &[("LOUD".into(), json!(false))], None, None)
        .await
        .unwrap();
    let name = run.name().unwrap().to_owned();
    let status = client.wait(&name, None, WaitUntil::Finished).await.unwrap();
    assert!(status.succeeded(), "{status:?}");

    // Jenkins cannot read a broken Jenkinsfile: the update says so.
    let broken = client
        .update_jenkinsfile("editable", "pipeline { stages {", true, None)
        .await
        .unwrap_err();
    assert_eq!(broken.kind(), ErrorKind::Refused, "{broken}");
    assert!(broken.message().contains("editable"), "{broken}");

    let empty = client
        .update_jenkinsfile("editable", "  \n", true, None)
        .await
        .unwrap_err();
    assert_eq!(
        (empty.kind(), empty.field()),
        (ErrorKind::InvalidInput, Some("jenkinsfile"))
    );
    let multi = client
        .update_jenkinsfile("multi-branch-demo", TWO_PARAMETERS, true, None)
        .await
        .unwrap_err();
    assert_eq!(multi.field(), Some("pipeline"), "{multi}");
    sim.shutdown().await;
}

const REPO_JENKINSFILE: &str = "pipeline {\n  agent any\n  parameters { string(name: 'TARGET', defaultValue: 'staging') }\n  stages { stage('Deploy') { steps { echo \"deploying to ${params.TARGET}\" } } }\n}\n";

/// A git repository with a Jenkinsfile on `main`, as a file:// URL.
pub fn git_repository(dir: &Path) -> String {
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-C"])
            .arg(dir)
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    std::fs::create_dir_all(dir).unwrap();
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("Jenkinsfile"), REPO_JENKINSFILE).unwrap();
    git(&["add", "Jenkinsfile"]);
    git(&["commit", "-q", "-m", "pipeline"]);
    format!("file://{}", dir.display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_repository_becomes_branches_that_run_with_their_parameters() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let client = admin(&sim);
    let dir = std::env::temp_dir().join(format!("ksdevops-private-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = git_repository(&dir);

    client
        .create_credential(&Credential::basic_auth("repo-cred", "git", "n0t-shown"))
        .await
        .unwrap();
    let source = ScmSource::Git(GitSource {
        url: Some(url.clone()),
        credential_id: Some("repo-cred".into()),
        discover_branches: Some(true),
        ..GitSource::default()
    });
    let created = client
        .create_pipeline(&Pipeline::multi_branch("private-app", source), true, None)
        .await
        .unwrap();
    assert!(created.is_synced() && created.is_multi_branch());
    let stored = created.spec.multi_branch_pipeline.unwrap();
    let git = stored.git_source.unwrap();
    assert_eq!(git.credential_id.as_deref(), Some("repo-cred"));
    assert_eq!(git.url.as_deref(), Some(url.as_str()));

    let scan = client.scan("private-app", true, None).await.unwrap();
    assert!(scan.finished && scan.succeeded, "{}", scan.log);
    let mut branches = Vec::new();
    for _ in 0..100 {
        branches = client
            .branches("private-app", None)
            .try_collect()
            .await
            .unwrap();
        if !branches.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown: Vec<&str> = branches.iter().filter_map(|b| b.display()).collect();
    assert_eq!(shown, ["main"]);

    // Jenkins knows a branch's parameters once its first build (started by the indexing)
    // has read the Jenkinsfile; until then the branch has none.
    let mut parameters = Vec::new();
    for _ in 0..600 {
        parameters = client
            .parameters("private-app", Some("main"))
            .await
            .unwrap()
            .definitions;
        if !parameters.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(names(&parameters), ["TARGET"]);
    let run = client
        .trigger_resource(
            "private-app",
            &[("TARGET".into(), json!("prod"))],
            Some("main"),
            None,
        )
        .await
        .unwrap();
    let name = run.name().unwrap().to_owned();
    assert_eq!(run.branch(), Some("main"));
    let status = client.wait(&name, None, WaitUntil::Finished).await.unwrap();
    assert!(status.succeeded(), "{status:?}");
    assert!(client
        .log(&name)
        .await
        .unwrap()
        .contains("deploying to prod"));
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_for_a_branch_jenkins_has_not_built_yet_are_refused_until_its_build_starts() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let client = admin(&sim);
    let dir = std::env::temp_dir().join(format!("ksdevops-queued-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let source = ScmSource::Git(GitSource {
        url: Some(git_repository(&dir)),
        discover_branches: Some(true),
        ..GitSource::default()
    });
    // Jenkins preparing for shutdown: the builds indexing queues stay in the queue.
    jenkins_quiet_down(&sim, &client, true).await;
    client
        .create_pipeline(&Pipeline::multi_branch("queued-app", source), true, None)
        .await
        .unwrap();
    let scan = client.scan("queued-app", true, None).await.unwrap();
    assert!(scan.finished && scan.succeeded, "{}", scan.log);
    let branches = synced_branches(&client, "queued-app").await;
    assert_eq!(branches[0].display(), Some("main"));

    let unknown = client.parameters("queued-app", Some("main")).await.unwrap();
    assert!(
        !unknown.known && unknown.definitions.is_empty(),
        "{unknown:?}"
    );
    let target = values(&[("TARGET", "prod")]);
    let refused = client
        .trigger("queued-app", &target, Some("main"))
        .await
        .unwrap_err();
    assert_eq!(
        (refused.kind(), refused.field()),
        (ErrorKind::InvalidInput, Some("parameters")),
        "{refused}"
    );
    assert!(refused.message().contains("TARGET"), "{refused}");
    assert!(refused.message().contains("\"main\""), "{refused}");

    jenkins_quiet_down(&sim, &client, false).await;
    let mut known = unknown;
    for _ in 0..600 {
        known = client.parameters("queued-app", Some("main")).await.unwrap();
        if known.known {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(names(&known.definitions), ["TARGET"]);
    let run = client
        .trigger_resource("queued-app", &target, Some("main"), None)
        .await
        .unwrap();
    assert_eq!(run.branch(), Some("main"));
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

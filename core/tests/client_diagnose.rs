//! `diagnose` on runs that fail or get stuck in the simulator the way they do in Jenkins:
//! what a user running `ksdevops why RUN` learns for each known cause.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Cause, Client, Diagnosis, WaitUntil};
use ksdevops::model::{Pipeline, RunResult};
use ksdevops::transport::reqwest::ReqwestTransport;
use ksdevops_sim::{FaultConfig, SimHandle};
use std::time::Duration;

fn jenkinsfile(agent: &str, stages: &str) -> String {
    format!("pipeline {{\n  agent {agent}\n  stages {{\n{stages}  }}\n}}\n")
}

fn stage(name: &str, steps: &str) -> String {
    format!("    stage('{name}') {{\n      steps {{\n        {steps}\n      }}\n    }}\n")
}

/// Creates pipeline `name` from `jenkinsfile` and starts a run of it.
async fn start(client: &Client<ReqwestTransport>, name: &str, jenkinsfile: &str) -> String {
    client
        .create_pipeline(&Pipeline::regular(name, jenkinsfile), true, None)
        .await
        .unwrap_or_else(|e| panic!("create {name}: {e}"));
    let run = client.trigger(name, &[], None).await.unwrap();
    run.name().unwrap().to_owned()
}

/// Starts a run that fails, waits for its end and diagnoses it.
async fn failed(client: &Client<ReqwestTransport>, name: &str, jenkinsfile: &str) -> Diagnosis {
    let run = start(client, name, jenkinsfile).await;
    let status = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
    assert_eq!(status.result, Some(RunResult::Failure), "{name}");
    client.diagnose(&run).await.unwrap()
}

async fn started_sim() -> SimHandle {
    sim(ApiLayout::V4, FaultConfig::default()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_command_missing_in_the_agent_is_named() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let file = jenkinsfile(
        "any",
        &(stage("Checkout", "echo 'checked out'") + &stage("Package", "sh 'mvn -B package'")),
    );
    let why = failed(&client, "needs-maven", &file).await;
    assert_eq!(why.stage.as_deref(), Some("Package"), "{why:?}");
    assert_eq!(
        why.cause,
        Some(Cause::ToolNotFound {
            tool: Some("mvn".into())
        }),
        "{why:?}"
    );
    assert!(why.log_tail.contains("mvn: not found"), "{}", why.log_tail);
    assert!(why.hint.contains("`mvn`"), "{}", why.hint);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_docker_socket_is_a_permission_problem() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let file = jenkinsfile("any", &stage("Image", "sh 'docker build -t app .'"));
    let why = failed(&client, "builds-image", &file).await;
    assert_eq!(why.stage.as_deref(), Some("Image"), "{why:?}");
    assert_eq!(why.cause, Some(Cause::PermissionDenied), "{why:?}");
    assert!(
        why.log_tail.contains("permission denied"),
        "{}",
        why.log_tail
    );
    assert!(why.hint.starts_with("Permission denied"), "{}", why.hint);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archive_that_matches_nothing_points_at_the_stage_that_built_it() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let file = jenkinsfile(
        "any",
        &stage("Archive", "archiveArtifacts artifacts: 'target/*.jar'"),
    );
    let why = failed(&client, "archives-nothing", &file).await;
    assert_eq!(why.stage.as_deref(), Some("Archive"), "{why:?}");
    assert_eq!(
        why.cause,
        Some(Cause::ArtifactInAnotherStage {
            pattern: Some("target/*.jar".into())
        }),
        "{why:?}"
    );
    assert!(why.hint.contains("stash"), "{}", why.hint);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_no_agent_has_is_named_with_the_labels_on_offer() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let file = jenkinsfile(
        "{\n    label 'maven-jdk17'\n  }",
        &stage("Build", "echo 'never runs'"),
    );
    let run = start(&client, "wrong-label", &file).await;
    client.build_id(&run, None).await.unwrap();
    // The run never starts: it stays queued, blocked on the label (first, briefly, it
    // waits for an executor like every build does).
    let mut why = client.diagnose(&run).await.unwrap();
    for _ in 0..100 {
        if matches!(why.cause, Some(Cause::AgentLabelNotFound { .. })) {
            break;
        }
        assert!(
            matches!(why.cause, None | Some(Cause::QueuedNoExecutor { .. })),
            "{why:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        why = client.diagnose(&run).await.unwrap();
    }
    let Some(Cause::AgentLabelNotFound { label, available }) = &why.cause else {
        panic!("{why:?}");
    };
    assert_eq!(label.as_deref(), Some("maven-jdk17"));
    for offered in ["base", "go", "maven", "nodejs"] {
        assert!(
            available.iter().any(|l| l == offered),
            "{offered} in {available:?}"
        );
    }
    assert!(
        why.hint.contains("\"maven-jdk17\"") && why.hint.contains("maven"),
        "{}",
        why.hint
    );
    client.stop(&run).await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_where_the_agent_user_may_not_is_a_permission_problem() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let file = jenkinsfile(
        "any",
        &stage("Config", "sh 'echo registry=x > /root/.npmrc'"),
    );
    let why = failed(&client, "writes-root", &file).await;
    assert_eq!(why.stage.as_deref(), Some("Config"), "{why:?}");
    assert_eq!(why.cause, Some(Cause::PermissionDenied), "{why:?}");
    assert!(
        why.log_tail
            .contains("cannot create /root/.npmrc: Permission denied"),
        "{}",
        why.log_tail
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_that_failed_to_sync_is_reported_by_create_and_by_diagnose() {
    let sim = started_sim().await;
    let client = admin(&sim);
    let sync_error = "failed to create the Jenkins job: 403 Forbidden";
    let mut pipeline = Pipeline::regular(
        "never-synced",
        jenkinsfile("any", &stage("Build", "echo 'hi'")),
    );
    pipeline
        .metadata
        .annotations
        .insert("ksdevops-sim/sync-error".into(), sync_error.into());

    let refused = client
        .create_pipeline(&pipeline, true, None)
        .await
        .unwrap_err();
    assert!(
        refused.message().contains(sync_error),
        "create names the server's sync error: {refused}"
    );

    // A run object created anyway never reaches Jenkins.
    let run = client
        .trigger_resource("never-synced", &[], None, Some("never-synced-run"))
        .await
        .unwrap();
    let why = client.diagnose(run.name().unwrap()).await.unwrap();
    assert_eq!(
        why.cause,
        Some(Cause::PipelineNotSynced {
            message: Some(sync_error.into())
        }),
        "{why:?}"
    );
    assert!(why.hint.contains(sync_error), "{}", why.hint);
    sim.shutdown().await;
}

/// The demo scenario ships a pipeline that fails, so that every console has a diagnosis to show.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_scenarios_failing_pipeline_is_diagnosed_as_a_missing_tool() {
    let sim = started_sim().await;
    let client = admin(&sim);
    client.wait_synced("maven-demo", None, None).await.unwrap();
    let run = client.trigger("maven-demo", &[], None).await.unwrap();
    let run = run.name().unwrap().to_owned();
    let status = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
    assert_eq!(status.result, Some(RunResult::Failure));
    let why = client.diagnose(&run).await.unwrap();
    assert_eq!(why.stage.as_deref(), Some("Package"), "{why:?}");
    assert_eq!(
        why.cause,
        Some(Cause::ToolNotFound {
            tool: Some("mvn".into())
        }),
        "{why:?}"
    );
    sim.shutdown().await;
}

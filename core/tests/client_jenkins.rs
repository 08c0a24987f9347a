//! Direct Jenkins access through the client, both ways (ks-devops' proxy with a project
//! member's token; Jenkins' own URL as an administrator), against the simulator: the same
//! jobs and builds as the runs, in both directions.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, Client, Jenkins};
use ksdevops::model::ParameterValue;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::ErrorKind;
use ksdevops_sim::{FaultConfig, SimHandle};
use std::time::Duration;

const GO_JOB: &str = "demo-project/go-demo-pipeline";

fn member(sim: &SimHandle) -> Client<ReqwestTransport> {
    client(sim, Auth::password("stone-ns-admin", PASSWORD))
}

/// A client of `auth` that knows Jenkins' own URL.
fn knowing_jenkins(sim: &SimHandle, auth: Auth, jenkins_url: &str) -> Client<ReqwestTransport> {
    let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap();
    Client::new(transport, config(auth).with_jenkins_url(jenkins_url)).unwrap()
}

fn jenkins_admin(sim: &SimHandle) -> Client<ReqwestTransport> {
    knowing_jenkins(sim, Auth::password("admin", PASSWORD), &sim.jenkins_url())
}

/// Polls build `number` of `job` until it no longer runs.
async fn finished<T: ksdevops::transport::Transport>(
    jenkins: &Jenkins<'_, T>,
    job: &str,
    number: u64,
) -> ksdevops::model::JenkinsBuild {
    for _ in 0..600 {
        let build = jenkins.status(job, number).await.unwrap();
        if !build.building {
            return build;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("build {job} #{number} did not finish");
}

async fn each_operation<T: ksdevops::transport::Transport>(
    client: &Client<T>,
    jenkins: &Jenkins<'_, T>,
    label: &str,
) {
    let top = jenkins.jobs(None).await.unwrap();
    assert!(
        top.iter().any(|j| j.name == PROJECT && j.is_folder()),
        "{label}: {top:?}"
    );
    // A pipeline's Jenkins job exists once KubeSphere synced it.
    let mut jobs = Vec::new();
    for _ in 0..200 {
        jobs = jenkins.jobs(Some(PROJECT)).await.unwrap();
        if jobs.len() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    assert!(names.contains(&"go-demo-pipeline"), "{label}: {names:?}");
    assert!(names.contains(&"params-demo"), "{label}: {names:?}");
    let multi = jobs.iter().find(|j| j.name == "multi-branch-demo").unwrap();
    assert!(multi.is_folder(), "{label}: {multi:?}");

    // A build started through Jenkins is a run.
    let values = [
        ParameterValue {
            name: "PERSON".into(),
            value: "ann".into(),
        },
        ParameterValue {
            name: "PASSWORD".into(),
            value: "hunter2".into(),
        },
    ];
    let queued = jenkins
        .build("demo-project/params-demo", &values, &["PASSWORD".into()])
        .await
        .unwrap();
    let number = jenkins.build_number(queued).await.unwrap();
    let status = jenkins
        .status("demo-project/params-demo", number)
        .await
        .unwrap();
    assert_eq!(status.number, number);
    assert_eq!(status.queue_id, Some(queued.queue_id));
    assert!(
        status
            .parameters()
            .contains(&("PERSON".into(), Some("ann".into()))),
        "{label}: {:?}",
        status.parameters()
    );
    assert!(
        status.parameters().contains(&("PASSWORD".into(), None)),
        "{label}: Jenkins never shows a password parameter's value"
    );
    let runs: Vec<_> = client
        .runs("params-demo", None)
        .try_collect()
        .await
        .unwrap();
    assert!(
        runs.iter()
            .any(|r| r.build_id() == Some(&number.to_string())),
        "{label}: build #{number} is a run"
    );

    // A run started through KubeSphere is a Jenkins build.
    let run = client.trigger("go-demo-pipeline", &[], None).await.unwrap();
    let run = run.name().unwrap().to_owned();
    let id: u64 = client.build_id(&run, None).await.unwrap().parse().unwrap();
    let build = finished(jenkins, GO_JOB, id).await;
    assert_eq!(build.result.as_deref(), Some("SUCCESS"), "{label}");
    let console = jenkins.console(GO_JOB, id).await.unwrap();
    assert!(console.contains("go build"), "{label}: {console}");
    assert_eq!(build.artifacts.len(), 1, "{label}");
    assert_eq!(build.artifacts[0].relative_path, "service");

    let dir = std::env::temp_dir().join(format!("ksdevops-jenkins-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let direct = jenkins.download(GO_JOB, id, "service", &dir).await.unwrap();
    assert_eq!(direct.path, dir.join("service"));
    let through_run = client
        .download(&run, "service", &dir.join("via-run"))
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(&direct.path).unwrap(),
        std::fs::read(&through_run.path).unwrap(),
        "{label}: the same file both ways"
    );
    let missing = jenkins
        .download(GO_JOB, id, "nothing.jar", &dir)
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound, "{label}: {missing}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{label}: {leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();

    let labels = jenkins.labels().await.unwrap();
    assert!(
        labels.iter().any(|l| l.label == "maven"),
        "{label}: {labels:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_works_through_the_devops_proxy_and_jenkins_own_url() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let member = member(&sim);
        each_operation(
            &member,
            &member.jenkins(),
            &format!("proxy-{}", layout.as_str()),
        )
        .await;
        let admin = jenkins_admin(&sim);
        let jenkins = admin.jenkins_admin().await.unwrap();
        assert!(jenkins.is_admin());
        each_operation(&admin, &jenkins, &format!("admin-{}", layout.as_str())).await;
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_name_the_field_or_the_permission() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let member = knowing_jenkins(
        &sim,
        Auth::password("stone-ns-admin", PASSWORD),
        &sim.jenkins_url(),
    );
    let denied = member.jenkins_admin().await.unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Forbidden, "{denied}");
    let unknown = admin(&sim).jenkins_admin().await.unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::InvalidInput, "{unknown}");
    assert_eq!(unknown.field(), Some("jenkins_url"), "{unknown}");
    let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap();
    let bad_url = Client::new(
        transport,
        config(Auth::password("admin", PASSWORD)).with_jenkins_url("jenkins.example"),
    )
    .unwrap_err();
    assert_eq!(bad_url.field(), Some("jenkins_url"), "{bad_url}");
    // A URL where no Jenkins answers: that server's own refusal.
    let elsewhere = knowing_jenkins(&sim, Auth::password("admin", PASSWORD), &sim.url());
    let wrong = elsewhere.jenkins_admin().await.unwrap();
    let refused = wrong.labels().await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotFound, "{refused}");

    let jenkins = member.jenkins();
    for (job, field) in [
        ("../x", "job"),
        ("demo-project/%2e%2e", "job"),
        ("demo-project/a%2Fb", "job"),
        ("demo-project/a\u{7}b", "job"),
        ("demo-project//x", "job"),
    ] {
        let err = jenkins.status(job, 1).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{job:?}: {err}");
        assert_eq!(err.field(), Some(field), "{job:?}: {err}");
    }
    let err = jenkins
        .download(GO_JOB, 1, "../../etc/passwd", &std::env::temp_dir())
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("artifact"), "{err}");
    let err = jenkins.jobs(Some("demo-project/ü/..")).await.unwrap_err();
    assert_eq!(err.field(), Some("folder"), "{err}");
    let err = jenkins.status(GO_JOB, 0).await.unwrap_err();
    assert_eq!(err.field(), Some("number"), "{err}");
    let missing = jenkins.status(GO_JOB, 999).await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound, "{missing}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_token_never_shows() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let admin = admin(&sim);
    let token = jenkins_admin_token(&sim, &admin).await;
    assert!(token.len() >= 16);

    let admin = jenkins_admin(&sim);
    let jenkins = admin.jenkins_admin().await.unwrap();
    let mut shown = vec![format!("{jenkins:?}"), format!("{admin:?}")];
    shown.push(jenkins.status(GO_JOB, 999).await.unwrap_err().to_string());
    shown.push(format!(
        "{:?}",
        jenkins.console(GO_JOB, 999).await.unwrap_err()
    ));
    shown.push(jenkins.status("../x", 1).await.unwrap_err().to_string());
    for text in shown {
        assert!(!text.contains(&token), "the admin token shows in {text}");
    }
    sim.shutdown().await;
}

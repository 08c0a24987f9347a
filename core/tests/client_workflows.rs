//! The client's workflows against the simulator over loopback, on both API layouts: what a
//! user of the library observes.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use futures_util::TryStreamExt;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, Cause, ParameterOrigin, RunEnd, WaitUntil};
use ksdevops::model::{Pipeline, RunResult};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;

const LAYOUTS: [ApiLayout; 2] = [ApiLayout::V4, ApiLayout::V3];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_params_demo_mission_end_to_end() {
    for layout in LAYOUTS {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        assert_eq!(client.layout().await.unwrap(), layout, "detected layout");

        let names: Vec<String> = client
            .pipelines()
            .map_ok(|p| p.name().unwrap_or_default().to_owned())
            .try_collect()
            .await
            .unwrap();
        assert!(names.contains(&"params-demo".to_owned()), "{names:?}");

        let params = client.parameters("params-demo", None).await.unwrap();
        assert_eq!(
            params.origin,
            ParameterOrigin::Jenkinsfile,
            "never run: read from the Jenkinsfile"
        );
        let defined: Vec<&str> = params.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            defined,
            ["PERSON", "BIOGRAPHY", "TOGGLE", "CHOICE", "PASSWORD"]
        );

        let bad = client
            .trigger("params-demo", &values(&[("CHOICE", "Four")]), None)
            .await
            .unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::InvalidInput);
        assert_eq!(bad.field(), Some("parameters.CHOICE"));
        let runs: Vec<_> = client
            .runs("params-demo", None)
            .try_collect()
            .await
            .unwrap();
        assert!(runs.is_empty(), "a refused trigger starts nothing");

        let run = client
            .trigger(
                "params-demo",
                &values(&[("PERSON", "ada"), ("CHOICE", "Two")]),
                None,
            )
            .await
            .unwrap();
        let run = run.name().unwrap().to_owned();

        let (log, status) = tokio::join!(whole_log(&client, &run), async {
            let id = client.build_id(&run, None).await.unwrap();
            assert!(id.parse::<u32>().is_ok(), "{id}");
            let paused = client.wait(&run, None, WaitUntil::Paused).await.unwrap();
            assert_eq!(paused.end, RunEnd::Paused);
            let inputs = client.pending_inputs(&run).await.unwrap();
            assert_eq!(inputs.len(), 1, "{inputs:?}");
            assert_eq!(
                inputs[0].input.message.as_deref(),
                Some("Deploy to production?")
            );
            let refused = client
                .approve(&run, None, &values(&[("TARGET", "moon")]))
                .await
                .unwrap_err();
            assert_eq!(refused.field(), Some("parameters.TARGET"), "{refused}");
            client
                .approve(&run, Some(inputs[0].id()), &[])
                .await
                .unwrap();
            client.wait(&run, None, WaitUntil::Finished).await.unwrap()
        });
        assert!(status.succeeded(), "{:?} {:?}", status.result, status.phase);
        let stages: Vec<&str> = status
            .stages
            .iter()
            .filter_map(|s| s.display_name.as_deref())
            .collect();
        assert_eq!(
            stages,
            ["Greet", "Build", "Approve", "Deploy"],
            "{layout:?}"
        );

        let text = String::from_utf8(log.clone()).unwrap();
        assert_eq!(text.matches("Hello ada").count(), 1, "{text}");
        assert!(text.contains("Choice: Two"), "{text}");
        assert!(
            !text.contains("SECRET"),
            "the password default stays with Jenkins"
        );
        assert_eq!(
            whole_log(&client, &run).await,
            log,
            "followed = read after the end"
        );

        let artifacts = client.artifacts(&run).await.unwrap();
        assert_eq!(artifacts.len(), 1);
        assert_eq!(artifacts[0].file_path(), Some("dist/report.txt"));
        let dir = std::env::temp_dir().join(format!(
            "ksdevops-client-{}-{}",
            std::process::id(),
            layout.as_str()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut reported = Vec::new();
        let download = client
            .download_with_progress(&run, "dist/report.txt", &dir, &mut |done, total| {
                reported.push((done, total))
            })
            .await
            .unwrap();
        assert_eq!(download.path, dir.join("report.txt"));
        let bytes = std::fs::read(&download.path).unwrap();
        assert_eq!(Some(bytes.len() as i64), artifacts[0].size);
        let size = bytes.len() as u64;
        assert_eq!(
            reported.first(),
            Some(&(0, Some(size))),
            "progress starts at 0 of the listed size"
        );
        assert_eq!(reported.last(), Some(&(size, Some(size))), "{reported:?}");
        assert!(
            reported.windows(2).all(|w| w[0].0 <= w[1].0),
            "progress never goes back without a restart: {reported:?}"
        );
        assert!(bytes.starts_with(b"ksdevops-sim artifact\npath: dist/report.txt\n"));
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
        let missing = client
            .download(&run, "dist/nope.txt", &dir)
            .await
            .unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        assert!(missing.message().contains("dist/report.txt"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();

        let params = client.parameters("params-demo", None).await.unwrap();
        assert_eq!(
            params.origin,
            ParameterOrigin::Metadata,
            "after a run, Jenkins' synced definitions"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_branch_runs_address_a_branch_with_a_slash() {
    for layout in LAYOUTS {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        let branches = synced_branches(&client, "multi-branch-demo").await;
        let shown: Vec<&str> = branches.iter().filter_map(|b| b.display()).collect();
        assert!(shown.contains(&"feature/login"), "{shown:?}");

        let missing = client
            .parameters("multi-branch-demo", None)
            .await
            .unwrap_err();
        assert_eq!(missing.field(), Some("branch"));
        let params = client
            .parameters("multi-branch-demo", Some("feature/login"))
            .await
            .unwrap();
        assert_eq!(params.origin, ParameterOrigin::Branch);
        assert_eq!(params.definitions[0].name, "GREETING");

        let run = client
            .trigger_resource(
                "multi-branch-demo",
                &values(&[("GREETING", "hi")]),
                Some("feature/login"),
                None,
            )
            .await
            .unwrap();
        let run = run.name().unwrap().to_owned();
        assert!(run.starts_with("multi-branch-demo-"), "{run}");
        let status = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
        assert_eq!(status.result, Some(RunResult::Success), "{layout:?}");
        let log = String::from_utf8(whole_log(&client, &run).await).unwrap();
        assert!(log.contains("hi from feature/login"), "{log}");

        let before: Vec<_> = client
            .runs("multi-branch-demo", Some("feature/login"))
            .try_collect()
            .await
            .unwrap();
        let again = client
            .trigger_resource(
                "multi-branch-demo",
                &values(&[("GREETING", "hi")]),
                Some("feature/login"),
                Some(&run),
            )
            .await
            .unwrap();
        assert_eq!(
            again.name(),
            Some(run.as_str()),
            "the same name is the same run"
        );
        let after: Vec<_> = client
            .runs("multi-branch-demo", Some("feature/login"))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(after.len(), before.len(), "no second run");
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_pipeline_is_synced_then_its_failure_diagnosed() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;
    let client = admin(&sim);
    let jenkinsfile = "pipeline {\n  agent any\n  stages {\n    stage('Compile') {\n      steps {\n        echo 'compiling'\n        error 'sh: 1: mvn: not found'\n      }\n    }\n  }\n}\n";
    let created = client
        .create_pipeline(&Pipeline::regular("broken-build", jenkinsfile), true, None)
        .await
        .unwrap();
    assert!(created.is_synced(), "{:?}", created.sync_status());
    assert_eq!(
        created.creator(),
        Some("admin"),
        "creator taken from the token"
    );

    let run = client.trigger("broken-build", &[], None).await.unwrap();
    let run = run.name().unwrap().to_owned();
    let status = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
    assert_eq!(status.result, Some(RunResult::Failure));
    let why = client.diagnose(&run).await.unwrap();
    assert_eq!(why.stage.as_deref(), Some("Compile"), "{why:?}");
    assert_eq!(
        why.cause,
        Some(Cause::ToolNotFound {
            tool: Some("mvn".into())
        }),
        "{why:?}"
    );
    assert!(why.log_tail.contains("mvn: not found"), "{why:?}");
    assert!(why.hint.contains("`mvn`"), "{}", why.hint);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_waited_for_and_its_log_returned() {
    let sim = sim(ApiLayout::V3, FaultConfig::default()).await;
    let client = admin(&sim);
    let scan = client.scan("multi-branch-demo", true, None).await.unwrap();
    assert!(scan.finished && scan.succeeded, "{scan:?}");
    assert!(scan.log.contains("Finished: SUCCESS"), "{}", scan.log);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_given_a_layout_sends_no_probe_and_a_wrong_project_is_named() {
    let sim = sim(ApiLayout::V3, FaultConfig::default()).await;
    let mut config = config(Auth::password("admin", PASSWORD));
    config.devops = "no-such-project".into();
    let transport = ksdevops::transport::reqwest::ReqwestTransport::new(
        ksdevops::transport::reqwest::ReqwestConfig::new(sim.url()),
    )
    .unwrap();
    let client = ksdevops::client::Client::new(transport, config).unwrap();
    let err = client.layout().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.message().contains("no-such-project"), "{err}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_is_created_read_back_blank_and_deleted() {
    use ksdevops::model::{Credential, CredentialKind};
    for layout in LAYOUTS {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        let credential = Credential::basic_auth("git-user", "robot", "planted-password");
        let created = client
            .create_credential(&credential)
            .await
            .expect("created");
        assert_eq!(created.name(), Some("git-user"));
        assert_eq!(created.credential_kind(), Some(CredentialKind::BasicAuth));
        let read = client.get_credential("git-user").await.expect("read back");
        assert!(read.is_blank("password"), "the server blanks the password");
        assert!(!format!("{read:?}{created:?}").contains("planted-password"));
        client.delete_credential("git-user").await.expect("deleted");
        let gone = client.get_credential("git-user").await.unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound, "{gone}");
        sim.shutdown().await;
    }
}

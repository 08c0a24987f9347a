//! What the client creates carries its creator, as the KubeSphere console writes it: a
//! credential (with its kind), a PipelineRun (whose Jenkins build is then started by that user).
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, RunEnd, WaitUntil};
use ksdevops::model::{annotations, Credential};
use ksdevops_sim::FaultConfig;

const USER: &str = "stone-ns-admin";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_and_runs_name_the_user_who_created_them() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = client(&sim, Auth::password(USER, PASSWORD));

        let credential = Credential::secret_text("deploy-token", "planted-secret");
        client.create_credential(&credential).await.unwrap();
        let stored = client.get_credential("deploy-token").await.unwrap();
        assert_eq!(
            stored.metadata.annotation(annotations::CREATOR),
            Some(USER),
            "{layout:?}"
        );
        assert_eq!(
            stored.metadata.annotation(annotations::CREDENTIAL_TYPE),
            Some("secret-text"),
            "{layout:?}"
        );

        let run = client
            .trigger_resource("params-demo", &values(&[("PERSON", "ada")]), None, None)
            .await
            .unwrap();
        assert_eq!(run.creator(), Some(USER), "{layout:?}");
        assert_eq!(run.metadata.annotation(annotations::CREATOR), Some(USER));
        let run = run.name().unwrap().to_owned();
        let paused = client.wait(&run, None, WaitUntil::Paused).await.unwrap();
        assert_eq!(paused.end, RunEnd::Paused);
        client.abort(&run, None).await.unwrap();
        let log = String::from_utf8(whole_log(&client, &run).await).unwrap();
        assert!(
            log.contains(&format!("Started by user {USER}")),
            "{layout:?}: {log}"
        );
        sim.shutdown().await;
    }
}

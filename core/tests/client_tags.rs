//! Runs of a tag of a multi-branch pipeline (`refType: tag`): through the client, with the
//! values checked against the tag's Jenkinsfile.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::client::WaitUntil;
use ksdevops::model::{RefType, RunResult};
use ksdevops::ErrorKind;
use ksdevops_sim::scenario::ScenarioBranch;
use ksdevops_sim::{Sim, SimConfig, SimHandle};

const PIPELINE: &str = "multi-branch-demo";
const TAG: &str = "v1.0";

/// The demo, with tag `v1.0` discovered on the multi-branch pipeline.
async fn sim_with_tag(layout: ApiLayout) -> SimHandle {
    let mut scenario = ksdevops_sim::demo::demo();
    let pipeline = scenario
        .pipelines
        .iter_mut()
        .find(|p| p.resource["metadata"]["name"] == PIPELINE)
        .expect("the demo has a multi-branch pipeline");
    pipeline.resource["spec"]["multi_branch_pipeline"]["git_source"]["discover_tags"] =
        serde_json::json!(true);
    pipeline.branches.push(ScenarioBranch {
        name: TAG.into(),
        jenkinsfile: Some(ksdevops_sim::demo::MULTI_BRANCH_JENKINSFILE.into()),
        tag: true,
        pull_request: None,
        commit: None,
    });
    let config = SimConfig {
        scenario,
        ..SimConfig::demo().with_layout(layout).with_speed(20.0)
    };
    Sim::start(config).await.expect("the simulator starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_is_built_with_its_own_parameters() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim_with_tag(layout).await;
        let client = admin(&sim);
        let jobs: Vec<String> = synced_branches(&client, PIPELINE)
            .await
            .iter()
            .filter_map(|b| b.name.clone())
            .collect();
        assert!(jobs.contains(&TAG.to_owned()), "{jobs:?}");

        let refused = client
            .trigger_tag(PIPELINE, &values(&[("NOPE", "x")]), TAG, None)
            .await
            .unwrap_err();
        assert_eq!(refused.field(), Some("parameters.NOPE"), "{refused}");

        let run = client
            .trigger_tag(PIPELINE, &values(&[("GREETING", "hi")]), TAG, None)
            .await
            .unwrap();
        let scm = run.spec.scm.clone().expect("a tag run names its ref");
        assert_eq!(scm.ref_type, RefType::Tag, "{layout:?}");
        assert_eq!(scm.ref_name, TAG);
        let name = run.name().unwrap().to_owned();
        let status = client.wait(&name, None, WaitUntil::Finished).await.unwrap();
        assert_eq!(status.result, Some(RunResult::Success), "{layout:?}");
        let log = String::from_utf8(whole_log(&client, &name).await).unwrap();
        assert!(log.contains("hi from v1.0"), "{log}");

        let regular = client
            .trigger_tag("params-demo", &[], TAG, None)
            .await
            .unwrap_err();
        assert_eq!(regular.kind(), ErrorKind::InvalidInput);
        assert_eq!(regular.field(), Some("tag"), "{regular}");
        sim.shutdown().await;
    }
}

//! `ksdevops run --tag`: a run of a tag of a multi-branch pipeline.

mod common;

use common::*;
use ksdevops_sim::scenario::ScenarioBranch;
use ksdevops_sim::{ApiLayout, SimConfig};
use std::time::{Duration, Instant};

const PIPELINE: &str = "multi-branch-demo";

/// The demo, with tag `v1.0` discovered on the multi-branch pipeline.
fn with_tag(layout: ApiLayout) -> SimConfig {
    let mut scenario = ksdevops_sim::demo::demo();
    let pipeline = scenario
        .pipelines
        .iter_mut()
        .find(|p| p.resource["metadata"]["name"] == PIPELINE)
        .expect("the demo has a multi-branch pipeline");
    pipeline.resource["spec"]["multi_branch_pipeline"]["git_source"]["discover_tags"] =
        serde_json::json!(true);
    pipeline.branches.push(ScenarioBranch {
        name: "v1.0".into(),
        jenkinsfile: Some(ksdevops_sim::demo::MULTI_BRANCH_JENKINSFILE.into()),
        tag: true,
        pull_request: None,
        commit: None,
    });
    SimConfig {
        scenario,
        ..SimConfig::demo().with_layout(layout).with_speed(50.0)
    }
}

#[test]
fn run_tag_builds_the_tag() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start_with(with_tag(layout));
        let deadline = Instant::now() + Duration::from_secs(20);
        while !sim
            .admin()
            .ok(&["branches", PIPELINE])
            .stdout
            .contains("v1.0")
        {
            assert!(Instant::now() < deadline, "the tag was never indexed");
            std::thread::sleep(Duration::from_millis(100));
        }

        let out = sim.admin().ok(&[
            "run",
            PIPELINE,
            "--tag",
            "v1.0",
            "-p",
            "GREETING=yo",
            "--wait",
        ]);
        let run = out.stdout.lines().next().unwrap().trim().to_owned();
        assert!(run.starts_with(PIPELINE), "{}", out.stdout);
        let log = sim.admin().ok(&["logs", &run]);
        assert!(
            log.stdout.contains("yo from v1.0"),
            "{layout:?}: {}",
            log.stdout
        );

        let both = sim
            .admin()
            .expect(&["run", PIPELINE, "--tag", "v1.0", "--branch", "main"], 2);
        assert!(both.stderr.contains("--tag"), "{}", both.stderr);
        let regular = sim
            .admin()
            .expect(&["run", "params-demo", "--tag", "v1.0"], 2);
        assert!(
            regular
                .stderr
                .contains("tag: \"v1.0\" given, but \"params-demo\" is not a multi-branch"),
            "{}",
            regular.stderr
        );
    }
}

//! Every captured server payload (external reference material, found through
//! `KSDEVOPS_SHARED`; skipped with a notice when absent) decodes into the models, the typed fields
//! carry what the payload says, and decode → encode gives the same JSON back.

#[path = "models_support/mod.rs"]
mod support;

use ksdevops::model::{
    Artifact, Branch, CredentialKind, CredentialSecret, DevOpsProject, NodeDetail, NodeType,
    OverallState, Pipeline, PipelineRun, PipelineType, RefType, Run, RunResult, RunState,
    SourceType, Step,
};
use serde_json::Value;
use support::{
    assert_round_trip, assert_round_trip_strict, fixture_text, js_exports, markdown_json_after,
    yaml_documents,
};

// ---------------------------------------------------------------- CR samples (YAML)

#[test]
fn regular_pipeline_sample_decodes_and_round_trips() {
    require_fixtures!();
    let docs = yaml_documents("devops_v1alpha4_pipelinerun.yaml");
    assert_eq!(docs.len(), 3);

    let project: DevOpsProject = assert_round_trip_strict(&docs[0]);
    assert_eq!(project.name(), Some("demo-devopsproject"));
    assert_eq!(project.admin_namespace(), Some("default"));
    assert_eq!(project.creator(), Some("admin"));

    let pipeline: Pipeline = assert_round_trip_strict(&docs[1]);
    assert!(!pipeline.is_multi_branch());
    assert_eq!(pipeline.creator(), Some("admin"));
    let spec = pipeline.spec.pipeline.as_ref().expect("spec.pipeline");
    assert_eq!(spec.name, "good");
    assert_eq!(spec.disable_concurrent, Some(true));
    let discarder = spec.discarder.as_ref().expect("discarder");
    assert_eq!(discarder.days_to_keep.as_deref(), Some("7"));
    assert_eq!(discarder.num_to_keep.as_deref(), Some("10"));
    assert!(pipeline
        .jenkinsfile()
        .expect("jenkinsfile")
        .contains("stage('Greeting')"));

    let run: PipelineRun = assert_round_trip_strict(&docs[2]);
    assert_eq!(run.name(), Some("demo-pipelinerun"));
    assert_eq!(run.pipeline_name(), Some("demo-pipeline"));
    assert_eq!(run.build_id(), None);
    assert_eq!(run.phase(), None);
    assert!(!run.is_multi_branch());
    assert!(run.stages().unwrap().is_empty());
    assert_eq!(run.jenkins_run().unwrap(), None);
}

#[test]
fn multi_branch_sample_decodes_with_git_source_types() {
    require_fixtures!();
    let docs = yaml_documents("devops_v1alpha4_pipelinerun_multi_branch_demo.yaml");
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["Namespace", "DevOpsProject", "Pipeline", "PipelineRun"]
    );

    let project: DevOpsProject = assert_round_trip_strict(&docs[1]);
    assert_eq!(project.admin_namespace(), Some("demo-devopsproject"));

    let pipeline: Pipeline = assert_round_trip_strict(&docs[2]);
    assert!(pipeline.is_multi_branch());
    assert_eq!(pipeline.spec.kind, PipelineType::MultiBranchPipeline);
    let mb = pipeline.spec.multi_branch_pipeline.as_ref().unwrap();
    assert_eq!(mb.source_type, SourceType::Git);
    assert_eq!(mb.script_path, "Jenkinsfile");
    let git = mb.git_source.as_ref().unwrap();
    assert_eq!(git.discover_branches, Some(true));
    assert_eq!(
        git.url.as_deref(),
        Some("https://gitlab.com/johnniang/jenkinsfile-demo.git")
    );
    let clone = git.git_clone_option.as_ref().unwrap();
    assert_eq!((clone.depth, clone.timeout), (Some(1), Some(20)));
    assert_eq!(
        mb.discarder.as_ref().unwrap().days_to_keep.as_deref(),
        Some("-1")
    );
    assert!(matches!(
        mb.source(),
        Some(ksdevops::model::ScmSource::Git(ref s)) if s == git
    ));

    let run: PipelineRun = assert_round_trip_strict(&docs[3]);
    assert_eq!(
        run.metadata.generate_name.as_deref(),
        Some("demo-pipelinerun-")
    );
    assert_eq!(run.metadata.name, None);
    assert!(run.is_multi_branch());
    assert_eq!(run.branch(), Some("main"));
    assert_eq!(run.spec.scm.as_ref().unwrap().ref_type, RefType::Branch);
    assert_eq!(run.pipeline_name(), Some("demo-multi-branch-pipeline"));
}

#[test]
fn parameters_sample_carries_run_parameters() {
    require_fixtures!();
    let docs = yaml_documents("devops_v1alpha4_pipelinerun_with_parameters.yaml");
    let pipeline: Pipeline = assert_round_trip_strict(&docs[1]);
    assert!(pipeline
        .jenkinsfile()
        .unwrap()
        .contains("booleanParam defaultValue: false"));

    let run: PipelineRun = assert_round_trip_strict(&docs[2]);
    let params: Vec<(&str, &str)> = run
        .spec
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(params, [("debug", "true"), ("name", "devops")]);
}

#[test]
fn credential_sample_reads_as_basic_auth_without_showing_values() {
    require_fixtures!();
    let docs = yaml_documents("secret.yaml");
    let secret: CredentialSecret = assert_round_trip_strict(&docs[0]);
    assert_eq!(secret.name(), Some("github"));
    assert_eq!(secret.credential_kind(), Some(CredentialKind::BasicAuth));
    assert_eq!(secret.keys(), ["password", "username"]);
    assert!(!secret.is_blank("password"));
    assert_eq!(secret.username().unwrap().as_deref(), Some("linuxsuren"));
    let debug = format!("{secret:?}");
    assert!(!debug.contains("linuxsuren"), "{debug}");
}

// ---------------------------------------------------------------- BlueOcean payloads

#[test]
fn blueocean_runs_decode_with_jenkins_times() {
    require_fixtures!();
    let runs: Vec<Run> = assert_round_trip(&support::fixture_json("PipelineRuns.json"));
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.id.as_deref(), Some("1"));
    assert_eq!(run.state, Some(RunState::Finished));
    assert_eq!(run.result, Some(RunResult::Success));
    assert!(run.is_finished());
    assert_eq!(run.duration_in_millis, Some(311));
    assert_eq!(run.name, None);
    assert_eq!(run.pull_request, None);
    // 2021-09-15T11:12:44.994+0000 and …45.305+0000
    let start = run.start_time.as_ref().unwrap().epoch_millis().unwrap();
    let end = run.end_time.as_ref().unwrap().epoch_millis().unwrap();
    assert_eq!(start, 1_631_704_364_994);
    assert_eq!(end - start, 311);
    let cause = &run.causes.as_ref().unwrap()[0];
    assert_eq!(
        cause.short_description.as_deref(),
        Some("Started by user admin")
    );
    assert_eq!(cause.user_id.as_deref(), Some("admin"));
    assert!(run.extra.contains_key("_links"), "links are kept");
}

#[test]
fn blueocean_branches_decode() {
    require_fixtures!();
    let exports = js_exports("latestBranches.js");
    let branches: Vec<Branch> = assert_round_trip(&exports["default"]);
    assert_eq!(branches.len(), 3);
    let master = &branches[0];
    assert_eq!(master.name.as_deref(), Some("master"));
    assert_eq!(master.display(), Some("master"));
    assert_eq!(master.weather_score, 100);
    assert!(!master.is_pull_request());
    let latest = master.latest_run.as_ref().unwrap();
    assert_eq!(latest.id.as_deref(), Some("3"));
    assert_eq!(latest.result, Some(RunResult::Success));
    assert_eq!(latest.duration_in_millis, Some(42106));
    assert_eq!(latest.artifacts.as_deref(), Some(&[][..]));
}

#[test]
fn blueocean_latest_runs_carry_artifacts_and_pull_requests() {
    require_fixtures!();
    let exports = js_exports("latestRuns.js");
    let items: Vec<Branch> = assert_round_trip(&exports["latestRuns"]);
    assert_eq!(items.len(), 2);

    let artifacts = items[0]
        .latest_run
        .as_ref()
        .unwrap()
        .artifacts
        .as_ref()
        .unwrap();
    assert_eq!(artifacts.len(), 1);
    let artifact = &artifacts[0];
    assert_eq!(artifact.name.as_deref(), Some("hey"));
    assert_eq!(artifact.file_path(), Some("hey"));
    assert_eq!(artifact.size, Some(4));
    assert_eq!(artifact.downloadable, Some(true));

    let pr = &items[1];
    assert!(pr.is_pull_request());
    let details = pr.pull_request.as_ref().unwrap();
    assert_eq!(details.id.as_deref(), Some("6"));
    assert_eq!(details.author.as_deref(), Some("target-x"));
    assert_eq!(
        pr.latest_run.as_ref().unwrap().result,
        Some(RunResult::Failure)
    );
}

#[test]
fn blueocean_run_nodes_decode_including_not_yet_run_stages() {
    require_fixtures!();
    let exports = js_exports("runNodes.js");
    let failed: Vec<NodeDetail> = assert_round_trip(&exports["runNodesFail"]);
    assert_eq!(failed.len(), 5);
    assert_eq!(failed[1].result, Some(RunResult::Failure));
    let edges: Vec<&str> = failed[1]
        .edges
        .as_ref()
        .unwrap()
        .iter()
        .map(|e| e.id.as_deref().unwrap())
        .collect();
    assert_eq!(edges, ["15", "16"]);
    let pending = &failed[4];
    assert_eq!(pending.display_name.as_deref(), Some("deploy"));
    assert_eq!(
        (pending.state.as_ref(), pending.result.as_ref()),
        (None, None)
    );
    assert_eq!(pending.start_time, None);
    assert_eq!(pending.duration_in_millis, None);

    let succeeded: Vec<NodeDetail> = assert_round_trip(&exports["runNodesSuccess"]);
    assert!(succeeded
        .iter()
        .all(|n| n.state == Some(RunState::Finished) && n.result == Some(RunResult::Success)));

    let running: Vec<Run> = assert_round_trip(&exports["runNodesRunning"]);
    assert_eq!(running[0].state, Some(RunState::Running));
    assert_eq!(running[0].result, Some(RunResult::Unknown));
    assert_eq!(running[0].end_time, None);
    assert!(!running[0].is_finished());
    assert_eq!(running[0].pipeline.as_deref(), Some("feature%2FUX-234"));
}

#[test]
fn node_graph_example_decodes_stage_and_parallel_types() {
    require_fixtures!();
    let nodes: Vec<NodeDetail> =
        assert_round_trip(&support::fixture_json("pipeline-nodes-example.json"));
    let kinds: Vec<&NodeType> = nodes.iter().map(|n| n.kind.as_ref().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            &NodeType::Stage,
            &NodeType::Stage,
            &NodeType::Parallel,
            &NodeType::Parallel,
            &NodeType::Stage
        ]
    );
    let test_edges = nodes[1].edges.as_ref().unwrap();
    assert_eq!(test_edges[0].kind, Some(NodeType::Parallel));
    assert_eq!(
        test_edges[0].extra["durationInMillis"], 2,
        "edge extras kept"
    );
}

#[test]
fn blueocean_steps_decode() {
    require_fixtures!();
    let steps: Vec<Step> = assert_round_trip(&js_exports("failingRunningSteps.js")["default"]);
    let states: Vec<(&RunState, &RunResult)> = steps
        .iter()
        .map(|s| (s.state.as_ref().unwrap(), s.result.as_ref().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            (&RunState::Finished, &RunResult::Failure),
            (&RunState::Finished, &RunResult::Success),
            (&RunState::Running, &RunResult::Unknown),
        ]
    );
    assert!(steps.iter().all(|s| !s.is_pending_input()));

    let described: Vec<Step> = assert_round_trip(&js_exports("steps-descriptions.js")["default"]);
    assert!(described[0]
        .display_description
        .as_deref()
        .unwrap()
        .starts_with("echo \"This is a very long step description."));
    assert_eq!(described[0].input, None);
    // 2017-06-05T09:56:27.681-0400 = 13:56:27.681Z
    assert_eq!(
        described[0].start_time.as_ref().unwrap().epoch_millis(),
        Some(1_496_670_987_681)
    );
}

#[test]
fn captured_runs_stages_and_steps_read_as_one_state_each() {
    require_fixtures!();
    let runs: Vec<Run> = assert_round_trip(&support::fixture_json("PipelineRuns.json"));
    assert_eq!(runs[0].overall_state(), OverallState::Succeeded);
    let exports = js_exports("runNodes.js");
    let failed: Vec<NodeDetail> = assert_round_trip(&exports["runNodesFail"]);
    let states: Vec<OverallState> = failed.iter().map(NodeDetail::overall_state).collect();
    assert_eq!(states[1], OverallState::Failed);
    assert_eq!(
        states[4],
        OverallState::NotStarted,
        "a stage that never ran"
    );
    let running: Vec<Run> = assert_round_trip(&exports["runNodesRunning"]);
    assert_eq!(running[0].overall_state(), OverallState::Running);
    assert!(!running[0].overall_state().is_finished());
    let steps: Vec<Step> = assert_round_trip(&js_exports("failingRunningSteps.js")["default"]);
    let states: Vec<&str> = steps.iter().map(|s| s.overall_state().name()).collect();
    assert_eq!(states, ["failed", "succeeded", "running"]);
}

// ---------------------------------------------------------------- BlueOcean README samples

#[test]
fn readme_input_step_sample_is_a_pending_input() {
    require_fixtures!();
    let steps: Vec<Step> =
        assert_round_trip(&markdown_json_after("### Get Pipeline Steps with Input"));
    let step = &steps[0];
    assert!(step.is_pending_input());
    let input = step.input.as_ref().unwrap();
    assert_eq!(
        input.id.as_deref(),
        Some("C51b52435b43a326d5d4f92c290a64d5")
    );
    assert_eq!(input.ok.as_deref(), Some("Proceed"));
    assert!(input.submitters().is_empty());
    let param = &input.parameters()[0];
    assert_eq!(param.name, "branch");
    let default = param.default_parameter_value.as_ref().unwrap();
    assert_eq!(default.value, Some(Value::from("master")));
}

#[test]
fn readme_run_samples_decode() {
    require_fixtures!();
    let runs: Vec<Run> = assert_round_trip(&markdown_json_after("## Get all runs in a pipeline"));
    let artifact = &runs[0].artifacts.as_ref().unwrap()[0];
    assert_eq!(
        artifact.url.as_deref(),
        Some("/jenkins/job/pipeline1/1/artifact/dir/fizz")
    );
    assert_eq!(artifact.path, None);
    assert_eq!(artifact.file_path(), Some("fizz"));

    let stopped: Run = assert_round_trip(&markdown_json_after("## Stop a build"));
    assert_eq!(stopped.result, Some(RunResult::Aborted));
    assert_eq!(stopped.estimated_duration_in_millis, Some(567));
}

#[test]
fn readme_parameterized_branch_sample_decodes() {
    require_fixtures!();
    let branch: Branch = assert_round_trip(&markdown_json_after("## Parameterized Pipeline"));
    assert_eq!(branch.name.as_deref(), Some("feature%2Fux-1"));
    assert_eq!(branch.display(), Some("feature/ux-1"));
    let param = &branch.parameters()[0];
    assert_eq!(
        (param.name.as_str(), param.kind.as_str()),
        ("param1", "StringParameterDefinition")
    );
}

// ---------------------------------------------------------------- schemas

#[test]
fn every_field_of_the_pipeline_crd_is_a_typed_field() {
    require_fixtures!();
    let sample = support::sample_from_crd("devops.kubesphere.io_pipelines.yaml");
    let pipeline: Pipeline = assert_round_trip_strict(&sample);
    support::assert_no_extra_fields(&pipeline);
    let mb = pipeline.spec.multi_branch_pipeline.as_ref().unwrap();
    assert!(mb
        .github_source
        .as_ref()
        .unwrap()
        .discover_branches
        .is_some());
    assert!(mb.git_source.as_ref().unwrap().discover_branches.is_some());
    assert!(mb.gitlab_source.as_ref().unwrap().server_name.is_some());
}

#[test]
fn every_field_of_the_pipelinerun_crd_is_a_typed_field() {
    require_fixtures!();
    let sample = support::sample_from_crd("devops.kubesphere.io_pipelineruns.yaml");
    let run: PipelineRun = assert_round_trip_strict(&sample);
    support::assert_no_extra_fields(&run);
    let status = run.status.as_ref().unwrap();
    assert!(status.start_time.is_some() && !status.conditions.is_empty());
}

#[test]
fn swagger_node_branch_and_artifact_shapes_are_typed_fields() {
    require_fixtures!();
    for (definition, decode) in [
        (
            "pipelinerun.NodeDetail",
            support::decode_untyped::<NodeDetail> as fn(&Value) -> String,
        ),
        ("pipelinerun.Step", support::decode_untyped::<Step>),
        ("devops.NodeSteps", support::decode_untyped::<Step>),
        ("pipeline.Branch", support::decode_untyped::<Branch>),
        ("pipeline.LatestRun", support::decode_untyped::<Run>),
        ("devops.Artifacts", support::decode_untyped::<Artifact>),
    ] {
        let sample = support::sample_from_swagger(definition);
        let leftover = decode(&sample);
        assert_eq!(leftover, "", "{definition}: fields left untyped");
    }
}

#[test]
fn fixture_text_is_found_through_the_shared_folder() {
    require_fixtures!();
    assert!(fixture_text("FIXTURES.md").contains("verbatim"));
}

#[test]
fn the_untyped_field_check_sees_unknown_fields() {
    require_fixtures!();
    // The v1alpha2 run detail has change sets, artifact zips and more that stay untyped.
    let sample = support::sample_from_swagger("devops.PipelineRun");
    let leftover = support::decode_untyped::<Run>(&sample);
    assert!(leftover.contains("\"changeSet\""), "{leftover}");
    let mut pipeline = support::yaml_documents("devops_v1alpha4_pipelinerun.yaml")[1].clone();
    pipeline["spec"]["pipeline"]["futureField"] = Value::from(1);
    let leftover = support::decode_untyped::<Pipeline>(&pipeline);
    assert!(leftover.contains("futureField"), "{leftover}");
}

//! What a user of the models observes beyond the fixtures: list envelopes, both spellings and
//! time formats, unknown values kept, annotation accessors, credentials and secret masking.

use ksdevops::model::{
    annotations, Branch, Credential, CredentialKind, CredentialSecret, GithubSource, ListResult,
    NodeDetail, Pipeline, PipelineRun, PipelineRunStatus, RefType, Run, RunPhase, RunResult,
    RunState, ScmSource, Step, Token,
};
use ksdevops::{ErrorKind, Secret};
use serde_json::{json, Value};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

// ---------------------------------------------------------------- lists

#[test]
fn items_null_reads_as_an_empty_list() {
    let list: ListResult<Pipeline> = decode(json!({"items": null, "totalItems": 0}));
    assert!(list.items.is_empty());
    assert_eq!(list.total_items, 0);
    let list = ListResult::<Pipeline>::from_json(br#"{"items":null,"totalItems":0}"#).unwrap();
    assert!(list.items.is_empty());
}

#[test]
fn lists_read_both_envelopes_and_bare_arrays() {
    let page: ListResult<Run> =
        decode(json!({"items": [{"id": "1"}, {"id": "2"}], "totalItems": 7}));
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.total_items, 7);

    let search =
        ListResult::<Run>::from_json(br#"{"items":[{"id":"3"}],"total_count":1}"#).unwrap();
    assert_eq!(
        (search.items[0].id.as_deref(), search.total_items),
        (Some("3"), 1)
    );

    let bare = ListResult::<Step>::from_json(br#"[{"id":"5"},{"id":"6"},{"id":"7"}]"#).unwrap();
    assert_eq!(bare.total_items, 3);
    assert_eq!(bare.items[2].id.as_deref(), Some("7"));

    let err = ListResult::<Run>::from_json(b"{\"items\": 3}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let err = ListResult::<Run>::from_json(b"<html>").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

// ---------------------------------------------------------------- steps and inputs

#[test]
fn both_approvable_spellings_are_read() {
    let v1alpha3: Step = decode(json!({"id": "12", "approvable": true}));
    let v1alpha2: Step = decode(json!({"id": "12", "aprovable": true}));
    let absent: Step = decode(json!({"id": "12"}));
    assert_eq!(v1alpha3.approvable, Some(true));
    assert_eq!(v1alpha2.approvable, Some(true));
    assert_eq!(absent.approvable, None);
    let encoded = serde_json::to_value(&v1alpha2).unwrap();
    assert_eq!(encoded, json!({"id": "12", "approvable": true}));
}

#[test]
fn a_step_with_both_approvable_spellings_still_decodes() {
    // A proxy or a later server may send both keys; neither must make the run unreadable.
    let both: Result<Step, _> =
        serde_json::from_value(json!({"id": "12", "approvable": true, "aprovable": false}));
    let step = both.expect("both spellings decode");
    assert_eq!(step.approvable, Some(true));
    let encoded = serde_json::to_value(&step).unwrap();
    assert_eq!(
        encoded,
        json!({"id": "12", "approvable": true, "aprovable": false})
    );
}

#[test]
fn pending_inputs_are_paused_steps_with_an_input_not_approvable_ones() {
    let stage: NodeDetail = decode(json!({
        "id": "9", "displayName": "Deploy", "state": "PAUSED",
        "steps": [
            {"id": "10", "state": "FINISHED", "result": "SUCCESS", "approvable": true},
            {"id": "12", "state": "PAUSED", "result": "UNKNOWN", "approvable": true,
             "input": {"id": "Abc", "message": "Ship it?", "ok": "Yes",
                       "submitter": "alice, ops ,", "parameters": []}}
        ]
    }));
    let pending: Vec<&Step> = stage.pending_inputs().collect();
    assert_eq!(pending.len(), 1);
    let input = pending[0].input.as_ref().unwrap();
    assert_eq!(input.id.as_deref(), Some("Abc"));
    assert_eq!(input.submitters(), ["alice", "ops"]);
}

// ---------------------------------------------------------------- times

#[test]
fn models_read_rfc3339_and_jenkins_times_and_null() {
    let status: PipelineRunStatus = decode(json!({
        "startTime": "2024-05-01T10:00:00Z",
        "completionTime": "2024-05-01T10:00:42Z",
        "updateTime": null,
        "phase": "Succeeded"
    }));
    let start = status.start_time.as_ref().unwrap().epoch_millis().unwrap();
    let end = status
        .completion_time
        .as_ref()
        .unwrap()
        .epoch_millis()
        .unwrap();
    assert_eq!((start, end - start), (1_714_557_600_000, 42_000));
    assert_eq!(status.update_time, None);

    let run: Run = decode(json!({"startTime": "2024-05-01T12:00:00.250+0200", "endTime": null}));
    assert_eq!(
        run.start_time.as_ref().unwrap().epoch_millis(),
        Some(1_714_557_600_250)
    );
    assert_eq!(run.end_time, None);
    assert_eq!(
        serde_json::to_value(&run).unwrap(),
        json!({"startTime": "2024-05-01T12:00:00.250+0200"})
    );
}

#[test]
fn go_zero_completion_time_means_not_completed() {
    let run: PipelineRun = decode(json!({
        "metadata": {"name": "p-abc"},
        "spec": {"pipelineRef": {"name": "p"}},
        "status": {"completionTime": "0001-01-01T00:00:00Z", "phase": "Running"}
    }));
    assert!(!run.is_completed());
    let done: PipelineRun = decode(json!({
        "spec": {"pipelineRef": {"name": "p"}},
        "status": {"completionTime": "2024-05-01T10:00:00Z"}
    }));
    assert!(done.is_completed());
}

#[test]
fn a_malformed_time_in_a_payload_reads_as_no_time_and_is_kept() {
    let run: Run = serde_json::from_value(json!({"startTime": "last tuesday"})).unwrap();
    let start = run.start_time.as_ref().expect("the field is kept");
    assert_eq!(start.epoch_millis(), None);
    assert_eq!(
        serde_json::to_value(&run).unwrap()["startTime"],
        "last tuesday"
    );
}

// ---------------------------------------------------------------- enums

#[test]
fn unknown_enum_strings_are_kept_and_re_encoded() {
    let run: PipelineRun = decode(json!({
        "spec": {"pipelineRef": {"name": "p"}, "scm": {"refType": "change", "refName": "x"}},
        "status": {"phase": "Exploded", "conditions": [
            {"type": "Ready", "status": "Maybe", "reason": "RUNNING"}
        ]}
    }));
    assert_eq!(run.phase(), Some(&RunPhase::Other("Exploded".into())));
    assert!(!run.phase().unwrap().is_terminal());
    assert_eq!(
        run.spec.scm.as_ref().unwrap().ref_type,
        RefType::Other("change".into())
    );
    let encoded = serde_json::to_value(&run).unwrap();
    assert_eq!(encoded["status"]["phase"], "Exploded");
    assert_eq!(encoded["status"]["conditions"][0]["status"], "Maybe");

    let step: Step = decode(json!({"state": "WAITING", "result": "FLAKY"}));
    assert_eq!(step.state, Some(RunState::Other("WAITING".into())));
    assert_eq!(step.result, Some(RunResult::Other("FLAKY".into())));
    assert_eq!(RunPhase::from("Pending"), RunPhase::Pending);
    assert_eq!(RunState::from("PAUSED").to_string(), "PAUSED");
}

#[test]
fn api_created_runs_have_an_empty_ref_type() {
    let run: PipelineRun = decode(json!({
        "spec": {"pipelineRef": {"name": "p"}, "scm": {"refType": "", "refName": "feat/x"}}
    }));
    let scm = run.spec.scm.as_ref().unwrap();
    assert_eq!(scm.ref_type, RefType::Empty);
    assert_eq!(run.branch(), Some("feat/x"));
}

// ---------------------------------------------------------------- unknown fields

#[test]
fn unknown_fields_survive_read_modify_write() {
    let original = json!({
        "apiVersion": "devops.kubesphere.io/v1alpha3",
        "kind": "Pipeline",
        "metadata": {
            "name": "p", "namespace": "demo", "resourceVersion": "42",
            "managedFields": [{"manager": "kubectl"}],
            "annotations": {"kubesphere.io/creator": "admin"}
        },
        "spec": {
            "type": "pipeline",
            "pipeline": {"name": "p", "jenkinsfile": "pipeline {}", "futureField": {"a": 1}},
            "futureSpec": true
        },
        "status": {},
        "futureTop": [1, 2]
    });
    let mut pipeline: Pipeline = decode(original.clone());
    pipeline.spec.pipeline.as_mut().unwrap().description = Some("edited".into());
    let mut expected = original;
    expected["spec"]["pipeline"]["description"] = json!("edited");
    assert_eq!(serde_json::to_value(&pipeline).unwrap(), expected);
}

// ---------------------------------------------------------------- builders

#[test]
fn regular_pipeline_builder_writes_the_cr_shape() {
    let pipeline = Pipeline::regular("hello", "pipeline { agent any }");
    assert!(!pipeline.is_multi_branch());
    assert_eq!(
        serde_json::to_value(&pipeline).unwrap(),
        json!({
            "apiVersion": "devops.kubesphere.io/v1alpha3",
            "kind": "Pipeline",
            "metadata": {"name": "hello"},
            "spec": {"type": "pipeline",
                     "pipeline": {"name": "hello", "jenkinsfile": "pipeline { agent any }"}}
        })
    );
}

#[test]
fn multi_branch_builder_stores_the_source_in_its_field() {
    let source = ScmSource::Github(GithubSource {
        owner: Some("kubesphere".into()),
        repo: Some("ks-devops".into()),
        credential_id: Some("github-token".into()),
        discover_branches: Some(1),
        ..GithubSource::default()
    });
    let pipeline = Pipeline::multi_branch("ks", source.clone());
    assert!(pipeline.is_multi_branch());
    let spec = serde_json::to_value(&pipeline).unwrap()["spec"].clone();
    assert_eq!(
        spec,
        json!({
            "type": "multi-branch-pipeline",
            "multi_branch_pipeline": {
                "name": "ks",
                "source_type": "github",
                "github_source": {"owner": "kubesphere", "repo": "ks-devops",
                                  "credential_id": "github-token", "discover_branches": 1},
                "script_path": "Jenkinsfile"
            }
        })
    );
    let mb = pipeline.spec.multi_branch_pipeline.as_ref().unwrap();
    assert_eq!(mb.source(), Some(source.clone()));
    assert_eq!(source.credential_id(), Some("github-token"));

    let git = Pipeline::multi_branch("g", ScmSource::git("https://example.test/r.git"));
    let encoded = serde_json::to_value(&git).unwrap();
    assert_eq!(
        encoded["spec"]["multi_branch_pipeline"]["source_type"],
        "git"
    );
    assert_eq!(
        encoded["spec"]["multi_branch_pipeline"]["git_source"]["url"],
        "https://example.test/r.git"
    );
}

#[test]
fn a_run_built_for_a_pipeline_copies_its_spec() {
    let mut pipeline = Pipeline::multi_branch("ks", ScmSource::git("https://example.test/r.git"));
    pipeline.metadata.namespace = Some("demo".into());
    let run = PipelineRun::for_pipeline(&pipeline)
        .with_branch("main")
        .with_parameters(vec![ksdevops::model::ParameterValue {
            name: "DEBUG".into(),
            value: "true".into(),
        }]);
    let encoded = serde_json::to_value(&run).unwrap();
    assert_eq!(encoded["metadata"]["generateName"], "ks-");
    assert_eq!(encoded["metadata"]["namespace"], "demo");
    assert_eq!(
        encoded["metadata"]["labels"][annotations::PIPELINE_NAME_LABEL],
        "ks"
    );
    assert_eq!(
        encoded["spec"]["pipelineRef"],
        json!({"kind": "Pipeline", "namespace": "demo", "name": "ks"})
    );
    assert_eq!(
        encoded["spec"]["pipelineSpec"]["type"],
        "multi-branch-pipeline"
    );
    assert_eq!(
        encoded["spec"]["scm"],
        json!({"refType": "", "refName": "main"})
    );
    assert_eq!(
        encoded["spec"]["parameters"],
        json!([{"name": "DEBUG", "value": "true"}])
    );
    assert!(run.is_multi_branch());
}

// ---------------------------------------------------------------- annotations

fn pipeline_with_annotations(annotations: Value) -> Pipeline {
    decode(json!({
        "metadata": {"name": "p", "annotations": annotations},
        "spec": {"type": "multi-branch-pipeline",
                 "multi_branch_pipeline": {"name": "p", "source_type": "git", "script_path": "Jenkinsfile"}}
    }))
}

#[test]
fn pipeline_annotations_parse_into_metadata_and_branches() {
    let metadata = json!({
        "weatherScore": 100, "name": "p", "totalNumberOfBranches": 2,
        "parameters": [{"name": "PERSON", "type": "string", "description": "who",
                        "defaultParameterValue": {"name": "PERSON", "value": "Mr Jenkins"}}],
        "scmSource": {"id": "github", "apiUrl": "https://api.github.com"}
    });
    let branches = json!([
        {"name": "feat%2Fx", "rawName": "feat/x", "weatherScore": 80,
         "latestRun": {"id": "3", "state": "FINISHED", "result": "UNSTABLE",
                       "startTime": "2024-05-01T10:00:00Z", "endTime": null},
         "parameters": [{"name": "DEBUG", "type": "BooleanParameterDefinition",
                         "defaultParameterValue": {"value": false}}]},
        {"name": "PR-6", "weatherScore": 0, "pullRequest": {"id": "6", "title": "Fix"}}
    ]);
    let pipeline = pipeline_with_annotations(json!({
        annotations::PIPELINE_JENKINS_METADATA: metadata.to_string(),
        annotations::PIPELINE_JENKINS_BRANCHES: branches.to_string(),
        annotations::PIPELINE_SYNC_STATUS: "successful",
        annotations::CREATOR: "admin"
    }));
    assert!(pipeline.is_synced());
    assert_eq!(pipeline.creator(), Some("admin"));

    let meta = pipeline.jenkins_metadata().unwrap().unwrap();
    assert_eq!(meta.total_number_of_branches, Some(2));
    let person = &meta.parameters()[0];
    assert_eq!(
        (person.name.as_str(), person.kind.as_str()),
        ("PERSON", "string")
    );
    assert_eq!(
        meta.scm_source.as_ref().unwrap().api_url.as_deref(),
        Some("https://api.github.com")
    );

    let branches: Vec<Branch> = pipeline.branches().unwrap();
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[0].display(), Some("feat/x"));
    assert_eq!(
        branches[0].latest_run.as_ref().unwrap().result,
        Some(RunResult::Unstable)
    );
    assert_eq!(
        branches[0].parameters()[0].kind,
        "BooleanParameterDefinition"
    );
    assert!(!branches[0].is_pull_request());
    assert!(branches[1].is_pull_request());
}

#[test]
fn absent_annotations_read_as_nothing_and_bad_ones_name_the_key() {
    let fresh = pipeline_with_annotations(json!({}));
    assert_eq!(fresh.jenkins_metadata().unwrap(), None);
    assert!(fresh.branches().unwrap().is_empty());
    assert!(!fresh.is_synced());

    let broken = pipeline_with_annotations(json!({annotations::PIPELINE_JENKINS_BRANCHES: "[{"}));
    let err = broken.branches().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(
        err.message()
            .contains(annotations::PIPELINE_JENKINS_BRANCHES),
        "{err}"
    );
}

#[test]
fn pipelinerun_annotations_give_build_id_run_status_and_stages() {
    let status = json!({"id": "7", "state": "PAUSED", "result": "UNKNOWN", "queueId": "12",
                        "startTime": "2024-05-01T10:00:00Z", "endTime": null});
    let stages = json!([{"id": "3", "displayName": "Approve", "state": "PAUSED",
                         "steps": [{"id": "4", "state": "PAUSED", "approvable": true,
                                    "input": {"id": "In1", "message": "OK?"}}]}]);
    let run: PipelineRun = decode(json!({
        "metadata": {
            "name": "p-x7k2q",
            "labels": {annotations::PIPELINE_NAME_LABEL: "p"},
            "annotations": {
                annotations::PIPELINERUN_ID: "7",
                annotations::PIPELINERUN_CREATOR: "alice",
                annotations::PIPELINERUN_STATUS: status.to_string(),
                annotations::PIPELINERUN_STAGES_STATUS: stages.to_string()
            }
        },
        "spec": {"pipelineRef": {"name": "other"}},
        "status": {"phase": "Pending"}
    }));
    assert_eq!(run.build_id(), Some("7"));
    assert_eq!(
        run.pipeline_name(),
        Some("p"),
        "the label wins over pipelineRef"
    );
    assert_eq!(run.creator(), Some("alice"));
    assert_eq!(run.phase(), Some(&RunPhase::Pending));
    let jenkins = run.jenkins_run().unwrap().unwrap();
    assert!(jenkins.is_paused());
    assert_eq!(jenkins.queue_id.as_deref(), Some("12"));
    let stages = run.stages().unwrap();
    let pending: Vec<&str> = stages[0]
        .pending_inputs()
        .filter_map(|s| s.input.as_ref()?.id.as_deref())
        .collect();
    assert_eq!(pending, ["In1"]);
}

// ---------------------------------------------------------------- credentials and secrets

#[test]
fn credentials_build_the_secret_of_their_kind() {
    let cases = [
        (
            Credential::basic_auth("gh", "bot", "hunter2").with_description("GitHub bot"),
            "credential.devops.kubesphere.io/basic-auth",
            json!({"username": "bot", "password": "hunter2"}),
        ),
        (
            Credential::ssh_auth("ssh", "git", "-----KEY-----", Some(Secret::new("pp"))),
            "credential.devops.kubesphere.io/ssh-auth",
            json!({"username": "git", "passphrase": "pp", "private_key": "-----KEY-----"}),
        ),
        (
            Credential::secret_text("tok", "s3cr3t"),
            "credential.devops.kubesphere.io/secret-text",
            json!({"secret": "s3cr3t"}),
        ),
        (
            Credential::kubeconfig("kc", "apiVersion: v1"),
            "credential.devops.kubesphere.io/kubeconfig",
            json!({"content": "apiVersion: v1"}),
        ),
    ];
    for (credential, secret_type, string_data) in cases {
        let body = credential.to_secret_json().unwrap();
        assert_eq!(body["apiVersion"], "v1");
        assert_eq!(body["kind"], "Secret");
        assert_eq!(body["type"], secret_type);
        assert_eq!(body["metadata"]["name"], credential.name.as_str());
        assert_eq!(body["stringData"], string_data);
        assert_eq!(
            body["metadata"]["annotations"][annotations::CREDENTIAL_TYPE],
            credential.kind().as_str(),
            "the kind, as the console annotates it"
        );
        assert_eq!(
            CredentialKind::from_secret_type(secret_type),
            Some(credential.kind())
        );
    }
    let described = Credential::basic_auth("gh", "bot", "x").with_description("GitHub bot");
    let body = described.to_secret_json().unwrap();
    assert_eq!(
        body["metadata"]["annotations"][annotations::DESCRIPTION],
        "GitHub bot"
    );
    let plain = Credential::ssh_auth("ssh", "git", "KEY", None)
        .to_secret_json()
        .unwrap();
    assert_eq!(
        plain["stringData"],
        json!({"username": "git", "private_key": "KEY"})
    );
}

#[test]
fn credential_debug_and_errors_never_show_secret_values() {
    let credentials = [
        Credential::basic_auth("gh", "bot", "hunter2"),
        Credential::ssh_auth(
            "ssh",
            "git",
            "PRIVATE-KEY-BYTES",
            Some(Secret::new("pass-phrase")),
        ),
        Credential::secret_text("tok", "s3cr3t-token"),
        Credential::kubeconfig("kc", "kubeconfig-body"),
    ];
    for credential in &credentials {
        let debug = format!("{credential:?}");
        for secret in [
            "hunter2",
            "PRIVATE-KEY-BYTES",
            "pass-phrase",
            "s3cr3t-token",
            "kubeconfig-body",
        ] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("***"));
    }

    let err = Credential::basic_auth("gh", "bot", "")
        .to_secret_json()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("password"))
    );
    let err = Credential::basic_auth("", "bot", "hunter2")
        .validate()
        .unwrap_err();
    assert_eq!(err.field(), Some("name"));
    assert!(!err.message().contains("hunter2"));
    let err = "api-key".parse::<CredentialKind>().unwrap_err();
    assert!(err.message().contains("`api-key`"), "{err}");
    assert_eq!(
        "ssh-auth".parse::<CredentialKind>().unwrap(),
        CredentialKind::SshAuth
    );
}

#[test]
fn masked_credentials_read_back_with_blank_secrets() {
    let secret: CredentialSecret = decode(json!({
        "metadata": {"name": "gh", "annotations": {
            annotations::CREDENTIAL_SYNC_STATUS: "successful",
            annotations::DESCRIPTION: "GitHub bot"}},
        "type": "credential.devops.kubesphere.io/basic-auth",
        "data": {"username": "Ym90", "password": ""}
    }));
    assert_eq!(secret.credential_kind(), Some(CredentialKind::BasicAuth));
    assert_eq!(secret.keys(), ["password", "username"]);
    assert!(secret.is_blank("password"));
    assert!(!secret.is_blank("username"));
    assert_eq!(secret.username().unwrap().as_deref(), Some("bot"));
    assert_eq!(secret.sync_status(), Some("successful"));
    assert_eq!(secret.description(), Some("GitHub bot"));

    let opaque: CredentialSecret = decode(json!({"metadata": {"name": "x"}, "type": "Opaque",
                                                 "data": {"token": "c2VjcmV0"}}));
    assert_eq!(opaque.credential_kind(), None);
    assert!(!format!("{opaque:?}").contains("c2VjcmV0"));

    let bad: CredentialSecret =
        decode(json!({"type": "credential.devops.kubesphere.io/basic-auth",
                                              "data": {"username": "%%%"}}));
    assert_eq!(bad.username().unwrap_err().field(), Some("data.username"));
}

#[test]
fn tokens_and_trigger_tokens_are_masked_in_debug() {
    let token: Token = decode(json!({
        "access_token": "eyJhbGciOi.access", "token_type": "Bearer",
        "refresh_token": "eyJhbGciOi.refresh", "expires_in": 7200
    }));
    assert_eq!(token.access_token.expose(), "eyJhbGciOi.access");
    assert_eq!(token.expires_in, Some(7200));
    assert_eq!(token.bearer().expose(), "Bearer eyJhbGciOi.access");
    let debug = format!("{token:?} {:?}", token.bearer());
    assert!(!debug.contains("eyJhbGciOi"), "{debug}");

    let pipeline: Pipeline = decode(json!({
        "metadata": {"name": "p"},
        "spec": {"type": "pipeline", "pipeline": {"name": "p",
                 "remote_trigger": {"token": "trigger-me"},
                 "generic_webhook": {"enable": true, "token": "hook-token"}}}
    }));
    let debug = format!("{pipeline:?}");
    assert!(
        !debug.contains("trigger-me") && !debug.contains("hook-token"),
        "{debug}"
    );
    let encoded = serde_json::to_value(&pipeline).unwrap();
    assert_eq!(
        encoded["spec"]["pipeline"]["remote_trigger"]["token"],
        "trigger-me"
    );
}

// ---------------------------------------------------------------- branch parameters

#[test]
fn a_branch_knows_its_parameters_once_a_build_has_started() {
    let branch = |latest_run: Value, parameters: Value| -> Branch {
        decode(json!({"name": "main", "latestRun": latest_run, "parameters": parameters}))
    };
    let never_built = branch(Value::Null, Value::Null);
    assert!(never_built.parameters().is_empty());
    assert!(!never_built.parameters_known());
    let first_queued = branch(json!({"id": "1", "state": "QUEUED"}), Value::Null);
    assert!(!first_queued.parameters_known());
    let first_running = branch(json!({"id": "1", "state": "RUNNING"}), Value::Null);
    assert!(first_running.parameters_known(), "none declared");
    let second_queued = branch(json!({"id": "2", "state": "QUEUED"}), Value::Null);
    assert!(
        second_queued.parameters_known(),
        "an earlier build read them"
    );
    let declared = branch(
        json!({"id": "1", "state": "QUEUED"}),
        json!([{"name": "TARGET", "type": "StringParameterDefinition"}]),
    );
    assert!(declared.parameters_known());
}

//! The failures real KubeSphere/Jenkins users meet, observed over plain HTTP: an agent label
//! nobody offers (the run stays queued and says why), a tool the agent lacks, a write only
//! root may do, an archive pattern matching nothing, and a pipeline whose sync failed.

mod common;

use common::*;
use ksdevops_sim::{ApiLayout, SimConfig};
use serde_json::{json, Value};

async fn run_to_end(env: &Env, c: &Authed, name: &str, jf: &str) -> (Value, String, Value) {
    create_pipeline(env, c, name, jf).await;
    wait_synced(env, c, name).await;
    let (run, id) = trigger_build(env, c, name, json!([])).await;
    let pr = wait_phase(env, c, &run, &["Succeeded", "Failed"]).await;
    let log = c
        .get_text(&format!("{}/runs/{id}/log?start=0", env.p2(NS, name)))
        .await;
    let nodes = c
        .get_json(&format!("{}/runs/{id}/nodesdetail", env.p2(NS, name)))
        .await;
    (pr, log, nodes)
}

/// The log of the first step of the node named `stage`.
async fn step_log(env: &Env, c: &Authed, name: &str, nodes: &Value, stage: &str) -> String {
    let node = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["displayName"] == stage)
        .unwrap_or_else(|| panic!("no node {stage} in {nodes}"));
    let step = node["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["result"] == "FAILURE")
        .unwrap_or_else(|| panic!("no failed step in {node}"));
    let id = nodes_run_id(nodes);
    c.get_text(&format!(
        "{}/runs/{id}/nodes/{}/steps/{}/log?start=0",
        env.p2(NS, name),
        node["id"].as_str().unwrap(),
        step["id"].as_str().unwrap()
    ))
    .await
}

/// The build number, from a node's self link (`…/runs/{id}/nodes/{n}/`).
fn nodes_run_id(nodes: &Value) -> String {
    let href = nodes[0]["_links"]["self"]["href"].as_str().unwrap();
    let after = href.split("/runs/").nth(1).unwrap();
    after.split('/').next().unwrap().to_string()
}

fn result_of(nodes: &Value, stage: &str) -> Value {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["displayName"] == stage)
        .map(|n| n["result"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_no_agent_offers_keeps_the_run_queued_with_the_cause() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let labels = c
        .get_json(&format!("{}{KAPIS}/v1alpha3/ci/nodelabels", env.base))
        .await;
    assert_eq!(
        labels["data"],
        json!(["base", "go", "java", "maven", "nodejs", "python"])
    );
    let jf = "pipeline {\n  agent none\n  stages {\n    stage('Build') {\n      agent { label 'gpu' }\n      steps { sh 'make' }\n    }\n  }\n}\n";
    create_pipeline(&env, &c, "needs-gpu", jf).await;
    wait_synced(&env, &c, "needs-gpu").await;
    let (run, id) = trigger_build(&env, &c, "needs-gpu", json!([])).await;
    let cause = "There are no nodes with the label ‘gpu’";
    let run_url = format!("{}/runs/{id}", env.p2(NS, "needs-gpu"));
    let blocked = wait_for("a blocked run", 20, || async {
        let r = c.get_json(&run_url).await;
        (r["causeOfBlockage"] == cause).then_some(r)
    })
    .await;
    assert_eq!(blocked["state"], "QUEUED");
    // Still blocked long after any pod would have come up (50× speed: 2 s real ≈ 100 s).
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let later = c.get_json(&run_url).await;
    assert_eq!(later["state"], "QUEUED");
    assert_eq!(later["causeOfBlockage"], cause);
    let nodes = c.get_json(&format!("{run_url}/nodes")).await;
    assert_eq!(nodes[0]["displayName"], "Build");
    assert_eq!(nodes[0]["state"], "QUEUED");
    assert_eq!(nodes[0]["causeOfBlockage"], cause);
    let details = c
        .get_json(&format!("{}/pipelineruns/{run}/nodedetails", env.n3(NS)))
        .await;
    assert_eq!(details[0]["causeOfBlockage"], cause);
    let log = c.get_text(&format!("{run_url}/log?start=0")).await;
    assert!(
        log.contains(&format!("Still waiting to schedule task\n{cause}\n")),
        "{log}"
    );
    // Stopping it aborts the run and clears the cause.
    c.post(&format!("{run_url}/stop?blocking=true&timeOutInSecs=5"))
        .send()
        .await
        .unwrap();
    let pr = wait_phase(&env, &c, &run, &["Failed"]).await;
    let done = c.get_json(&run_url).await;
    assert_eq!(done["result"], "ABORTED", "{pr}");
    assert!(done["causeOfBlockage"].is_null());
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_agent_label_nobody_offers_blocks_before_any_stage() {
    let env = start(ApiLayout::V3, 50.0).await;
    let c = env.admin().await;
    let jf = "node('windows') {\n  stage('Build') {\n    sh 'make'\n  }\n}\n";
    create_pipeline(&env, &c, "scripted-windows", jf).await;
    wait_synced(&env, &c, "scripted-windows").await;
    let (run, id) = trigger_build(&env, &c, "scripted-windows", json!([])).await;
    let run_url = format!("{}/runs/{id}", env.p2(NS, "scripted-windows"));
    let r = wait_for("a blocked run", 20, || async {
        let r = c.get_json(&run_url).await;
        (r["causeOfBlockage"] == "There are no nodes with the label ‘windows’").then_some(r)
    })
    .await;
    assert_eq!(r["state"], "QUEUED");
    let pr = c
        .get_json(&format!("{}/pipelineruns/{run}", env.n3(NS)))
        .await;
    assert_ne!(pr["status"]["phase"], "Succeeded");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offered_label_provisions_a_pod_and_waits_meanwhile() {
    let env = start(ApiLayout::V4, 20.0).await;
    let c = env.admin().await;
    create_pipeline(
        &env,
        &c,
        "on-maven",
        "pipeline {\n  agent { label 'maven' }\n  stages {\n    stage('Build') {\n      steps {\n        container('maven') {\n          sh 'mvn -B package'\n        }\n        sleep 10\n        archiveArtifacts artifacts: 'target/*.jar'\n      }\n    }\n  }\n}\n",
    )
    .await;
    wait_synced(&env, &c, "on-maven").await;
    let (run, id) = trigger_build(&env, &c, "on-maven", json!([])).await;
    let run_url = format!("{}/runs/{id}", env.p2(NS, "on-maven"));
    wait_for("the provisioning wait", 20, || async {
        let r = c.get_json(&run_url).await;
        (r["causeOfBlockage"] == "Waiting for next available executor on ‘maven’").then_some(())
    })
    .await;
    let pr = wait_phase(&env, &c, &run, &["Succeeded", "Failed"]).await;
    assert_eq!(pr["status"]["phase"], "Succeeded", "{pr}");
    let log = c.get_text(&format!("{run_url}/log?start=0")).await;
    // The controller copies the agent pod from the log line onto the PipelineRun.
    let pod = pr["metadata"]["annotations"]["devops.kubesphere.io/agent-pod-name"]
        .as_str()
        .unwrap_or_else(|| panic!("no agent pod annotation: {pr}"));
    assert!(pod.starts_with("maven-"), "{pod}");
    assert_eq!(
        pr["metadata"]["annotations"]["devops.kubesphere.io/agent-node-name"],
        "node1"
    );
    assert!(
        log.contains(&format!("Agent {pod} is provisioned from template maven\n")),
        "{log}"
    );
    assert!(
        log.contains(" in /home/jenkins/agent/workspace/demo-project_on-maven\n"),
        "{log}"
    );
    let artifacts = c.get_json(&format!("{run_url}/artifacts")).await;
    assert_eq!(artifacts[0]["path"], "target/on-maven-1.0.0.jar");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_the_agent_lacks_is_not_found_with_exit_127() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    // `mvn` outside `container('maven')` runs in the jnlp container, which has no Maven.
    let jf = "pipeline {\n  agent { label 'maven' }\n  stages {\n    stage('Build') {\n      steps {\n        sh 'mvn -B package'\n      }\n    }\n    stage('Later') {\n      steps { echo 'never' }\n    }\n  }\n}\n";
    let (pr, log, nodes) = run_to_end(&env, &c, "no-mvn", jf).await;
    assert_eq!(pr["status"]["phase"], "Failed");
    assert_eq!(result_of(&nodes, "Build"), "FAILURE");
    assert!(log.contains("+ mvn -B package\n"), "{log}");
    assert!(
        log.contains("/home/jenkins/agent/workspace/demo-project_no-mvn@tmp/durable-")
            && log.contains("/script.sh: 1: mvn: not found\n"),
        "{log}"
    );
    assert!(
        log.contains("ERROR: script returned exit code 127\nFinished: FAILURE"),
        "{log}"
    );
    let step = step_log(&env, &c, "no-mvn", &nodes, "Build").await;
    assert!(step.contains("mvn: not found"), "{step}");
    // On the built-in node (`agent any`) kubectl is missing too.
    let (_, log, _) = run_to_end(
        &env,
        &c,
        "no-kubectl",
        "pipeline { agent any\n stages { stage('Deploy') { steps { sh '''\n  echo deploying\n  kubectl apply -f k8s/\n''' } } } }",
    )
    .await;
    assert!(log.contains("/script.sh: 3: kubectl: not found\n"), "{log}");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_step_without_any_agent_needs_a_node_context() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let (pr, log, nodes) = run_to_end(
        &env,
        &c,
        "agentless",
        "pipeline { agent none\n stages { stage('Build') { steps { echo 'fine'\n sh 'make' } } } }",
    )
    .await;
    assert_eq!(pr["status"]["phase"], "Failed");
    assert_eq!(result_of(&nodes, "Build"), "FAILURE");
    assert!(
        log.contains("ERROR: Attempted to execute a step that requires a node context while ‘agent none’ was specified."),
        "{log}"
    );
    assert!(!log.contains("[Pipeline] node"), "{log}");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_for_root_and_the_docker_socket_are_permission_denied() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let (pr, log, nodes) = run_to_end(
        &env,
        &c,
        "root-write",
        "pipeline { agent any\n stages { stage('Config') { steps { sh 'echo registry=x > /root/.npmrc' } } } }",
    )
    .await;
    assert_eq!(pr["status"]["phase"], "Failed");
    assert!(
        log.contains("/script.sh: 1: cannot create /root/.npmrc: Permission denied\n"),
        "{log}"
    );
    assert!(log.contains("ERROR: script returned exit code 2"), "{log}");
    assert_eq!(result_of(&nodes, "Config"), "FAILURE");
    let (_, log, _) = run_to_end(
        &env,
        &c,
        "docker-socket",
        "pipeline { agent any\n stages { stage('Image') { steps { sh 'docker build -t app .' } } } }",
    )
    .await;
    assert!(
        log.contains("Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock"),
        "{log}"
    );
    assert!(log.contains("ERROR: script returned exit code 1"), "{log}");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archive_pattern_matching_nothing_fails_unless_allowed_empty() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let (pr, log, nodes) = run_to_end(
        &env,
        &c,
        "no-artifacts",
        "pipeline { agent any\n stages { stage('Package') { steps {\n sh 'echo hi > notes.txt'\n archiveArtifacts artifacts: 'dist/*.zip'\n } } } }",
    )
    .await;
    assert_eq!(pr["status"]["phase"], "Failed");
    assert_eq!(result_of(&nodes, "Package"), "FAILURE");
    let message =
        "No artifacts found that match the file pattern \"dist/*.zip\". Configuration error?";
    assert!(
        log.contains(&format!("ERROR: {message}\nFinished: FAILURE")),
        "{log}"
    );
    let step = step_log(&env, &c, "no-artifacts", &nodes, "Package").await;
    assert!(step.contains(&format!("ERROR: {message}")), "{step}");
    let (pr, log, _) = run_to_end(
        &env,
        &c,
        "empty-ok",
        "pipeline { agent any\n stages { stage('Package') { steps {\n archiveArtifacts artifacts: 'dist/*.zip', allowEmptyArchive: true\n } } } }",
    )
    .await;
    assert_eq!(pr["status"]["phase"], "Succeeded", "{log}");
    assert!(log.contains(message), "{log}");
    // What the build wrote is what gets archived.
    let (pr, _, _) = run_to_end(
        &env,
        &c,
        "some-artifacts",
        "pipeline { agent any\n stages { stage('Package') { steps {\n sh 'mkdir -p dist && echo a > dist/a.txt'\n writeFile file: 'dist/b.txt', text: 'b'\n dir('sub') { sh 'echo c > c.txt' }\n archiveArtifacts artifacts: 'dist/*.txt, sub/*.txt'\n dir('sub') { archiveArtifacts artifacts: '*.txt' }\n } } } }",
    )
    .await;
    assert_eq!(pr["status"]["phase"], "Succeeded");
    let id = pr["metadata"]["annotations"]["devops.kubesphere.io/jenkins-pipelinerun-id"]
        .as_str()
        .unwrap()
        .to_string();
    let artifacts = c
        .get_json(&format!(
            "{}/runs/{id}/artifacts",
            env.p2(NS, "some-artifacts")
        ))
        .await;
    let paths: Vec<&str> = artifacts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    // Inside `dir('sub')` paths are relative to it, as Jenkins names them.
    assert_eq!(paths, ["dist/a.txt", "dist/b.txt", "sub/c.txt", "c.txt"]);
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_whose_sync_failed_says_why_and_never_runs() {
    let mut scenario = ksdevops_sim::demo::demo();
    let mut broken = scenario.pipelines[0].clone();
    broken.resource["metadata"]["name"] = json!("broken-sync");
    broken.resource["spec"]["pipeline"]["name"] = json!("broken-sync");
    broken.sync_error = Some("failed to create the Jenkins job: 403 Forbidden".into());
    scenario.pipelines.push(broken);
    let env = start_with(SimConfig {
        scenario,
        speed: 50.0,
        ..Default::default()
    })
    .await;
    let c = env.admin().await;
    let url = format!("{}/pipelines/broken-sync", env.p3(NS));
    let p = wait_for("a failed sync", 20, || async {
        let p = c.get_json(&url).await;
        (p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncstatus"] == "failed")
            .then_some(p)
    })
    .await;
    assert_eq!(
        p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncmsg"],
        "failed to create the Jenkins job: 403 Forbidden"
    );
    // Without a Jenkins job there is nothing to run.
    let resp = c
        .post_json(
            &format!("{}/runs", env.p2(NS, "broken-sync")),
            &json!({"parameters": []}),
        )
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, 500, "{text}");
    assert!(text.contains("broken-sync"), "{text}");
    // The demo's own pipelines still sync.
    wait_synced(&env, &c, "params-demo").await;
    // Through the API: the simulator's annotation, removed by an update, then it syncs.
    let body = json!({
        "metadata": {"name": "later-ok", "annotations": {"ksdevops-sim/sync-error": "Jenkins is unreachable"}},
        "spec": {"type": "pipeline", "pipeline": {"name": "later-ok", "jenkinsfile": "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }"}},
    });
    let resp = c
        .post_json(&format!("{}/pipelines", env.p3(NS)), &body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let url = format!("{}/pipelines/later-ok", env.p3(NS));
    let mut p = wait_for("a failed sync", 20, || async {
        let p = c.get_json(&url).await;
        (p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncmsg"]
            == "Jenkins is unreachable")
            .then_some(p)
    })
    .await;
    assert_eq!(
        p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncstatus"],
        "failed"
    );
    p["metadata"]["annotations"]
        .as_object_mut()
        .unwrap()
        .remove("ksdevops-sim/sync-error");
    let resp = c
        .put(&url)
        .header("Content-Type", "application/json")
        .body(p.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    wait_synced(&env, &c, "later-ok").await;
    let p = c.get_json(&url).await;
    assert!(p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncmsg"].is_null());
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_pipeline_runs_its_stages_on_the_node_label() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let jf = "node('go') {\n  stage('Build') {\n    container('go') {\n      sh 'go build -o app .'\n    }\n  }\n  stage('Archive') {\n    archiveArtifacts artifacts: 'app'\n  }\n}\n";
    let (pr, log, nodes) = run_to_end(&env, &c, "scripted-go", jf).await;
    assert_eq!(pr["status"]["phase"], "Succeeded", "{log}");
    assert_eq!(result_of(&nodes, "Build"), "SUCCESS");
    assert_eq!(result_of(&nodes, "Archive"), "SUCCESS");
    assert!(log.contains("is provisioned from template go"), "{log}");
    assert!(!log.contains("Running on Jenkins"), "{log}");
    env.stop().await;
}

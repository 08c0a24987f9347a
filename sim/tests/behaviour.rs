//! The server behaviours of issue 5 item 3, each proven with plain HTTP requests.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::{json, Value};

fn is_status_json(v: &Value, code: u64, reason: &str) -> bool {
    v["kind"] == "Status"
        && v["apiVersion"] == "v1"
        && v["status"] == "Failure"
        && v["code"] == code
        && v["reason"] == reason
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_are_checked() {
    let env = start(ApiLayout::V4, 50.0).await;
    let url = format!("{}/pipelines", env.p3(NS));
    let none = env.http.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(is_status_json(&json_of(none).await, 401, "Unauthorized"));
    let wrong = env
        .http
        .get(&url)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let c = env.admin().await;
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);

    // Wrong password and wrong client are OAuth errors.
    let bad = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "kubesphere"),
            ("client_secret", "kubesphere"),
            ("username", "admin"),
            ("password", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body = json_of(bad).await;
    assert_eq!(body["error"], "invalid_grant");
    assert!(!body.to_string().contains("nope"));
    let bad_client = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "kubesphere"),
            ("client_secret", "x"),
            ("username", "admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_client.status(), 401);
    assert_eq!(json_of(bad_client).await["error"], "invalid_client");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_grant_issues_a_new_token_once() {
    let env = start(ApiLayout::V4, 50.0).await;
    let login = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "kubesphere"),
            ("client_secret", "kubesphere"),
            ("username", "admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.headers()["cache-control"], "no-store");
    let login = json_of(login).await;
    assert_eq!(login["token_type"], "Bearer");
    assert_eq!(login["expires_in"], 7200);
    let refresh = login["refresh_token"].as_str().unwrap();
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "kubesphere"),
        ("client_secret", "kubesphere"),
        ("refresh_token", refresh),
    ];
    let again = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let token = json_of(again).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let ok = env
        .http
        .get(format!("{}/pipelines", env.p3(NS)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let reused = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 400, "a refresh token works once");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_tokens_expire_on_the_simulated_clock() {
    let env = start_with_token_ttl(2, 20.0).await;
    let c = env.admin().await;
    let url = format!("{}/pipelines", env.p3(NS));
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    wait_for("token expiry", 10, || async {
        (c.get(&url).send().await.unwrap().status() == 401).then_some(())
    })
    .await;
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_sees_only_its_own_projects() {
    let env = start(ApiLayout::V4, 50.0).await;
    let admin = env.admin().await;
    // A second workspace and project the tenant has no role in.
    let resp = admin
        .post_json(
            &env.ws("other"),
            &json!({"metadata": {"name": "other-project"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let tenant = env.tenant().await;
    assert_eq!(
        tenant
            .get(&format!("{}/pipelines", env.p3(NS)))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for url in [
        format!("{}/pipelines", env.p3("other-project")),
        format!("{}/credentials", env.p3("other-project")),
        format!("{}/pipelines/x/pipelineruns", env.n3("other-project")),
        format!("{}/runs/1/log", env.p2("other-project", "x")),
        env.k8s("other-project"),
        env.ws("other"),
    ] {
        let resp = tenant.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 403, "{url}");
        assert_eq!(resp.headers()["content-type"], "application/json");
        let body = json_of(resp).await;
        assert!(is_status_json(&body, 403, "Forbidden"), "{body}");
        assert!(body["message"].as_str().unwrap().contains("stone-ns-admin"));
    }
    // Writes too.
    let resp = tenant
        .post_json(
            &format!("{}/pipelines", env.p3("other-project")),
            &json!({"metadata": {"name": "x"}, "spec": {"type": "pipeline"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // The tenant's workspace listing shows only its project; the admin sees both.
    let mine = tenant.get_json(&env.ws("demo")).await;
    assert_eq!(mine["totalItems"], 1);
    assert_eq!(mine["items"][0]["metadata"]["name"], NS);
    let all = admin.get_json(&env.ws("other")).await;
    assert_eq!(all["items"][0]["metadata"]["name"], "other-project");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_routes_answer_406_to_a_non_matching_accept() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let (run, id) = trigger_build(&env, &c, "go-demo-pipeline", json!([])).await;
    wait_phase(&env, &c, &run, &["Succeeded"]).await;
    let log = format!("{}/runs/{id}/log?start=0", env.p2(NS, "go-demo-pipeline"));
    for accept in [
        "text/plain",
        "application/json",
        "text/plain; charset=utf-8",
    ] {
        let resp = c.get(&log).header("Accept", accept).send().await.unwrap();
        assert_eq!(resp.status(), 406, "Accept: {accept}");
    }
    for accept in ["*/*", "text/html, */*;q=0.1"] {
        let resp = c.get(&log).header("Accept", accept).send().await.unwrap();
        assert_eq!(resp.status(), 200, "Accept: {accept}");
        assert_eq!(resp.headers()["content-type"], "text/plain; charset=utf-8");
    }
    assert_eq!(
        c.get(&log).send().await.unwrap().status(),
        200,
        "no Accept header"
    );
    let consolelog = format!("{}/consolelog", env.p2(NS, "multi-branch-demo"));
    assert_eq!(
        c.get(&consolelog)
            .header("Accept", "text/plain")
            .send()
            .await
            .unwrap()
            .status(),
        406
    );
    // The artifact download produces application/json as far as go-restful knows.
    let download = format!(
        "{}/pipelineruns/{run}/artifacts/download?filename=service",
        env.n3(NS)
    );
    assert_eq!(
        c.get(&download)
            .header("Accept", "application/octet-stream")
            .send()
            .await
            .unwrap()
            .status(),
        406
    );
    assert_eq!(
        c.get(&download)
            .header("Accept", "*/*")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // JSON routes refuse text/plain too.
    let list = format!("{}/pipelines", env.p3(NS));
    assert_eq!(
        c.get(&list)
            .header("Accept", "text/plain")
            .send()
            .await
            .unwrap()
            .status(),
        406
    );
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1alpha3_writes_need_a_json_content_type() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let body = json!({"metadata": {"name": "ct"}, "spec": {"type": "pipeline", "pipeline": {"name": "ct"}}}).to_string();
    let resp = c
        .post(&format!("{}/pipelines", env.p3(NS)))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(resp
        .text()
        .await
        .unwrap()
        .starts_with("Unable to unmarshal content of type:"));
    let resp = c
        .post(&format!("{}/pipelines", env.p3(NS)))
        .header("Content-Type", "text/plain")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // Even an empty-bodied run trigger needs it.
    let runs = format!("{}/pipelines/go-demo-pipeline/pipelineruns", env.n3(NS));
    assert_eq!(c.post(&runs).send().await.unwrap().status(), 400);
    let ok = c
        .post(&runs)
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200, "an empty JSON body is allowed");
    let pr = json_of(ok).await;
    assert!(pr["spec"].get("parameters").is_none());
    assert_eq!(pr["metadata"]["generateName"], "go-demo-pipeline-");
    assert!(pr["metadata"]["name"]
        .as_str()
        .unwrap()
        .starts_with("go-demo-pipeline-"));
    // v1alpha2 input submit reads the raw body: no Content-Type needed (checked in the
    // input tests).
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_pipeline_and_credential_lists_have_null_items() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    c.post_json(&env.ws("demo"), &json!({"metadata": {"name": "empty"}}))
        .send()
        .await
        .unwrap();
    for url in [
        format!("{}/pipelines", env.p3("empty")),
        format!("{}/credentials", env.p3("empty")),
    ] {
        let text = c.get(&url).send().await.unwrap().text().await.unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(v["items"].is_null(), "{url}: {text}");
        assert_eq!(v["totalItems"], 0);
    }
    // A page past the end is empty the same way.
    let v = c
        .get_json(&format!("{}/pipelines?page=9&limit=10", env.p3(NS)))
        .await;
    assert!(v["items"].is_null());
    assert_eq!(v["totalItems"], 4);
    // PipelineRun and branch lists use [] instead.
    c.post_json(&format!("{}/pipelines", env.p3("empty")), &json!({"metadata": {"name": "p"}, "spec": {"type": "pipeline", "pipeline": {"name": "p", "jenkinsfile": "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }"}}}))
        .send()
        .await
        .unwrap();
    let runs = c
        .get_json(&format!("{}/pipelines/p/pipelineruns", env.n3("empty")))
        .await;
    assert_eq!(runs["items"], json!([]));
    // Credentials list only the four DevOps types, masked.
    let secret = json!({"metadata": {"name": "git"}, "type": "credential.devops.kubesphere.io/basic-auth", "stringData": {"username": "u", "password": "hunter2"}});
    let created = json_of(
        c.post_json(&format!("{}/credentials", env.p3("empty")), &secret)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(created["data"]["password"], "");
    let opaque = json!({"metadata": {"name": "opaque"}, "type": "Opaque", "data": {}});
    c.post_json(&format!("{}/credentials", env.p3("empty")), &opaque)
        .send()
        .await
        .unwrap();
    let list = c
        .get_json(&format!("{}/credentials", env.p3("empty")))
        .await;
    assert_eq!(list["totalItems"], 1);
    assert!(
        !list.to_string().contains("aHVudGVyMg"),
        "the password never comes back"
    );
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1alpha3_errors_are_text_plain_with_their_codes() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let check = |status: u16, body: String, ct: String, expect_status: u16, contains: &str| {
        assert_eq!(status, expect_status, "{body}");
        assert_eq!(ct, "text/plain; charset=utf-8");
        assert!(body.ends_with('\n'));
        assert!(
            body.contains(contains),
            "{body:?} should contain {contains:?}"
        );
    };
    async fn send(r: reqwest::RequestBuilder) -> (u16, String, String) {
        let resp = r.send().await.unwrap();
        let status = resp.status().as_u16();
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        (status, resp.text().await.unwrap(), ct)
    }
    let (s, b, ct) = send(c.get(&format!("{}/pipelines/nope", env.p3(NS)))).await;
    check(
        s,
        b,
        ct,
        404,
        "pipelines.devops.kubesphere.io \"nope\" not found",
    );
    // AlreadyExists is a 400 in the pipeline handlers.
    let dup = json!({"metadata": {"name": "params-demo"}, "spec": {"type": "pipeline", "pipeline": {"name": "params-demo"}}});
    let (s, b, ct) = send(c.post_json(&format!("{}/pipelines", env.p3(NS)), &dup)).await;
    check(s, b, ct, 400, "already exists");
    let invalid = json!({"metadata": {"name": "bad"}, "spec": {}});
    let (s, b, ct) = send(c.post_json(&format!("{}/pipelines", env.p3(NS)), &invalid)).await;
    check(s, b, ct, 400, "spec.type: Required value");
    let (s, b, ct) = send(c.get(&format!("{}/pipelineruns/nope", env.n3(NS)))).await;
    check(s, b, ct, 404, "not found");
    let (s, b, ct) = send(c.post_json(
        &format!("{}/pipelines/multi-branch-demo/pipelineruns", env.n3(NS)),
        &json!({}),
    ))
    .await;
    check(
        s,
        b,
        ct,
        400,
        "missing branch name for running a multi-branch Pipeline",
    );
    let (s, b, ct) = send(c.get(&format!("{}/pipelines/params-demo/branches", env.n3(NS)))).await;
    check(s, b, ct, 400, "not a multi-branch pipeline");
    let (s, b, ct) = send(
        c.put(&format!(
            "{}/pipelines/params-demo/jenkinsfile?mode=xml",
            env.p3(NS)
        ))
        .header("Content-Type", "application/json")
        .body("{\"data\":\"x\"}"),
    )
    .await;
    check(s, b, ct, 400, "invalid edit mode");
    // A run that has not finished cannot be deleted.
    let run = trigger(&env, &c, "params-demo", json!([])).await;
    let (s, b, ct) = send(c.delete(&format!("{}/pipelineruns/{run}", env.n3(NS)))).await;
    check(s, b, ct, 400, "not finished");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1alpha2_jenkins_errors_are_http_500() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    wait_synced(&env, &c, "go-demo-pipeline").await;
    for url in [
        format!("{}/runs/999", env.p2(NS, "go-demo-pipeline")),
        format!("{}/runs/999/nodes", env.p2(NS, "go-demo-pipeline")),
        format!("{}/runs/1", env.p2(NS, "no-such-pipeline")),
        format!("{}/branches/nope/runs/1", env.p2(NS, "multi-branch-demo")),
    ] {
        let resp = c.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 500, "{url}");
        let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(body["code"], 404, "Jenkins' own 404 is in the body");
    }
    env.stop().await;
}

const RESTRICTED_INPUT: &str = r#"pipeline {
  agent any
  stages {
    stage('Gate') {
      steps {
        input(message: 'Release?', submitter: 'release-team')
      }
    }
  }
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_approval_is_http_200_allow_false() {
    let env = start(ApiLayout::V4, 50.0).await;
    let admin = env.admin().await;
    create_pipeline(&env, &admin, "gated", RESTRICTED_INPUT).await;
    wait_synced(&env, &admin, "gated").await;
    let (run, id) = trigger_build(&env, &admin, "gated", json!([])).await;
    let tenant = env.tenant().await;
    let (node, step, input_id, as_tenant) = paused_input(&env, &tenant, "gated", &id).await;
    assert_eq!(
        as_tenant["aprovable"], false,
        "not a submitter, not the creator"
    );
    let url = format!(
        "{}/runs/{id}/nodes/{node}/steps/{step}",
        env.p2(NS, "gated")
    );
    let resp = tenant
        .post(&url)
        .body(json!({"id": input_id}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["allow"], "false");
    assert_eq!(
        body["message"],
        "you have no permission to approve this step"
    );
    // The pipeline's creator (admin) may answer; aborting fails the run.
    let (_, _, _, as_admin) = paused_input(&env, &admin, "gated", &id).await;
    assert_eq!(as_admin["aprovable"], true);
    let resp = admin
        .post(&url)
        .body(json!({"id": input_id, "abort": true}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let pr = wait_phase(&env, &admin, &run, &["Failed"]).await;
    let status: Value = serde_json::from_str(
        pr["metadata"]["annotations"]["devops.kubesphere.io/jenkins-pipelinerun-status"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(status["result"], "ABORTED", "ABORTED maps to phase Failed");
    let log = admin
        .get_text(&format!("{}/runs/{id}/log?start=0", env.p2(NS, "gated")))
        .await;
    assert!(log.contains("Rejected by admin"));
    assert!(log.trim_end().ends_with("Finished: ABORTED"));
    // Answering a step that is no longer paused is refused the same way.
    let again = admin
        .post(&url)
        .body(json!({"id": input_id}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert!(again.text().await.unwrap().contains("is not approvable"));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aprovable_in_v1alpha2_and_approvable_in_v1alpha3() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let (run, id) = trigger_build(&env, &c, "params-demo", json!([])).await;
    wait_phase(&env, &c, &run, &["Pending"]).await;
    let v2 = c
        .get_json(&format!(
            "{}/runs/{id}/nodesdetail",
            env.p2(NS, "params-demo")
        ))
        .await;
    let v2_steps: Vec<&Value> = v2
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["steps"].as_array().unwrap())
        .collect();
    assert!(v2_steps
        .iter()
        .all(|s| s.get("aprovable").is_some() && s.get("approvable").is_none()));
    // Only the paused input is aprovable in v1alpha2 ...
    assert_eq!(
        v2_steps.iter().filter(|s| s["aprovable"] == true).count(),
        1
    );
    let v3 = c
        .get_json(&format!("{}/pipelineruns/{run}/nodedetails", env.n3(NS)))
        .await;
    let v3_steps: Vec<&Value> = v3
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["steps"].as_array().unwrap())
        .collect();
    // ... while v1alpha3 marks every step approvable.
    assert!(v3_steps.len() > 1);
    assert!(v3_steps
        .iter()
        .all(|s| s["approvable"] == true && s.get("aprovable").is_none()));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_log_headers_depend_on_the_layout_step_logs_keep_them() {
    for (layout, run_headers) in [(ApiLayout::V4, false), (ApiLayout::V3, true)] {
        let env = start(layout, 50.0).await;
        let c = env.admin().await;
        let (_, id) = trigger_build(&env, &c, "params-demo", json!([])).await;
        let (node, step, _, _) = paused_input(&env, &c, "params-demo", &id).await;
        let resp = c
            .get(&format!(
                "{}/runs/{id}/log?start=0",
                env.p2(NS, "params-demo")
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.headers().contains_key("x-text-size"),
            run_headers,
            "{layout:?}"
        );
        assert_eq!(
            resp.headers().contains_key("x-more-data"),
            run_headers,
            "{layout:?}"
        );
        let step_log = c
            .get(&format!(
                "{}/runs/{id}/nodes/{node}/steps/{step}/log?start=0",
                env.p2(NS, "params-demo")
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(step_log.status(), 200);
        let size: usize = step_log.headers()["x-text-size"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            step_log.headers()["x-more-data"],
            "true",
            "the input is still waiting"
        );
        let text = step_log.text().await.unwrap();
        assert_eq!(size, text.len());
        assert!(text.starts_with("Deploy to production?"));
        // Progressive reads: from `start`, the rest.
        let tail = c
            .get(&format!(
                "{}/runs/{id}/nodes/{node}/steps/{step}/log?start=5",
                env.p2(NS, "params-demo")
            ))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(tail, &text[5..]);
        env.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_without_start_is_its_last_150_kb() {
    // At this speed KubeSphere's two-hour tokens last 3.6 real seconds; make them longer.
    let env = start_with_token_ttl(10_000_000, 2000.0).await;
    let c = env.admin().await;
    let line = "x".repeat(600);
    let steps: String = (0..300)
        .map(|i| format!("echo 'line {i:05} {line}'\n"))
        .collect();
    let jf =
        format!("pipeline {{ agent any\n stages {{ stage('talk') {{ steps {{\n{steps} }} }} }} }}");
    create_pipeline(&env, &c, "chatty", &jf).await;
    wait_synced(&env, &c, "chatty").await;
    let (run, id) = trigger_build(&env, &c, "chatty", json!([])).await;
    let url = format!("{}/runs/{id}/log", env.p2(NS, "chatty"));
    let pr = wait_phase(&env, &c, &run, &["Succeeded", "Failed"]).await;
    assert_eq!(
        pr["status"]["phase"],
        "Succeeded",
        "{}",
        c.get_text(&format!("{url}?start=0")).await
    );
    let full = c.get_text(&format!("{url}?start=0")).await;
    assert!(full.len() > 150 * 1024, "the log is {} bytes", full.len());
    let tail = c.get_text(&url).await;
    assert_eq!(tail.len(), 150 * 1024);
    assert!(full.ends_with(&tail));
    assert!(full.starts_with("Started by user admin"));
    assert!(!tail.starts_with("Started by user admin"));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_names_are_encoded_as_jenkins_encodes_them() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let url = format!("{}/pipelines/multi-branch-demo/branches", env.n3(NS));
    let branches = wait_for(
        "branches after indexing and a metadata refresh",
        20,
        || async {
            let b = c.get_json(&url).await;
            (b["totalItems"] == 2).then_some(b)
        },
    )
    .await;
    let names: Vec<(&str, &str)> = branches["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap(), b["rawName"].as_str().unwrap()))
        .collect();
    assert!(
        names.contains(&("feature%2Flogin", "feature/login")),
        "{names:?}"
    );
    assert!(names.contains(&("main", "main")));
    // Addressing it takes one more encoding, in v1alpha3 and v1alpha2 alike.
    let one = c.get_json(&format!("{url}/feature%252Flogin")).await;
    assert_eq!(one["rawName"], "feature/login");
    assert_eq!(
        c.get(&format!("{url}/feature%2Flogin"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let v2 = c
        .get_json(&format!(
            "{}/branches/feature%252Flogin",
            env.p2(NS, "multi-branch-demo")
        ))
        .await;
    assert_eq!(v2["name"], "feature%2Flogin");
    assert_eq!(v2["displayName"], "feature/login");
    // A run of the branch: ?branch= takes the Jenkins name.
    let resp = c
        .post_json(
            &format!(
                "{}/pipelines/multi-branch-demo/pipelineruns?branch=feature%252Flogin",
                env.n3(NS)
            ),
            &json!({"parameters": [{"name": "GREETING", "value": "hi"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let pr = json_of(resp).await;
    assert_eq!(
        pr["spec"]["scm"],
        json!({"refName": "feature%2Flogin", "refType": ""})
    );
    assert_eq!(pr["spec"]["pipelineSpec"]["type"], "multi-branch-pipeline");
    let run = pr["metadata"]["name"].as_str().unwrap().to_string();
    let id = run_id(&env, &c, &run).await;
    wait_phase(&env, &c, &run, &["Succeeded"]).await;
    let log = c
        .get_text(&format!(
            "{}/branches/feature%252Flogin/runs/{id}/log?start=0",
            env.p2(NS, "multi-branch-demo")
        ))
        .await;
    assert!(log.contains("hi from feature/login"), "{log}");
    let filtered = c
        .get_json(&format!(
            "{}/pipelines/multi-branch-demo/pipelineruns?branch=feature%252Flogin",
            env.n3(NS)
        ))
        .await;
    assert!(filtered["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["spec"]["scm"]["refName"] == "feature%2Flogin"));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncstatus_appears_once_the_jenkins_job_exists() {
    let env = start(ApiLayout::V4, 5.0).await;
    let c = env.admin().await;
    let created = create_pipeline(
        &env,
        &c,
        "fresh",
        "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }",
    )
    .await;
    assert!(created["metadata"]["annotations"]
        .get("pipeline.devops.kubesphere.io/syncstatus")
        .is_none());
    assert!(created.get("apiVersion").is_none(), "read back without GVK");
    let now = c.get_json(&format!("{}/pipelines/fresh", env.p3(NS))).await;
    assert!(now["metadata"]["annotations"]
        .get("pipeline.devops.kubesphere.io/syncstatus")
        .is_none());
    wait_synced(&env, &c, "fresh").await;
    // v1alpha2 only finds the job after the sync.
    assert_eq!(
        c.get(&env.p2(NS, "fresh")).send().await.unwrap().status(),
        200
    );
    env.stop().await;
}

const PARAMS: &str = r#"pipeline {
  agent any
  parameters {
    string(name: 'WHO', defaultValue: 'me', description: 'w')
    choice(name: 'ENV', choices: ['dev', 'prod'], description: '')
    booleanParam(name: 'DRY', defaultValue: true, description: '')
  }
  stages { stage('a') { steps { echo "${params.WHO}" } } }
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jenkins_metadata_is_refreshed_and_has_parameters_only_after_a_first_run() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    create_pipeline(&env, &c, "meta", PARAMS).await;
    let url = format!("{}/pipelines/meta", env.p3(NS));
    let before = wait_for("a first jenkins-metadata", 20, || async {
        let p = c.get_json(&url).await;
        p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/jenkins-metadata"]
            .as_str()
            .map(str::to_string)
    })
    .await;
    let before: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(before["name"], "meta");
    assert!(
        before.get("parameters").is_none(),
        "Jenkins knows no parameters before a run: {before}"
    );
    let run = trigger(&env, &c, "meta", json!([])).await;
    wait_phase(&env, &c, &run, &["Succeeded"]).await;
    let after = wait_for("metadata with parameters", 20, || async {
        let p = c.get_json(&url).await;
        let m: Value = serde_json::from_str(
            p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/jenkins-metadata"]
                .as_str()?,
        )
        .ok()?;
        m.get("parameters").is_some().then_some(m)
    })
    .await;
    let kinds: Vec<(&str, &str)> = after["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("WHO", "string"), ("ENV", "choice"), ("DRY", "boolean")]
    );
    assert_eq!(
        after["parameters"][0]["defaultParameterValue"]["value"],
        "me"
    );
    assert_eq!(
        after["parameters"][2]["defaultParameterValue"]["value"],
        true
    );
    // v1alpha2 shows Jenkins' own types.
    let v2 = c.get_json(&env.p2(NS, "meta")).await;
    assert_eq!(v2["parameters"][0]["type"], "StringParameterDefinition");
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_id_annotation_appears_a_moment_after_creation() {
    let env = start(ApiLayout::V4, 5.0).await;
    let c = env.admin().await;
    wait_synced(&env, &c, "go-demo-pipeline").await;
    let url = format!("{}/pipelines/go-demo-pipeline/pipelineruns", env.n3(NS));
    let created = json_of(c.post_json(&url, &json!({})).send().await.unwrap()).await;
    assert!(created["metadata"]["annotations"]
        .get("devops.kubesphere.io/jenkins-pipelinerun-id")
        .is_none());
    assert_eq!(
        created["metadata"]["annotations"]["devops.kubesphere.io/creator"],
        "admin"
    );
    assert_eq!(created["status"], json!({}));
    let name = created["metadata"]["name"].as_str().unwrap().to_string();
    // Not synced yet ⇒ invisible to backward=true lists, visible with backward=false.
    let list = c.get_json(&url).await;
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["metadata"]["name"] != name.as_str()));
    let list = c.get_json(&format!("{url}?backward=false")).await;
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["metadata"]["name"] == name.as_str()));
    let id = run_id(&env, &c, &name).await;
    assert!(id.parse::<u32>().is_ok());
    env.stop().await;
}

const UNSTABLE: &str =
    "pipeline { agent any\n stages { stage('t') { steps { unstable 'flaky tests' } } } }";
const FAILING: &str = "pipeline { agent any\n stages { stage('t') { steps { sh 'exit 3' } } stage('after') { steps { echo 'never' } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phases_map_paused_to_pending_and_aborted_unstable_to_failed() {
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;
    let paused = trigger(&env, &c, "params-demo", json!([])).await;
    let pr = wait_phase(&env, &c, &paused, &["Pending"]).await;
    assert_eq!(pr["status"]["conditions"][0]["type"], "Ready");
    assert_eq!(pr["status"]["conditions"][0]["status"], "Unknown");
    assert_eq!(pr["status"]["conditions"][0]["reason"], "PAUSED");

    create_pipeline(&env, &c, "unstable", UNSTABLE).await;
    create_pipeline(&env, &c, "failing", FAILING).await;
    wait_synced(&env, &c, "unstable").await;
    wait_synced(&env, &c, "failing").await;
    for (pipeline, result) in [("unstable", "UNSTABLE"), ("failing", "FAILURE")] {
        let run = trigger(&env, &c, pipeline, json!([])).await;
        let pr = wait_phase(&env, &c, &run, &["Failed", "Succeeded"]).await;
        assert_eq!(pr["status"]["phase"], "Failed", "{pipeline}");
        let succeeded = pr["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "Succeeded")
            .unwrap()
            .clone();
        assert_eq!(succeeded["status"], "False");
        let status: Value = serde_json::from_str(
            pr["metadata"]["annotations"]["devops.kubesphere.io/jenkins-pipelinerun-status"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(status["result"], result);
        assert!(pr["status"]["completionTime"].is_string());
    }
    // A stopped run is ABORTED ⇒ Failed, and can then be deleted.
    let (stopped, id) = trigger_build(&env, &c, "params-demo", json!([])).await;
    let resp = c
        .post(&format!(
            "{}/runs/{id}/stop?blocking=true&timeOutInSecs=5",
            env.p2(NS, "params-demo")
        ))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = json_of(resp).await;
    assert_eq!(
        (body["state"].as_str(), body["result"].as_str()),
        (Some("FINISHED"), Some("ABORTED"))
    );
    wait_phase(&env, &c, &stopped, &["Failed"]).await;
    let del = c
        .delete(&format!("{}/pipelineruns/{stopped}", env.n3(NS)))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 200);
    assert_eq!(
        c.get(&format!("{}/pipelineruns/{stopped}", env.n3(NS)))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(&format!("{}/runs/{id}", env.p2(NS, "params-demo")))
            .send()
            .await
            .unwrap()
            .status(),
        500,
        "the Jenkins build went too"
    );
    env.stop().await;
}

//! The scripted user flow with plain HTTP, on both API layouts: token → create pipeline →
//! trigger with parameters → nodedetails → approve the input → whole log → artifact.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::json;

const JENKINSFILE: &str = r#"pipeline {
  agent {
    node {
      label 'go'
    }
  }
  parameters {
    string(name: 'NAME', defaultValue: 'world', description: 'who')
    booleanParam(name: 'LOUD', defaultValue: false, description: '')
    password(name: 'TOKEN', defaultValue: '', description: 'a secret')
  }
  stages {
    stage('Build') {
      steps {
        echo "Hello ${params.NAME}, loud=${params.LOUD}, token=${params.TOKEN}"
        container('go') {
          sh 'go build -o app .'
        }
        archiveArtifacts artifacts: 'app'
      }
    }
    stage('Approve') {
      steps {
        input(message: 'Ship it?', ok: 'Ship', parameters: [string(name: 'WHERE', defaultValue: 'prod', description: '')])
      }
    }
    stage('Ship') {
      steps { echo "shipping" }
    }
  }
}
"#;

async fn scripted_flow(layout: ApiLayout) {
    let env = start(layout, 50.0).await;
    let c = env.admin().await;

    create_pipeline(&env, &c, "flow", JENKINSFILE).await;
    wait_synced(&env, &c, "flow").await;

    let run = trigger(
        &env,
        &c,
        "flow",
        json!([{"name": "NAME", "value": "stone"}, {"name": "LOUD", "value": true}, {"name": "TOKEN", "value": "s3cr3t-value"}]),
    )
    .await;
    let id = run_id(&env, &c, &run).await;
    assert_eq!(id, "1");

    // The run pauses at the input: phase Pending, nodedetails shows the paused step.
    wait_phase(&env, &c, &run, &["Pending"]).await;
    let nodes = c
        .get_json(&format!("{}/pipelineruns/{run}/nodedetails", env.n3(NS)))
        .await;
    let nodes = nodes.as_array().unwrap();
    assert_eq!(
        nodes
            .iter()
            .map(|n| n["displayName"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Build", "Approve", "Ship"]
    );
    assert_eq!(nodes[0]["result"], "SUCCESS");
    let paused = nodes[1]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state"] == "PAUSED")
        .expect("a paused step in Approve");
    assert_eq!(paused["input"]["message"], "Ship it?");
    assert_eq!(paused["approvable"], true);

    let (node, step, input_id, _) = paused_input(&env, &c, "flow", &id).await;
    let resp = c
        .post(&format!(
            "{}/runs/{id}/nodes/{node}/steps/{step}",
            env.p2(NS, "flow")
        ))
        .header("Content-Type", "application/json")
        .body(
            json!({"id": input_id, "parameters": [{"name": "WHERE", "value": "staging"}]})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(!resp.text().await.unwrap().contains("\"allow\":\"false\""));

    let done = wait_phase(&env, &c, &run, &["Succeeded", "Failed"]).await;
    assert_eq!(done["status"]["phase"], "Succeeded");

    let log = c
        .get_text(&format!("{}/runs/{id}/log?start=0", env.p2(NS, "flow")))
        .await;
    assert!(log.starts_with("Started by user admin\n"), "{log}");
    assert!(log.contains("Hello stone, loud=true, token=****"), "{log}");
    assert!(
        !log.contains("s3cr3t-value"),
        "password parameters never reach the log"
    );
    assert!(log.contains("+ go build -o app ."), "{log}");
    assert!(log.contains("Approved by admin"), "{log}");
    assert!(log.trim_end().ends_with("Finished: SUCCESS"), "{log}");

    let artifacts = c
        .get_json(&format!("{}/runs/{id}/artifacts", env.p2(NS, "flow")))
        .await;
    assert_eq!(artifacts[0]["path"], "app");
    let size = artifacts[0]["size"].as_u64().unwrap();
    let resp = c
        .get(&format!(
            "{}/pipelineruns/{run}/artifacts/download?filename=app",
            env.n3(NS)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        resp.headers()["content-disposition"],
        "attachment; filename=app"
    );
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert!(bytes.starts_with(b"ksdevops-sim artifact\npath: app\n"));
    env.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_flow_on_layout_v4() {
    scripted_flow(ApiLayout::V4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_flow_on_layout_v3() {
    scripted_flow(ApiLayout::V3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layouts_serve_only_their_own_paths() {
    let v4 = start(ApiLayout::V4, 50.0).await;
    let c = v4.admin().await;
    let v3_path = format!("{}{KAPIS}/v1alpha3/devops/{NS}/pipelines", v4.base);
    assert_eq!(c.get(&v3_path).send().await.unwrap().status(), 404);
    let ok = c
        .get(&format!(
            "{}{KAPIS}/v1alpha3/namespaces/{NS}/pipelines",
            v4.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    // The cluster prefix, in both its forms, and a trailing slash.
    for url in [
        format!(
            "{}/clusters/host{KAPIS}/v1alpha3/namespaces/{NS}/pipelines/",
            v4.base
        ),
        format!(
            "{}/kapis/clusters/host/devops.kubesphere.io/v1alpha3/namespaces/{NS}/pipelines",
            v4.base
        ),
    ] {
        assert_eq!(c.get(&url).send().await.unwrap().status(), 200, "{url}");
    }
    v4.stop().await;

    let v3 = start(ApiLayout::V3, 50.0).await;
    let c = v3.admin().await;
    assert_eq!(
        c.get(&format!(
            "{}{KAPIS}/v1alpha3/namespaces/{NS}/pipelines",
            v3.base
        ))
        .send()
        .await
        .unwrap()
        .status(),
        404
    );
    assert_eq!(
        c.get(&format!(
            "{}{KAPIS}/v1alpha3/devops/{NS}/pipelines",
            v3.base
        ))
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    let projects = c
        .get_json(&format!(
            "{}{KAPIS}/v1alpha3/workspaces/demo/devops",
            v3.base
        ))
        .await;
    assert_eq!(projects["items"][0]["metadata"]["name"], NS);
    v3.stop().await;
}

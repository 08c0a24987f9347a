//! Conformance with the server's OpenAPI document (external reference material, found through
//! `KSDEVOPS_SHARED`; skipped with a notice when absent): for every JSON route the
//! simulator serves, the answer has the fields and types the OpenAPI definitions (and, where
//! the reference corrects them, the reference) give for that route.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// The OpenAPI document, when `KSDEVOPS_SHARED` names reference material that has it
/// (`cargo xtask test` sets the variable when the material is present).
fn swagger() -> Option<Value> {
    let shared = std::env::var_os("KSDEVOPS_SHARED").filter(|dir| !dir.is_empty());
    let path = shared.map(|dir| PathBuf::from(dir).join("reference/fixtures/swagger.json"));
    let Some(path) = path.filter(|path| path.is_file()) else {
        eprintln!(
            "skipped: no OpenAPI document (KSDEVOPS_SHARED is {:?})",
            std::env::var_os("KSDEVOPS_SHARED").unwrap_or_default()
        );
        return None;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap())
}

struct Checker<'a> {
    defs: &'a Map<String, Value>,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn def(&self, reference: &str) -> (String, Value) {
        let name = reference.trim_start_matches("#/definitions/");
        let def = self
            .defs
            .get(name)
            .unwrap_or_else(|| panic!("swagger has no definition {name}"));
        (name.to_string(), def.clone())
    }

    /// Checks `v` against `schema`. `all_fields`: the Go struct has no omitempty, so every
    /// property must be there (v1alpha2 passthrough structs at the top of an answer).
    fn check(&mut self, v: &Value, schema: &Value, at: &str, all_fields: bool) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (name, def) = self.def(r);
            // metav1.Time and jenkins-client's Time marshal as a string (or null).
            if name == "v1.Time" || name == "job.Time" {
                if !(v.is_string() || v.is_null()) {
                    self.errors
                        .push(format!("{at}: {name} must be a string or null, got {v}"));
                }
                return;
            }
            return self.check(v, &def, &format!("{at}<{name}>"), all_fields);
        }
        if v.is_null() {
            return; // Go nil pointers, slices and maps; Jenkins nulls.
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let props = schema.get("properties").and_then(Value::as_object);
        match ty {
            Some("string") => self.expect(v.is_string(), at, "a string", v),
            Some("integer") => self.expect(v.is_i64() || v.is_u64(), at, "an integer", v),
            Some("number") => self.expect(v.is_number(), at, "a number", v),
            Some("boolean") => self.expect(v.is_boolean(), at, "a boolean", v),
            Some("array") => {
                let Some(items) = v.as_array() else {
                    return self.expect(false, at, "an array", v);
                };
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, item_schema, &format!("{at}[{i}]"), all_fields);
                    }
                }
            }
            _ if props.is_some() || ty == Some("object") => {
                let Some(obj) = v.as_object() else {
                    return self.expect(false, at, "an object", v);
                };
                for req in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let key = req.as_str().unwrap();
                    if !obj.contains_key(key) {
                        self.errors
                            .push(format!("{at}: required field {key:?} is missing"));
                    }
                }
                if let Some(extra) = schema.get("additionalProperties") {
                    for (k, val) in obj {
                        self.check(val, extra, &format!("{at}.{k}"), false);
                    }
                }
                for (key, prop) in props.into_iter().flatten() {
                    match obj.get(key) {
                        Some(val) => self.check(val, prop, &format!("{at}.{key}"), false),
                        None if all_fields => {
                            self.errors.push(format!("{at}: field {key:?} is missing"))
                        }
                        None => {}
                    }
                }
            }
            _ => {} // free-form
        }
    }

    fn expect(&mut self, ok: bool, at: &str, what: &str, v: &Value) {
        if !ok {
            self.errors.push(format!("{at}: expected {what}, got {v}"));
        }
    }
}

fn route_schema(sw: &Value, method: &str, path: &str) -> Value {
    let op = sw["paths"]
        .get(path)
        .and_then(|p| p.get(method))
        .unwrap_or_else(|| panic!("swagger has no {method} {path}"));
    op["responses"]["200"]["schema"].clone()
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/definitions/{name}")})
}

fn list_of(item: &str) -> Value {
    json!({"type": "object", "required": ["items", "totalItems"], "properties": {"items": {"type": "array", "items": r(item)}, "totalItems": {"type": "integer"}}})
}

const K: &str = "/kapis/devops.kubesphere.io";

/// (method, swagger path or "" for reference-only routes, URL, body, schema override,
/// whether every property must be present).
type Case = (
    &'static str,
    String,
    String,
    Option<Value>,
    Option<Value>,
    bool,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_json_route_matches_the_swagger_definitions() {
    let Some(sw) = swagger() else { return };
    let defs = sw["definitions"].as_object().unwrap().clone();
    let env = start(ApiLayout::V4, 50.0).await;
    let c = env.admin().await;

    // Material: a paused run with an artifact, a finished branch run, a credential.
    let run = trigger(
        &env,
        &c,
        "params-demo",
        json!([{"name": "PERSON", "value": "x"}]),
    )
    .await;
    let id = run_id(&env, &c, &run).await;
    let (node, _, _, _) = paused_input(&env, &c, "params-demo", &id).await;
    wait_phase(&env, &c, &run, &["Pending"]).await;
    wait_for("multi-branch builds", 20, || async {
        let r = c
            .get(&format!(
                "{}/branches/main/runs/1",
                env.p2(NS, "multi-branch-demo")
            ))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            return None;
        }
        let v: Value = r.json().await.unwrap();
        (v["state"] == "FINISHED").then_some(())
    })
    .await;
    wait_for("branches annotation", 20, || async {
        let b = c
            .get_json(&format!(
                "{}/pipelines/multi-branch-demo/branches",
                env.n3(NS)
            ))
            .await;
        (b["items"][0]["latestRun"]["result"] == "SUCCESS").then_some(())
    })
    .await;
    let secret = json!({"metadata": {"name": "git"}, "type": "credential.devops.kubesphere.io/basic-auth", "stringData": {"username": "u", "password": "p"}});
    let new_pipeline = json!({"metadata": {"name": "conf"}, "spec": {"type": "pipeline", "pipeline": {"name": "conf", "jenkinsfile": "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }"}}});

    let p2 = "/kapis/devops.kubesphere.io/v1alpha2/namespaces/{devops}/pipelines/{pipeline}";
    let p3 = "/kapis/devops.kubesphere.io/v1alpha3/namespaces/{devops}";
    let n3 = "/kapis/devops.kubesphere.io/v1alpha3/namespaces/{namespace}";
    let message = json!({"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}});
    let u2 = env.p2(NS, "params-demo");
    let b2 = env.p2(NS, "multi-branch-demo");

    let cases: Vec<Case> = vec![
        (
            "get",
            format!("{K}/v1alpha3/workspaces/{{workspace}}/namespaces"),
            env.ws("demo"),
            None,
            Some(list_of("v1alpha3.DevOpsProject")),
            false,
        ),
        (
            "get",
            format!("{K}/v1alpha3/workspaces/{{workspace}}/namespaces/{{devops}}"),
            format!("{}/{NS}", env.ws("demo")),
            None,
            None,
            false,
        ),
        (
            "post",
            format!("{K}/v1alpha3/workspaces/{{workspace}}/namespaces"),
            env.ws("demo"),
            Some(json!({"metadata": {"generateName": "conf-"}})),
            None,
            false,
        ),
        (
            "get",
            format!("{p3}/pipelines"),
            format!("{}/pipelines", env.p3(NS)),
            None,
            Some(list_of("v1alpha3.Pipeline")),
            false,
        ),
        (
            "post",
            format!("{p3}/pipelines"),
            format!("{}/pipelines", env.p3(NS)),
            Some(new_pipeline.clone()),
            None,
            false,
        ),
        (
            "get",
            format!("{p3}/pipelines/{{pipeline}}"),
            format!("{}/pipelines/params-demo", env.p3(NS)),
            None,
            None,
            false,
        ),
        (
            "put",
            format!("{p3}/pipelines/{{pipeline}}/jenkinsfile"),
            format!("{}/pipelines/conf/jenkinsfile?mode=raw", env.p3(NS)),
            Some(
                json!({"data": "pipeline { agent any\n stages { stage('b') { steps { echo 'b' } } } }"}),
            ),
            None,
            false,
        ),
        (
            "get",
            format!("{p3}/credentials"),
            format!("{}/credentials", env.p3(NS)),
            None,
            Some(list_of("v1.Secret")),
            false,
        ),
        (
            "post",
            format!("{p3}/credentials"),
            format!("{}/credentials", env.p3(NS)),
            Some(secret.clone()),
            None,
            false,
        ),
        (
            "get",
            format!("{p3}/credentials/{{credential}}"),
            format!("{}/credentials/git", env.p3(NS)),
            None,
            None,
            false,
        ),
        (
            "put",
            format!("{p3}/credentials/{{credential}}"),
            format!("{}/credentials/git", env.p3(NS)),
            Some(secret.clone()),
            None,
            false,
        ),
        (
            "delete",
            format!("{p3}/credentials/{{credential}}"),
            format!("{}/credentials/git", env.p3(NS)),
            None,
            Some(message.clone()),
            false,
        ),
        (
            "get",
            format!("{n3}/pipelines/{{pipeline}}/branches"),
            format!("{}/pipelines/multi-branch-demo/branches", env.n3(NS)),
            None,
            Some(list_of("pipeline.Branch")),
            false,
        ),
        (
            "get",
            format!("{n3}/pipelines/{{pipeline}}/branches/{{branch}}"),
            format!("{}/pipelines/multi-branch-demo/branches/main", env.n3(NS)),
            None,
            None,
            false,
        ),
        // The list answers {items, totalItems}, not the Kubernetes list swagger names (reference §3.3).
        (
            "get",
            format!("{n3}/pipelines/{{pipeline}}/pipelineruns"),
            format!(
                "{}/pipelines/params-demo/pipelineruns?backward=false",
                env.n3(NS)
            ),
            None,
            Some(list_of("v1alpha3.PipelineRun")),
            false,
        ),
        (
            "post",
            format!("{n3}/pipelines/{{pipeline}}/pipelineruns"),
            format!("{}/pipelines/go-demo-pipeline/pipelineruns", env.n3(NS)),
            Some(json!({})),
            Some(r("v1alpha3.PipelineRun")),
            false,
        ),
        (
            "get",
            format!("{n3}/pipelineruns/{{pipelinerun}}"),
            format!("{}/pipelineruns/{run}", env.n3(NS)),
            None,
            None,
            false,
        ),
        (
            "get",
            format!("{n3}/pipelineruns/{{pipelinerun}}/nodedetails"),
            format!("{}/pipelineruns/{run}/nodedetails", env.n3(NS)),
            None,
            None,
            false,
        ),
        (
            "get",
            format!("{K}/v1alpha3/ci/nodelabels"),
            format!("{}{K}/v1alpha3/ci/nodelabels", env.base),
            None,
            Some(
                json!({"type": "object", "required": ["status", "data", "message"], "properties": {"status": {"type": "string"}, "data": {"type": "array", "items": {"type": "string"}}, "message": {"type": "string"}}}),
            ),
            false,
        ),
        // v1alpha2 passthrough: ks-devops' Go structs, every field present.
        ("get", p2.to_string(), u2.clone(), None, None, true),
        ("get", p2.to_string(), b2.clone(), None, None, true),
        (
            "get",
            format!("{p2}/branches"),
            format!("{b2}/branches"),
            None,
            Some(json!({"type": "array", "items": r("devops.BranchPipeline")})),
            false,
        ),
        (
            "get",
            format!("{p2}/branches/{{branch}}"),
            format!("{b2}/branches/main"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/runs"),
            format!("{u2}/runs?start=0&limit=10"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/runs/{{run}}"),
            format!("{u2}/runs/{id}"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/branches/{{branch}}/runs/{{run}}"),
            format!("{b2}/branches/main/runs/1"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/runs/{{run}}/artifacts"),
            format!("{u2}/runs/{id}/artifacts"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/runs/{{run}}/nodes"),
            format!("{u2}/runs/{id}/nodes"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/branches/{{branch}}/runs/{{run}}/nodes"),
            format!("{b2}/branches/main/runs/1/nodes"),
            None,
            None,
            false,
        ),
        (
            "get",
            format!("{p2}/runs/{{run}}/nodes/{{node}}/steps"),
            format!("{u2}/runs/{id}/nodes/{node}/steps"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/runs/{{run}}/nodesdetail"),
            format!("{u2}/runs/{id}/nodesdetail"),
            None,
            None,
            true,
        ),
        (
            "get",
            format!("{p2}/branches/{{branch}}/runs/{{run}}/nodesdetail"),
            format!("{b2}/branches/main/runs/1/nodesdetail"),
            None,
            None,
            true,
        ),
        (
            "post",
            format!("{p2}/runs"),
            format!("{}/runs", env.p2(NS, "go-demo-pipeline")),
            Some(json!({"parameters": []})),
            None,
            true,
        ),
        (
            "post",
            format!("{p2}/branches/{{branch}}/runs"),
            format!("{b2}/branches/main/runs"),
            Some(json!({"parameters": []})),
            None,
            true,
        ),
        (
            "post",
            format!("{p2}/runs/{{run}}/replay"),
            format!("{u2}/runs/{id}/replay"),
            Some(json!({})),
            None,
            true,
        ),
        (
            "post",
            format!("{p2}/runs/{{run}}/stop"),
            format!("{u2}/runs/{id}/stop"),
            Some(json!({})),
            None,
            true,
        ),
        // Reference-only: DELETE pipelines answers errors.None, and the Kubernetes resource.
        (
            "delete",
            String::new(),
            format!("{}/pipelines/conf", env.p3(NS)),
            None,
            Some(message.clone()),
            false,
        ),
        (
            "get",
            String::new(),
            format!("{}/{run}", env.k8s(NS)),
            None,
            Some(r("v1alpha3.PipelineRun")),
            false,
        ),
    ];

    let mut checker = Checker {
        defs: &defs,
        errors: Vec::new(),
    };
    for (method, path, url, body, schema, all_fields) in cases {
        let schema = match schema {
            Some(s) => s,
            None => route_schema(&sw, method, &path),
        };
        if !path.is_empty() {
            route_schema(&sw, method, &path); // the route is in the swagger
        }
        let req = match method {
            "get" => c.get(&url),
            "post" => c.post(&url),
            "put" => c.put(&url),
            "delete" => c.delete(&url),
            _ => unreachable!(),
        };
        let req = match body {
            Some(b) => req
                .header("Content-Type", "application/json")
                .body(b.to_string()),
            None => req,
        };
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{method} {url}: {status} {text}");
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e})"));
        assert!(!v.is_null(), "{method} {url}");
        checker.check(
            &v,
            &schema,
            &format!("{} {url}", method.to_uppercase()),
            all_fields,
        );
    }

    // Annotations carry JSON of their own (reference §3.4–§3.5, §4).
    let pr = c
        .get_json(&format!("{}/pipelineruns/{run}", env.n3(NS)))
        .await;
    let annos = &pr["metadata"]["annotations"];
    let status: Value = serde_json::from_str(
        annos["devops.kubesphere.io/jenkins-pipelinerun-status"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    checker.check(
        &status,
        &r("devops.PipelineRun"),
        "jenkins-pipelinerun-status",
        false,
    );
    let stages: Value = serde_json::from_str(
        annos["devops.kubesphere.io/jenkins-pipelinerun-stages-status"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    checker.check(
        &stages,
        &json!({"type": "array", "items": r("pipelinerun.NodeDetail")}),
        "stages-status",
        false,
    );
    let mb = c
        .get_json(&format!("{}/pipelines/multi-branch-demo", env.p3(NS)))
        .await;
    let branches: Value = serde_json::from_str(
        mb["metadata"]["annotations"]["pipeline.devops.kubesphere.io/jenkins-branches"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    checker.check(
        &branches,
        &json!({"type": "array", "items": r("pipeline.Branch")}),
        "jenkins-branches",
        false,
    );
    let pd = c
        .get_json(&format!("{}/pipelines/params-demo", env.p3(NS)))
        .await;
    let metadata: Value = serde_json::from_str(
        pd["metadata"]["annotations"]["pipeline.devops.kubesphere.io/jenkins-metadata"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let metadata_schema = json!({"type": "object", "required": ["weatherScore"], "properties": {
        "weatherScore": {"type": "integer"}, "estimatedDurationInMillis": {"type": "integer"},
        "parameters": {"type": "array", "items": r("job.ParameterDefinition")}, "name": {"type": "string"},
        "disabled": {"type": "boolean"}, "branchNames": {"type": "array", "items": {"type": "string"}},
        "scriptPath": {"type": "string"}}});
    checker.check(&metadata, &metadata_schema, "jenkins-metadata", false);

    assert!(
        checker.errors.is_empty(),
        "{} mismatches:\n{}",
        checker.errors.len(),
        checker.errors.join("\n")
    );
    env.stop().await;
}

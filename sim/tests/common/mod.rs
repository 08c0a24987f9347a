//! Helpers for the simulator's HTTP tests: start a simulator, log in, build paths for a
//! layout, poll until something holds. Everything goes over plain HTTP.
#![allow(dead_code)]

pub mod raw;

use ksdevops_sim::{ApiLayout, Sim, SimConfig, SimHandle};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};
use std::future::Future;
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "P@88w0rd";
pub const NS: &str = "demo-project";
pub const KAPIS: &str = "/kapis/devops.kubesphere.io";

pub struct Env {
    pub sim: SimHandle,
    pub http: Client,
    pub layout: ApiLayout,
    pub base: String,
}

pub async fn start(layout: ApiLayout, speed: f64) -> Env {
    start_with(SimConfig::demo().with_layout(layout).with_speed(speed)).await
}

/// The demo scenario, layout v4, with tokens that last `ttl_seconds` of simulated time.
pub async fn start_with_token_ttl(ttl_seconds: u64, speed: f64) -> Env {
    let mut scenario = ksdevops_sim::demo::demo();
    scenario.token_ttl_seconds = ttl_seconds;
    start_with(SimConfig {
        scenario,
        speed,
        ..Default::default()
    })
    .await
}

pub async fn start_with(config: SimConfig) -> Env {
    let layout = config.layout;
    let sim = Sim::start(config).await.expect("simulator starts");
    let base = sim.url();
    Env {
        sim,
        http: Client::new(),
        layout,
        base,
    }
}

impl Env {
    pub async fn stop(self) {
        self.sim.shutdown().await;
    }

    fn proj(&self) -> &'static str {
        match self.layout {
            ApiLayout::V4 => "namespaces",
            ApiLayout::V3 => "devops",
        }
    }

    /// v1alpha3 pipelines/credentials root of a project.
    pub fn p3(&self, ns: &str) -> String {
        format!("{}{KAPIS}/v1alpha3/{}/{ns}", self.base, self.proj())
    }

    /// v1alpha3 branches/pipelineruns root (always `/namespaces/`).
    pub fn n3(&self, ns: &str) -> String {
        format!("{}{KAPIS}/v1alpha3/namespaces/{ns}", self.base)
    }

    /// v1alpha2 pipeline root.
    pub fn p2(&self, ns: &str, pipeline: &str) -> String {
        format!(
            "{}{KAPIS}/v1alpha2/{}/{ns}/pipelines/{pipeline}",
            self.base,
            self.proj()
        )
    }

    /// Workspace projects.
    pub fn ws(&self, ws: &str) -> String {
        format!(
            "{}{KAPIS}/v1alpha3/workspaces/{ws}/{}",
            self.base,
            self.proj()
        )
    }

    pub fn k8s(&self, ns: &str) -> String {
        format!(
            "{}/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns",
            self.base
        )
    }

    pub async fn token(&self, user: &str) -> String {
        let resp = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .form(&[
                ("grant_type", "password"),
                ("client_id", "kubesphere"),
                ("client_secret", "kubesphere"),
                ("username", user),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("token request");
        assert_eq!(resp.status(), 200, "login of {user}");
        let body: Value = resp.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_string()
    }

    pub async fn admin(&self) -> Authed {
        Authed {
            http: self.http.clone(),
            token: self.token("admin").await,
        }
    }

    pub async fn tenant(&self) -> Authed {
        Authed {
            http: self.http.clone(),
            token: self.token("stone-ns-admin").await,
        }
    }
}

/// A client that sends one user's bearer token.
#[derive(Clone)]
pub struct Authed {
    pub http: Client,
    pub token: String,
}

impl Authed {
    pub fn get(&self, url: &str) -> RequestBuilder {
        self.http.get(url).bearer_auth(&self.token)
    }

    pub fn post(&self, url: &str) -> RequestBuilder {
        self.http.post(url).bearer_auth(&self.token)
    }

    pub fn put(&self, url: &str) -> RequestBuilder {
        self.http.put(url).bearer_auth(&self.token)
    }

    pub fn delete(&self, url: &str) -> RequestBuilder {
        self.http.delete(url).bearer_auth(&self.token)
    }

    pub fn post_json(&self, url: &str, body: &Value) -> RequestBuilder {
        self.post(url)
            .header("Content-Type", "application/json")
            .body(body.to_string())
    }

    pub async fn get_json(&self, url: &str) -> Value {
        let resp = self.get(url).send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, 200, "GET {url}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
    }

    pub async fn get_text(&self, url: &str) -> String {
        let resp = self.get(url).send().await.expect("request");
        assert_eq!(resp.status(), 200, "GET {url}");
        resp.text().await.unwrap()
    }
}

pub async fn json_of(resp: Response) -> Value {
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Polls `check` until it returns `Some`, or fails the test after `secs` real seconds.
pub async fn wait_for<T, F, Fut>(what: &str, secs: u64, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Creates a regular pipeline from a Jenkinsfile.
pub async fn create_pipeline(env: &Env, c: &Authed, name: &str, jenkinsfile: &str) -> Value {
    let body = json!({
        "apiVersion": "devops.kubesphere.io/v1alpha3",
        "kind": "Pipeline",
        "metadata": {"name": name, "annotations": {"kubesphere.io/creator": "admin"}},
        "spec": {"type": "pipeline", "pipeline": {"name": name, "jenkinsfile": jenkinsfile}},
    });
    let resp = c
        .post_json(&format!("{}/pipelines", env.p3(NS)), &body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    json_of(resp).await
}

/// Waits until the pipeline's Jenkins job exists (syncstatus=successful).
pub async fn wait_synced(env: &Env, c: &Authed, name: &str) {
    let url = format!("{}/pipelines/{name}", env.p3(NS));
    wait_for("pipeline sync", 20, || async {
        let p = c.get_json(&url).await;
        (p["metadata"]["annotations"]["pipeline.devops.kubesphere.io/syncstatus"] == "successful")
            .then_some(())
    })
    .await
}

/// Triggers a v1alpha3 run and returns the PipelineRun name.
pub async fn trigger(env: &Env, c: &Authed, pipeline: &str, params: Value) -> String {
    let url = format!("{}/pipelines/{pipeline}/pipelineruns", env.n3(NS));
    let resp = c
        .post_json(&url, &json!({"parameters": params}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let pr = json_of(resp).await;
    pr["metadata"]["name"].as_str().unwrap().to_string()
}

/// Triggers a v1alpha3 run and waits for its Jenkins build: (PipelineRun name, build number).
pub async fn trigger_build(
    env: &Env,
    c: &Authed,
    pipeline: &str,
    params: Value,
) -> (String, String) {
    let run = trigger(env, c, pipeline, params).await;
    let id = run_id(env, c, &run).await;
    (run, id)
}

/// Waits for the run's Jenkins build number.
pub async fn run_id(env: &Env, c: &Authed, run: &str) -> String {
    let url = format!("{}/pipelineruns/{run}", env.n3(NS));
    wait_for("run id annotation", 20, || async {
        let pr = c.get_json(&url).await;
        pr["metadata"]["annotations"]["devops.kubesphere.io/jenkins-pipelinerun-id"]
            .as_str()
            .map(str::to_string)
    })
    .await
}

/// Waits until the run's phase is one of `phases`; returns the PipelineRun.
pub async fn wait_phase(env: &Env, c: &Authed, run: &str, phases: &[&str]) -> Value {
    let url = format!("{}/pipelineruns/{run}", env.n3(NS));
    wait_for(&format!("phase {phases:?}"), 30, || async {
        let pr = c.get_json(&url).await;
        let phase = pr["status"]["phase"].as_str().unwrap_or("");
        phases.contains(&phase).then_some(pr)
    })
    .await
}

/// The paused input step of a run, as v1alpha2 nodesdetail shows it: (node, step, input id).
pub async fn paused_input(
    env: &Env,
    c: &Authed,
    pipeline: &str,
    id: &str,
) -> (String, String, String, Value) {
    let url = format!("{}/runs/{id}/nodesdetail", env.p2(NS, pipeline));
    wait_for("a paused input", 30, || async {
        let nodes = c.get_json(&url).await;
        nodes.as_array()?.iter().find_map(|n| {
            n["steps"].as_array()?.iter().find_map(|s| {
                (s["state"] == "PAUSED" && s["input"].is_object()).then(|| {
                    (
                        n["id"].as_str().unwrap().to_string(),
                        s["id"].as_str().unwrap().to_string(),
                        s["input"]["id"].as_str().unwrap().to_string(),
                        s.clone(),
                    )
                })
            })
        })
    })
    .await
}

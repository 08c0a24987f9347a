//! Member-cluster prefixes over plain HTTP, as each KubeSphere generation routes them:
//! 3.x reads `/kapis|apis|api/clusters/{c}/…` only and answers 404 for `/clusters/{c}/…`;
//! 4.x reads both. A cluster the server does not know is a 404 that names it.

mod common;

use common::*;
use ksdevops_sim::{ApiLayout, SimConfig};
use serde_json::json;

const MEMBER: &str = "member-1";
const RUNS: &str = "/devops.kubesphere.io/v1alpha3";

async fn start_with_member(layout: ApiLayout) -> Env {
    start_with(
        SimConfig::demo()
            .with_layout(layout)
            .with_speed(50.0)
            .with_cluster(MEMBER),
    )
    .await
}

/// The pipelines list and PipelineRun list of the demo project, relative to the API root,
/// in the layout's project form.
fn routes(env: &Env) -> [(&'static str, String); 2] {
    let proj = match env.layout {
        ApiLayout::V4 => "namespaces",
        ApiLayout::V3 => "devops",
    };
    [
        ("kapis", format!("{RUNS}/{proj}/{NS}/pipelines")),
        ("apis", format!("{RUNS}/namespaces/{NS}/pipelineruns")),
    ]
}

async fn status_and_text(c: &Authed, url: &str) -> (u16, String) {
    let resp = c.get(url).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_generations_serve_the_3x_cluster_forms() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let env = start_with_member(layout).await;
        let c = env.admin().await;
        for cluster in [MEMBER, "host"] {
            for (root, rest) in routes(&env) {
                let url = format!("{}/{root}/clusters/{cluster}{rest}", env.base);
                let body = c.get_json(&url).await;
                assert!(body["items"].is_array(), "{layout:?} {url}: {body}");
            }
        }
        env.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_4x_serves_a_leading_cluster() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let env = start_with_member(layout).await;
        let c = env.admin().await;
        for (root, rest) in routes(&env) {
            let url = format!("{}/clusters/{MEMBER}/{root}{rest}", env.base);
            let (status, text) = status_and_text(&c, &url).await;
            match layout {
                ApiLayout::V4 => assert_eq!(status, 200, "{url}: {text}"),
                ApiLayout::V3 => {
                    assert_eq!(status, 404, "{url}: {text}");
                    assert!(text.contains("Page Not Found"), "{url}: {text}");
                }
            }
        }
        env.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipelinerun_created_through_a_cluster_prefix_is_that_clusters_run() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let env = start_with_member(layout).await;
        let c = env.admin().await;
        wait_synced(&env, &c, "go-demo-pipeline").await;
        let runs = match layout {
            ApiLayout::V4 => format!(
                "{}/clusters/{MEMBER}/apis{RUNS}/namespaces/{NS}/pipelineruns",
                env.base
            ),
            ApiLayout::V3 => format!(
                "{}/apis/clusters/{MEMBER}{RUNS}/namespaces/{NS}/pipelineruns",
                env.base
            ),
        };
        let run = json!({
            "apiVersion": "devops.kubesphere.io/v1alpha3",
            "kind": "PipelineRun",
            "metadata": {"name": "through-member", "namespace": NS},
            "spec": {"pipelineRef": {"name": "go-demo-pipeline"}, "pipelineSpec": {"type": "pipeline"}},
        });
        let resp = c.post_json(&runs, &run).send().await.unwrap();
        assert_eq!(resp.status(), 201, "{layout:?} {runs}");
        let read = c.get_json(&format!("{runs}/through-member")).await;
        assert_eq!(read["metadata"]["name"], "through-member");
        env.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_cluster_is_named_in_a_404() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let env = start_with_member(layout).await;
        let c = env.admin().await;
        let mut urls: Vec<String> = ["kapis", "apis", "api"]
            .iter()
            .map(|root| format!("{}/{root}/clusters/member-2/v1/x", env.base))
            .collect();
        if layout == ApiLayout::V4 {
            urls.push(format!("{}/clusters/member-2/api/v1/x", env.base));
        }
        for url in urls {
            let (status, text) = status_and_text(&c, &url).await;
            assert_eq!(status, 404, "{url}");
            assert_eq!(text, "cluster member-2 not found\n", "{layout:?} {url}");
        }
        env.stop().await;
    }
}

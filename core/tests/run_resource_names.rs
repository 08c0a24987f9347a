//! PipelineRun objects created through the request builders and a transport: without a run
//! name the server generates `<pipeline>-<random>`; a chosen name is kept.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::{ApiLayout, Operation, Request, RunResourceInput};
use ksdevops::decode::decode_response;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::Transport;
use ksdevops_sim::FaultConfig;

/// Sends `request` with `token` and decodes the answer as `operation`.
async fn send(
    transport: &ReqwestTransport,
    token: &str,
    operation: Operation,
    mut request: Request,
) -> serde_json::Value {
    request
        .headers
        .push(("Authorization".into(), format!("Bearer {token}")));
    let response = transport.send(request).await.expect("an answer");
    let (status, headers) = (response.status, response.headers.clone());
    let body = response.body.collect_limited(1 << 20).await.unwrap();
    decode_response(operation.as_str(), status, &headers, &body).expect("a success")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_without_a_name_gets_a_generated_one_and_a_chosen_name_is_kept() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        client.login().await.unwrap();
        let token = client.token().unwrap().access_token.expose().to_owned();
        let pipeline = client.get_pipeline("params-demo").await.unwrap();
        let api = client.api().await.unwrap();
        let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap();

        let mut names = Vec::new();
        for run in [None, None, Some("params-demo-chosen")] {
            let input = RunResourceInput {
                run,
                ..Default::default()
            };
            let request = api
                .create_pipeline_run_resource(PROJECT, &pipeline, &input)
                .unwrap();
            let created = send(
                &transport,
                &token,
                Operation::CreatePipelineRunResource,
                request,
            )
            .await;
            names.push(created["metadata"]["name"].as_str().unwrap().to_owned());
        }
        let [first, second, chosen] = &names[..] else {
            unreachable!()
        };
        for generated in [first, second] {
            let suffix = generated.strip_prefix("params-demo-").unwrap_or_default();
            assert!(!suffix.is_empty(), "{layout:?}: {generated}");
        }
        assert_ne!(first, second, "each create is a new run");
        assert_eq!(chosen, "params-demo-chosen");
        for name in &names {
            let request = api.get_pipeline_run_resource(PROJECT, name).unwrap();
            let read = send(
                &transport,
                &token,
                Operation::GetPipelineRunResource,
                request,
            )
            .await;
            assert_eq!(read["metadata"]["name"], name.as_str());
        }
        sim.shutdown().await;
    }
}

//! A planted token, password or password parameter never shows in Debug output or in the
//! errors of failing workflows.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, WaitUntil};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;

const PLANTED: &str = "planted-secret-5e1f0c";

fn assert_hidden(what: &str, text: &str) {
    assert!(
        !text.contains(PLANTED),
        "{what} shows the planted secret: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planted_secrets_never_show() {
    let sim = sim(ApiLayout::V4, FaultConfig::default()).await;

    let with_token = client(&sim, Auth::token(PLANTED));
    assert_hidden("client Debug", &format!("{with_token:?}"));
    let err = with_token.get_pipeline("params-demo").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    assert_hidden("error", &format!("{err} {err:?}"));
    let err = with_token
        .wait("params-demo-x", None, WaitUntil::Finished)
        .await
        .unwrap_err();
    assert_hidden("wait error", &format!("{err} {err:?}"));

    let with_password = client(&sim, Auth::password("admin", PLANTED));
    assert_hidden("client Debug", &format!("{with_password:?}"));
    let err = with_password
        .parameters("params-demo", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    assert_hidden("login error", &format!("{err} {err:?}"));
    assert_hidden(
        "client Debug after a failed login",
        &format!("{with_password:?}"),
    );

    let client = admin(&sim);
    let err = client
        .trigger(
            "params-demo",
            &values(&[("PASSWORD", PLANTED), ("TOGGLE", "maybe")]),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("parameters.TOGGLE"));
    assert_hidden("trigger error", &format!("{err} {err:?}"));
    let run = client
        .trigger("params-demo", &values(&[("PASSWORD", PLANTED)]), None)
        .await
        .unwrap();
    assert_hidden("run Debug", &format!("{run:?}"));
    assert_hidden("client Debug when logged in", &format!("{client:?}"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_logs_in_again_once() {
    let mut config = ksdevops_sim::SimConfig::demo().with_speed(1.0);
    config.scenario.token_ttl_seconds = 1;
    let sim = ksdevops_sim::Sim::start(config).await.unwrap();
    let client = admin(&sim);
    client.get_pipeline("params-demo").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let pipeline = client
        .get_pipeline("params-demo")
        .await
        .expect("renewed after the 401");
    assert_eq!(pipeline.name(), Some("params-demo"));
    sim.shutdown().await;
}

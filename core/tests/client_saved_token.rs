//! A token saved by an earlier login is renewed through its refresh token once the server
//! refuses it, and the renewed token is handed to the caller to keep.

#![cfg(feature = "reqwest")]

mod client_support;

use client_support::{admin, client, config};
use ksdevops::api::ApiLayout;
use ksdevops::client::{parse_token_file, render_token_file, Auth, Client};
use ksdevops::model::Token;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::ErrorKind;
use ksdevops_sim::{Sim, SimConfig};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_token_is_renewed_and_handed_back_once_it_expires() {
    let mut sim_config = SimConfig::demo().with_layout(ApiLayout::V4).with_speed(1.0);
    sim_config.scenario.token_ttl_seconds = 1;
    let sim = Sim::start(sim_config).await.unwrap();
    let login = admin(&sim);
    login.login().await.unwrap();
    let saved = parse_token_file(&render_token_file(&login.token().unwrap())).unwrap();
    assert!(saved.refresh_token.is_some());

    let kept: Arc<Mutex<Vec<Token>>> = Arc::default();
    let sink = kept.clone();
    let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap();
    let resumed = Client::new(transport, config(Auth::token(saved.access_token.clone())))
        .unwrap()
        .with_token(saved.clone())
        .on_token_renewed(move |token| sink.lock().unwrap().push(token.clone()));
    resumed.get_pipeline("params-demo").await.unwrap();
    assert!(
        kept.lock().unwrap().is_empty(),
        "a valid token is not renewed"
    );

    tokio::time::sleep(Duration::from_millis(1500)).await;
    resumed.get_pipeline("params-demo").await.unwrap();
    let renewed = kept.lock().unwrap().clone();
    assert_eq!(renewed.len(), 1);
    assert_ne!(renewed[0].access_token, saved.access_token);
    assert_ne!(renewed[0].refresh_token, saved.refresh_token);
    assert_eq!(resumed.token().as_ref(), Some(&renewed[0]));
    let shown = format!("{resumed:?} {renewed:?}");
    assert!(!shown.contains(renewed[0].access_token.expose()), "{shown}");

    // A fixed token without a refresh token stays fixed: the 401 is final.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let fixed = client(&sim, Auth::token(renewed[0].access_token.clone()));
    let refused = fixed.get_pipeline("params-demo").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unauthorized);
    sim.shutdown().await;
}

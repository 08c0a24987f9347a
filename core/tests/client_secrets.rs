//! A planted token, password or password parameter never shows in Debug output or in the
//! errors of failing workflows.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::ApiLayout;
use ksdevops::api::Request;
use ksdevops::client::{Auth, Client, WaitUntil};
use ksdevops::model::Pipeline;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::{BoxFuture, Response, Transport};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// A transport that, like a user's logging wrapper, writes down every request as Debug and
/// as curl (what a log would show) and the body bytes it actually sends.
struct Logging {
    inner: ReqwestTransport,
    shown: Arc<Mutex<Vec<String>>>,
    sent: Arc<Mutex<Vec<String>>>,
}

impl Transport for Logging {
    fn send(&self, request: Request) -> BoxFuture<'_, ksdevops::error::Result<Response>> {
        self.shown.lock().unwrap().push(format!(
            "{request:?}\n{}\n{}",
            request.to_curl("http://sim", None),
            request
                .masked_body()
                .map(|b| format!("{b:?}"))
                .unwrap_or_default()
        ));
        if let Some(bytes) = request.body_bytes() {
            self.sent
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&bytes).into_owned());
        }
        self.inner.send(request)
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.inner.sleep(duration)
    }
}

const INPUT_WITH_PASSWORD: &str = r#"pipeline {
  agent any
  stages {
    stage('Release') {
      steps {
        input(id: 'Sign', message: 'Sign the release?', ok: 'Sign',
              parameters: [password(name: 'SIGNING_KEY', defaultValue: '', description: 'Key passphrase'),
                           string(name: 'SIGNER', defaultValue: 'ci', description: 'Who signs')])
        echo 'signed'
      }
    }
  }
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_parameter_values_are_sent_but_never_shown_in_a_request() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let shown = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let transport = Logging {
            inner: ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap(),
            shown: shown.clone(),
            sent: sent.clone(),
        };
        let client = Client::new(transport, config(Auth::password("admin", PASSWORD)))
            .unwrap()
            .with_seed(11);
        let plain = "plain-person-value";

        client
            .trigger(
                "params-demo",
                &values(&[("PASSWORD", PLANTED), ("PERSON", plain)]),
                None,
            )
            .await
            .unwrap();
        client
            .trigger_resource(
                "params-demo",
                &values(&[("PASSWORD", PLANTED), ("PERSON", plain)]),
                None,
                None,
            )
            .await
            .unwrap();

        client
            .create_pipeline(
                &Pipeline::regular("signed", INPUT_WITH_PASSWORD),
                true,
                None,
            )
            .await
            .unwrap();
        let run = client.trigger("signed", &[], None).await.unwrap();
        let run = run.name().unwrap().to_owned();
        let paused = client.wait(&run, None, WaitUntil::Paused).await.unwrap();
        assert_eq!(paused.end, ksdevops::client::RunEnd::Paused, "{layout:?}");
        client
            .approve(&run, None, &values(&[("SIGNING_KEY", PLANTED)]))
            .await
            .unwrap();
        let done = client.wait(&run, None, WaitUntil::Finished).await.unwrap();
        assert!(done.succeeded(), "{layout:?}: {:?}", done.result);

        let sent = sent.lock().unwrap().join("\n");
        assert_eq!(
            sent.matches(PLANTED).count(),
            3,
            "{layout:?}: both triggers and the approval send the password"
        );
        let shown = shown.lock().unwrap().join("\n");
        assert!(
            shown.contains(plain),
            "{layout:?}: other parameters stay visible"
        );
        assert!(
            shown.contains("SIGNER"),
            "{layout:?}: the input default is filled"
        );
        assert_hidden("a request as a log shows it", &shown);
        sim.shutdown().await;
    }
}

//! Client rules that need a precise server: exactly what is sent again and what is not, one
//! renewal after a 401, one layout probe. The server here is a scripted fake transport.

use ksdevops::api::{ApiLayout, Method, Request};
use ksdevops::client::retry::RetryPolicy;
use ksdevops::client::{Auth, Client, ClientConfig};
use ksdevops::error::Result;
use ksdevops::transport::{BoxFuture, Response, Transport};
use ksdevops::{Error, ErrorKind};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

type Handler = Box<dyn Fn(&Request, usize) -> Result<Response> + Send + Sync>;

/// Answers each request with `handler(request, how many requests to that path came before)`
/// and records what was sent.
struct Fake {
    handler: Handler,
    sent: Mutex<Vec<(Method, String, Option<String>)>>,
}

impl Fake {
    fn new(handler: impl Fn(&Request, usize) -> Result<Response> + Send + Sync + 'static) -> Self {
        Fake {
            handler: Box::new(handler),
            sent: Mutex::new(Vec::new()),
        }
    }

    fn count(&self, method: Method, path_part: &str) -> usize {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, p, _)| *m == method && p.contains(path_part))
            .count()
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(_, _, a)| a.clone())
            .collect()
    }
}

impl Transport for Fake {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        let before = {
            let mut sent = self.sent.lock().unwrap();
            let before = sent
                .iter()
                .filter(|(m, p, _)| *m == request.method && *p == request.path)
                .count();
            sent.push((
                request.method,
                request.path.clone(),
                request.header_value("Authorization").map(str::to_owned),
            ));
            before
        };
        let answer = (self.handler)(&request, before);
        Box::pin(async move { answer })
    }
    fn sleep(&self, _: Duration) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

fn json_answer(status: u16, body: serde_json::Value) -> Result<Response> {
    Ok(Response::buffered(
        status,
        vec![("Content-Type".into(), "application/json".into())],
        body.to_string(),
    ))
}

fn lost() -> Result<Response> {
    Err(Error::new(ErrorKind::Transport, "connection reset by peer"))
}

fn config(auth: Auth) -> ClientConfig {
    let mut config = ClientConfig::new("demo", auth).with_layout(ApiLayout::V4);
    config.retry = RetryPolicy {
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_attempts: 5,
        deadline: Duration::from_secs(1),
    };
    config
}

fn pipeline() -> serde_json::Value {
    json!({"metadata": {"name": "build", "namespace": "demo"}, "spec": {"type": "pipeline", "pipeline": {"name": "build", "jenkinsfile": "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }"}}})
}

fn run(name: &str) -> serde_json::Value {
    json!({"metadata": {"name": name, "namespace": "demo", "labels": {"devops.kubesphere.io/pipeline": "build"}}, "spec": {"pipelineRef": {"name": "build"}}})
}

#[tokio::test]
async fn a_resource_create_whose_answer_is_lost_is_found_not_repeated() {
    let created = std::sync::Arc::new(Mutex::new(0));
    let c = created.clone();
    let fake = Fake::new(move |r, _| match (r.method, r.path.as_str()) {
        (Method::Get, "/kapis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelines/build") => {
            json_answer(200, pipeline())
        }
        (Method::Post, "/apis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelineruns") => {
            *c.lock().unwrap() += 1;
            lost() // created, but the answer never arrives
        }
        (Method::Get, p) if p.ends_with("/pipelineruns/build-run1") => {
            if *c.lock().unwrap() > 0 {
                json_answer(200, run("build-run1"))
            } else {
                json_answer(404, json!({"reason": "NotFound", "message": "not found"}))
            }
        }
        other => panic!("unexpected {other:?}"),
    });
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    let got = client
        .trigger_resource("build", &[], None, Some("build-run1"))
        .await
        .unwrap();
    assert_eq!(got.name(), Some("build-run1"));
    assert_eq!(*created.lock().unwrap(), 1, "one create");
    assert_eq!(fake.count(Method::Post, "pipelineruns"), 1);
}

#[tokio::test]
async fn a_resource_create_that_never_arrived_is_sent_again_under_the_same_name() {
    let fake = Fake::new(|r, before| match (r.method, r.path.as_str()) {
        (Method::Get, p) if p.ends_with("/pipelines/build") => json_answer(200, pipeline()),
        (Method::Post, p) if p.ends_with("/pipelineruns") => {
            if before == 0 {
                json_answer(503, json!({"message": "busy"}))
            } else {
                json_answer(201, r.body.as_ref().map(|_| run("build-run2")).unwrap())
            }
        }
        (Method::Get, p) if p.ends_with("/pipelineruns/build-run2") => {
            json_answer(404, json!({"reason": "NotFound", "message": "not found"}))
        }
        other => panic!("unexpected {other:?}"),
    });
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    let got = client
        .trigger_resource("build", &[], None, Some("build-run2"))
        .await
        .unwrap();
    assert_eq!(got.name(), Some("build-run2"));
    assert_eq!(
        fake.count(Method::Post, "pipelineruns"),
        2,
        "looked up, then sent once more"
    );
    assert_eq!(fake.count(Method::Get, "pipelineruns/build-run2"), 1);
}

#[tokio::test]
async fn a_plain_trigger_is_never_sent_twice() {
    let fake = Fake::new(|r, _| match (r.method, r.path.as_str()) {
        (Method::Get, p) if p.ends_with("/pipelines/build") => json_answer(200, pipeline()),
        (Method::Post, _) => json_answer(503, json!({"message": "busy"})),
        other => panic!("unexpected {other:?}"),
    });
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    let err = client.trigger("build", &[], None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(fake.count(Method::Post, "pipelineruns"), 1);

    let fake = Fake::new(|r, _| match r.method {
        Method::Get => json_answer(200, pipeline()),
        _ => lost(),
    });
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    assert_eq!(
        client.trigger("build", &[], None).await.unwrap_err().kind(),
        ErrorKind::Transport
    );
    assert_eq!(fake.count(Method::Post, "pipelineruns"), 1);
}

#[tokio::test]
async fn gets_are_retried_through_not_now_answers() {
    let fake = Fake::new(|_, before| match before {
        0 => lost(),
        1 => Ok(Response::buffered(
            429,
            vec![("Retry-After".into(), "0".into())],
            "slow down",
        )),
        2 => json_answer(502, json!({})),
        _ => json_answer(200, pipeline()),
    });
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    assert_eq!(
        client.get_pipeline("build").await.unwrap().name(),
        Some("build")
    );
    assert_eq!(fake.count(Method::Get, "pipelines/build"), 4);
}

fn token_answer(n: usize) -> Result<Response> {
    json_answer(
        200,
        json!({"access_token": format!("access-{n}"), "refresh_token": format!("refresh-{n}"), "token_type": "Bearer", "expires_in": 7200}),
    )
}

#[tokio::test]
async fn a_401_renews_the_session_once_then_fails_unauthorized() {
    // The first access token is refused once; the renewed one works.
    let fake = Fake::new(|r, before| match (r.method, r.path.as_str()) {
        (Method::Post, "/oauth/token") => token_answer(before),
        (Method::Get, _) if r.header_value("Authorization") == Some("Bearer access-0") => {
            json_answer(401, json!({"message": "token expired"}))
        }
        (Method::Get, _) => json_answer(200, pipeline()),
        other => panic!("unexpected {other:?}"),
    });
    let client = Client::new(&fake, config(Auth::password("admin", "pw"))).unwrap();
    client.get_pipeline("build").await.unwrap();
    assert_eq!(
        fake.count(Method::Post, "/oauth/token"),
        2,
        "login, then refresh"
    );
    let auths = fake.authorizations();
    assert_eq!(auths.last().unwrap().as_deref(), Some("Bearer access-1"));

    // A server that refuses every token: one renewal, then an error.
    let fake = Fake::new(|r, before| match (r.method, r.path.as_str()) {
        (Method::Post, "/oauth/token") => token_answer(before),
        _ => json_answer(401, json!({"message": "Unauthorized"})),
    });
    let client = Client::new(&fake, config(Auth::password("admin", "pw"))).unwrap();
    let err = client.get_pipeline("build").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        fake.count(Method::Get, "pipelines/build"),
        2,
        "sent, renewed, sent once more"
    );

    // A fixed token cannot be renewed: the first 401 is final.
    let fake = Fake::new(|_, _| json_answer(401, json!({"message": "Unauthorized"})));
    let client = Client::new(&fake, config(Auth::token("fixed"))).unwrap();
    assert_eq!(
        client.get_pipeline("build").await.unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
    assert_eq!(fake.count(Method::Get, "pipelines/build"), 1);
}

#[tokio::test]
async fn the_layout_is_probed_once_and_remembered() {
    let fake = Fake::new(|r, _| {
        if r.path.contains("/namespaces/demo/pipelines") {
            json_answer(404, json!({"message": "404 page not found"}))
        } else if r.path.ends_with("/devops/demo/pipelines") {
            json_answer(200, json!({"items": [pipeline()], "totalItems": 1}))
        } else if r.path.ends_with("/devops/demo/pipelines/build") {
            json_answer(200, pipeline())
        } else {
            panic!("unexpected {} {}", r.method, r.path)
        }
    });
    let mut config = config(Auth::token("t"));
    config.layout = None;
    let client = Client::new(&fake, config).unwrap();
    for _ in 0..3 {
        assert_eq!(client.layout().await.unwrap(), ApiLayout::V3);
        client.get_pipeline("build").await.unwrap();
    }
    assert_eq!(
        fake.count(Method::Get, "/namespaces/demo/pipelines"),
        1,
        "one v4 probe"
    );
    assert_eq!(
        fake.count(Method::Get, "/devops/demo/pipelines"),
        1 + 3,
        "one v3 probe, then the reads"
    );
}

#[tokio::test]
async fn waits_end_at_their_timeout() {
    let fake = Fake::new(|_, _| json_answer(200, run("build-x")));
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    let err = client
        .build_id("build-x", Some(Duration::from_secs(3)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.message().contains("build-x"), "{err}");
    let err = client
        .wait("build-x", Some(Duration::from_secs(3)), Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

#[test]
fn client_futures_are_send() {
    fn send<F: std::future::Future + Send>(_: F) {}
    fn send_stream<S: futures_util::Stream + Send>(_: S) {}
    let fake = Fake::new(|_, _| lost());
    let client = Client::new(&fake, config(Auth::token("t"))).unwrap();
    send(client.trigger("p", &[], None));
    send(client.trigger_resource("p", &[], None, Some("p-1")));
    send(client.download_with_progress("r", "a.txt", std::path::Path::new("."), &mut |_, _| {}));
    send(client.wait("r", None, Default::default()));
    send(client.approve("r", None, &[]));
    send(client.diagnose("r"));
    send_stream(client.follow_log("r"));
    send_stream(client.branches("p", None));
}

/// A console in front of KubeSphere 3.x answers any path it does not proxy with its own page.
fn console_page() -> Result<Response> {
    Ok(Response::buffered(
        200,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        "<!DOCTYPE html><html><title>KubeSphere</title></html>",
    ))
}

#[tokio::test]
async fn a_page_answered_with_200_is_not_taken_for_the_4x_route() {
    let fake = Fake::new(|r, _| {
        if r.path.starts_with("/clusters/m1/") {
            console_page()
        } else if r.path == "/kapis/clusters/m1/devops.kubesphere.io/v1alpha3/devops/demo/pipelines"
        {
            json_answer(200, json!({"items": null, "totalItems": 0}))
        } else {
            panic!("unexpected {} {}", r.method, r.path)
        }
    });
    let mut config = config(Auth::token("t")).with_cluster("m1");
    config.layout = None;
    let client = Client::new(&fake, config).unwrap();
    assert_eq!(client.layout().await.unwrap(), ApiLayout::V3);
}

#[tokio::test]
async fn when_no_probe_answers_a_list_the_error_says_what_each_form_answered() {
    let fake = Fake::new(|r, _| {
        if r.path.starts_with("/clusters/m1/") {
            console_page()
        } else {
            json_answer(404, json!({"message": "404 page not found"}))
        }
    });
    let mut config = config(Auth::token("t")).with_cluster("m1");
    config.layout = None;
    let client = Client::new(&fake, config).unwrap();
    let err = client.layout().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    for part in [
        "\"demo\" in cluster \"m1\"",
        "v4 /clusters/m1/kapis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelines: a success without a list (Content-Type text/html; charset=utf-8)",
        "v3 /kapis/clusters/m1/devops.kubesphere.io/v1alpha3/devops/demo/pipelines: list_pipelines: HTTP 404: 404 page not found",
    ] {
        assert!(err.message().contains(part), "{part:?} in {err}");
    }
}

#[tokio::test]
async fn jenkins_own_url_gets_its_basic_auth_and_never_the_kubesphere_token() {
    let urls = std::sync::Arc::new(Mutex::new(Vec::new()));
    let seen = urls.clone();
    let fake = Fake::new(move |request, _| {
        seen.lock().unwrap().push(request.url("http://ks.example"));
        if request.path.ends_with("/secrets/devops-jenkins") {
            return json_answer(
                200,
                json!({"data": {"jenkins-admin-token": "czNjcjN0LXRvazNu"}}),
            );
        }
        json_answer(
            401,
            json!({"message": "Invalid password/token for user: admin"}),
        )
    });
    let config = config(Auth::token("ks-bearer")).with_jenkins_url("https://ci.example/jenkins/");
    let client = Client::new(&fake, config).unwrap();
    let jenkins = client.jenkins_admin().await.unwrap();
    let err = jenkins.labels().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    assert_eq!(
        *urls.lock().unwrap(),
        [
            "http://ks.example/api/v1/namespaces/kubesphere-devops-system/secrets/devops-jenkins",
            "https://ci.example/jenkins/labelsdashboard/labelsData",
        ],
        "one Secret read, one Jenkins request: a 401 from Jenkins renews nothing"
    );
    let basic = format!("Basic {}", base64_of("admin:s3cr3t-tok3n"));
    assert_eq!(
        fake.authorizations(),
        [Some("Bearer ks-bearer".to_owned()), Some(basic)]
    );
    assert!(!format!("{jenkins:?} {err}").contains("tok3n"));
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

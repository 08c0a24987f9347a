//! No input breaks a handler. Malformed percent escapes, bytes that are not UTF-8, huge
//! headers and invalid JSON sent to every route family get a complete HTTP answer: a 4xx
//! with a message where the input is wrong, never a dropped connection, and no 5xx but the
//! one ks-devops itself gives (a Jenkins "not found" relayed as HTTP 500 on v1alpha2).
//! Requests are written byte for byte over a plain socket, so nothing is cleaned up on the
//! way.

mod common;

use common::raw::{exchange, request, Answer};
use common::*;
use ksdevops_sim::ApiLayout;

const PIPELINE: &str = "params-demo";
const BAD_ESCAPES: &str = "a%zz%a%";
const NOT_UTF8: &str = "%FF%FEx";

/// One route of a family: method and path, with `{ns}`, `{p}`, `{run}`, `{id}`, `{node}`,
/// `{step}`, `{name}` and `{ws}` for the parts a test may spoil.
struct Route {
    family: &'static str,
    method: &'static str,
    path: &'static str,
}

impl Route {
    /// v1alpha2 runs, scans, stops and replays hand their body to Jenkins as it is, and
    /// ks-devops relays Jenkins' errors there as HTTP 500.
    fn is_jenkins_passthrough(&self) -> bool {
        self.family.starts_with("v1alpha2")
    }

    fn body_forwarded(&self) -> bool {
        self.is_jenkins_passthrough() && self.family != "v1alpha2 inputs"
    }
}

const fn route(family: &'static str, method: &'static str, path: &'static str) -> Route {
    Route {
        family,
        method,
        path,
    }
}

const K3: &str = "/kapis/devops.kubesphere.io/v1alpha3";
const K2: &str = "/kapis/devops.kubesphere.io/v1alpha2/namespaces/{ns}/pipelines/{p}";

fn routes() -> Vec<Route> {
    let owned = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let k3 = |rest: &str| owned(format!("{K3}{rest}"));
    let k2 = |rest: &str| owned(format!("{K2}{rest}"));
    vec![
        route("v1alpha3 devops", "GET", k3("/workspaces/{ws}/namespaces")),
        route("v1alpha3 devops", "POST", k3("/workspaces/{ws}/namespaces")),
        route(
            "v1alpha3 devops",
            "PUT",
            k3("/workspaces/{ws}/namespaces/{ns}"),
        ),
        route(
            "v1alpha3 devops",
            "DELETE",
            k3("/workspaces/{ws}/namespaces/{ns}"),
        ),
        route(
            "v1alpha3 pipelines",
            "GET",
            k3("/namespaces/{ns}/pipelines"),
        ),
        route(
            "v1alpha3 pipelines",
            "POST",
            k3("/namespaces/{ns}/pipelines"),
        ),
        route(
            "v1alpha3 pipelines",
            "PUT",
            k3("/namespaces/{ns}/pipelines/{p}"),
        ),
        route(
            "v1alpha3 pipelines",
            "PUT",
            k3("/namespaces/{ns}/pipelines/{p}/jenkinsfile"),
        ),
        route(
            "v1alpha3 credentials",
            "GET",
            k3("/namespaces/{ns}/credentials"),
        ),
        route(
            "v1alpha3 credentials",
            "POST",
            k3("/namespaces/{ns}/credentials"),
        ),
        route(
            "v1alpha3 credentials",
            "PUT",
            k3("/namespaces/{ns}/credentials/{name}"),
        ),
        route(
            "v1alpha3 pipelineruns",
            "GET",
            k3("/namespaces/{ns}/pipelines/{p}/pipelineruns"),
        ),
        route(
            "v1alpha3 pipelineruns",
            "POST",
            k3("/namespaces/{ns}/pipelines/{p}/pipelineruns"),
        ),
        route(
            "v1alpha3 pipelineruns",
            "GET",
            k3("/namespaces/{ns}/pipelineruns/{run}"),
        ),
        route(
            "v1alpha3 pipelineruns",
            "GET",
            k3("/namespaces/{ns}/pipelineruns/{run}/nodedetails"),
        ),
        route(
            "v1alpha3 artifacts",
            "GET",
            k3("/namespaces/{ns}/pipelineruns/{run}/artifacts/download"),
        ),
        route(
            "v1alpha3 branches",
            "GET",
            k3("/namespaces/{ns}/pipelines/{p}/branches/{name}"),
        ),
        route("v1alpha2 runs", "GET", k2("/runs")),
        route("v1alpha2 runs", "POST", k2("/runs")),
        route("v1alpha2 runs", "GET", k2("/runs/{id}")),
        route("v1alpha2 runs", "POST", k2("/runs/{id}/stop")),
        route("v1alpha2 runs", "POST", k2("/runs/{id}/replay")),
        route(
            "v1alpha2 runs",
            "POST",
            owned(format!("{K2}/scan").replace("{p}", "multi-branch-demo")),
        ),
        route("v1alpha2 logs", "GET", k2("/runs/{id}/log")),
        route(
            "v1alpha2 logs",
            "GET",
            k2("/runs/{id}/nodes/{node}/steps/{step}/log"),
        ),
        route("v1alpha2 logs", "GET", k2("/consolelog")),
        route(
            "v1alpha2 inputs",
            "POST",
            k2("/runs/{id}/nodes/{node}/steps/{step}"),
        ),
        route("v1alpha2 artifacts", "GET", k2("/runs/{id}/artifacts")),
        route("v1alpha2 nodes", "GET", k2("/runs/{id}/nodesdetail")),
        route(
            "pipelinerun resources",
            "GET",
            "/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns",
        ),
        route(
            "pipelinerun resources",
            "POST",
            "/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns",
        ),
        route(
            "pipelinerun resources",
            "DELETE",
            "/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns/{name}",
        ),
    ]
}

/// The route's path with every part valid (`spoil` = None) or one part replaced.
fn path_of(route: &Route, spoil: Option<(&str, &str)>) -> String {
    let mut path = route.path.to_string();
    for (key, valid) in [
        ("{ws}", "demo"),
        ("{ns}", NS),
        ("{p}", PIPELINE),
        ("{run}", "no-such-run"),
        ("{id}", "1"),
        ("{node}", "2"),
        ("{step}", "3"),
        ("{name}", "x"),
    ] {
        let value = match spoil {
            Some((k, v)) if k == key => v,
            _ => valid,
        };
        path = path.replace(key, value);
    }
    path
}

/// The first spoilable part of a route's path.
fn first_part(route: &Route) -> &'static str {
    ["{ns}", "{ws}", "{p}", "{run}", "{id}", "{name}"]
        .into_iter()
        .find(|k| route.path.contains(k))
        .expect("every route has a path parameter")
}

struct Sent {
    what: String,
    answer: Result<Answer, String>,
}

impl Sent {
    /// A 4xx with a message in the body.
    fn assert_refused(&self) {
        let answer = self.answered();
        assert!(
            (400..500).contains(&answer.status),
            "{}: expected a 4xx, got {}: {}",
            self.what,
            answer.status,
            answer.body
        );
        assert!(
            !answer.body.trim().is_empty(),
            "{}: {} without a message",
            self.what,
            answer.status
        );
    }

    /// Any complete answer that is not a server error.
    fn assert_not_server_error(&self) {
        self.assert_no_server_fault(false);
    }

    /// Any complete answer; on a Jenkins passthrough route, a 500 only as ks-devops relays
    /// Jenkins' "not found" (`"code":404`).
    fn assert_no_server_fault(&self, jenkins_passthrough: bool) {
        let answer = self.answered();
        let relayed_not_found =
            jenkins_passthrough && answer.status == 500 && answer.body.contains("\"code\":404");
        assert!(
            answer.status < 500 || relayed_not_found,
            "{}: {} {}",
            self.what,
            answer.status,
            answer.body
        );
    }

    fn answered(&self) -> &Answer {
        match &self.answer {
            Ok(answer) => answer,
            Err(e) => panic!("{}: {e}", self.what),
        }
    }
}

struct Probe {
    addr: String,
    token: String,
}

impl Probe {
    async fn start(env: &Env) -> Probe {
        Probe {
            addr: env.base.trim_start_matches("http://").to_string(),
            token: env.token("admin").await,
        }
    }

    async fn send(
        &self,
        what: String,
        method: &str,
        target: &str,
        headers: &[(&str, &[u8])],
        body: &[u8],
    ) -> Sent {
        let bearer = format!("Bearer {}", self.token);
        let mut all: Vec<(&str, &[u8])> = vec![("Authorization", bearer.as_bytes())];
        all.extend_from_slice(headers);
        let raw = request(method, target, &all, body);
        Sent {
            what,
            answer: exchange(&self.addr, &raw).await,
        }
    }
}

const JSON_TYPE: (&str, &[u8]) = ("Content-Type", b"application/json");

#[tokio::test]
async fn a_path_part_that_is_not_utf8_is_refused_on_every_route() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    for prefix in ["", "/clusters/host"] {
        for route in routes() {
            let target = format!(
                "{prefix}{}",
                path_of(&route, Some((first_part(&route), NOT_UTF8)))
            );
            let what = format!("{} {} {target}", route.family, route.method);
            let body: &[u8] = if route.method == "GET" { b"" } else { b"{}" };
            let sent = probe
                .send(what, route.method, &target, &[JSON_TYPE], body)
                .await;
            sent.assert_refused();
            assert_eq!(sent.answered().status, 400, "{}", sent.what);
        }
    }
    let unknown_cluster = format!("/clusters/{NOT_UTF8}{K3}/namespaces/{NS}/pipelines");
    probe
        .send(unknown_cluster.clone(), "GET", &unknown_cluster, &[], b"")
        .await
        .assert_refused();
    env.stop().await;
}

/// A malformed escape or a name no object can have reads as a name nothing has: not found
/// (an empty list for a list), never a server fault.
#[tokio::test]
async fn malformed_escapes_in_a_path_read_as_unknown_names_on_every_route() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    for prefix in ["", "/clusters/host"] {
        for route in routes() {
            for bad in [BAD_ESCAPES, "%C3%A9%2e%2e", "%2F..%2F"] {
                let target = format!(
                    "{prefix}{}",
                    path_of(&route, Some((first_part(&route), bad)))
                );
                let what = format!("{} {} {target}", route.family, route.method);
                let body: &[u8] = if route.method == "GET" { b"" } else { b"{}" };
                let sent = probe
                    .send(what, route.method, &target, &[JSON_TYPE], body)
                    .await;
                sent.assert_no_server_fault(route.is_jenkins_passthrough());
                let answer = sent.answered();
                if answer.status < 300 {
                    assert!(
                        route.method == "GET" && answer.body.contains("\"totalItems\":0"),
                        "{}: {} {}",
                        sent.what,
                        answer.status,
                        answer.body
                    );
                }
            }
        }
    }
    env.stop().await;
}

#[tokio::test]
async fn invalid_json_and_bytes_that_are_not_utf8_in_a_body_are_refused_on_every_write() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    let writes = routes()
        .into_iter()
        .filter(|r| matches!(r.method, "POST" | "PUT"));
    for route in writes.filter(|r| !r.body_forwarded()) {
        let target = path_of(&route, None);
        for body in [
            &b"{\"metadata\": {\"name\": "[..],
            b"\xff\xfe{}",
            b"{\"metadata\": \"\xc3\"}",
            b"[1, 2",
        ] {
            let what = format!(
                "{} {} {target} with {:?}",
                route.family,
                route.method,
                String::from_utf8_lossy(body)
            );
            probe
                .send(what, route.method, &target, &[JSON_TYPE], body)
                .await
                .assert_refused();
        }
    }
    // Bodies Jenkins receives as they are: the run starts or the stop/replay answers, as
    // Jenkins ignores what it cannot read.
    let forwarded = routes()
        .into_iter()
        .filter(|r| r.body_forwarded() && r.method == "POST");
    for route in forwarded {
        let target = path_of(&route, None);
        let what = format!(
            "{} {} {target} with bytes that are not JSON",
            route.family, route.method
        );
        probe
            .send(
                what,
                route.method,
                &target,
                &[JSON_TYPE],
                b"\xff{\"parameters\": [",
            )
            .await
            .assert_no_server_fault(true);
    }
    let faults = probe
        .send(
            "POST /_sim/faults with invalid JSON".into(),
            "POST",
            "/_sim/faults",
            &[JSON_TYPE],
            b"{\"error_rate\": ",
        )
        .await;
    faults.assert_refused();
    env.stop().await;
}

#[tokio::test]
async fn malformed_query_values_never_break_a_handler() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    let query = "?page=%zz&limit=%FF&name=a%a%C3%A9&sortBy=%&labelSelector=a%3D%FF,%zz&start=%2&filename=%FF%zz&branch=%C3&watch=%FF";
    for prefix in ["", "/clusters/host"] {
        for route in routes().iter().filter(|r| r.method == "GET") {
            let target = format!("{prefix}{}{query}", path_of(route, None));
            let what = format!("{} {} {target}", route.family, route.method);
            probe
                .send(what, route.method, &target, &[], b"")
                .await
                .assert_no_server_fault(route.is_jenkins_passthrough());
        }
        for admin in ["/_sim/health", "/_sim/clock", "/_sim/faults"] {
            let target = format!("{prefix}{admin}{query}");
            probe
                .send(target.clone(), "GET", &target, &[], b"")
                .await
                .assert_not_server_error();
        }
    }
    env.stop().await;
}

#[tokio::test]
async fn a_watch_refuses_a_namespace_that_is_not_utf8_and_streams_despite_a_spoiled_query() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    let resources = "/apis/devops.kubesphere.io/v1alpha3/namespaces";
    let target = format!("{resources}/{NOT_UTF8}/pipelineruns?watch=true");
    let sent = probe.send(target.clone(), "GET", &target, &[], b"").await;
    sent.assert_refused();
    assert_eq!(sent.answered().status, 400);
    // A namespace nobody has: Kubernetes streams nothing rather than refusing.
    let target = format!("{resources}/{BAD_ESCAPES}/pipelineruns?watch=true");
    let sent = probe.send(target.clone(), "GET", &target, &[], b"").await;
    assert_eq!(sent.answered().status, 200, "{}", sent.answered().head);
    let target =
        format!("{resources}/{NS}/pipelineruns?watch=true&resourceVersion=%zz&labelSelector=%FF");
    let sent = probe.send(target.clone(), "GET", &target, &[], b"").await;
    assert_eq!(sent.answered().status, 200, "{}", sent.answered().head);
    env.stop().await;
}

#[tokio::test]
async fn the_token_endpoint_answers_malformed_forms() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    let form = ("Content-Type", &b"application/x-www-form-urlencoded"[..]);
    let client = "grant_type=password&client_id=kubesphere&client_secret=kubesphere";
    for fields in [
        "&username=a%a\u{e9}&password=x",
        "&username=admin&password=%",
        "&username=%FF%FE&password=%zz",
        "&username=\u{e9}%C3&password=%%%",
    ] {
        let body = format!("{client}{fields}");
        let sent = probe
            .send(
                body.clone(),
                "POST",
                "/oauth/token",
                &[form],
                body.as_bytes(),
            )
            .await;
        sent.assert_refused();
        assert!(
            sent.answered().body.contains("invalid_grant"),
            "{}",
            sent.answered().body
        );
    }
    let mut body = client.as_bytes().to_vec();
    body.extend_from_slice(b"&username=\xff\xfe&password=\xc3");
    probe
        .send(
            "form with bytes that are not UTF-8".into(),
            "POST",
            "/oauth/token",
            &[form],
            &body,
        )
        .await
        .assert_refused();
    let sent = probe
        .send("refresh with a malformed token".into(), "POST", "/oauth/token", &[form],
            b"grant_type=refresh_token&client_id=kubesphere&client_secret=kubesphere&refresh_token=%zz%FF")
        .await;
    sent.assert_refused();
    // The simulator is still up and the right password still works.
    env.token("admin").await;
    env.stop().await;
}

#[tokio::test]
async fn huge_and_malformed_headers_get_an_answer() {
    let env = start(ApiLayout::V4, 50.0).await;
    let probe = Probe::start(&env).await;
    let pipelines = format!("{K3}/namespaces/{NS}/pipelines");
    let raw = |headers: &[(&str, &[u8])]| request("GET", &pipelines, headers, b"");

    // A 64 KiB bearer token of junk, and one that is not UTF-8: unauthorized, with a message.
    let long = format!("Bearer {}", "x".repeat(64 * 1024));
    for auth in [long.as_bytes(), b"Bearer \xff\xfe%zz", b"\xc3"] {
        let sent = Sent {
            what: format!("Authorization of {} bytes", auth.len()),
            answer: exchange(&probe.addr, &raw(&[("Authorization", auth)])).await,
        };
        sent.assert_refused();
        assert_eq!(sent.answered().status, 401, "{}", sent.what);
    }

    // Headers the handlers read (Accept, Content-Type, Origin, Cookie) with junk in them.
    let bearer = format!("Bearer {}", probe.token);
    for (name, value) in [
        ("Accept", &b"\xff\xfe/\xc3"[..]),
        ("Cookie", b"token=\xff%zz"),
        ("Origin", b"http://\xc3\xa9%zz"),
        ("Content-Type", b"application/json; charset=\xff"),
    ] {
        let sent = Sent {
            what: format!("{name} with junk"),
            answer: exchange(
                &probe.addr,
                &raw(&[("Authorization", bearer.as_bytes()), (name, value)]),
            )
            .await,
        };
        sent.assert_not_server_error();
    }

    // More header lines than the server reads: refused before any handler runs.
    let many: Vec<(String, Vec<u8>)> = (0..200)
        .map(|i| (format!("X-Filler-{i}"), b"y".repeat(16)))
        .collect();
    let headers: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let sent = Sent {
        what: "200 header lines".into(),
        answer: exchange(&probe.addr, &raw(&headers)).await,
    };
    assert_eq!(sent.answered().status, 431, "{}", sent.answered().head);

    // A single header larger than the server's buffer.
    let huge = vec![b'z'; 300 * 1024];
    let sent = Sent {
        what: "a 300 KiB header".into(),
        answer: exchange(
            &probe.addr,
            &raw(&[("Authorization", bearer.as_bytes()), ("X-Huge", &huge)]),
        )
        .await,
    };
    sent.assert_not_server_error();

    let health = env
        .http
        .get(format!("{}/_sim/health", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    env.stop().await;
}

//! The `ksdevops-sim` binary: flags, the URL on the first line of stdout, static files,
//! CORS, and clear errors for bad flags.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ksdevops-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    (Running(child), first.trim().to_string())
}

async fn json_of(request: reqwest::RequestBuilder) -> serde_json::Value {
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_its_url_first_and_serves_the_chosen_layout() {
    let dir = std::env::temp_dir().join(format!("ksdevops-sim-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>demo</h1>").unwrap();
    let dir_arg = dir.to_str().unwrap().to_string();
    let (_child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--layout",
        "v3",
        "--speed",
        "10",
        "--scenario",
        "demo",
        "--serve-dir",
        &dir_arg,
        "--cors",
    ]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(format!("{url}/_sim/health"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    let clock: serde_json::Value = json_of(http.get(format!("{url}/_sim/clock"))).await;
    assert_eq!(clock["layout"], "v3");
    assert_eq!(clock["speed"], 10.0);
    // Static files on the same origin.
    let page = http.get(format!("{url}/")).send().await.unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.text().await.unwrap(), "<h1>demo</h1>");
    assert_eq!(
        http.get(format!("{url}/missing.js"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // CORS: a preflight is answered by the simulator, a real request by the route (401
    // here); both carry the CORS headers.
    let pipelines =
        format!("{url}/kapis/devops.kubesphere.io/v1alpha3/devops/demo-project/pipelines");
    for (method, status) in [(reqwest::Method::OPTIONS, 204), (reqwest::Method::GET, 401)] {
        let resp = http
            .request(method.clone(), &pipelines)
            .header("Origin", "http://localhost:5173")
            .header("Access-Control-Request-Method", "GET")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{method}");
        assert_eq!(
            resp.headers()["access-control-allow-origin"],
            "http://localhost:5173",
            "{method}"
        );
        assert!(resp.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("X-Text-Size"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pages served with `--serve-dir` call the API with the browser's cookies, as pages of the
/// KubeSphere console do: the session cookie `token` stands for the bearer token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_pages_may_authenticate_with_the_token_cookie() {
    let dir = std::env::temp_dir().join(format!("ksdevops-sim-cookie-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap().to_string();
    let (_child, url) = spawn(&["--listen", "127.0.0.1:0", "--serve-dir", &dir_arg]);
    let http = reqwest::Client::new();
    let login: serde_json::Value = json_of(http.post(format!("{url}/oauth/token")).form(&[
        ("grant_type", "password"),
        ("username", "admin"),
        ("password", "P@88w0rd"),
        ("client_id", "kubesphere"),
        ("client_secret", "kubesphere"),
    ]))
    .await;
    let token = login["access_token"].as_str().unwrap();
    let pipelines =
        format!("{url}/kapis/devops.kubesphere.io/v1alpha3/namespaces/demo-project/pipelines");
    let status = |cookie: String| {
        let request = http.get(&pipelines).header("Cookie", cookie);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(status(format!("lang=en; token={token}")).await, 200);
    assert_eq!(status("token=not-a-token".into()).await, 401);
    assert_eq!(status("lang=en".into()).await, 401);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    for (args, needle) in [
        (vec!["--layout", "v5"], "--layout"),
        (vec!["--speed", "fast"], "--speed"),
        (vec!["--listen", "nowhere"], "--listen"),
        (
            vec!["--scenario", "/nonexistent/scenario.json"],
            "--scenario",
        ),
        (vec!["--frobnicate"], "--frobnicate"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ksdevops-sim"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn a_scenario_file_is_loaded() {
    let path =
        std::env::temp_dir().join(format!("ksdevops-sim-scenario-{}.json", std::process::id()));
    std::fs::write(
        &path,
        serde_json::json!({
            "users": [{"name": "alice", "password": "pw", "admin": true}],
            "oauth_clients": [{"id": "c", "secret": "s"}],
            "projects": [{"name": "team", "workspace": "ws"}],
        })
        .to_string(),
    )
    .unwrap();
    let (_child, url) = spawn(&["--scenario", path.to_str().unwrap()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let token: serde_json::Value = json_of(http.post(format!("{url}/oauth/token")).form(&[
            ("grant_type", "password"),
            ("client_id", "c"),
            ("client_secret", "s"),
            ("username", "alice"),
            ("password", "pw"),
        ]))
        .await;
        let list: serde_json::Value = json_of(
            http.get(format!(
                "{url}/kapis/devops.kubesphere.io/v1alpha3/workspaces/ws/namespaces"
            ))
            .bearer_auth(token["access_token"].as_str().unwrap()),
        )
        .await;
        assert_eq!(list["items"][0]["metadata"]["name"], "team");
    });
    let _ = std::fs::remove_file(&path);
}

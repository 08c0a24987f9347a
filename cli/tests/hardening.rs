//! Issue 13: nothing lost, bounded time, no surprises from hostile servers or careless input;
//! through the binary, against the simulator or a small hostile server on loopback.

mod common;

use common::SimServer;
use ksdevops_sim::ApiLayout;
use std::io::{Read, Write};
use std::net::TcpStream;

/// The fault mix the issue reproduced the lost log with, on `/log` paths only.
fn log_faults(seed: u64) -> String {
    format!(
        r#"{{"drop_rate":0.15,"error_rate":0.15,"truncate_rate":0.3,"error_statuses":[502,503,429],"retry_after_secs":1,"path_contains":"/log","max_in_a_row":3,"seed":{seed}}}"#
    )
}

/// Sends a JSON body to one of the simulator's admin endpoints.
fn sim_admin(sim: &SimServer, method: &str, path: &str, body: &str) {
    let host = sim.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("the simulator accepts");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 2"),
        "{method} {path}: {answer}"
    );
}

/// A pipeline whose log is long enough for a cut body to cut it.
fn chatty_pipeline(sim: &SimServer) -> String {
    let lines: String = (0..60)
        .map(|i| format!("        echo 'line {i:03} of a log long enough to be cut in half by a truncated body'\n"))
        .collect();
    let jenkinsfile = sim.dir.join("Jenkinsfile.chatty");
    std::fs::write(
        &jenkinsfile,
        format!("pipeline {{\n  agent any\n  stages {{\n    stage('Talk') {{\n      steps {{\n{lines}      }}\n    }}\n  }}\n}}\n"),
    )
    .unwrap();
    sim.admin().ok(&[
        "pipelines",
        "create",
        "chatty",
        "--jenkinsfile",
        jenkinsfile.to_str().unwrap(),
    ]);
    let started = sim.admin().ok(&["run", "chatty", "--wait"]);
    started.stdout.lines().next().unwrap().to_owned()
}

#[test]
fn a_log_read_under_faults_is_whole_or_fails_saying_what_is_missing() {
    let sim = SimServer::start(ApiLayout::V4);
    let run = chatty_pipeline(&sim);
    let whole = sim.admin().ok(&["logs", &run]).stdout;
    assert!(whole.contains("line 059 of a log"), "{whole}");
    let whole_json = sim.admin().ok(&["logs", &run, "--json"]).json();
    assert_eq!(whole_json["log"], whole.as_str());

    for seed in [1, 2] {
        sim_admin(&sim, "POST", "/_sim/faults", &log_faults(seed));
        for attempt in 0..3 {
            let out = sim.admin().run(&["logs", &run]);
            assert_eq!(
                (out.code, out.stdout.len()),
                (0, whole.len()),
                "seed {seed}, attempt {attempt}: stderr {}",
                out.stderr
            );
            assert_eq!(out.stdout, whole, "seed {seed}, attempt {attempt}");
            let out = sim.admin().ok(&["logs", &run, "--json"]).json();
            assert_eq!(out["log"], whole.as_str(), "seed {seed}, --json");
        }
    }

    // A log that cannot be read whole: every log request fails. Non-zero, and says so.
    sim_admin(
        &sim,
        "POST",
        "/_sim/faults",
        r#"{"truncate_rate":1.0,"path_contains":"/log"}"#,
    );
    let out = sim.admin().run(&["logs", &run]);
    assert_eq!(out.code, 3, "stdout {} stderr {}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("is incomplete") && out.stderr.contains("the rest is missing"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.len() < whole.len());
    sim_admin(&sim, "DELETE", "/_sim/faults", "");
}

/// About 30 % of all requests fail: dropped, answered 500/502/503/429, or cut mid-body; never
/// one request more than twice in a row, so a client that retries as its table says gets through.
fn broad_faults(seed: u64) -> String {
    format!(
        r#"{{"drop_rate":0.1,"error_rate":0.15,"truncate_rate":0.1,"error_statuses":[500,502,503,429],"retry_after_secs":1,"max_in_a_row":2,"seed":{seed}}}"#
    )
}

#[test]
fn twenty_runs_under_faults_create_twenty_runs_and_all_succeed() {
    let sim = SimServer::start(ApiLayout::V4);
    sim_admin(&sim, "POST", "/_sim/faults", &broad_faults(7));
    let started: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|worker| {
                let sim = &sim;
                scope.spawn(move || {
                    (0..5)
                        .map(|i| {
                            let who = format!("PERSON=w{worker}n{i}");
                            let out = sim.admin().run(&["run", "params-demo", "-p", &who]);
                            assert_eq!(
                                out.code, 0,
                                "run {who}: stdout {} stderr {}",
                                out.stdout, out.stderr
                            );
                            out.stdout.trim().to_owned()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    sim_admin(&sim, "DELETE", "/_sim/faults", "");
    let listed = sim
        .admin()
        .ok(&["runs", "list", "params-demo", "--json"])
        .json();
    let mut names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["metadata"]["name"].as_str().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<&str> = started.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(names, expected, "exactly one run per command");
}

/// A server on loopback that answers every request as `answer` says, counting connections.
struct Hostile {
    url: String,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

type Answer = dyn Fn(&str, &mut TcpStream) + Send + Sync;

impl Hostile {
    fn start(answer: impl Fn(&str, &mut TcpStream) + Send + Sync + 'static) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = connections.clone();
        let answer: std::sync::Arc<Answer> = std::sync::Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let answer = answer.clone();
                std::thread::spawn(move || {
                    while let Some(head) = read_head(&mut stream) {
                        answer(&head, &mut stream);
                    }
                });
            }
        });
        Hostile { url, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// `ksdevops` pointed at this server, v4 layout, anonymous.
    fn cli(&self) -> common::Cli {
        common::Cli::new()
            .env("KUBESPHERE_API", &self.url)
            .env("DEVOPS_PROJECT", common::PROJECT)
            .env("KUBESPHERE_LAYOUT", "v4")
    }
}

/// The request line and headers (the tests only send bodiless GETs to hostile servers).
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(body);
}

/// Runs `ksdevops args` and gives the output with how long it took.
fn timed(cli: common::Cli, args: &[&str]) -> (common::Output, std::time::Duration) {
    let started = std::time::Instant::now();
    let out = cli.run(args);
    (out, started.elapsed())
}

#[test]
fn a_silent_or_dripping_server_meets_the_overall_deadline() {
    let silent = Hostile::start(|_, _| std::thread::sleep(std::time::Duration::from_secs(600)));
    let (out, took) = timed(silent.cli(), &["pipelines", "list", "--deadline", "2"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("gave up after 2 s"), "{}", out.stderr);
    assert!(
        took.as_secs() < 30,
        "ended by the deadline, not the read timeout: {took:?}"
    );

    let dripping = Hostile::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
        );
        for _ in 0..2000 {
            if stream.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    });
    let (out, took) = timed(
        dripping.cli().env("KUBESPHERE_DEADLINE", "2"),
        &["pipelines", "list"],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("gave up after 2 s"), "{}", out.stderr);
    assert!(took.as_secs() < 30, "a slow body counts: {took:?}");

    // The per-read limit has its own flag, and names what timed out.
    let (out, _) = timed(
        silent.cli(),
        &[
            "pipelines",
            "list",
            "--read-timeout",
            "1",
            "--deadline",
            "0",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
}

#[test]
fn wait_keeps_its_own_timeout_past_the_deadline() {
    let sim = SimServer::start(ApiLayout::V4);
    let run = sim
        .admin()
        .ok(&["run", "params-demo"])
        .stdout
        .trim()
        .to_owned();
    // The run pauses at its input, so it never finishes: only --timeout ends the wait.
    let (out, took) = timed(
        sim.admin(),
        &["wait", &run, "--timeout", "4", "--deadline", "1"],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!out.stderr.contains("gave up after 1 s"), "{}", out.stderr);
    assert!(out.stderr.contains("timeout"), "{}", out.stderr);
    assert!(
        took.as_secs() >= 4,
        "the deadline did not cut the wait: {took:?}"
    );
}

/// Runs `ksdevops args` with stdout a pipe closed before anything is written (`| head -0`).
fn with_closed_stdout(cli: common::Cli, args: &[&str]) -> common::Output {
    cli.stdout_closed().run(args)
}

#[test]
fn a_closed_stdout_ends_every_printing_command_quietly() {
    let sim = SimServer::start(ApiLayout::V4);
    let run = sim
        .admin()
        .ok(&["run", "params-demo"])
        .stdout
        .trim()
        .to_owned();
    for args in [
        &["pipelines", "list"][..],
        &["pipelines", "list", "--json"],
        &["pipelines", "list", "--dry-run"],
        &["runs", "list", "params-demo"],
        &["runs", "list", "params-demo", "--json"],
        &["params", "params-demo"],
        &["logs", &run],
    ] {
        let out = with_closed_stdout(sim.admin(), args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(
            !out.stderr.contains("panicked") && !out.stderr.contains("Broken pipe"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// Answers pipeline reads with names, descriptions and errors full of terminal controls.
fn controlling_server() -> Hostile {
    Hostile::start(|head, stream| {
        if head.contains("/pipelines/missing") {
            return respond(
                stream,
                "404 Not Found",
                "text/plain",
                b"\x1b]0;pwned\x07\x1b[2J\rno such pipeline\x1b[0m\n",
            );
        }
        let body = serde_json::json!({
            "items": [{
                "apiVersion": "devops.kubesphere.io/v1alpha3",
                "kind": "Pipeline",
                "metadata": {"name": "evil\u{1b}[31mred", "namespace": "demo-project"},
                "spec": {"type": "pipeline", "pipeline": {
                    "name": "evil",
                    "description": "line\rover\u{1b}]8;;http://x\u{7}link\u{9b}2J"
                }}
            }],
            "totalItems": 1
        });
        respond(
            stream,
            "200 OK",
            "application/json",
            body.to_string().as_bytes(),
        );
    })
}

fn has_terminal_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn terminal_controls_from_a_server_or_the_user_are_shown_escaped() {
    let server = controlling_server();
    let listed = server.cli().ok(&["pipelines", "list"]);
    assert!(
        !has_terminal_controls(&listed.stdout),
        "{:?}",
        listed.stdout
    );
    assert!(
        listed.stdout.contains("evil\\u{1b}[31mred"),
        "{}",
        listed.stdout
    );
    assert!(listed.stdout.contains("line\\rover"), "{}", listed.stdout);

    let json = server.cli().ok(&["pipelines", "list", "--json"]);
    assert!(!has_terminal_controls(&json.stdout), "{:?}", json.stdout);
    assert_eq!(
        json.json()[0]["metadata"]["name"],
        "evil\u{1b}[31mred",
        "JSON keeps the value"
    );

    let missing = server.cli().expect(&["pipelines", "get", "missing"], 3);
    assert!(
        !has_terminal_controls(&missing.stderr),
        "{:?}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("no such pipeline"),
        "{}",
        missing.stderr
    );

    // Echoed user input.
    let typed = server.cli().expect(&["runs", "get", "bad\u{1b}[2Jname"], 2);
    assert!(!has_terminal_controls(&typed.stderr), "{:?}", typed.stderr);
}

#[test]
fn logs_stay_byte_exact_with_colour_codes() {
    let sim = SimServer::start(ApiLayout::V4);
    let jenkinsfile = sim.dir.join("Jenkinsfile.colour");
    std::fs::write(
        &jenkinsfile,
        "pipeline {\n  agent any\n  stages {\n    stage('Paint') {\n      steps {\n        echo \"\\u001B[31mred\\u001B[0m and plain\"\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    sim.admin().ok(&[
        "pipelines",
        "create",
        "colour",
        "--jenkinsfile",
        jenkinsfile.to_str().unwrap(),
    ]);
    let run = sim.admin().ok(&["run", "colour", "--wait"]);
    let run = run.stdout.lines().next().unwrap().to_owned();
    let log = sim.admin().ok(&["logs", &run]).stdout;
    assert!(log.contains("\u{1b}[31mred\u{1b}[0m and plain"), "{log:?}");
}

#[test]
fn a_usage_error_sends_nothing() {
    let server = Hostile::start(|_, stream| {
        respond(stream, "500 Internal Server Error", "text/plain", b"no")
    });
    let login = |cli: common::Cli| {
        cli.env("KUBESPHERE_USERNAME", "admin")
            .env("KUBESPHERE_PASSWORD", "planted-password-9c1")
            .env_remove("KUBESPHERE_LAYOUT")
    };
    for args in [
        &["run", "params-demo", "--name", "BAD_NAME"][..],
        &["run", "multi-branch-demo", "-b", ".."],
        &["params", "multi-branch-demo", "-b", ".."],
        &["params", "multi-branch-demo", "-b", "%2e%2e"],
        &["runs", "list", "multi-branch-demo", "--branch", "."],
        &["pipelines", "get", "Bad Name"],
        &["runs", "get", "UPPER"],
        &["logs", "a/b"],
        &["run", "params-demo", "-p", "NOVALUE"],
        &["credentials", "delete", "x_y"],
    ] {
        let out = login(server.cli()).run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.all().contains("planted-password-9c1"));
        assert_eq!(server.connections(), 0, "{args:?} sent something");
    }
    let dots = login(server.cli()).run(&["params", "multi-branch-demo", "-b", ".."]);
    assert!(
        dots.stderr.contains("branch") && dots.stderr.contains("\"..\""),
        "{}",
        dots.stderr
    );
}

#[test]
fn a_server_url_with_credentials_in_it_is_refused() {
    let server = Hostile::start(|_, stream| respond(stream, "200 OK", "application/json", b"{}"));
    let with_user = server.url.replace("http://", "http://someone:url-pass-77@");
    for args in [
        &["pipelines", "list"][..],
        &["pipelines", "list", "--dry-run"],
    ] {
        let out = common::Cli::new()
            .env("KUBESPHERE_API", &with_user)
            .env("DEVOPS_PROJECT", common::PROJECT)
            .env("KUBESPHERE_TOKEN", "some-token")
            .run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.all().contains("url-pass-77"), "{}", out.all());
        assert!(
            out.stderr.contains("user name or password"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(server.connections(), 0);
}

#[test]
fn an_html_page_where_json_was_expected_is_named() {
    let server = Hostile::start(|_, stream| {
        respond(
            stream,
            "200 OK",
            "text/html; charset=utf-8",
            b"<!DOCTYPE html><html><head><title>KubeSphere</title></head><body>Log in</body></html>",
        )
    });
    let out = server.cli().expect(&["pipelines", "list"], 3);
    assert!(out.stderr.contains("HTML page"), "{}", out.stderr);
    assert!(
        out.stderr.contains("not the KubeSphere API"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("line 1 column 1"), "{}", out.stderr);
}

/// A valid pipeline list of about `megabytes` MB, as a server that ignores paging sends it.
fn big_pipeline_list(megabytes: usize) -> Vec<u8> {
    let jenkinsfile =
        "pipeline { agent any\n stages { stage('build') { steps { sh 'make all' } } } }\n"
            .repeat(16);
    let item = |i: usize| {
        serde_json::json!({
            "apiVersion": "devops.kubesphere.io/v1alpha3",
            "kind": "Pipeline",
            "metadata": {
                "name": format!("pipeline-{i}"),
                "namespace": "demo-project",
                "annotations": {
                    "kubesphere.io/creator": "admin",
                    "pipeline.devops.kubesphere.io/syncstatus": "successful",
                    "pipeline.devops.kubesphere.io/jenkins-metadata": "{\"parameters\":[{\"name\":\"PERSON\",\"type\":\"string\",\"defaultValue\":\"stone\"}]}"
                },
                "labels": {"team": "platform", "tier": format!("t{}", i % 7)},
                "creationTimestamp": "2026-11-01T10:00:00Z",
                "uid": format!("00000000-0000-0000-0000-{i:012}")
            },
            "spec": {"type": "pipeline", "pipeline": {
                "name": format!("pipeline-{i}"),
                "description": "builds and tests the service, then publishes the image",
                "jenkinsfile": jenkinsfile
            }},
            "status": {"observedGeneration": 3}
        })
    };
    let one = item(0).to_string().len() + 1;
    let count = megabytes * 1024 * 1024 / one;
    let items: Vec<_> = (0..count).map(item).collect();
    serde_json::to_vec(&serde_json::json!({"items": items, "totalItems": count})).unwrap()
}

/// Runs the CLI to its end and gives its exit code and peak resident memory in bytes.
fn peak_rss(cli: common::Cli, args: &[&str]) -> (i32, u64) {
    // Reaped by wait4 below, which std's wait cannot replace: it gives no resource usage.
    #[allow(clippy::zombie_processes)]
    let pid = cli.spawn_quiet(args).id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss as u64 * 1024)
}

#[test]
fn a_big_list_costs_a_small_multiple_of_its_size() {
    let body = std::sync::Arc::new(big_pipeline_list(40));
    let served = body.clone();
    let server = Hostile::start(move |head, stream| {
        if head.contains("page=1&") || head.contains("page=1 ") {
            respond(stream, "200 OK", "application/json", &served);
        } else {
            respond(
                stream,
                "200 OK",
                "application/json",
                br#"{"items":[],"totalItems":0}"#,
            );
        }
    });
    for args in [&["pipelines", "list"][..], &["pipelines", "list", "--json"]] {
        let (code, peak) = peak_rss(server.cli(), args);
        assert_eq!(code, 0, "{args:?}");
        let ratio = peak as f64 / body.len() as f64;
        eprintln!(
            "{args:?}: body {:.1} MB, peak RSS {:.1} MB, {ratio:.2}x",
            body.len() as f64 / 1e6,
            peak as f64 / 1e6
        );
        assert!(
            ratio <= 10.0,
            "{args:?}: peak RSS {peak} is {ratio:.1}x the body"
        );
    }
}

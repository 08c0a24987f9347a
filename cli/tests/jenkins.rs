//! `ksdevops jenkins …` through ks-devops' proxy (a project member) and with `--admin` (at
//! Jenkins' own URL), on both layouts: every operation, the refusals, and no secret in any
//! output.

mod common;

use base64::Engine;
use common::*;
use ksdevops_sim::ApiLayout;
use std::io::{Read, Write};

/// The simulated Jenkins' admin token, read the way an administrator would, over raw HTTP.
fn admin_token(sim: &SimServer) -> String {
    let bearer = sim.admin().ok(&["login", "--print-token"]).stdout;
    let address = sim.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /api/v1/namespaces/kubesphere-devops-system/secrets/devops-jenkins HTTP/1.1\r\n\
         Host: {address}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        bearer.trim()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    let secret: serde_json::Value = serde_json::from_str(body).unwrap();
    let encoded = secret["data"]["jenkins-admin-token"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn member(sim: &SimServer) -> Cli {
    sim.bare()
        .env("KUBESPHERE_USERNAME", "stone-ns-admin")
        .env("KUBESPHERE_PASSWORD", PASSWORD)
}

/// Runs `ksdevops jenkins [--admin] args…`, keeping every output for the secret check.
struct Session<'a> {
    sim: &'a SimServer,
    admin: bool,
    seen: Vec<String>,
}

impl Session<'_> {
    fn cli(&self) -> Cli {
        if self.admin {
            self.sim
                .admin()
                .env("KSDEVOPS_JENKINS_URL", format!("{}/jenkins", self.sim.url))
        } else {
            member(self.sim)
        }
    }

    fn args<'b>(&self, args: &[&'b str]) -> Vec<&'b str> {
        let mut all = vec!["jenkins"];
        if self.admin {
            all.push("--admin");
        }
        all.extend_from_slice(args);
        all
    }

    fn ok(&mut self, args: &[&str]) -> Output {
        let out = self.cli().ok(&self.args(args));
        self.seen.push(out.all());
        out
    }

    fn expect(&mut self, args: &[&str], code: i32) -> Output {
        let out = self.cli().expect(&self.args(args), code);
        self.seen.push(out.all());
        out
    }
}

fn every_operation(session: &mut Session<'_>, label: &str) {
    let mut listed = serde_json::Value::Null;
    for _ in 0..200 {
        listed = session.ok(&["jobs", PROJECT, "--json"]).json();
        if listed.as_array().is_some_and(|jobs| jobs.len() == 4) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|j| j["name"].as_str())
        .collect();
    assert!(names.contains(&"params-demo"), "{label}: {names:?}");
    let table = session.ok(&["jobs"]);
    assert!(
        table.stdout.starts_with("NAME"),
        "{label}: {}",
        table.stdout
    );
    assert!(table.stdout.contains(PROJECT), "{label}: {}", table.stdout);

    let started = session
        .ok(&[
            "build",
            "demo-project/params-demo",
            "-p",
            "PERSON=ann",
            "--secret-param",
            "PASSWORD=hunter2",
            "--json",
        ])
        .json();
    let number = started["number"].as_u64().unwrap().to_string();
    let status = session.ok(&["status", "demo-project/params-demo", &number]);
    assert!(
        status.stdout.contains("Parameter:   PERSON=ann"),
        "{label}: {}",
        status.stdout
    );

    let go = "demo-project/go-demo-pipeline";
    let started = session.ok(&["build", go]);
    let number = started.stdout.trim().rsplit('#').next().unwrap().to_owned();
    let mut build = serde_json::Value::Null;
    for _ in 0..400 {
        build = session.ok(&["status", go, &number, "--json"]).json();
        if build["building"] == false {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(build["result"], "SUCCESS", "{label}: {build}");
    let console = session.ok(&["console", go, &number]);
    assert!(console.stdout.contains("go build"), "{label}");

    let dir = session.sim.dir.join(label);
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.to_str().unwrap();
    let saved = session.ok(&["artifact", go, &number, "service", "-o", dest]);
    assert!(
        saved.stdout.starts_with("saved "),
        "{label}: {}",
        saved.stdout
    );
    assert!(dir.join("service").is_file());
    let missing = session.expect(&["artifact", go, &number, "nothing.jar", "-o", dest], 3);
    assert!(
        missing.stderr.contains("404"),
        "{label}: {}",
        missing.stderr
    );

    let labels = session.ok(&["labels"]);
    assert!(
        labels.stdout.contains("maven"),
        "{label}: {}",
        labels.stdout
    );
}

#[test]
fn every_command_works_both_ways_on_both_layouts() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start(layout);
        let token = admin_token(&sim);
        for admin in [false, true] {
            let mut session = Session {
                sim: &sim,
                admin,
                seen: Vec::new(),
            };
            let label = format!(
                "{}-{}",
                layout.as_str(),
                if admin { "admin" } else { "proxy" }
            );
            every_operation(&mut session, &label);
            for text in &session.seen {
                assert!(!text.contains("hunter2"), "{label}: {text}");
                assert!(!text.contains(&token), "{label}: the admin token in {text}");
            }
        }
    }
}

#[test]
fn bad_names_are_usage_errors_naming_the_argument() {
    let sim = SimServer::start(ApiLayout::V4);
    for (args, field) in [
        (vec!["jenkins", "status", "../x", "1"], "job"),
        (vec!["jenkins", "console", "demo-project/a%2Fb", "1"], "job"),
        (vec!["jenkins", "jobs", "demo-project/%2e%2e"], "folder"),
        (
            vec!["jenkins", "status", "demo-project/a\u{1b}b", "1"],
            "job",
        ),
        (
            vec![
                "jenkins",
                "artifact",
                "demo-project/go",
                "1",
                "../../etc/passwd",
            ],
            "artifact",
        ),
        (vec!["jenkins", "status", "demo-project/go", "0"], "number"),
        (
            vec!["jenkins", "build", "demo-project/go", "-p", "=x"],
            "--param",
        ),
    ] {
        let out = member(&sim).expect(&args, 2);
        assert!(out.stderr.contains(field), "{args:?}: {}", out.stderr);
    }
    let jenkins_url = format!("{}/jenkins", sim.url);
    let denied = member(&sim).expect(
        &["jenkins", "--admin", "--jenkins-url", &jenkins_url, "jobs"],
        3,
    );
    assert!(denied.stderr.contains("forbidden"), "{}", denied.stderr);
    for args in [
        vec!["jenkins", "--admin", "jobs"],
        vec!["--dry-run", "jenkins", "--admin", "labels"],
    ] {
        let unknown = sim.admin().expect(&args, 2);
        assert!(
            unknown.stderr.contains("--jenkins-url")
                && unknown.stderr.contains("KSDEVOPS_JENKINS_URL"),
            "{args:?}: {}",
            unknown.stderr
        );
    }
    let bad = sim.admin().expect(
        &[
            "jenkins",
            "--admin",
            "--jenkins-url",
            "https://admin:tok3n@ci",
            "jobs",
        ],
        2,
    );
    assert!(bad.stderr.contains("--jenkins-url"), "{}", bad.stderr);
    assert!(!bad.all().contains("tok3n"), "{}", bad.all());
}

#[test]
fn a_dry_run_masks_password_parameters() {
    let sim = SimServer::start(ApiLayout::V4);
    let out = member(&sim).ok(&[
        "--dry-run",
        "jenkins",
        "build",
        "demo-project/params-demo",
        "-p",
        "PERSON=ann",
        "--secret-param",
        "PASSWORD=hunter2",
    ]);
    assert!(
        out.stdout.contains("PERSON=ann&PASSWORD=***"),
        "{}",
        out.stdout
    );
    assert!(!out.all().contains("hunter2"));
    let admin = sim.admin().ok(&[
        "--dry-run",
        "jenkins",
        "--admin",
        "--jenkins-url",
        "https://ci.example.com/jenkins/",
        "labels",
    ]);
    let lines: Vec<&str> = admin.stdout.lines().collect();
    let secret = lines.iter().find(|l| l.contains("/secrets/devops-jenkins"));
    let labels = lines
        .iter()
        .find(|l| l.ends_with("'https://ci.example.com/jenkins/labelsdashboard/labelsData'"));
    assert!(
        secret.is_some_and(|l| l.contains("Bearer ***")),
        "{}",
        admin.stdout
    );
    assert!(
        labels.is_some_and(|l| l.contains("'Authorization: ***'") && !l.contains("Bearer")),
        "the KubeSphere token never goes to Jenkins: {}",
        admin.stdout
    );
}

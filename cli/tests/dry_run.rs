//! `run --dry-run` shows the request the real command sends: the PipelineRun create, the
//! values checked and the defaults filled, password parameters masked by their definitions.

mod common;

use common::{Cli, SimServer, PROJECT};
use ksdevops_sim::ApiLayout;
use serde_json::Value;

/// A password parameter whose name says nothing, and a string parameter whose name sounds
/// secret: only the definition may decide what is masked.
const JENKINSFILE: &str = r#"pipeline {
  agent any
  parameters {
    password(name: 'GREETING', defaultValue: 'pw-default-in-the-jenkinsfile', description: 'a secret')
    string(name: 'PASSWORD_HINT', defaultValue: 'hint-default', description: 'not a secret')
    choice(name: 'COLOUR', choices: ['red', 'green'], description: '')
  }
  stages {
    stage('Say') { steps { echo "hello ${params.PASSWORD_HINT}" } }
  }
}
"#;

/// Nothing listens on port 1: any request would fail with exit 3.
fn offline() -> Cli {
    Cli::new()
        .env("KUBESPHERE_API", "http://127.0.0.1:1")
        .env("DEVOPS_PROJECT", PROJECT)
        .env("KUBESPHERE_TOKEN", "planted-token-d1")
}

fn jenkinsfile(dir: &std::path::Path) -> String {
    let path = dir.join("Jenkinsfile.greeter");
    std::fs::write(&path, JENKINSFILE).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The `spec.parameters` of the create request in a `--json` dry run.
fn sent_parameters(out: &Value) -> Vec<(String, String)> {
    let requests = out["requests"].as_array().expect("requests");
    let create = requests.last().unwrap();
    assert_eq!(create["method"], "POST");
    create["body"]["spec"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn offline_the_jenkinsfile_decides_what_is_masked_and_fills_the_defaults() {
    let dir = std::env::temp_dir().join(format!("ksdevops-dry-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = jenkinsfile(&dir);
    let args = [
        "run",
        "greeter",
        "--dry-run",
        "--jenkinsfile",
        file.as_str(),
        "-p",
        "GREETING=planted-given-pw",
        "-p",
        "PASSWORD_HINT=shown-hint",
        "--name",
        "greeter-preview",
    ];
    let out = offline().ok(&args);
    let curl = out
        .stdout
        .lines()
        .find(|l| l.starts_with("curl -X POST"))
        .unwrap();
    assert!(
        curl.contains("/namespaces/demo-project/pipelineruns'"),
        "the PipelineRun resource create: {curl}"
    );
    assert!(
        !out.stdout.contains("/pipelines/greeter/pipelineruns"),
        "{}",
        out.stdout
    );
    assert!(
        curl.contains(r#"{"name":"GREETING","value":"***"}"#),
        "{curl}"
    );
    assert!(
        curl.contains(r#"{"name":"PASSWORD_HINT","value":"shown-hint"}"#),
        "{curl}"
    );
    assert!(
        curl.contains(r#"{"name":"COLOUR","value":"red"}"#),
        "default filled: {curl}"
    );
    assert!(curl.contains(r#""name":"greeter-preview""#), "{curl}");
    assert!(!out.all().contains("planted"), "{}", out.all());

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let shown = offline().ok(&json_args);
    let parameters = sent_parameters(&shown.json());
    assert_eq!(
        parameters,
        [
            ("GREETING".to_owned(), "***".to_owned()),
            ("PASSWORD_HINT".to_owned(), "shown-hint".to_owned()),
            ("COLOUR".to_owned(), "red".to_owned()),
        ]
    );
    assert_eq!(
        shown.json()["requests"][0]["headers"]["Authorization"],
        "Bearer ***"
    );
    assert!(!shown.all().contains("planted"), "{}", shown.all());

    // Values are checked as the real run checks them.
    let unknown = offline().expect(
        &[
            "run",
            "greeter",
            "--dry-run",
            "--jenkinsfile",
            &file,
            "-p",
            "NOPE=1",
        ],
        2,
    );
    assert!(unknown.stderr.contains("NOPE"), "{}", unknown.stderr);
    let choice = offline().expect(
        &[
            "run",
            "greeter",
            "--dry-run",
            "--jenkinsfile",
            &file,
            "-p",
            "COLOUR=blue",
        ],
        2,
    );
    assert!(choice.stderr.contains("COLOUR"), "{}", choice.stderr);
    // --jenkinsfile only previews.
    let real = offline().expect(&["run", "greeter", "--jenkinsfile", &file], 2);
    assert!(real.stderr.contains("--jenkinsfile"), "{}", real.stderr);
    let branch = offline().expect(
        &[
            "run",
            "greeter",
            "--dry-run",
            "--jenkinsfile",
            &file,
            "-b",
            "main",
        ],
        2,
    );
    assert!(branch.stderr.contains("--jenkinsfile"), "{}", branch.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn against_the_server_the_fetched_definitions_decide_and_nothing_is_created() {
    let sim = SimServer::start(ApiLayout::V4);
    let file = jenkinsfile(&sim.dir);
    sim.admin()
        .ok(&["pipelines", "create", "greeter", "--jenkinsfile", &file]);
    let out = sim.admin().ok(&[
        "run",
        "greeter",
        "--dry-run",
        "-p",
        "GREETING=planted-given-pw",
        "-p",
        "PASSWORD_HINT=shown-hint",
    ]);
    let curls: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("curl"))
        .collect();
    assert!(curls[0].contains("/oauth/token") && curls[0].contains("password=***"));
    assert!(curls[1].starts_with("curl -X GET") && curls[1].ends_with("/pipelines/greeter'"));
    let create = curls.last().unwrap();
    assert!(
        create.contains("/namespaces/demo-project/pipelineruns'"),
        "{create}"
    );
    assert!(
        create.contains(r#"{"name":"GREETING","value":"***"}"#),
        "{create}"
    );
    assert!(
        create.contains(r#"{"name":"PASSWORD_HINT","value":"shown-hint"}"#),
        "{create}"
    );
    assert!(!create.contains(r#""generateName""#), "{create}");
    assert!(!out.all().contains("planted"), "{}", out.all());

    let shown = sim
        .admin()
        .ok(&[
            "run",
            "greeter",
            "--dry-run",
            "--json",
            "-p",
            "GREETING=planted-given-pw",
        ])
        .json();
    let parameters = sent_parameters(&shown);
    assert!(
        parameters.contains(&("GREETING".into(), "***".into())),
        "{parameters:?}"
    );
    assert!(
        parameters.contains(&("PASSWORD_HINT".into(), "hint-default".into())),
        "{parameters:?}"
    );
    assert!(!shown.to_string().contains("planted"));

    let bad = sim
        .admin()
        .expect(&["run", "greeter", "--dry-run", "-p", "COLOUR=blue"], 2);
    assert!(bad.stderr.contains("COLOUR"), "{}", bad.stderr);
    // A branch of a multi-branch pipeline: its definitions are read from the branch.
    let branch = sim
        .admin()
        .ok(&[
            "run",
            "multi-branch-demo",
            "-b",
            "feature/login",
            "--dry-run",
            "--json",
        ])
        .json();
    let urls: Vec<&str> = branch["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(
        urls[1].ends_with("/pipelines/multi-branch-demo"),
        "{urls:?}"
    );
    assert!(urls[2].ends_with("/branches/feature%252Flogin"), "{urls:?}");
    let scm = &branch["requests"][3]["body"]["spec"]["scm"];
    assert_eq!(scm["refType"], "branch");
    assert_eq!(scm["refName"], "feature%2Flogin");

    let runs = sim
        .admin()
        .ok(&["runs", "list", "greeter", "--json"])
        .json();
    assert_eq!(
        runs.as_array().unwrap().len(),
        0,
        "a dry run creates nothing: {runs}"
    );
}

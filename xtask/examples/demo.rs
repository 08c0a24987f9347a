//! What ksdevops does, in a few requests: each is built by the core (nothing is sent) and
//! shown as the curl command that would send it, with every secret masked.

use ksdevops::api::{build_request, ApiLayout};
use ksdevops::jenkinsfile::{check_parameters, parse_jenkinsfile};
use ksdevops::Secret;
use serde_json::{json, Value};

const SERVER: &str = "http://ks-console.example:30880";

const JENKINSFILE: &str = r#"pipeline {
    agent any
    parameters {
        choice(name: 'TARGET', choices: ['staging', 'production'], description: 'Where to deploy')
        booleanParam(name: 'DRY_RUN', defaultValue: true)
    }
    stages { stage('Deploy') { steps { echo "deploying to ${params.TARGET}" } } }
}"#;

fn main() {
    let token = Secret::new("a-bearer-token");
    let examples: [(&str, &str, Value, ApiLayout); 5] = [
        (
            "Log in (OAuth password grant; the password is masked)",
            "login",
            json!({"username": "admin", "password": "P@88w0rd"}),
            ApiLayout::V4,
        ),
        (
            "List the pipelines of a DevOps project",
            "list_pipelines",
            json!({"devops": "demo-devops"}),
            ApiLayout::V4,
        ),
        (
            "Run a multi-branch pipeline's branch with parameters",
            "create_pipeline_run",
            json!({"devops": "demo-devops", "pipeline": "app", "branch": "feat/x",
                   "parameters": [{"name": "TARGET", "value": "staging"}]}),
            ApiLayout::V4,
        ),
        (
            "The same run on a KubeSphere 3.x server, through a member cluster",
            "create_pipeline_run",
            json!({"devops": "demo-devops", "pipeline": "app", "branch": "feat/x",
                   "parameters": [{"name": "TARGET", "value": "staging"}], "cluster": "host"}),
            ApiLayout::V3,
        ),
        (
            "Follow the log of run 7",
            "get_run_log",
            json!({"devops": "demo-devops", "pipeline": "app", "run_id": "7", "start": 0}),
            ApiLayout::V4,
        ),
    ];
    let mut failures = 0;
    for (title, operation, args, layout) in examples {
        println!("# {title}  [{operation}, {}]", layout.as_str());
        match build_request(operation, &args, layout) {
            Ok(request) => println!("{}\n", request.to_curl(SERVER, Some(&token))),
            Err(e) => {
                failures += 1;
                println!("error ({}): {e}\n", e.kind());
            }
        }
    }
    if let Err(e) = jenkinsfile_to_run(&token) {
        failures += 1;
        println!("error ({}): {e}\n", e.kind());
    }
    if failures > 0 {
        std::process::exit(1);
    }
}

/// A pipeline's parameters read from its Jenkinsfile (offline: Jenkins only knows them after a
/// first build), user values checked against them, and the run request built from the result.
fn jenkinsfile_to_run(token: &Secret) -> Result<(), ksdevops::Error> {
    println!("# Parameters read from a Jenkinsfile, offline");
    let report = parse_jenkinsfile(JENKINSFILE);
    for p in report.parameters() {
        let default = p
            .default_parameter_value
            .as_ref()
            .and_then(|d| d.value.as_ref())
            .map_or("-".to_owned(), Value::to_string);
        println!("  {:<8} {:<28} default {default}", p.name, p.kind);
    }
    let definitions: Vec<_> = report.parameters().into_iter().cloned().collect();
    let values = [("TARGET".to_owned(), json!("production"))];
    let checked = check_parameters(&definitions, &values, true)?;
    let rejected = check_parameters(&definitions, &[("TARGET".to_owned(), json!("moon"))], true);
    if let Err(e) = rejected {
        println!("  TARGET=moon is refused: {e}");
    }
    println!("\n# ... and the run with TARGET=production and the defaults filled in  [create_pipeline_run, v4]");
    let args = json!({"devops": "demo-devops", "pipeline": "deploy", "parameters": checked});
    let request = build_request("create_pipeline_run", &args, ApiLayout::V4)?;
    println!("{}", request.to_curl(SERVER, Some(token)));
    Ok(())
}

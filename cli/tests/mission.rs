//! The whole mission through the binary: trigger with parameters, follow the log to the
//! input, approve it, wait, list and download the artifact; on both API layouts.

mod common;

use common::SimServer;
use ksdevops_sim::ApiLayout;

const PLANTED_PASSWORD_PARAM: &str = "planted-param-secret-6a1f";

fn mission(layout: ApiLayout) {
    let sim = SimServer::start(layout);
    let started = sim.admin().ok(&[
        "run",
        "params-demo",
        "-p",
        "PERSON=alice",
        "-p",
        "CHOICE=Two",
        "-p",
        &format!("PASSWORD={PLANTED_PASSWORD_PARAM}"),
    ]);
    let run = started.stdout.trim().to_owned();
    assert!(
        run.starts_with("params-demo-"),
        "the run name is printed: {run:?}"
    );

    let log = sim.admin().ok(&["logs", &run, "-f"]);
    assert!(log.stdout.contains("Hello alice"), "{}", log.stdout);
    assert!(log.stdout.contains("Choice: Two"), "{}", log.stdout);
    assert!(
        log.stdout.contains("Deploy to production?"),
        "stops at the input:\n{}",
        log.stdout
    );
    assert!(
        !log.stdout.contains("Deploying"),
        "nothing after the input yet"
    );
    assert!(log.stderr.contains("waiting for input"), "{}", log.stderr);

    let inputs = sim.admin().ok(&["inputs", &run]);
    assert!(
        inputs.stdout.contains("Input Deploy in stage Approve"),
        "{}",
        inputs.stdout
    );
    assert!(
        inputs.stdout.contains("staging|production"),
        "{}",
        inputs.stdout
    );
    let inputs = sim.admin().ok(&["inputs", &run, "--json"]).json();
    assert_eq!(inputs[0]["id"], "Deploy");
    assert_eq!(inputs[0]["parameters"][0]["name"], "TARGET");

    let refused = sim
        .admin()
        .expect(&["approve", &run, "-p", "TARGET=moon"], 2);
    assert!(refused.stderr.contains("TARGET"), "{}", refused.stderr);
    let approved = sim
        .admin()
        .ok(&["approve", &run, "-p", "TARGET=production"]);
    assert!(
        approved.stdout.contains("input approved"),
        "{}",
        approved.stdout
    );

    let waited = sim.admin().ok(&["wait", &run]);
    assert!(
        waited
            .stdout
            .contains(&format!("run {run} finished: succeeded")),
        "{}",
        waited.stdout
    );
    assert!(
        waited.stdout.contains("Deploy"),
        "stage table: {}",
        waited.stdout
    );

    let full_log = sim.admin().ok(&["logs", &run]);
    assert!(full_log.stdout.contains("Deploying"), "{}", full_log.stdout);
    assert!(
        full_log.stdout.trim_end().ends_with("Finished: SUCCESS"),
        "{}",
        full_log.stdout
    );
    assert!(
        full_log.stdout.starts_with(&log.stdout),
        "the followed log is a prefix of the whole log"
    );

    let as_json = sim.admin().ok(&["logs", &run, "--json"]).json();
    assert_eq!(as_json["log"].as_str(), Some(full_log.stdout.as_str()));
    sim.admin().expect(&["logs", &run, "-f", "--json"], 2);

    let artifacts = sim.admin().ok(&["artifacts", &run, "--json"]).json();
    let listed = artifacts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == "dist/report.txt")
        .unwrap_or_else(|| panic!("dist/report.txt listed: {artifacts}"))
        .clone();
    let table = sim.admin().ok(&["artifacts", &run]);
    assert!(table.stdout.contains("dist/report.txt"), "{}", table.stdout);

    let dest = sim.dir.join("out");
    std::fs::create_dir_all(&dest).unwrap();
    let downloaded = sim.admin().ok(&[
        "download",
        &run,
        "dist/report.txt",
        "-o",
        dest.to_str().unwrap(),
    ]);
    let file = dest.join("report.txt");
    let bytes = std::fs::read(&file).expect("the artifact is on disk");
    assert_eq!(bytes.len() as u64, listed["size"].as_u64().unwrap());
    assert!(String::from_utf8_lossy(&bytes).contains("dist/report.txt"));
    assert!(
        downloaded
            .stdout
            .contains(&format!("{} bytes", bytes.len())),
        "{}",
        downloaded.stdout
    );

    let runs = sim.admin().ok(&["runs", "list", "params-demo"]);
    assert!(
        runs.stdout.contains(&run) && runs.stdout.contains("succeeded"),
        "{}",
        runs.stdout
    );
    let got = sim.admin().ok(&["runs", "get", &run, "--json"]);
    let parameters = got.json()["spec"]["parameters"].clone();
    let password = parameters
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "PASSWORD")
        .expect("PASSWORD in the run's parameters");
    assert_eq!(password["value"], "***", "a password parameter is masked");
    for out in [&started, &log, &waited, &runs, &got] {
        assert!(!out.all().contains(PLANTED_PASSWORD_PARAM), "{}", out.all());
    }
    let why = sim.admin().ok(&["why", &run, "--json"]).json();
    assert_eq!(why["run"], run.as_str());
}

#[test]
fn mission_on_kubesphere_4_layout() {
    mission(ApiLayout::V4);
}

#[test]
fn mission_on_kubesphere_3_layout() {
    mission(ApiLayout::V3);
}

#[test]
fn run_follow_prints_the_log_and_run_wait_exits_by_result() {
    let sim = SimServer::start(ApiLayout::V4);
    let out = sim
        .admin()
        .ok(&["run", "go-demo-pipeline", "--follow", "--wait"]);
    assert!(out.stdout.contains("go test ./..."), "{}", out.stdout);
    assert!(out.stdout.contains("finished: succeeded"), "{}", out.stdout);
    assert!(
        out.stderr.contains("run go-demo-pipeline-"),
        "{}",
        out.stderr
    );

    // Aborted at the input: the run did not succeed, exit 1.
    let run = sim
        .admin()
        .ok(&["run", "params-demo"])
        .stdout
        .trim()
        .to_owned();
    sim.admin().ok(&["wait", &run, "--until", "paused"]);
    sim.admin().ok(&["abort", &run]);
    let waited = sim.admin().expect(&["wait", &run], 1);
    assert!(
        waited.stderr.contains(&format!("ksdevops why {run}")),
        "{}",
        waited.stderr
    );
    let json = sim.admin().expect(&["wait", &run, "--json"], 1).json();
    assert_eq!(json["succeeded"], false);
    assert_eq!(json["end"], "finished");
}

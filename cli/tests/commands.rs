//! Each command's output and exit code, through the binary, against the simulator.

mod common;

use common::{Cli, SimServer, PASSWORD};
use ksdevops_sim::ApiLayout;

#[test]
fn login_keeps_the_token_private_and_prints_no_secret() {
    let sim = SimServer::start(ApiLayout::V4);
    let token_file = sim.dir.join("token");
    let out = sim
        .admin()
        .ok(&["login", "--save-token", token_file.to_str().unwrap()]);
    assert!(
        out.stdout.contains("Logged in to") && out.stdout.contains("as admin"),
        "{}",
        out.stdout
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&token_file).unwrap()).unwrap();
    let token = saved["access_token"].as_str().unwrap().to_owned();
    assert!(token.len() > 10);
    let refresh = saved["refresh_token"].as_str().unwrap();
    assert!(
        !out.all().contains(refresh),
        "the refresh token is not printed"
    );
    assert!(!out.all().contains(&token), "the token is not printed");
    assert!(!out.all().contains(PASSWORD), "the password is not printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The saved token works for the other commands.
    let listed = sim
        .bare()
        .env("KUBESPHERE_TOKEN_FILE", &token_file)
        .ok(&["pipelines", "list", "--json"])
        .json();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.contains(&"params-demo"));

    // Printing it needs asking; the printed one works as KUBESPHERE_TOKEN.
    let printed = sim
        .admin()
        .ok(&["login", "--print-token"])
        .stdout
        .trim()
        .to_owned();
    assert!(!printed.is_empty() && !printed.contains(' '));
    sim.bare()
        .env("KUBESPHERE_TOKEN", &printed)
        .ok(&["pipelines", "get", "params-demo"]);

    // The password can come from stdin instead of the environment.
    sim.bare()
        .env("KUBESPHERE_USERNAME", "admin")
        .stdin(&format!("{PASSWORD}\n"))
        .ok(&["login", "--password-stdin"]);

    let wrong = sim
        .bare()
        .env("KUBESPHERE_USERNAME", "admin")
        .env("KUBESPHERE_PASSWORD", "planted-wrong-password")
        .expect(&["login"], 3);
    assert!(
        !wrong.all().contains("planted-wrong-password"),
        "{}",
        wrong.all()
    );
}

#[test]
fn a_planted_token_never_appears_in_output() {
    let sim = SimServer::start(ApiLayout::V4);
    let planted = "planted-token-2b7c9e";
    let out = sim
        .bare()
        .env("KUBESPHERE_TOKEN", planted)
        .expect(&["pipelines", "list"], 3);
    assert!(
        out.stderr.starts_with("ksdevops: unauthorized"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    // A dry run reads the definitions with the token: refused, as the real run would be.
    let dry = sim
        .bare()
        .env("KUBESPHERE_TOKEN", planted)
        .expect(&["run", "params-demo", "-p", "PERSON=x", "--dry-run"], 3);
    let help = Cli::new()
        .env("KUBESPHERE_TOKEN", planted)
        .env("KUBESPHERE_PASSWORD", planted)
        .ok(&["--help"]);
    for out in [out, dry, help] {
        assert!(!out.all().contains(planted), "{}", out.all());
    }
}

#[test]
fn lists_as_tables_and_json_on_both_layouts() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start(layout);
        let table = sim.admin().ok(&["pipelines", "list"]);
        let header = table.stdout.lines().next().unwrap();
        assert!(
            header.starts_with("NAME") && header.contains("SYNC"),
            "{header}"
        );
        for name in ["params-demo", "go-demo-pipeline", "multi-branch-demo"] {
            assert!(table.stdout.contains(name), "{layout:?}: {}", table.stdout);
        }

        let params = sim.admin().ok(&["params", "params-demo", "--json"]).json();
        let names: Vec<&str> = params["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["PERSON", "BIOGRAPHY", "TOGGLE", "CHOICE", "PASSWORD"]
        );
        let table = sim.admin().ok(&["params", "params-demo"]);
        assert!(table.stdout.contains("One|Two|Three"), "{}", table.stdout);
        assert!(
            !table.stdout.contains("SECRET"),
            "a password default is never shown"
        );

        // A fresh simulator indexes the repository first: wait for its two branches.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let json = sim
                .admin()
                .ok(&["branches", "multi-branch-demo", "--json"])
                .json();
            if json.as_array().unwrap().len() == 2 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "branches never indexed: {json}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        let branch = sim
            .admin()
            .ok(&[
                "params",
                "multi-branch-demo",
                "--branch",
                "feature/login",
                "--json",
            ])
            .json();
        assert_eq!(branch["origin"], "branch");
        assert_eq!(branch["parameters"][0]["name"], "GREETING");
        let missing = sim.admin().expect(&["params", "multi-branch-demo"], 2);
        assert!(missing.stderr.contains("branch"), "{}", missing.stderr);

        let branches = sim.admin().ok(&["branches", "multi-branch-demo"]);
        assert!(
            branches.stdout.contains("feature/login"),
            "{}",
            branches.stdout
        );
        assert!(
            branches.stdout.contains("feature%2Flogin"),
            "{}",
            branches.stdout
        );
        let json = sim
            .admin()
            .ok(&["branches", "multi-branch-demo", "--json"])
            .json();
        assert_eq!(json.as_array().unwrap().len(), 2);
    }
}

#[test]
fn exit_codes_scripts_can_trust() {
    let sim = SimServer::start(ApiLayout::V4);
    // 2: usage, before anything is sent.
    let unknown = sim
        .admin()
        .expect(&["run", "params-demo", "-p", "NOPE=1"], 2);
    assert!(unknown.stderr.contains("NOPE"), "{}", unknown.stderr);
    let choice = sim
        .admin()
        .expect(&["run", "params-demo", "-p", "CHOICE=Four"], 2);
    assert!(
        choice.stderr.contains("CHOICE") && choice.stderr.contains("Four"),
        "{}",
        choice.stderr
    );
    sim.admin()
        .expect(&["run", "params-demo", "-p", "PERSON"], 2);
    Cli::new().expect(&["no-such-command"], 2);
    let no_server = Cli::new()
        .env("DEVOPS_PROJECT", "p")
        .expect(&["pipelines", "list"], 2);
    assert!(
        no_server.stderr.contains("KUBESPHERE_API"),
        "{}",
        no_server.stderr
    );
    let no_project = Cli::new()
        .env("KUBESPHERE_API", &sim.url)
        .expect(&["pipelines", "list"], 2);
    assert!(
        no_project.stderr.contains("DEVOPS_PROJECT"),
        "{}",
        no_project.stderr
    );
    // 3: the server said no, or could not be reached.
    let missing = sim
        .admin()
        .expect(&["pipelines", "get", "no-such-pipeline"], 3);
    assert!(missing.stderr.contains("not_found"), "{}", missing.stderr);
    assert_eq!(missing.stderr.lines().count(), 1);
    Cli::new()
        .env("KUBESPHERE_API", "http://127.0.0.1:1")
        .env("DEVOPS_PROJECT", "p")
        .expect(&["pipelines", "list"], 3);
    let not_waiting = sim.admin().expect(&["inputs", "no-such-run"], 3);
    assert!(!not_waiting.stderr.is_empty());
}

#[test]
fn dry_run_prints_curl_with_secrets_masked_and_sends_nothing() {
    // Nothing listens on port 1: any request would fail with exit 3.
    let cli = || {
        Cli::new()
            .env("KUBESPHERE_API", "http://127.0.0.1:1")
            .env("DEVOPS_PROJECT", "demo-project")
            .env("KUBESPHERE_USERNAME", "admin")
            .env("KUBESPHERE_PASSWORD", "planted-pw-91c")
    };
    let jenkinsfile = std::env::temp_dir().join(format!("ksdevops-dry-{}", std::process::id()));
    std::fs::write(
        &jenkinsfile,
        "pipeline { agent any\n parameters { string(name: 'PERSON')\n password(name: 'PASSWORD') }\n stages { stage('s') { steps { echo 'x' } } } }\n",
    )
    .unwrap();
    let out = cli().ok(&[
        "--dry-run",
        "run",
        "params-demo",
        "--jenkinsfile",
        jenkinsfile.to_str().unwrap(),
        "-p",
        "PERSON=bob",
        "-p",
        "PASSWORD=planted-param",
    ]);
    std::fs::remove_file(&jenkinsfile).unwrap();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("curl -X POST") && lines[0].contains("/oauth/token"),
        "{}",
        out.stdout
    );
    assert!(lines[0].contains("password=***"), "{}", lines[0]);
    assert!(
        out.stdout.contains("'Authorization: Bearer ***'"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(r#"{"name":"PERSON","value":"bob"}"#),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("/namespaces/demo-project/pipelineruns'"));
    assert!(!out.all().contains("planted-pw-91c") && !out.all().contains("planted-param"));

    let v3 = cli().ok(&["pipelines", "list", "--dry-run", "--layout", "v3"]);
    assert!(
        v3.stdout
            .contains("/devops/demo-project/pipelines?page=1&limit=500"),
        "{}",
        v3.stdout
    );
    let download = cli().ok(&["download", "r1", "dist/report.txt", "--dry-run"]);
    assert!(
        download.stdout.contains("artifacts/download?filename="),
        "{}",
        download.stdout
    );
    let cred = cli().stdin("planted-cred-secret\n").ok(&[
        "credentials",
        "create",
        "git",
        "--kind",
        "basic-auth",
        "--user",
        "u",
        "--secret-stdin",
        "--dry-run",
    ]);
    assert!(
        cred.stdout.contains(r#""password":"***""#),
        "{}",
        cred.stdout
    );
    assert!(!cred.all().contains("planted-cred-secret"));
}

#[test]
fn credentials_are_created_listed_and_deleted_without_showing_secrets() {
    let sim = SimServer::start(ApiLayout::V4);
    let secret = "planted-credential-secret-55d";
    let created = sim.admin().stdin(&format!("{secret}\n")).ok(&[
        "credentials",
        "create",
        "git-cred",
        "--kind",
        "basic-auth",
        "--user",
        "robot",
        "--secret-stdin",
        "--description",
        "for git",
    ]);
    assert!(
        created
            .stdout
            .contains("credential git-cred (basic-auth) created"),
        "{}",
        created.stdout
    );
    let table = sim.admin().ok(&["credentials", "list"]);
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("git-cred"))
        .unwrap_or_else(|| panic!("{}", table.stdout));
    assert!(row.contains("basic-auth") && row.contains("robot"), "{row}");
    let json = sim.admin().ok(&["credentials", "list", "--json"]);
    for out in [&created, &table, &json] {
        assert!(!out.all().contains(secret), "{}", out.all());
    }
    sim.admin().ok(&["credentials", "delete", "git-cred"]);
    let after = sim.admin().ok(&["credentials", "list"]);
    assert!(!after.stdout.contains("git-cred"), "{}", after.stdout);
    let missing = sim
        .admin()
        .expect(&["credentials", "create", "x", "--kind", "secret-text"], 2);
    assert!(
        missing.stderr.contains("--secret-stdin"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_failing_pipeline_is_created_run_explained_and_deleted() {
    let sim = SimServer::start(ApiLayout::V4);
    let jenkinsfile = sim.dir.join("Jenkinsfile");
    std::fs::write(
        &jenkinsfile,
        "pipeline {\n  agent any\n  stages {\n    stage('Compile') {\n      steps {\n        sh 'make'\n        error 'the build broke'\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    let created = sim.admin().ok(&[
        "pipelines",
        "create",
        "broken",
        "--jenkinsfile",
        jenkinsfile.to_str().unwrap(),
    ]);
    assert!(
        created
            .stdout
            .contains("pipeline broken created (sync status: successful)"),
        "{}",
        created.stdout
    );
    let got = sim.admin().ok(&["pipelines", "get", "broken"]);
    assert!(got.stdout.contains("the build broke"), "{}", got.stdout);

    let failed = sim.admin().expect(&["run", "broken", "--wait"], 1);
    let run = failed.stdout.lines().next().unwrap().to_owned();
    assert!(
        failed.stdout.contains("finished: failed"),
        "{}",
        failed.stdout
    );
    let why = sim.admin().ok(&["why", &run]);
    assert!(why.stdout.contains("Stage: Compile"), "{}", why.stdout);
    assert!(why.stdout.contains("the build broke"), "{}", why.stdout);

    sim.admin().ok(&["pipelines", "delete", "broken"]);
    sim.admin().expect(&["pipelines", "get", "broken"], 3);
}

#[test]
fn scan_waits_for_the_scan_log() {
    let sim = SimServer::start(ApiLayout::V4);
    let out = sim.admin().ok(&["scan", "multi-branch-demo", "--wait"]);
    assert!(out.stdout.contains("Finished: SUCCESS"), "{}", out.stdout);
    let started = sim.admin().ok(&["scan", "multi-branch-demo"]);
    assert_eq!(started.stdout.trim(), "scan of multi-branch-demo started");
}

#[test]
fn jenkinsfile_params_is_the_core_report_as_json() {
    let dir = std::env::temp_dir().join(format!("ksdevops-jf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Jenkinsfile");
    let text = "pipeline { agent any\n parameters { string(name: 'WHO', defaultValue: 'me') }\n stages { stage('s') { steps { echo 'hi' } } } }\n";
    std::fs::write(&file, text).unwrap();
    let out = Cli::new().ok(&["jenkinsfile", "params", file.to_str().unwrap()]);
    let expected =
        serde_json::to_string_pretty(&ksdevops::jenkinsfile::parse_jenkinsfile(text)).unwrap();
    assert_eq!(out.stdout, format!("{expected}\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn why_names_a_missing_tool_and_a_label_no_agent_has() {
    let sim = SimServer::start(ApiLayout::V4);
    let write = |name: &str, text: &str| {
        let path = sim.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let needs_maven = write(
        "needs-maven",
        "pipeline {\n  agent any\n  stages {\n    stage('Package') {\n      steps {\n        sh 'mvn -B package'\n      }\n    }\n  }\n}\n",
    );
    sim.admin().ok(&[
        "pipelines",
        "create",
        "needs-maven",
        "--jenkinsfile",
        &needs_maven,
    ]);
    let failed = sim.admin().expect(&["run", "needs-maven", "--wait"], 1);
    let run = failed.stdout.lines().next().unwrap().to_owned();
    let why = sim.admin().ok(&["why", &run, "--json"]).json();
    assert_eq!(why["stage"], "Package", "{why}");
    assert_eq!(why["cause"]["kind"], "tool_not_found", "{why}");
    assert_eq!(why["cause"]["tool"], "mvn", "{why}");
    let text = sim.admin().ok(&["why", &run]).stdout;
    assert!(text.contains("Cause: tool not found"), "{text}");
    assert!(text.contains("mvn: not found"), "{text}");

    let wrong_label = write(
        "wrong-label",
        "pipeline {\n  agent {\n    label 'gpu'\n  }\n  stages {\n    stage('Build') {\n      steps {\n        sh 'make'\n      }\n    }\n  }\n}\n",
    );
    sim.admin().ok(&[
        "pipelines",
        "create",
        "wrong-label",
        "--jenkinsfile",
        &wrong_label,
    ]);
    let run = sim
        .admin()
        .ok(&["run", "wrong-label"])
        .stdout
        .trim()
        .to_owned();
    let mut why = serde_json::Value::Null;
    for _ in 0..100 {
        why = sim.admin().ok(&["why", &run, "--json"]).json();
        if why["cause"]["kind"] == "agent_label_not_found" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(why["cause"]["kind"], "agent_label_not_found", "{why}");
    assert_eq!(why["cause"]["label"], "gpu", "{why}");
    assert_eq!(
        why["cause"]["available"],
        serde_json::json!(["base", "go", "java", "maven", "nodejs", "python"]),
        "the labels the server offers"
    );
    sim.admin().ok(&["runs", "stop", &run]);
}

#[test]
fn watch_prints_each_change_of_a_run_as_it_happens_without_its_parameters() {
    use std::io::{BufRead, BufReader};
    let sim = SimServer::start(ApiLayout::V4);
    let mut watch = sim
        .admin()
        .spawn(&["watch", "params-demo", "--json", "--timeout", "120"]);
    let lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let started = sim
        .admin()
        .ok(&[
            "run",
            "params-demo",
            "-p",
            "PASSWORD=hunter2-secret",
            "--json",
        ])
        .json();
    let run = started["metadata"]["name"].as_str().unwrap().to_owned();

    let mut seen: Vec<serde_json::Value> = Vec::new();
    for line in lines {
        let change: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        assert_eq!(change["pipeline"], "params-demo", "{change}");
        if change["run"] != run.as_str() {
            continue;
        }
        seen.push(change);
        if seen.last().unwrap()["phase"] == "Pending" {
            break; // paused at its input: the run went through its changes
        }
    }
    let _ = watch.kill();
    let _ = watch.wait();
    let stderr = {
        let mut text = String::new();
        use std::io::Read;
        let _ = watch.stderr.take().unwrap().read_to_string(&mut text);
        text
    };
    assert_eq!(
        seen.first().map(|c| c["change"].clone()),
        Some("added".into()),
        "{seen:?}"
    );
    assert!(
        seen.iter().skip(1).all(|c| c["change"] == "modified"),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|c| c["build"].is_string()),
        "the build number shows: {seen:?}"
    );
    let printed = format!("{seen:?}{stderr}");
    assert!(
        !printed.contains("hunter2-secret"),
        "no parameter value is printed"
    );
}

#[test]
fn watch_refuses_zero_events() {
    let sim = SimServer::start(ApiLayout::V4);
    let out = sim.admin().expect(&["watch", "--events", "0"], 2);
    assert!(out.stderr.contains("--events"), "{}", out.stderr);
}

#[test]
fn a_stopped_run_reads_as_aborted_though_its_phase_says_failed() {
    let sim = SimServer::start(ApiLayout::V4);
    let run = sim
        .admin()
        .ok(&["run", "params-demo", "-p", "PASSWORD=hunter2-secret"])
        .stdout
        .trim()
        .to_owned();
    let paused = sim.admin().ok(&["wait", &run, "--until", "paused"]);
    assert!(
        paused.stdout.contains("waiting for input"),
        "{}",
        paused.stdout
    );
    sim.admin().ok(&["runs", "stop", &run]);
    let waited = sim.admin().expect(&["wait", &run], 1);
    assert!(
        waited
            .stdout
            .contains(&format!("run {run} finished: aborted")),
        "{}",
        waited.stdout
    );
    let got = sim.admin().ok(&["runs", "get", &run]);
    assert!(got.stdout.contains("Phase:     Failed"), "{}", got.stdout);
    assert!(got.stdout.contains("State:     aborted"), "{}", got.stdout);
    let listed = sim.admin().ok(&["runs", "list", "params-demo"]);
    let row = listed.stdout.lines().find(|l| l.starts_with(&run)).unwrap();
    assert!(row.contains("Failed") && row.contains("aborted"), "{row}");
    let json = sim.admin().expect(&["wait", &run, "--json"], 1).json();
    assert_eq!(json["state"], "aborted", "{json}");
}

//! Pipelines end to end through the binary: a changed Jenkinsfile, and the
//! private-repository multi-branch flow from `pipelines create --git-url`.

mod common;

use common::{Cli, SimServer, PROJECT};
use ksdevops_sim::ApiLayout;
use std::path::Path;
use std::process::Command;

const ONE_PARAMETER: &str = "pipeline {\n  agent any\n  parameters { string(name: 'PERSON', defaultValue: 'me') }\n  stages { stage('s') { steps { echo \"hi ${params.PERSON}\" } } }\n}\n";
const TWO_PARAMETERS: &str = "pipeline {\n  agent any\n  parameters {\n    string(name: 'PERSON', defaultValue: 'me')\n    choice(name: 'MOOD', choices: ['calm', 'loud'])\n  }\n  stages { stage('s') { steps { echo \"hi ${params.PERSON}, ${params.MOOD}\" } } }\n}\n";

fn parameter_names(out: &common::Output) -> Vec<String> {
    out.json()["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn pipelines_update_changes_the_jenkinsfile_and_the_description() {
    let sim = SimServer::start(ApiLayout::V4);
    let file = sim.dir.join("Jenkinsfile.one");
    std::fs::write(&file, ONE_PARAMETER).unwrap();
    sim.admin().ok(&[
        "pipelines",
        "create",
        "editable",
        "--jenkinsfile",
        file.to_str().unwrap(),
    ]);
    let before = sim.admin().ok(&["params", "editable", "--json"]);
    assert_eq!(parameter_names(&before), ["PERSON"]);

    // The new Jenkinsfile from standard input.
    let out = sim.admin().stdin(TWO_PARAMETERS).ok(&[
        "pipelines",
        "update",
        "editable",
        "--jenkinsfile",
        "-",
    ]);
    assert!(
        out.stdout
            .contains("pipeline editable updated (sync status: successful)"),
        "{}",
        out.stdout
    );
    let after = sim.admin().ok(&["params", "editable", "--json"]);
    assert_eq!(parameter_names(&after), ["PERSON", "MOOD"]);

    let described = sim
        .admin()
        .ok(&[
            "pipelines",
            "update",
            "editable",
            "--description",
            "edited",
            "--json",
        ])
        .json();
    assert_eq!(described["spec"]["pipeline"]["description"], "edited");
    assert_eq!(described["spec"]["pipeline"]["jenkinsfile"], TWO_PARAMETERS);
    let run = sim
        .admin()
        .ok(&["run", "editable", "-p", "MOOD=loud", "--wait"]);
    let name = run.stdout.lines().next().unwrap().to_owned();
    assert!(sim
        .admin()
        .ok(&["logs", &name])
        .stdout
        .contains("hi me, loud"));

    let broken = sim.admin().stdin("pipeline { stages {").expect(
        &["pipelines", "update", "editable", "--jenkinsfile", "-"],
        3,
    );
    assert!(
        broken.stderr.contains("could not read"),
        "{}",
        broken.stderr
    );
    let nothing = sim.admin().expect(&["pipelines", "update", "editable"], 2);
    assert!(
        nothing.stderr.contains("--description"),
        "{}",
        nothing.stderr
    );
    let dry = sim.admin().stdin(ONE_PARAMETER).ok(&[
        "pipelines",
        "update",
        "editable",
        "--jenkinsfile",
        "-",
        "--dry-run",
    ]);
    assert!(
        dry.stdout.contains("curl -X PUT")
            && dry
                .stdout
                .contains("/pipelines/editable/jenkinsfile?mode=raw"),
        "{}",
        dry.stdout
    );
}

const REPO_JENKINSFILE: &str = "pipeline {\n  agent any\n  parameters { string(name: 'TARGET', defaultValue: 'staging') }\n  stages { stage('Deploy') { steps { echo \"deploying to ${params.TARGET}\" } } }\n}\n";

/// A git repository with a Jenkinsfile on `main` and a tag `v1`, as a file:// URL.
fn git_repository(dir: &Path) -> String {
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-C"])
            .arg(dir)
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    std::fs::create_dir_all(dir).unwrap();
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("Jenkinsfile"), REPO_JENKINSFILE).unwrap();
    git(&["add", "Jenkinsfile"]);
    git(&["commit", "-q", "-m", "pipeline"]);
    git(&["tag", "v1"]);
    format!("file://{}", dir.display())
}

#[test]
fn a_private_repository_flow_from_the_command_line() {
    let sim = SimServer::start(ApiLayout::V4);
    let url = git_repository(&sim.dir.join("repo"));
    sim.admin().stdin("planted-repo-secret\n").ok(&[
        "credentials",
        "create",
        "repo-cred",
        "--kind",
        "basic-auth",
        "--user",
        "git",
        "--secret-stdin",
    ]);
    let created = sim.admin().ok(&[
        "pipelines",
        "create",
        "private-app",
        "--git-url",
        &url,
        "--credential",
        "repo-cred",
        "--discover-tags",
        "--description",
        "from the CLI",
        "--timeout",
        "60",
    ]);
    assert!(
        created
            .stdout
            .contains("pipeline private-app created (sync status: successful)"),
        "{}",
        created.stdout
    );
    let stored = sim
        .admin()
        .ok(&["pipelines", "get", "private-app", "--json"])
        .json();
    let mb = &stored["spec"]["multi_branch_pipeline"];
    assert_eq!(stored["spec"]["type"], "multi-branch-pipeline");
    assert_eq!(mb["source_type"], "git");
    assert_eq!(mb["script_path"], "Jenkinsfile");
    assert_eq!(mb["description"], "from the CLI");
    assert_eq!(mb["git_source"]["url"], url.as_str());
    assert_eq!(mb["git_source"]["credential_id"], "repo-cred");
    assert_eq!(mb["git_source"]["discover_tags"], true);
    assert_eq!(
        stored["metadata"]["annotations"]["kubesphere.io/creator"],
        "admin"
    );

    let scan = sim
        .admin()
        .ok(&["scan", "private-app", "--wait", "--timeout", "60"]);
    assert!(scan.stdout.contains("Finished: SUCCESS"), "{}", scan.stdout);
    let mut branches = Vec::new();
    for _ in 0..100 {
        let listed = sim
            .admin()
            .ok(&["branches", "private-app", "--json"])
            .json();
        branches = listed
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["rawName"].as_str().or(b["name"].as_str()))
            .map(str::to_owned)
            .collect();
        if branches.len() >= 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    branches.sort();
    assert_eq!(branches, ["main", "v1"]);

    // The branch has parameters once its first build (started by the indexing) has read
    // the Jenkinsfile.
    let mut names = Vec::new();
    for _ in 0..600 {
        let params = sim
            .admin()
            .ok(&["params", "private-app", "-b", "main", "--json"]);
        names = parameter_names(&params);
        if !names.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(names, ["TARGET"]);
    let run = sim.admin().ok(&[
        "run",
        "private-app",
        "-b",
        "main",
        "-p",
        "TARGET=prod",
        "--wait",
        "--timeout",
        "60",
    ]);
    let name = run.stdout.lines().next().unwrap().to_owned();
    let log = sim.admin().ok(&["logs", &name]).stdout;
    assert!(log.contains("deploying to prod"), "{log}");
    let tagged = sim
        .admin()
        .ok(&["run", "private-app", "--tag", "v1", "--wait"]);
    let tag_run = tagged.stdout.lines().next().unwrap().to_owned();
    assert!(sim
        .admin()
        .ok(&["logs", &tag_run])
        .stdout
        .contains("deploying to staging"));
    assert!(!run.all().contains("planted") && !created.all().contains("planted"));
}

#[test]
fn bad_repository_flags_are_refused_naming_the_flag_before_anything_is_sent() {
    // Nothing listens on port 1: anything sent would end with exit 3.
    let cli = || {
        Cli::new()
            .env("KUBESPHERE_API", "http://127.0.0.1:1")
            .env("DEVOPS_PROJECT", PROJECT)
            .env("KUBESPHERE_TOKEN", "t")
    };
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--git-url",
                "https://g/a/b.git",
                "--jenkinsfile",
                "Jenkinsfile",
            ],
            "--git-url",
        ),
        (
            &["--git-url", "https://g/a/b.git", "--from-json", "p.json"],
            "--git-url",
        ),
        (
            &[
                "--source",
                "svn",
                "--git-url",
                "svn://s/app",
                "--discover-tags",
            ],
            "--discover-tags",
        ),
        (
            &[
                "--source",
                "svn",
                "--git-url",
                "svn://s/app",
                "--discover-branches",
                "all",
            ],
            "--discover-branches",
        ),
        (
            &[
                "--git-url",
                "https://g/a.git",
                "--discover-branches",
                "only-prs",
            ],
            "--discover-branches",
        ),
        (
            &[
                "--source",
                "github",
                "--git-url",
                "https://github.com/lonely",
            ],
            "--git-url",
        ),
        (&["--git-url", "https://me:planted-pw@g/a.git"], "--git-url"),
        (&["--credential", "repo-cred"], "--credential"),
        (
            &["--git-url", "https://g/a.git", "--credential", "../x"],
            "--credential",
        ),
        (
            &[
                "--git-url",
                "https://g/a.git",
                "--script-path",
                "../Jenkinsfile",
            ],
            "--script-path",
        ),
        (&["--source", "gitlab"], "--git-url"),
    ];
    for (flags, named) in cases {
        let mut args = vec!["pipelines", "create", "app"];
        args.extend_from_slice(flags);
        let out = cli().run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(named),
            "{args:?} names {named}: {}",
            out.stderr
        );
        assert!(!out.all().contains("planted"), "{}", out.all());
    }
    let shown = cli()
        .ok(&[
            "pipelines",
            "create",
            "app",
            "--source",
            "github",
            "--git-url",
            "https://github.com/kubesphere/devops-java-sample.git",
            "--discover-branches",
            "all",
            "--dry-run",
            "--json",
        ])
        .json();
    let body = &shown["requests"][0]["body"];
    let github = &body["spec"]["multi_branch_pipeline"]["github_source"];
    assert_eq!(
        body["spec"]["multi_branch_pipeline"]["source_type"],
        "github"
    );
    assert_eq!(github["owner"], "kubesphere");
    assert_eq!(github["repo"], "devops-java-sample");
    assert_eq!(github["discover_branches"], 3);
}

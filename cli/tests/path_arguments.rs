//! Every name that becomes a path segment, query value or header is checked before anything
//! is sent: `../`, `%2F`, unicode and control characters in pipeline, run, branch, tag,
//! project, workspace, cluster and credential names are refused with exit 2, naming the
//! argument, and the server never sees a connection.

mod common;

use common::Cli;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A loopback listener that only counts the connections made to it.
struct Witness {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Witness {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counted.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Witness { url, connections }
    }

    fn cli(&self) -> Cli {
        Cli::new()
            .env("KUBESPHERE_API", &self.url)
            .env("DEVOPS_PROJECT", common::PROJECT)
            .env("KUBESPHERE_USERNAME", "admin")
            .env("KUBESPHERE_PASSWORD", "planted-password-5e")
    }
}

const BAD: &[&str] = &[
    "../etc",
    "..",
    "a%2Fb",
    "a%2e%2e",
    "caf\u{e9}",
    "\u{202e}evil",
    "a\nb",
    "a\u{7}b",
    "a\tb",
    "a/b/../../c",
    "",
];

/// Each command with `{}` where the bad value goes, and the word the refusal must name.
const PLACES: &[(&[&str], &str)] = &[
    (&["params", "{}"], "pipeline"),
    (&["pipelines", "get", "{}"], "pipeline"),
    (&["pipelines", "delete", "{}"], "pipeline"),
    (
        &["pipelines", "update", "{}", "--description", "x"],
        "pipeline",
    ),
    (
        &["pipelines", "create", "{}", "--git-url", "https://g/a.git"],
        "pipeline",
    ),
    (&["branches", "{}"], "pipeline"),
    (&["scan", "{}"], "pipeline"),
    (&["watch", "{}", "--events", "1"], "pipeline"),
    (&["run", "{}"], "pipeline"),
    (&["run", "{}", "--dry-run"], "pipeline"),
    (&["runs", "list", "{}"], "pipeline"),
    (&["run", "params-demo", "--name", "{}"], "run"),
    (&["runs", "get", "{}"], "run"),
    (&["runs", "stop", "{}"], "run"),
    (&["runs", "replay", "{}"], "run"),
    (&["logs", "{}"], "run"),
    (&["wait", "{}"], "run"),
    (&["inputs", "{}"], "run"),
    (&["approve", "{}"], "run"),
    (&["abort", "{}"], "run"),
    (&["artifacts", "{}"], "run"),
    (&["why", "{}"], "run"),
    (&["download", "{}", "report.txt"], "run"),
    (&["credentials", "delete", "{}"], "credential"),
    (
        &[
            "pipelines",
            "create",
            "app",
            "--git-url",
            "https://g/a.git",
            "--credential",
            "{}",
        ],
        "--credential",
    ),
    (&["projects", "get", "{}", "-w", "demo"], "devops"),
    (
        &["projects", "get", "demo-project", "-w", "{}"],
        "workspace",
    ),
    (&["projects", "delete", "{}", "-w", "demo"], "devops"),
    (&["pipelines", "list", "-n", "{}"], "devops"),
    (&["runs", "get", "r1", "-n", "{}"], "devops"),
    (&["pipelines", "list", "--cluster", "{}"], "cluster"),
];

/// Branch and tag names may hold `/` (`feature/login`), but not these.
const BAD_REFS: &[&str] = &["..", "../..", "a\nb", "a\u{7}b", "", "a%2Fb/.."];

const REF_PLACES: &[(&[&str], &str)] = &[
    (&["params", "multi-branch-demo", "-b", "{}"], "branch"),
    (&["runs", "list", "multi-branch-demo", "-b", "{}"], "branch"),
    (&["run", "multi-branch-demo", "-b", "{}"], "branch"),
    (&["run", "multi-branch-demo", "--tag", "{}"], "tag"),
];

fn check(witness: &Witness, places: &[(&[&str], &str)], values: &[&str]) {
    for (template, named) in places {
        for value in values {
            let args: Vec<&str> = template
                .iter()
                .map(|a| if *a == "{}" { *value } else { *a })
                .collect();
            let out = witness.cli().run(&args);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains(named),
                "{args:?} names {named}: {}",
                out.stderr
            );
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
            assert!(!out.all().contains("planted"), "{}", out.all());
            assert_eq!(
                witness.connections.load(Ordering::SeqCst),
                0,
                "{args:?} sent something"
            );
        }
    }
}

#[test]
fn bad_names_are_refused_naming_the_argument_and_nothing_is_sent() {
    let witness = Witness::start();
    check(&witness, PLACES, BAD);
}

#[test]
fn bad_branch_and_tag_names_are_refused_and_nothing_is_sent() {
    let witness = Witness::start();
    check(&witness, REF_PLACES, BAD_REFS);
}

//! `ksdevops projects …`: a workspace's DevOps projects end to end, without a DevOps project
//! set and with the layout detected from the workspace.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;

#[test]
fn projects_are_created_listed_updated_and_deleted_on_both_layouts() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start(layout);
        let admin = || {
            Cli::new()
                .env("KUBESPHERE_API", &sim.url)
                .env("KUBESPHERE_USERNAME", "admin")
                .env("KUBESPHERE_PASSWORD", PASSWORD)
                .env("KUBESPHERE_WORKSPACE", "demo")
        };

        let created = admin().ok(&["projects", "create", "team-a"]);
        assert!(
            created.stdout.contains("Creator:       admin"),
            "{}",
            created.stdout
        );

        let table = admin().ok(&["projects", "list"]);
        let header = table.stdout.lines().next().unwrap();
        assert!(
            header.starts_with("NAME") && header.contains("CREATOR"),
            "{header}"
        );
        for name in ["team-a", PROJECT] {
            assert!(table.stdout.contains(name), "{layout:?}: {}", table.stdout);
        }

        admin().ok(&[
            "projects",
            "update",
            "team-a",
            "--description",
            "the A team",
            "--alias",
            "Team A",
        ]);
        let read = admin().ok(&["projects", "get", "team-a", "--json"]).json();
        let notes = &read["metadata"]["annotations"];
        assert_eq!(notes["kubesphere.io/description"], "the A team");
        assert_eq!(notes["kubesphere.io/alias-name"], "Team A");
        assert_eq!(notes["kubesphere.io/creator"], "admin");

        let deleted = admin().ok(&["projects", "delete", "team-a"]);
        assert!(
            deleted.stdout.contains("team-a deleted"),
            "{}",
            deleted.stdout
        );
        let gone = admin().expect(&["projects", "get", "team-a"], 3);
        assert!(
            gone.stderr.contains("not_found") || gone.stderr.contains("not found"),
            "{}",
            gone.stderr
        );

        let nothing = admin().expect(&["projects", "update", "team-a"], 2);
        assert!(
            nothing.stderr.contains("--description"),
            "{}",
            nothing.stderr
        );
        let bad = admin().expect(&["projects", "create", "Team_A"], 2);
        assert!(bad.stderr.contains("devops"), "{}", bad.stderr);
        let no_workspace = sim.admin().expect(&["projects", "list"], 2);
        assert!(
            no_workspace.stderr.contains("--workspace"),
            "{}",
            no_workspace.stderr
        );
    }
}

#[test]
fn a_dry_run_shows_the_request_of_the_layout() {
    let out = Cli::new()
        .env("KUBESPHERE_API", "https://ks.example.com")
        .ok(&[
            "projects",
            "create",
            "team-a",
            "-w",
            "demo",
            "--layout",
            "v3",
            "--dry-run",
        ]);
    assert!(
        out.stdout.contains(
            "https://ks.example.com/kapis/devops.kubesphere.io/v1alpha3/workspaces/demo/devops"
        ),
        "{}",
        out.stdout
    );
}

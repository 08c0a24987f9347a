//! `ksdevops git-repos …`: the project's GitRepository resources end to end.

mod common;

use common::*;
use ksdevops_sim::ApiLayout;

#[test]
fn git_repositories_are_created_listed_shown_and_deleted() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start(layout);
        let created = sim.admin().ok(&[
            "git-repos",
            "create",
            "app",
            "--provider",
            "github",
            "--url",
            "https://github.com/acme/app.git",
            "--credential",
            "github-token",
        ]);
        assert!(
            created.stdout.contains("Creator:     admin"),
            "{}",
            created.stdout
        );
        let table = sim.admin().ok(&["git-repos", "list"]);
        assert!(table.stdout.starts_with("NAME"), "{}", table.stdout);
        assert!(
            table.stdout.contains("https://github.com/acme/app.git"),
            "{layout:?}"
        );
        let shown = sim
            .admin()
            .ok(&["git-repos", "get", "app", "--json"])
            .json();
        assert_eq!(shown["spec"]["secret"]["name"], "github-token");
        sim.admin().ok(&["git-repos", "delete", "app"]);
        let gone = sim.admin().expect(&["git-repos", "get", "app"], 3);
        assert!(gone.stderr.contains("not found"), "{}", gone.stderr);
    }
}

#[test]
fn bad_values_are_usage_errors_naming_the_argument() {
    let sim = SimServer::start(ApiLayout::V4);
    let out = sim.admin().expect(
        &["git-repos", "create", "app", "--url", "file:///etc/passwd"],
        2,
    );
    assert!(out.stderr.contains("url"), "{}", out.stderr);
    let out = sim.admin().expect(&["git-repos", "get", "../app"], 2);
    assert!(out.stderr.contains("git_repository"), "{}", out.stderr);
}

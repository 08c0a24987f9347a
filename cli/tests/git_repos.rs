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

#[test]
fn update_changes_only_what_is_given_and_keeps_the_rest() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = SimServer::start(layout);
        sim.admin().ok(&[
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
        let moved = sim
            .admin()
            .ok(&[
                "git-repos",
                "update",
                "app",
                "--url",
                "git@gitlab.example.com:acme/app.git",
                "--provider",
                "gitlab",
                "--json",
            ])
            .json();
        assert_eq!(moved["spec"]["url"], "git@gitlab.example.com:acme/app.git");
        assert_eq!(moved["spec"]["provider"], "gitlab");
        assert_eq!(
            moved["spec"]["secret"]["name"], "github-token",
            "{layout:?}: the credential is kept"
        );
        let read = sim
            .admin()
            .ok(&["git-repos", "get", "app", "--json"])
            .json();
        assert_eq!(
            read["spec"], moved["spec"],
            "{layout:?}: the server kept it"
        );
        assert_eq!(
            read["metadata"]["annotations"]["kubesphere.io/creator"], "admin",
            "{layout:?}: an update keeps the creator"
        );

        let shown = sim
            .admin()
            .ok(&["git-repos", "update", "app", "--no-credential"]);
        assert!(shown.stdout.contains("Credential:  -"), "{}", shown.stdout);
        let read = sim
            .admin()
            .ok(&["git-repos", "get", "app", "--json"])
            .json();
        assert!(read["spec"].get("secret").is_none(), "{read}");
        sim.admin()
            .ok(&["git-repos", "update", "app", "--credential", "other-token"]);
        let read = sim
            .admin()
            .ok(&["git-repos", "get", "app", "--json"])
            .json();
        assert_eq!(read["spec"]["secret"]["name"], "other-token");
    }
}

#[test]
fn update_refusals_name_the_argument_and_send_nothing() {
    let sim = SimServer::start(ApiLayout::V4);
    for (args, named) in [
        (vec!["git-repos", "update", "app"], "nothing to change"),
        (
            vec!["git-repos", "update", "app", "--url", "file:///etc/passwd"],
            "url",
        ),
        (
            vec!["git-repos", "update", "../app", "--provider", "git"],
            "git_repository",
        ),
        (
            vec!["git-repos", "update", "app", "--credential", "a/../b"],
            "secret",
        ),
        (
            vec!["git-repos", "update", "app", "--provider", ""],
            "provider",
        ),
    ] {
        let out = sim.admin().expect(&args, 2);
        assert!(out.stderr.contains(named), "{args:?}: {}", out.stderr);
    }
    let missing = sim
        .admin()
        .expect(&["git-repos", "update", "nothing", "--provider", "git"], 3);
    assert!(missing.stderr.contains("not found"), "{}", missing.stderr);
    let dry = sim.admin().ok(&[
        "--dry-run",
        "git-repos",
        "update",
        "app",
        "--provider",
        "gitlab",
    ]);
    assert!(
        dry.stdout.contains("curl -X GET") && dry.stdout.contains("/gitrepositories/app'"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("# then: PUT"), "{}", dry.stdout);
}

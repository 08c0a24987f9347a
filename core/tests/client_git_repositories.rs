//! GitRepository resources end to end through the client, on both layouts.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use ksdevops::api::{ApiLayout, GitRepositoryInput};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_git_repository_is_created_listed_updated_and_deleted() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);
        let input = GitRepositoryInput {
            name: "app",
            provider: "github",
            url: "https://github.com/acme/app.git",
            secret: Some("github-token"),
        };
        let created = client.create_git_repository(&input).await.unwrap();
        assert_eq!(created.name(), Some("app"));
        assert_eq!(
            created.metadata.annotation("kubesphere.io/creator"),
            Some("admin"),
            "{layout:?}"
        );
        assert_eq!(created.spec.secret.as_ref().unwrap().name, "github-token");

        let listed = client.git_repositories().await.unwrap();
        assert_eq!(listed.len(), 1, "{layout:?}");
        assert_eq!(listed[0].spec.url.as_deref(), Some(input.url));

        let mut repository = client.get_git_repository("app").await.unwrap();
        repository.spec.url = Some("git@github.com:acme/app.git".into());
        client.update_git_repository(&repository).await.unwrap();
        let read = client.get_git_repository("app").await.unwrap();
        assert_eq!(
            read.spec.url.as_deref(),
            Some("git@github.com:acme/app.git")
        );
        assert_eq!(
            read.metadata.annotation("kubesphere.io/creator"),
            Some("admin")
        );

        let again = client.create_git_repository(&input).await.unwrap_err();
        assert!(again.status().is_some(), "{again}");

        client.delete_git_repository("app").await.unwrap();
        let gone = client.get_git_repository("app").await.unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound, "{gone}");
        assert!(client.git_repositories().await.unwrap().is_empty());

        let bad = GitRepositoryInput {
            url: "file:///etc/passwd",
            ..input
        };
        let err = client.create_git_repository(&bad).await.unwrap_err();
        assert_eq!(err.field(), Some("url"), "{err}");
        let err = client.get_git_repository("../app").await.unwrap_err();
        assert_eq!(err.field(), Some("git_repository"), "{err}");
        sim.shutdown().await;
    }
}

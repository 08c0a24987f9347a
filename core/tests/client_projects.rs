//! DevOps projects end to end through the client: create (naming its creator), list, read,
//! update, delete, on both layouts.
#![cfg(feature = "reqwest")]

mod client_support;

use client_support::*;
use futures_util::{StreamExt, TryStreamExt};
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, Client, ClientConfig};
use ksdevops::model::annotations;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::ErrorKind;
use ksdevops_sim::FaultConfig;

const WORKSPACE: &str = "demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_is_created_listed_updated_and_deleted() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let client = admin(&sim);

        let created = client.create_project(WORKSPACE, "team-a").await.unwrap();
        assert_eq!(created.name(), Some("team-a"));
        assert_eq!(created.creator(), Some("admin"), "{layout:?}");
        assert_eq!(created.workspace(), Some(WORKSPACE));

        let names: Vec<String> = client
            .projects(WORKSPACE)
            .map_ok(|p| p.name().unwrap_or_default().to_owned())
            .try_collect()
            .await
            .unwrap();
        assert!(names.contains(&"team-a".to_owned()), "{names:?}");
        assert!(names.contains(&PROJECT.to_owned()), "{names:?}");

        let mut project = client.get_project(WORKSPACE, "team-a").await.unwrap();
        project
            .metadata
            .annotations
            .insert(annotations::DESCRIPTION.into(), "the A team".into());
        let updated = client.update_project(WORKSPACE, &project).await.unwrap();
        assert_eq!(
            updated.metadata.annotation(annotations::DESCRIPTION),
            Some("the A team")
        );
        let read = client.get_project(WORKSPACE, "team-a").await.unwrap();
        assert_eq!(
            read.metadata.annotation(annotations::DESCRIPTION),
            Some("the A team")
        );
        assert_eq!(read.creator(), Some("admin"), "an update keeps the creator");

        let taken = client
            .create_project(WORKSPACE, "team-a")
            .await
            .unwrap_err();
        assert_eq!(taken.kind(), ErrorKind::Conflict, "{taken}");

        client.delete_project(WORKSPACE, "team-a").await.unwrap();
        let gone = client.get_project(WORKSPACE, "team-a").await.unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound, "{gone}");
        let bad = client.get_project(WORKSPACE, "Team_A").await.unwrap_err();
        assert_eq!(bad.field(), Some("devops"));
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_without_a_project_finds_the_layout_from_the_workspace() {
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let sim = sim(layout, FaultConfig::default()).await;
        let transport = ReqwestTransport::new(ReqwestConfig::new(sim.url())).unwrap();
        let config = config(Auth::password("admin", PASSWORD));
        let client = Client::new(
            transport,
            ClientConfig {
                devops: String::new(),
                ..config
            },
        )
        .unwrap();
        let names: Vec<String> = client
            .projects(WORKSPACE)
            .map_ok(|p| p.name().unwrap_or_default().to_owned())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(names, [PROJECT], "{layout:?}");
        assert_eq!(client.layout().await.unwrap(), layout);

        let created = client.create_project(WORKSPACE, "team-b").await.unwrap();
        let mut project = client.get_project(WORKSPACE, "team-b").await.unwrap();
        project
            .metadata
            .annotations
            .insert(annotations::ALIAS_NAME.into(), "B".into());
        client.update_project(WORKSPACE, &project).await.unwrap();
        client.delete_project(WORKSPACE, "team-b").await.unwrap();
        assert_eq!(created.creator(), Some("admin"));

        let without = client.get_pipeline("params-demo").await.unwrap_err();
        assert_eq!(without.field(), Some("devops"), "{without}");
        let missing: Vec<_> = client.projects("no-such-workspace").collect().await;
        assert!(missing.iter().all(|r| r.is_err()), "{missing:?}");
        sim.shutdown().await;
    }
}

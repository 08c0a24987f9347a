//! `login --save-token` keeps the refresh token; a later command whose access token has
//! expired renews it and rewrites the file instead of failing.

mod common;

use common::SimServer;
use ksdevops_sim::{ApiLayout, SimConfig};
use serde_json::Value;
use std::time::Duration;

/// Tokens live `seconds` of wall time (the simulated clock runs at real speed).
fn short_lived(seconds: u64) -> SimServer {
    let mut config = SimConfig::demo().with_layout(ApiLayout::V4).with_speed(1.0);
    config.scenario.token_ttl_seconds = seconds;
    SimServer::start_with(config)
}

fn saved(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("the token file is JSON")
}

#[test]
fn an_expired_saved_token_is_renewed_and_the_file_rewritten() {
    let sim = short_lived(2);
    let path = sim.dir.join("token.json");
    let login = sim
        .admin()
        .ok(&["login", "--save-token", path.to_str().unwrap()]);
    let first = saved(&path);
    let (access, refresh) = (
        first["access_token"].as_str().unwrap().to_owned(),
        first["refresh_token"].as_str().unwrap().to_owned(),
    );
    assert!(!access.is_empty() && !refresh.is_empty());
    assert_eq!(first["expires_in"], 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    std::thread::sleep(Duration::from_millis(2500));
    let listed = sim
        .bare()
        .env("KUBESPHERE_TOKEN_FILE", &path)
        .ok(&["pipelines", "list"]);
    assert!(listed.stdout.contains("params-demo"), "{}", listed.stdout);
    let renewed = saved(&path);
    let new_access = renewed["access_token"].as_str().unwrap().to_owned();
    let new_refresh = renewed["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(new_access, access, "the file holds the new access token");
    assert_ne!(new_refresh, refresh, "and the new refresh token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "still private after the rewrite");
    }
    // The renewed token works at once, without another renewal.
    sim.bare()
        .env("KUBESPHERE_TOKEN_FILE", &path)
        .ok(&["pipelines", "get", "params-demo"]);
    assert_eq!(saved(&path)["access_token"], new_access.as_str());

    for out in [&login, &listed] {
        for token in [&access, &refresh, &new_access, &new_refresh] {
            assert!(!out.all().contains(token.as_str()), "a token was printed");
        }
    }
}

#[test]
fn a_token_that_cannot_be_renewed_fails_saying_so() {
    let sim = short_lived(1);
    let path = sim.dir.join("token.json");
    sim.admin()
        .ok(&["login", "--save-token", path.to_str().unwrap()]);
    let access = saved(&path)["access_token"].as_str().unwrap().to_owned();

    // A bare access token (the older format, or another tool's): nothing to renew with.
    let bare = sim.dir.join("bare-token");
    std::fs::write(&bare, format!("{access}\n")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let out = sim
        .bare()
        .env("KUBESPHERE_TOKEN_FILE", &bare)
        .expect(&["pipelines", "list"], 3);
    assert!(out.stderr.contains("unauthorized"), "{}", out.stderr);

    // A refresh token the server no longer knows: the error says to log in again.
    let mut spent = saved(&path);
    spent["refresh_token"] = Value::from("simr.not-issued");
    std::fs::write(&path, spent.to_string()).unwrap();
    let out = sim
        .bare()
        .env("KUBESPHERE_TOKEN_FILE", &path)
        .expect(&["pipelines", "list"], 3);
    assert!(out.stderr.contains("log in again"), "{}", out.stderr);
    assert!(!out.all().contains(&access) && !out.all().contains("simr.not-issued"));

    let broken = sim.dir.join("broken-token");
    std::fs::write(&broken, "{\"refresh_token\": \"planted-refresh\"}").unwrap();
    let out = sim
        .bare()
        .env("KUBESPHERE_TOKEN_FILE", &broken)
        .expect(&["pipelines", "list"], 2);
    assert!(out.stderr.contains("token file"), "{}", out.stderr);
    assert!(!out.all().contains("planted-refresh"));
}

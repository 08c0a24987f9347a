//! Runs every JSON vector of tests/vectors/ (format: tests/vectors/README.md) through the
//! core. The Python and wasm bindings run the same files.

use ksdevops::api::{build_request, Body, Request};
use ksdevops::decode::decode_response;
use ksdevops::Error;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

fn vectors_dir() -> PathBuf {
    std::env::var_os("KSDEVOPS_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors"))
}

fn vector_files(kind: &str) -> Vec<(String, Value)> {
    let dir = vectors_dir().join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("readable vector");
            let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, value)
        })
        .collect()
}

/// Compares an error with `{"kind", "field"?, "status"?, "message_contains"?}`.
fn check_error(error: &Error, expected: &Value) -> Result<(), String> {
    let kind = expected["kind"]
        .as_str()
        .ok_or("expect.error.kind missing")?;
    if error.kind().as_str() != kind {
        return Err(format!("kind {} ≠ {kind} ({error})", error.kind()));
    }
    if let Some(field) = expected.get("field") {
        if error.field() != field.as_str() {
            return Err(format!("field {:?} ≠ {field} ({error})", error.field()));
        }
    }
    if let Some(status) = expected.get("status").and_then(Value::as_u64) {
        if error.status().map(u64::from) != Some(status) {
            return Err(format!("status {:?} ≠ {status}", error.status()));
        }
    }
    if let Some(text) = expected.get("message_contains").and_then(Value::as_str) {
        if !error.message().contains(text) {
            return Err(format!("message {:?} lacks {text:?}", error.message()));
        }
    }
    Ok(())
}

/// The request in the vector's shape. The body is compared unmasked: vectors hold no real secrets.
fn request_json(request: &Request) -> Value {
    let pairs = |pairs: &[(String, String)]| -> Value {
        pairs.iter().map(|(k, v)| json!([k, v])).collect()
    };
    let headers: Map<String, Value> = request
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    json!({
        "method": request.method.as_str(),
        "base": request.base,
        "path": request.path,
        "query": pairs(&request.query),
        "headers": headers,
        "body": match &request.body {
            None => Value::Null,
            Some(Body::Json(value)) => value.clone(),
            Some(Body::Form(form)) => pairs(form),
        },
    })
}

/// The base URL of `expect.curl` renderings.
const CURL_BASE: &str = "https://ks.example.com";

fn run_request_vector(vector: &Value) -> Result<(), String> {
    let operation = vector["operation"].as_str().ok_or("operation missing")?;
    let layout = vector["layout"]
        .as_str()
        .unwrap_or("v4")
        .parse()
        .map_err(|e: Error| e.to_string())?;
    let expect = &vector["expect"];
    let built = build_request(operation, &vector["args"], layout);
    match (built, expect.get("error")) {
        (Err(error), Some(expected)) => check_error(&error, expected),
        (Err(error), None) => Err(format!("unexpected error: {error}")),
        (Ok(request), Some(_)) => Err(format!("expected an error, built {request:?}")),
        (Ok(request), None) => {
            let actual = request_json(&request);
            for key in ["method", "base", "path", "query", "headers", "body"] {
                let wanted = expect.get(key).cloned().unwrap_or(match key {
                    "query" => json!([]),
                    _ => Value::Null,
                });
                if key == "headers" && expect.get(key).is_none() {
                    continue;
                }
                if actual[key] != wanted {
                    // Bodies may hold (test) secrets: show the masked request, not the body.
                    let shown = if key == "body" {
                        format!("{request:?}")
                    } else {
                        actual[key].to_string()
                    };
                    return Err(format!("{key}: got {shown}, expected {wanted}"));
                }
            }
            if let Some(curl) = expect.get("curl") {
                let actual = request.to_curl(CURL_BASE, None);
                if curl.as_str() != Some(actual.as_str()) {
                    return Err(format!("curl: got {actual}, expected {curl}"));
                }
            }
            Ok(())
        }
    }
}

fn run_response_vector(vector: &Value) -> Result<(), String> {
    let operation = vector["operation"].as_str().ok_or("operation missing")?;
    let status = vector["status"].as_u64().ok_or("status missing")? as u16;
    let headers: Vec<(String, String)> = vector
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let body = vector.get("body").and_then(Value::as_str).unwrap_or("");
    let expect = &vector["expect"];
    match (
        decode_response(operation, status, &headers, body.as_bytes()),
        expect.get("error"),
    ) {
        (Err(error), Some(expected)) => check_error(&error, expected),
        (Err(error), None) => Err(format!("unexpected error: {error}")),
        (Ok(value), Some(_)) => Err(format!("expected an error, decoded {value}")),
        (Ok(value), None) if value == expect["value"] => Ok(()),
        (Ok(value), None) => Err(format!("decoded {value}, expected {}", expect["value"])),
    }
}

fn run_all(kind: &str, run: fn(&Value) -> Result<(), String>) {
    let vectors = vector_files(kind);
    assert!(
        !vectors.is_empty(),
        "tests/vectors/{kind}/ has no *.json vector"
    );
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|(name, vector)| run(vector).err().map(|e| format!("{name}: {e}")))
        .collect();
    println!(
        "{kind} vectors: {} passed, {} failed, {} total",
        vectors.len() - failures.len(),
        failures.len(),
        vectors.len()
    );
    assert!(
        failures.is_empty(),
        "failing {kind} vectors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn request_vectors() {
    run_all("requests", run_request_vector);
}

#[test]
fn response_vectors() {
    run_all("responses", run_response_vector);
}

#[test]
fn every_operation_has_a_request_vector_per_layout() {
    let vectors = vector_files("requests");
    for operation in ksdevops::api::Operation::ALL {
        for layout in ["v4", "v3"] {
            assert!(
                vectors
                    .iter()
                    .any(|(_, v)| v["operation"] == operation.as_str()
                        && v["layout"] == layout
                        && v["expect"].get("error").is_none()),
                "no successful {layout} vector for {operation}"
            );
        }
    }
}

/// The Kubernetes-style roots, whose cluster prefix changed between KubeSphere generations.
fn kubernetes_root(path: &str) -> Option<&'static str> {
    ["/apis/", "/api/"]
        .into_iter()
        .find(|root| path.starts_with(root))
}

#[test]
fn every_kubernetes_style_operation_has_cluster_vectors_in_each_layouts_form() {
    let vectors = vector_files("requests");
    let successes: Vec<&Value> = vectors
        .iter()
        .map(|(_, v)| v)
        .filter(|v| v["expect"].get("path").is_some())
        // Jenkins' own URL: its paths are Jenkins', not KubeSphere's.
        .filter(|v| v["expect"].get("base").is_none())
        .collect();
    let kubernetes_style: std::collections::BTreeSet<&str> = successes
        .iter()
        .filter(|v| v["args"].get("cluster").is_none())
        .filter(|v| {
            v["expect"]["path"]
                .as_str()
                .and_then(kubernetes_root)
                .is_some()
        })
        .filter_map(|v| v["operation"].as_str())
        .collect();
    assert!(
        kubernetes_style.contains("watch_pipeline_runs"),
        "{kubernetes_style:?}"
    );
    assert!(
        kubernetes_style.contains("service_proxy"),
        "{kubernetes_style:?}"
    );
    for operation in kubernetes_style {
        for layout in ["v4", "v3"] {
            let with_cluster: Vec<&str> = successes
                .iter()
                .filter(|v| v["operation"] == operation && v["layout"] == layout)
                .filter(|v| v["args"].get("cluster").is_some())
                .filter_map(|v| v["expect"]["path"].as_str())
                .collect();
            assert!(
                !with_cluster.is_empty(),
                "no {layout} vector of {operation} with a cluster"
            );
            for path in with_cluster {
                let in_front = path.starts_with("/clusters/");
                assert_eq!(
                    in_front,
                    layout == "v4",
                    "{operation} {layout}: {path} puts the cluster in the other generation's place"
                );
            }
        }
    }
}

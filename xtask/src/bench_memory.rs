//! The memory part of `cargo xtask bench`: peak RSS of decoding one big pipeline list, per
//! MB of body, with the client's decoder ("after") and the earlier one that went through a
//! `serde_json::Value` and a flattened envelope ("before"), both in the same run
//! (core/examples/list_memory.rs). Two list shapes: pipelines with a long Jenkinsfile, and
//! pipelines carrying Kubernetes `managedFields` (many small objects). Medians of
//! interleaved repetitions; nothing is asserted.

use crate::cmd;
use crate::paths;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPETITIONS: usize = 5;
const BODY_MB: usize = 20;

pub fn run() -> Result<(), String> {
    cmd::run(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(paths::root())
            .args([
                "build",
                "--release",
                "-p",
                "ksdevops",
                "--example",
                "list_memory",
            ]),
    )?;
    let example = paths::target_dir()
        .join("release/examples")
        .join(format!("list_memory{}", std::env::consts::EXE_SUFFIX));
    let dir = paths::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    println!("big-list decoding: peak RSS per MB of body (median of {REPETITIONS}, interleaved)");
    for (shape, item) in [
        ("long jenkinsfiles", jenkinsfile_item as fn(usize) -> String),
        ("managedFields", managed_fields_item),
    ] {
        let file = dir.join(format!("list-{}.json", shape.replace(' ', "-")));
        let body_len = write_list(&file, item)?;
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for _ in 0..REPETITIONS {
            before.push(peak_rss(&example, &file, "value")?);
            after.push(peak_rss(&example, &file, "direct")?);
        }
        let mb = body_len as f64 / (1024.0 * 1024.0);
        let (before, after) = (median(&mut before) / mb, median(&mut after) / mb);
        println!(
            "  {shape:<18} body {mb:.1} MB: before {before:.1} MB/MB, after {after:.1} MB/MB, after/before {:.2}",
            after / before
        );
    }
    Ok(())
}

/// Peak RSS in MB of one decode, as the example reports it.
fn peak_rss(example: &Path, file: &Path, mode: &str) -> Result<f64, String> {
    let out = Command::new(example)
        .arg(file)
        .arg(mode)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", example.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "list_memory {mode} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    text.split_whitespace()
        .find_map(|f| f.strip_prefix("peak_rss_bytes="))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|bytes| bytes / (1024.0 * 1024.0))
        .ok_or(format!("list_memory {mode}: no peak_rss_bytes in {text:?}"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Writes a `{"items": […], "totalItems": n}` body of about [`BODY_MB`] MB; gives its size.
fn write_list(file: &PathBuf, item: fn(usize) -> String) -> Result<usize, String> {
    let one = item(0).len() + 1;
    let count = BODY_MB * 1024 * 1024 / one;
    let items: Vec<String> = (0..count).map(item).collect();
    let body = format!(r#"{{"items":[{}],"totalItems":{count}}}"#, items.join(","));
    std::fs::write(file, &body).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(body.len())
}

fn metadata(i: usize, extra: &str) -> String {
    format!(
        r#""metadata":{{"name":"pipeline-{i}","namespace":"demo-project","annotations":{{"kubesphere.io/creator":"admin","pipeline.devops.kubesphere.io/syncstatus":"successful"}},"labels":{{"team":"platform"}},"creationTimestamp":"2026-11-01T10:00:00Z","uid":"00000000-0000-0000-0000-{i:012}"{extra}}}"#
    )
}

fn pipeline(i: usize, metadata_extra: &str, jenkinsfile: &str) -> String {
    format!(
        r#"{{"apiVersion":"devops.kubesphere.io/v1alpha3","kind":"Pipeline",{},"spec":{{"type":"pipeline","pipeline":{{"name":"pipeline-{i}","description":"builds and tests the service","jenkinsfile":"{jenkinsfile}"}}}},"status":{{}}}}"#,
        metadata(i, metadata_extra)
    )
}

fn jenkinsfile_item(i: usize) -> String {
    let jenkinsfile =
        r"pipeline { agent any\n stages { stage('build') { steps { sh 'make all' } } } }\n"
            .repeat(16);
    pipeline(i, "", &jenkinsfile)
}

fn managed_fields_item(i: usize) -> String {
    let entry = |manager: &str| {
        format!(
            r#"{{"apiVersion":"devops.kubesphere.io/v1alpha3","fieldsType":"FieldsV1","fieldsV1":{{"f:metadata":{{"f:annotations":{{".":{{}},"f:kubesphere.io/creator":{{}},"f:pipeline.devops.kubesphere.io/syncstatus":{{}}}},"f:labels":{{".":{{}},"f:team":{{}}}}}},"f:spec":{{".":{{}},"f:pipeline":{{".":{{}},"f:description":{{}},"f:jenkinsfile":{{}},"f:name":{{}}}},"f:type":{{}}}}}},"manager":"{manager}","operation":"Update","time":"2026-11-01T10:00:00Z"}}"#
        )
    };
    let managed = format!(
        r#","managedFields":[{},{}]"#,
        entry("ks-apiserver"),
        entry("controller-manager")
    );
    pipeline(
        i,
        &managed,
        r"pipeline { agent any\n stages { stage('build') { steps { sh 'make' } } } }\n",
    )
}

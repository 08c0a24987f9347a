//! The memory part of `cargo xtask bench`: peak RSS of decoding one big pipeline list, per
//! MB of body, with the client's decoder ("after") and the earlier one that went through a
//! `serde_json::Value` and a flattened envelope ("before"), both in the same run
//! (core/examples/list_memory.rs). Two list shapes: pipelines with a long Jenkinsfile, and
//! pipelines carrying Kubernetes `managedFields` (many small objects). Medians of
//! interleaved repetitions, the ratio taken within each; nothing is asserted.

use crate::bench::record::Figure;
use crate::bench::stats::Stat;
use crate::cmd;
use crate::paths;
use std::path::{Path, PathBuf};
use std::process::Command;

const BODY_MB: usize = 20;
const COMMAND: &str = "cargo xtask bench --memory";

/// One figure per list shape: peak RSS per MB of body before and after, and after/before
/// taken within each repetition.
pub fn figures(repetitions: usize) -> Result<Vec<Figure>, String> {
    let example = build_example()?;
    let dir = paths::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut figures = Vec::new();
    for shape in SHAPES {
        let file = dir.join(format!("list-{}.json", shape.file));
        let body_mb = write_list(&file, shape.item)? as f64 / (1024.0 * 1024.0);
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for i in 0..repetitions {
            eprintln!("==> {} repetition {} of {repetitions}", shape.name, i + 1);
            let modes = if i % 2 == 0 {
                ["value", "direct"]
            } else {
                ["direct", "value"]
            };
            for mode in modes {
                let mb_per_mb = peak_rss(&example, &file, mode)? / body_mb;
                match mode {
                    "value" => before.push(mb_per_mb),
                    _ => after.push(mb_per_mb),
                }
            }
        }
        figures.push(shape.figure(body_mb, &before, &after)?);
    }
    Ok(figures)
}

/// A pipeline list of one shape, and the figure measured on it.
struct Shape {
    name: &'static str,
    title: &'static str,
    file: &'static str,
    item: fn(usize) -> String,
}

const SHAPES: [Shape; 2] = [
    Shape {
        name: "list_memory_jenkinsfiles",
        title: "Decoding a big pipeline list (long Jenkinsfiles): peak RSS per MB of body",
        file: "long-jenkinsfiles",
        item: jenkinsfile_item,
    },
    Shape {
        name: "list_memory_managed_fields",
        title: "Decoding a big pipeline list (managedFields): peak RSS per MB of body",
        file: "managed-fields",
        item: managed_fields_item,
    },
];

impl Shape {
    fn figure(&self, body_mb: f64, before: &[f64], after: &[f64]) -> Result<Figure, String> {
        let stat = |samples: &[f64]| Stat::of(samples).ok_or(format!("no {} samples", self.name));
        let ratios: Vec<f64> = after.iter().zip(before).map(|(a, b)| a / b).collect();
        Ok(Figure {
            name: self.name,
            title: self.title,
            command: COMMAND.into(),
            facts: vec![("body_mb", format!("{body_mb:.1}"))],
            measured: vec![
                (
                    "before_mb_per_mb",
                    "through serde_json::Value (the earlier decoder)",
                    stat(before)?,
                    1,
                ),
                ("after_mb_per_mb", "the client's decoder", stat(after)?, 1),
                (
                    "after_over_before",
                    "after / before, within each repetition",
                    stat(&ratios)?,
                    2,
                ),
            ],
            after: Vec::new(),
            note: None,
        })
    }
}

/// `cargo xtask bench --memory`: the memory figures alone, printed.
pub fn run(repetitions: usize) -> Result<(), String> {
    for figure in figures(repetitions)? {
        println!("{}", figure.line());
    }
    Ok(())
}

fn build_example() -> Result<PathBuf, String> {
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
    Ok(paths::target_dir()
        .join("release/examples")
        .join(format!("list_memory{}", std::env::consts::EXE_SUFFIX)))
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

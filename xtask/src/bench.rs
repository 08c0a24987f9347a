//! `cargo xtask bench`: the Jenkinsfile corpus parsed natively and through the wasm build in
//! Node, in one run, with the same method (core/examples/parse_corpus.rs and
//! bindings-wasm/bench/parse_corpus.mjs); prints both, the wasm/native ratio and the size of
//! the optimised wasm. `--criterion` runs the criterion benches afterwards. Measurements only:
//! no time is asserted; the run fails only when a step fails or the two builds parse the corpus
//! differently.

use crate::cmd;
use crate::paths;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";

const USAGE: &str = "cargo xtask bench [--passes N] [--warmup N] [--criterion [ARGS…]]";

struct Options {
    passes: String,
    warmup: String,
    /// `Some(args for cargo bench)` when the criterion benches run too.
    criterion: Option<Vec<String>>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        passes: "50".into(),
        warmup: "5".into(),
        criterion: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--passes" | "--warmup" => {
                let value = args
                    .next()
                    .filter(|v| v.parse::<u32>().is_ok_and(|n| n > 0))
                    .ok_or(format!("{arg} needs a whole number above 0 ({USAGE})"))?;
                if arg == "--passes" {
                    options.passes = value.clone();
                } else {
                    options.warmup = value.clone();
                }
            }
            "--criterion" => {
                options.criterion = Some(args.by_ref().cloned().collect());
            }
            other => return Err(format!("unknown argument {other:?} ({USAGE})")),
        }
    }
    Ok(options)
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    cmd
}

/// The `key=value` fields of the `bench NAME …` line that a bench program printed.
fn result_fields(output: &str, name: &str) -> Result<BTreeMap<String, String>, String> {
    let prefix = format!("bench {name} ");
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .ok_or(format!("the {name} bench printed no `{prefix}…` line"))?;
    Ok(line
        .split_whitespace()
        .filter_map(|field| field.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

fn number(fields: &BTreeMap<String, String>, key: &str) -> Result<f64, String> {
    let text = fields
        .get(key)
        .ok_or(format!("the bench result has no {key}"))?;
    text.parse()
        .map_err(|_| format!("the bench result's {key} is not a number: {text:?}"))
}

/// Runs a bench program (output shown live) and returns its result fields.
fn run_bench(cmd: &mut Command, name: &str) -> Result<BTreeMap<String, String>, String> {
    let (success, output) = cmd::run_and_keep(cmd)?;
    if !success {
        return Err(format!("the {name} bench failed"));
    }
    result_fields(&output, name)
}

fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The corpus's paths as the native example lists them, written to `list` for Node.
fn write_corpus_list(example: &Path, list: &Path) -> Result<(), String> {
    let output = Command::new(example)
        .arg("--list-files")
        .output()
        .map_err(|e| format!("cannot start {}: {e}", example.display()))?;
    if !output.status.success() {
        return Err(format!(
            "listing the corpus failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    std::fs::write(list, &output.stdout)
        .map_err(|e| format!("cannot write {}: {e}", list.display()))
}

/// The npm binaryen's wasm-opt (never Debian's: it breaks wasm-bindgen output), installed
/// from bindings-wasm/bench/package-lock.json when missing; None if npm cannot install it.
fn wasm_opt() -> Option<PathBuf> {
    let dir = paths::root().join("bindings-wasm/bench");
    let tool = dir.join("node_modules/.bin/wasm-opt");
    if !tool.exists() {
        let installed = cmd::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        );
        if let Err(e) = installed {
            eprintln!("bench: no wasm-opt ({e}); the wasm is measured without it");
            return None;
        }
    }
    Some(tool)
}

struct WasmPackage {
    dir: PathBuf,
    /// Raw sizes along the way: (stage, bytes).
    stages: Vec<(&'static str, u64)>,
}

/// Release wasm build (the `wasm-release` profile), wasm-bindgen for Node, then wasm-opt -Oz.
fn build_wasm(out: &Path) -> Result<WasmPackage, String> {
    cmd::run(cargo().args([
        "build",
        "-p",
        "ksdevops-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;
    let cargo_wasm = paths::target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("ksdevops_wasm.wasm");
    let dir = out.join("wasm-node");
    let _ = std::fs::remove_dir_all(&dir);
    cmd::run(
        Command::new("wasm-bindgen")
            .args(["--target", "nodejs", "--out-dir"])
            .arg(&dir)
            .arg(&cargo_wasm),
    )?;
    let bindgen_wasm = dir.join("ksdevops_wasm_bg.wasm");
    let mut stages = vec![
        ("cargo (wasm-release)", file_size(&cargo_wasm)?),
        ("wasm-bindgen", file_size(&bindgen_wasm)?),
    ];
    if let Some(tool) = wasm_opt() {
        cmd::run(
            Command::new(tool)
                .arg("-Oz")
                .arg(&bindgen_wasm)
                .arg("-o")
                .arg(&bindgen_wasm),
        )?;
        stages.push(("wasm-opt -Oz", file_size(&bindgen_wasm)?));
    }
    Ok(WasmPackage { dir, stages })
}

/// The two builds must have parsed the same files into the same totals.
fn check_same_corpus(
    native: &BTreeMap<String, String>,
    wasm: &BTreeMap<String, String>,
) -> Result<(), String> {
    for key in [
        "files",
        "bytes",
        "passes",
        "parameters",
        "input_blocks",
        "diagnostics",
        "accepted",
    ] {
        match (native.get(key), wasm.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => return Err(format!("native and wasm disagree on {key}: {a:?} vs {b:?}")),
        }
    }
    for key in ["wasm_bytes", "wasm_gzip_bytes", "glue_bytes"] {
        if !wasm.contains_key(key) {
            return Err(format!("the wasm bench result has no {key}"));
        }
    }
    Ok(())
}

fn print_summary(
    native: &BTreeMap<String, String>,
    wasm: &BTreeMap<String, String>,
    package: &WasmPackage,
) -> Result<(), String> {
    let native_us = number(native, "median_us")?;
    let native_mbps = number(native, "mbps")?;
    let json_us = number(native, "json_median_us")?;
    let json_mbps = number(native, "json_mbps")?;
    let wasm_us = number(wasm, "median_us")?;
    let wasm_mbps = number(wasm, "mbps")?;
    println!();
    println!(
        "==> Jenkinsfile corpus: {} files, {} bytes, {} timed passes after warm-up",
        native["files"], native["bytes"], native["passes"]
    );
    println!("{:<34} {:>14} {:>10}", "", "median µs/file", "MB/s");
    println!(
        "{:<34} {native_us:>14.1} {native_mbps:>10.1}",
        "native parse_jenkinsfile"
    );
    println!(
        "{:<34} {json_us:>14.1} {json_mbps:>10.1}",
        "native parse + to_json"
    );
    println!(
        "{:<34} {wasm_us:>14.1} {wasm_mbps:>10.1}",
        "wasm parseJenkinsfile (Node)"
    );
    println!(
        "wasm/native: {:.2}x the median time per file, {:.2}x the time per byte \
         (vs parse + to_json: {:.2}x, {:.2}x)",
        wasm_us / native_us,
        native_mbps / wasm_mbps,
        wasm_us / json_us,
        json_mbps / wasm_mbps
    );
    println!(
        "both parsed {} parameters, {} input blocks, {} diagnostics, {} accepted",
        native["parameters"], native["input_blocks"], native["diagnostics"], native["accepted"]
    );
    let stages: Vec<String> = package
        .stages
        .iter()
        .map(|(stage, bytes)| format!("{stage} {bytes}"))
        .collect();
    println!(
        "wasm bundle (measured build): {} bytes, gzip -9 {} bytes; JS glue {} bytes; \
         raw bytes by stage: {}",
        wasm["wasm_bytes"],
        wasm["wasm_gzip_bytes"],
        wasm["glue_bytes"],
        stages.join(", ")
    );
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    let out = paths::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;

    cmd::run(cargo().args([
        "build",
        "--release",
        "-p",
        "ksdevops",
        "--example",
        "parse_corpus",
    ]))?;
    let example = paths::target_dir()
        .join("release/examples")
        .join(format!("parse_corpus{}", std::env::consts::EXE_SUFFIX));
    let list = out.join("corpus-files.txt");
    write_corpus_list(&example, &list)?;
    let package = build_wasm(&out)?;

    let timing = ["--passes", &options.passes, "--warmup", &options.warmup];
    let native = run_bench(
        Command::new(&example)
            .args(timing)
            .arg("--files")
            .arg(&list),
        "native",
    )?;
    let script = paths::root().join("bindings-wasm/bench/parse_corpus.mjs");
    let wasm = run_bench(
        Command::new("node")
            .arg(&script)
            .args(timing)
            .arg("--pkg")
            .arg(&package.dir)
            .arg("--files")
            .arg(&list),
        "wasm",
    )?;
    check_same_corpus(&native, &wasm)?;
    print_summary(&native, &wasm, &package)?;
    crate::wasm_size::report()?;

    if let Some(extra) = options.criterion {
        crate::demo::bench(&extra)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NATIVE: &str = "native: 2 files\n\
        bench native files=2 bytes=10 passes=5 median_us=1.5 mbps=3.0 parameters=4 \
        input_blocks=0 diagnostics=1 accepted=2\n";

    #[test]
    fn reads_the_fields_of_the_named_result_line() {
        let fields = result_fields(NATIVE, "native").unwrap();
        assert_eq!(fields["files"], "2");
        assert_eq!(number(&fields, "median_us").unwrap(), 1.5);
        let missing = result_fields(NATIVE, "wasm").unwrap_err();
        assert!(missing.contains("bench wasm"), "{missing}");
    }

    #[test]
    fn builds_that_parse_differently_are_an_error() {
        let native = result_fields(NATIVE, "native").unwrap();
        let mut wasm = native.clone();
        for (key, value) in [
            ("wasm_bytes", "9"),
            ("wasm_gzip_bytes", "5"),
            ("glue_bytes", "3"),
        ] {
            wasm.insert(key.into(), value.into());
        }
        assert_eq!(check_same_corpus(&native, &wasm), Ok(()));
        wasm.insert("parameters".into(), "3".into());
        let error = check_same_corpus(&native, &wasm).unwrap_err();
        assert!(error.contains("parameters"), "{error}");
    }
}

//! `cargo xtask web-demo`: builds the static console into `web-demo/dist/` (its sources, plus
//! the browser build of the JavaScript package in `dist/pkg/`), reports the page weight, then
//! serves it with the API on one origin: `ksdevops-sim --scenario demo --serve-dir
//! web-demo/dist`. `--build-only` stops after the build (tests and CI).
//!
//! Also the `web demo (playwright)` step of `cargo xtask test`: the node:test files of
//! `web-demo/tests/` drive Debian's Chromium against the simulator serving `dist/`.

use crate::cmd;
use crate::counts::{self, Counts};
use crate::paths;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "cargo xtask web-demo [--build-only] [--listen ADDR] [--speed N]";

struct Options {
    build_only: bool,
    listen: String,
    speed: String,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        build_only: false,
        listen: "127.0.0.1:0".into(),
        speed: "1".into(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--build-only" => options.build_only = true,
            "--listen" | "--speed" => {
                let value = args
                    .next()
                    .ok_or(format!("{arg} needs a value ({USAGE})"))?
                    .clone();
                if arg == "--listen" {
                    options.listen = value;
                } else {
                    options.speed = value;
                }
            }
            other => return Err(format!("unknown argument {other:?} ({USAGE})")),
        }
    }
    Ok(options)
}

pub fn root() -> PathBuf {
    paths::root().join("web-demo")
}

pub fn dist() -> PathBuf {
    root().join("dist")
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    cmd
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    build()?;
    if options.build_only {
        return Ok(());
    }
    cmd::run(cargo().args(["build", "-p", "ksdevops-sim"]))?;
    let sim = paths::target_dir().join("debug/ksdevops-sim");
    println!("web demo: open the URL below; sign in as admin / P@88w0rd (Ctrl-C stops the server)");
    // The simulator prints its URL first; its output goes straight to the terminal.
    cmd::run(
        Command::new(&sim)
            .args(["--scenario", "demo", "--serve-dir"])
            .arg(dist())
            .args(["--listen", &options.listen, "--speed", &options.speed]),
    )
}

/// Builds `web-demo/dist/` from `web-demo/src/` and the browser build of the JS package, and
/// prints the page weight.
pub fn build() -> Result<(), String> {
    crate::wasm_pkg::build(false)?;
    let pkg = crate::wasm_pkg::pkg_dir();
    let dist = dist();
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("cannot remove {}: {e}", dist.display()))?;
    }
    copy_tree(&root().join("src"), &dist, &|_| false)?;
    // The package's Node entry point and type declarations are never loaded by a page.
    copy_tree(&pkg, &dist.join("pkg"), &|name| {
        name == "node.js" || name.ends_with(".d.ts")
    })?;
    eprintln!("web-demo: built {}", dist.display());
    cmd::run(
        Command::new("node")
            .arg(root().join("scripts/weight.mjs"))
            .arg(&dist),
    )
}

/// Copies the files of `from` into `to`, recursively, but for those `skip` names.
fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&str) -> bool) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if skip(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if source.is_dir() {
            copy_tree(&source, &target, skip)?;
        } else {
            std::fs::copy(&source, &target)
                .map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
        }
    }
    Ok(())
}

/// The `cargo xtask test` step: builds dist/ and the simulator, then runs the Playwright
/// tests (node:test, TAP) with a scratch TMPDIR for Chromium's profiles.
pub fn test() -> Result<(bool, Counts), String> {
    build()?;
    cmd::run(cargo().args(["build", "-p", "ksdevops-sim"]))?;
    if !root().join("node_modules/playwright-core").exists() {
        return Err("web-demo/node_modules is missing: run `cargo xtask setup`".into());
    }
    let scratch = paths::target_dir().join("tmp/web-demo-tests");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests"))
        .map_err(|e| format!("cannot list web-demo/tests: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    let mut node = Command::new("node");
    node.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .args(&files)
        .current_dir(root())
        .env("TMPDIR", &scratch)
        .env(
            "KSDEVOPS_SIM",
            paths::target_dir().join("debug/ksdevops-sim"),
        )
        .env(
            "KSDEVOPS_SHOTS",
            paths::target_dir().join("web-demo-screens"),
        );
    let result = cmd::run_and_keep(&mut node);
    let _ = std::fs::remove_dir_all(&scratch);
    let (success, output) = result?;
    Ok((success, counts::node_tap(&output)))
}

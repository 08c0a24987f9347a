//! `cargo xtask wasm-pkg`: builds the npm package `ksdevops` into bindings-wasm/pkg/ (the
//! wasm-bindgen `web` glue, the wasm optimised by npm binaryen's wasm-opt, and the
//! hand-written entry points and types of bindings-wasm/js/), and the tests that run it from
//! its packed tarball, installed into a scratch project, in Node and in headless Chromium.

use crate::cmd;
use crate::counts;
use crate::paths;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Cargo profile of the package: small beats fast in a browser bundle.
pub const PROFILE: &str = "wasm-release";
/// Files of the package that bindings-wasm/js/ holds.
const JS_FILES: &[&str] = &[
    "package.json",
    "index.js",
    "node.js",
    "api.js",
    "loader.js",
    "index.d.ts",
    "README.md",
];
/// Features the Rust compiler emits that wasm-opt must accept (toolchain notes: Rust ≥ 1.87
/// emits bulk memory and non-trapping float-to-int).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

const USAGE: &str = "cargo xtask wasm-pkg [--dev | --test]";

pub fn pkg_dir() -> PathBuf {
    paths::root().join("bindings-wasm/pkg")
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    cmd
}

fn node_bin(tool: &str) -> Result<PathBuf, String> {
    let path = paths::root()
        .join("bindings-wasm/node_modules/.bin")
        .join(tool);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run `cargo xtask setup`",
            path.display()
        ))
    }
}

pub fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `cargo xtask wasm-pkg [--dev | --test]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let dev = match args {
        [] => false,
        [flag] if flag == "--dev" => true,
        [flag] if flag == "--test" => {
            let tests = test_package()?;
            let (passed, failed) = (tests.counts.passed, tests.counts.failed);
            eprintln!("wasm-pkg: package tests: {passed} passed, {failed} failed");
            return if tests.success && failed == 0 && passed > 0 {
                Ok(())
            } else {
                Err("the package tests failed".into())
            };
        }
        _ => return Err(format!("unknown arguments {args:?} ({USAGE})")),
    };
    let stages = build(dev)?;
    for (stage, bytes) in stages {
        eprintln!("wasm-pkg: {stage}: {bytes} bytes");
    }
    eprintln!("wasm-pkg: the package is in {}", pkg_dir().display());
    Ok(())
}

/// Builds bindings-wasm/pkg/: with `dev`, a debug build without wasm-opt (quick, for
/// iterating); else the `wasm-release` profile, optimised. Returns the wasm's size after
/// each stage.
pub fn build(dev: bool) -> Result<Vec<(&'static str, u64)>, String> {
    let profile = if dev { "dev" } else { PROFILE };
    cmd::run(cargo().args([
        "build",
        "-p",
        "ksdevops-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
    ]))?;
    let cargo_wasm = paths::target_dir()
        .join(WASM_TARGET)
        .join(if dev { "debug" } else { PROFILE })
        .join("ksdevops_wasm.wasm");
    let out = pkg_dir();
    let _ = std::fs::remove_dir_all(&out);
    cmd::run(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--out-dir"])
            .arg(&out)
            .arg(&cargo_wasm),
    )?;
    let wasm = out.join("ksdevops_wasm_bg.wasm");
    let mut stages = vec![
        ("cargo", file_size(&cargo_wasm)?),
        ("wasm-bindgen", file_size(&wasm)?),
    ];
    if !dev {
        cmd::run(
            Command::new(node_bin("wasm-opt")?)
                .arg("-Oz")
                .args(WASM_FEATURES)
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm),
        )?;
        stages.push(("wasm-opt -Oz", file_size(&wasm)?));
    }
    let js = paths::root().join("bindings-wasm/js");
    for file in JS_FILES {
        std::fs::copy(js.join(file), out.join(file))
            .map_err(|e| format!("cannot copy {file} into the package: {e}"))?;
    }
    Ok(stages)
}

/// `npm pack`s the built package and installs the tarball into a fresh scratch project
/// (no registry needed: the package has no dependencies). Returns the project folder.
fn install_packed(scratch: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let packed = Command::new("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(scratch)
        .current_dir(pkg_dir())
        .output()
        .map_err(|e| format!("cannot start npm pack: {e}"))?;
    if !packed.status.success() {
        return Err(format!(
            "npm pack failed: {}",
            String::from_utf8_lossy(&packed.stderr).trim()
        ));
    }
    let name = String::from_utf8_lossy(&packed.stdout);
    let tarball = scratch.join(name.lines().last().unwrap_or("").trim());
    let project = scratch.join("project");
    std::fs::create_dir_all(project.join("tests"))
        .map_err(|e| format!("cannot create {}: {e}", project.display()))?;
    std::fs::write(
        project.join("package.json"),
        "{\"name\": \"ksdevops-package-tests\", \"private\": true, \"type\": \"module\"}\n",
    )
    .map_err(|e| format!("cannot write the scratch package.json: {e}"))?;
    cmd::run(
        Command::new("npm")
            .args(["install", "--offline", "--no-audit", "--no-fund"])
            .arg(&tarball)
            .current_dir(&project),
    )?;
    Ok(project)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// What the package tests found: their counts, or why they could not run.
pub struct PackageTests {
    pub success: bool,
    pub counts: counts::Counts,
}

/// Builds the package, installs its tarball into a scratch project with the tests of
/// bindings-wasm/tests/ (and the TypeScript check of them), and runs them with node:test
/// against the simulator (built here; the tests start it), the headless-Chromium ones too.
pub fn test_package() -> Result<PackageTests, String> {
    build(false)?;
    cmd::run(cargo().args(["build", "-p", "ksdevops-sim"]))?;
    let scratch = paths::target_dir().join("tmp/wasm-package");
    let project = install_packed(&scratch)?;
    let tests = paths::root().join("bindings-wasm/tests");
    copy_dir(&tests, &project.join("tests"))?;
    std::fs::copy(
        paths::root().join("bindings-wasm/tsconfig.json"),
        project.join("tsconfig.json"),
    )
    .map_err(|e| format!("cannot copy tsconfig.json: {e}"))?;
    cmd::run(
        Command::new(node_bin("tsc")?)
            .args(["--noEmit", "-p", "tsconfig.json"])
            .current_dir(&project),
    )?;
    let extension = project.join("extension");
    copy_dir(
        &paths::root().join("examples/browser-extension"),
        &extension,
    )?;
    copy_dir(&pkg_dir(), &extension.join("ksdevops"))?;
    let files = crate::test::test_files(&project.join("tests"), ".test.mjs")?;
    if files.is_empty() {
        return Err("no *.test.mjs files in bindings-wasm/tests".into());
    }
    let sim = paths::target_dir()
        .join("debug")
        .join(format!("ksdevops-sim{}", std::env::consts::EXE_SUFFIX));
    let mut node = Command::new("node");
    node.args(["--test", "--test-reporter=tap", "--test-concurrency=2"])
        .args(&files)
        .current_dir(&project)
        .env("KSDEVOPS_SIM", &sim)
        .env("KSDEVOPS_VECTORS", paths::root().join("tests/vectors"))
        .env("KSDEVOPS_CHROMIUM", "/usr/bin/chromium")
        .env("KSDEVOPS_EXTENSION", &extension)
        .env(
            "KSDEVOPS_PLAYWRIGHT",
            paths::root().join("bindings-wasm/node_modules/playwright-core/index.js"),
        )
        .env("TMPDIR", &scratch);
    let (success, output) = cmd::run_and_keep(&mut node)?;
    Ok(PackageTests {
        success,
        counts: counts::node_tap(&output),
    })
}

//! `cargo xtask test`: every check CI runs, a summary per step, and a last line
//! `N passed, M failed` with the test counts of all runners.

use crate::cmd;
use crate::counts::{self, Counts};
use crate::paths;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

enum Outcome {
    Passed,
    /// A test step: ran and counted its tests.
    Tests(Counts),
    Failed(String),
    /// A test step that failed after counting some tests.
    TestsFailed(Counts, String),
}

struct Step {
    name: &'static str,
    outcome: Outcome,
    took: Duration,
}

/// Runs every step, even after a failure, and returns whether all passed.
pub fn run() -> bool {
    let started = Instant::now();
    let mut steps: Vec<Step> = Vec::new();
    let mut step = |name: &'static str, f: &dyn Fn() -> Outcome| {
        eprintln!("\n==> {name}");
        let begin = Instant::now();
        let outcome = f();
        steps.push(Step {
            name,
            outcome,
            took: begin.elapsed(),
        });
    };

    // `-l` lists the files to format instead of printing every diff.
    step("fmt", &|| {
        simple(cargo().args(["fmt", "--all", "--", "--check", "-l"]))
    });
    step("clippy", &|| {
        simple(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step("native tests", &native_tests);
    step("core for wasm32", &|| {
        simple(cargo().args([
            "build",
            "-p",
            "ksdevops",
            "--no-default-features",
            "--target",
            WASM_TARGET,
        ]))
    });
    // The npm package, from its installed tarball: Node and headless Chromium.
    step(
        "wasm package tests",
        &|| match crate::wasm_pkg::test_package() {
            Ok(t) => tests_outcome("node --test", t.success, t.counts),
            Err(e) => Outcome::Failed(e),
        },
    );
    step("wasm tests (chromium)", &wasm_browser_tests);
    step("python tests", &python_tests);
    step("web demo (playwright)", &|| match crate::web_demo::test() {
        Ok((success, counts)) => tests_outcome("web-demo node --test", success, counts),
        Err(e) => Outcome::Failed(e),
    });

    print_summary(&steps, started.elapsed())
}

/// `cargo` with the venv's Python for pyo3, so that every cargo call (and maturin's) agrees
/// on the interpreter and pyo3 is not rebuilt between them.
fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    let python = paths::venv_bin("python");
    if python.exists() {
        cmd.env("PYO3_PYTHON", python);
    }
    cmd
}

fn simple(cmd: &mut Command) -> Outcome {
    match cmd::run(cmd) {
        Ok(()) => Outcome::Passed,
        Err(e) => Outcome::Failed(e),
    }
}

/// A runner's outcome from its exit status and counts: failing, or counting no test at all,
/// fails the step.
fn tests_outcome(runner: &str, success: bool, counts: Counts) -> Outcome {
    if !success {
        Outcome::TestsFailed(counts, format!("{runner} failed"))
    } else if counts.total() == 0 {
        Outcome::TestsFailed(counts, format!("{runner} ran no tests"))
    } else if counts.failed > 0 {
        Outcome::TestsFailed(counts, format!("{runner} reported failures"))
    } else {
        Outcome::Tests(counts)
    }
}

fn native_tests() -> Outcome {
    // --no-fail-fast: every test binary runs and is counted, even after a failure.
    match cmd::run_and_keep(cargo().args(["test", "--workspace", "--no-fail-fast"])) {
        Ok((success, output)) => tests_outcome("cargo test", success, counts::cargo_test(&output)),
        Err(e) => Outcome::Failed(e),
    }
}

/// bindings-wasm/tests/browser.rs in headless Chromium through chromedriver. Chromium leaves
/// profile folders in TMPDIR, so the run gets a scratch TMPDIR that is removed afterwards.
/// (`-q` must never be passed: cargo would hand it to the wasm-bindgen test runner.)
fn wasm_browser_tests() -> Outcome {
    let scratch = paths::target_dir().join("tmp/chromium-tests");
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        return Outcome::Failed(format!("cannot create {}: {e}", scratch.display()));
    }
    let mut cmd = cargo();
    cmd.args(["test", "-p", "ksdevops-wasm", "--target", WASM_TARGET])
        .env("TMPDIR", &scratch)
        .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "60");
    if Path::new("/usr/bin/chromedriver").exists() && std::env::var_os("CHROMEDRIVER").is_none() {
        cmd.env("CHROMEDRIVER", "/usr/bin/chromedriver");
    }
    let outcome = match cmd::run_and_keep(&mut cmd) {
        Ok((success, output)) => tests_outcome(
            "wasm-bindgen-test-runner",
            success,
            counts::cargo_test(&output),
        ),
        Err(e) => Outcome::Failed(e),
    };
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

pub(crate) fn test_files(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    Ok(files)
}

/// The wheel in a fresh virtualenv, pytest against it, stubs, examples (xtask/src/python.rs).
fn python_tests() -> Outcome {
    match crate::python::test() {
        Err(e) => Outcome::Failed(e),
        Ok(run) => match tests_outcome("pytest", run.passed, counts::pytest(&run.output)) {
            Outcome::Tests(c) if !run.failures.is_empty() => {
                Outcome::TestsFailed(c, run.failures.join("; "))
            }
            other => other,
        },
    }
}

/// Prints one line per step and the total; returns whether every step passed.
fn print_summary(steps: &[Step], took: Duration) -> bool {
    let mut total = Counts::default();
    let mut ok = true;
    let mut lines = vec![String::new(), "==> summary".to_owned()];
    for step in steps {
        let (status, detail) = match &step.outcome {
            Outcome::Passed => ("ok", String::new()),
            Outcome::Tests(c) => {
                total += *c;
                ("ok", format!("{} passed, {} failed", c.passed, c.failed))
            }
            Outcome::Failed(why) => {
                ok = false;
                ("FAILED", why.clone())
            }
            Outcome::TestsFailed(c, why) => {
                ok = false;
                total += *c;
                (
                    "FAILED",
                    format!("{} passed, {} failed: {why}", c.passed, c.failed),
                )
            }
        };
        lines.push(format!(
            "{:<22} {:<8} {:>7.1}s  {detail}",
            step.name,
            status,
            step.took.as_secs_f64()
        ));
    }
    lines.push(format!(
        "{} in {:.0}s",
        if ok { "all steps passed" } else { "FAILED" },
        took.as_secs_f64()
    ));
    let _ = std::io::stderr().flush();
    let mut out = std::io::stdout().lock();
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{} passed, {} failed", total.passed, total.failed);
    let _ = out.flush();
    ok
}

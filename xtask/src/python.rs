//! The Python step of `cargo xtask test`: an abi3 wheel built by maturin and installed into a
//! fresh virtualenv, then, all against that installed wheel (never the source tree): pytest,
//! the stub checks (stubtest, `mypy --strict` on the examples), and the examples and the
//! notebook run headless against a simulator.

use crate::bench::record::Figure;
use crate::bench::stats::Stat;
use crate::cmd;
use crate::paths;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The demo scenario's project and administrator (see sim/README.md).
const SIM_PROJECT: &str = "demo-project";
const SIM_USER: &str = "admin";
const SIM_PASSWORD: &str = "P@88w0rd";

/// What the step found: pytest's outcome and output (for the counts), and the checks that
/// failed besides.
pub struct PythonRun {
    pub passed: bool,
    pub output: String,
    pub failures: Vec<String>,
}

pub fn test() -> Result<PythonRun, String> {
    cmd::run(cargo().args(["build", "-p", "ksdevops-sim"]))?;
    let wheel = build_wheel()?;
    let python = fresh_venv(&wheel)?;
    let (passed, output) = cmd::run_and_keep(
        in_root(&python)
            .args([
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "bindings-python/tests",
            ])
            .env("KSDEVOPS_EXPECT_INSTALLED", "1"),
    )?;
    let mut failures = Vec::new();
    for (check, outcome) in [
        ("stubtest", stubtest(&python)),
        ("mypy --strict", mypy_examples(&python)),
        ("examples", run_examples(&python)),
    ] {
        if let Err(e) = outcome {
            failures.push(format!("{check}: {e}"));
        }
    }
    Ok(PythonRun {
        passed,
        output,
        failures,
    })
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    cmd
}

/// `python` run from the workspace root, with the simulator binary it may start.
fn in_root(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.current_dir(paths::root())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("KSDEVOPS_SIM", sim_binary());
    cmd
}

fn sim_binary() -> PathBuf {
    paths::target_dir().join("debug/ksdevops-sim")
}

/// `maturin build` (debug profile, abi3) into an emptied folder; the one wheel it made.
fn build_wheel() -> Result<PathBuf, String> {
    let out = paths::target_dir().join("wheels/python");
    let _ = std::fs::remove_dir_all(&out);
    cmd::run(
        Command::new(paths::venv_bin("maturin"))
            .args(["build", "--out"])
            .arg(&out)
            .current_dir(paths::root().join("bindings-python"))
            .env("PYO3_PYTHON", paths::venv_bin("python")),
    )?;
    let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
        .map_err(|e| format!("cannot list {}: {e}", out.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    match wheels.as_slice() {
        [wheel] if wheel.to_string_lossy().contains("abi3") => Ok(wheel.clone()),
        other => Err(format!(
            "expected one abi3 wheel in {}, found {other:?}",
            out.display()
        )),
    }
}

/// A new virtualenv with the wheel and the test requirements; its python.
fn fresh_venv(wheel: &Path) -> Result<PathBuf, String> {
    let venv = paths::target_dir().join("tmp/python-wheel-venv");
    cmd::run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )?;
    let python = venv.join("bin/python");
    cmd::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
            .arg(wheel)
            .arg("-r")
            .arg(paths::root().join("bindings-python/requirements-test.txt")),
    )?;
    Ok(python)
}

/// The hand-written stubs agree with the installed module.
fn stubtest(python: &Path) -> Result<(), String> {
    cmd::run(in_root(python).args([
        "-m",
        "mypy.stubtest",
        "--ignore-disjoint-bases",
        "--allowlist",
        "bindings-python/stubtest-allowlist.txt",
        "ksdevops",
    ]))
}

fn examples() -> Result<Vec<PathBuf>, String> {
    let dir = paths::root().join("examples/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py" || x == "ipynb"))
        .collect();
    files.sort();
    Ok(files)
}

/// The examples type-check strictly against the installed package's stubs.
fn mypy_examples(python: &Path) -> Result<(), String> {
    let scripts: Vec<PathBuf> = examples()?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    if scripts.is_empty() {
        return Err("no examples/python/*.py".into());
    }
    cmd::run(
        in_root(python)
            .args([
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir",
                "/dev/null",
            ])
            .args(&scripts),
    )
}

/// Every example script, then the notebook (executed by nbclient, outputs discarded), each
/// against a fresh simulator, configured through the environment as a user would.
fn run_examples(python: &Path) -> Result<(), String> {
    for example in examples()? {
        let mut sim = Sim::start()?;
        let mut cmd = in_root(python);
        if example.extension().is_some_and(|x| x == "ipynb") {
            cmd.args(["-c", NOTEBOOK_RUNNER]);
        }
        cmd.arg(&example)
            .env("KUBESPHERE_API", &sim.url)
            .env("DEVOPS_PROJECT", SIM_PROJECT)
            .env("KUBESPHERE_USERNAME", SIM_USER)
            .env("KUBESPHERE_PASSWORD", SIM_PASSWORD);
        let outcome = cmd::run(&mut cmd);
        sim.stop();
        outcome?;
    }
    Ok(())
}

const NOTEBOOK_RUNNER: &str = "import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name='python3').execute()
print(f'{sys.argv[1]}: {len(nb.cells)} cells executed')";

/// A simulator (demo scenario, fast clock) on a free loopback port.
struct Sim {
    child: Child,
    url: String,
}

impl Sim {
    fn start() -> Result<Sim, String> {
        let mut child = Command::new(sim_binary())
            .args(["--speed", "20"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", sim_binary().display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("the simulator said nothing: {e}"))?;
        Ok(Sim {
            child,
            url: line.trim().to_owned(),
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python figure of `cargo xtask bench`: the release extension (into .venv) and the
/// release simulator, then bindings-python/bench/client_bench.py, whose `bench python …` line
/// (medians with `_min`/`_max`, ratios taken within each repetition) it reads.
pub fn bench(repetitions: usize) -> Result<Figure, String> {
    cmd::run(cargo().args(["build", "--release", "-p", "ksdevops-sim"]))?;
    let venv_path = std::env::join_paths(std::iter::once(paths::venv().join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| format!("PATH: {e}"))?;
    cmd::run(
        Command::new(paths::venv_bin("maturin"))
            .args(["develop", "--release"])
            .current_dir(paths::root().join("bindings-python"))
            .env("VIRTUAL_ENV", paths::venv())
            .env("PATH", &venv_path)
            .env("PYO3_PYTHON", paths::venv_bin("python")),
    )?;
    let script = "bindings-python/bench/client_bench.py";
    let (success, output) = cmd::run_and_keep(
        Command::new(paths::venv_bin("python"))
            .arg(paths::root().join(script))
            .arg("--sim")
            .arg(paths::target_dir().join("release/ksdevops-sim"))
            .args(["--reps", &repetitions.to_string()])
            .current_dir(paths::root()),
    )?;
    if !success {
        return Err("the Python bench failed".into());
    }
    python_figure(&crate::bench::result_fields(&output, "python")?, script)
}

fn python_figure(fields: &crate::bench::Fields, script: &str) -> Result<Figure, String> {
    let stat = |key: &str| Stat::from_fields(fields, key);
    let fact = |key: &str| fields.get(key).cloned().unwrap_or_default();
    Ok(Figure {
        name: "python",
        title: "Python: ksdevops.Client against hand-written httpx code",
        command: format!(
            "cargo xtask bench (python {script} --sim target/release/ksdevops-sim --reps N)"
        ),
        facts: vec![
            ("layout", fact("layout")),
            ("runs", fact("runs")),
            ("log_mb", fact("log_mb")),
        ],
        measured: vec![
            (
                "list_speedup",
                "listing the runs: httpx time / ksdevops time (httpx asks 50 a page)",
                stat("list_speedup")?,
                2,
            ),
            (
                "list_speedup_same_pages",
                "the same, httpx asking the client's page size",
                stat("list_speedup_same_pages")?,
                2,
            ),
            (
                "log_ratio",
                "following one big log: raw httpx stream time / Client.follow_log time",
                stat("log_ratio")?,
                2,
            ),
            (
                "list_ours_ms",
                "listing with Client.runs, ms",
                stat("list_ours_ms")?,
                1,
            ),
            (
                "log_ours_ms",
                "Client.follow_log, ms",
                stat("log_ours_ms")?,
                1,
            ),
            (
                "log_httpx_ms",
                "raw httpx stream of the same log, ms",
                stat("log_httpx_ms")?,
                1,
            ),
        ],
        after: Vec::new(),
        note: Some("Above 1: ksdevops is faster than the hand-written code.".into()),
    })
}

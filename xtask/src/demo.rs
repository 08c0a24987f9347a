//! `cargo xtask demo` and `cargo xtask bench`.
//!
//! The demo builds the simulator and the CLI, starts `ksdevops-sim --scenario demo` on a free
//! port, and walks the mission with the `ksdevops` command line, printing each command before
//! it runs. Any failed step stops the demo with an error (and a non-zero exit).

use crate::cmd;
use crate::paths;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The simulated clock runs this many times faster than the wall clock.
const SPEED: &str = "20";
const PROJECT: &str = "demo-project";
const USERNAME: &str = "admin";
/// The demo scenario's well-known password (KubeSphere's default), not a secret.
const PASSWORD: &str = "P@88w0rd";

/// The simulator, stopped when dropped (also when a step fails).
struct RunningSim {
    child: Child,
    url: String,
}

impl RunningSim {
    /// Starts the simulator; what it prints on stderr goes to `log` (shown if it fails).
    fn start(binary: &Path, log: &Path) -> Result<Self, String> {
        let args = [
            "--scenario",
            "demo",
            "--speed",
            SPEED,
            "--listen",
            "127.0.0.1:0",
        ];
        println!("$ ksdevops-sim {} 2>{} &", args.join(" "), log.display());
        let stderr = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut child = Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut first = String::new();
        let read = stdout.read_line(&mut first);
        // Keep reading what it prints so that it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while stdout.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let url = first.trim().to_owned();
        let mut sim = RunningSim { child, url };
        if read.is_err() || !sim.url.starts_with("http") {
            let _ = sim.child.kill();
            let _ = sim.child.wait();
            return Err(format!(
                "ksdevops-sim did not print its URL first (got {:?}); its stderr:\n{}",
                sim.url,
                std::fs::read_to_string(log).unwrap_or_default()
            ));
        }
        sim.url = sim.url.trim_end_matches('/').to_owned();
        Ok(sim)
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch directory removed at the end.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Demo {
    cli: PathBuf,
    url: String,
    token_file: PathBuf,
}

impl Demo {
    /// `ksdevops ARGS` with the demo's server and project, authenticated by the saved token
    /// (or by user name and password for `login`).
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.cli);
        command
            .args(args)
            .env("KUBESPHERE_API", &self.url)
            .env("DEVOPS_PROJECT", PROJECT)
            .env_remove("KUBESPHERE_TOKEN")
            .env_remove("KUBESPHERE_LAYOUT")
            .env_remove("KUBESPHERE_CLUSTER")
            .stdin(Stdio::null());
        if args.first() == Some(&"login") {
            command
                .env("KUBESPHERE_USERNAME", USERNAME)
                .env("KUBESPHERE_PASSWORD", PASSWORD)
                .env_remove("KUBESPHERE_TOKEN_FILE");
        } else {
            command
                .env("KUBESPHERE_TOKEN_FILE", &self.token_file)
                .env_remove("KUBESPHERE_USERNAME")
                .env_remove("KUBESPHERE_PASSWORD");
        }
        command
    }

    fn announce(args: &[&str]) {
        println!();
        println!("$ ksdevops {}", args.join(" "));
    }

    /// Runs a step with its output shown as it comes.
    fn step(&self, args: &[&str]) -> Result<(), String> {
        Self::announce(args);
        let status = self
            .command(args)
            .status()
            .map_err(|e| format!("cannot start ksdevops: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`ksdevops {}` failed ({status})", args.join(" ")))
        }
    }

    /// Runs a step and gives its standard output (shown too).
    fn step_output(&self, args: &[&str]) -> Result<String, String> {
        Self::announce(args);
        let output = self
            .command(args)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot start ksdevops: {e}"))?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        print!("{text}");
        if output.status.success() {
            Ok(text)
        } else {
            Err(format!(
                "`ksdevops {}` failed ({})",
                args.join(" "),
                output.status
            ))
        }
    }
}

fn binary(name: &str) -> PathBuf {
    paths::target_dir()
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

pub fn run() -> Result<(), String> {
    cmd::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--quiet",
                "-p",
                "ksdevops-sim",
                "-p",
                "ksdevops-cli",
            ])
            .current_dir(paths::root()),
    )?;
    let scratch =
        Scratch(std::env::temp_dir().join(format!("ksdevops-demo-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)
        .map_err(|e| format!("cannot create {}: {e}", scratch.0.display()))?;
    let sim = RunningSim::start(&binary("ksdevops-sim"), &scratch.0.join("sim.log"))?;
    println!(
        "The simulator listens on {} (demo scenario, clock {SPEED}x).",
        sim.url
    );
    println!();
    println!(
        "$ export KUBESPHERE_API={} DEVOPS_PROJECT={PROJECT}",
        sim.url
    );
    println!("$ export KUBESPHERE_USERNAME={USERNAME} KUBESPHERE_PASSWORD='{PASSWORD}'");
    let demo = Demo {
        cli: binary("ksdevops"),
        url: sim.url.clone(),
        token_file: scratch.0.join("token"),
    };
    let token = demo.token_file.display().to_string();
    let downloads = scratch.0.join("downloads");
    std::fs::create_dir_all(&downloads)
        .map_err(|e| format!("cannot create {}: {e}", downloads.display()))?;

    demo.step(&["login", "--save-token", &token])?;
    println!("$ export KUBESPHERE_TOKEN_FILE={token}");
    demo.step(&["pipelines", "list"])?;
    demo.step(&["params", "params-demo"])?;
    let started = demo.step_output(&[
        "run",
        "params-demo",
        "-p",
        "PERSON=KubeSphere",
        "-p",
        "CHOICE=Two",
    ])?;
    let run = started
        .lines()
        .next()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or("`ksdevops run` printed no run name")?
        .to_owned();
    demo.step(&["logs", &run, "--follow"])?;
    demo.step(&["inputs", &run])?;
    demo.step(&["approve", &run, "-p", "TARGET=production"])?;
    demo.step(&["wait", &run])?;
    demo.step(&["artifacts", &run])?;
    demo.step(&[
        "download",
        &run,
        "dist/report.txt",
        "-o",
        &downloads.display().to_string(),
    ])?;
    let report = std::fs::read(downloads.join("report.txt"))
        .map_err(|e| format!("the downloaded report is missing: {e}"))?;
    let first_line = String::from_utf8_lossy(&report)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    println!(
        "(report.txt: {} bytes, first line {first_line:?})",
        report.len()
    );
    drop(sim);
    println!();
    println!("Demo complete: the simulator is stopped.");
    Ok(())
}

/// The benchmarks are measurements, never pass/fail tests.
pub fn bench(extra: &[String]) -> Result<(), String> {
    cmd::run(
        Command::new("cargo")
            .args(["bench", "-p", "ksdevops"])
            .args(extra)
            .current_dir(paths::root()),
    )
}

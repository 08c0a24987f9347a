//! Runs the real `ksdevops` binary against an in-process simulator over loopback.
#![allow(dead_code)]

use ksdevops_sim::{ApiLayout, Sim, SimConfig};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const PASSWORD: &str = "P@88w0rd";
pub const PROJECT: &str = "demo-project";

/// Environment variables the CLI reads; cleared so the caller's shell cannot leak in.
const CLI_ENV: &[&str] = &[
    "KUBESPHERE_API",
    "KUBESPHERE_TOKEN",
    "KUBESPHERE_TOKEN_FILE",
    "KUBESPHERE_USERNAME",
    "KUBESPHERE_PASSWORD",
    "KUBESPHERE_CLUSTER",
    "KUBESPHERE_LAYOUT",
    "KUBESPHERE_CA_FILE",
    "DEVOPS_PROJECT",
    "KUBESPHERE_WORKSPACE",
];

/// A simulator running on its own thread and runtime, stopped on drop.
pub struct SimServer {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub dir: PathBuf,
}

impl SimServer {
    pub fn start(layout: ApiLayout) -> Self {
        Self::start_with(SimConfig::demo().with_layout(layout).with_speed(50.0))
    }

    pub fn start_with(config: SimConfig) -> Self {
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let sim = Sim::start(config).await.expect("simulator starts");
                url_tx.send(sim.url()).expect("test waits for the URL");
                let _ = stop_rx.await;
                sim.shutdown().await;
            });
        });
        let url = url_rx.recv().expect("simulator URL");
        let dir = std::env::temp_dir().join(format!(
            "ksdevops-cli-test-{}-{}",
            std::process::id(),
            url.rsplit(':').next().unwrap_or("0")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        SimServer {
            url,
            stop: Some(stop_tx),
            thread: Some(thread),
            dir,
        }
    }

    /// `ksdevops` with the server and project set and nothing else.
    pub fn bare(&self) -> Cli {
        Cli::new()
            .env("KUBESPHERE_API", &self.url)
            .env("DEVOPS_PROJECT", PROJECT)
    }

    /// `ksdevops` logged in as admin through the password grant.
    pub fn admin(&self) -> Cli {
        self.bare()
            .env("KUBESPHERE_USERNAME", "admin")
            .env("KUBESPHERE_PASSWORD", PASSWORD)
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Cli {
    command: Command,
    stdin: Option<String>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Both streams, for "never printed" checks.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl Cli {
    pub fn new() -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ksdevops"));
        for var in CLI_ENV {
            command.env_remove(var);
        }
        Cli {
            command,
            stdin: None,
        }
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    pub fn run(mut self, args: &[&str]) -> Output {
        self.command
            .args(args)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("the ksdevops binary starts");
        if let Some(text) = &self.stdin {
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().expect("ksdevops ends");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts the command with its standard output piped, for commands that stream.
    pub fn spawn(mut self, args: &[&str]) -> std::process::Child {
        self.command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ksdevops binary starts")
    }

    /// Runs and insists on exit code `code`.
    pub fn expect(self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.code, code,
            "ksdevops {args:?}: exit {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
            out.code, out.stdout, out.stderr
        );
        out
    }

    pub fn ok(self, args: &[&str]) -> Output {
        self.expect(args, 0)
    }
}

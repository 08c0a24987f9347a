//! `cargo xtask demo` and `cargo xtask bench`.

use crate::cmd;
use crate::paths;
use std::process::Command;

/// Builds a few requests with the core and prints them as curl command lines
/// (xtask/examples/demo.rs; an example, so that xtask itself has no dependencies).
pub fn run() -> Result<(), String> {
    cmd::run(
        Command::new("cargo")
            .args(["run", "--quiet", "-p", "xtask", "--example", "demo"])
            .current_dir(paths::root()),
    )
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

//! `cargo xtask setup --fuzz`: what the fuzz targets in `fuzz/` need, the nightly toolchain
//! and cargo-fuzz. Opt-in: CI does not fuzz. Running the targets is described in
//! fuzz/README.md.

use crate::cmd::{self, stdout_of};
use std::process::Command;

pub fn setup() -> Result<(), String> {
    nightly()?;
    cargo_fuzz()
}

fn nightly() -> Result<(), String> {
    let toolchains = stdout_of("rustup", &["toolchain", "list"]).unwrap_or_default();
    if toolchains.lines().any(|l| l.starts_with("nightly")) {
        eprintln!("setup: nightly toolchain present");
        return Ok(());
    }
    cmd::run(Command::new("rustup").args([
        "toolchain",
        "install",
        "nightly",
        "--profile",
        "minimal",
    ]))
}

fn cargo_fuzz() -> Result<(), String> {
    if let Some(version) = stdout_of("cargo", &["fuzz", "--version"]) {
        eprintln!("setup: {} present", version.trim());
        return Ok(());
    }
    cmd::run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
}

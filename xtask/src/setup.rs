//! `cargo xtask setup`: installs what the tests need, skipping what is already there.

use crate::cmd::{self, stdout_of};
use crate::paths;
use std::fs;
use std::path::Path;
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run() -> Result<(), String> {
    apt_packages()?;
    rust_toolchain()?;
    wasm_bindgen_cli()?;
    python_venv()?;
    npm_packages()?;
    eprintln!("setup: done");
    Ok(())
}

fn is_root() -> bool {
    stdout_of("id", &["-u"]).as_deref() == Some("0")
}

/// A command that runs as root: directly when we are root, else through `sudo -n`.
fn as_root(program: &str) -> Command {
    if is_root() {
        Command::new(program)
    } else {
        let mut cmd = Command::new("sudo");
        cmd.args(["-n", program]);
        cmd
    }
}

fn dpkg_installed(package: &str) -> bool {
    stdout_of("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|status| status == "install ok installed")
}

/// Debian's Chromium and its matching driver for the browser tests, plus Node and Python if
/// the machine lacks them. Debian's `binaryen` is never installed: its wasm-opt breaks
/// wasm-bindgen output.
fn apt_packages() -> Result<(), String> {
    let mut wanted = vec!["chromium", "chromium-driver"];
    if stdout_of("node", &["--version"]).is_none() {
        wanted.extend(["nodejs", "npm"]);
    }
    if stdout_of("python3", &["-c", "import venv, ensurepip"]).is_none() {
        wanted.extend(["python3", "python3-venv"]);
    }
    let missing: Vec<&str> = wanted.into_iter().filter(|p| !dpkg_installed(p)).collect();
    if missing.is_empty() {
        eprintln!("setup: apt packages present (chromium, chromium-driver)");
        return Ok(());
    }
    cmd::run(as_root("apt-get").arg("update"))?;
    cmd::run(
        as_root("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y"])
            .args(&missing),
    )
}

fn rust_toolchain() -> Result<(), String> {
    let installed = stdout_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|t| t.trim() == WASM_TARGET) {
        eprintln!("setup: rust target {WASM_TARGET} present");
    } else {
        cmd::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    let has_fmt = stdout_of("cargo", &["fmt", "--version"]).is_some();
    let has_clippy = stdout_of("cargo", &["clippy", "--version"]).is_some();
    if has_fmt && has_clippy {
        eprintln!("setup: rustfmt and clippy present");
        Ok(())
    } else {
        cmd::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
    }
}

/// The version of `package` that Cargo.lock resolved.
pub fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}

/// The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock,
/// else it rejects the wasm file. Installed without `--locked`: a pinned dependency of the
/// CLI's lock file is missing from the registry here (toolchain.md, gotcha 1).
fn wasm_bindgen_cli() -> Result<(), String> {
    let lock = fs::read_to_string(paths::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let wanted = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package: run `cargo generate-lockfile`")?;
    let cli = stdout_of("wasm-bindgen", &["--version"]);
    let runner = stdout_of("wasm-bindgen-test-runner", &["--version"]);
    let expected = format!("wasm-bindgen {wanted}");
    if cli.as_deref() == Some(expected.as_str()) && runner.is_some() {
        eprintln!("setup: {expected} present");
        return Ok(());
    }
    eprintln!(
        "setup: wasm-bindgen CLI is {}, Cargo.lock wants {wanted}",
        cli.as_deref().unwrap_or("missing")
    );
    cmd::run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
        "--force",
    ]))
}

/// `.venv` with the pinned tools of bindings-python/requirements-dev.txt. A copy of that file
/// inside the venv records what was installed, so an unchanged venv costs nothing.
fn python_venv() -> Result<(), String> {
    let root = paths::root();
    let requirements = root.join("bindings-python/requirements-dev.txt");
    let wanted = fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = paths::venv().join("requirements-dev.installed.txt");
    let python = paths::venv_bin("python");
    // `exists` follows the link: a venv whose interpreter is gone is made anew.
    if !python.exists() {
        cmd::run(
            Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(paths::venv()),
        )?;
    }
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str())
        && paths::venv_bin("maturin").exists()
    {
        eprintln!("setup: .venv has maturin and pytest");
        return Ok(());
    }
    cmd::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
    )?;
    fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// `npm ci` in every folder with a package-lock.json, unless node_modules already holds
/// exactly that lock (a copy is kept in node_modules after each install).
fn npm_packages() -> Result<(), String> {
    for dir in paths::NPM_PACKAGES {
        let dir = paths::root().join(dir);
        let Ok(lock) = fs::read_to_string(dir.join("package-lock.json")) else {
            continue;
        };
        let stamp = dir.join("node_modules/.ksdevops-installed-lock.json");
        if fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
            eprintln!("setup: {} node_modules up to date", relative(&dir));
            continue;
        }
        cmd::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
        fs::write(&stamp, lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(())
}

fn relative(path: &Path) -> String {
    path.strip_prefix(paths::root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-futures"
version = "0.4.80"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn reads_the_exact_package_not_one_with_a_longer_name() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-futures").as_deref(),
            Some("0.4.80")
        );
        assert_eq!(locked_version(LOCK, "wasm-bindgen-cli"), None);
    }
}

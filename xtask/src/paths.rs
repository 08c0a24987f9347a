//! Where things are, relative to the workspace root.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set (relative to the root), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

pub fn venv() -> PathBuf {
    root().join(".venv")
}

pub fn venv_bin(tool: &str) -> PathBuf {
    venv().join("bin").join(tool)
}

/// Folders with a package.json whose packages `setup` installs with `npm ci`.
pub const NPM_PACKAGES: &[&str] = &["bindings-wasm", "web-demo"];

/// External reference material (a real-world Jenkinsfile corpus, captured server payloads):
/// `KSDEVOPS_SHARED`, else a `shared/` folder beside the repository. Optional: the tests that
/// use it skip without it.
pub fn reference() -> PathBuf {
    match std::env::var_os("KSDEVOPS_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root().join("..").join("shared"),
    }
}

/// Says, once and visibly, when the reference material is absent.
pub fn announce_reference() {
    let dir = reference();
    if dir.is_dir() {
        eprintln!("reference material: {}", dir.display());
    } else {
        eprintln!(
            "reference material not found at {} (set KSDEVOPS_SHARED): the external Jenkinsfile \
             corpus and captured-payload tests are skipped",
            dir.display()
        );
    }
}

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
/// `KSDEVOPS_SHARED`, else a `shared/` folder beside the repository, when that folder exists.
/// Optional: the tests that use it skip without it. This is the one place that knows the
/// default; the harnesses read only the variable [`export_reference`] sets.
pub fn reference() -> Option<PathBuf> {
    reference_in(std::env::var_os("KSDEVOPS_SHARED"), &root())
}

/// The reference material `variable` names, else the `shared/` folder beside `repository`;
/// `None` when that folder does not exist.
fn reference_in(variable: Option<std::ffi::OsString>, repository: &Path) -> Option<PathBuf> {
    let dir = match variable {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repository.join("..").join("shared"),
    };
    dir.is_dir().then_some(dir)
}

/// Resolves the reference material for every step xtask runs: sets `KSDEVOPS_SHARED` to it
/// when it is present and removes the variable when not (the harnesses read only the
/// variable), and says which, visibly. Called before xtask starts any thread.
pub fn export_reference() {
    match reference() {
        Some(dir) => {
            eprintln!("reference material: {}", dir.display());
            std::env::set_var("KSDEVOPS_SHARED", &dir);
        }
        None => {
            eprintln!(
                "reference material not found (no KSDEVOPS_SHARED, no shared/ beside the \
                 repository): skipped: the external Jenkinsfile corpus and captured-payload tests"
            );
            std::env::remove_var("KSDEVOPS_SHARED");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_the_variable_else_beside_the_repository_else_none() {
        let scratch = target_dir().join("tmp/reference-lookup");
        let repository = scratch.join("repo");
        let named = scratch.join("elsewhere");
        std::fs::create_dir_all(&repository).unwrap();
        std::fs::create_dir_all(&named).unwrap();
        let _ = std::fs::remove_dir(scratch.join("shared"));
        assert_eq!(
            reference_in(None, &repository),
            None,
            "a clone alone has none"
        );
        assert_eq!(
            reference_in(Some(named.clone().into()), &repository),
            Some(named.clone())
        );
        assert_eq!(
            reference_in(Some(scratch.join("missing").into()), &repository),
            None
        );
        std::fs::create_dir_all(scratch.join("shared")).unwrap();
        let beside = reference_in(Some("".into()), &repository).unwrap();
        assert!(beside.ends_with("repo/../shared"), "{}", beside.display());
        std::fs::remove_dir_all(&scratch).unwrap();
    }
}

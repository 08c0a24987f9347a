//! The external Jenkinsfile corpus the parser benches read: one definition for
//! `benches/jenkinsfile.rs`, `benches/jenkinsfile_phases.rs` and `examples/parse_corpus.rs`
//! (each includes this file as a module).

use std::path::{Path, PathBuf};

/// The reference material `KSDEVOPS_SHARED` names (`cargo xtask bench` sets it).
pub fn shared_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("KSDEVOPS_SHARED").unwrap_or_default())
}

/// The corpus's Jenkinsfiles, sorted: the files of the category folders, without the
/// oracle's `.json` outputs, the plugin's JSON fixtures, `expected/` and `notes/`.
pub fn paths() -> Result<Vec<PathBuf>, String> {
    if shared_dir().as_os_str().is_empty() {
        return Err("KSDEVOPS_SHARED is not set".into());
    }
    let root = shared_dir().join("conformance/jenkinsfiles");
    let mut paths = Vec::new();
    for dir in list_dir(&root)? {
        let skipped = dir.ends_with("expected") || dir.ends_with("notes");
        if !dir.is_dir() || skipped {
            continue;
        }
        for file in list_dir(&dir)? {
            let is_data = matches!(
                file.extension().and_then(|e| e.to_str()),
                Some("json" | "md")
            );
            if file.is_file() && !is_data {
                paths.push(file);
            }
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no Jenkinsfile under {}", root.display()));
    }
    Ok(paths)
}

/// The texts of `paths`, in order.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<String>, String> {
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
        })
        .collect()
}

/// The corpus's texts, for a bench: a missing corpus stops it with the reason.
#[allow(dead_code)] // not every includer uses it
pub fn texts() -> Vec<String> {
    paths()
        .and_then(|p| read_all(&p))
        .unwrap_or_else(|e| panic!("Jenkinsfile corpus: {e} (set KSDEVOPS_SHARED)"))
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::read_dir(dir)
        .and_then(|entries| entries.map(|e| e.map(|e| e.path())).collect())
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))
}

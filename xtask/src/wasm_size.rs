//! The size of the npm package's wasm (`cargo xtask bench`): raw and gzip -9 after wasm-opt,
//! and the largest contributors by crate, read from the function names and code sizes of the
//! cargo build (twiggy cannot read the bulk-memory opcodes Rust emits).

use crate::bench::record::Figure;
use crate::wasm_pkg;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// An unsigned LEB128 number at `at`, and the position after it.
fn leb(bytes: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let byte = *bytes.get(at)?;
        at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((value, at));
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn name_at(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let (len, at) = leb(bytes, at)?;
    let end = at.checked_add(usize::try_from(len).ok()?)?;
    Some((
        String::from_utf8_lossy(bytes.get(at..end)?).into_owned(),
        end,
    ))
}

/// (section id, custom name, contents) of every section.
fn sections(bytes: &[u8]) -> Option<Vec<(u8, String, &[u8])>> {
    if bytes.get(..4)? != b"\0asm" {
        return None;
    }
    let mut at = 8;
    let mut out = Vec::new();
    while at < bytes.len() {
        let id = bytes[at];
        let (len, start) = leb(bytes, at + 1)?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        let contents = bytes.get(start..end)?;
        let name = if id == 0 {
            name_at(contents, 0)?.0
        } else {
            String::new()
        };
        out.push((id, name, contents));
        at = end;
    }
    Some(out)
}

/// How many functions the module imports (they come first in the function index space).
fn imported_functions(import: &[u8]) -> Option<u64> {
    let (count, mut at) = leb(import, 0)?;
    let mut functions = 0;
    for _ in 0..count {
        at = name_at(import, at)?.1;
        at = name_at(import, at)?.1;
        let kind = *import.get(at)?;
        at += 1;
        match kind {
            0 => {
                functions += 1;
                at = leb(import, at)?.1;
            }
            1 => {
                at += 1;
                let flags = *import.get(at)?;
                at = leb(import, at + 1)?.1;
                if flags & 1 == 1 {
                    at = leb(import, at)?.1;
                }
            }
            2 => {
                let flags = *import.get(at)?;
                at = leb(import, at + 1)?.1;
                if flags & 1 == 1 {
                    at = leb(import, at)?.1;
                }
            }
            3 => at += 2,
            4 => at = leb(import, at + 1)?.1,
            _ => return None,
        }
    }
    Some(functions)
}

/// Function index → name, from the `name` custom section.
fn function_names(name: &[u8]) -> Option<BTreeMap<u64, String>> {
    let mut at = name_at(name, 0)?.1;
    let mut names = BTreeMap::new();
    while at < name.len() {
        let kind = name[at];
        let (len, start) = leb(name, at + 1)?;
        let end = start + usize::try_from(len).ok()?;
        if kind == 1 {
            let (count, mut p) = leb(name, start)?;
            for _ in 0..count {
                let (index, next) = leb(name, p)?;
                let (text, next) = name_at(name, next)?;
                names.insert(index, text);
                p = next;
            }
        }
        at = end;
    }
    Some(names)
}

/// The crate a function belongs to, from its (legacy-mangled or plain) name:
/// `_ZN10serde_json2de…` and `<a::B as c::D>::f` (`_ZN…_$LT$a..B$u20$as…`) count for
/// `serde_json` and `a`.
fn crate_of(function: &str) -> String {
    let mut rest = match function.strip_prefix("_ZN") {
        Some(mangled) => {
            let digits = mangled.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
            let len: usize = mangled[..digits].parse().unwrap_or(0);
            mangled
                .get(digits..digits + len)
                .unwrap_or(&mangled[digits..])
        }
        None => function,
    };
    loop {
        let trimmed = rest.trim_start_matches(['_', '<', '&', '*', ' ']);
        let trimmed = ["$LT$", "$RF$", "mut$u20$", "mut "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p))
            .unwrap_or(trimmed);
        if trimmed == rest {
            break;
        }
        rest = trimmed;
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    match &rest[..end] {
        "" => "(other)".into(),
        name => name.to_owned(),
    }
}

/// Code bytes per crate, largest first.
pub fn by_crate(wasm: &[u8]) -> Option<Vec<(String, u64)>> {
    let sections = sections(wasm)?;
    let imported = sections
        .iter()
        .find(|(id, _, _)| *id == 2)
        .map_or(Some(0), |(_, _, s)| imported_functions(s))?;
    let names = sections
        .iter()
        .find(|(id, name, _)| *id == 0 && name == "name")
        .and_then(|(_, _, s)| function_names(s))?;
    let (_, _, code) = sections.iter().find(|(id, _, _)| *id == 10)?;
    let (count, mut at) = leb(code, 0)?;
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    for i in 0..count {
        let (len, body) = leb(code, at)?;
        let name = names
            .get(&(imported + i))
            .map_or("(unnamed)", String::as_str);
        *sizes.entry(crate_of(name)).or_default() += len;
        at = body + usize::try_from(len).ok()?;
    }
    let mut sorted: Vec<(String, u64)> = sizes.into_iter().collect();
    sorted.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    Some(sorted)
}

fn gzip_size(path: &Path) -> Result<u64, String> {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot start gzip: {e}"))?;
    if !output.status.success() {
        return Err(format!("gzip {} failed", path.display()));
    }
    Ok(output.stdout.len() as u64)
}

/// Builds the package (release) and prints its size line and the top contributors.
/// Prints the package's size by stage and its largest contributors; gives the `bundle` figure.
pub fn report() -> Result<Figure, String> {
    let stages = wasm_pkg::build(false)?;
    let pkg = wasm_pkg::pkg_dir();
    let wasm = pkg.join("ksdevops_wasm_bg.wasm");
    let glue = pkg.join("ksdevops_wasm.js");
    let (raw, gz) = (wasm_pkg::file_size(&wasm)?, gzip_size(&wasm)?);
    let (glue_raw, glue_gz) = (wasm_pkg::file_size(&glue)?, gzip_size(&glue)?);
    println!();
    println!(
        "==> npm package ksdevops (whole client), profile {}",
        wasm_pkg::PROFILE
    );
    let stages: Vec<String> = stages.iter().map(|(s, b)| format!("{s} {b}")).collect();
    println!("raw bytes by stage: {}", stages.join(", "));
    let figure = Figure {
        name: "bundle",
        title: "npm package size (the whole client, after wasm-opt)",
        command: "cargo xtask bench (or cargo xtask wasm-pkg)".into(),
        facts: vec![
            ("wasm_bytes", raw.to_string()),
            ("wasm_gzip_bytes", gz.to_string()),
            ("glue_bytes", glue_raw.to_string()),
            ("glue_gzip_bytes", glue_gz.to_string()),
            ("total_gzip_bytes", (gz + glue_gz).to_string()),
        ],
        measured: Vec::new(),
        after: Vec::new(),
        note: Some(format!("Profile {}; gzip -9.", wasm_pkg::PROFILE)),
    };
    let cargo_wasm = crate::paths::target_dir()
        .join("wasm32-unknown-unknown")
        .join(wasm_pkg::PROFILE)
        .join("ksdevops_wasm.wasm");
    let bytes = std::fs::read(&cargo_wasm)
        .map_err(|e| format!("cannot read {}: {e}", cargo_wasm.display()))?;
    match by_crate(&bytes) {
        Some(crates) => {
            let total: u64 = crates.iter().map(|(_, b)| b).sum();
            println!(
                "largest contributors (code bytes by crate, before wasm-bindgen and wasm-opt):"
            );
            for (name, size) in crates.iter().take(5) {
                println!(
                    "  {name:<24} {size:>9}  {:>5.1}%",
                    *size as f64 * 100.0 / total.max(1) as f64
                );
            }
        }
        None => println!("largest contributors: the cargo build has no name section to read"),
    }
    Ok(figure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_count_for_their_crate() {
        assert_eq!(crate_of("_ZN10serde_json5value2de17h1E"), "serde_json");
        assert_eq!(
            crate_of("_ZN85_$LT$serde_wasm_bindgen..de..Deserializer$u20$as$u20$x..y$GT$3map17h1E"),
            "serde_wasm_bindgen"
        );
        assert_eq!(
            crate_of("_ZN98_$LT$$RF$mut$u20$serde_json..de..Deserializer$GT$3map17h1E"),
            "serde_json"
        );
        assert_eq!(
            crate_of("<ksdevops::model::Pipeline as serde::Serialize>::serialize"),
            "ksdevops"
        );
        assert_eq!(crate_of("__rust_alloc"), "rust_alloc");
    }

    #[test]
    fn reads_a_tiny_module() {
        // One local function of 3 code bytes, named "a::f".
        let module: &[u8] = &[
            0, b'a', b's', b'm', 1, 0, 0, 0, // header
            10, 5, 1, 3, 0, 0x0b, 0x0b, // code: 1 body of 3 bytes
            0, 14, 4, b'n', b'a', b'm', b'e', 1, 7, 1, 0, 4, b'a', b':', b':', b'f',
        ];
        assert_eq!(by_crate(module), Some(vec![("a".to_owned(), 3)]));
    }
}
